/*
 * i386 odds and ends behind include/pagoda/arch.h: idling, power off,
 * stack walking, the layout table and what the CPU says about itself.
 */
#include <asm/io.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
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

/* Frame layout with frame pointers: [ebp] = caller's ebp, [ebp+4] = ra. */
static __noinline int walk(unsigned long fp, unsigned long *pcs, int max, int skip)
{
	int n = 0;

	while (n < max && on_stack(fp)) {
		unsigned long ra = ((unsigned long *)fp)[1];
		unsigned long next = ((unsigned long *)fp)[0];

		if (!ra)
			break;
		if (skip > 0)
			skip--;
		else
			pcs[n++] = ra;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

int arch_stack_walk(unsigned long *pcs, int max, int skip)
{
	return walk((unsigned long)__builtin_frame_address(0), pcs, max, skip);
}

int arch_stack_walk_regs(const struct pt_regs *regs, unsigned long *pcs,
			 int max)
{
	if (max < 1)
		return 0;
	pcs[0] = regs->eip;
	return 1 + walk(regs->ebp, pcs + 1, max - 1, 0);
}

static struct layout_region layout[12];
static int nr_layout;

static void add_region(unsigned long start, unsigned long end,
		       const char *name)
{
	layout[nr_layout].start = start;
	layout[nr_layout].end = end;
	layout[nr_layout].name = name;
	nr_layout++;
}

void x86_layout_init(void)
{
	unsigned long high = PAGE_OFFSET + max_low_phys;
	unsigned long vmalloc_start = high + VMALLOC_OFFSET;

	nr_layout = 0;
	add_region(0, PAGE_SIZE, "NULL page (never mapped)");
	add_region(PAGE_SIZE, PAGE_OFFSET, "user space (unused: no mappings)");
	add_region(PAGE_OFFSET, (unsigned long)_text,
		   "direct map (low memory)");
	add_region((unsigned long)_text, (unsigned long)_end, "kernel image");
	add_region((unsigned long)_end, high, "direct map (low memory)");
	add_region(high, vmalloc_start, "gap after the direct map");
	add_region(vmalloc_start, VMALLOC_END, "vmalloc area");
	add_region(VMALLOC_END, PKMAP_BASE, "guard pages");
	add_region(PKMAP_BASE, PKMAP_END, "pkmap (kmap)");
	add_region(PKMAP_END, FIXADDR_START, "unused");
	add_region(FIXADDR_START, FIXADDR_TOP, "fixmap (kmap_atomic)");
	add_region(FIXADDR_TOP, 0, "top guard page");
}

const struct layout_region *arch_layout(int *count)
{
	*count = nr_layout;
	return layout;
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
