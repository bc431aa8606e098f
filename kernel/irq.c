/*
 * Interrupt and preemption context bookkeeping: arch interrupt entry
 * brackets every handler with irq_enter()/irq_exit(), so any code can ask
 * in_interrupt() or in_atomic() -- the question a GFP_KERNEL allocation
 * must ask before it may sleep.
 */
#include <pagoda/bug.h>
#include <pagoda/hardirq.h>
#include <pagoda/irqflags.h>
#include <pagoda/printk.h>

unsigned long __preempt_count[NR_CPUS];
unsigned long might_sleep_reports;
bool early_boot;

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

void __might_sleep(const char *file, int line)
{
	/* Boot runs with interrupts off and nothing else to wait for. */
	if (early_boot || (!in_atomic() && !irqs_disabled()))
		return;
	might_sleep_reports++;
	printk(KERN_ERR "BUG: sleeping function called from invalid context "
			"at %s:%d\n",
	       file, line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, in_irq(): %d\n",
	       in_atomic() ? 1 : 0, irqs_disabled() ? 1 : 0, in_irq() ? 1 : 0);
	dump_stack();
}
