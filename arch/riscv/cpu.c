/*
 * riscv64 odds and ends behind include/pagoda/arch.h: idling, power off,
 * stack walking, the layout table and what the device tree says about
 * the CPU.
 */
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/ptrace.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/layout.h>
#include <pagoda/stacktrace.h>
#include <pagoda/bootmem.h>
#include <pagoda/seq_file.h>

extern char boot_stack_bottom[], boot_stack_top[];
extern char _text[], _etext[], _end[];
extern const char *cpu_isa, *cpu_mmu;

const char *arch_name(void)
{
	return "riscv64";
}

void arch_idle(void)
{
	/*
	 * Called with SIE clear: wfi still returns on an interrupt that is
	 * pending but masked, which is then taken as SIE is set. No lost
	 * wakeup, as sti; hlt on x86.
	 */
	__asm__ __volatile__("wfi" ::: "memory");
	csr_set(sstatus, SSTATUS_SIE);
}

/*
 * Code 0 is an ordinary SBI shutdown. Any other code goes to QEMU's
 * SiFive test device ("sifive,test0"), which exits with that status,
 * so tests can tell a failure from a clean stop.
 */
void *test_dev;

void arch_poweroff(int code)
{
	void *dev = test_dev ? test_dev :
		    test_dev_phys ? __va(test_dev_phys) : NULL;

	csr_clear(sstatus, SSTATUS_SIE);
	if (code && dev)
		*(volatile u32 *)dev = 0x3333 | (code << 16);
	sbi_shutdown(code != 0);
}

void arch_halt(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	for (;;)
		__asm__ __volatile__("wfi");
}

static bool on_stack(unsigned long fp)
{
	return fp >= (unsigned long)boot_stack_bottom + 16 &&
	       fp <= (unsigned long)boot_stack_top && !(fp & 7);
}

/* With frame pointers: fp is the caller's sp; ra at fp-8, old fp at fp-16. */
bool arch_unwind_frame(unsigned long fp, unsigned long *ra,
		       unsigned long *next)
{
	if (!on_stack(fp))
		return false;
	*ra = ((unsigned long *)fp)[-1];
	*next = ((unsigned long *)fp)[-2];
	return true;
}

static bool is_text(unsigned long addr)
{
	return addr >= (unsigned long)_text && addr < (unsigned long)_etext;
}

/*
 * A leaf function saves no ra: its frame holds only the caller's fp, at
 * fp-8 where ra would be. When that slot holds a stack address rather
 * than a text address, the trapped function was a leaf and its caller
 * is still in the ra register.
 */
int arch_stack_walk_regs(const struct pt_regs *regs, unsigned long *pcs,
			 int max)
{
	unsigned long fp = regs->regs[PT_FP];
	int n = 0;

	if (max < 2)
		return 0;
	pcs[n++] = regs->sepc;
	if (on_stack(fp) && !is_text(((unsigned long *)fp)[-1]) &&
	    on_stack(((unsigned long *)fp)[-1])) {
		pcs[n++] = regs->regs[PT_RA];
		fp = ((unsigned long *)fp)[-1];
	}
	return n + stack_walk_from(fp, pcs + n, max - n, 0);
}

void arch_layout_init(void)
{
	unsigned long dm_start = PAGE_OFFSET + bootmem_memory(0)->base;
	unsigned long dm_end = PAGE_OFFSET + direct_map_end;

	layout_reset();
	layout_add(0, PAGE_SIZE, "NULL page (never mapped)");
	layout_add(PAGE_SIZE, 0x4000000000UL,
		   "user space (unused: no mappings)");
	layout_add(0x4000000000UL, 0xffffffc000000000UL,
		   "non-canonical hole (Sv39)");
	layout_add(0xffffffc000000000UL, PKMAP_BASE, "unused");
	layout_add(PKMAP_BASE, PKMAP_END, "pkmap (kmap)");
	layout_add(PKMAP_END, FIXADDR_START, "unused");
	layout_add(FIXADDR_START, FIXADDR_TOP, "fixmap (kmap_atomic)");
	layout_add(FIXADDR_TOP, VMALLOC_START, "unused");
	layout_add(VMALLOC_START, VMALLOC_END, "vmalloc area");
	layout_add(VMALLOC_END, PAGE_OFFSET, "gap before the direct map");
	layout_add(PAGE_OFFSET, dm_start, "direct map (no RAM here: unmapped)");
	layout_add(dm_start, dm_end, "direct map");
	layout_add(dm_end, (unsigned long)_text, "unused");
	layout_add((unsigned long)_text, (unsigned long)_end, "kernel image");
	layout_add((unsigned long)_end, 0, "unused");
}

void arch_show_cpu(struct seq_file *m)
{
	u64 hz = arch_cycles_hz();

	seq_printf(m, "processor\t: 0\nhart\t\t: %lu\nisa\t\t: %s\n"
		      "mmu\t\t: %s (running Sv39)\ntimebase\t: %llu Hz\n",
		   boot_hartid, cpu_isa, cpu_mmu, (unsigned long long)hz);
}
