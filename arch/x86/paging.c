/*
 * i386 page tables for the kernel (two levels, 4 KiB pages, no PAE).
 *
 * head.S started the kernel on a boot directory of 4 MiB pages. Here the
 * real direct map is built: one page directory and, for every 4 MiB of
 * low memory, a page table of 1024 entries, all taken from bootmem. Every
 * page of low memory, holes included, maps at PAGE_OFFSET + its physical
 * address, global so a CR3 reload keeps it in the TLB. Nothing is mapped
 * below PAGE_OFFSET, so a NULL pointer faults.
 */
#include <asm/page.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/pgtable.h>
#include <pagoda/pgtable_alloc.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define PTE_PRESENT 0x001
#define PTE_WRITE 0x002
#define PTE_USER 0x004
#define PTE_PWT 0x008
#define PTE_PCD 0x010
#define PTE_ACCESSED 0x020
#define PTE_DIRTY 0x040
#define PTE_PS 0x080
#define PTE_GLOBAL 0x100
#define PTRS_PER_TABLE 1024
#define PGDIR_SHIFT 22
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)

extern phys_addr_t max_low_phys;
extern char _text[], _sdata[];
u32 *kernel_pgdir;
/* The page table behind the fixmap (the last 4 MiB of the address space). */
static u32 *fixmap_pt;

static void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" ::"r"(va) : "memory");
}

void *arch_kmap_slot(unsigned int slot, phys_addr_t pa)
{
	unsigned long va = FIXADDR_START + slot * PAGE_SIZE;

	BUG_ON(slot >= FIXADDR_PAGES);
	fixmap_pt[(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)] =
		pa | PTE_PRESENT | PTE_WRITE;
	invlpg(va);
	return (void *)va;
}

void arch_kunmap_slot(unsigned int slot)
{
	unsigned long va = FIXADDR_START + slot * PAGE_SIZE;

	BUG_ON(slot >= FIXADDR_PAGES);
	fixmap_pt[(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)] = 0;
	invlpg(va);
}

void paging_init(void)
{
	unsigned long ntables = DIV_ROUND_UP(max_low_phys, PGDIR_SIZE);
	phys_addr_t dir = __pa(alloc_bootmem_tagged(PAGE_SIZE, PAGE_SIZE,
						    "page tables"));
	phys_addr_t tables = __pa(alloc_bootmem_tagged(ntables * PAGE_SIZE,
						       PAGE_SIZE,
						       "page tables"));
	unsigned long cr4;

	kernel_pgdir = __va(dir);
	for (unsigned long t = 0; t < ntables; t++) {
		u32 *pt = __va(tables + t * PAGE_SIZE);
		phys_addr_t base = t * PGDIR_SIZE;

		for (int i = 0; i < PTRS_PER_TABLE; i++) {
			phys_addr_t pa = base + (phys_addr_t)i * PAGE_SIZE;

			if (pa >= max_low_phys)
				continue;
			pt[i] = pa | PTE_PRESENT | PTE_GLOBAL;
			/* Kernel text and read-only data stay read-only
			 * (CR0.WP makes that hold for the kernel too). */
			if (pa < __pa(_text) || pa >= __pa(_sdata))
				pt[i] |= PTE_WRITE;
		}
		kernel_pgdir[(PAGE_OFFSET + base) >> PGDIR_SHIFT] =
			(tables + t * PAGE_SIZE) | PTE_PRESENT | PTE_WRITE;
	}
	fixmap_pt = alloc_bootmem_tagged(PAGE_SIZE, PAGE_SIZE, "page tables");
	kernel_pgdir[FIXADDR_START >> PGDIR_SHIFT] = __pa(fixmap_pt) |
						     PTE_PRESENT | PTE_WRITE;
	/* The pkmap window's table is permanent too: kmap never has to
	 * find a page for it. */
	kernel_pgdir[PKMAP_BASE >> PGDIR_SHIFT] =
		__pa(alloc_bootmem_tagged(PAGE_SIZE, PAGE_SIZE,
					  "page tables")) |
		PTE_PRESENT | PTE_WRITE;
	__asm__ __volatile__("movl %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("movl %0, %%cr4" ::"r"(cr4 | 0x80)); /* PGE */
	write_cr3(dir);
	pr_info("paging: direct map of %lu MiB in %lu page tables "
		"(directory at %#llx)\n",
		(unsigned long)(max_low_phys >> 20), ntables,
		(unsigned long long)dir);
}

/* ---- mappings made after boot: vmalloc, ioremap, pkmap ---- */

const char *const arch_pt_limits =
	"i386 without PAE has no no-execute bit: every present page is "
	"executable; write-through and cache-disable (PWT, PCD) are all the "
	"memory types it can name";

static u32 pte_bits(pgprot_t prot)
{
	u32 v = PTE_PRESENT | PTE_GLOBAL;

	if (prot & PROT_WRITE)
		v |= PTE_WRITE;
	if (prot & PROT_NOCACHE)
		v |= PTE_PCD | PTE_PWT;
	return v;
}

static u32 *pte_table(u32 pde)
{
	return __va(pde & PAGE_MASK);
}

int arch_map_page(unsigned long va, phys_addr_t pa, pgprot_t prot, gfp_t gfp)
{
	u32 *pde = &kernel_pgdir[va >> PGDIR_SHIFT];
	u32 *pt, *pte;

	if (va < PAGE_OFFSET || (pa & ~PAGE_MASK) || pa >= (1ULL << 32))
		return -EINVAL;
	if (!(*pde & PTE_PRESENT)) {
		pt = pgtable_alloc(gfp);
		if (!pt)
			return -ENOMEM;
		*pde = __pa(pt) | PTE_PRESENT | PTE_WRITE;
	} else if (*pde & PTE_PS) {
		return -EEXIST;
	}
	pt = pte_table(*pde);
	pte = &pt[(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)];
	if (*pte & PTE_PRESENT)
		return -EEXIST;
	*pte = (u32)pa | pte_bits(prot);
	pgtable_get(pt);
	return 0;
}

bool arch_unmap_page(unsigned long va)
{
	u32 *pde = &kernel_pgdir[va >> PGDIR_SHIFT];
	u32 *pt, *pte;

	if (!(*pde & PTE_PRESENT) || (*pde & PTE_PS))
		return false;
	pt = pte_table(*pde);
	pte = &pt[(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)];
	if (!(*pte & PTE_PRESENT))
		return false;
	*pte = 0;
	if (pgtable_put(pt)) {
		*pde = 0;
		/* No walk may still see the table once it is reused. */
		invlpg(va);
		pgtable_free(pt);
	}
	return true;
}

/* Global entries survive a CR3 reload; toggling CR4.PGE drops them all. */
void arch_flush_tlb_range(unsigned long start, unsigned long end)
{
	unsigned long cr4;

	if ((end - start) >> PAGE_SHIFT <= 64) {
		for (unsigned long va = start; va < end; va += PAGE_SIZE)
			invlpg(va);
		return;
	}
	__asm__ __volatile__("movl %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("movl %0, %%cr4" ::"r"(cr4 & ~0x80) : "memory");
	__asm__ __volatile__("movl %0, %%cr4" ::"r"(cr4) : "memory");
}

int arch_virt_to_phys(unsigned long va, phys_addr_t *pa)
{
	u32 pde = kernel_pgdir[va >> PGDIR_SHIFT], pte;

	if (!(pde & PTE_PRESENT))
		return -EFAULT;
	if (pde & PTE_PS) {
		*pa = (pde & 0xffc00000) | (va & (PGDIR_SIZE - 1));
		return 0;
	}
	pte = pte_table(pde)[(va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1)];
	if (!(pte & PTE_PRESENT))
		return -EFAULT;
	*pa = (pte & PAGE_MASK) | (va & ~PAGE_MASK);
	return 0;
}

static void decode(struct pt_level *l, u32 e, bool pde)
{
	static const struct {
		u32 bit;
		const char *name;
	} bits[] = {
		{ PTE_PRESENT, "present" }, { PTE_WRITE, "writable" },
		{ PTE_USER, "user" },	    { PTE_PWT, "write-through" },
		{ PTE_PCD, "uncached" },    { PTE_ACCESSED, "accessed" },
		{ PTE_DIRTY, "dirty" },	    { PTE_GLOBAL, "global" },
	};
	size_t n = 0;

	l->entry = e;
	l->present = e & PTE_PRESENT;
	l->flags[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if (bits[i].bit == PTE_GLOBAL && pde && !(e & PTE_PS))
			continue; /* ignored in a directory entry */
		if (e & bits[i].bit)
			n += scnprintf(l->flags + n, sizeof(l->flags) - n,
				       "%s%s", n ? " " : "", bits[i].name);
	}
	if (!(e & PTE_WRITE) && l->present)
		scnprintf(l->flags + n, sizeof(l->flags) - n, " read-only");
}

int arch_pt_walk(unsigned long va, struct pt_level *levels, int max)
{
	u32 pde = kernel_pgdir[va >> PGDIR_SHIFT];

	if (max < 2)
		return 0;
	levels[0].name = "PDE";
	levels[0].index = va >> PGDIR_SHIFT;
	levels[0].table = __pa(kernel_pgdir);
	levels[0].size = PGDIR_SIZE;
	decode(&levels[0], pde, true);
	levels[0].leaf = levels[0].present && (pde & PTE_PS);
	if (!levels[0].present || levels[0].leaf)
		return 1;
	levels[1].name = "PTE";
	levels[1].index = (va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
	levels[1].table = pde & PAGE_MASK;
	levels[1].size = PAGE_SIZE;
	decode(&levels[1], pte_table(pde)[levels[1].index], false);
	levels[1].leaf = levels[1].present;
	return 2;
}
