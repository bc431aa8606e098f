/*
 * The 16550-compatible UART that the device tree names (compatible
 * "ns16550a"), the RISC-V console once setup_arch() has found it. Until
 * then output goes through the SBI. Input is polled: the shell asks for
 * a byte after every timer tick, and the UART's FIFO (and QEMU, which
 * stops reading the host side while it is full) holds what arrives in
 * between.
 */
#include <asm/page.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>

#define RBR 0
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static volatile u8 *uart_base;
static u32 shift;

static inline u8 reg_read(int reg)
{
	return uart_base[reg << shift];
}

static inline void reg_write(int reg, u8 v)
{
	uart_base[reg << shift] = v;
}

void uart_init(phys_addr_t base, u32 reg_shift, u32 clock_hz)
{
	u32 div = clock_hz ? clock_hz / (16 * 115200) : 1;

	shift = reg_shift;
	uart_base = __va(base);
	reg_write(IER, 0);
	reg_write(LCR, 0x80);
	reg_write(0, div & 0xff);
	reg_write(1, div >> 8);
	reg_write(LCR, 0x03); /* 8N1 */
	/* FIFO on, as OpenSBI left it: flipping the enable bit would throw
	 * away what is already received. */
	reg_write(FCR, 0x01);
	reg_write(MCR, 0x03);
}

void uart_remap(void *base)
{
	uart_base = base;
}

bool uart_ready(void)
{
	return uart_base != NULL;
}

void uart_putc(char c)
{
	while (!(reg_read(LSR) & LSR_THRE))
		;
	reg_write(THR, c);
}

int uart_getc(void)
{
	if (!(reg_read(LSR) & LSR_DR))
		return -1;
	return reg_read(RBR);
}

void arch_console_putc(char c)
{
	if (uart_base)
		uart_putc(c);
	else
		sbi_console_putchar(c);
}

int arch_console_getc(void)
{
	return uart_base ? uart_getc() : -1;
}
