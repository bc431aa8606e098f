/*
 * The 16550-compatible UART that the device tree names (compatible
 * "ns16550a"), the RISC-V console once setup_arch() has found it. Until
 * then output goes through the SBI. Output is polled. Input arrives by
 * interrupt (through the PLIC, arch/riscv/plic.c) into a small ring once
 * arch_devices_init() has set that up; before, or without a PLIC,
 * arch_console_getc() polls the UART directly, as on x86.
 *
 * Nothing typed is dropped: when the ring is full the receive interrupt
 * is switched off, so what arrives waits in the UART's FIFO, and QEMU
 * stops reading its side until there is room. Taking the next byte from
 * the ring switches it on again.
 */
#include <asm/page.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/irqflags.h>

#define RBR 0
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define IER_RDI 0x01 /* interrupt on received data (and FIFO timeout) */
#define FCR_FIFO 0x01
#define FCR_TRIGGER_8 0x80 /* interrupt once 8 bytes wait, or on timeout */

static volatile u8 *uart_base;
static u32 shift;
static u8 rx_ring[256];
static u8 rx_head, rx_tail; /* u8 wraps at the ring size */
static bool rx_stopped; /* ring full: the interrupt is off */

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
	/*
	 * FIFO on, as OpenSBI left it: flipping the enable bit would throw
	 * away what is already received. The trigger level lets QEMU pass
	 * 8 bytes at a time rather than 1; a byte that waits alone raises
	 * the FIFO timeout interrupt instead.
	 */
	reg_write(FCR, FCR_FIFO | FCR_TRIGGER_8);
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

/* The PLIC's handler: the FIFO into the ring, as far as it fits. */
static void uart_irq(void)
{
	while ((u8)(rx_head + 1) != rx_tail && (reg_read(LSR) & LSR_DR))
		rx_ring[rx_head++] = reg_read(RBR);
	if ((u8)(rx_head + 1) == rx_tail) {
		/* Level-triggered: with bytes left it would fire again. */
		reg_write(IER, 0);
		rx_stopped = true;
	}
}

void uart_irq_init(void)
{
	if (!uart_base || !uart_irq_line || !plic_init(uart_irq_line, uart_irq))
		return;
	reg_write(IER, IER_RDI);
}

int arch_console_getc(void)
{
	unsigned long flags;
	int c = -1;

	if (!uart_base)
		return -1;
	local_irq_save(flags);
	if (rx_tail != rx_head) {
		c = rx_ring[rx_tail++];
		if (rx_stopped) {
			rx_stopped = false;
			reg_write(IER, IER_RDI);
		}
	} else {
		c = uart_getc(); /* what no interrupt has taken (yet) */
	}
	local_irq_restore(flags);
	return c;
}
