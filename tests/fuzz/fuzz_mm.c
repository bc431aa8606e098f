/*
 * A libFuzzer target for the allocators: the page allocator, the slab
 * layer and kmalloc, vmalloc, vmap and ioremap, built for the host as
 * the host tests build them (tests/host/host.mk), with AddressSanitizer
 * and UBSan.
 *
 * The fuzzer's bytes are read as a program: each operation is one byte
 * saying what to do and a few more saying with what (an order, a size,
 * a GFP mask, which live object). The harness keeps every live block,
 * object and area it holds, writes a pattern into each and checks the
 * pattern before it frees it. After every operation it checks:
 *
 *   - every buddy list and per-CPU list: each entry a page of its zone,
 *     flagged as what it is, aligned to its order, fully merged, on one
 *     list only; the counts agree with the lists;
 *   - no page the harness holds is on a free list, and its count and
 *     order are what the harness expects;
 *   - the pages add up: free + held by the harness + in slabs + page
 *     tables is the same after every step;
 *   - every slab cache: its partial, full and CPU slabs, their free
 *     chains (in the slab, no slot twice, no live object on one), the
 *     counters;
 *   - vmalloc's figures against the areas the harness holds;
 *   - nothing was reported (BUG, WARNING) except where the operation
 *     was a deliberate misuse, and then that it was.
 *
 * Misuse operations free wrongly on purpose (a wrong order, a pointer
 * inside a block or object, a double free straight after a free, an
 * object given to the wrong cache, vfree inside an area, kunmap_atomic
 * out of order): each must be reported and change nothing. Fault
 * injection can be armed, so that allocations fail part way.
 *
 * At the end of every input everything is freed, the caches shrunk and
 * the per-CPU lists drained; every page, slab object, vmalloc range and
 * page table must then be back as the boot left them. Each input starts
 * from a fresh boot (the same one every time), so a crash replays from
 * its input alone.
 *
 * Build and run: make fuzz FUZZ_SECONDS=60 (tests/fuzz/fuzz.mk).
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/fault_inject.h>
#include <pagoda/highmem.h>
#include <pagoda/io.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/pgtable.h>
#include <pagoda/seq_file.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../mm/internal.h"
#include "../../mm/slab.h"
#include "shim.h"

#define ARENA_SIZE   (16UL << 20)
#define ARENA_PAGES  (ARENA_SIZE >> PAGE_SHIFT)
#define DMA_END	     (4UL << 20)
#define DIRECT_END   (12UL << 20)
#define IO_BASE	     0xfe000000ULL /* device registers: above the arena */
#define MAX_STEPS    2048 /* operations per input */
#define MAX_BLOCKS   256
#define MAX_OBJS     1024
#define MAX_AREAS    64
#define MAX_VMAP     8
#define MAX_CACHES   12
#define FIXED_CACHES 7
#define VMALLOC_MAX  (4UL << 20) /* keeps vmalloc's page array in a slab */

/* tests/host/fake_pgtable.c */
void fake_pgtable_reset(void);
unsigned long fake_pgtable_tables(void);
long fake_pgtable_check(void);
int fake_read(unsigned long va, void *buf, unsigned long len);
int fake_write(unsigned long va, const void *buf, unsigned long len);

/* mm/pgtable.c and mm/ioremap.c register shell commands. */
int shell_usage(struct seq_file *out, const char *name)
{
	seq_printf(out, "usage: %s\n", name);
	return -EINVAL;
}

const char *layout_region_name(unsigned long addr)
{
	return is_vmalloc_addr((void *)addr) ? "vmalloc" : "elsewhere";
}

extern void *kmap_atomic_addr[];

/* ---- failing ---- */

static const char *op_name = "boot";
static unsigned long step;

/* Print the serial log and what was being done, then die (a crash to
 * libFuzzer, which saves the input). */
#define FZ_ASSERT(cond, ...)                                                  \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "fuzz_mm: step %lu (%s): %s: ", step, \
				op_name, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                         \
			fprintf(stderr, "\n--- kernel log ---\n%s\n",         \
				host_log());                                  \
			abort();                                              \
		}                                                             \
	} while (0)

/* ---- the input ---- */

static const uint8_t *in;
static size_t in_len, in_pos;

static unsigned int byte(void)
{
	return in_pos < in_len ? in[in_pos++] : 0;
}

static unsigned int word(void)
{
	unsigned int lo = byte();

	return lo | byte() << 8;
}

/* ---- what the harness holds ---- */

struct block {
	struct page *page;
	unsigned int order;
	unsigned int refs; /* get_page() adds one; each free drops one */
	uint32_t seed;
};

struct obj {
	uint8_t *p;
	unsigned long size; /* bytes the harness uses */
	unsigned long pages; /* a large kmalloc block: its pages; else 0 */
	uint32_t seed;
	int cache; /* index in caches[], or -1 for kmalloc */
};

enum area_kind { AREA_VMALLOC, AREA_VMAP, AREA_IOREMAP };

struct area {
	unsigned long addr; /* as returned (ioremap keeps the page offset) */
	unsigned long size; /* bytes asked for */
	unsigned long pages;
	uint32_t seed;
	enum area_kind kind;
	struct page *vmap_pages[MAX_VMAP];
};

struct fcache {
	struct kmem_cache *s;
	unsigned long size, align;
	bool ctor;
	unsigned long live;
};

static struct block blocks[MAX_BLOCKS];
static int nblocks;
static struct obj objs[MAX_OBJS];
static int nobjs;
static struct area areas[MAX_AREAS];
static int nareas;
static struct fcache caches[MAX_CACHES];
static int ncaches;
static unsigned int cache_serial;

/* Pages the harness holds, outside slabs and page tables. */
static unsigned long held_pages;

/* Frozen at boot: free + slab + page-table pages, and what is free. */
static unsigned long total_pages, boot_free, boot_slab_pages;
static unsigned long boot_active[64];
static char boot_names[64][KMEM_CACHE_NAME_LEN];
static int boot_ncaches;

/* What a misuse that must be reported did report; NULL if none. */
static const char *expect_report;

static unsigned long stat_steps, stat_inputs, stat_misuses, stat_failed;

/* ---- patterns ---- */

static uint8_t pat(uint32_t seed, unsigned long i)
{
	return (uint8_t)(seed * 131 + i * 7 + (i >> 8) * 13);
}

static void fill(uint8_t *p, unsigned long n, uint32_t seed)
{
	for (unsigned long i = 0; i < n; i++)
		p[i] = pat(seed, i);
}

static bool intact(const uint8_t *p, unsigned long n, uint32_t seed)
{
	for (unsigned long i = 0; i < n; i++) {
		if (p[i] != pat(seed, i))
			return false;
	}
	return true;
}

static bool all_zero(const uint8_t *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		if (p[i])
			return false;
	}
	return true;
}

/* What a constructor leaves in an object of size n. */
static uint8_t ctor_byte(unsigned long i)
{
	return (uint8_t)(0xc7 ^ i);
}

static void fuzz_ctor(void *obj)
{
	struct kmem_cache *s = virt_to_cache(obj);
	uint8_t *p = obj;

	FZ_ASSERT(s != NULL, "constructor called on %p, not in a slab", obj);
	for (unsigned int i = 0; i < kmem_cache_size(s); i++)
		p[i] = ctor_byte(i);
}

/* Page contents: the host reaches every "physical" page directly. */
static uint8_t *page_mem(struct page *page)
{
	return (uint8_t *)host_phys_base + page_to_phys(page);
}

/* A signature at both ends of every page of a block. */
static void sign_block(struct page *page, unsigned int order, uint32_t seed)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		uint8_t *m = page_mem(page + i);

		fill(m, 32, seed + i);
		fill(m + PAGE_SIZE - 32, 32, ~seed + i);
	}
}

static bool block_signed(struct page *page, unsigned int order, uint32_t seed)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		uint8_t *m = page_mem(page + i);

		if (!intact(m, 32, seed + i) ||
		    !intact(m + PAGE_SIZE - 32, 32, ~seed + i))
			return false;
	}
	return true;
}

static bool block_zeroed(struct page *page, unsigned int order)
{
	static const uint8_t zero_page[PAGE_SIZE];

	for (unsigned long i = 0; i < (1UL << order); i++) {
		if (memcmp(page_mem(page + i), zero_page, PAGE_SIZE))
			return false;
	}
	return true;
}

/* ---- booting ---- */

static void fixed_caches(void)
{
	static const struct {
		const char *name;
		unsigned long size, align, flags;
		bool ctor;
	} fixed[FIXED_CACHES] = {
		{"fz-small", 24, 0, 0, false},
		{"fz-hwalign", 100, 0, SLAB_HWCACHE_ALIGN, false},
		{"fz-ctor", 200, 0, 0, true},
		{"fz-debug", 72, 0, SLAB_DEBUG_FLAGS, false},
		{"fz-dma", 512, 0, SLAB_CACHE_DMA, false},
		{"fz-big", 3000, 64, 0, false},
		{"fz-reclaim", 40, 0, SLAB_RECLAIM_ACCOUNT | SLAB_RED_ZONE,
		 false},
	};

	ncaches = 0;
	for (int i = 0; i < FIXED_CACHES; i++) {
		caches[i].s = kmem_cache_create(
			fixed[i].name, fixed[i].size, fixed[i].align,
			fixed[i].flags | SLAB_PANIC,
			fixed[i].ctor ? fuzz_ctor : NULL);
		caches[i].size = fixed[i].size;
		caches[i].align = fixed[i].align;
		caches[i].ctor = fixed[i].ctor;
		caches[i].live = 0;
		ncaches++;
	}
}

static unsigned long slab_pages(void)
{
	return slab_reclaimable_pages() + slab_unreclaimable_pages();
}

static unsigned long accounted_pages(void)
{
	return nr_free_pages() + held_pages + slab_pages() +
	       fake_pgtable_tables();
}

static char *arena;

static void boot(void)
{
	struct kmem_cache *s;

	if (vmalloc_used())
		FZ_ASSERT(false, "areas left live by the last input");
	/* tests/host/arena.c's boot, with the host's fast memset. */
	if (!arena) {
		arena = aligned_alloc(4UL << 20, ARENA_SIZE);
		FZ_ASSERT(arena, "no arena");
	}
	host_phys_base = arena;
	memset(arena, 0x3c, ARENA_SIZE); /* garbage, the same every time */
	bootmem_reset();
	bootmem_add_memory(0, ARENA_SIZE);
	reserve_bootmem(0, 1 << 20, "firmware");
	bootmem_set_limits(DMA_END, DIRECT_END);
	fake_pgtable_reset(); /* the directory, from bootmem */
	mem_init();
	kmem_cache_init();
	kmalloc_init();
	vmalloc_init();
	host_irq_flags = 1;
	preempt_count_reset();
	fixed_caches();
	fault_attr_parse(&failslab_attr, "1,0,0,0");
	fault_attr_parse(&fail_page_alloc_attr, "1,0,0,0");
	failslab_attr.verbose = 0;
	fail_page_alloc_attr.verbose = 0;
	nblocks = nobjs = nareas = 0;
	held_pages = 0;
	kmem_cache_shrink_all();
	drain_all_pages();
	boot_free = nr_free_pages();
	boot_slab_pages = slab_pages();
	total_pages = accounted_pages();
	boot_ncaches = 0;
	list_for_each_entry (s, &slab_caches, list) {
		if (boot_ncaches == 64)
			break;
		strcpy(boot_names[boot_ncaches], s->name);
		boot_active[boot_ncaches++] = slab_active_objects(s);
	}
	host_log_clear();
}

/* ---- checking the page allocator ---- */

static uint8_t seen[ARENA_PAGES];

static bool in_mem_map(const struct page *p)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)mem_map;

	return a >= b && a < b + (max_pfn - min_pfn) * sizeof(struct page) &&
	       (a - b) % sizeof(struct page) == 0;
}

static void check_free_block(struct zone *z, struct page *p, unsigned int o)
{
	unsigned long pfn = page_to_pfn(p), size = 1UL << o;
	unsigned long zend = z->zone_start_pfn + z->spanned_pages;

	FZ_ASSERT(PageBuddy(p) && !PagePcp(p) && !PageReserved(p) &&
			  !PageSlab(p) && !PageTail(p) && !PageKmalloc(p) &&
			  !PagePgtable(p),
		  "%s order %u: pfn %#lx flags %#lx", z->name, o, pfn,
		  p->flags);
	FZ_ASSERT(p->private == o,
		  "pfn %#lx on the order-%u list has order %lu", pfn, o,
		  p->private);
	FZ_ASSERT(p->_count == 0, "free pfn %#lx count %d", pfn, p->_count);
	FZ_ASSERT(IS_ALIGNED(pfn, size), "order-%u block at pfn %#lx", o, pfn);
	FZ_ASSERT(pfn >= z->zone_start_pfn && pfn + size <= zend,
		  "%s: block %#lx+%lu outside the zone", z->name, pfn, size);
	for (unsigned long q = pfn; q < pfn + size; q++) {
		struct page *qp = pfn_to_page(q);

		FZ_ASSERT(!seen[q - min_pfn], "pfn %#lx free twice", q);
		seen[q - min_pfn] = 1;
		if (q != pfn)
			FZ_ASSERT(!PageBuddy(qp) && !PagePcp(qp) &&
					  qp->_count == 0,
				  "pfn %#lx inside free block %#lx: flags "
				  "%#lx count %d",
				  q, pfn, qp->flags, qp->_count);
	}
	if (o < MAX_ORDER - 1) {
		unsigned long b = pfn ^ size;

		if (b >= z->zone_start_pfn && b < zend)
			FZ_ASSERT(!(PageBuddy(pfn_to_page(b)) &&
				    pfn_to_page(b)->private == o),
				  "free order-%u buddies %#lx and %#lx not "
				  "merged",
				  o, pfn, b);
	}
}

/* Walk a list defensively: back links, entries in mem_map, no loop. */
#define WALK(head, what, pg, body)                                         \
	do {                                                               \
		struct list_head *_e, *_prev = (head);                     \
		unsigned long _n = 0;                                      \
		for (_e = (head)->next; _e != (head);                      \
		     _prev = _e, _e = _e->next) {                          \
			pg = list_entry(_e, struct page, lru);             \
			FZ_ASSERT(in_mem_map(pg), "%s: %p not in mem_map", \
				  what, (void *)pg);                       \
			FZ_ASSERT(_e->prev == _prev, "%s: bad back link",  \
				  what);                                   \
			FZ_ASSERT(++_n <= max_pfn - min_pfn, "%s loops",   \
				  what);                                   \
			body;                                              \
		}                                                          \
	} while (0)

static void check_page_allocator(void)
{
	unsigned long free = 0;
	struct zone *z;
	struct page *p;

	memset(seen, 0, max_pfn - min_pfn);
	for_each_zone(z)
	{
		struct per_cpu_pages *pcp = &z->pageset[0].pcp;
		unsigned long in_lists = 0, n;

		for (unsigned int o = 0; o < MAX_ORDER; o++) {
			n = 0;
			WALK(&z->free_area[o].free_list, z->name, p, {
				check_free_block(z, p, o);
				n++;
			});
			FZ_ASSERT(n == z->free_area[o].nr_free,
				  "%s order %u: %lu blocks listed, nr_free %lu",
				  z->name, o, n, z->free_area[o].nr_free);
			in_lists += n << o;
		}
		FZ_ASSERT(in_lists == z->free_pages,
			  "%s: %lu pages in the lists, free_pages %lu", z->name,
			  in_lists, z->free_pages);
		n = 0;
		WALK(&pcp->list, "pcp", p, {
			unsigned long pfn = page_to_pfn(p);

			FZ_ASSERT(PagePcp(p) && !PageBuddy(p) && p->_count == 0,
				  "pcp pfn %#lx flags %#lx count %d", pfn,
				  p->flags, p->_count);
			FZ_ASSERT(page_zone(p) == z, "pcp pfn %#lx of %s on %s",
				  pfn, page_zone(p)->name, z->name);
			FZ_ASSERT(!seen[pfn - min_pfn], "pfn %#lx free twice",
				  pfn);
			seen[pfn - min_pfn] = 1;
			n++;
		});
		FZ_ASSERT(n == (unsigned long)pcp->count,
			  "%s: %lu pages on the pcp list, count %d", z->name, n,
			  pcp->count);
		free += in_lists + n;
	}
	FZ_ASSERT(free == nr_free_pages(), "%lu free pages listed, %lu counted",
		  free, nr_free_pages());
	for (int i = 0; i < nblocks; i++) {
		struct block *b = &blocks[i];
		unsigned long pfn = page_to_pfn(b->page);

		FZ_ASSERT(
			b->page->_count == (int)b->refs &&
				b->page->private == b->order,
			"held block %#lx order %u refs %u: count %d order %lu",
			pfn, b->order, b->refs, b->page->_count,
			b->page->private);
		for (unsigned long q = pfn; q < pfn + (1UL << b->order); q++)
			FZ_ASSERT(!seen[q - min_pfn],
				  "held pfn %#lx is on a free list", q);
	}
	FZ_ASSERT(accounted_pages() == total_pages,
		  "%lu pages free, %lu held, %lu in slabs, %lu page tables: "
		  "%lu, not %lu",
		  nr_free_pages(), held_pages, slab_pages(),
		  fake_pgtable_tables(), accounted_pages(), total_pages);
}

/* ---- checking the slab layer ---- */

/* Live slab objects by 8-byte granule of the arena (start addresses). */
static uint8_t live_obj[ARENA_SIZE / 8 / 8];

static unsigned long granule(const void *p)
{
	return (unsigned long)((const char *)p - host_phys_base) / 8;
}

static bool obj_live(const void *p)
{
	unsigned long g = granule(p);

	return live_obj[g / 8] & (1u << (g % 8));
}

static void set_live(const void *p, bool on)
{
	unsigned long g = granule(p);

	if (on)
		live_obj[g / 8] |= 1u << (g % 8);
	else
		live_obj[g / 8] &= ~(1u << (g % 8));
}

static bool in_slab_range(const void *p)
{
	return (const char *)p >= host_phys_base &&
	       (const char *)p < host_phys_base + ARENA_SIZE;
}

static void check_slab_page(struct kmem_cache *s, struct page *page)
{
	FZ_ASSERT(PageSlab(page) && !PageTail(page) &&
			  page->private == (unsigned long)s &&
			  page->slab.inuse <= s->objects && !PageBuddy(page) &&
			  !PagePcp(page),
		  "%s: slab pfn %#lx flags %#lx private %#lx inuse %u", s->name,
		  page_to_pfn(page), page->flags, page->private,
		  page->slab.inuse);
	for (unsigned int i = 1; i < (1U << s->order); i++)
		FZ_ASSERT(PageTail(page + i) &&
				  page[i].private == (unsigned long)page,
			  "%s: tail page %u of slab %#lx", s->name, i,
			  page_to_pfn(page));
	FZ_ASSERT(!seen[page_to_pfn(page) - min_pfn],
		  "%s: slab pfn %#lx is free", s->name, page_to_pfn(page));
}

/* A free chain: every element a slot of the page, none twice, no live
 * object of the harness. Returns its length. */
static unsigned long chain_len(struct kmem_cache *s, struct page *page,
			       void *obj)
{
	static uint8_t slot_seen[65536];
	unsigned long n = 0;

	memset(slot_seen, 0, s->objects);
	while (obj) {
		unsigned int idx;

		FZ_ASSERT(valid_object(s, page, obj),
			  "%s: free chain leaves slab %#lx: %p", s->name,
			  page_to_pfn(page), obj);
		idx = obj_index(s, page, obj);
		FZ_ASSERT(!slot_seen[idx], "%s: slot %u twice on a chain",
			  s->name, idx);
		slot_seen[idx] = 1;
		FZ_ASSERT(!obj_live(obj), "%s: live object %p is free", s->name,
			  obj);
		obj = get_freepointer(s, obj);
		FZ_ASSERT(++n <= s->objects, "%s: chain too long", s->name);
	}
	return n;
}

static void check_cache(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = &s->cpu[0];
	unsigned long slabs = 0, partial = 0, used = 0;
	struct page *page;

	WALK(&s->partial, s->name, page, {
		check_slab_page(s, page);
		FZ_ASSERT(page != c->page && page->slab.inuse < s->objects &&
				  page->slab.freelist != SLAB_FREELIST_NONE,
			  "%s: partial slab %#lx inuse %u", s->name,
			  page_to_pfn(page), page->slab.inuse);
		FZ_ASSERT(chain_len(s, page,
				    obj_at(s, page, page->slab.freelist)) ==
				  s->objects - page->slab.inuse,
			  "%s: partial slab %#lx chain", s->name,
			  page_to_pfn(page));
		used += page->slab.inuse;
		partial++;
		slabs++;
	});
	FZ_ASSERT(partial == s->nr_partial, "%s: %lu partial, nr_partial %lu",
		  s->name, partial, s->nr_partial);
	WALK(&s->full, s->name, page, {
		check_slab_page(s, page);
		FZ_ASSERT(page != c->page && page->slab.inuse == s->objects &&
				  page->slab.freelist == SLAB_FREELIST_NONE,
			  "%s: full slab %#lx inuse %u", s->name,
			  page_to_pfn(page), page->slab.inuse);
		used += s->objects;
		slabs++;
	});
	if (c->page) {
		check_slab_page(s, c->page);
		FZ_ASSERT(c->page->slab.freelist == SLAB_FREELIST_NONE,
			  "%s: the CPU slab has its own free list", s->name);
		used += s->objects - chain_len(s, c->page, c->freelist);
		slabs++;
	} else {
		FZ_ASSERT(c->freelist == NULL, "%s: a free list, no CPU slab",
			  s->name);
	}
	FZ_ASSERT(slabs == s->nr_slabs, "%s: %lu slabs found, nr_slabs %lu",
		  s->name, slabs, s->nr_slabs);
	FZ_ASSERT(used == slab_active_objects(s),
		  "%s: %lu objects in use found, %lu counted", s->name, used,
		  slab_active_objects(s));
}

static void check_slab(void)
{
	struct kmem_cache *s;
	int n = 0;

	list_for_each_entry (s, &slab_caches, list) {
		check_cache(s);
		FZ_ASSERT(++n < 1000, "the cache list loops");
	}
	for (int i = 0; i < ncaches; i++)
		FZ_ASSERT(slab_active_objects(caches[i].s) == caches[i].live,
			  "%s: %lu objects active, the harness holds %lu",
			  caches[i].s->name, slab_active_objects(caches[i].s),
			  caches[i].live);
}

/* ---- checking vmalloc ---- */

static unsigned long area_span(const struct area *a)
{
	unsigned long off = a->addr & ~PAGE_MASK;

	return ALIGN(a->size + off, PAGE_SIZE) + PAGE_SIZE; /* + guard */
}

static void check_vmalloc(void)
{
	unsigned long used = 0;

	for (int i = 0; i < nareas; i++) {
		struct area *a = &areas[i];
		unsigned long start = a->addr & PAGE_MASK;
		struct vm_struct *vm = find_vm_area((void *)start);
		phys_addr_t pa;

		FZ_ASSERT(vm && vm->size == area_span(a),
			  "area %#lx: vm_struct %p size %lu, expected %lu",
			  a->addr, (void *)vm, vm ? vm->size : 0, area_span(a));
		FZ_ASSERT(vm->flags == (a->kind == AREA_VMALLOC ? VM_ALLOC
					: a->kind == AREA_VMAP	? VM_MAP
								: VM_IOREMAP) &&
				  (a->kind == AREA_IOREMAP ||
				   vm->nr_pages == a->pages),
			  "area %#lx: flags %#lx, %u pages", a->addr, vm->flags,
			  vm->nr_pages);
		FZ_ASSERT(arch_virt_to_phys(start + vm->size - PAGE_SIZE,
					    &pa) == -EFAULT,
			  "the guard page of %#lx is mapped", a->addr);
		used += vm->size;
	}
	FZ_ASSERT(vmalloc_used() == used, "vmalloc_used %lu, areas %lu",
		  vmalloc_used(), used);
	FZ_ASSERT(vmalloc_chunk() <= VMALLOC_END - VMALLOC_START - used,
		  "vmalloc_chunk %lu with %lu used", vmalloc_chunk(), used);
}

/* ---- the log ---- */

static unsigned long count_in(const char *hay, const char *needle)
{
	unsigned long n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void check_log(void)
{
	const char *log = host_log();

	if (expect_report) {
		FZ_ASSERT(strstr(log, expect_report),
			  "the misuse was not reported (expected \"%s\")",
			  expect_report);
		stat_misuses++;
	} else {
		FZ_ASSERT(!strstr(log, "BUG"), "a report for a correct call");
		/* Running out of memory with __GFP_NOFAIL warns: only that. */
		FZ_ASSERT(count_in(log, "WARNING") ==
				  count_in(log, "__GFP_NOFAIL allocation"),
			  "a warning for a correct call");
	}
	FZ_ASSERT(!strstr(log, "was already free") &&
			  !strstr(log, "still has objects"),
		  "an inconsistency was reported");
	FZ_ASSERT(preempt_count() == 0 && host_irq_flags == 1,
		  "preempt_count %lu, interrupts %s", preempt_count(),
		  host_irq_flags ? "on" : "off");
	expect_report = NULL;
	host_log_clear();
}

static void check_all(void)
{
	check_log();
	check_page_allocator();
	check_slab();
	check_vmalloc();
}

/* ---- choosing ---- */

static gfp_t pick_gfp(bool highmem_ok, bool dma_ok)
{
	static const gfp_t masks[] = {
		GFP_KERNEL,
		GFP_ATOMIC,
		GFP_KERNEL | __GFP_ZERO,
		GFP_NOIO,
		GFP_NOFS | __GFP_COLD,
		GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
		GFP_KERNEL | __GFP_REPEAT,
		GFP_KERNEL | __GFP_NOFAIL,
		GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN,
		GFP_HIGHUSER,
		GFP_HIGHUSER | __GFP_ZERO,
		GFP_ATOMIC | __GFP_HIGHMEM,
		GFP_DMA,
		GFP_KERNEL | __GFP_DMA | __GFP_ZERO,
		GFP_ATOMIC | __GFP_DMA,
		GFP_KERNEL | __GFP_HIGH,
	};
	gfp_t gfp = masks[byte() % ARRAY_SIZE(masks)];

	if (!highmem_ok)
		gfp &= ~__GFP_HIGHMEM;
	if (!dma_ok)
		gfp &= ~__GFP_DMA;
	return gfp;
}

static unsigned int pick_order(void)
{
	unsigned int b = byte();

	if (b < 128)
		return 0;
	if (b < 240)
		return 1 + (b - 128) % 5; /* 1..5 */
	return 6 + (b - 240) % 5; /* 6..10 */
}

static unsigned long pick_size(void)
{
	unsigned int b = byte(), w = word();

	switch (b % 8) {
	case 0:
		return w % 17; /* 0..16: the edges */
	case 1:
	case 2:
		return 1 + w % 256;
	case 3:
	case 4:
		return 1 + w % 2048;
	case 5:
	case 6:
		return 1 + w % KMALLOC_MAX_CACHE_SIZE;
	default:
		return KMALLOC_MAX_CACHE_SIZE + 1 + w * 2 % (56UL << 10);
	}
}

static uint32_t new_seed(void)
{
	return (uint32_t)(step * 2654435761u) ^ byte();
}

/* ---- the operations ---- */

static void track_block(struct page *page, unsigned int order)
{
	struct block *b = &blocks[nblocks++];

	b->page = page;
	b->order = order;
	b->refs = 1;
	b->seed = new_seed();
	held_pages += 1UL << order;
	sign_block(page, order, b->seed);
}

static void op_alloc_pages(void)
{
	unsigned int how = byte() % 4, order = pick_order();
	gfp_t gfp = pick_gfp(how < 2, true);
	unsigned long pfn, addr = 0;
	struct page *page;

	op_name = "alloc_pages";
	if (nblocks == MAX_BLOCKS)
		return;
	switch (how) {
	case 0:
	case 1:
		page = alloc_pages(gfp, order);
		break;
	case 2:
		addr = __get_free_pages(gfp, order);
		page = addr ? virt_to_page((void *)addr) : NULL;
		break;
	default:
		order = 0;
		addr = get_zeroed_page(gfp);
		gfp |= __GFP_ZERO;
		page = addr ? virt_to_page((void *)addr) : NULL;
		break;
	}
	if (!page) {
		stat_failed++;
		return;
	}
	pfn = page_to_pfn(page);
	FZ_ASSERT(pfn_valid(pfn) && IS_ALIGNED(pfn, 1UL << order),
		  "order %u at pfn %#lx", order, pfn);
	FZ_ASSERT(!(gfp & __GFP_DMA) || pfn < (DMA_END >> PAGE_SHIFT),
		  "a DMA block at pfn %#lx", pfn);
	FZ_ASSERT((gfp & __GFP_HIGHMEM) || !PageHighMem(page),
		  "a HIGHMEM block at pfn %#lx without __GFP_HIGHMEM", pfn);
	FZ_ASSERT(!addr || page_address(page) == (void *)addr,
		  "page_address %p, returned %#lx", page_address(page), addr);
	FZ_ASSERT(page->_count == 1 && page->private == order,
		  "new block: count %d order %lu", page->_count, page->private);
	if (gfp & __GFP_ZERO)
		FZ_ASSERT(block_zeroed(page, order),
			  "order-%u block %#lx not zeroed", order, pfn);
	track_block(page, order);
}

static void forget_block(int i)
{
	held_pages -= 1UL << blocks[i].order;
	blocks[i] = blocks[--nblocks];
}

/* For the double-free misuse: the last block given back for good. */
static struct page *just_freed;
static unsigned int just_freed_order;

static void op_free_pages(void)
{
	unsigned int how = byte() % 4;
	struct block *b;
	int i;

	op_name = "free_pages";
	if (!nblocks)
		return;
	i = word() % nblocks;
	b = &blocks[i];
	FZ_ASSERT(block_signed(b->page, b->order, b->seed),
		  "block %#lx order %u was overwritten", page_to_pfn(b->page),
		  b->order);
	if (how == 1 && !PageHighMem(b->page))
		free_pages((unsigned long)page_address(b->page), b->order);
	else if (how == 2 && b->order == 0)
		free_hot_page(b->page);
	else if (how == 3 && b->order == 0)
		free_cold_page(b->page);
	else
		__free_pages(b->page, b->order);
	if (--b->refs) {
		FZ_ASSERT(b->page->_count == (int)b->refs,
			  "a shared block freed: count %d", b->page->_count);
		return;
	}
	just_freed = b->page;
	just_freed_order = b->order;
	forget_block(i);
}

static void op_get_page(void)
{
	struct block *b;

	op_name = "get_page";
	if (!nblocks)
		return;
	b = &blocks[word() % nblocks];
	get_page(b->page);
	b->refs++;
}

static void track_obj(uint8_t *p, unsigned long size, int cache)
{
	struct obj *o = &objs[nobjs++];

	o->p = p;
	o->size = size;
	o->seed = new_seed();
	o->cache = cache;
	o->pages = 0;
	if (p != ZERO_SIZE_PTR && !virt_to_cache(p)) {
		struct page *head = virt_to_page(p);

		FZ_ASSERT(cache < 0 && PageKmalloc(head),
			  "%p is neither a slab object nor a large block",
			  (void *)p);
		o->pages = 1UL << head->private;
		held_pages += o->pages;
	} else if (p != ZERO_SIZE_PTR) {
		FZ_ASSERT(!obj_live(p), "%p handed out twice", (void *)p);
		set_live(p, true);
	}
	if (cache >= 0)
		caches[cache].live++;
	if (p != ZERO_SIZE_PTR)
		fill(p, size, o->seed);
}

static void check_kmalloc_obj(uint8_t *p, unsigned long size, gfp_t gfp)
{
	struct kmem_cache *s;

	if (!size) {
		FZ_ASSERT(p == ZERO_SIZE_PTR, "kmalloc(0) = %p", (void *)p);
		return;
	}
	FZ_ASSERT(in_slab_range(p) && virt_addr_valid(p),
		  "kmalloc(%lu) = %p, not in the direct map", size, (void *)p);
	FZ_ASSERT(IS_ALIGNED((unsigned long)p, sizeof(void *)),
		  "kmalloc(%lu) = %p unaligned", size, (void *)p);
	FZ_ASSERT(ksize(p) >= size && ksize(p) == kmalloc_size_class(size),
		  "kmalloc(%lu): ksize %lu, class %lu", size, ksize(p),
		  kmalloc_size_class(size));
	s = virt_to_cache(p);
	if (size <= KMALLOC_MAX_CACHE_SIZE)
		FZ_ASSERT(s && kmem_cache_size(s) == kmalloc_size_class(size),
			  "kmalloc(%lu) from %s", size, s ? s->name : "pages");
	else
		FZ_ASSERT(!s && PageKmalloc(virt_to_page(p)) &&
				  IS_ALIGNED((unsigned long)p, PAGE_SIZE),
			  "large kmalloc(%lu) = %p", size, (void *)p);
	if (gfp & __GFP_DMA)
		FZ_ASSERT(__pa(p) < DMA_END, "kmalloc(GFP_DMA) = %p",
			  (void *)p);
	if (gfp & __GFP_ZERO)
		FZ_ASSERT(all_zero(p, size), "kzalloc(%lu) not zeroed", size);
}

static void op_kmalloc(void)
{
	unsigned int how = byte() % 4;
	unsigned long size = pick_size();
	gfp_t gfp = pick_gfp(false, true);
	uint8_t *p;

	op_name = "kmalloc";
	if (nobjs == MAX_OBJS)
		return;
	if (how == 1) {
		p = kzalloc(size, gfp);
		gfp |= __GFP_ZERO;
	} else if (how == 2 && size >= 4 && size % 4 == 0) {
		p = kcalloc(size / 4, 4, gfp);
		gfp |= __GFP_ZERO;
	} else {
		p = kmalloc(size, gfp);
	}
	if (!p) {
		stat_failed++;
		return;
	}
	check_kmalloc_obj(p, size, gfp);
	track_obj(p, size, -1);
}

static bool obj_intact(const struct obj *o)
{
	return o->p == ZERO_SIZE_PTR || intact(o->p, o->size, o->seed);
}

/* For the double-free misuse: the last object given back. */
static void *just_kfreed;
static int just_kfreed_cache;

static void untrack_obj(int i)
{
	struct obj *o = &objs[i];

	if (o->p != ZERO_SIZE_PTR && !o->pages)
		set_live(o->p, false);
	held_pages -= o->pages;
	if (o->cache >= 0)
		caches[o->cache].live--;
	*o = objs[--nobjs];
}

/* A kmalloc object (cache < 0) or one of caches[cache], by the input. */
static int pick_obj(int cache)
{
	int n = 0, want;

	for (int i = 0; i < nobjs; i++)
		n += cache == -2 || objs[i].cache == cache ||
		     (cache == -3 && objs[i].cache >= 0);
	if (!n)
		return -1;
	want = word() % n;
	for (int i = 0; i < nobjs; i++) {
		if (cache == -2 || objs[i].cache == cache ||
		    (cache == -3 && objs[i].cache >= 0)) {
			if (!want--)
				return i;
		}
	}
	return -1;
}

static void op_kfree(void)
{
	int i = pick_obj(-1);
	struct obj *o;

	op_name = "kfree";
	if (i < 0)
		return;
	o = &objs[i];
	FZ_ASSERT(obj_intact(o), "kmalloc object %p (%lu bytes) overwritten",
		  (void *)o->p, o->size);
	kfree(o->p);
	just_kfreed = o->p == ZERO_SIZE_PTR ? NULL : o->p;
	just_kfreed_cache = -1;
	untrack_obj(i);
}

static void op_krealloc(void)
{
	unsigned long size = pick_size(), keep;
	gfp_t gfp = pick_gfp(false, false) & ~__GFP_ZERO;
	int i = pick_obj(-1);
	struct obj *o;
	uint8_t *p;

	op_name = "krealloc";
	if (i < 0)
		return;
	o = &objs[i];
	FZ_ASSERT(obj_intact(o), "kmalloc object %p overwritten", (void *)o->p);
	p = krealloc(o->p, size, gfp);
	if (size == 0) {
		FZ_ASSERT(p == ZERO_SIZE_PTR, "krealloc(p, 0) = %p", (void *)p);
		untrack_obj(i);
		return;
	}
	if (!p) {
		stat_failed++; /* the old object stays */
		return;
	}
	keep = o->p == ZERO_SIZE_PTR ? 0 : min(o->size, size);
	FZ_ASSERT(intact(p, keep, o->seed), "krealloc lost the first %lu bytes",
		  keep);
	FZ_ASSERT(ksize(p) >= size, "krealloc(%lu): ksize %lu", size, ksize(p));
	if (p == o->p) {
		/* Room enough where it was: the same block, a new size. */
		o->size = size;
		o->seed = new_seed();
		fill(p, size, o->seed);
		return;
	}
	check_kmalloc_obj(p, size, gfp);
	untrack_obj(i);
	track_obj(p, size, -1);
}

static void op_cache_alloc(void)
{
	int ci = byte() % ncaches;
	bool zero = byte() % 4 == 0;
	gfp_t gfp = pick_gfp(false, false);
	struct fcache *c = &caches[ci];
	uint8_t *p;

	op_name = "kmem_cache_alloc";
	if (nobjs == MAX_OBJS)
		return;
	p = zero ? kmem_cache_zalloc(c->s, gfp) : kmem_cache_alloc(c->s, gfp);
	zero |= !!(gfp & __GFP_ZERO);
	if (!p) {
		stat_failed++;
		return;
	}
	FZ_ASSERT(virt_to_cache(p) == c->s, "%s gave %p of %s", c->s->name,
		  (void *)p,
		  virt_to_cache(p) ? virt_to_cache(p)->name : "no cache");
	FZ_ASSERT(IS_ALIGNED((unsigned long)p, c->s->align) &&
			  (!c->align || IS_ALIGNED((unsigned long)p, c->align)),
		  "%s: %p not aligned to %lu", c->s->name, (void *)p, c->align);
	if (zero)
		FZ_ASSERT(all_zero(p, c->size), "%s: zalloc not zeroed",
			  c->s->name);
	else if (c->ctor)
		for (unsigned long i = 0; i < c->size; i++)
			FZ_ASSERT(p[i] == ctor_byte(i),
				  "%s: object %p not as constructed at %lu",
				  c->s->name, (void *)p, i);
	if (c->s->allocflags & __GFP_DMA)
		FZ_ASSERT(__pa(p) < DMA_END, "%s: %p not in ZONE_DMA",
			  c->s->name, (void *)p);
	track_obj(p, c->size, ci);
}

static void free_cache_obj(int i)
{
	struct obj *o = &objs[i];
	struct fcache *c = &caches[o->cache];

	FZ_ASSERT(obj_intact(o), "%s object %p overwritten", c->s->name,
		  (void *)o->p);
	/* Objects of a cache with a constructor go back constructed. */
	if (c->ctor)
		for (unsigned long j = 0; j < c->size; j++)
			o->p[j] = ctor_byte(j);
	kmem_cache_free(c->s, o->p);
	just_kfreed = o->p;
	just_kfreed_cache = o->cache;
	untrack_obj(i);
}

static void op_cache_free(void)
{
	int i = pick_obj(-3);

	op_name = "kmem_cache_free";
	if (i >= 0)
		free_cache_obj(i);
}

static void op_cache_create(void)
{
	static const unsigned long aligns[] = {0, 0, 8, 16, 32, 64, 128, 256};
	static const unsigned long flag_bits[] = {
		SLAB_HWCACHE_ALIGN,   SLAB_RED_ZONE,   SLAB_POISON,
		SLAB_STORE_USER,      SLAB_DEBUG_FREE, SLAB_CACHE_DMA,
		SLAB_RECLAIM_ACCOUNT,
	};
	unsigned long size = 1 + word() % 9000, align = aligns[byte() % 8];
	unsigned int bits = byte();
	unsigned long flags = 0;
	bool ctor = byte() % 4 == 0;
	char name[KMEM_CACHE_NAME_LEN];
	struct kmem_cache *s;

	op_name = "kmem_cache_create";
	if (ncaches == MAX_CACHES)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(flag_bits); i++)
		if (bits & (1u << i))
			flags |= flag_bits[i];
	snprintf(name, sizeof(name), "fz-%u", cache_serial++);
	s = kmem_cache_create(name, size, align, flags,
			      ctor ? fuzz_ctor : NULL);
	if (!s) {
		stat_failed++;
		return;
	}
	FZ_ASSERT(kmem_cache_size(s) == size && !strcmp(s->name, name) &&
			  (!align || IS_ALIGNED(s->align, align)),
		  "%s: size %u align %u, asked %lu, %lu", s->name,
		  kmem_cache_size(s), s->align, size, align);
	caches[ncaches].s = s;
	caches[ncaches].size = size;
	caches[ncaches].align = align;
	caches[ncaches].ctor = ctor;
	caches[ncaches].live = 0;
	ncaches++;
}

static void destroy_cache(int ci)
{
	for (int i = nobjs - 1; i >= 0; i--)
		if (objs[i].cache == ci)
			free_cache_obj(i);
	kmem_cache_destroy(caches[ci].s);
	/* The last cache moves into the hole: renumber its objects. */
	for (int i = 0; i < nobjs; i++)
		if (objs[i].cache == ncaches - 1)
			objs[i].cache = ci;
	caches[ci] = caches[--ncaches];
	if (just_kfreed_cache >= ci)
		just_kfreed = NULL;
}

static void op_cache_destroy(void)
{
	op_name = "kmem_cache_destroy";
	if (ncaches > FIXED_CACHES)
		destroy_cache(FIXED_CACHES + byte() % (ncaches - FIXED_CACHES));
}

static void op_shrink(void)
{
	op_name = "kmem_cache_shrink";
	if (byte() % 2)
		kmem_cache_shrink_all();
	else
		kmem_cache_shrink(caches[byte() % ncaches].s);
}

static void op_drain(void)
{
	op_name = "drain_all_pages";
	drain_all_pages();
}

/* Pages of an area, through the fake page tables. */
static bool area_signed(const struct area *a, bool write)
{
	for (unsigned long i = 0; i < a->pages; i++) {
		unsigned long va = (a->addr & PAGE_MASK) + i * PAGE_SIZE;
		uint8_t buf[32];

		if (write) {
			fill(buf, sizeof(buf), a->seed + i);
			if (fake_write(va, buf, sizeof(buf)))
				return false;
		} else if (fake_read(va, buf, sizeof(buf)) ||
			   !intact(buf, sizeof(buf), a->seed + i)) {
			return false;
		}
	}
	return true;
}

/* Note a new area; the caller has checked there is room. */
static struct area *add_area(void *p, unsigned long size, unsigned long pages,
			     enum area_kind kind)
{
	struct area *a = &areas[nareas++];

	a->addr = (unsigned long)p;
	a->size = size;
	a->pages = pages;
	a->kind = kind;
	return a;
}

static void op_vmalloc(void)
{
	unsigned int how = byte() % 3;
	unsigned long size = 1 + (word() << 8 | byte()) % VMALLOC_MAX;
	gfp_t gfp = pick_gfp(true, true);
	struct area *a;
	void *p;

	if (byte() % 4)
		size %= 8 * PAGE_SIZE; /* small areas, mostly */
	size = size ? size : 1;
	op_name = "vmalloc";
	if (nareas == MAX_AREAS)
		return;
	if (how == 0)
		p = vmalloc(size);
	else if (how == 1)
		p = vzalloc(size);
	else
		p = __vmalloc(size, gfp, PAGE_KERNEL);
	if (!p) {
		stat_failed++;
		return;
	}
	a = add_area(p, size, ALIGN(size, PAGE_SIZE) >> PAGE_SHIFT,
		     AREA_VMALLOC);
	a->seed = new_seed();
	held_pages += a->pages;
	FZ_ASSERT(is_vmalloc_addr(p) && IS_ALIGNED(a->addr, PAGE_SIZE),
		  "vmalloc(%lu) = %p", size, p);
	for (unsigned long i = 0; i < a->pages; i++) {
		struct page *page = vmalloc_to_page((char *)p + i * PAGE_SIZE);

		FZ_ASSERT(page && page->_count == 1 && !PageBuddy(page) &&
				  !PagePcp(page) && !PageSlab(page),
			  "vmalloc(%lu) page %lu: %p", size, i, (void *)page);
		if (how == 1 || (how == 2 && (gfp & __GFP_ZERO)))
			FZ_ASSERT(block_zeroed(page, 0),
				  "vzalloc page %lu not zeroed", i);
	}
	FZ_ASSERT(area_signed(a, true), "cannot write area %p", p);
}

static void op_vmap(void)
{
	unsigned int n = 1 + byte() % MAX_VMAP, got = 0;
	struct area *a;
	void *p;

	op_name = "vmap";
	if (nareas == MAX_AREAS)
		return;
	a = &areas[nareas];
	for (; got < n; got++) {
		a->vmap_pages[got] = alloc_page(GFP_HIGHUSER);
		if (!a->vmap_pages[got])
			break;
	}
	p = got == n ? vmap(a->vmap_pages, n, VM_MAP, PAGE_KERNEL) : NULL;
	if (!p) {
		stat_failed++;
		while (got--)
			__free_page(a->vmap_pages[got]);
		return;
	}
	nareas++;
	a->addr = (unsigned long)p;
	a->size = n * PAGE_SIZE;
	a->pages = n;
	a->seed = new_seed();
	a->kind = AREA_VMAP;
	held_pages += n;
	for (unsigned int i = 0; i < n; i++)
		FZ_ASSERT(vmalloc_to_page((char *)p + i * PAGE_SIZE) ==
				  a->vmap_pages[i],
			  "vmap page %u maps the wrong page", i);
	FZ_ASSERT(area_signed(a, true), "cannot write vmap %p", p);
}

static void op_ioremap(void)
{
	unsigned long off = word() % (64UL << 10), size = 1 + word() % 20000;
	struct area *a;
	void __iomem *p;

	op_name = "ioremap";
	if (nareas == MAX_AREAS)
		return;
	p = ioremap(IO_BASE + off, size);
	if (!p) {
		stat_failed++;
		return;
	}
	a = add_area((void *)p, size, 0, AREA_IOREMAP);
	FZ_ASSERT((a->addr & ~PAGE_MASK) == (off & ~PAGE_MASK) &&
			  ioremap_addr_ok(p, size) &&
			  !ioremap_addr_ok(p, size + PAGE_SIZE),
		  "ioremap(%#llx, %lu) = %p", IO_BASE + off, size, (void *)p);
}

static void free_area(int i)
{
	struct area *a = &areas[i];

	if (a->kind != AREA_IOREMAP)
		FZ_ASSERT(area_signed(a, false), "area %#lx overwritten",
			  a->addr);
	switch (a->kind) {
	case AREA_VMALLOC:
		vfree((void *)a->addr);
		break;
	case AREA_VMAP:
		vunmap((void *)a->addr);
		for (unsigned long j = 0; j < a->pages; j++)
			__free_page(a->vmap_pages[j]);
		break;
	case AREA_IOREMAP:
		iounmap((void __iomem *)a->addr);
		break;
	}
	held_pages -= a->pages;
	*a = areas[--nareas];
}

static void op_free_area(void)
{
	op_name = "vfree";
	if (nareas)
		free_area(word() % nareas);
}

static void op_verify(void)
{
	op_name = "verify";
	for (int i = 0; i < nblocks; i++)
		FZ_ASSERT(block_signed(blocks[i].page, blocks[i].order,
				       blocks[i].seed),
			  "block %#lx overwritten",
			  page_to_pfn(blocks[i].page));
	for (int i = 0; i < nobjs; i++)
		FZ_ASSERT(obj_intact(&objs[i]), "object %p overwritten",
			  (void *)objs[i].p);
	for (int i = 0; i < nareas; i++)
		FZ_ASSERT(areas[i].kind == AREA_IOREMAP ||
				  area_signed(&areas[i], false),
			  "area %#lx overwritten", areas[i].addr);
	FZ_ASSERT(slab_check_all() == 0, "slabcheck found damage");
}

static void op_fault_inject(void)
{
	struct fault_attr *attr =
		byte() % 2 ? &failslab_attr : &fail_page_alloc_attr;
	char spec[48];

	op_name = "fault injection";
	snprintf(spec, sizeof(spec), "1,%u,0,%d", byte() % 101,
		 (int)(byte() % 16) - 1);
	FZ_ASSERT(fault_attr_parse(attr, spec) == 0, "%s", spec);
	attr->verbose = 0;
}

/* ---- misuse: each must be reported and change nothing ---- */

static void misuse_page(unsigned int kind)
{
	struct block *b;

	if (kind == 0 && just_freed) {
		/* Straight after its free: nothing reused it yet. */
		__free_pages(just_freed, just_freed_order);
		expect_report = "BUG: Bad page free";
		just_freed = NULL;
		return;
	}
	if (!nblocks)
		return;
	b = &blocks[word() % nblocks];
	if (kind == 1) {
		__free_pages(b->page, (b->order + 1 + byte() % 3) % MAX_ORDER);
		expect_report = "BUG: Bad page free";
	} else if (b->order) {
		__free_pages(b->page + 1 + word() % ((1U << b->order) - 1), 0);
		expect_report = "BUG: Bad page free";
	} else if (!PageHighMem(b->page)) {
		free_pages((unsigned long)page_address(b->page) + 1 + byte(),
			   0);
		expect_report = "BUG: Bad page free";
	}
}

static void misuse_slab(unsigned int kind)
{
	int i;

	if (kind == 0 && just_kfreed) {
		if (just_kfreed_cache >= 0)
			kmem_cache_free(caches[just_kfreed_cache].s,
					just_kfreed);
		else
			kfree(just_kfreed);
		expect_report = "BUG";
		just_kfreed = NULL;
		return;
	}
	i = pick_obj(-2);
	if (i < 0 || objs[i].p == ZERO_SIZE_PTR || objs[i].size < 2)
		return;
	if (kind == 1) {
		/* A pointer inside the object. */
		kfree(objs[i].p + 1 + word() % (objs[i].size - 1));
		expect_report = "Invalid object pointer";
	} else if (objs[i].cache >= 0 || objs[i].size <= 8192) {
		/* Given to a cache it does not belong to. */
		struct kmem_cache *s = caches[byte() % ncaches].s;

		if (s == virt_to_cache(objs[i].p))
			return;
		kmem_cache_free(s, objs[i].p);
		expect_report = "Invalid object pointer";
	}
}

static void misuse_vmalloc(void)
{
	struct area *a;

	if (!nareas) {
		vfree((void *)(VMALLOC_START + word() * PAGE_SIZE));
		expect_report = "not the start of a vmalloc area";
		return;
	}
	a = &areas[word() % nareas];
	if (a->kind == AREA_IOREMAP) {
		vfree((void *)a->addr);
		expect_report = "not the start of a vmalloc area";
	} else if (a->kind == AREA_VMAP) {
		iounmap((void __iomem *)a->addr);
		expect_report = "not an address ioremap returned";
	} else {
		/* Inside the area or its guard page, never the next one. */
		vfree((void *)(a->addr + PAGE_SIZE * (1 + byte() % a->pages)));
		expect_report = "not the start of a vmalloc area";
	}
}

static void misuse_kmap(void)
{
	struct page *p = NULL, *q = NULL;
	void *a, *b;

	for (int i = 0; i < nblocks && !q; i++) {
		if (!PageHighMem(blocks[i].page))
			continue;
		if (!p)
			p = blocks[i].page;
		else
			q = blocks[i].page;
	}
	if (!q)
		return;
	a = kmap_atomic(p, KM_USER0);
	b = kmap_atomic(q, KM_USER1);
	kunmap_atomic(a, KM_USER0);
	kunmap_atomic(b, KM_USER1);
	expect_report = "out of order";
}

static void op_misuse(void)
{
	unsigned int what = byte() % 8;

	op_name = "misuse";
	if (what < 3)
		misuse_page(what);
	else if (what < 6)
		misuse_slab(what - 3);
	else if (what == 6)
		misuse_vmalloc();
	else
		misuse_kmap();
}

static void (*const ops[])(void) = {
	op_alloc_pages,	  op_alloc_pages, op_free_pages,  op_free_pages,
	op_kmalloc,	  op_kmalloc,	  op_kfree,	  op_kfree,
	op_krealloc,	  op_cache_alloc, op_cache_alloc, op_cache_free,
	op_cache_free,	  op_vmalloc,	  op_free_area,	  op_vmap,
	op_ioremap,	  op_drain,	  op_shrink,	  op_cache_create,
	op_cache_destroy, op_verify,	  op_get_page,	  op_misuse,
	op_fault_inject,
};

/* Invalidate the double-free candidates once anything was allocated. */
static bool allocates(void (*op)(void))
{
	return op != op_free_pages && op != op_kfree && op != op_cache_free &&
	       op != op_drain && op != op_verify && op != op_misuse &&
	       op != op_free_area && op != op_shrink;
}

/* ---- one input ---- */

static void free_everything(void)
{
	op_name = "cleanup";
	fault_attr_parse(&failslab_attr, "1,0,0,0");
	fault_attr_parse(&fail_page_alloc_attr, "1,0,0,0");
	while (nareas)
		free_area(nareas - 1);
	while (nobjs) {
		struct obj *o = &objs[nobjs - 1];

		if (o->cache >= 0) {
			free_cache_obj(nobjs - 1);
		} else {
			FZ_ASSERT(obj_intact(o), "object %p overwritten",
				  (void *)o->p);
			kfree(o->p);
			untrack_obj(nobjs - 1);
		}
	}
	while (nblocks) {
		struct block *b = &blocks[nblocks - 1];

		FZ_ASSERT(block_signed(b->page, b->order, b->seed),
			  "block %#lx overwritten", page_to_pfn(b->page));
		while (b->refs--)
			__free_pages(b->page, b->order);
		forget_block(nblocks - 1);
	}
	while (ncaches > FIXED_CACHES)
		destroy_cache(ncaches - 1);
	check_all();
}

static void check_back_to_boot(void)
{
	struct kmem_cache *s;
	int i = 0;

	op_name = "the end";
	FZ_ASSERT(slab_check_all() == 0, "slabcheck found damage");
	kmem_cache_shrink_all();
	drain_all_pages();
	FZ_ASSERT(held_pages == 0, "%lu pages still held", held_pages);
	FZ_ASSERT(vmalloc_used() == 0 &&
			  vmalloc_chunk() == VMALLOC_END - VMALLOC_START,
		  "vmalloc: %lu used, largest free %lu", vmalloc_used(),
		  vmalloc_chunk());
	FZ_ASSERT(fake_pgtable_tables() == 0 && fake_pgtable_check() == 0,
		  "%lu page tables left", fake_pgtable_tables());
	list_for_each_entry (s, &slab_caches, list) {
		FZ_ASSERT(i < boot_ncaches && !strcmp(s->name, boot_names[i]),
			  "cache %s was not there at boot", s->name);
		FZ_ASSERT(slab_active_objects(s) == boot_active[i],
			  "%s: %lu objects in use, %lu at boot", s->name,
			  slab_active_objects(s), boot_active[i]);
		i++;
	}
	FZ_ASSERT(i == boot_ncaches, "%d caches, %d at boot", i, boot_ncaches);
	FZ_ASSERT(slab_pages() == boot_slab_pages,
		  "slabs hold %lu pages, %lu at boot", slab_pages(),
		  boot_slab_pages);
	FZ_ASSERT(nr_free_pages() == boot_free, "%lu pages free, %lu at boot",
		  nr_free_pages(), boot_free);
	check_all();
}

static void report_totals(void)
{
	fprintf(stderr,
		"fuzz_mm: %lu operations in %lu inputs without a fault "
		"(%lu misuses reported, %lu allocations failed)\n",
		stat_steps, stat_inputs, stat_misuses, stat_failed);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(report_totals);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in = data;
	in_len = size;
	in_pos = 0;
	step = 0;
	op_name = "boot";
	boot();
	just_freed = NULL;
	just_kfreed = NULL;
	while (in_pos < in_len && step < MAX_STEPS) {
		void (*op)(void) = ops[byte() % ARRAY_SIZE(ops)];

		step++;
		op();
		if (allocates(op)) {
			just_freed = NULL;
			just_kfreed = NULL;
		}
		check_all();
		stat_steps++;
	}
	free_everything();
	check_back_to_boot();
	stat_inputs++;
	return 0;
}
