/*
 * riscv64 traps: every exception and interrupt arrives at entry.S and
 * then do_trap(). The timer interrupt drives the tick, the external one
 * (from the PLIC, arch/riscv/plic.c) brings console input; exceptions are
 * reported the way Linux reports an oops (for a page fault: the address,
 * the kind of access and which part of the layout it hit), with a
 * backtrace, and kernel/panic.c decides whether the kernel can go on.
 */
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/hardirq.h>
#include <pagoda/oops.h>
#include <pagoda/printk.h>

#define EXC_INST_FAULT 1
#define EXC_LOAD_FAULT 5
#define EXC_STORE_FAULT 7
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

static const char *const exception_names[16] = {
	"instruction address misaligned",
	"instruction access fault",
	"illegal instruction",
	"breakpoint",
	"load address misaligned",
	"load access fault",
	"store/AMO address misaligned",
	"store/AMO access fault",
	"environment call from U-mode",
	"environment call from S-mode",
	"reserved",
	"reserved",
	"instruction page fault",
	"load page fault",
	"reserved",
	"store/AMO page fault",
};

void trap_init(void)
{
	/* stvec was set in head.S, before C ran; here only make sure no
	 * interrupt source is enabled until its driver wants it. */
	csr_write(sie, 0);
}

static void do_interrupt(unsigned long cause)
{
	irq_enter();
	if (cause == IRQ_S_TIMER)
		timer_interrupt();
	else if (cause == IRQ_S_EXT)
		plic_interrupt();
	else
		pr_warn("interrupt %lu: no handler\n", cause);
	irq_exit();
}

static bool is_memory_fault(unsigned long cause)
{
	return cause == EXC_INST_FAULT || cause == EXC_LOAD_FAULT ||
	       cause == EXC_STORE_FAULT || cause == EXC_INST_PAGE_FAULT ||
	       cause == EXC_LOAD_PAGE_FAULT || cause == EXC_STORE_PAGE_FAULT;
}

static void report_page_fault(struct pt_regs *r)
{
	unsigned long addr = r->stval, c = r->scause;
	const char *access = c == EXC_INST_FAULT || c == EXC_INST_PAGE_FAULT ?
				     "instruction fetch" :
			     c == EXC_LOAD_FAULT || c == EXC_LOAD_PAGE_FAULT ?
				     "read" :
				     "write";

	if (addr < PAGE_SIZE)
		printk(KERN_EMERG "BUG: kernel NULL pointer dereference, "
				  "address: %016lx\n",
		       addr);
	else
		printk(KERN_EMERG "BUG: unable to handle page fault for "
				  "address: %016lx\n",
		       addr);
	printk(KERN_EMERG "#PF: supervisor %s access in kernel mode\n",
	       access);
	printk(KERN_EMERG "#PF: scause %lu - %s\n", c, exception_names[c]);
	oops_describe_address(addr);
}

static void show_regs(struct pt_regs *r)
{
	static const char *const names[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
		"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
		"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
		"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};

	printk(KERN_EMERG "epc : %016lx %pS\n", r->sepc, (void *)r->sepc);
	printk(KERN_EMERG " ra : %016lx %pS\n", r->regs[PT_RA],
	       (void *)r->regs[PT_RA]);
	for (int i = 2; i < 32; i += 3) {
		printk(KERN_EMERG " %-3s: %016lx", names[i], r->regs[i]);
		for (int j = i + 1; j < i + 3 && j < 32; j++)
			printk(KERN_CONT " %-3s: %016lx", names[j], r->regs[j]);
		printk(KERN_CONT "\n");
	}
	printk(KERN_EMERG "status: %016lx badaddr: %016lx cause: %016lx\n",
	       r->sstatus, r->stval, r->scause);
}

void do_trap(struct pt_regs *regs)
{
	unsigned long stack[OOPS_MAX_FRAMES];
	unsigned long cause = regs->scause & ~SCAUSE_IRQ;
	int n;

	if (regs->scause & SCAUSE_IRQ) {
		do_interrupt(cause);
		return;
	}
	oops_begin();
	if (is_memory_fault(cause))
		report_page_fault(regs);
	else
		printk(KERN_EMERG "%s (scause %lu)\n",
		       cause < 16 ? exception_names[cause] : "unknown trap",
		       cause);
	show_regs(regs);
	n = arch_stack_walk_regs(regs, stack, OOPS_MAX_FRAMES);
	oops_print_trace(stack, n);
	oops_end("Fatal exception");
}
