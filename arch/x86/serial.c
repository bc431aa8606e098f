/*
 * The 16550 UART on COM1, the x86 console. Output is polled. Input
 * arrives by interrupt (IRQ 4) into a small ring; if interrupts are off
 * or never come, arch_console_getc() polls the UART directly, so the
 * shell works either way.
 */
#include <asm/io.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
#include <pagoda/irqflags.h>

#define COM1 0x3f8
#define RBR 0 /* receive buffer */
#define THR 0 /* transmit holding */
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static u8 rx_ring[256];
static u8 rx_head, rx_tail; /* u8 wraps at the ring size */

void serial_init(void)
{
	outb(COM1 + IER, 0);
	outb(COM1 + LCR, 0x80); /* divisor latch: 115200 baud */
	outb(COM1 + 0, 1);
	outb(COM1 + 1, 0);
	outb(COM1 + LCR, 0x03); /* 8N1 */
	/*
	 * FIFO off: the UART then holds one byte and QEMU waits for it to be
	 * read before sending the next, so nothing typed ahead is lost (turning
	 * the FIFO on would empty it). One interrupt per byte is cheap here.
	 */
	outb(COM1 + FCR, 0);
	outb(COM1 + MCR, 0x0b); /* DTR, RTS, OUT2 (routes the IRQ) */
	irq_register(IRQ_COM1, serial_irq);
	outb(COM1 + IER, 0x01); /* interrupt on received data */
}

void serial_irq(int irq)
{
	while (inb(COM1 + LSR) & LSR_DR) {
		u8 c = inb(COM1 + RBR);

		/* When the ring is full the newest byte is dropped. */
		if ((u8)(rx_head + 1) != rx_tail)
			rx_ring[rx_head++] = c;
	}
}

void arch_console_putc(char c)
{
	while (!(inb(COM1 + LSR) & LSR_THRE))
		;
	outb(COM1 + THR, c);
}

int arch_console_getc(void)
{
	unsigned long flags;
	int c = -1;

	local_irq_save(flags);
	if (rx_tail != rx_head)
		c = rx_ring[rx_tail++];
	else if (inb(COM1 + LSR) & LSR_DR)
		c = inb(COM1 + RBR);
	local_irq_restore(flags);
	return c;
}
