/*
 * Host tests of the zoned buddy allocator: mm/page_alloc.c with
 * mm/mm_init.c (built from bootmem exactly as the kernel does it),
 * mm/highmem.c, mm/gfp.c and mm/vmstat.c, on a fake physical memory arena.
 *
 * The random_ops tests run thousands of random allocations (every entry
 * point, orders 0-10, random GFP masks, every node) and frees (every free
 * function, extra references, drains) on six memory layouts - one node
 * with holes, three nodes, no HIGHMEM, tiny unaligned zones, no DMA zone,
 * a memoryless node - against a reference model that knows for every page frame
 * whether it is reserved, free, or part of which allocated block. After every
 * step each buddy list and per-CPU list is walked and checked against the
 * model, and each allocation is checked for alignment, zone (never upward),
 * zeroing, and for success or failure wherever the watermark rules decide it.
 *
 * The other tests cover the layout mem_init() builds, coalescing back to
 * the boot-time state, the watermarks (min, __GFP_HIGH, atomic,
 * __GFP_NOFAIL, the per-order rule), the per-CPU hot/cold lists, every
 * kind of bad free (reported, lists left exactly as they were), refcounts,
 * might_sleep, shrinkers, GFP names, and /proc/buddyinfo and zoneinfo.
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>
#include <pagoda/proc.h>
#include <pagoda/seq_file.h>
#include <stdarg.h>
#include <sys/mman.h>

#include "../../mm/internal.h"
#include "shim.h"
#include "test.h"

#define MiB	    (1ULL << 20)
#define ARENA_SIZE  (64 * MiB)
#define ARENA_PAGES (ARENA_SIZE >> PAGE_SHIFT)
#define BIG_SIZE    (1024 * MiB + 16 * MiB)
#define NZONES	    (MAX_NUMNODES * MAX_NR_ZONES)
#define MAX_RANGES  4
#define STEPS	    2500
#define SIG	    0x5a6e5a6e00000000ULL

extern const struct proc_table __start_pagoda_proc[], __stop_pagoda_proc[];

/* ---- memory layouts ---- */

struct range {
	u64 base, size;
	int nid;
};

struct layout {
	const char *name;
	struct range ram[MAX_RANGES]; /* a zero size ends the list */
	struct range res[MAX_RANGES];
	u64 low, direct; /* bootmem_set_limits() */
};

/* The simplest machine, with figures easy to work out by hand. */
static const struct layout plain = {
	.name = "plain",
	.ram = {{0, 64 * MiB, 0}},
	.res = {{0, 1 * MiB, 0}},
	.low = 16 * MiB,
	.direct = 48 * MiB,
};

/* A PC: the hole below 1 MiB, a hole at 32 MiB, ragged region edges. */
static const struct layout holes = {
	.name = "one node with holes",
	.ram = {{0, 0x9f000, 0},
		{0x100000, 0x1eff800, 0},
		{0x2200c00, 0x1dff400, 0}},
	.res = {{0, 0x1000, 0},
		{0x100000, 0x3a3210, 0},
		{0x2800010, 0x40000, 0}},
	.low = 16 * MiB,
	.direct = 48 * MiB,
};

/* Node 1 straddles the direct-map limit; a hole before node 2. */
static const struct layout three_nodes = {
	.name = "three nodes",
	.ram = {{0, 24 * MiB, 0},
		{24 * MiB, 20 * MiB, 1},
		{46 * MiB, 18 * MiB, 2}},
	.res = {{0, 1 * MiB, 0}, {1 * MiB, 2 * MiB, 0}},
	.low = 16 * MiB,
	.direct = 40 * MiB,
};

/* Node 1 has no memory at all; node 2 holds Normal and HighMem. */
static const struct layout memoryless_node = {
	.name = "memoryless node 1",
	.ram = {{0, 24 * MiB, 0}, {24 * MiB, 40 * MiB, 2}},
	.res = {{0, 1 * MiB, 0}, {30 * MiB, 64 * 1024, 0}},
	.low = 16 * MiB,
	.direct = 48 * MiB,
};

/* All RAM below the direct-map limit: ZONE_HIGHMEM is empty. */
static const struct layout no_highmem = {
	.name = "no highmem, two nodes",
	.ram = {{0, 20 * MiB, 0}, {20 * MiB, 10 * MiB, 1}},
	.res = {{0, 1 * MiB, 0}},
	.low = 16 * MiB,
	.direct = 48 * MiB,
};

/* Tiny zones whose edges are not aligned to big blocks; RAM from 1 MiB. */
static const struct layout tiny = {
	.name = "tiny zones",
	.ram = {{1 * MiB, 8 * MiB, 0}},
	.res = {{1 * MiB, 512 * 1024, 0}},
	.low = 0x1c0000,
	.direct = 0x700000,
};

/* RAM starts above the DMA limit (min_pfn > 0): no ZONE_DMA at all. */
static const struct layout no_dma = {
	.name = "no DMA zone",
	.ram = {{32 * MiB, 32 * MiB, 0}},
	.res = {{32 * MiB, 2 * MiB, 0}},
	.low = 16 * MiB,
	.direct = 48 * MiB,
};

/* A big ZONE_NORMAL, for per-CPU batches above 1. */
static const struct layout big_normal = {
	.name = "big normal",
	.ram = {{0, 64 * MiB, 0}},
	.res = {{0, 1 * MiB, 0}},
	.low = 4 * MiB,
	.direct = 64 * MiB,
};

/* 1 GiB of ZONE_NORMAL: the per-CPU batch hits its 512 KiB cap. */
static const struct layout huge = {
	.name = "1 GiB",
	.ram = {{0, BIG_SIZE, 0}},
	.res = {{0, 1 * MiB, 0}},
	.low = 16 * MiB,
	.direct = BIG_SIZE,
};

static const struct layout *const model_layouts[] = {
	&holes,	 &three_nodes,	   &no_highmem, &tiny,
	&no_dma, &memoryless_node, &plain,
};

/* ---- reporting ---- */

static char where[192]; /* what a long test was doing, for reports */
static int reports;

static void __printf(2, 3) report(int line, const char *fmt, ...)
{
	va_list ap;

	test_failed_checks++;
	if (++reports > 30) {
		if (reports == 31)
			fprintf(stderr, "  (more failures not shown)\n");
		return;
	}
	fprintf(stderr, "  %s:%d: ", __FILE__, line);
	if (where[0])
		fprintf(stderr, "[%s] ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define EXPECT(cond, fmt, ...)                                              \
	do {                                                                \
		if (!(cond))                                                \
			report(__LINE__, "%s: " fmt, #cond, ##__VA_ARGS__); \
	} while (0)

/* ---- random numbers (splitmix64: the same sequence everywhere) ---- */

static u64 rng;

static u64 rnd(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd_below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

static bool chance(int percent)
{
	return rnd_below(100) < (unsigned long)percent;
}

/* ---- the reference model ---- */

enum { M_RESERVED, M_FREE, M_ALLOC };

static const struct layout *lay;
static unsigned long m_min, m_max; /* RAM frames, holes included */
static unsigned long m_low, m_direct; /* ends of DMA and of the direct map */
static int m_nodes;
static u8 mstate[ARENA_PAGES];
static s8 mzone[ARENA_PAGES]; /* nid * MAX_NR_ZONES + type; -1 off RAM */
static u32 mhead[ARENA_PAGES]; /* M_ALLOC: the block's first frame */
static u8 morder[ARENA_PAGES]; /* at a head: the block's order */
static int mrefs[ARENA_PAGES]; /* at a head: references held */
static int mblk[ARENA_PAGES]; /* at a head: index in blocks[] */
static unsigned long mpresent[NZONES], mfree[NZONES];
static unsigned long mstart[NZONES], mend[NZONES]; /* first, last RAM pfn */

struct block {
	unsigned long pfn;
	unsigned int order;
};
static struct block blocks[ARENA_PAGES];
static int nblocks;

static struct zone *zone_at(int zi)
{
	return &NODE_DATA(zi / MAX_NR_ZONES)->node_zones[zi % MAX_NR_ZONES];
}

static unsigned long npages(void)
{
	return m_max - m_min;
}

static struct page *pg(unsigned long pfn)
{
	return mem_map + (pfn - m_min);
}

static unsigned long pfn_of(const struct page *p)
{
	return m_min + (unsigned long)(p - mem_map);
}

static bool in_map(const struct page *p)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)mem_map;

	return a >= b && a < b + npages() * sizeof(struct page) &&
	       (a - b) % sizeof(struct page) == 0;
}

static void *va_of(unsigned long pfn)
{
	return __va((phys_addr_t)pfn << PAGE_SHIFT);
}

static unsigned long pcp_count(const struct zone *z)
{
	unsigned long n = 0;

	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += z->pageset[cpu].pcp.count;
	return n;
}

static unsigned long model_total_free(void)
{
	unsigned long n = 0;

	for (int zi = 0; zi < NZONES; zi++)
		n += mfree[zi];
	return n;
}

static void range_pfns(const struct range *r, unsigned long *s,
		       unsigned long *e)
{
	*s = ALIGN(r->base, PAGE_SIZE) >> PAGE_SHIFT;
	*e = ALIGN_DOWN(r->base + r->size, PAGE_SIZE) >> PAGE_SHIFT;
}

static void model_reserve(u64 base, u64 end)
{
	unsigned long s = base >> PAGE_SHIFT;
	unsigned long e = DIV_ROUND_UP(end, PAGE_SIZE);

	for (unsigned long pfn = max(s, m_min); pfn < min(e, m_max); pfn++)
		mstate[pfn] = M_RESERVED;
}

/* The model of a fresh allocator, from the layout alone (and the places
 * of mem_map and page_owner's array, which bootmem chose). */
static void model_init(const struct layout *l)
{
	const struct range *r;
	unsigned long s, e;
	u64 pa;

	m_min = ~0UL;
	m_max = 0;
	m_nodes = 1;
	for (r = l->ram; r->size; r++) {
		range_pfns(r, &s, &e);
		if (s >= e)
			continue;
		m_min = min(m_min, s);
		m_max = max(m_max, e);
		m_nodes = max(m_nodes, r->nid + 1);
	}
	m_direct = min((unsigned long)(l->direct >> PAGE_SHIFT), m_max);
	m_low = min((unsigned long)(l->low >> PAGE_SHIFT), m_direct);
	memset(mstate, M_RESERVED, sizeof(mstate));
	memset(mzone, -1, sizeof(mzone));
	memset(mrefs, 0, sizeof(mrefs));
	memset(mpresent, 0, sizeof(mpresent));
	memset(mfree, 0, sizeof(mfree));
	for (int zi = 0; zi < NZONES; zi++) {
		mstart[zi] = ~0UL;
		mend[zi] = 0;
	}
	for (r = l->ram; r->size; r++) {
		range_pfns(r, &s, &e);
		for (unsigned long pfn = s; pfn < e; pfn++) {
			int t = pfn < m_low	 ? ZONE_DMA
				: pfn < m_direct ? ZONE_NORMAL
						 : ZONE_HIGHMEM;
			int zi = r->nid * MAX_NR_ZONES + t;

			mzone[pfn] = zi;
			mstate[pfn] = M_FREE;
			mpresent[zi]++;
			mstart[zi] = min(mstart[zi], pfn);
			mend[zi] = max(mend[zi], pfn);
		}
	}
	for (r = l->res; r->size; r++)
		model_reserve(r->base, r->base + r->size);
	pa = __pa(mem_map);
	model_reserve(pa, pa + npages() * sizeof(struct page));
	if (page_owner_of(m_min)) { /* its array is bootmem's too */
		pa = __pa(page_owner_of(m_min));
		model_reserve(pa, pa + npages() * sizeof(struct page_owner));
	}
	for (unsigned long pfn = m_min; pfn < m_max; pfn++) {
		if (mstate[pfn] == M_FREE)
			mfree[mzone[pfn]]++;
	}
	nblocks = 0;
}

static void model_alloc(unsigned long pfn, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		mstate[pfn + i] = M_ALLOC;
		mhead[pfn + i] = pfn;
	}
	mfree[mzone[pfn]] -= 1UL << order;
	morder[pfn] = order;
	mrefs[pfn] = 1;
	mblk[pfn] = nblocks;
	blocks[nblocks].pfn = pfn;
	blocks[nblocks].order = order;
	nblocks++;
}

/* One reference to blocks[idx] dropped: free in the model at the last. */
static void model_put(int idx)
{
	unsigned long pfn = blocks[idx].pfn;
	unsigned int order = blocks[idx].order;

	if (--mrefs[pfn] > 0)
		return;
	for (unsigned long i = 0; i < (1UL << order); i++)
		mstate[pfn + i] = M_FREE;
	mfree[mzone[pfn]] += 1UL << order;
	blocks[idx] = blocks[--nblocks];
	mblk[blocks[idx].pfn] = idx;
}

/* ---- booting ---- */

static char *arena;

static void boot(const struct layout *l)
{
	const struct range *r;

	if (!arena) {
		arena = mmap(NULL, BIG_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			     0);
		if (arena == MAP_FAILED)
			abort();
	}
	host_phys_base = arena;
	host_irq_flags = 1;
	preempt_count_reset();
	bootmem_reset();
	for (r = l->ram; r->size; r++) {
		/* Garbage everywhere, so __GFP_ZERO is really tested. */
		if (r->base + r->size <= ARENA_SIZE)
			memset(arena + r->base, 0xa5, r->size);
		bootmem_add_memory_node(r->base, r->size, r->nid);
	}
	for (r = l->res; r->size; r++)
		reserve_bootmem(r->base, r->size, "test");
	bootmem_set_limits(l->low, l->direct);
	mem_init();
	host_log_clear();
	lay = l;
	reports = 0;
	where[0] = '\0';
	if (max_pfn <= ARENA_PAGES)
		model_init(l);
}

/* ---- page contents ---- */

static void *map_pfn(unsigned long pfn)
{
	return kmap_atomic(pg(pfn), KM_USER0);
}

static void unmap(void *addr)
{
	kunmap_atomic(addr, KM_USER0);
}

/* Garbage in every byte, and the frame number in the first word. */
static void dirty_block(unsigned long pfn, unsigned int order, u8 byte)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		void *a = map_pfn(pfn + i);

		memset(a, byte, PAGE_SIZE);
		*(u64 *)a = SIG ^ (pfn + i);
		unmap(a);
	}
}

static bool block_signed(unsigned long pfn, unsigned int order)
{
	bool ok = true;

	for (unsigned long i = 0; i < (1UL << order) && ok; i++) {
		void *a = map_pfn(pfn + i);

		ok = *(u64 *)a == (SIG ^ (pfn + i));
		unmap(a);
	}
	return ok;
}

static bool block_zeroed(unsigned long pfn, unsigned int order)
{
	bool ok = true;

	for (unsigned long i = 0; i < (1UL << order) && ok; i++) {
		const u64 *a = map_pfn(pfn + i);

		for (unsigned long w = 0; w < PAGE_SIZE / 8; w++) {
			if (a[w]) {
				ok = false;
				break;
			}
		}
		unmap((void *)a);
	}
	return ok;
}

/* ---- checking the real structures against the model ---- */

static u8 seen[ARENA_PAGES];
enum { S_BUDDY = 1, S_BUDDY_HEAD, S_PCP };

static void check_buddy_block(int zi, struct page *p, unsigned int o)
{
	struct zone *z = zone_at(zi);
	unsigned long pfn = pfn_of(p), size = 1UL << o;
	unsigned long zend = z->zone_start_pfn + z->spanned_pages;

	EXPECT(PageBuddy(p) && !PagePcp(p) && !PageReserved(p),
	       "%s order %u: pfn %#lx flags %#lx", z->name, o, pfn, p->flags);
	EXPECT(p->private == o, "%s order %u list: pfn %#lx private %lu",
	       z->name, o, pfn, p->private);
	EXPECT(p->_count == 0, "free pfn %#lx count %d", pfn, p->_count);
	EXPECT(IS_ALIGNED(pfn, size), "%s order %u: pfn %#lx unaligned",
	       z->name, o, pfn);
	EXPECT(pfn >= z->zone_start_pfn && pfn + size <= zend,
	       "%s order %u: pfn %#lx outside the zone", z->name, o, pfn);
	if (pfn + size > m_max)
		return;
	for (unsigned long q = pfn; q < pfn + size; q++) {
		EXPECT(mzone[q] == zi,
		       "%s order %u block %#lx: pfn %#lx is "
		       "in model zone %d",
		       z->name, o, pfn, q, mzone[q]);
		EXPECT(mstate[q] == M_FREE,
		       "%s order %u block %#lx: pfn %#lx "
		       "is %s in the model",
		       z->name, o, pfn, q,
		       mstate[q] == M_ALLOC ? "allocated" : "reserved");
		EXPECT(!seen[q], "pfn %#lx on two free lists", q);
		seen[q] = q == pfn ? S_BUDDY_HEAD : S_BUDDY;
	}
	/* Fully coalesced: a free block's buddy is never free and whole. */
	if (o < MAX_ORDER - 1) {
		unsigned long b = pfn ^ size;

		if (b >= z->zone_start_pfn && b < zend)
			EXPECT(!(PageBuddy(pg(b)) && pg(b)->private == o),
			       "%s: free order-%u buddies %#lx and %#lx not "
			       "merged",
			       z->name, o, pfn, b);
	}
}

/* Walk a list of struct pages defensively; fn(page) for each entry. */
static unsigned long walk(struct list_head *head, const char *what,
			  void (*fn)(int zi, struct page *p, unsigned int o),
			  int zi, unsigned int o)
{
	struct list_head *e, *prev = head;
	unsigned long n = 0;

	for (e = head->next; e != head; prev = e, e = e->next) {
		struct page *p = list_entry(e, struct page, lru);

		if (!in_map(p)) {
			report(__LINE__, "%s: entry %p is not in mem_map", what,
			       (void *)p);
			break;
		}
		if (e->prev != prev) {
			report(__LINE__, "%s: broken back link at pfn %#lx",
			       what, pfn_of(p));
			break;
		}
		if (++n > npages()) {
			report(__LINE__, "%s: loops", what);
			break;
		}
		fn(zi, p, o);
	}
	return n;
}

static void check_pcp_page(int zi, struct page *p, unsigned int o)
{
	unsigned long pfn = pfn_of(p);

	(void)o;
	EXPECT(PagePcp(p) && !PageBuddy(p) && !PageReserved(p),
	       "pcp pfn %#lx flags %#lx", pfn, p->flags);
	EXPECT(p->_count == 0, "pcp pfn %#lx count %d", pfn, p->_count);
	EXPECT(mzone[pfn] == zi, "pcp of %s holds pfn %#lx of model zone %d",
	       zone_at(zi)->name, pfn, mzone[pfn]);
	EXPECT(mstate[pfn] == M_FREE, "pcp pfn %#lx is not free in the model",
	       pfn);
	EXPECT(!seen[pfn], "pfn %#lx on two free lists", pfn);
	seen[pfn] = S_PCP;
}

static void check_zone(int zi)
{
	struct zone *z = zone_at(zi);
	unsigned long pages = 0, n;
	char what[64];

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		snprintf(what, sizeof(what), "node %d %s order %u",
			 zi / MAX_NR_ZONES, z->name, o);
		n = walk(&z->free_area[o].free_list, what, check_buddy_block,
			 zi, o);
		EXPECT(z->free_area[o].nr_free == n,
		       "%s: nr_free %lu, list holds %lu", what,
		       z->free_area[o].nr_free, n);
		pages += n << o;
	}
	EXPECT(z->free_pages == pages, "%s: free_pages %lu, lists hold %lu",
	       z->name, z->free_pages, pages);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &z->pageset[cpu].pcp;

		snprintf(what, sizeof(what), "node %d %s pcp",
			 zi / MAX_NR_ZONES, z->name);
		n = walk(&pcp->list, what, check_pcp_page, zi, 0);
		EXPECT(pcp->count >= 0 && (unsigned long)pcp->count == n,
		       "%s: count %d, list holds %lu", what, pcp->count, n);
		EXPECT(pcp->count < pcp->high, "%s: count %d, high %d", what,
		       pcp->count, pcp->high);
	}
	EXPECT(z->free_pages + pcp_count(z) == mfree[zi],
	       "node %d %s: %lu free + %lu pcp, model %lu", zi / MAX_NR_ZONES,
	       z->name, z->free_pages, pcp_count(z), mfree[zi]);
}

static void check_page(unsigned long pfn)
{
	struct page *p = pg(pfn);

	switch (mstate[pfn]) {
	case M_RESERVED:
		EXPECT(PageReserved(p) && !PageBuddy(p) && !PagePcp(p) &&
			       !seen[pfn],
		       "reserved pfn %#lx: flags %#lx", pfn, p->flags);
		break;
	case M_FREE:
		EXPECT(seen[pfn], "free pfn %#lx is on no list", pfn);
		EXPECT(!PageReserved(p), "free pfn %#lx reserved", pfn);
		EXPECT(!!PageBuddy(p) == (seen[pfn] == S_BUDDY_HEAD),
		       "pfn %#lx PG_buddy %d but %s", pfn, !!PageBuddy(p),
		       seen[pfn] == S_BUDDY_HEAD ? "heads a free block"
						 : "is no free block's head");
		EXPECT(!!PagePcp(p) == (seen[pfn] == S_PCP),
		       "pfn %#lx PG_pcp %d", pfn, !!PagePcp(p));
		break;
	default:
		EXPECT(!seen[pfn] && !PageBuddy(p) && !PagePcp(p) &&
			       !PageReserved(p),
		       "allocated pfn %#lx: flags %#lx, on a list %d", pfn,
		       p->flags, seen[pfn]);
		if (mhead[pfn] == pfn) {
			EXPECT(p->_count == mrefs[pfn],
			       "head %#lx: count %d, model %d", pfn, p->_count,
			       mrefs[pfn]);
			EXPECT(p->private == morder[pfn],
			       "head %#lx: private %lu, order %u", pfn,
			       p->private, morder[pfn]);
		} else {
			EXPECT(p->_count == 0, "tail %#lx: count %d", pfn,
			       p->_count);
		}
	}
}

/* Every list and every struct page against the model. */
static void check_all(void)
{
	unsigned long high = 0;

	memset(seen, 0, sizeof(seen));
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		check_zone(zi);
		if (zi % MAX_NR_ZONES == ZONE_HIGHMEM)
			high += mfree[zi];
	}
	for (unsigned long pfn = m_min; pfn < m_max; pfn++)
		check_page(pfn);
	EXPECT(nr_free_pages() == model_total_free(), "%lu, model %lu",
	       nr_free_pages(), model_total_free());
	EXPECT(nr_free_highpages() == high, "%lu, model %lu",
	       nr_free_highpages(), high);
	EXPECT(host_irq_flags == 1, "interrupts left off%s", "");
	EXPECT(preempt_count() == 0, "preempt count %lu", preempt_count());
}

/* ---- buddyinfo snapshots ---- */

struct buddyinfo {
	unsigned long nr[NZONES][MAX_ORDER];
	unsigned long free[NZONES];
	unsigned long total;
};

static void buddyinfo_take(struct buddyinfo *b)
{
	memset(b, 0, sizeof(*b));
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		for (int o = 0; o < MAX_ORDER; o++)
			b->nr[zi][o] = zone_at(zi)->free_area[o].nr_free;
		b->free[zi] = zone_at(zi)->free_pages;
	}
	b->total = nr_free_pages();
}

static void buddyinfo_same(const struct buddyinfo *want, const char *what)
{
	struct buddyinfo now;

	buddyinfo_take(&now);
	EXPECT(now.total == want->total, "%s: nr_free_pages %lu, was %lu", what,
	       now.total, want->total);
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		EXPECT(now.free[zi] == want->free[zi],
		       "%s: node %d %s free %lu, was %lu", what,
		       zi / MAX_NR_ZONES, zone_at(zi)->name, now.free[zi],
		       want->free[zi]);
		for (int o = 0; o < MAX_ORDER; o++)
			EXPECT(now.nr[zi][o] == want->nr[zi][o],
			       "%s: node %d %s order %d: %lu blocks, was %lu",
			       what, zi / MAX_NR_ZONES, zone_at(zi)->name, o,
			       now.nr[zi][o], want->nr[zi][o]);
	}
}

/* ---- taking and giving back, with the model kept in step ---- */

enum { BY_PAGE, BY_ADDR, BY_HOT, BY_COLD };

static void do_free(unsigned long pfn, unsigned int order, int how)
{
	switch (how) {
	case BY_ADDR:
		free_pages((unsigned long)va_of(pfn), order);
		break;
	case BY_HOT:
		free_hot_page(pg(pfn));
		break;
	case BY_COLD:
		free_cold_page(pg(pfn));
		break;
	default:
		__free_pages(pg(pfn), order);
	}
}

/* Any free function that fits: by address only for direct-mapped pages,
 * the order-0 ones only for order 0. */
static int random_how(unsigned long pfn, unsigned int order)
{
	int how;

	do {
		how = rnd_below(order ? 2 : 4);
	} while (how == BY_ADDR && pfn >= m_direct);
	return how;
}

static struct page *take_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *p = alloc_pages_node(nid, gfp, order);

	if (!p)
		return NULL;
	if (!in_map(p) || mstate[pfn_of(p)] != M_FREE) {
		report(__LINE__, "alloc returned %p, not a free page", p);
		return NULL;
	}
	model_alloc(pfn_of(p), order);
	return p;
}

static struct page *take(gfp_t gfp, unsigned int order)
{
	return take_node(0, gfp, order);
}

static void give_how(struct page *p, int how)
{
	unsigned long pfn = pfn_of(p);

	do_free(pfn, morder[pfn], how);
	model_put(mblk[pfn]);
}

static void give(struct page *p)
{
	give_how(p, BY_PAGE);
}

static void give_all(void)
{
	while (nblocks)
		give(pg(blocks[nblocks - 1].pfn));
}

/* Take order-0 pages until the allocator says no; how many it gave. */
static unsigned long fill(gfp_t gfp)
{
	unsigned long n = 0;

	while (take(gfp | __GFP_NOWARN, 0))
		n++;
	return n;
}

/* ---- what the rules say an allocation may or must do ---- */

static int gfp_top(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	return gfp & __GFP_HIGHMEM ? ZONE_HIGHMEM : ZONE_NORMAL;
}

/* Zones a request may use, best first: this node's from the highest
 * allowed zone down, then the other nodes' the same way. */
static int pref_zones(int nid, gfp_t gfp, int *out)
{
	int n = 0;

	for (int i = 0; i < m_nodes; i++) {
		int node = (nid + i) % m_nodes;

		for (int t = gfp_top(gfp); t >= 0; t--) {
			int zi = node * MAX_NR_ZONES + t;

			if (mpresent[zi])
				out[n++] = zi;
		}
	}
	return n;
}

/*
 * How far below pages_min the request may take a zone: __GFP_HIGH
 * halves the mark (ALLOC_HIGH), an atomic request (no __GFP_WAIT) takes
 * a quarter off what is left (ALLOC_HARDER).
 */
static long min_mark(const struct zone *z, gfp_t gfp)
{
	long m = z->pages_min;

	if (gfp & __GFP_HIGH)
		m -= m / 2;
	if (!(gfp & __GFP_WAIT))
		m -= m / 4;
	return m;
}

/*
 * Clearly fine for the fast path: after taking 2^order pages, blocks of
 * at least that order still hold pages_low pages. Then every order's
 * test in zone_watermark_ok() passes, whatever the lower orders hold.
 */
static bool clearly_ok(const struct zone *z, unsigned int order)
{
	unsigned long big = 0;

	for (unsigned int o = order; o < MAX_ORDER; o++)
		big += z->free_area[o].nr_free << o;
	return big >= (1UL << order) + z->pages_low;
}

/* Is there an aligned run of 2^order free frames in the zone? After a
 * drain that is exactly "a block of this order exists". */
static bool has_run(int zi, unsigned int order)
{
	unsigned long size = 1UL << order;

	if (!mpresent[zi])
		return false;
	for (unsigned long pfn = ALIGN(mstart[zi], size);
	     pfn + size <= mend[zi] + 1; pfn += size) {
		unsigned long i;

		for (i = 0; i < size; i++) {
			if (mstate[pfn + i] != M_FREE || mzone[pfn + i] != zi)
				break;
		}
		if (i == size)
			return true;
	}
	return false;
}

struct prediction {
	int zones[NZONES]; /* allowed, best first */
	int nzones;
	int first_ok; /* position of the first clearly fine zone, or -1 */
	bool must_succeed, must_fail;
};

static void predict(int nid, gfp_t gfp, unsigned int order,
		    struct prediction *pr)
{
	bool any_run = false, above = false, all_below = true;

	pr->nzones = pref_zones(nid, gfp, pr->zones);
	pr->first_ok = -1;
	for (int i = 0; i < pr->nzones; i++) {
		int zi = pr->zones[i];
		struct zone *z = zone_at(zi);
		long mark = min_mark(z, gfp);

		if ((long)mfree[zi] >= mark + (1L << order))
			all_below = false;
		if (pr->first_ok < 0 && clearly_ok(z, order))
			pr->first_ok = i;
		/* Order 0: after the retry's drain every free page counts;
		 * __GFP_NORETRY does not drain, so only the buddy lists do. */
		if ((long)(gfp & __GFP_NORETRY ? z->free_pages : mfree[zi]) >
		    mark)
			above = true;
		if (gfp & __GFP_NOFAIL)
			any_run |= has_run(zi, order);
	}
	if (gfp & __GFP_NOFAIL) {
		/* After the drain, watermarks ignored: any block will do. */
		pr->must_succeed = any_run;
		pr->must_fail = !any_run;
		return;
	}
	pr->must_succeed = pr->first_ok >= 0 || (order == 0 && above);
	pr->must_fail = all_below || (order == 0 && !above);
}

/* ---- the random steps ---- */

static const gfp_t bases[] = {
	GFP_KERNEL,
	GFP_ATOMIC,
	GFP_HIGHUSER,
	GFP_DMA,
	GFP_DMA | GFP_KERNEL,
	GFP_NOIO,
	GFP_NOFS,
	GFP_ATOMIC | __GFP_HIGHMEM,
};

static gfp_t random_gfp(void)
{
	gfp_t gfp = bases[rnd_below(ARRAY_SIZE(bases))];

	if (chance(30))
		gfp |= __GFP_COLD;
	if (chance(30))
		gfp |= __GFP_ZERO;
	if (chance(70))
		gfp |= __GFP_NOWARN;
	if (chance(5))
		gfp |= __GFP_REPEAT;
	if (chance(2))
		gfp |= __GFP_NOFAIL;
	else if (chance(4))
		gfp |= __GFP_NORETRY;
	return gfp;
}

static unsigned int random_order(void)
{
	return chance(50) ? 0 : 1 + rnd_below(MAX_ORDER - 1);
}

static int step;

static void check_log_after_failure(gfp_t gfp, unsigned int order)
{
	char want[96];

	snprintf(want, sizeof(want),
		 "page allocation failure: order:%u, mode:%#x", order, gfp);
	if (gfp & __GFP_NOWARN)
		EXPECT(!host_log_contains("page allocation failure"),
		       "__GFP_NOWARN, yet: %s", host_log());
	else
		EXPECT(host_log_contains(want), "no \"%s\" in: %s", want,
		       host_log());
	if (gfp & __GFP_NOFAIL)
		EXPECT(host_log_contains("__GFP_NOFAIL allocation of order"),
		       "__GFP_NOFAIL failed quietly%s", "");
	else if (gfp & __GFP_NOWARN)
		EXPECT(host_log()[0] == '\0', "__GFP_NOWARN, yet: %s",
		       host_log());
}

static void check_new_block(struct page *p, const struct prediction *pr,
			    gfp_t gfp, unsigned int order)
{
	unsigned long pfn, size = 1UL << order;
	bool sound = true;
	int zi, pos;

	if (!in_map(p)) {
		report(__LINE__, "returned %p, not in mem_map", (void *)p);
		return;
	}
	pfn = pfn_of(p);
	zi = mzone[pfn];
	EXPECT(!pr->must_fail, "order %u got pfn %#lx, rules forbid it", order,
	       pfn);
	EXPECT(IS_ALIGNED(pfn, size), "pfn %#lx, order %u", pfn, order);
	EXPECT(pfn + size <= m_max, "pfn %#lx order %u runs off memory", pfn,
	       order);
	if (pfn + size > m_max)
		return;
	for (unsigned long q = pfn; q < pfn + size; q++) {
		EXPECT(mstate[q] == M_FREE, "handed out pfn %#lx, not free", q);
		EXPECT(mzone[q] == zi, "block %#lx crosses zones at %#lx", pfn,
		       q);
		if (mstate[q] != M_FREE || mzone[q] != zi)
			sound = false;
	}
	for (pos = 0; pos < pr->nzones && pr->zones[pos] != zi; pos++)
		;
	EXPECT(pos < pr->nzones, "pfn %#lx from zone %d, not allowed", pfn, zi);
	EXPECT(pr->first_ok < 0 || pos <= pr->first_ok,
	       "pfn %#lx from preference %d, but preference %d was fine", pfn,
	       pos, pr->first_ok);
	if (zi >= 0 && !(gfp & __GFP_NOFAIL))
		EXPECT((long)(mfree[zi] - size) >= min_mark(zone_at(zi), gfp),
		       "zone %d left with %lu free, mark %ld", zi,
		       mfree[zi] - size, min_mark(zone_at(zi), gfp));
	if (gfp & __GFP_ZERO)
		EXPECT(block_zeroed(pfn, order), "pfn %#lx order %u not zeroed",
		       pfn, order);
	EXPECT(host_log()[0] == '\0', "successful allocation logged: %s",
	       host_log());
	if (sound && zi >= 0) {
		model_alloc(pfn, order);
		dirty_block(pfn, order, 0x80 | (step & 0x7f));
	}
}

enum { A_PAGES, A_NODE, A_GET_FREE, A_ZEROED };
static const char *const alloc_fn[] = {"alloc_pages", "alloc_pages_node",
				       "__get_free_pages", "get_zeroed_page"};
static const char *const free_fn[] = {"__free_pages", "free_pages",
				      "free_hot_page", "free_cold_page"};

/* The page at a direct-mapped address from __get_free_pages(). */
static struct page *addr_to_page(unsigned long addr)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;

	if (!addr)
		return NULL;
	if (!IS_ALIGNED(addr, PAGE_SIZE) || pfn < m_min || pfn >= m_direct) {
		report(__LINE__, "address %#lx is not a direct-mapped page",
		       addr);
		return NULL;
	}
	return pg(pfn);
}

static void step_alloc(void)
{
	gfp_t gfp = random_gfp();
	unsigned int order = random_order();
	unsigned long r = rnd_below(10);
	int fn = r < 6 ? A_PAGES : r < 8 ? A_NODE : (int)r - 6, nid = 0;
	struct prediction pr;
	struct page *p = NULL;
	size_t len = strlen(where);

	if (fn == A_NODE)
		nid = rnd_below(m_nodes);
	if (fn >= A_GET_FREE)
		gfp &= ~__GFP_HIGHMEM; /* no address for high pages */
	if (fn == A_ZEROED) {
		order = 0;
		gfp |= __GFP_ZERO;
	}
	snprintf(where + len, sizeof(where) - len,
		 ": %s node %d order %u gfp %#x", alloc_fn[fn], nid, order,
		 gfp);
	predict(nid, gfp, order, &pr);
	host_log_clear();
	if (fn == A_PAGES)
		p = alloc_pages(gfp, order);
	else if (fn == A_NODE)
		p = alloc_pages_node(nid, gfp, order);
	else if (fn == A_GET_FREE)
		p = addr_to_page(__get_free_pages(gfp, order));
	else
		p = addr_to_page(get_zeroed_page(gfp & ~__GFP_ZERO));
	if (p) {
		check_new_block(p, &pr, gfp, order);
		return;
	}
	EXPECT(!pr.must_succeed, "failed; preference %d was fine", pr.first_ok);
	check_log_after_failure(gfp, order);
}

static void step_free(void)
{
	int idx, how;
	unsigned long pfn;
	unsigned int order;
	size_t len = strlen(where);

	if (!nblocks)
		return;
	idx = rnd_below(nblocks);
	pfn = blocks[idx].pfn;
	order = blocks[idx].order;
	how = random_how(pfn, order);
	snprintf(where + len, sizeof(where) - len,
		 ": %s pfn %#lx order %u refs %d", free_fn[how], pfn, order,
		 mrefs[pfn]);
	EXPECT(block_signed(pfn, order), "block %#lx overwritten", pfn);
	host_log_clear();
	do_free(pfn, order, how);
	EXPECT(host_log()[0] == '\0', "free logged: %s", host_log());
	model_put(idx);
}

static void step_get(void)
{
	unsigned long pfn;

	if (!nblocks)
		return;
	pfn = blocks[rnd_below(nblocks)].pfn;
	if (mrefs[pfn] >= 3)
		return;
	get_page(pg(pfn));
	mrefs[pfn]++;
}

static void step_drain(void)
{
	unsigned long before = nr_free_pages();

	if (chance(50))
		drain_all_pages();
	else
		drain_local_pages();
	EXPECT(nr_free_pages() == before, "drain changed the free count%s", "");
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++)
		EXPECT(pcp_count(zone_at(zi)) == 0, "zone %d pcp not drained",
		       zi);
}

/* Release every block in random order, each by a random free function. */
static void give_all_randomly(void)
{
	while (nblocks) {
		int idx = rnd_below(nblocks);
		unsigned long pfn = blocks[idx].pfn;
		unsigned int order = blocks[idx].order;

		do_free(pfn, order, random_how(pfn, order));
		model_put(idx);
	}
}

static void run_random(const struct layout *l, u64 seed)
{
	int before = test_failed_checks;
	struct buddyinfo initial;

	boot(l);
	rng = seed;
	buddyinfo_take(&initial);
	check_all();
	/* Phases of 300 steps that mostly allocate (down to the watermarks)
	 * and 200 that mostly free; everything is checked after each step. */
	for (step = 0; step < STEPS && test_failed_checks == before; step++) {
		bool filling = step % 500 < 300;
		int r = rnd_below(100);

		snprintf(where, sizeof(where), "%s, seed %llu, step %d",
			 l->name, (unsigned long long)seed, step);
		if (r < (filling ? 75 : 25))
			step_alloc();
		else if (r < 93)
			step_free();
		else if (r < 97)
			step_get();
		else
			step_drain();
		check_all();
	}
	snprintf(where, sizeof(where), "%s, seed %llu, freeing all", l->name,
		 (unsigned long long)seed);
	if (test_failed_checks == before) {
		give_all_randomly();
		drain_all_pages();
		check_all();
		buddyinfo_same(&initial, "after freeing everything");
	}
	where[0] = '\0';
}

/* Three fixed seeds per layout. */
static void random_ops(const struct layout *l, u64 base)
{
	for (u64 seed = base; seed < base + 3; seed++)
		run_random(l, seed);
}

TEST(random_ops_one_node_with_holes)
{
	random_ops(&holes, 100);
}

TEST(random_ops_three_nodes)
{
	random_ops(&three_nodes, 200);
}

TEST(random_ops_no_highmem)
{
	random_ops(&no_highmem, 300);
}

TEST(random_ops_tiny_zones)
{
	random_ops(&tiny, 400);
}

TEST(random_ops_no_dma_zone)
{
	random_ops(&no_dma, 500);
}

TEST(random_ops_memoryless_node)
{
	random_ops(&memoryless_node, 600);
}

/* ---- the layout mem_init() builds ---- */

static const char *const zone_names[] = {"DMA", "Normal", "HighMem"};

static void check_layout(const struct layout *l)
{
	unsigned long high = 0;
	u64 mm_end;

	boot(l);
	snprintf(where, sizeof(where), "layout %s", l->name);
	EXPECT(min_pfn == m_min && max_pfn == m_max,
	       "pfns %#lx-%#lx, model %#lx-%#lx", min_pfn, max_pfn, m_min,
	       m_max);
	EXPECT(max_low_pfn == m_direct, "max_low_pfn %#lx, model %#lx",
	       max_low_pfn, m_direct);
	EXPECT(high_memory == va_of(m_direct), "high_memory %p", high_memory);
	EXPECT(nr_online_nodes == m_nodes, "%d nodes, model %d",
	       nr_online_nodes, m_nodes);
	EXPECT(bootmem_retired(), "bootmem still serving%s", "");
	mm_end = __pa(mem_map) + npages() * sizeof(struct page);
	EXPECT(mm_end <= ((u64)m_direct << PAGE_SHIFT),
	       "mem_map ends at %#llx, past the direct map",
	       (unsigned long long)mm_end);
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		struct zone *z = zone_at(zi);
		int t = zi % MAX_NR_ZONES;

		EXPECT(z->zone_pgdat == NODE_DATA(zi / MAX_NR_ZONES),
		       "zone %d pgdat", zi);
		EXPECT(z->name && !strcmp(z->name, zone_names[t]),
		       "zone %d name %s", zi, z->name);
		EXPECT(z->present_pages == mpresent[zi],
		       "zone %d present %lu, model %lu", zi, z->present_pages,
		       mpresent[zi]);
		if (t == ZONE_HIGHMEM)
			high += mfree[zi];
		if (!mpresent[zi]) {
			EXPECT(z->spanned_pages == 0, "empty zone %d spans %lu",
			       zi, z->spanned_pages);
			continue;
		}
		EXPECT(z->zone_start_pfn == mstart[zi] &&
			       z->spanned_pages == mend[zi] + 1 - mstart[zi],
		       "zone %d spans %#lx+%lu, model %#lx-%#lx", zi,
		       z->zone_start_pfn, z->spanned_pages, mstart[zi],
		       mend[zi]);
		if (t == ZONE_HIGHMEM)
			EXPECT(z->pages_min ==
				       clamp(mpresent[zi] / 1024, 32UL, 128UL),
			       "HighMem %d min %lu for %lu pages", zi,
			       z->pages_min, mpresent[zi]);
		EXPECT(z->pages_low == z->pages_min + z->pages_min / 4 &&
			       z->pages_high == z->pages_min + z->pages_min / 2,
		       "zone %d marks %lu %lu %lu", zi, z->pages_min,
		       z->pages_low, z->pages_high);
		EXPECT(z->pageset[0].pcp.batch >= 1 &&
			       z->pageset[0].pcp.high ==
				       6 * z->pageset[0].pcp.batch,
		       "zone %d batch %d high %d", zi, z->pageset[0].pcp.batch,
		       z->pageset[0].pcp.high);
	}
	for (int nid = 0; nid < m_nodes; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long s = ~0UL, e = 0, present = 0;

		EXPECT(pgdat->node_id == nid, "node %d id %d", nid,
		       pgdat->node_id);
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			int zi = nid * MAX_NR_ZONES + t;

			if (!mpresent[zi])
				continue;
			s = min(s, mstart[zi]);
			e = max(e, mend[zi] + 1);
			present += mpresent[zi];
		}
		if (!present)
			s = e = 0; /* a memoryless node spans nothing */
		EXPECT(pgdat->node_start_pfn == s &&
			       pgdat->node_spanned_pages == e - s &&
			       pgdat->node_present_pages == present,
		       "node %d: %#lx+%lu present %lu", nid,
		       pgdat->node_start_pfn, pgdat->node_spanned_pages,
		       pgdat->node_present_pages);
		/* Zonelists: this node top down, then the others; NULL. */
		for (int top = 0; top < MAX_NR_ZONES; top++) {
			gfp_t gfp = top == ZONE_DMA	 ? __GFP_DMA
				    : top == ZONE_NORMAL ? 0
							 : __GFP_HIGHMEM;
			int want[NZONES], n = pref_zones(nid, gfp, want), i;
			struct zone **zl = pgdat->node_zonelists[top].zones;

			for (i = 0; i < n; i++)
				EXPECT(zl[i] == zone_at(want[i]),
				       "node %d zonelist %d entry %d", nid, top,
				       i);
			EXPECT(zl[n] == NULL, "node %d zonelist %d too long",
			       nid, top);
		}
	}
	for (unsigned long pfn = m_min; pfn < m_max; pfn++) {
		/* Twice: the second answer comes from page_zone's cache. */
		if (mzone[pfn] >= 0)
			EXPECT(page_zone(pg(pfn)) == zone_at(mzone[pfn]) &&
				       page_zone(pg(pfn)) ==
					       zone_at(mzone[pfn]),
			       "page_zone(pfn %#lx)", pfn);
		EXPECT(!!PageHighMem(pg(pfn)) == (pfn >= m_direct),
		       "PageHighMem(pfn %#lx)", pfn);
		if (pfn < m_direct)
			EXPECT(page_address(pg(pfn)) == va_of(pfn),
			       "page_address(pfn %#lx)", pfn);
		else
			EXPECT(page_address(pg(pfn)) == NULL,
			       "page_address(high pfn %#lx)", pfn);
	}
	EXPECT(totalram_pages == model_total_free(),
	       "totalram_pages %lu, model %lu", totalram_pages,
	       model_total_free());
	EXPECT(totalhigh_pages == high, "totalhigh_pages %lu, model %lu",
	       totalhigh_pages, high);
	/* Every free page in a list, reserved pages marked, no block
	 * across a zone edge, every block as big as it can be. */
	check_all();
	where[0] = '\0';
}

TEST(layouts_built_from_bootmem)
{
	for (size_t i = 0; i < ARRAY_SIZE(model_layouts); i++)
		check_layout(model_layouts[i]);
	check_layout(&big_normal);
}

/*
 * 2.6's rule: min_free_kbytes = sqrt(16 * lowmem KiB), shared out by
 * size among the low zones; HIGHMEM keeps present/1024 within 32..128.
 * Each boot must work it out from its own memory: booting another
 * machine first must not change the figures.
 */
static void check_marks(int zi, unsigned long min, unsigned long low,
			unsigned long high)
{
	struct zone *z = zone_at(zi);

	EXPECT(z->pages_min == min && z->pages_low == low &&
		       z->pages_high == high,
	       "%s %s: min/low/high %lu/%lu/%lu, want %lu/%lu/%lu", lay->name,
	       z->name, z->pages_min, z->pages_low, z->pages_high, min, low,
	       high);
}

TEST(watermarks_follow_the_2_6_rule)
{
	boot(&tiny);
	boot(&plain);
	/* lowmem 12288 pages = 48 MiB: sqrt(786432) = 886 KiB, 221 pages */
	check_marks(ZONE_DMA, 73, 91, 109);
	check_marks(ZONE_NORMAL, 147, 183, 220);
	check_marks(ZONE_HIGHMEM, 32, 40, 48);
	boot(&tiny);
	/* lowmem 1536 pages = 6 MiB: sqrt(98304) = 313 KiB, 78 pages */
	check_marks(ZONE_DMA, 9, 11, 13);
	check_marks(ZONE_NORMAL, 68, 85, 102);
	check_marks(ZONE_HIGHMEM, 32, 40, 48);
}

/* present/1024/4 pages, at most 512 KiB, rounded down to 2^n - 1. */
TEST(pcp_batch_follows_the_2_6_rule)
{
	boot(&big_normal);
	CHECK_EQ(zone_at(ZONE_DMA)->pageset[0].pcp.batch, 1);
	CHECK_EQ(zone_at(ZONE_DMA)->pageset[0].pcp.high, 6);
	CHECK_EQ(zone_at(ZONE_NORMAL)->pageset[0].pcp.batch, 3);
	CHECK_EQ(zone_at(ZONE_NORMAL)->pageset[0].pcp.high, 18);
	boot(&plain);
	CHECK_EQ(zone_at(ZONE_NORMAL)->pageset[0].pcp.batch, 1);
	boot(&huge);
	CHECK_EQ(zone_at(ZONE_NORMAL)->present_pages, 262144);
	CHECK_EQ(zone_at(ZONE_NORMAL)->pageset[0].pcp.batch, 31);
	CHECK_EQ(zone_at(ZONE_NORMAL)->pageset[0].pcp.high, 186);
	CHECK_EQ(nr_free_pages(), totalram_pages);
	boot(&plain);
}

/* ---- coalescing back ---- */

static const gfp_t grab_all[] = {
	GFP_HIGHUSER | __GFP_NOFAIL,
	GFP_KERNEL | __GFP_NOFAIL,
	GFP_DMA | __GFP_NOFAIL,
	GFP_ATOMIC | __GFP_HIGHMEM,
};

static void take_everything(void)
{
	unsigned int top = MAX_ORDER - 1;

	/* Random orders; an order that fails even with __GFP_NOFAIL (no
	 * watermarks) has no block left anywhere, so stop asking for it. */
	for (;;) {
		unsigned int order = rnd_below(top + 1);
		gfp_t gfp = grab_all[rnd_below(ARRAY_SIZE(grab_all))];

		if (take_node(rnd_below(m_nodes), gfp | __GFP_NOWARN, order))
			continue;
		if (take_node(0, GFP_HIGHUSER | __GFP_NOFAIL | __GFP_NOWARN,
			      order))
			continue;
		if (order == 0)
			break;
		top = order - 1;
	}
}

TEST(everything_allocated_then_freed_coalesces_back)
{
	struct buddyinfo initial;

	for (size_t i = 0; i < ARRAY_SIZE(model_layouts); i++) {
		const struct layout *l = model_layouts[i];

		boot(l);
		rng = 77 + i;
		snprintf(where, sizeof(where), "%s", l->name);
		buddyinfo_take(&initial);
		take_everything();
		EXPECT(nr_free_pages() == 0, "%lu pages left", nr_free_pages());
		EXPECT(model_total_free() == 0, "model: %lu pages left",
		       model_total_free());
		check_all();
		give_all_randomly();
		drain_all_pages();
		buddyinfo_same(&initial, "after freeing everything");
		check_all();
		where[0] = '\0';
	}
}

/* ---- watermarks ---- */

/* Take count order-0 pages, all of which must come from zone zi. */
static unsigned long take_from(gfp_t gfp, int zi, unsigned long count)
{
	for (unsigned long i = 0; i < count; i++) {
		struct page *p = take(gfp | __GFP_NOWARN, 0);

		if (!p || mzone[pfn_of(p)] != zi) {
			report(__LINE__, "page %lu of %lu wanted from %s: %s",
			       i + 1, count, zone_at(zi)->name,
			       p ? zone_at(mzone[pfn_of(p)])->name : "none");
			return i + !!p;
		}
	}
	return count;
}

static long atomic_floor(const struct zone *z)
{
	return min_mark(z, GFP_ATOMIC);
}

TEST(watermarks_min_atomic_and_nofail)
{
	struct zone *dma, *normal, *high;
	unsigned long high_free, want, n, runs[4];
	char buf[160];

	boot(&plain);
	dma = zone_at(ZONE_DMA);
	normal = zone_at(ZONE_NORMAL);
	high = zone_at(ZONE_HIGHMEM);
	high_free = high->free_pages;

	/*
	 * GFP_KERNEL: the fast path uses a zone only while it is above low,
	 * so Normal goes down to low, then DMA to low; the slow path then
	 * takes Normal, then DMA, down to exactly pages_min.
	 */
	runs[0] = normal->free_pages - normal->pages_low;
	runs[1] = dma->free_pages - dma->pages_low;
	runs[2] = normal->pages_low - normal->pages_min;
	runs[3] = dma->pages_low - dma->pages_min;
	want = runs[0] + runs[1] + runs[2] + runs[3];
	n = 0;
	for (int r = 0; r < 4; r++) {
		unsigned long got = take_from(
			GFP_KERNEL, r % 2 ? ZONE_DMA : ZONE_NORMAL, runs[r]);

		n += got;
		if (got != runs[r])
			break;
	}
	n += fill(GFP_KERNEL);
	CHECK_EQ(n, want);
	CHECK_EQ(dma->free_pages, dma->pages_min);
	CHECK_EQ(normal->free_pages, normal->pages_min);
	CHECK(dma->free_pages <= dma->pages_low);
	CHECK_EQ(pcp_count(dma) + pcp_count(normal), 0);
	CHECK_EQ(high->free_pages, high_free);
	check_all();

	/* The report, and its absence with __GFP_NOWARN. */
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	CHECK(host_log_contains("page allocation failure: order:0, mode:0xd0 "
				"(GFP_KERNEL)"));
	snprintf(buf, sizeof(buf), "Node 0 Normal free:%lukB min:%lukB",
		 normal->pages_min * 4, normal->pages_min * 4);
	CHECK(host_log_contains(buf));
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_ZERO, 3) == NULL);
	CHECK(host_log_contains("page allocation failure: order:3, mode:0x80d0 "
				"(GFP_KERNEL|__GFP_ZERO)"));
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 5) == NULL);
	CHECK_STR(host_log(), "");

	/* GFP_ATOMIC still gets pages below min, down to its own floor. */
	want = normal->free_pages - atomic_floor(normal) + dma->free_pages -
	       atomic_floor(dma);
	CHECK(want > 0);
	n = fill(GFP_ATOMIC);
	CHECK_EQ(n, want);
	CHECK_EQ(normal->free_pages, atomic_floor(normal));
	CHECK_EQ(dma->free_pages, atomic_floor(dma));
	CHECK(dma->free_pages >= dma->pages_min / 4 &&
	      dma->free_pages <= dma->pages_min / 2);
	CHECK(normal->free_pages >= normal->pages_min / 4 &&
	      normal->free_pages <= normal->pages_min / 2);
	CHECK_EQ(high->free_pages, high_free);
	check_all();

	/* __GFP_NOFAIL ignores the watermarks, down to the last page. */
	host_log_clear();
	CHECK(take(GFP_KERNEL | __GFP_NOFAIL, 0) != NULL);
	CHECK_STR(host_log(), "");
	want = normal->free_pages + dma->free_pages;
	n = fill(GFP_KERNEL | __GFP_NOFAIL);
	CHECK_EQ(n, want);
	CHECK_EQ(normal->free_pages + dma->free_pages, 0);
	CHECK(host_log_contains("__GFP_NOFAIL allocation of order 0 failed"));
	CHECK(!host_log_contains("page allocation failure"));
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0) == NULL);
	CHECK(host_log_contains("page allocation failure: order:0"));
	CHECK_EQ(high->free_pages, high_free);

	/* HIGHMEM was never touched and still serves GFP_HIGHUSER. */
	CHECK(take(GFP_HIGHUSER, 0) != NULL);
	CHECK_EQ(high->free_pages + pcp_count(high), high_free - 1);
	check_all();
	give_all();
	drain_all_pages();
	check_all();
	CHECK_EQ(nr_free_pages(), totalram_pages);
}

/* Each flag digs deeper into ZONE_DMA, and no further. */
TEST(watermark_flags_dig_in_steps)
{
	struct zone *dma;
	long m, floors[5];
	const gfp_t steps[] = {
		GFP_DMA | __GFP_WAIT, /* min */
		GFP_DMA, /* atomic: a quarter off */
		GFP_DMA | __GFP_WAIT | __GFP_HIGH, /* __GFP_HIGH: half off */
		GFP_DMA | __GFP_HIGH, /* both */
		GFP_DMA | __GFP_NOFAIL, /* everything */
	};

	boot(&plain);
	dma = zone_at(ZONE_DMA);
	m = dma->pages_min;
	floors[0] = m;
	floors[1] = m - m / 4;
	floors[2] = m - m / 2;
	floors[3] = (m - m / 2) - (m - m / 2) / 4;
	floors[4] = 0;
	for (int i = 0; i < 5; i++) {
		unsigned long other =
			nr_free_pages() - dma->free_pages - pcp_count(dma);

		fill(steps[i]);
		CHECK_EQ(dma->free_pages + pcp_count(dma), floors[i]);
		CHECK_EQ(nr_free_pages() - dma->free_pages - pcp_count(dma),
			 other);
		check_all();
	}
	give_all();
}

/*
 * The per-order rule: an order-n request needs, besides enough free
 * pages, more than min/2^k free pages in blocks of order k and up for
 * every k <= n. With order-1 blocks holding too little, an order-1
 * request fails while a free order-1 block and plenty of single pages
 * exist.
 */
TEST(higher_orders_need_free_pages_at_their_order)
{
	struct zone *dma;
	unsigned long g, singles, pairs, m, need;
	struct page *p;

	boot(&plain);
	dma = zone_at(ZONE_DMA);
	m = dma->pages_min;
	/* 2Y - 1 > m/2 with Y order-1 blocks: the smallest Y that works. */
	need = ((m >> 1) + 1) / 2 + 1;
	fill(GFP_DMA | __GFP_NOFAIL);
	CHECK_EQ(dma->free_pages + pcp_count(dma), 0);
	/* Groups of four frames from 1 MiB: frame 2 alone gives an order-0
	 * block (3 stays taken), frames 0 and 1 an order-1 block. */
	g = 256;
	for (singles = 0; singles < m + 100; singles++, g += 4)
		give(pg(g + 2));
	drain_all_pages();
	for (pairs = 1; pairs <= need; pairs++, g += 4) {
		give(pg(g));
		give(pg(g + 1));
		drain_all_pages();
		CHECK_EQ(dma->free_area[0].nr_free, singles);
		CHECK_EQ(dma->free_area[1].nr_free, pairs);
		p = take(GFP_DMA | __GFP_WAIT | __GFP_NOWARN, 1);
		if (pairs == need) {
			CHECK(p != NULL); /* just enough at order 1 now */
			break;
		}
		CHECK(p == NULL);
		if (p)
			give(p); /* goes back as the same order-1 block */
		if (pairs == 1) {
			/* Not enough at order 1, but the block is there. */
			p = take(GFP_DMA | __GFP_NOFAIL, 1);
			CHECK(p != NULL);
			if (p)
				give(p);
		}
	}
	check_all();
	give_all();
}

/* ---- shrinkers ---- */

static struct page *stash[16];
static int nstash, shrink_calls;

static unsigned long shrink_stash(unsigned long nr, gfp_t gfp)
{
	unsigned long done = 0;

	(void)gfp;
	shrink_calls++;
	while (done < nr && nstash) {
		give(stash[--nstash]);
		done++;
	}
	return done;
}

static struct shrinker stash_shrinker = {.shrink = shrink_stash};

/* Low zones at pages_min, eight pages stashed for the shrinker. */
static void shrink_setup(void)
{
	boot(&plain);
	for (nstash = 0; nstash < 8; nstash++)
		stash[nstash] = take(GFP_KERNEL, 0);
	fill(GFP_KERNEL);
	register_shrinker(&stash_shrinker);
	shrink_calls = 0;
}

static void shrink_done(void)
{
	unregister_shrinker(&stash_shrinker);
	check_all();
	give_all();
	nstash = 0;
}

/*
 * When the watermarks say no, the slow path drains the per-CPU lists,
 * asks the shrinkers for 2^order pages and looks again: pages a shrinker
 * gave back must serve the request that asked for them.
 */
TEST(shrinkers_give_memory_back)
{
	struct page *p;

	shrink_setup();
	p = take(GFP_KERNEL | __GFP_NOWARN, 0);
	CHECK_EQ(shrink_calls, 1);
	CHECK_EQ(nstash, 7);
	CHECK(p != NULL);
	shrink_done();
}

TEST(shrinkers_asked_only_when_allowed)
{
	struct page *p;

	shrink_setup();
	/* __GFP_NORETRY: no second look, so no shrinking. */
	CHECK(take(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0) == NULL);
	CHECK_EQ(shrink_calls, 0);
	CHECK_EQ(nstash, 8);

	/* Callers that may not sleep dig into the reserve instead. */
	CHECK(fill(GFP_ATOMIC) > 0);
	CHECK(take(GFP_ATOMIC | __GFP_NOWARN, 0) == NULL);
	CHECK_EQ(shrink_calls, 0);
	CHECK_EQ(nstash, 8);
	check_all();

	/* __GFP_REPEAT asks again while the shrinkers make progress. */
	shrink_done();
	shrink_setup();
	p = take(GFP_KERNEL | __GFP_REPEAT | __GFP_NOWARN, 0);
	CHECK(p != NULL);
	CHECK(shrink_calls >= 1 && shrink_calls <= 3);
	CHECK(nstash < 8);
	check_all();

	/* Unregistered, it is not asked. */
	unregister_shrinker(&stash_shrinker);
	fill(GFP_KERNEL);
	shrink_calls = 0;
	CHECK(take(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK_EQ(shrink_calls, 0);
	register_shrinker(&stash_shrinker);
	shrink_done();
}

/* ---- per-CPU lists ---- */

/* The hot/cold list as documented: hot at the head, cold at the tail. */
static unsigned long dq[64];
static int dq_len;

static void dq_push_front(unsigned long pfn)
{
	if (dq_len == (int)ARRAY_SIZE(dq))
		return;
	memmove(dq + 1, dq, dq_len * sizeof(dq[0]));
	dq[0] = pfn;
	dq_len++;
}

static void dq_same(struct per_cpu_pages *pcp, const char *what)
{
	struct list_head *e;
	int i = 0;

	list_for_each (e, &pcp->list) {
		struct page *p = list_entry(e, struct page, lru);

		EXPECT(i < dq_len && pfn_of(p) == dq[i],
		       "%s: entry %d is pfn %#lx, want %#lx", what, i,
		       pfn_of(p), i < dq_len ? dq[i] : 0);
		if (++i > dq_len)
			break;
	}
	EXPECT(i == dq_len && pcp->count == dq_len,
	       "%s: %d entries, count %d, want %d", what, i, pcp->count,
	       dq_len);
}

TEST(per_cpu_lists_hot_and_cold)
{
	struct zone *z;
	struct per_cpu_pages *pcp;
	struct page *p, *q, *loc[60];
	unsigned long before;
	int batch, high;

	boot(&big_normal);
	z = zone_at(ZONE_NORMAL);
	pcp = &z->pageset[0].pcp;
	batch = pcp->batch;
	high = pcp->high;
	CHECK(batch > 1);

	/* An empty list takes `batch` pages from the buddy lists. */
	drain_all_pages();
	CHECK_EQ(pcp->count, 0);
	before = z->free_pages;
	p = take(GFP_KERNEL, 0);
	CHECK(p && mzone[pfn_of(p)] == ZONE_NORMAL);
	CHECK_EQ(z->free_pages, before - batch);
	CHECK_EQ(pcp->count, batch - 1);
	check_all();

	/* Hot in, hot out. */
	give_how(p, BY_HOT);
	CHECK(take(GFP_KERNEL, 0) == p);
	give_how(p, BY_PAGE); /* __free_page is a hot free */
	CHECK(take(GFP_KERNEL, 0) == p);

	/* Cold in, cold out; a hot request does not get it. */
	CHECK(pcp->count >= 1);
	q = take(GFP_KERNEL, 0);
	give_how(q, BY_COLD);
	CHECK(pcp->count >= 2);
	p = take(GFP_KERNEL, 0);
	CHECK(p != q);
	CHECK(take(GFP_KERNEL | __GFP_COLD, 0) == q);
	give(p);
	check_all();

	/* Overflow: a free that brings the list to `high` sends back the
	 * `batch` coldest pages; the list never reaches `high`. */
	for (int i = 0; i < (int)ARRAY_SIZE(loc); i++)
		loc[i] = take(GFP_KERNEL, 0);
	drain_all_pages();
	dq_len = 0;
	for (int i = 0; i < (int)ARRAY_SIZE(loc); i++) {
		int cold = i % 5 == 3, c = pcp->count;

		before = z->free_pages;
		give_how(loc[i], cold ? BY_COLD : BY_HOT);
		if (!cold)
			dq_push_front(pfn_of(loc[i]));
		else if (dq_len < (int)ARRAY_SIZE(dq))
			dq[dq_len++] = pfn_of(loc[i]);
		if (c + 1 >= high) {
			dq_len = max(dq_len - batch, 0);
			CHECK_EQ(pcp->count, high - batch);
			CHECK_EQ(z->free_pages, before + batch);
			if (cold)
				CHECK(!PagePcp(loc[i]));
		} else {
			CHECK_EQ(pcp->count, c + 1);
			CHECK_EQ(z->free_pages, before);
		}
		CHECK(pcp->count < high);
		dq_same(pcp, "after a free");
	}
	check_all();

	/* Allocations take from the head, or the tail with __GFP_COLD. */
	for (int i = 0; i < 8 && dq_len > 0; i++) {
		bool cold = i & 1;

		p = take(GFP_KERNEL | (cold ? __GFP_COLD : 0), 0);
		CHECK(p && pfn_of(p) == (cold ? dq[dq_len - 1] : dq[0]));
		if (!cold)
			memmove(dq, dq + 1, (dq_len - 1) * sizeof(dq[0]));
		dq_len--;
		dq_same(pcp, "after an allocation");
	}

	/* Draining empties every list and loses nothing. */
	before = nr_free_pages();
	drain_local_pages();
	CHECK_EQ(pcp->count, 0);
	CHECK(list_empty(&pcp->list));
	CHECK_EQ(nr_free_pages(), before);
	check_all();
	give_all();
	drain_all_pages();
	check_all();
}

/* ---- bad frees ---- */

static struct page snap_map[ARENA_PAGES];
static pg_data_t snap_nodes[MAX_NUMNODES];
static struct page stray_page;
static char stray_buf[2 * 4096] __aligned(4096);

static void snap(void)
{
	memcpy(snap_map, mem_map, npages() * sizeof(struct page));
	memcpy(snap_nodes, node_data, sizeof(node_data));
}

static void same_as_snap(const char *what)
{
	for (unsigned long i = 0; i < npages(); i++) {
		if (memcmp(&snap_map[i], &mem_map[i], sizeof(struct page))) {
			report(__LINE__, "%s changed struct page of pfn %#lx",
			       what, m_min + i);
			break;
		}
	}
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		const struct zone *a = &snap_nodes[zi / MAX_NR_ZONES]
						.node_zones[zi % MAX_NR_ZONES];

		if (memcmp(a, zone_at(zi), sizeof(*a)))
			report(__LINE__, "%s changed zone %d (%s)", what, zi,
			       a->name);
	}
}

static void bad_free_done(const char *stmt, const char *kind, int line)
{
	if (!host_log_contains("BUG: Bad page free"))
		report(line, "%s: not reported", stmt);
	else if (!host_log_contains(kind))
		report(line, "%s: report lacks \"%s\":\n%s", stmt, kind,
		       host_log());
	same_as_snap(stmt);
}

#define BAD_FREE(stmt, kind)                          \
	do {                                          \
		snap();                               \
		host_log_clear();                     \
		stmt;                                 \
		bad_free_done(#stmt, kind, __LINE__); \
	} while (0)

static unsigned long addr_of(struct page *p)
{
	return (unsigned long)va_of(pfn_of(p));
}

TEST(bad_frees_are_reported_and_ignored)
{
	struct page *p, *b, *c, *l = NULL, *u = NULL, *h, *blk[64];
	struct buddyinfo initial;
	char buf[64];

	boot(&plain);
	buddyinfo_take(&initial);

	/* Double free of an order-0 page on the per-CPU list... */
	p = take(GFP_KERNEL, 0);
	CHECK(p != NULL);
	if (!p)
		return;
	give(p);
	CHECK(PagePcp(p));
	BAD_FREE(__free_page(p), "double free: the page is already free");
	snprintf(buf, sizeof(buf), "pfn %#lx", pfn_of(p));
	CHECK(host_log_contains(buf));
	CHECK(host_log_contains("the free was ignored"));
	BAD_FREE(free_hot_page(p), "double free");
	BAD_FREE(free_cold_page(p), "double free");
	BAD_FREE(free_page(addr_of(p)), "double free");
	/* ...and after it went back to the buddy lists. */
	drain_all_pages();
	BAD_FREE(__free_page(p), "double free");

	/* Double free of an order-3 block: first as a free block's head,
	 * then merged into the block below it. */
	for (int i = 0; i < 64; i++)
		blk[i] = take(GFP_KERNEL, 3);
	for (int i = 0; i < 64 && !l; i++) {
		unsigned long pf = blk[i] ? pfn_of(blk[i]) : 8;

		if (!(pf & 8) && mstate[pf + 8] == M_ALLOC &&
		    mhead[pf + 8] == pf + 8 && morder[pf + 8] == 3) {
			l = blk[i];
			u = pg(pf + 8);
		}
	}
	CHECK(l != NULL);
	if (l) {
		give(l);
		CHECK(PageBuddy(l) && l->private == 3);
		BAD_FREE(__free_pages(l, 3),
			 "double free: the page is already free");
		give(u);
		CHECK(!PageBuddy(u));
		BAD_FREE(__free_pages(u, 3),
			 "double free: inside a free order-");
		BAD_FREE(__free_pages(u + 1, 0), "double free: inside a free");
	}
	/* A page inside a big free block, and the block's head. */
	CHECK(zone_at(ZONE_NORMAL)->free_area[10].nr_free > 0);
	if (list_empty(&zone_at(ZONE_NORMAL)->free_area[10].free_list))
		return;
	h = list_first_entry(&zone_at(ZONE_NORMAL)->free_area[10].free_list,
			     struct page, lru);
	BAD_FREE(__free_page(h + 37),
		 "double free: inside a free order-10 block");
	snprintf(buf, sizeof(buf), "block at pfn %#lx", pfn_of(h));
	CHECK(host_log_contains(buf));
	BAD_FREE(__free_pages(h, 10), "double free: the page is already free");

	/* Tail pages of an allocated block. */
	b = take(GFP_KERNEL, 3);
	c = take(GFP_KERNEL, 0);
	CHECK(b && c);
	if (!b || !c)
		return;
	BAD_FREE(__free_pages(b + 2, 0),
		 "not the start of the allocated order-3 block");
	snprintf(buf, sizeof(buf), "block at pfn %#lx", pfn_of(b));
	CHECK(host_log_contains(buf));
	BAD_FREE(__free_pages(b + 7, 3), "not the start");
	BAD_FREE(__free_pages(b + 4, 2), "not the start");
	BAD_FREE(free_hot_page(b + 1), "not the start");
	BAD_FREE(free_pages(addr_of(b + 4), 2), "not the start");

	/* Wrong orders. */
	BAD_FREE(__free_pages(b, 2),
		 "wrong order: allocated as order 3, freed as order 2");
	BAD_FREE(__free_pages(b, 4), "wrong order");
	BAD_FREE(free_hot_page(b),
		 "wrong order: allocated as order 3, freed as order 0");
	BAD_FREE(free_cold_page(b), "wrong order");
	BAD_FREE(__free_pages(c, 1),
		 "wrong order: allocated as order 0, freed as order 1");
	BAD_FREE(free_pages(addr_of(c), 5), "wrong order");

	/* Reserved pages: firmware, and mem_map itself. */
	BAD_FREE(__free_page(pg(0)), "page is reserved");
	BAD_FREE(__free_pages(pg(128), 2), "reserved");
	BAD_FREE(free_page((unsigned long)va_of(5)), "reserved");
	BAD_FREE(__free_page(pg(__pa(mem_map) >> PAGE_SHIFT)), "reserved");

	/* Pointers that are not struct pages of mem_map. */
	BAD_FREE(__free_page(&stray_page),
		 "not a page of this machine's mem_map");
	BAD_FREE(__free_page(mem_map + npages()), "not a page");
	BAD_FREE(__free_page((struct page *)((uintptr_t)mem_map -
					     sizeof(struct page))),
		 "not a page");
	BAD_FREE(__free_page((struct page *)((uintptr_t)b + sizeof(long))),
		 "not a page");
	BAD_FREE(__free_pages((struct page *)((uintptr_t)c + 16), 0),
		 "not a page");
	BAD_FREE(__free_page(NULL), "not a page");

	/* Addresses that are not direct-mapped pages. */
	BAD_FREE(free_pages(addr_of(c) + 100, 0),
		 "not a page-aligned address in the direct map");
	BAD_FREE(free_pages(addr_of(c) + PAGE_SIZE / 2, 0),
		 "not a page-aligned");
	BAD_FREE(free_pages((unsigned long)va_of(m_direct), 0),
		 "not a page-aligned address in the direct map");
	BAD_FREE(free_pages((unsigned long)va_of(m_max - 1), 0),
		 "not a page-aligned address in the direct map");
	BAD_FREE(free_pages((unsigned long)stray_buf, 0),
		 "not a page-aligned address in the direct map");

	/* Pages the slab layer or kmalloc owns go back through them. */
	SetPageSlab(b);
	BAD_FREE(__free_pages(b, 3), "the page belongs to a slab");
	ClearPageSlab(b);
	SetPageTail(c);
	BAD_FREE(free_hot_page(c), "the page belongs to a slab");
	ClearPageTail(c);
	SetPageKmalloc(b);
	BAD_FREE(free_pages(addr_of(b), 3), "the page is a kmalloc block");
	ClearPageKmalloc(b);

	/* Orders past the largest. */
	BAD_FREE(__free_pages(b, MAX_ORDER), "order out of range");
	BAD_FREE(__free_pages(c, 40), "order out of range");

	/* Freeing address 0 is a no-op, silently. */
	snap();
	host_log_clear();
	free_pages(0, 3);
	CHECK_STR(host_log(), "");
	same_as_snap("free_pages(0, 3)");

	/* None of it hurt: everything still frees and coalesces. */
	check_all();
	give_all();
	drain_all_pages();
	check_all();
	buddyinfo_same(&initial, "after the bad frees");
}

TEST(references_delay_the_free)
{
	struct page *p;
	unsigned long before;

	boot(&plain);
	p = take(GFP_KERNEL, 2);
	snap();
	get_page(p);
	CHECK_EQ(page_count(p), 2);
	host_log_clear();
	__free_pages(p, 2);
	CHECK_STR(host_log(), "");
	CHECK_EQ(page_count(p), 1);
	same_as_snap("get_page, then __free_pages");
	before = zone_at(ZONE_NORMAL)->free_pages;
	give(p);
	CHECK_EQ(page_count(p), 0);
	CHECK_EQ(zone_at(ZONE_NORMAL)->free_pages, before + 4);
	check_all();

	/* The same through the order-0 frees: the last one goes on the
	 * per-CPU list. */
	p = take(GFP_KERNEL, 0);
	get_page(p);
	get_page(p);
	mrefs[pfn_of(p)] = 3;
	give_how(p, BY_COLD);
	give_how(p, BY_HOT);
	CHECK_EQ(page_count(p), 1);
	CHECK(!PagePcp(p));
	check_all();
	give_how(p, BY_ADDR);
	CHECK(PagePcp(p));
	check_all();
}

/* ---- might_sleep ---- */

static const char sleep_bug[] = "BUG: sleeping function called from "
				"invalid context at mm/page_alloc.c:";

static void expect_sleep_report(gfp_t gfp, bool report_wanted,
				const char *state)
{
	struct page *p;
	unsigned long irq = host_irq_flags;

	host_log_clear();
	p = take(gfp, 0);
	CHECK(p != NULL);
	CHECK_EQ(host_irq_flags, irq); /* left as the caller had it */
	if (report_wanted) {
		CHECK(host_log_contains(sleep_bug));
		CHECK(host_log_contains(state));
	} else {
		CHECK_STR(host_log(), "");
	}
}

TEST(might_sleep_in_atomic_context)
{
	unsigned long reports_before;
	void *map;

	boot(&plain);
	expect_sleep_report(GFP_KERNEL, false, "");
	expect_sleep_report(GFP_HIGHUSER, false, "");

	host_irq_flags = 0;
	reports_before = might_sleep_reports;
	expect_sleep_report(GFP_KERNEL, true,
			    "in_atomic(): 0, irqs_disabled(): 1, in_irq(): 0");
	CHECK_EQ(might_sleep_reports, reports_before + 1);
	/* Boot runs with interrupts off and is not reported. */
	early_boot = true;
	expect_sleep_report(GFP_KERNEL, false, "");
	early_boot = false;
	CHECK_EQ(might_sleep_reports, reports_before + 1);
	expect_sleep_report(GFP_NOIO, true, "irqs_disabled(): 1");
	expect_sleep_report(GFP_HIGHUSER | __GFP_ZERO, true,
			    "irqs_disabled(): 1");
	expect_sleep_report(GFP_ATOMIC, false, "");
	expect_sleep_report(GFP_DMA, false, "");
	expect_sleep_report(GFP_ATOMIC | __GFP_HIGHMEM | __GFP_ZERO, false, "");
	host_log_clear();
	give(pg(blocks[0].pfn));
	CHECK_EQ(host_irq_flags, 0);
	CHECK_STR(host_log(), "");
	host_irq_flags = 1;

	preempt_disable();
	expect_sleep_report(GFP_KERNEL, true,
			    "in_atomic(): 1, irqs_disabled(): 0, in_irq(): 0");
	expect_sleep_report(GFP_ATOMIC, false, "");
	expect_sleep_report(GFP_ATOMIC | __GFP_HIGHMEM | __GFP_ZERO, false, "");
	preempt_enable();

	/* Holding an atomic mapping is atomic context too. */
	map = kmap_atomic(pg(blocks[nblocks - 1].pfn), KM_USER1);
	expect_sleep_report(GFP_KERNEL, true, "in_atomic(): 1");
	kunmap_atomic(map, KM_USER1);
	expect_sleep_report(GFP_KERNEL, false, "");

	irq_enter();
	expect_sleep_report(GFP_KERNEL, true, "in_irq(): 1");
	expect_sleep_report(GFP_ATOMIC, false, "");
	irq_exit();

	host_log_clear();
	CHECK(__get_free_page(GFP_KERNEL) != 0);
	CHECK_STR(host_log(), "");
	host_irq_flags = 0;
	CHECK(__get_free_page(GFP_KERNEL) != 0);
	host_irq_flags = 1;
	CHECK(host_log_contains(sleep_bug));
}

/* ---- addresses, highmem, odd requests ---- */

TEST(addresses_highmem_and_odd_requests)
{
	struct page *p;
	unsigned long addr, pfn, want;
	void *a;

	boot(&plain);

	/* __get_free_pages: a direct-mapped address of the block. */
	addr = __get_free_pages(GFP_KERNEL, 2);
	pfn = __pa(addr) >> PAGE_SHIFT;
	CHECK(addr && IS_ALIGNED(addr, PAGE_SIZE) && IS_ALIGNED(pfn, 4) &&
	      pfn >= m_min && pfn < m_direct);
	if (!addr || pfn < m_min || pfn >= m_direct)
		return;
	CHECK(virt_to_page((void *)addr) == pg(pfn));
	CHECK(page_address(pg(pfn)) == (void *)addr);
	CHECK(virt_addr_valid((void *)addr));
	model_alloc(pfn, 2);

	/* get_zeroed_page really zeroes: the hot page just dirtied. */
	p = take(GFP_KERNEL, 0);
	CHECK(p != NULL);
	if (!p)
		return;
	dirty_block(pfn_of(p), 0, 0xee);
	give_how(p, BY_HOT);
	addr = get_zeroed_page(GFP_KERNEL);
	CHECK(addr == addr_of(p));
	model_alloc(pfn_of(p), 0);
	CHECK(block_zeroed(pfn_of(p), 0));

	/* __GFP_HIGHMEM has no address: warned about, and dropped. */
	host_log_clear();
	addr = __get_free_pages(GFP_HIGHUSER, 0);
	CHECK(host_log_contains("__get_free_pages with __GFP_HIGHMEM"));
	pfn = __pa(addr) >> PAGE_SHIFT;
	CHECK(addr && pfn >= m_min && pfn < m_direct);
	if (!addr || pfn < m_min || pfn >= m_direct)
		return;
	model_alloc(pfn, 0);

	/* A HIGHMEM page: no address, but kmap_atomic reaches it. */
	p = take(GFP_HIGHUSER, 0);
	CHECK(p && PageHighMem(p) && page_address(p) == NULL);
	a = kmap_atomic(p, KM_USER1);
	CHECK(a == va_of(pfn_of(p)));
	CHECK_EQ(preempt_count(), 1);
	kunmap_atomic(a, KM_USER1);
	CHECK_EQ(preempt_count(), 0);
	p = take(GFP_HIGHUSER | __GFP_ZERO, 4);
	CHECK(p && PageHighMem(p) && block_zeroed(pfn_of(p), 4));

	/* __GFP_DMA with __GFP_HIGHMEM: warned, served from DMA. */
	host_log_clear();
	p = take(__GFP_DMA | __GFP_HIGHMEM, 0);
	CHECK(host_log_contains("__GFP_DMA and __GFP_HIGHMEM together"));
	CHECK(p && mzone[pfn_of(p)] == ZONE_DMA);

	/* No such node: warned, node 0. A negative node is node 0. */
	host_log_clear();
	p = take_node(3, GFP_KERNEL, 0);
	CHECK(host_log_contains("alloc_pages_node: no node 3"));
	CHECK(p != NULL);
	host_log_clear();
	CHECK(take_node(-1, GFP_KERNEL, 0) != NULL);
	CHECK_STR(host_log(), "");

	/* Orders past the largest fail at once; order 10 is fine. */
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER) == NULL);
	CHECK(host_log_contains("page allocation of order 11: the largest "
				"is 10"));
	host_log_clear();
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 5) == NULL);
	CHECK_STR(host_log(), "");
	CHECK(take(GFP_KERNEL, MAX_ORDER - 1) != NULL);

	/* Free pages above each zone's high mark. */
	want = 0;
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		struct zone *z = zone_at(zi);
		unsigned long f = z->free_pages + pcp_count(z);

		if (f > z->pages_high)
			want += f - z->pages_high;
	}
	CHECK_EQ(nr_free_pagecache_pages(), want);
	check_all();
	give_all();
	check_all();
}

/* ---- kmap_atomic nesting ---- */

TEST(kunmap_atomic_out_of_order_is_reported)
{
	extern void *kmap_atomic_addr[];
	struct page *p, *q;
	void *a, *b, *c;
	char want[160];

	boot(&plain);
	p = take(GFP_HIGHUSER, 0);
	q = take(GFP_HIGHUSER, 0);
	CHECK(p && q && PageHighMem(p) && PageHighMem(q));
	if (!p || !q)
		return;

	/* Undone last first, an interrupt's mapping nested inside: quiet. */
	host_log_clear();
	a = kmap_atomic(p, KM_USER0);
	b = kmap_atomic(q, KM_USER1);
	c = kmap_atomic(p, KM_IRQ0);
	kunmap_atomic(c, KM_IRQ0);
	kunmap_atomic(b, KM_USER1);
	kunmap_atomic(a, KM_USER0);
	CHECK_STR(host_log(), "");
	CHECK_EQ(preempt_count(), 0);

	/* The first mapping undone first: reported, and still undone. */
	a = kmap_atomic(p, KM_USER0);
	b = kmap_atomic(q, KM_USER1);
	kunmap_atomic(a, KM_USER0);
	snprintf(want, sizeof(want), "BUG: kunmap_atomic(0x%0*lx, %d) from ",
		 (int)(2 * sizeof(void *)), (unsigned long)a, KM_USER0);
	CHECK(host_log_contains(want));
	snprintf(want, sizeof(want),
		 " out of order: the last mapping is 0x%0*lx (type %d); "
		 "unmapped all the same\n",
		 (int)(2 * sizeof(void *)), (unsigned long)b, KM_USER1);
	CHECK(host_log_contains(want));
	CHECK(kmap_atomic_addr[KM_USER0] == NULL);
	CHECK(kmap_atomic_addr[KM_USER1] == b);
	CHECK_EQ(preempt_count(), 1);
	host_log_clear();
	kunmap_atomic(b, KM_USER1); /* now the last: quiet */
	CHECK_STR(host_log(), "");
	CHECK(kmap_atomic_addr[KM_USER1] == NULL);
	CHECK_EQ(preempt_count(), 0);

	/* A NULL address is no mapping: reported, nothing touched. */
	a = kmap_atomic(p, KM_USER0);
	preempt_disable(); /* the count a second kmap_atomic would hold */
	kunmap_atomic(NULL, KM_USER1);
	CHECK(host_log_contains("that slot maps"));
	CHECK(kmap_atomic_addr[KM_USER0] == a);
	kunmap_atomic(a, KM_USER0);
	CHECK_EQ(preempt_count(), 0);
	give_all();
	check_all();
}

/* ---- GFP names ---- */

static const char *name_of(gfp_t gfp)
{
	static char buf[128];

	return gfp_name(gfp, buf, sizeof(buf));
}

static void check_parse(const char *s, int err, gfp_t want)
{
	gfp_t got = 0x12345;
	int r = gfp_parse(s, &got);

	if (r != err || got != (err ? 0x12345 : want))
		report(__LINE__, "gfp_parse(\"%s\") = %d, %#x; want %d, %#x", s,
		       r, got, err, err ? 0x12345 : want);
}

TEST(gfp_names_and_parsing)
{
	static const gfp_t defined[] = {
		__GFP_DMA,    __GFP_HIGHMEM, __GFP_WAIT,    __GFP_HIGH,
		__GFP_IO,     __GFP_FS,	     __GFP_COLD,    __GFP_NOWARN,
		__GFP_REPEAT, __GFP_NOFAIL,  __GFP_NORETRY, __GFP_ZERO,
	};
	char small[12];

	CHECK_STR(name_of(GFP_KERNEL | __GFP_ZERO), "GFP_KERNEL|__GFP_ZERO");
	CHECK_STR(name_of(GFP_HIGHUSER), "GFP_HIGHUSER");
	CHECK_STR(name_of(GFP_ATOMIC), "GFP_ATOMIC");
	CHECK_STR(name_of(GFP_NOFS | __GFP_COLD), "GFP_NOFS|__GFP_COLD");
	CHECK_STR(name_of(GFP_DMA), "__GFP_DMA");
	CHECK_STR(name_of(0), "GFP_NOWAIT");
	CHECK_STR(name_of(GFP_KERNEL | 0x4000), "GFP_KERNEL|0x4000");
	CHECK_STR(name_of(0x4000), "0x4000");
	CHECK_STR(name_of(GFP_ATOMIC | __GFP_NOWARN | __GFP_NOFAIL),
		  "GFP_ATOMIC|__GFP_NOWARN|__GFP_NOFAIL");
	CHECK_STR(name_of(GFP_HIGHUSER | __GFP_ZERO | __GFP_NOWARN |
			  __GFP_COLD | __GFP_REPEAT | __GFP_NORETRY),
		  "GFP_HIGHUSER|__GFP_COLD|__GFP_NOWARN|__GFP_REPEAT|"
		  "__GFP_NORETRY|__GFP_ZERO");
	CHECK_STR(name_of(__GFP_DMA | __GFP_HIGH | 0x2000),
		  "GFP_ATOMIC|__GFP_DMA|0x2000");
	/* Truncated, never overrun, always terminated. */
	gfp_name(GFP_KERNEL | __GFP_ZERO, small, sizeof(small));
	CHECK(strlen(small) < sizeof(small));
	CHECK(!strncmp(small, "GFP_KERNEL|__GFP_ZERO", strlen(small)));
	CHECK_STR(gfp_name(GFP_KERNEL, small, 1), "");

	/* Every combination of the defined bits reads back as itself. */
	for (unsigned int m = 0; m < (1U << ARRAY_SIZE(defined)); m++) {
		gfp_t gfp = 0, back = 0;

		for (unsigned int i = 0; i < ARRAY_SIZE(defined); i++) {
			if (m & (1U << i))
				gfp |= defined[i];
		}
		if (gfp_parse(name_of(gfp), &back) || back != gfp) {
			report(__LINE__, "%#x -> \"%s\" -> %#x", gfp,
			       name_of(gfp), back);
			break;
		}
	}

	check_parse("GFP_KERNEL|__GFP_ZERO", 0, GFP_KERNEL | __GFP_ZERO);
	check_parse("GFP_HIGHUSER", 0, GFP_HIGHUSER);
	check_parse("GFP_USER", 0, GFP_USER);
	check_parse("GFP_DMA", 0, __GFP_DMA);
	check_parse("GFP_NOWAIT", 0, 0);
	check_parse("__GFP_HIGH|__GFP_HIGHMEM", 0, __GFP_HIGH | __GFP_HIGHMEM);
	check_parse("0x8000", 0, __GFP_ZERO);
	check_parse("16", 0, __GFP_WAIT);
	check_parse("0", 0, 0);
	check_parse("GFP_ATOMIC|0x200|__GFP_COLD", 0,
		    GFP_ATOMIC | __GFP_NOWARN | __GFP_COLD);
	check_parse("0x9ff3", 0, __GFP_BITS_MASK);

	check_parse("", -EINVAL, 0);
	check_parse("GFP_KERNEL|", -EINVAL, 0);
	check_parse("|GFP_KERNEL", -EINVAL, 0);
	check_parse("GFP_KERNEL||__GFP_ZERO", -EINVAL, 0);
	check_parse("gfp_kernel", -EINVAL, 0);
	check_parse("GFP_KERNELX", -EINVAL, 0);
	check_parse("GFP_KERNEL | __GFP_ZERO", -EINVAL, 0);
	check_parse("__GFP_", -EINVAL, 0);
	check_parse("0x4000", -EINVAL, 0);
	check_parse("0x10000", -EINVAL, 0);
	check_parse("-1", -EINVAL, 0);
	check_parse("0x", -EINVAL, 0);
	check_parse("12abc", -EINVAL, 0);
	check_parse("0000000000000000000000000001", -EINVAL, 0);
}

/* ---- /proc/buddyinfo and /proc/zoneinfo ---- */

static char wantbuf[16384];

static const char *show(const char *name)
{
	const char *text = host_proc_show(name);

	CHECK(text != NULL); /* the table exists and fits the buffer */
	return text ? text : "";
}

static size_t wlen;

static void __printf(1, 2) wantf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wlen += vsnprintf(wantbuf + wlen, sizeof(wantbuf) - wlen, fmt, ap);
	va_end(ap);
}

static unsigned long list_len(struct list_head *head)
{
	struct list_head *e;
	unsigned long n = 0;

	list_for_each (e, head)
		n++;
	return n;
}

/* What the counters must say, counted by the test itself. */
static unsigned long n_alloc[NZONES], n_free[NZONES], n_fail[NZONES];

static struct page *counted_take(int nid, gfp_t gfp, unsigned int order)
{
	struct page *p = take_node(nid, gfp | __GFP_NOWARN, order);
	int zl[NZONES];

	if (p)
		n_alloc[mzone[pfn_of(p)]]++;
	else if (pref_zones(nid, gfp, zl))
		n_fail[zl[0]]++;
	return p;
}

/* By any of the free functions that fit the block. */
static void counted_give(struct page *p)
{
	unsigned long pfn = pfn_of(p);

	if (mrefs[pfn] == 1)
		n_free[mzone[pfn]]++;
	give_how(p, random_how(pfn, morder[pfn]));
}

static void check_proc(const struct layout *l)
{
	struct page *p;

	boot(l);
	rng = 4242;
	memset(n_alloc, 0, sizeof(n_alloc));
	memset(n_free, 0, sizeof(n_free));
	memset(n_fail, 0, sizeof(n_fail));
	for (int i = 0; i < 200; i++) {
		gfp_t gfp = bases[rnd_below(ARRAY_SIZE(bases))];

		p = counted_take(rnd_below(m_nodes), gfp, random_order());
		if (!p)
			continue;
		if (chance(40)) {
			counted_give(p);
		} else if (chance(10)) {
			get_page(p); /* a free that only drops a reference */
			mrefs[pfn_of(p)]++;
			counted_give(p);
		}
	}
	while (counted_take(0, GFP_DMA, MAX_ORDER - 1))
		;

	wlen = 0;
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		struct zone *z = zone_at(zi);

		if (!mpresent[zi])
			continue;
		wantf("Node %d, zone %8s ", zi / MAX_NR_ZONES,
		      zone_names[zi % MAX_NR_ZONES]);
		for (int o = 0; o < MAX_ORDER; o++)
			wantf("%6lu ", list_len(&z->free_area[o].free_list));
		wantf("\n");
	}
	CHECK_STR(show("buddyinfo"), wantbuf);

	wlen = 0;
	for (int zi = 0; zi < m_nodes * MAX_NR_ZONES; zi++) {
		struct zone *z = zone_at(zi);
		unsigned long free = 0;

		if (!mpresent[zi])
			continue;
		for (int o = 0; o < MAX_ORDER; o++)
			free += list_len(&z->free_area[o].free_list) << o;
		wantf("Node %d, zone %8s\n", zi / MAX_NR_ZONES,
		      zone_names[zi % MAX_NR_ZONES]);
		wantf("  pages free     %lu\n", free);
		wantf("        min      %lu\n", z->pages_min);
		wantf("        low      %lu\n", z->pages_low);
		wantf("        high     %lu\n", z->pages_high);
		wantf("        spanned  %lu\n", mend[zi] + 1 - mstart[zi]);
		wantf("        present  %lu\n", mpresent[zi]);
		wantf("    nr_free_pages %lu\n", free);
		wantf("    nr_pcp_pages %lu\n",
		      list_len(&z->pageset[0].pcp.list));
		wantf("    nr_alloc     %lu\n", n_alloc[zi]);
		wantf("    nr_free      %lu\n", n_free[zi]);
		wantf("    nr_alloc_fail %lu\n", n_fail[zi]);
		wantf("  pagesets\n");
		wantf("    cpu: 0\n");
		wantf("              count: %lu\n",
		      list_len(&z->pageset[0].pcp.list));
		wantf("              high:  %d\n", z->pageset[0].pcp.high);
		wantf("              batch: %d\n", z->pageset[0].pcp.batch);
		wantf("  start_pfn:         %lu\n", mstart[zi]);
	}
	CHECK_STR(show("zoneinfo"), wantbuf);
	check_all();
}

TEST(proc_buddyinfo_and_zoneinfo)
{
	static const char dma_line[] =
		"Node 0, zone      DMA      0      0      0      0      0"
		"      0      0      0      1      1      3 \n";

	check_proc(&three_nodes);
	check_proc(&memoryless_node);
	check_proc(&no_highmem);
	check_proc(&tiny);
	check_proc(&plain);
	/* A fresh plain machine, by hand: DMA is 1-16 MiB, so one block of
	 * order 8 (1-2 MiB), one of order 9 (2-4 MiB), three of order 10. */
	boot(&plain);
	CHECK(strncmp(show("buddyinfo"), dma_line, strlen(dma_line)) == 0);
}


/*
 * fail_page_alloc through its shell command: min-order spares the small
 * orders, a failure takes nothing from the free lists and prints no
 * "page allocation failure" (nothing ran out), and the counters agree.
 */
TEST(fail_page_alloc_spares_small_orders)
{
	struct page *p0, *p1, *p2;
	unsigned long before;

	boot(&plain);
	before = nr_free_pages();
	CHECK_EQ(host_shell("fail_page_alloc min-order=1 verbose=1 "
			    "1,100,0,-1"),
		 0);
	p0 = alloc_pages(GFP_KERNEL, 0);
	p1 = alloc_pages(GFP_KERNEL, 1);
	p2 = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 2);
	CHECK(p0 != NULL);
	CHECK(p1 == NULL);
	CHECK(p2 != NULL);
	CHECK(host_log_contains("FAULT_INJECTION: forcing a failure: "
				"fail_page_alloc, 8192 bytes"));
	CHECK(!host_log_contains("page allocation failure"));
	CHECK_EQ(fail_page_alloc_attr.failures, 1);
	CHECK_EQ(host_shell("fail_page_alloc min-order=11"), -EINVAL);
	CHECK_EQ(host_shell("fail_page_alloc ignore-gfp-wait=Y"), 0);
	p1 = alloc_pages(GFP_KERNEL, 1);
	CHECK(p1 != NULL);
	CHECK(alloc_pages(GFP_ATOMIC, 1) == NULL);
	CHECK_EQ(host_shell("fail_page_alloc off reset min-order=0 "
			    "ignore-gfp-wait=N"),
		 0);
	CHECK_EQ(fail_page_alloc_attr.failures, 0);
	__free_pages(p0, 0);
	__free_pages(p1, 1);
	__free_pages(p2, 2);
	drain_all_pages();
	CHECK_EQ(nr_free_pages(), before);
}

TEST_MAIN()
