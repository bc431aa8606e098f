/*
 * When things go wrong: panic(), WARN, and the oops path the arch trap
 * handlers share.
 *
 * A panic stops the kernel: by default it halts, so gdb can look at the
 * wreck; with panic=N it powers off after N seconds (N < 0: at once),
 * which is what headless tests want. An oops in a shell command unwinds
 * back to the shell instead, so a student who pokes at a bad address
 * sees the report and keeps a working kernel.
 */
#include <pagoda/arch.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/irqflags.h>
#include <pagoda/kallsyms.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/oops.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/stacktrace.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <pagoda/vmalloc.h>

#define PANIC_EXIT_CODE 3

static int panic_timeout;
static int oops_count;
static struct arch_jmp_buf *recovery;
static bool in_panic;

static int set_panic(const char *val)
{
	return val ? kstrtoint(val, 0, &panic_timeout) : -EINVAL;
}
early_param("panic", set_panic);

/* pcs[0] may be a trapping pc (exact); the rest are return addresses. */
void oops_print_trace(const unsigned long *pcs, int n)
{
	char sym[96];

	printk(KERN_EMERG "Call Trace:\n");
	for (int i = 0; i < n; i++) {
		if (i == 0)
			scnprintf(sym, sizeof(sym), "%pS", (void *)pcs[i]);
		else
			sprint_backtrace(sym, sizeof(sym), pcs[i]);
		printk(KERN_EMERG " [<%0*lx>] %s\n", 2 * (int)sizeof(long),
		       pcs[i], sym);
	}
}

void dump_stack(void)
{
	unsigned long pcs[OOPS_MAX_FRAMES];
	int n = stack_walk(pcs, OOPS_MAX_FRAMES, 1);

	oops_print_trace(pcs, n);
}

void panic(const char *fmt, ...)
{
	static char msg[256];
	va_list ap;

	local_irq_disable();
	if (in_panic)
		arch_halt();
	in_panic = true;
	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s", msg);
	dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic ]---\n");
	if (panic_timeout < 0)
		arch_poweroff(PANIC_EXIT_CODE);
	if (panic_timeout > 0) {
		printk(KERN_EMERG "Powering off in %d seconds\n",
		       panic_timeout);
		/* The tick is not relied on here: spin on the cycle counter. */
		u64 hz = arch_cycles_hz(), t0 = arch_cycles();

		while (hz && arch_cycles() - t0 < hz * (u64)panic_timeout)
			;
		arch_poweroff(PANIC_EXIT_CODE);
	}
	arch_halt();
}

void warn_slowpath(const char *file, int line, unsigned long caller,
		   const char *fmt, ...)
{
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	printk(KERN_WARNING "WARNING: at %s:%d %pS\n", file, line,
	       (void *)caller);
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vprintk(fmt, ap);
		va_end(ap);
	}
	dump_stack();
	printk(KERN_WARNING "---[ end trace ]---\n");
}

struct arch_jmp_buf *oops_set_recovery(struct arch_jmp_buf *jb)
{
	struct arch_jmp_buf *old = recovery;

	recovery = jb;
	return old;
}

void oops_begin(void)
{
	oops_count++;
	printk(KERN_EMERG "------------[ oops #%d ]------------\n",
	       oops_count);
}

void oops_describe_address(unsigned long addr)
{
	printk(KERN_EMERG "address %p is in: %s\n", (void *)addr,
	       layout_region_name(addr));
	vmalloc_describe(addr);
}

void oops_end(const char *why)
{
	struct arch_jmp_buf *jb = recovery;

	/* Unwinding is only sound from the shell's own (process) context. */
	if (jb && !in_interrupt()) {
		recovery = NULL;
		printk(KERN_EMERG "---[ end trace: back to the shell ]---\n");
		preempt_count_reset();
		kmemtrace_unwind(); /* the calls it leaves never end */
		arch_longjmp(jb);
	}
	panic("%s%s\n", why, in_interrupt() ? " in interrupt" : "");
}
