/*
 * i386 exceptions and interrupts: the IDT, the 8259 PIC, and what to
 * say when something goes wrong.
 *
 * Every vector goes through entry.S to do_trap(). IRQs are dispatched to
 * the handler registered for them, inside irq_enter()/irq_exit() so the
 * rest of the kernel knows it runs in interrupt context. Exceptions are
 * reported the way Linux reports an oops (for a page fault: the address,
 * the kind of access and which part of the layout it hit), followed by a
 * backtrace; then kernel/panic.c decides whether the kernel can go on.
 */
#include <asm/io.h>
#include <asm/page.h>
#include <asm/x86.h>
#include <pagoda/hardirq.h>
#include <pagoda/oops.h>
#include <pagoda/printk.h>

struct idt_entry {
	u16 off_lo;
	u16 sel;
	u8 zero;
	u8 type;
	u16 off_hi;
} __attribute__((packed));

struct idt_ptr {
	u16 limit;
	u32 base;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(8)));
static irq_handler_t irq_handlers[NR_IRQS];
extern char isr_stubs[];

#define PIC1 0x20
#define PIC2 0xa0
#define PIC_EOI 0x20

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault",
	"general protection fault", "page fault", "reserved",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point error", "virtualization exception",
	"control protection exception",
};

static void idt_set(int vec, u32 handler)
{
	idt[vec].off_lo = handler & 0xffff;
	idt[vec].off_hi = handler >> 16;
	idt[vec].sel = 0x08;
	idt[vec].zero = 0;
	idt[vec].type = 0x8e; /* present, ring 0, 32-bit interrupt gate */
}

/*
 * Remap the PIC so IRQs 0..15 arrive on vectors 0x20..0x2f instead of
 * on top of the CPU's exceptions, and mask everything until a driver
 * asks for its line.
 */
void pic_init(void)
{
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	outb(PIC1 + 1, IRQ_BASE);
	outb(PIC2 + 1, IRQ_BASE + 8);
	outb(PIC1 + 1, 4);
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);
	outb(PIC2 + 1, 1);
	outb(PIC1 + 1, 0xfb); /* all masked but the cascade */
	outb(PIC2 + 1, 0xff);
}

void irq_register(int irq, irq_handler_t fn)
{
	u16 port = irq < 8 ? PIC1 + 1 : PIC2 + 1;

	irq_handlers[irq] = fn;
	outb(port, inb(port) & ~(1 << (irq & 7)));
}

void trap_init(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (u32)idt };

	gdt_init();
	for (int v = 0; v < 48; v++)
		idt_set(v, (u32)isr_stubs + 16 * v);
	__asm__ __volatile__("lidt %0" ::"m"(p));
	pic_init();
}

void do_irq(struct pt_regs *regs)
{
	int irq = regs->vector - IRQ_BASE;

	irq_enter();
	if (irq_handlers[irq])
		irq_handlers[irq](irq);
	else if (irq != 7 && irq != 15) /* 7 and 15 can be spurious */
		pr_warn("irq %d: no handler\n", irq);
	if (irq >= 8)
		outb(PIC2, PIC_EOI);
	outb(PIC1, PIC_EOI);
	irq_exit();
}

static void show_regs(struct pt_regs *r)
{
	printk(KERN_EMERG "EIP: %08x %pS\n", r->eip, (void *)r->eip);
	printk(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", r->eax,
	       r->ebx, r->ecx, r->edx);
	printk(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n", r->esi,
	       r->edi, r->ebp, (u32)(unsigned long)&r->eflags + 4);
	printk(KERN_EMERG "EFLAGS: %08x CR2: %08lx CR3: %08lx\n", r->eflags,
	       read_cr2(), read_cr3());
}

static void report_page_fault(struct pt_regs *r)
{
	unsigned long addr = read_cr2();
	u32 e = r->error;

	if (addr < PAGE_SIZE)
		printk(KERN_EMERG "BUG: kernel NULL pointer dereference, "
				  "address: %08lx\n",
		       addr);
	else
		printk(KERN_EMERG "BUG: unable to handle page fault for "
				  "address: %08lx\n",
		       addr);
	printk(KERN_EMERG "#PF: %s %s access in %s mode\n",
	       e & 4 ? "user" : "supervisor",
	       e & 16 ? "instruction fetch" : e & 2 ? "write" : "read",
	       e & 4 ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04x) - %s\n", e,
	       e & 8 ? "reserved bit violation" :
	       e & 1 ? "permissions violation" :
		       "not-present page");
	oops_describe_address(addr);
}

void do_trap(struct pt_regs *regs)
{
	unsigned long stack[OOPS_MAX_FRAMES];
	int n;

	if (regs->vector >= IRQ_BASE && regs->vector < IRQ_BASE + NR_IRQS) {
		do_irq(regs);
		return;
	}
	oops_begin();
	if (regs->vector == 14)
		report_page_fault(regs);
	else
		printk(KERN_EMERG "%s (trap %u, error %#x)\n",
		       regs->vector < 32 && exception_names[regs->vector] ?
			       exception_names[regs->vector] :
			       "unknown trap",
		       regs->vector, regs->error);
	show_regs(regs);
	n = arch_stack_walk_regs(regs, stack, OOPS_MAX_FRAMES);
	oops_print_trace(stack, n);
	oops_end("Fatal exception");
}
