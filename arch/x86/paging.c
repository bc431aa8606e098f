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
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define PTE_PRESENT 0x001
#define PTE_WRITE 0x002
#define PTE_GLOBAL 0x100
#define PTRS_PER_TABLE 1024
#define PGDIR_SHIFT 22
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)

extern phys_addr_t max_low_phys;
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

			if (pa < max_low_phys)
				pt[i] = pa | PTE_PRESENT | PTE_WRITE |
					PTE_GLOBAL;
		}
		kernel_pgdir[(PAGE_OFFSET + base) >> PGDIR_SHIFT] =
			(tables + t * PAGE_SIZE) | PTE_PRESENT | PTE_WRITE;
	}
	fixmap_pt = alloc_bootmem_tagged(PAGE_SIZE, PAGE_SIZE, "page tables");
	kernel_pgdir[FIXADDR_START >> PGDIR_SHIFT] = __pa(fixmap_pt) |
						     PTE_PRESENT | PTE_WRITE;
	__asm__ __volatile__("movl %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("movl %0, %%cr4" ::"r"(cr4 | 0x80)); /* PGE */
	write_cr3(dir);
	pr_info("paging: direct map of %lu MiB in %lu page tables "
		"(directory at %#llx)\n",
		(unsigned long)(max_low_phys >> 20), ntables,
		(unsigned long long)dir);
}
