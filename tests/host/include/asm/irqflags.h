/*
 * Host stand-in for the arch's interrupt flag: a variable, so tests can
 * play "interrupts off" and see the might_sleep() report.
 */
#ifndef HOST_ASM_IRQFLAGS_H
#define HOST_ASM_IRQFLAGS_H

extern unsigned long host_irq_flags; /* 1 = enabled */

static inline unsigned long arch_local_save_flags(void)
{
	return host_irq_flags;
}

static inline void arch_local_irq_disable(void)
{
	host_irq_flags = 0;
}

static inline void arch_local_irq_enable(void)
{
	host_irq_flags = 1;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long f = host_irq_flags;

	host_irq_flags = 0;
	return f;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irq_flags = flags;
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !flags;
}

#endif
