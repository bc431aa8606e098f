/*
 * stress SECONDS [SEED]: random work over every allocator and every
 * scull variant at once, driven until memory runs out and back, again
 * and again; then everything is freed and memory must be as it was.
 *
 * Why: each allocator has tests of its own, but some bugs need two of
 * them to meet -- a page the buddy allocator hands out twice, once to a
 * slab and once to vmalloc; a kmap slot reused while still held; an
 * error path that runs only when memory is really gone. They show only
 * when everything runs together, under pressure.
 *
 * How it works:
 *  - Live allocations are kept in a table (STRESS_SLOTS entries; it and
 *    the rest of the run's state are one vmalloc area). Each step picks
 *    an operation with a seeded generator (lib/random.c), so a seed
 *    repeats the same choices: alloc_pages of random order with
 *    GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER, __GFP_ZERO or GFP_DMA; kmalloc
 *    of 8 bytes to 16 KiB; two private slab caches, one with red zones,
 *    poison and owner tracking; a private mempool of pages; vmalloc up
 *    to 4 MiB; kmap of HighMem pages, held mapped; ioremap of device
 *    ranges; writes, reads and truncates of devices 2 and 3 of every
 *    scull variant (0 and 1 belong to the boot tests and scullbench).
 *  - Every allocation is filled with a pattern derived from its own seed
 *    and checked before it is freed; __GFP_ZERO memory is checked to be
 *    zero first. Up to 16 KiB an allocation is patterned whole; a bigger
 *    one at both ends and in one word of the middle of each page (of a
 *    block of more than 16 pages, of one page in 16: see pat_block()).
 *    HighMem pages are reached through kmap_atomic or kmap_local. A
 *    scull device holds a pattern of its offsets, checked by every read.
 *    The debug caches are checked (slabcheck) each time memory runs out.
 *  - Two phases alternate. Fill: most steps allocate, each kind at the
 *    largest order or size that worked last, stepping down after a
 *    failure, until an order-0 page allocation fails: memory has run
 *    out. Then the mempool is emptied into its reserve. Drain: most
 *    steps free, until an eighth of what was live is left.
 *  - Its own allocations ask with __GFP_NOWARN, so their failures are
 *    counted, not reported. The scull drivers allocate as they always
 *    do, and their failures print the allocator's report: a few per run.
 *  - After SECONDS, once memory has run out at least once (waiting for
 *    that at most OVERTIME more; with more memory than the table has
 *    room for, a full table ends a fill phase instead), it stops and
 *    frees everything; MemFree, the objects of every slab cache and the
 *    vmalloc areas must then be what they were before
 *    (kernel/stress_snapshot.c).
 *
 * It runs in the shell, in process context; nothing is done from an
 * interrupt. docs/stress.md explains the output.
 */
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/io.h>
#include <pagoda/mempool.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/random.h>
#include <pagoda/resource.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <pagoda/vmalloc.h>

#include "stress.h"

#define STRESS_MAX_SECONDS 3600
#define OVERTIME	   60 /* seconds to wait for memory to run out */
#define STRESS_SLOTS	   16384 /* live allocations at most */
#define STRESS_CHUNK	   16384 /* scull I/O buffer */
#define WHOLE_MAX	   16384 /* patterned whole up to this size */
#define EDGE		   16 /* bytes patterned at each end of a page */
#define SAMPLE		   16 /* one page in 16 of bigger blocks */
#define KMAP_MAX	   64 /* of the LAST_PKMAP kmap slots */
#define DEBUG_OBJS_MAX	   2048 /* slabcheck reads every one of them */
#define IOREMAP_MAX	   16
#define IO_TARGETS	   8
#define IO_MAX_LEN	   (64UL << 10)
#define POOL_RESERVE	   16
#define POOL_BURST	   1024 /* pool pages taken when memory runs out */
#define VMALLOC_MAX_SHIFT  10 /* PAGE_SIZE << 10: 4 MiB */
#define SCULL_DEV_MAX	   (8UL << 20)
#define SCULL_WRITE_MAX	   (64UL << 10)
#define SCULL_READ_MAX	   (16UL << 10)
#define SCULL_FAILS_MAX	   2 /* failed writes per variant, see scull_op */
#define DRAIN_TO	   8 /* drain to 1/8 of the fill's peak */
#define CLOCK_EVERY	   16 /* steps between looks at the clock */
#define OOM_LINES	   16 /* out-of-memory lines printed */
#define CORRUPT_LINES	   8 /* corruption reports printed */

enum kind {
	K_PAGES_KERNEL,
	K_PAGES_ATOMIC,
	K_PAGES_HIGHUSER,
	K_PAGES_ZERO,
	K_PAGES_DMA,
	K_KMALLOC,
	K_KMALLOC_LARGE,
	K_CACHE,
	K_CACHE_DEBUG,
	K_MEMPOOL,
	K_VMALLOC,
	K_KMAP,
	K_IOREMAP,
	NR_KINDS
};

struct kind_info {
	const char *name;
	unsigned int weight; /* how often it is picked to allocate */
	unsigned int max_order; /* page kinds: order; vmalloc: size shift */
	gfp_t gfp; /* page kinds */
};

static const struct kind_info kinds[NR_KINDS] = {
	[K_PAGES_KERNEL] = {"alloc_pages GFP_KERNEL", 6, MAX_ORDER - 1,
			    GFP_KERNEL},
	[K_PAGES_ATOMIC] = {"alloc_pages GFP_ATOMIC", 3, 3, GFP_ATOMIC},
	[K_PAGES_HIGHUSER] = {"alloc_pages GFP_HIGHUSER", 6, MAX_ORDER - 1,
			      GFP_HIGHUSER},
	[K_PAGES_ZERO] = {"alloc_pages __GFP_ZERO", 3, 4,
			  GFP_HIGHUSER | __GFP_ZERO},
	[K_PAGES_DMA] = {"alloc_pages GFP_DMA", 2, 5, GFP_KERNEL | GFP_DMA},
	[K_KMALLOC] = {"kmalloc", 14},
	[K_KMALLOC_LARGE] = {"kmalloc >8K", 3},
	[K_CACHE] = {"kmem_cache_alloc", 8},
	[K_CACHE_DEBUG] = {"kmem_cache_alloc debug", 4},
	[K_MEMPOOL] = {"mempool_alloc", 6},
	[K_VMALLOC] = {"vmalloc", 8, VMALLOC_MAX_SHIFT},
	[K_KMAP] = {"kmap", 3},
	[K_IOREMAP] = {"ioremap", 1},
};

static bool is_page_kind(enum kind k)
{
	return k <= K_PAGES_DMA;
}

/* Kinds whose p is a struct page * of a block of 2^order pages. */
static bool holds_pages(enum kind k)
{
	return is_page_kind(k) || k == K_MEMPOOL;
}

/* LDD3's four in the book's order, then the two of our own. */
static const char *const scull_names[] = {
	"scull", "scullc", "scullp", "scullv", "scullh", "scullm",
};

#define SCULL_FIRST   2 /* devices 2 and 3 of each variant */
#define SCULL_DEVS    2
#define SCULL_TARGETS (ARRAY_SIZE(scull_names) * SCULL_DEVS)

struct stress_obj {
	void *p; /* the address; struct page * for page kinds and kmap */
	u32 size; /* bytes */
	u32 seed; /* of its pattern */
	u8 kind;
	u8 order; /* page kinds: order; vmalloc: the size shift */
	bool zeroed; /* asked with __GFP_ZERO */
};

struct kind_stats {
	unsigned long ok, failed, freed, live;
	unsigned int cap; /* largest order (vmalloc: shift) tried now */
};

struct scull_target {
	char path[24];
	unsigned int variant; /* in scull_names[] */
	struct file *f; /* open read-write for the whole run */
	unsigned long size; /* what was written: offsets 0..size-1 */
	u32 seed;
	unsigned long writes, failed, reads, truncates, bytes;
};

struct io_target {
	const char *name;
	phys_addr_t phys;
	unsigned long len;
};

enum pat_mode { PAT_FILL, PAT_CHECK, PAT_ZERO };

struct pat {
	u32 seed;
	enum pat_mode mode;
	bool whole;
	const char *why; /* a problem that is not a wrong value */
	unsigned long bad; /* the first difference: offset, */
	u32 got, want; /* and the values, word or byte */
};

struct stress {
	struct rnd_state rnd;
	struct seq_file *m;
	u64 start;
	unsigned int seconds;
	u64 seed, elapsed;
	unsigned int sample; /* which pages of big blocks: pfn % SAMPLE */
	bool filling;
	unsigned long steps, ooms, table_full, cycles;
	unsigned long live_bytes, fill_peak, peak_bytes, peak_objs;
	unsigned long verified, corrupt, scull_checked;
	unsigned long slab_checks, slab_problems;
	unsigned long kmap_atomic_maps, kmap_local_maps;
	unsigned long sleep_reports0;
	unsigned long scull_failed[ARRAY_SIZE(scull_names)];
	unsigned long reserve_hits0, reserve_used;
	struct kmem_cache *cache, *dbg_cache;
	mempool_t *pool;
	struct kind_stats ks[NR_KINDS];
	struct scull_target scull[SCULL_TARGETS];
	unsigned int nr_scull;
	struct io_target io[IO_TARGETS];
	unsigned int nr_io;
	struct mem_snapshot before, after;
	u8 buf[STRESS_CHUNK], cmp[STRESS_CHUNK];
	unsigned int nr_obj;
	struct stress_obj obj[STRESS_SLOTS];
};

static u32 rnd(struct stress *st, u32 ceil)
{
	return prandom_u32_below(&st->rnd, ceil);
}

static u64 now_ns(void)
{
	u64 t = uptime_ns();

	return t ? t : (u64)jiffies * (1000000000ULL / HZ);
}

/* "1.23 s" */
static void seq_seconds(struct seq_file *m, u64 ns)
{
	u64 cs = ns / 10000000ULL;

	seq_printf(m, "%llu.%02llu s", cs / 100, cs % 100);
}

/* ---- patterns ---- */

static u32 pat_word(u32 seed, unsigned long idx)
{
	u32 x = seed ^ ((u32)idx * 0x9e3779b1u);

	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	return x ^ (x >> 16);
}

static u8 pat_byte(u32 seed, unsigned long off)
{
	return (u8)(pat_word(seed, off >> 2) >> ((off & 3) * 8));
}

static bool pat_bad(struct pat *pt, unsigned long off, u32 got, u32 want)
{
	pt->why = NULL;
	pt->bad = off;
	pt->got = got;
	pt->want = want;
	return false;
}

static bool pat_fail(struct pat *pt, const char *why)
{
	pt->why = why;
	return false;
}

/* Bytes [off, off + len) of an object, at p (4-byte aligned, as off). */
static bool pat_span(struct pat *pt, u8 *p, unsigned long off,
		     unsigned long len)
{
	u32 *w = (u32 *)p;
	unsigned long i = 0;

	for (; i + 4 <= len; i += 4, w++) {
		u32 want = pt->mode == PAT_ZERO
				   ? 0
				   : pat_word(pt->seed, (off + i) >> 2);

		if (pt->mode == PAT_FILL)
			*w = want;
		else if (*w != want)
			return pat_bad(pt, off + i, *w, want);
	}
	for (; i < len; i++) {
		u8 want =
			pt->mode == PAT_ZERO ? 0 : pat_byte(pt->seed, off + i);

		if (pt->mode == PAT_FILL)
			p[i] = want;
		else if (p[i] != want)
			return pat_bad(pt, off + i, p[i], want);
	}
	return true;
}

/* One page (or less) of an object: whole, or its ends and a word. */
static bool pat_chunk(struct pat *pt, u8 *p, unsigned long off,
		      unsigned long len)
{
	unsigned long mid, tail;

	if (pt->whole || len <= 4 * EDGE)
		return pat_span(pt, p, off, len);
	mid = ALIGN_DOWN(EDGE + (pt->seed + off) % (len - 2 * EDGE), 4);
	tail = ALIGN_DOWN(len - EDGE, 4);
	return pat_span(pt, p, off, EDGE) &&
	       pat_span(pt, p + mid, off + mid, 4) &&
	       pat_span(pt, p + tail, off + tail, len - tail);
}

static bool pat_range(struct pat *pt, void *p, unsigned long size)
{
	for (unsigned long c = 0; c < size; c += PAGE_SIZE) {
		if (!pat_chunk(pt, (u8 *)p + c, c, min(PAGE_SIZE, size - c)))
			return false;
	}
	return true;
}

/* One page of a block: through the direct map, or mapped for it. */
static bool pat_page(struct stress *st, struct pat *pt, struct page *page,
		     unsigned long i, bool atomic)
{
	void *va;
	bool ok;

	if (!PageHighMem(page))
		return pat_chunk(pt, page_address(page), i << PAGE_SHIFT,
				 PAGE_SIZE);
	if (atomic) {
		va = kmap_atomic(page, KM_USER0);
		ok = pat_chunk(pt, va, i << PAGE_SHIFT, PAGE_SIZE);
		kunmap_atomic(va, KM_USER0);
		st->kmap_atomic_maps++;
	} else {
		va = kmap_local_page(page);
		ok = pat_chunk(pt, va, i << PAGE_SHIFT, PAGE_SIZE);
		kunmap_local(va);
		st->kmap_local_maps++;
	}
	return ok;
}

/*
 * A block of pages. Of a block bigger than SAMPLE pages, only the pages
 * whose frame number is st->sample modulo SAMPLE are patterned: filling
 * gigabytes edge by edge would cost more than allocating them, and when
 * the choice goes by frame number, two blocks that wrongly share pages
 * pattern the same ones and still catch each other.
 */
static bool pat_block(struct stress *st, struct pat *pt, struct page *page,
		      unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), nr = 1UL << order;
	unsigned long i = 0, step = 1;
	bool ok = true;

	if (nr > SAMPLE) {
		step = SAMPLE;
		i = (st->sample + SAMPLE - pfn % SAMPLE) % SAMPLE;
	}
	for (; ok && i < nr; i += step)
		ok = pat_page(st, pt, pfn_to_page(pfn + i), i, (i / step) & 1);
	return ok;
}

/* A kmapped page, through a second kmap: it must share the slot. */
static bool pat_kmapped(struct stress *st, struct pat *pt, struct page *page)
{
	void *va = kmap(page);
	bool ok;

	if (!va)
		return pat_fail(pt, "cannot be kmapped again");
	if (PageHighMem(page) && va != kmap_address(page)) {
		kunmap(page);
		return pat_fail(pt, "kmapped again into another slot");
	}
	ok = pat_range(pt, va, PAGE_SIZE);
	kunmap(page);
	return ok;
}

static bool obj_pattern(struct stress *st, struct stress_obj *o,
			enum pat_mode mode, struct pat *pt)
{
	pt->seed = o->seed;
	pt->mode = mode;
	pt->whole = o->size <= WHOLE_MAX;
	if (holds_pages(o->kind))
		return pat_block(st, pt, o->p, o->order);
	if (o->kind == K_KMAP)
		return pat_kmapped(st, pt, o->p);
	if (o->kind == K_IOREMAP)
		return ioremap_addr_ok(o->p, o->size) ||
		       pat_fail(pt, "is no longer an ioremap area");
	return pat_range(pt, o->p, o->size);
}

static void report_corrupt(struct stress *st, const struct stress_obj *o,
			   const char *what, const struct pat *pt)
{
	if (st->corrupt++ >= CORRUPT_LINES)
		return;
	printk(KERN_ERR "stress: %s of %u bytes (%p, seed %#x) ",
	       kinds[o->kind].name, o->size, o->p, o->seed);
	if (pt && pt->why)
		printk(KERN_CONT "%s\n", pt->why);
	else if (pt)
		printk(KERN_CONT "%s at byte %lu: %#x, expected %#x\n", what,
		       pt->bad, pt->got, pt->want);
	else
		printk(KERN_CONT "%s\n", what);
}

/* ---- allocating and freeing, kind by kind ---- */

static unsigned int pick_order(struct stress *st, unsigned int cap)
{
	return rnd(st, 2) ? cap : rnd(st, cap + 1);
}

static void *alloc_pages_kind(struct stress *st, struct stress_obj *o)
{
	const struct kind_info *ki = &kinds[o->kind];

	o->order = pick_order(st, st->ks[o->kind].cap);
	o->size = PAGE_SIZE << o->order;
	o->zeroed = ki->gfp & __GFP_ZERO;
	return alloc_pages(ki->gfp | __GFP_NOWARN, o->order);
}

static void *alloc_kmalloc(struct stress *st, struct stress_obj *o)
{
	unsigned int shift = 3 + rnd(st, 10), how = rnd(st, 16);
	gfp_t gfp = GFP_KERNEL;

	if (o->kind == K_KMALLOC_LARGE)
		o->size = KMALLOC_MAX_CACHE_SIZE + 1 +
			  rnd(st, WHOLE_MAX - KMALLOC_MAX_CACHE_SIZE);
	else
		o->size = (1u << shift) + rnd(st, 1u << shift);
	if (how == 0)
		gfp = GFP_ATOMIC;
	else if (how == 1)
		gfp |= __GFP_ZERO;
	else if (how == 2)
		gfp |= GFP_DMA;
	o->zeroed = gfp & __GFP_ZERO;
	return kmalloc(o->size, gfp | __GFP_NOWARN);
}

static struct kmem_cache *cache_of(struct stress *st, enum kind k)
{
	return k == K_CACHE_DEBUG ? st->dbg_cache : st->cache;
}

static void *alloc_cache(struct stress *st, struct stress_obj *o)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;

	o->size = kmem_cache_size(cache_of(st, o->kind));
	if (!rnd(st, 8))
		gfp |= __GFP_ZERO;
	o->zeroed = gfp & __GFP_ZERO;
	return kmem_cache_alloc(cache_of(st, o->kind), gfp);
}

/* The pool's elements are single pages from low memory. */
static void *alloc_mempool(struct stress *st, struct stress_obj *o)
{
	o->size = PAGE_SIZE;
	return mempool_alloc(st->pool, GFP_KERNEL);
}

static void *alloc_vmalloc(struct stress *st, struct stress_obj *o)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	unsigned long most;

	o->order = pick_order(st, st->ks[K_VMALLOC].cap);
	most = PAGE_SIZE << o->order;
	o->size = most - rnd(st, most / 2);
	if (o->size <= WHOLE_MAX && !rnd(st, 4))
		gfp |= __GFP_ZERO;
	o->zeroed = gfp & __GFP_ZERO;
	return __vmalloc(o->size, gfp, PAGE_KERNEL);
}

static void *alloc_kmap(struct stress *st, struct stress_obj *o)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);

	o->size = PAGE_SIZE;
	if (page && !kmap(page)) {
		__free_page(page);
		page = NULL;
	}
	return page;
}

static void *alloc_ioremap(struct stress *st, struct stress_obj *o)
{
	const struct io_target *io = &st->io[rnd(st, st->nr_io)];

	o->size = io->len;
	return ioremap(io->phys, io->len);
}

static void *alloc_kind(struct stress *st, struct stress_obj *o)
{
	switch (o->kind) {
	case K_KMALLOC:
	case K_KMALLOC_LARGE:
		return alloc_kmalloc(st, o);
	case K_CACHE:
	case K_CACHE_DEBUG:
		return alloc_cache(st, o);
	case K_MEMPOOL:
		return alloc_mempool(st, o);
	case K_VMALLOC:
		return alloc_vmalloc(st, o);
	case K_KMAP:
		return alloc_kmap(st, o);
	case K_IOREMAP:
		return alloc_ioremap(st, o);
	default:
		return alloc_pages_kind(st, o);
	}
}

/* What the allocator itself can say about a block it handed out. */
static bool obj_sane(const struct stress_obj *o)
{
	switch (o->kind) {
	case K_KMALLOC:
	case K_KMALLOC_LARGE:
		return ksize(o->p) >= o->size;
	case K_VMALLOC:
		return is_vmalloc_addr(o->p) && vmalloc_to_page(o->p);
	case K_KMAP:
		return !PageHighMem(o->p) || kmap_address(o->p);
	default:
		return true;
	}
}

static void free_kind(struct stress *st, struct stress_obj *o)
{
	switch (o->kind) {
	case K_KMALLOC:
	case K_KMALLOC_LARGE:
		kfree(o->p);
		break;
	case K_CACHE:
	case K_CACHE_DEBUG:
		kmem_cache_free(cache_of(st, o->kind), o->p);
		break;
	case K_MEMPOOL:
		mempool_free(o->p, st->pool);
		break;
	case K_VMALLOC:
		vfree(o->p);
		break;
	case K_KMAP:
		kunmap(o->p);
		__free_page(o->p);
		break;
	case K_IOREMAP:
		iounmap(o->p);
		break;
	default:
		__free_pages(o->p, o->order);
		break;
	}
}

/* ---- the two phases ---- */

static void do_alloc(struct stress *st, enum kind k);

static void start_fill(struct stress *st)
{
	st->filling = true;
	for (int k = 0; k < NR_KINDS; k++)
		st->ks[k].cap = kinds[k].max_order;
}

static void slab_check(struct stress *st)
{
	st->slab_checks++;
	st->slab_problems += slab_check_all();
}

static void start_drain(struct stress *st)
{
	st->filling = false;
	st->fill_peak = st->live_bytes;
	slab_check(st);
}

/*
 * With memory gone, the pool's own allocation fails too (below the
 * watermark that GFP_KERNEL stops at, allocations that cannot sleep may
 * go a little further): take pages from the pool until it hands out
 * its reserve.
 */
static void pool_burst(struct stress *st)
{
	unsigned long hits = st->pool->reserve_hits;

	for (int i = 0; i < POOL_BURST && st->pool->reserve_hits == hits; i++) {
		unsigned long failed = st->ks[K_MEMPOOL].failed;

		if (st->nr_obj == STRESS_SLOTS)
			break;
		do_alloc(st, K_MEMPOOL);
		if (st->ks[K_MEMPOOL].failed != failed)
			break;
	}
}

static void out_of_memory(struct stress *st, const struct stress_obj *o)
{
	if (st->ooms++ < OOM_LINES) {
		seq_puts(st->m, "stress: ");
		seq_seconds(st->m, now_ns() - st->start);
		seq_printf(st->m,
			   ": out of memory (%s order %u failed) with %lu "
			   "MiB live in %u allocations\n",
			   kinds[o->kind].name, o->order, st->live_bytes >> 20,
			   st->nr_obj);
		seq_flush(st->m);
	}
	start_drain(st);
	pool_burst(st);
}

/*
 * A failure steps the kind's order (or size) down, so that the fill
 * goes on with smaller blocks (a success at the top steps it up again:
 * a free may have made room); an order-0 page that cannot be had means
 * memory has run out. GFP_DMA's zone is small: it runs out alone.
 */
static void alloc_failed(struct stress *st, const struct stress_obj *o)
{
	struct kind_stats *ks = &st->ks[o->kind];

	ks->failed++;
	if (!st->filling)
		return;
	if (is_page_kind(o->kind) || o->kind == K_VMALLOC) {
		if (o->order && o->order <= ks->cap)
			ks->cap = o->order - 1;
		if (o->order || o->kind == K_VMALLOC || o->kind == K_PAGES_DMA)
			return;
	}
	if (is_page_kind(o->kind) || o->kind == K_KMAP)
		out_of_memory(st, o);
}

static void note_live(struct stress *st)
{
	st->peak_bytes = max(st->peak_bytes, st->live_bytes);
	st->peak_objs = max(st->peak_objs, (unsigned long)st->nr_obj);
}

static void do_alloc(struct stress *st, enum kind k)
{
	struct stress_obj *o = &st->obj[st->nr_obj];
	struct pat pt = {0};

	if (st->nr_obj == STRESS_SLOTS) {
		if (st->filling) { /* a turn too: more memory than slots */
			st->table_full++;
			start_drain(st);
		}
		return;
	}
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->seed = prandom_u32_state(&st->rnd);
	o->p = alloc_kind(st, o);
	if (!o->p) {
		alloc_failed(st, o);
		return;
	}
	st->nr_obj++;
	st->ks[k].ok++;
	st->ks[k].live++;
	if (o->order == st->ks[k].cap && o->order < kinds[k].max_order)
		st->ks[k].cap++; /* bigger blocks may fit again */
	st->live_bytes += o->size;
	note_live(st);
	if (!obj_sane(o))
		report_corrupt(st, o, "not what the allocator says", NULL);
	if (o->zeroed && !obj_pattern(st, o, PAT_ZERO, &pt))
		report_corrupt(st, o, "not zeroed", &pt);
	obj_pattern(st, o, PAT_FILL, &pt);
}

static void free_obj(struct stress *st, unsigned int i)
{
	struct stress_obj *o = &st->obj[i];
	struct pat pt = {0};

	if (!obj_sane(o))
		report_corrupt(st, o, "not what the allocator says", NULL);
	if (obj_pattern(st, o, PAT_CHECK, &pt))
		st->verified++;
	else
		report_corrupt(st, o, "corrupted", &pt);
	free_kind(st, o);
	if (o->kind == K_KMAP && PageHighMem(o->p) && kmap_address(o->p))
		report_corrupt(st, o, "still kmapped after kunmap", NULL);
	st->ks[o->kind].freed++;
	st->ks[o->kind].live--;
	st->live_bytes -= o->size;
	*o = st->obj[--st->nr_obj];
}

static void free_random(struct stress *st)
{
	if (st->nr_obj)
		free_obj(st, rnd(st, st->nr_obj));
}

/* A kind to allocate; one at its limit gives way to kmalloc. */
static enum kind pick_kind(struct stress *st)
{
	unsigned int total = 0, r;
	enum kind k;

	for (k = 0; k < NR_KINDS; k++)
		total += kinds[k].weight;
	r = rnd(st, total);
	for (k = 0; r >= kinds[k].weight; k++)
		r -= kinds[k].weight;
	if ((k == K_CACHE_DEBUG && st->ks[k].live >= DEBUG_OBJS_MAX) ||
	    (k == K_KMAP && st->ks[k].live >= KMAP_MAX) ||
	    (k == K_IOREMAP && (!st->nr_io || st->ks[k].live >= IOREMAP_MAX)))
		return K_KMALLOC;
	return k;
}

/* ---- scull ---- */

/* pat_byte() for every offset, one pat_word() per four bytes. */
static void scull_pattern(u8 *buf, unsigned long off, unsigned long len,
			  u32 seed)
{
	unsigned long i = 0;

	while (i < len) {
		u32 w = pat_word(seed, (off + i) >> 2);

		for (unsigned int b = (off + i) & 3; b < 4 && i < len; b++)
			buf[i++] = (u8)(w >> (b * 8));
	}
}

static void scull_corrupt(struct stress *st, struct scull_target *t,
			  const char *what, unsigned long off)
{
	if (st->corrupt++ < CORRUPT_LINES)
		printk(KERN_ERR "stress: %s: %s at offset %lu (size %lu)\n",
		       t->path, what, off, t->size);
}

static void scull_check_size(struct stress *st, struct scull_target *t)
{
	loff_t end = vfs_llseek(t->f, 0, SEEK_END);

	if (end != (loff_t)t->size)
		scull_corrupt(st, t, "wrong size", (unsigned long)end);
}

static void scull_truncate(struct stress *st, struct scull_target *t)
{
	struct file *f;
	int err;

	f = filp_open(t->path, O_WRONLY | O_TRUNC, &err);
	if (!f) {
		t->failed++;
		return;
	}
	filp_close(f);
	st->live_bytes -= t->size;
	t->size = 0;
	t->seed = prandom_u32_state(&st->rnd);
	t->truncates++;
	scull_check_size(st, t);
}

/* Write len bytes at the end; returns 0 or the driver's error. */
static long scull_append(struct stress *st, struct scull_target *t,
			 unsigned long len)
{
	if (vfs_llseek(t->f, t->size, SEEK_SET) != (loff_t)t->size)
		return -EIO;
	while (len) {
		unsigned long n = min(len, (unsigned long)STRESS_CHUNK),
			      put = 0;

		scull_pattern(st->buf, t->size, n, t->seed);
		while (put < n) {
			long w =
				vfs_write(t->f, (char *)st->buf + put, n - put);

			if (w <= 0)
				return w ? w : -ENOSPC;
			put += w;
			t->size += w;
			t->bytes += w;
			st->live_bytes += w;
		}
		len -= n;
	}
	return 0;
}

static void scull_write(struct stress *st, struct scull_target *t)
{
	unsigned long room = SCULL_DEV_MAX - t->size;

	if (!room) {
		scull_truncate(st, t);
		return;
	}
	t->writes++;
	if (scull_append(st, t, 1 + rnd(st, min(room, SCULL_WRITE_MAX)))) {
		t->failed++;
		st->scull_failed[t->variant]++;
	}
	note_live(st);
	scull_check_size(st, t);
}

static void scull_read(struct stress *st, struct scull_target *t)
{
	unsigned long off, len, done = 0;

	if (!t->size)
		return;
	off = rnd(st, t->size);
	len = 1 + rnd(st, min(t->size - off, SCULL_READ_MAX));
	t->reads++;
	if (vfs_llseek(t->f, off, SEEK_SET) != (loff_t)off) {
		scull_corrupt(st, t, "cannot seek", off);
		return;
	}
	while (done < len) {
		long n = vfs_read(t->f, (char *)st->buf,
				  min(len - done, (unsigned long)STRESS_CHUNK));

		if (n <= 0) {
			scull_corrupt(st, t, n ? "read error" : "ends early",
				      off + done);
			return;
		}
		scull_pattern(st->cmp, off + done, n, t->seed);
		if (memcmp(st->buf, st->cmp, n)) {
			scull_corrupt(st, t, "wrong data", off + done);
			return;
		}
		done += n;
	}
	st->scull_checked++;
}

enum scull_op { SCULL_WRITE, SCULL_READ, SCULL_TRUNCATE };

/*
 * The drivers allocate without __GFP_NOWARN, so a failed write prints
 * the allocator's full report. Once a variant has failed twice, it
 * writes only while an eighth of low memory is free.
 */
static bool scull_may_write(struct stress *st, struct scull_target *t)
{
	unsigned long low_free = nr_free_pages() - nr_free_highpages();

	return st->scull_failed[t->variant] < SCULL_FAILS_MAX ||
	       low_free > (totalram_pages - totalhigh_pages) / 8;
}

static void scull_op(struct stress *st, enum scull_op op)
{
	struct scull_target *t;

	if (!st->nr_scull)
		return;
	t = &st->scull[rnd(st, st->nr_scull)];
	if (op == SCULL_WRITE && scull_may_write(st, t))
		scull_write(st, t);
	else if (op == SCULL_TRUNCATE)
		scull_truncate(st, t);
	else
		scull_read(st, t);
}

/* ---- one step, and the run ---- */

static void step(struct stress *st)
{
	unsigned int r = rnd(st, 100);

	st->steps++;
	if (st->filling) {
		if (r < 68)
			do_alloc(st, pick_kind(st));
		else if (r < 80)
			scull_op(st, SCULL_WRITE);
		else if (r < 85)
			scull_op(st, SCULL_READ);
		else
			free_random(st);
		return;
	}
	if (r < 8)
		do_alloc(st, pick_kind(st));
	else if (r < 10)
		scull_op(st, SCULL_WRITE);
	else if (r < 15)
		scull_op(st, SCULL_READ);
	else if (r < 25)
		scull_op(st, SCULL_TRUNCATE);
	else
		free_random(st);
	if (st->live_bytes <= st->fill_peak / DRAIN_TO) {
		st->cycles++;
		start_fill(st);
	}
}

/*
 * Until the time is up and memory has run out at least once, for at
 * most OVERTIME more: the first fill of a big machine can take longer
 * than a short run (under QEMU, the host gives the guest's RAM its
 * pages only as they are first written).
 */
static void run(struct stress *st)
{
	u64 end = st->start + st->seconds * 1000000000ULL;
	u64 last = end + OVERTIME * 1000000000ULL;

	start_fill(st);
	for (;;) {
		if (st->steps % CLOCK_EVERY == 0) {
			u64 now = now_ns();

			if (now >= last ||
			    (now >= end && (st->ooms || st->table_full))) {
				st->elapsed = now - st->start;
				break;
			}
		}
		step(st);
	}
}

static void free_everything(struct stress *st)
{
	while (st->nr_obj)
		free_obj(st, st->nr_obj - 1);
	for (unsigned int i = 0; i < st->nr_scull; i++) {
		struct scull_target *t = &st->scull[i];

		scull_truncate(st, t);
		if (t->size)
			printk(KERN_ERR "stress: %s: cannot empty it\n",
			       t->path);
	}
}

/* ---- set-up and tear-down ---- */

static void open_scull(struct stress *st)
{
	for (size_t v = 0; v < ARRAY_SIZE(scull_names); v++) {
		for (int d = 0; d < SCULL_DEVS; d++) {
			struct scull_target *t = &st->scull[st->nr_scull];
			struct file *f;
			int err;

			scnprintf(t->path, sizeof(t->path), "/dev/%s%d",
				  scull_names[v], SCULL_FIRST + d);
			f = filp_open(t->path, O_WRONLY | O_TRUNC, &err);
			if (f) {
				filp_close(f);
				t->f = filp_open(t->path, O_RDWR, &err);
			}
			if (!f || !t->f) {
				seq_printf(st->m, "stress: %s: -%s; not used\n",
					   t->path,
					   errname(err) ? errname(err) : "EIO");
				continue;
			}
			t->variant = v;
			t->seed = prandom_u32_state(&st->rnd);
			st->nr_scull++;
		}
	}
}

static void close_scull(struct stress *st)
{
	for (unsigned int i = 0; i < st->nr_scull; i++)
		filp_close(st->scull[i].f);
}

/* Device ranges from /proc/iomem's top level: mapped, never touched. */
static void find_io_targets(struct stress *st)
{
	for (struct resource *r = iomem_resource.child;
	     r && st->nr_io < IO_TARGETS; r = r->sibling) {
		phys_addr_t len = r->end - r->start + 1;

		if (!strcmp(r->name, "System RAM") ||
		    !strcmp(r->name, "reserved") ||
		    bootmem_overlaps_memory(r->start, r->end + 1))
			continue;
		st->io[st->nr_io].name = r->name;
		st->io[st->nr_io].phys = r->start;
		st->io[st->nr_io++].len = min(len, (phys_addr_t)IO_MAX_LEN);
	}
}

/* Object sizes from the seed: multiples of 8 up to 1 KiB and 512 B. */
static int create_caches(struct stress *st)
{
	st->cache = kmem_cache_create("stress", 8 * (1 + rnd(st, 128)), 0,
				      SLAB_HWCACHE_ALIGN, NULL);
	st->dbg_cache = kmem_cache_create("stress_debug", 8 * (1 + rnd(st, 64)),
					  0, SLAB_DEBUG_FLAGS, NULL);
	st->pool = mempool_create_page_pool(POOL_RESERVE, 0);
	if (!st->cache || !st->dbg_cache || !st->pool)
		return -ENOMEM;
	st->reserve_hits0 = st->pool->reserve_hits;
	return 0;
}

static void destroy_caches(struct stress *st)
{
	if (st->pool)
		st->reserve_used = st->pool->reserve_hits - st->reserve_hits0;
	mempool_destroy(st->pool);
	kmem_cache_destroy(st->dbg_cache);
	kmem_cache_destroy(st->cache);
}

/* ---- what it did ---- */

static void show_kinds(struct seq_file *m, struct stress *st)
{
	seq_printf(m, "%-26s %9s %8s %9s\n", "allocator", "ok", "failed",
		   "freed");
	for (int k = 0; k < NR_KINDS; k++)
		seq_printf(m, "%-26s %9lu %8lu %9lu\n", kinds[k].name,
			   st->ks[k].ok, st->ks[k].failed, st->ks[k].freed);
}

static void show_scull(struct seq_file *m, struct stress *st)
{
	seq_printf(m, "%-26s %9s %8s %9s %9s %9s\n", "scull devices 2, 3",
		   "writes", "failed", "reads", "truncates", "KiB");
	for (size_t v = 0; v < ARRAY_SIZE(scull_names); v++) {
		struct scull_target sum = {0};

		for (unsigned int i = 0; i < st->nr_scull; i++) {
			struct scull_target *t = &st->scull[i];

			if (t->variant != v)
				continue;
			sum.writes += t->writes;
			sum.failed += t->failed;
			sum.reads += t->reads;
			sum.truncates += t->truncates;
			sum.bytes += t->bytes;
		}
		seq_printf(m, "%-26s %9lu %8lu %9lu %9lu %9lu\n",
			   scull_names[v], sum.writes, sum.failed, sum.reads,
			   sum.truncates, sum.bytes >> 10);
	}
}

static void show_run(struct seq_file *m, struct stress *st)
{
	seq_printf(m, "stress: %lu steps in ", st->steps);
	seq_seconds(m, st->elapsed);
	seq_printf(m,
		   "; out of memory %lu times, back %lu times; peak %lu "
		   "MiB live in %lu allocations\n",
		   st->ooms, st->cycles, st->peak_bytes >> 20, st->peak_objs);
	if (st->table_full)
		seq_printf(m,
			   "stress: the table of %d allocations filled up "
			   "before memory ran out %lu times\n",
			   STRESS_SLOTS, st->table_full);
	seq_printf(m,
		   "stress: checked %lu allocations and %lu scull reads: "
		   "%lu corrupted; slabcheck %lu times: %lu problems\n",
		   st->verified, st->scull_checked, st->corrupt,
		   st->slab_checks, st->slab_problems);
	seq_printf(m,
		   "stress: HighMem pages mapped for the checks: %lu by "
		   "kmap_atomic, %lu by kmap_local; mempool reserve used "
		   "%lu times\n",
		   st->kmap_atomic_maps, st->kmap_local_maps, st->reserve_used);
}

static int verdict(struct seq_file *m, struct stress *st, bool back)
{
	unsigned long sleeps = might_sleep_reports - st->sleep_reports0;

	if (sleeps)
		seq_printf(m, "stress: %lu sleeping-in-atomic reports\n",
			   sleeps);
	if (back && !st->corrupt && !st->slab_problems && !sleeps) {
		seq_puts(m, "stress: PASS: memory is back as it was, nothing "
			    "was corrupted\n");
		return 0;
	}
	seq_printf(m, "stress: FAIL:%s%s%s%s\n",
		   back ? "" : " memory is not back as it was;",
		   st->corrupt ? " corruption found;" : "",
		   st->slab_problems ? " slabcheck found problems;" : "",
		   sleeps ? " sleeping in atomic context;" : "");
	return -EIO;
}

/* ---- the command ---- */

static void show_setup(struct seq_file *m, struct stress *st)
{
	seq_printf(m,
		   "stress: %u s, seed %llu ('stress %u %llu' makes the "
		   "same choices)\n",
		   st->seconds, st->seed, st->seconds, st->seed);
	seq_printf(m,
		   "stress: %u scull devices emptied and used; caches "
		   "stress (%u bytes) and stress_debug (%u bytes, FZPU); "
		   "a mempool of %d pages; ioremap of",
		   st->nr_scull, kmem_cache_size(st->cache),
		   kmem_cache_size(st->dbg_cache), POOL_RESERVE);
	for (unsigned int i = 0; i < st->nr_io; i++)
		seq_printf(m, "%s %s", i ? "," : "", st->io[i].name);
	seq_puts(m, st->nr_io ? "\n" : " nothing (no device found)\n");
}

static int stress_run(struct seq_file *m, struct stress *st)
{
	bool back;
	int err;

	open_scull(st);
	find_io_targets(st);
	mem_snapshot_take(&st->before);
	err = create_caches(st);
	if (!err) {
		show_setup(m, st);
		mem_snapshot_show(m, "before", &st->before);
		seq_flush(m);
		st->sleep_reports0 = might_sleep_reports;
		st->start = now_ns();
		run(st);
		free_everything(st);
		slab_check(st);
	}
	destroy_caches(st);
	mem_snapshot_take(&st->after);
	close_scull(st);
	if (err) {
		seq_puts(m, "stress: cannot create its caches and mempool\n");
		return err;
	}
	show_kinds(m, st);
	show_scull(m, st);
	show_run(m, st);
	mem_snapshot_show(m, "after", &st->after);
	back = mem_snapshot_compare(m, &st->before, &st->after);
	return verdict(m, st, back);
}

static int cmd_stress(struct seq_file *m, int argc, char **argv)
{
	unsigned long long seed = arch_cycles() ^ ((u64)jiffies << 32);
	unsigned int seconds;
	struct stress *st;
	int ret;

	if (argc < 2 || argc > 3 || kstrtouint(argv[1], 10, &seconds) ||
	    seconds < 1 || seconds > STRESS_MAX_SECONDS ||
	    (argc == 3 && kstrtoull(argv[2], 0, &seed)))
		return shell_usage(m, "stress");
	st = vzalloc(sizeof(*st));
	if (!st) {
		seq_puts(m, "stress: no memory for its table\n");
		return -ENOMEM;
	}
	st->m = m;
	st->seconds = seconds;
	st->seed = seed;
	st->sample = seed % SAMPLE;
	prandom_seed_state(&st->rnd, seed);
	ret = stress_run(m, st);
	vfree(st);
	return ret;
}
SHELL_COMMAND("stress", "stress SECONDS [SEED]",
	      "random allocations of every kind, and scull devices 2 and 3, "
	      "out of memory and back; checks all of it comes back",
	      cmd_stress);
