/*
 * Sv39 page tables for the kernel: three levels of 512 entries, 4 KiB
 * pages, with 2 MiB and 1 GiB leaves possible at the upper levels.
 *
 * head.S ran the kernel on a boot table of 1 GiB pages. Here the real
 * one is built from bootmem pages: the kernel image in 4 KiB pages with
 * the permissions each part needs (text read+execute, read-only data
 * read-only, data and bss read+write: never writable and executable at
 * once), every RAM range at PAGE_OFFSET + its physical address in 2 MiB
 * pages where alignment allows, and the console UART's page.
 */
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080
#define PTRS_PER_TABLE 512
#define LEVEL_SHIFT(l) (PAGE_SHIFT + 9 * (l))
#define LEVEL_SIZE(l) (1UL << LEVEL_SHIFT(l))

typedef u64 pte_t;

pte_t *kernel_pgd;
static unsigned long nr_tables;

extern char _text[], _srodata[], _sdata[], _end[];

static pte_t *alloc_table(void)
{
	nr_tables++;
	return alloc_bootmem_tagged(PAGE_SIZE, PAGE_SIZE, "page tables");
}

static unsigned long pte_index(unsigned long va, int level)
{
	return (va >> LEVEL_SHIFT(level)) & (PTRS_PER_TABLE - 1);
}

/* The entry for va at `level`, creating the tables above it. */
static pte_t *walk_create(unsigned long va, int level)
{
	pte_t *table = kernel_pgd;

	for (int l = 2; l > level; l--) {
		pte_t *e = &table[pte_index(va, l)];

		if (!(*e & PTE_V))
			*e = (__pa(alloc_table()) >> PAGE_SHIFT) << 10 | PTE_V;
		BUG_ON(*e & (PTE_R | PTE_W | PTE_X)); /* already a leaf */
		table = __va((*e >> 10) << PAGE_SHIFT);
	}
	return &table[pte_index(va, level)];
}

static pte_t make_leaf(phys_addr_t pa, u64 prot)
{
	return (pa >> PAGE_SHIFT) << 10 | prot | PTE_V | PTE_G | PTE_A | PTE_D;
}

/* Map one leaf of the given level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB). */
static void map_leaf(unsigned long va, phys_addr_t pa, int level, u64 prot)
{
	*walk_create(va, level) = make_leaf(pa, prot);
}

/* The fixmap's last-level entries, made once at boot. */
static pte_t *fixmap_pte;

void *arch_kmap_slot(unsigned int slot, phys_addr_t pa)
{
	unsigned long va = FIXADDR_START + slot * PAGE_SIZE;

	BUG_ON(slot >= FIXADDR_PAGES);
	fixmap_pte[slot] = make_leaf(pa, PTE_R | PTE_W);
	__asm__ __volatile__("sfence.vma %0" ::"r"(va) : "memory");
	return (void *)va;
}

void arch_kunmap_slot(unsigned int slot)
{
	unsigned long va = FIXADDR_START + slot * PAGE_SIZE;

	BUG_ON(slot >= FIXADDR_PAGES);
	fixmap_pte[slot] = 0;
	__asm__ __volatile__("sfence.vma %0" ::"r"(va) : "memory");
}

static void map_range(unsigned long va, phys_addr_t pa, u64 size, u64 prot)
{
	u64 end = va + size;

	va = ALIGN_DOWN(va, PAGE_SIZE);
	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	while (va < end) {
		int level = 0;

		if (IS_ALIGNED(va, LEVEL_SIZE(1)) &&
		    IS_ALIGNED(pa, LEVEL_SIZE(1)) && end - va >= LEVEL_SIZE(1))
			level = 1;
		map_leaf(va, pa, level, prot);
		va += LEVEL_SIZE(level);
		pa += LEVEL_SIZE(level);
	}
}

static void map_kernel_part(char *start, char *end, u64 prot)
{
	map_range((unsigned long)start, __pa(start), end - start, prot);
}

void paging_init(void)
{
	phys_addr_t root;

	kernel_pgd = alloc_table();
	map_kernel_part(_text, _srodata, PTE_R | PTE_X);
	map_kernel_part(_srodata, _sdata, PTE_R);
	map_kernel_part(_sdata, _end, PTE_R | PTE_W);
	for (int i = 0; i < bootmem_nr_memory(); i++) {
		const struct bootmem_region *r = bootmem_memory(i);
		phys_addr_t end = min(r->base + r->size, direct_map_end);

		if (r->base < end)
			map_range((unsigned long)__va(r->base), r->base,
				  end - r->base, PTE_R | PTE_W);
	}
	if (uart_phys)
		map_range((unsigned long)__va(uart_phys), uart_phys, PAGE_SIZE,
			  PTE_R | PTE_W);
	if (test_dev_phys)
		map_range((unsigned long)__va(test_dev_phys), test_dev_phys,
			  PAGE_SIZE, PTE_R | PTE_W);
	/* FIXADDR_START is 2 MiB aligned: its slots share one table. */
	fixmap_pte = walk_create(FIXADDR_START, 0);
	root = __pa(kernel_pgd);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	csr_write(satp, SATP_SV39 | (root >> PAGE_SHIFT));
	__asm__ __volatile__("sfence.vma" ::: "memory");
	pr_info("paging: Sv39, direct map up to %#llx, %lu page-table pages "
		"(root at %#llx)\n",
		(unsigned long long)direct_map_end, nr_tables,
		(unsigned long long)root);
}
