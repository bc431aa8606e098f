/* RISC-V interrupt flag: SIE in sstatus. */
#ifndef ASM_RISCV_IRQFLAGS_H
#define ASM_RISCV_IRQFLAGS_H

#include <asm/csr.h>

static inline unsigned long arch_local_save_flags(void)
{
	return csr_read(sstatus);
}

static inline void arch_local_irq_disable(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

static inline void arch_local_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline unsigned long arch_local_irq_save(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE);
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	csr_set(sstatus, flags & SSTATUS_SIE);
}

static inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & SSTATUS_SIE);
}

#endif
