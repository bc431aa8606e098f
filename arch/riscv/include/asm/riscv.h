/* Shared inside arch/riscv only: SBI calls, devices, boot handover. */
#ifndef ASM_RISCV_RISCV_H
#define ASM_RISCV_RISCV_H

#include <asm/ptrace.h>
#include <pagoda/compiler.h>

struct fdt;

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(int ext, int fid, unsigned long a0,
			unsigned long a1, unsigned long a2);
void sbi_console_putchar(int c);
void sbi_set_timer(u64 when);
__noreturn void sbi_shutdown(bool failure);
bool sbi_probe_extension(long ext);

void uart_init(phys_addr_t base, u32 reg_shift, u32 clock_hz);
/* Move the UART's registers to a new (ioremap) address. */
void uart_remap(void *base);
bool find_device(const char *compat, phys_addr_t *base, u64 *size,
		 int *node_out);
/* The (copied) device tree, for drivers that read more than reg. */
const struct fdt *device_tree(void);
extern void *test_dev; /* QEMU's exit device, once ioremapped */
bool uart_ready(void);
void uart_putc(char c);
int uart_getc(void);
/* Once the UART is remapped: take its input by interrupt. */
void uart_irq_init(void);

bool plic_init(unsigned int irq, void (*fn)(void));
void plic_interrupt(void);

void paging_init(void);
void do_trap(struct pt_regs *regs);
void timer_interrupt(void);

extern unsigned long boot_hartid;
extern unsigned long boot_dtb_phys;
extern unsigned long kernel_load_phys;
extern u64 timebase_hz;
extern phys_addr_t direct_map_end;
extern phys_addr_t uart_phys, test_dev_phys;
extern u32 uart_irq_line; /* its PLIC input, 0 if the tree gives none */

static inline u64 rdtime(void)
{
	u64 t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

#endif
