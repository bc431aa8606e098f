/*
 * Kernel page tables, the arch interface (arch/<arch>/paging.c).
 *
 * Everything that builds mappings rather than using the direct map
 * (vmalloc, ioremap, kmap) goes through these: map or unmap one page
 * with a protection, flush the TLB, and walk the tables for an address.
 * Page-table pages come from the page allocator and go back to it when
 * they empty; the ones built at boot from bootmem stay.
 */
#ifndef PAGODA_PGTABLE_H
#define PAGODA_PGTABLE_H

#include <pagoda/gfp.h>
#include <pagoda/types.h>

/* Protections, in the arch's terms only inside the arch. */
typedef unsigned long pgprot_t;
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_NOCACHE 0x8 /* device registers */

#define PAGE_KERNEL (PROT_READ | PROT_WRITE)
#define PAGE_KERNEL_RO PROT_READ
#define PAGE_KERNEL_EXEC (PROT_READ | PROT_WRITE | PROT_EXEC)
#define PAGE_KERNEL_NOCACHE (PROT_READ | PROT_WRITE | PROT_NOCACHE)

/* 0, -ENOMEM (no page for a table), -EEXIST (already mapped), -EINVAL. */
int arch_map_page(unsigned long va, phys_addr_t pa, pgprot_t prot, gfp_t gfp);
/*
 * Remove the mapping of va (if any) and free page tables it emptied;
 * returns whether something was mapped. The TLB is not flushed: flush
 * the whole range once with arch_flush_tlb_range.
 */
bool arch_unmap_page(unsigned long va);
void arch_flush_tlb_range(unsigned long start, unsigned long end);
/* The physical address va maps to: 0, or -EFAULT when unmapped. */
int arch_virt_to_phys(unsigned long va, phys_addr_t *pa);

/* One level of a walk, decoded by the arch for the `pt` command. */
struct pt_level {
	const char *name;  /* "PDE", "PTE", "L2" ... */
	unsigned int index;
	phys_addr_t table; /* physical address of the table read */
	u64 entry;
	bool present;
	bool leaf;	   /* maps memory here (a page or a large page) */
	unsigned long size; /* bytes one leaf entry maps at this level */
	char flags[64];	   /* "present writable global ..." */
};
int arch_pt_walk(unsigned long va, struct pt_level *levels, int max);
/* What this arch's entries cannot say (printed by `pt` and the docs). */
extern const char *const arch_pt_limits;

#endif
