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
#include <pagoda/errno.h>
#include <pagoda/pgtable.h>
#include <pagoda/pgtable_alloc.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
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

static pte_t *alloc_table(gfp_t gfp)
{
	pte_t *t = pgtable_alloc(gfp);

	if (t)
		nr_tables++;
	return t;
}

static pte_t *next_table(pte_t e)
{
	return __va((e >> 10) << PAGE_SHIFT);
}

static unsigned long pte_index(unsigned long va, int level)
{
	return (va >> LEVEL_SHIFT(level)) & (PTRS_PER_TABLE - 1);
}

/*
 * The entry for va at `level`, creating the tables above it; NULL when
 * no page is left for a table or a large page is in the way. Each table
 * counts the entries it holds, so that emptied ones can be freed.
 */
static pte_t *walk_create(unsigned long va, int level, gfp_t gfp)
{
	pte_t *table = kernel_pgd;

	for (int l = 2; l > level; l--) {
		pte_t *e = &table[pte_index(va, l)];

		if (!(*e & PTE_V)) {
			pte_t *t = alloc_table(gfp);

			if (!t)
				return NULL;
			*e = (__pa(t) >> PAGE_SHIFT) << 10 | PTE_V;
			pgtable_get(table);
		}
		if (*e & (PTE_R | PTE_W | PTE_X))
			return NULL; /* a leaf: a large page maps it */
		table = next_table(*e);
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
	pte_t *e = walk_create(va, level, GFP_KERNEL);

	BUG_ON(!e); /* boot-time mappings cannot do without */
	*e = make_leaf(pa, prot);
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

	kernel_pgd = alloc_table(GFP_KERNEL);
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
	fixmap_pte = walk_create(FIXADDR_START, 0, GFP_KERNEL);
	/* The pkmap window's tables are made now and never freed. */
	for (unsigned long va = PKMAP_BASE; va < PKMAP_END;
	     va += LEVEL_SIZE(1))
		walk_create(va, 0, GFP_KERNEL);
	root = __pa(kernel_pgd);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	csr_write(satp, SATP_SV39 | (root >> PAGE_SHIFT));
	__asm__ __volatile__("sfence.vma" ::: "memory");
	pr_info("paging: Sv39, direct map up to %#llx, %lu page-table pages "
		"(root at %#llx)\n",
		(unsigned long long)direct_map_end, nr_tables,
		(unsigned long long)root);
}

/* ---- mappings made after boot: vmalloc, ioremap, pkmap ---- */

const char *const arch_pt_limits =
	"Sv39 entries have no cache attributes without the Svpbmt extension "
	"(QEMU's default CPU lacks it): device regions are uncached by the "
	"platform's physical memory attributes, not by the page tables";

int arch_map_page(unsigned long va, phys_addr_t pa, pgprot_t prot, gfp_t gfp)
{
	u64 bits = 0;
	pte_t *e;

	if (va < 0xffffffc000000000UL || (pa & ~PAGE_MASK))
		return -EINVAL;
	e = walk_create(va, 0, gfp);
	if (!e)
		return -ENOMEM;
	if (*e & PTE_V)
		return -EEXIST;
	if (prot & PROT_READ)
		bits |= PTE_R;
	if (prot & PROT_WRITE)
		bits |= PTE_R | PTE_W;
	if (prot & PROT_EXEC)
		bits |= PTE_X;
	*e = make_leaf(pa, bits);
	pgtable_get((pte_t *)((unsigned long)e & PAGE_MASK));
	return 0;
}

static void sfence_vma(unsigned long va)
{
	__asm__ __volatile__("sfence.vma %0" ::"r"(va) : "memory");
}

bool arch_unmap_page(unsigned long va)
{
	pte_t *tables[3], *e = NULL;

	tables[2] = kernel_pgd;
	for (int l = 2; l >= 0; l--) {
		e = &tables[l][pte_index(va, l)];
		if (!(*e & PTE_V))
			return false;
		if (*e & (PTE_R | PTE_W | PTE_X)) {
			if (l)
				return false; /* a large page: not ours to cut */
			break;
		}
		if (l == 0)
			return false; /* a table pointer at the last level */
		tables[l - 1] = next_table(*e);
	}
	*e = 0;
	/* Free tables bottom-up while they empty; the root stays. */
	for (int l = 0; l < 2 && pgtable_put(tables[l]); l++) {
		tables[l + 1][pte_index(va, l + 1)] = 0;
		sfence_vma(va);
		pgtable_free(tables[l]);
	}
	return true;
}

void arch_flush_tlb_range(unsigned long start, unsigned long end)
{
	if ((end - start) >> PAGE_SHIFT > 64) {
		__asm__ __volatile__("sfence.vma" ::: "memory");
		return;
	}
	for (unsigned long va = start; va < end; va += PAGE_SIZE)
		sfence_vma(va);
}

int arch_virt_to_phys(unsigned long va, phys_addr_t *pa)
{
	pte_t *table = kernel_pgd;

	for (int l = 2; l >= 0; l--) {
		pte_t e = table[pte_index(va, l)];

		if (!(e & PTE_V))
			return -EFAULT;
		if (e & (PTE_R | PTE_W | PTE_X)) {
			*pa = ((e >> 10) << PAGE_SHIFT) +
			      (va & (LEVEL_SIZE(l) - 1));
			return 0;
		}
		table = next_table(e);
	}
	return -EFAULT;
}

static void decode(struct pt_level *l, pte_t e)
{
	static const struct {
		u64 bit;
		const char *name;
	} bits[] = {
		{ PTE_V, "V" }, { PTE_R, "R" }, { PTE_W, "W" }, { PTE_X, "X" },
		{ PTE_U, "U" }, { PTE_G, "G" }, { PTE_A, "A" }, { PTE_D, "D" },
	};
	size_t n = 0;

	l->entry = e;
	l->present = e & PTE_V;
	l->leaf = l->present && (e & (PTE_R | PTE_W | PTE_X));
	l->flags[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		if (e & bits[i].bit)
			n += scnprintf(l->flags + n, sizeof(l->flags) - n,
				       "%s%s", n ? " " : "", bits[i].name);
	}
	if (l->present && !l->leaf)
		scnprintf(l->flags + n, sizeof(l->flags) - n,
			  " (points to a table)");
}

int arch_pt_walk(unsigned long va, struct pt_level *levels, int max)
{
	static const char *const names[3] = { "L0", "L1", "L2" };
	pte_t *table = kernel_pgd;
	int n = 0;

	for (int l = 2; l >= 0 && n < max; l--) {
		struct pt_level *lv = &levels[n++];

		lv->name = names[l];
		lv->index = pte_index(va, l);
		lv->table = __pa(table);
		lv->size = LEVEL_SIZE(l);
		decode(lv, table[lv->index]);
		if (!lv->present || lv->leaf)
			break;
		table = next_table(table[lv->index]);
	}
	return n;
}
