/* i386 interrupt flag: the IF bit in EFLAGS. */
#ifndef ASM_X86_IRQFLAGS_H
#define ASM_X86_IRQFLAGS_H

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfl; popl %0" : "=r"(flags)::"memory");
	return flags;
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("pushl %0; popfl" ::"g"(flags) : "memory", "cc");
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & 0x200);
}

#endif
