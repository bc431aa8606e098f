/*
 * i386 odds and ends behind include/pagoda/arch.h: idling, power off,
 * stack walking, the layout table and what the CPU says about itself.
 */
#include <asm/io.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
#include <pagoda/layout.h>
#include <pagoda/stacktrace.h>
#include <pagoda/seq_file.h>

extern char boot_stack_bottom[], boot_stack_top[];
extern char _text[], _end[];
extern phys_addr_t max_low_phys;

const char *arch_name(void)
{
	return "i386";
}

void arch_idle(void)
{
	/* sti takes effect after the next instruction: no lost wakeup. */
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

/*
 * QEMU's isa-debug-exit device (port 0xf4) makes QEMU exit with status
 * (code << 1) | 1. Without it, try the PIIX4 ACPI power-off port QEMU's
 * pc machine has, then give up and halt.
 */
void arch_poweroff(int code)
{
	__asm__ __volatile__("cli");
	outb(0xf4, code);
	outw(0x604, 0x2000);
	arch_halt();
}

void arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

static bool on_stack(unsigned long fp)
{
	return fp >= (unsigned long)boot_stack_bottom &&
	       fp + 8 <= (unsigned long)boot_stack_top && !(fp & 3);
}

/* With frame pointers: [ebp] = caller's ebp, [ebp+4] = return address. */
bool arch_unwind_frame(unsigned long fp, unsigned long *ra,
		       unsigned long *next)
{
	if (!on_stack(fp))
		return false;
	*ra = ((unsigned long *)fp)[1];
	*next = ((unsigned long *)fp)[0];
	return true;
}

int arch_stack_walk_regs(const struct pt_regs *regs, unsigned long *pcs,
			 int max)
{
	if (max < 1)
		return 0;
	pcs[0] = regs->eip;
	return 1 + stack_walk_from(regs->ebp, pcs + 1, max - 1, 0);
}

void arch_layout_init(void)
{
	unsigned long high = PAGE_OFFSET + max_low_phys;
	unsigned long vmalloc_start = high + VMALLOC_OFFSET;

	layout_reset();
	layout_add(0, PAGE_SIZE, "NULL page (never mapped)");
	layout_add(PAGE_SIZE, PAGE_OFFSET, "user space (unused: no mappings)");
	layout_add(PAGE_OFFSET, (unsigned long)_text,
		   "direct map (low memory)");
	layout_add((unsigned long)_text, (unsigned long)_end, "kernel image");
	layout_add((unsigned long)_end, high, "direct map (low memory)");
	layout_add(high, vmalloc_start, "gap after the direct map");
	layout_add(vmalloc_start, VMALLOC_END, "vmalloc area");
	layout_add(VMALLOC_END, PKMAP_BASE, "guard pages");
	layout_add(PKMAP_BASE, PKMAP_END, "pkmap (kmap)");
	layout_add(PKMAP_END, FIXADDR_START, "unused");
	layout_add(FIXADDR_START, FIXADDR_TOP, "fixmap (kmap_atomic)");
	layout_add(FIXADDR_TOP, 0, "top guard page");
}

static void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(0));
}

void arch_show_cpu(struct seq_file *m)
{
	u32 r[12], a, b, c, d;
	u64 hz = arch_cycles_hz();

	cpuid(0, &a, &b, &c, &d);
	r[0] = b;
	r[1] = d;
	r[2] = c;
	r[3] = 0;
	seq_printf(m, "processor\t: 0\nvendor_id\t: %s\n", (char *)r);
	cpuid(1, &a, &b, &c, &d);
	seq_printf(m, "cpu family\t: %u\nmodel\t\t: %u\nflags\t\t: %s%s%s%s\n",
		   (a >> 8) & 0xf, (a >> 4) & 0xf, d & (1 << 3) ? "pse " : "",
		   d & (1 << 4) ? "tsc " : "", d & (1 << 6) ? "pae " : "",
		   d & (1 << 13) ? "pge" : "");
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000004) {
		for (u32 i = 0; i < 3; i++)
			cpuid(0x80000002 + i, &r[i * 4], &r[i * 4 + 1],
			      &r[i * 4 + 2], &r[i * 4 + 3]);
		seq_printf(m, "model name\t: %.48s\n", (char *)r);
	}
	seq_printf(m, "cpu MHz\t\t: %llu.%03llu\n", hz / 1000000,
		   (hz / 1000) % 1000);
}
