/*
 * Interrupt and preemption context bookkeeping: arch interrupt entry
 * brackets every handler with irq_enter()/irq_exit(), so any code can ask
 * in_interrupt() or in_atomic() -- the question a GFP_KERNEL allocation
 * must ask before it may sleep.
 */
#include <pagoda/bug.h>
#include <pagoda/hardirq.h>

unsigned long __preempt_count[NR_CPUS];

void irq_enter(void)
{
	__preempt_count[smp_processor_id()] += HARDIRQ_OFFSET;
}

void irq_exit(void)
{
	__preempt_count[smp_processor_id()] -= HARDIRQ_OFFSET;
}

void preempt_disable(void)
{
	__preempt_count[smp_processor_id()]++;
	barrier();
}

void preempt_enable(void)
{
	barrier();
	WARN_ON(!(__preempt_count[smp_processor_id()] & PREEMPT_MASK));
	__preempt_count[smp_processor_id()]--;
}

void preempt_count_reset(void)
{
	__preempt_count[smp_processor_id()] = 0;
}
