/*
 * Things shared inside arch/x86 only: the interrupt controller, the
 * serial port, the multiboot2 handover and control registers.
 */
#ifndef ASM_X86_X86_H
#define ASM_X86_X86_H

#include <asm/ptrace.h>
#include <pagoda/types.h>

#define IRQ_BASE 0x20 /* the PIC's IRQ 0 lands on vector 0x20 */
#define IRQ_TIMER 0
#define IRQ_COM1 4
#define NR_IRQS 16

typedef void (*irq_handler_t)(int irq);
void pic_init(void);
void irq_register(int irq, irq_handler_t fn);
void do_irq(struct pt_regs *regs);
void do_trap(struct pt_regs *regs);

void serial_init(void);
void serial_irq(int irq);

void gdt_init(void);
u64 hpet_measure_tsc_hz(void);
void paging_init(void);

extern u32 boot_magic;
extern u32 boot_mbi_phys;
extern u8 boot_mbi_copy[];
#define MBI_COPY_SIZE 32768

static inline unsigned long read_cr2(void)
{
	unsigned long v;

	__asm__ __volatile__("movl %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	__asm__ __volatile__("movl %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(unsigned long v)
{
	__asm__ __volatile__("movl %0, %%cr3" ::"r"(v) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#endif
