/*
 * Which context the CPU is in, Linux's way: one counter per CPU whose
 * low byte counts preempt_disable() nesting and whose upper bits count
 * nested hardware interrupts. The allocators ask it whether sleeping
 * would be allowed (kernel/irq.c).
 */
#ifndef PAGODA_HARDIRQ_H
#define PAGODA_HARDIRQ_H

#include <asm/irqflags.h>
#include <pagoda/compiler.h>

#define NR_CPUS 1
#define PREEMPT_MASK 0x000000ffUL
#define HARDIRQ_OFFSET 0x00010000UL
#define HARDIRQ_MASK 0x0fff0000UL

extern unsigned long __preempt_count[NR_CPUS];

static inline int smp_processor_id(void)
{
	return 0;
}

static inline unsigned long preempt_count(void)
{
	return READ_ONCE(__preempt_count[smp_processor_id()]);
}

#define in_irq() (preempt_count() & HARDIRQ_MASK)
#define in_interrupt() in_irq()
#define in_atomic() (preempt_count() != 0)

void irq_enter(void);
void irq_exit(void);
void preempt_disable(void);
void preempt_enable(void);
/*
 * Code that may sleep calls might_sleep(): in interrupt context, with
 * preemption or interrupts off, that is a bug, reported with a trace
 * (Linux's "sleeping function called from invalid context").
 */
void __might_sleep(const char *file, int line);
extern unsigned long might_sleep_reports; /* how many were printed */
/* True until start_kernel turns interrupts on: might_sleep stays quiet. */
extern bool early_boot;
#define might_sleep() __might_sleep(__FILE__, __LINE__)
/* Cheap when all is well: the report's function is only called for an
 * atomic context (a hot allocation path pays two loads, no call). */
#define might_sleep_if(cond)                                            \
	do {                                                            \
		if ((cond) && unlikely(preempt_count() ||               \
				       arch_irqs_disabled_flags(        \
					       arch_local_save_flags()))) \
			might_sleep();                                  \
	} while (0)

/* After an oops unwinds back to the shell: nothing is held any more. */
void preempt_count_reset(void);

#endif
