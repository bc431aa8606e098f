/*
 * The host's page tables: a stand-in for the mapping half of
 * arch/<arch>/paging.c (include/pagoda/pgtable.h), for the vmalloc and
 * ioremap tests (tests/host/test_vmalloc.c).
 *
 * No CPU walks these tables, but they are built the way the arch builds
 * its own: two levels, the table pages taken from pgtable_alloc() (real
 * pages of the page allocator once it runs), counted with pgtable_get()
 * and pgtable_put(), and given back with pgtable_free() when they empty.
 *
 *   directory   1024 u32 entries, one page from bootmem (built before
 *               mem_init, so it stays, like a boot-time top level); an
 *               entry is the physical address of a table | FAKE_PRESENT
 *   table       512 u64 entries, one page from pgtable_alloc(); an entry
 *               is the physical address of a page | FAKE_* bits
 *
 * A table maps 2 MiB. The fake span is the pretend vmalloc area of
 * tests/host/include/asm/page.h (directory entries 0..511) and the pkmap
 * window (entries 512 and 513); anything else is -EINVAL.
 *
 * Those pretend addresses are not host memory: tests read and write
 * through them with fake_read() and fake_write(), which translate with
 * arch_virt_to_phys() and then go to host_phys_base + pa.
 */
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/pgtable.h>
#include <pagoda/pgtable_alloc.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <stdio.h>

#define FAKE_PRESENT 0x1
#define FAKE_WRITE   0x2
#define FAKE_EXEC    0x4
#define FAKE_NOCACHE 0x8
#define FAKE_FLAGS   0xfffULL

#define TABLE_SHIFT    21 /* one table maps 2 MiB */
#define TABLE_SIZE     (1UL << TABLE_SHIFT)
#define PTRS_PER_TABLE (PAGE_SIZE / sizeof(u64))
#define DIR_ENTRIES    (PAGE_SIZE / sizeof(u32))
#define VMALLOC_DIRS   ((VMALLOC_END - VMALLOC_START) >> TABLE_SHIFT)
#define PKMAP_END      (PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)

_Static_assert(VMALLOC_DIRS + ((PKMAP_END - PKMAP_BASE) >> TABLE_SHIFT) <=
		       DIR_ENTRIES,
	       "the fake span does not fit one directory page");

static u32 *fake_dir;

/* For the tests: how often and how much the TLB was flushed. */
unsigned long fake_flush_calls, fake_flush_pages;

const char *const arch_pt_limits =
	"host: a pretend two-level table; nothing walks it but the tests, "
	"so protections are recorded and never enforced (fake_write only "
	"refuses read-only pages)";

/* The directory entry that covers va; false if va is not in the span. */
static bool dir_index(unsigned long va, unsigned int *idx)
{
	if (va >= VMALLOC_START && va < VMALLOC_END) {
		*idx = (va - VMALLOC_START) >> TABLE_SHIFT;
		return true;
	}
	if (va >= PKMAP_BASE && va < PKMAP_END) {
		*idx = VMALLOC_DIRS + ((va - PKMAP_BASE) >> TABLE_SHIFT);
		return true;
	}
	return false;
}

static unsigned int pte_index(unsigned long va)
{
	return (va >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
}

static u64 *table_of(u32 de)
{
	return __va(de & PAGE_MASK);
}

/* The leaf entry for va, or NULL when no table covers it. */
static u64 *pte_of(unsigned long va)
{
	unsigned int i;

	if (!fake_dir || !dir_index(va, &i) || !(fake_dir[i] & FAKE_PRESENT))
		return NULL;
	return &table_of(fake_dir[i])[pte_index(va)];
}

/*
 * A new, empty directory; the old tables are forgotten (the test boots a
 * new page allocator over them). Call it before mem_init(), so that the
 * directory comes from bootmem, as the arch's does.
 */
void fake_pgtable_reset(void)
{
	fake_dir = pgtable_alloc(GFP_KERNEL);
	fake_flush_calls = fake_flush_pages = 0;
}

int arch_map_page(unsigned long va, phys_addr_t pa, pgprot_t prot, gfp_t gfp)
{
	u64 *table, *pte;
	unsigned int i;

	if (!fake_dir || !dir_index(va, &i) || (va & ~PAGE_MASK) ||
	    (pa & ~(phys_addr_t)PAGE_MASK))
		return -EINVAL;
	if (!(fake_dir[i] & FAKE_PRESENT)) {
		table = pgtable_alloc(gfp);
		if (!table)
			return -ENOMEM;
		fake_dir[i] = (u32)__pa(table) | FAKE_PRESENT;
	}
	table = table_of(fake_dir[i]);
	pte = &table[pte_index(va)];
	if (*pte & FAKE_PRESENT)
		return -EEXIST;
	*pte = (u64)pa | FAKE_PRESENT | (prot & PROT_WRITE ? FAKE_WRITE : 0) |
	       (prot & PROT_EXEC ? FAKE_EXEC : 0) |
	       (prot & PROT_NOCACHE ? FAKE_NOCACHE : 0);
	pgtable_get(table);
	return 0;
}

bool arch_unmap_page(unsigned long va)
{
	u64 *pte = pte_of(va & PAGE_MASK);
	unsigned int i;

	if (!pte || !(*pte & FAKE_PRESENT))
		return false;
	*pte = 0;
	dir_index(va, &i);
	if (pgtable_put(table_of(fake_dir[i]))) {
		u64 *table = table_of(fake_dir[i]);

		fake_dir[i] = 0;
		pgtable_free(table);
	}
	return true;
}

void arch_flush_tlb_range(unsigned long start, unsigned long end)
{
	fake_flush_calls++;
	fake_flush_pages += (end - start) >> PAGE_SHIFT;
}

int arch_virt_to_phys(unsigned long va, phys_addr_t *pa)
{
	u64 *pte = pte_of(va);

	if (!pte || !(*pte & FAKE_PRESENT))
		return -EFAULT;
	*pa = (*pte & ~FAKE_FLAGS) | (va & ~PAGE_MASK);
	return 0;
}

static void decode(struct pt_level *l, u64 e, bool leaf)
{
	size_t n = 0;

	l->entry = e;
	l->present = e & FAKE_PRESENT;
	l->leaf = l->present && leaf;
	l->flags[0] = '\0';
	if (!l->present)
		return;
	n += scnprintf(l->flags, sizeof(l->flags), "present");
	if (!leaf)
		return;
	n += scnprintf(l->flags + n, sizeof(l->flags) - n, "%s",
		       e & FAKE_WRITE ? " writable" : " read-only");
	if (e & FAKE_EXEC)
		n += scnprintf(l->flags + n, sizeof(l->flags) - n, " exec");
	if (e & FAKE_NOCACHE)
		scnprintf(l->flags + n, sizeof(l->flags) - n, " uncached");
}

int arch_pt_walk(unsigned long va, struct pt_level *levels, int max)
{
	unsigned int i;

	if (max < 2 || !fake_dir || !dir_index(va, &i))
		return 0;
	levels[0].name = "DIR";
	levels[0].index = i;
	levels[0].table = __pa(fake_dir);
	levels[0].size = TABLE_SIZE;
	decode(&levels[0], fake_dir[i], false);
	if (!levels[0].present)
		return 1;
	levels[1].name = "PTE";
	levels[1].index = pte_index(va);
	levels[1].table = fake_dir[i] & PAGE_MASK;
	levels[1].size = PAGE_SIZE;
	decode(&levels[1], table_of(fake_dir[i])[pte_index(va)], true);
	return 2;
}

/* ---- for the tests ---- */

/* Tables in use now (directory entries present). */
unsigned long fake_pgtable_tables(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; fake_dir && i < DIR_ENTRIES; i++)
		n += fake_dir[i] & FAKE_PRESENT;
	return n;
}

/*
 * Walk every table: each must be a PG_pgtable page whose _mapcount is
 * the number of its present entries, and not empty. Returns the pages
 * mapped in all, or -1 (after saying why on stderr).
 */
long fake_pgtable_check(void)
{
	long mapped = 0;

	for (unsigned int i = 0; fake_dir && i < DIR_ENTRIES; i++) {
		struct page *page;
		u64 *table;
		int n = 0;

		if (!(fake_dir[i] & FAKE_PRESENT))
			continue;
		table = table_of(fake_dir[i]);
		page = virt_to_page(table);
		for (unsigned int j = 0; j < PTRS_PER_TABLE; j++)
			n += table[j] & FAKE_PRESENT;
		if (!PagePgtable(page) || page->_mapcount != n || !n) {
			fprintf(stderr,
				"  fake_pgtable: table %u: PG_pgtable %d, "
				"_mapcount %d, %d entries present\n",
				i, PagePgtable(page), page->_mapcount, n);
			return -1;
		}
		mapped += n;
	}
	return mapped;
}

/* The host address behind va, or NULL when va is not mapped. */
void *fake_host_addr(unsigned long va)
{
	phys_addr_t pa;

	if (arch_virt_to_phys(va, &pa))
		return NULL;
	return host_phys_base + pa;
}

/* Copy between the host and pretend addresses, a page at a time:
 * 0, -EFAULT (some page not mapped) or -EPERM (writing a read-only page). */
static int fake_copy(unsigned long va, void *buf, unsigned long len, bool write)
{
	char *b = buf;

	while (len) {
		unsigned long chunk = PAGE_SIZE - (va & ~PAGE_MASK);
		u64 *pte = pte_of(va);

		if (!pte || !(*pte & FAKE_PRESENT))
			return -EFAULT;
		if (write && !(*pte & FAKE_WRITE))
			return -EPERM;
		if (chunk > len)
			chunk = len;
		if (write)
			memcpy(fake_host_addr(va), b, chunk);
		else
			memcpy(b, fake_host_addr(va), chunk);
		va += chunk;
		b += chunk;
		len -= chunk;
	}
	return 0;
}

int fake_read(unsigned long va, void *buf, unsigned long len)
{
	return fake_copy(va, buf, len, false);
}

int fake_write(unsigned long va, const void *buf, unsigned long len)
{
	return fake_copy(va, (void *)buf, len, true);
}
