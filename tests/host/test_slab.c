/*
 * Host tests of the slab allocator (mm/slab.c, mm/slab_debug.c), kmalloc
 * (mm/kmalloc.c) and mempools (mm/mempool.c).
 *
 * A 64 MiB arena stands in for physical memory: ZONE_DMA below 16 MiB,
 * ZONE_NORMAL up to 48 MiB, ZONE_HIGHMEM above. Every test builds the page
 * allocator, the slab layer and kmalloc from scratch (boot()).
 *
 * The main test runs tens of thousands of random allocations and frees
 * over some twenty-five caches (sizes 1..8192, alignments, hardware cache
 * alignment, constructors, debug flags, DMA) and every kmalloc entry point
 * and size, against a reference model that keeps the live objects sorted
 * by address. It checks that each object is distinct from and does not
 * overlap any other live one, lies in a slab of its cache, is aligned as
 * asked, is zeroed, poisoned or constructed as it should be and keeps its
 * contents; that the counters and the partial/full/CPU lists of every
 * cache agree with the model; and that once everything is freed, shrunk
 * and destroyed, every page is back with the page allocator.
 *
 * The other tests take the features one by one: constructors, shrinking
 * and the page allocator's shrinker, the kmalloc classes and corner cases,
 * the refusals of kmem_cache_create, destroying a busy cache, each debug
 * report (checked line by line against the text Linux prints, with the
 * addresses filled in), the slub_debug= option, the hardened free list,
 * mempools under memory exhaustion, /proc/slabinfo and /proc/mempoolinfo.
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/mempool.h>
#include <pagoda/mm.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/seq_file.h>
#include <pagoda/slab.h>
#include <pagoda/time.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../mm/internal.h"
#include "../../mm/slab.h"
#include "arena.h"
#include "shim.h"
#include "test.h"

#define ARENA_SIZE  (64UL << 20)
#define ARENA_PAGES (ARENA_SIZE >> PAGE_SHIFT)
#define NOINLINE    __attribute__((noinline, noclone))

extern const struct proc_table __start_pagoda_proc[], __stop_pagoda_proc[];
extern const struct kernel_param __start_pagoda_params[],
	__stop_pagoda_params[];

/* The kmalloc classes, as mm/kmalloc.c's header comment lists them. */
static const unsigned long classes[] = {
	8,   16,  24,  32,   48,   64,	 96,   128,  192,  256,
	384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192,
};
#define NR_CLASSES ARRAY_SIZE(classes)

/* ---- booting the allocators ---- */

static char *arena;

/*
 * kmem_cache_init() registers the slab shrinker every time it runs, and
 * register_shrinker() puts the (static) struct on the list again: a
 * second boot would link it to itself and the next run of the shrinkers
 * would loop forever. A probe shrinker registered first tells the test
 * where the slab one is, so that each boot can take it off the list
 * before kmem_cache_init() puts it back. The probe also counts how often
 * the page allocator asked the shrinkers for memory.
 */
static unsigned long probe_calls;

static unsigned long probe_shrink(unsigned long nr_wanted, gfp_t gfp)
{
	probe_calls++;
	return 0;
}

static struct shrinker probe = {.shrink = probe_shrink};
static struct shrinker *slab_shrinker;

static void reset_model(void);

static void boot(void)
{
	reset_model();
	arena = host_arena_boot(ARENA_SIZE);
	bootmem_set_limits(16UL << 20, 48UL << 20);
	mem_init();
	if (slab_shrinker)
		unregister_shrinker(slab_shrinker);
	else
		register_shrinker(&probe);
	kmem_cache_init();
	if (!slab_shrinker)
		slab_shrinker =
			list_entry(probe.list.next, struct shrinker, list);
	kmalloc_init();
	host_irq_flags = 1;
	jiffies = 0;
	host_log_clear();
}

/* Every empty slab and per-CPU page back; the free page count. */
static unsigned long settle(void)
{
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

/* ---- small helpers ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)rng_state;
}

/* "%p" as Pagoda's printk prints it; a few rotating buffers. */
static const char *P(const void *p)
{
	static char buf[8][2 + 2 * sizeof(void *) + 1];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "0x%0*lx", (int)(2 * sizeof(void *)),
		 (unsigned long)p);
	return buf[i];
}

static unsigned long want_class(unsigned long size)
{
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		if (classes[i] >= size)
			return classes[i];
	}
	return 0;
}

static int class_idx(unsigned long size)
{
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		if (classes[i] >= size)
			return i;
	}
	return -1;
}

static struct kmem_cache *find_cache(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry (s, &slab_caches, list) {
		if (!strcmp(s->name, name))
			return s;
	}
	return NULL;
}

static bool cache_listed(const struct kmem_cache *want)
{
	struct kmem_cache *s;

	list_for_each_entry (s, &slab_caches, list) {
		if (s == want)
			return true;
	}
	return false;
}

static unsigned long nr_caches(void)
{
	struct kmem_cache *s;
	unsigned long n = 0;

	list_for_each_entry (s, &slab_caches, list)
		n++;
	return n;
}

static struct kmem_cache *kmalloc_cache(bool dma, unsigned long cls)
{
	char name[KMEM_CACHE_NAME_LEN];

	snprintf(name, sizeof(name), "%skmalloc-%lu", dma ? "dma-" : "", cls);
	return find_cache(name);
}

static bool in_zone_dma(const void *p)
{
	return zone_idx(page_zone(virt_to_page(p))) == ZONE_DMA;
}

static bool all_bytes(const void *p, int val, unsigned long n)
{
	const u8 *c = p;

	for (unsigned long i = 0; i < n; i++) {
		if (c[i] != (u8)val)
			return false;
	}
	return true;
}

/* Is addr a return address inside fn (a small function)? */
static bool returns_into(unsigned long addr, void *fn)
{
	return addr > (unsigned long)fn && addr - (unsigned long)fn < 1024;
}

/* Allocation and free from known places, for the callers in reports. */
static NOINLINE void *do_alloc(struct kmem_cache *s)
{
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	__asm__ __volatile__("" : "+r"(p));
	return p;
}

static NOINLINE void do_free(struct kmem_cache *s, void *p)
{
	kmem_cache_free(s, p);
	__asm__ __volatile__("" ::: "memory");
}

static NOINLINE void do_kfree(const void *p)
{
	kfree(p);
	__asm__ __volatile__("" ::: "memory");
}

/* ---- the log, line by line ---- */

/*
 * The printk log with the level markers ("<3>" at the start of a line,
 * "<c>" for continuations) taken out, and a newline in front, so that a
 * whole line can be searched as "\n" line "\n".
 */
static char normbuf[1 << 20];

static const char *norm_log(void)
{
	const char *s = host_log();
	size_t n = 0;
	bool bol = true;

	normbuf[n++] = '\n';
	while (*s && n < sizeof(normbuf) - 2) {
		if (s[0] == '<' && s[1] && s[2] == '>' &&
		    (s[1] == 'c' || (bol && s[1] >= '0' && s[1] <= '7'))) {
			s += 3;
			continue;
		}
		bol = *s == '\n';
		normbuf[n++] = *s++;
	}
	normbuf[n] = '\0';
	return normbuf;
}

static bool log_has_line(const char *line)
{
	static char needle[1100];

	snprintf(needle, sizeof(needle), "\n%s\n", line);
	return strstr(norm_log(), needle) != NULL;
}

/* Is this exact line in the log? Says which one when it is not. */
static bool __printf(1, 2) expect_line(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_has_line(line))
		return true;
	fprintf(stderr, "  missing log line: \"%s\"\n", line);
	return false;
}

static bool log_has(const char *text)
{
	return strstr(norm_log(), text) != NULL;
}

/* The address printed right after the first line starting with prefix. */
static unsigned long log_addr_after(const char *prefix)
{
	char needle[256];
	const char *at;

	snprintf(needle, sizeof(needle), "\n%s", prefix);
	at = strstr(norm_log(), needle);
	if (!at)
		return 0;
	return strtoul(at + strlen(needle), NULL, 16);
}

/* The lines hex_dump() prints for len bytes at addr holding bytes[]. */
static bool expect_hex(const char *label, const void *addr, const u8 *bytes,
		       unsigned int len)
{
	bool ok = true;

	for (unsigned int off = 0; off < len; off += 16) {
		char line[256];
		int n = snprintf(line, sizeof(line), "%-8s %s:", label,
				 P((const u8 *)addr + off));

		for (unsigned int i = off; i < len && i < off + 16; i++)
			n += snprintf(line + n, sizeof(line) - n, " %02x",
				      bytes[i]);
		ok &= expect_line("%s", line);
	}
	return ok;
}

/* ---- /proc tables and parameters ---- */

static const char *show(const char *name)
{
	const char *text = host_proc_show(name);

	CHECK(text != NULL); /* the table exists and fits the buffer */
	return text ? text : "";
}

static int (*find_param(const char *name))(const char *)
{
	for (const struct kernel_param *kp = __start_pagoda_params;
	     kp < __stop_pagoda_params; kp++) {
		if (!strcmp(kp->name, name))
			return kp->set;
	}
	return NULL;
}

/* ---- exhausting the page allocator ---- */

static struct page **held;
static unsigned long nheld;

/* Take single pages until the allocator says no; returns how many. */
static unsigned long exhaust(gfp_t gfp)
{
	unsigned long n = 0;
	struct page *page;

	if (!held)
		held = calloc(ARENA_PAGES, sizeof(*held));
	while (nheld < ARENA_PAGES && (page = alloc_page(gfp | __GFP_NOWARN))) {
		held[nheld++] = page;
		n++;
	}
	return n;
}

static void release_pages(void)
{
	while (nheld)
		__free_page(held[--nheld]);
}

/* ---- the reference model: live objects sorted by address ---- */

struct obj {
	u8 *p;
	unsigned long size; /* bytes the user may use */
	unsigned int seed;
	short cache; /* index in tc[], or -1 for kmalloc */
	short cls; /* kmalloc class index, or -1: a large block */
	bool dma;
};

#define MAX_LIVE 4096
static struct obj live[MAX_LIVE];
static int nlive;

static int lower_bound(const void *p)
{
	int lo = 0, hi = nlive;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if ((uintptr_t)live[mid].p < (uintptr_t)p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The live object whose bytes include p, or NULL. */
static struct obj *model_find(const void *p)
{
	int i = lower_bound(p);

	if (i < nlive && live[i].p == p)
		return &live[i];
	if (i > 0 && (uintptr_t)p < (uintptr_t)live[i - 1].p + live[i - 1].size)
		return &live[i - 1];
	return NULL;
}

/* Insert, checking the new object overlaps no live one. */
static bool model_add(const struct obj *o)
{
	int i = lower_bound(o->p);
	bool ok = true;

	if (i > 0 &&
	    (uintptr_t)live[i - 1].p + live[i - 1].size > (uintptr_t)o->p) {
		fprintf(stderr, "  %p+%lu overlaps live %p+%lu\n", o->p,
			o->size, live[i - 1].p, live[i - 1].size);
		ok = false;
	}
	if (i < nlive && (uintptr_t)o->p + o->size > (uintptr_t)live[i].p) {
		fprintf(stderr, "  %p+%lu overlaps live %p+%lu\n", o->p,
			o->size, live[i].p, live[i].size);
		ok = false;
	}
	if (!ok || nlive == MAX_LIVE)
		return false;
	memmove(&live[i + 1], &live[i], (nlive - i) * sizeof(live[0]));
	live[i] = *o;
	nlive++;
	return true;
}

static void model_del(int i)
{
	memmove(&live[i], &live[i + 1], (nlive - i - 1) * sizeof(live[0]));
	nlive--;
}

static u8 pat(unsigned int seed, unsigned long i)
{
	return (u8)(seed + i * 0x9d + (i >> 8) * 0x47);
}

static void fill(const struct obj *o)
{
	for (unsigned long i = 0; i < o->size; i++)
		o->p[i] = pat(o->seed, i);
}

/* Are the first len bytes what fill() wrote? */
static bool intact(const struct obj *o, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++) {
		if (o->p[i] != pat(o->seed, i)) {
			fprintf(stderr,
				"  object %p+%lu: byte %lu is %#x, not %#x\n",
				o->p, o->size, i, o->p[i], pat(o->seed, i));
			return false;
		}
	}
	return true;
}

/* ---- constructors ---- */

/* What a constructed object holds: a pattern of its own address. */
static u8 ctor_pat(const void *obj, unsigned long i)
{
	return (u8)(((uintptr_t)obj >> 3) * 0x35 + i * 0x61 + 0x17);
}

static void stamp(void *obj, unsigned long size)
{
	for (unsigned long i = 0; i < size; i++)
		((u8 *)obj)[i] = ctor_pat(obj, i);
}

static bool stamped(const void *obj, unsigned long size)
{
	for (unsigned long i = 0; i < size; i++) {
		if (((const u8 *)obj)[i] != ctor_pat(obj, i))
			return false;
	}
	return true;
}

/* The caches under test, and what the test knows about each. */
struct tcache {
	char name[KMEM_CACHE_NAME_LEN];
	unsigned long size, align, flags;
	bool ctor;
	struct kmem_cache *s;
	unsigned long live; /* objects out, by the model */
	unsigned long ctor_calls; /* constructor runs seen */
};

#define MAX_TC 32
static struct tcache tc[MAX_TC];
static int ntc;
static unsigned long stray_ctor_calls; /* for a cache not in tc[] */

/* Every cache and object of the last boot is gone. */
static void reset_model(void)
{
	nlive = 0;
	ntc = 0;
}

static void test_ctor(void *obj)
{
	struct kmem_cache *s = virt_to_cache(obj);

	/* The slab is already marked: the object is in a slab of s. */
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(valid_object(s, virt_to_slab(obj), obj));
	for (int i = 0; i < ntc; i++) {
		if (tc[i].s == s) {
			tc[i].ctor_calls++;
			stamp(obj, s->object_size);
			return;
		}
	}
	stray_ctor_calls++;
	stamp(obj, s->object_size);
}

static struct tcache *add_cache(const char *name, unsigned long size,
				unsigned long align, unsigned long flags,
				bool ctor)
{
	struct tcache *t = &tc[ntc];

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->size = size;
	t->align = align;
	t->flags = flags;
	t->ctor = ctor;
	t->s = kmem_cache_create(name, size, align, flags,
				 ctor ? test_ctor : NULL);
	CHECK(t->s != NULL);
	if (!t->s)
		return NULL;
	ntc++;
	return t;
}

/* ---- walking a cache ---- */

static void check_slab_page(struct kmem_cache *s, struct page *page)
{
	CHECK(PageSlab(page));
	CHECK(!PageTail(page));
	CHECK(page->private == (unsigned long)s);
	CHECK(page->slab.inuse <= s->objects);
	CHECK(virt_to_slab(slab_base(page)) == page);
	for (unsigned int i = 1; i < (1U << s->order); i++) {
		CHECK(PageTail(page + i));
		CHECK(page[i].private == (unsigned long)page);
	}
}

/*
 * Follow a free chain: every element an object slot of the page, none
 * twice, none a live object of the model. Returns its length.
 */
static unsigned long chain_len(struct kmem_cache *s, struct page *page,
			       void *obj)
{
	static u8 seen[65536];
	unsigned long n = 0;

	memset(seen, 0, s->objects);
	while (obj && n <= s->objects) {
		unsigned int idx;

		if (!valid_object(s, page, obj)) {
			fprintf(stderr,
				"  %s: free chain leaves the slab: %p\n",
				s->name, obj);
			CHECK(valid_object(s, page, obj));
			break;
		}
		idx = obj_index(s, page, obj);
		CHECK(!seen[idx]);
		seen[idx] = 1;
		if (model_find(obj)) {
			fprintf(stderr,
				"  %s: live object %p is on a free "
				"list\n",
				s->name, obj);
			CHECK(!model_find(obj));
		}
		obj = get_freepointer(s, obj);
		n++;
	}
	CHECK(n <= s->objects);
	return n;
}

/*
 * The partial, full and CPU slabs of a cache, checked against each other
 * and the counters; returns the objects in use they account for.
 */
static unsigned long check_lists(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = &s->cpu[smp_processor_id()];
	unsigned long slabs = 0, partial = 0, used = 0;
	struct page *page;

	list_for_each_entry (page, &s->partial, lru) {
		check_slab_page(s, page);
		CHECK(page != c->page);
		CHECK(page->slab.freelist != SLAB_FREELIST_NONE);
		CHECK(page->slab.inuse < s->objects);
		if (page->slab.freelist != SLAB_FREELIST_NONE)
			CHECK_EQ(
				chain_len(s, page,
					  obj_at(s, page, page->slab.freelist)),
				s->objects - page->slab.inuse);
		used += page->slab.inuse;
		partial++;
		slabs++;
	}
	CHECK_EQ(partial, s->nr_partial);
	list_for_each_entry (page, &s->full, lru) {
		check_slab_page(s, page);
		CHECK(page != c->page);
		CHECK_EQ(page->slab.inuse, s->objects);
		CHECK_EQ(page->slab.freelist, SLAB_FREELIST_NONE);
		used += s->objects;
		slabs++;
	}
	if (c->page) {
		check_slab_page(s, c->page);
		CHECK_EQ(c->page->slab.freelist, SLAB_FREELIST_NONE);
		used += s->objects - chain_len(s, c->page, c->freelist);
		slabs++;
	} else {
		CHECK(c->freelist == NULL);
	}
	CHECK_EQ(slabs, s->nr_slabs);
	CHECK_EQ(used, slab_active_objects(s));
	return used;
}

/* The slabs (first pages) holding live objects of s, by the model. */
static unsigned long slabs_in_use(struct kmem_cache *s)
{
	struct page *pages[MAX_LIVE];
	unsigned long n = 0;

	for (int i = 0; i < nlive; i++) {
		struct page *page = virt_to_slab(live[i].p);
		unsigned long j;

		if (!page || page->private != (unsigned long)s)
			continue;
		for (j = 0; j < n && pages[j] != page; j++)
			;
		if (j == n)
			pages[n++] = page;
	}
	return n;
}

/* ---- 1. random allocations against the model ---- */

static struct kmem_cache *kc[2][NR_CLASSES];
static unsigned long kbase[2][NR_CLASSES], klive[2][NR_CLASSES];

static void find_kmalloc_caches(void)
{
	for (int d = 0; d < 2; d++) {
		for (unsigned int i = 0; i < NR_CLASSES; i++) {
			kc[d][i] = kmalloc_cache(d, classes[i]);
			CHECK(kc[d][i] != NULL);
			kbase[d][i] =
				kc[d][i] ? slab_active_objects(kc[d][i]) : 0;
			klive[d][i] = 0;
		}
	}
}

/* Checks every new object: where it is, its alignment and contents. */
static bool check_cache_obj(struct tcache *t, u8 *p, bool zeroed)
{
	struct kmem_cache *s = t->s;
	unsigned long a = max(t->align, (unsigned long)sizeof(void *));
	bool ok = true;

	ok &= virt_to_cache(p) == s;
	ok &= valid_object(s, virt_to_slab(p), p);
	ok &= (uintptr_t)p % a == 0;
	if (t->flags & SLAB_HWCACHE_ALIGN) {
		/* A small object within one line, a larger one line-aligned. */
		if (t->size <= SMP_CACHE_BYTES)
			ok &= (uintptr_t)p % SMP_CACHE_BYTES + t->size <=
			      SMP_CACHE_BYTES;
		else
			ok &= (uintptr_t)p % SMP_CACHE_BYTES == 0;
	}
	if (t->flags & SLAB_CACHE_DMA)
		ok &= in_zone_dma(p);
	if (zeroed)
		ok &= all_bytes(p, 0, t->size);
	else if (t->ctor)
		ok &= stamped(p, t->size);
	else if (s->flags & SLAB_POISON)
		ok &= all_bytes(p, POISON_FREE, t->size - 1) &&
		      p[t->size - 1] == POISON_END;
	if (!ok)
		fprintf(stderr, "  bad object %p from %s (zeroed %d)\n", p,
			t->name, zeroed);
	return ok;
}

static void alloc_from_cache(int ci)
{
	struct tcache *t = &tc[ci];
	unsigned int mode = rnd() % 4;
	bool zero = !t->ctor && mode >= 2;
	struct obj o = {.cache = ci, .cls = -1};
	u8 *p;

	if (mode == 1)
		p = kmem_cache_alloc(t->s, GFP_ATOMIC);
	else if (mode == 2 && zero)
		p = kmem_cache_zalloc(t->s, GFP_KERNEL);
	else if (mode == 3 && zero)
		p = kmem_cache_alloc(t->s, GFP_KERNEL | __GFP_ZERO);
	else
		p = kmem_cache_alloc(t->s, GFP_KERNEL);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(check_cache_obj(t, p, zero));
	o.p = p;
	o.size = t->size;
	o.seed = rnd();
	CHECK(model_add(&o));
	fill(&o);
	t->live++;
}

static unsigned long rand_kmalloc_size(void)
{
	unsigned int r = rnd() % 100;

	if (r < 45)
		return 1 + rnd() % 256;
	if (r < 75)
		return 257 + rnd() % (2048 - 256);
	if (r < 96)
		return 2049 + rnd() % (8192 - 2048);
	return 8193 + rnd() % (65536 - 8192);
}

/* Where a kmalloc'ed block of size bytes must come from. */
static bool check_kmalloc_obj(u8 *p, unsigned long size, bool dma, bool zeroed)
{
	bool ok = p != NULL;

	if (!ok)
		return false;
	ok &= (uintptr_t)p % sizeof(void *) == 0;
	if (size <= KMALLOC_MAX_CACHE_SIZE) {
		int i = class_idx(size);

		ok &= virt_to_cache(p) == kc[dma][i];
		ok &= ksize(p) == classes[i];
		ok &= kmalloc_size_class(size) == classes[i];
	} else {
		unsigned long bytes = PAGE_SIZE << get_order(size);

		ok &= virt_to_cache(p) == NULL;
		ok &= PageKmalloc(virt_to_page(p));
		ok &= ksize(p) == bytes;
		ok &= kmalloc_size_class(size) == bytes;
		ok &= (uintptr_t)p % bytes == 0;
	}
	ok &= ksize(p) >= size;
	if (dma)
		ok &= in_zone_dma(p);
	if (zeroed)
		ok &= all_bytes(p, 0, size);
	if (!ok)
		fprintf(stderr, "  bad kmalloc block %p of %lu (dma %d)\n", p,
			size, dma);
	return ok;
}

static void account_kmalloc(const struct obj *o, long delta)
{
	if (o->cls >= 0)
		klive[o->dma][o->cls] += delta;
}

static void alloc_kmalloc(void)
{
	unsigned long size = rand_kmalloc_size();
	bool dma = rnd() % 10 == 0;
	gfp_t gfp = GFP_KERNEL | (dma ? GFP_DMA : 0);
	unsigned int mode = rnd() % 5;
	struct obj o = {.cache = -1, .dma = dma};
	u8 *p;

	switch (mode) {
	case 0:
		p = kzalloc(size, gfp);
		break;
	case 1: {
		unsigned long n = 1 + rnd() % 8, m = max(size / n, 1UL);

		size = n * m;
		p = kcalloc(n, m, gfp);
		break;
	}
	case 2:
		p = kmalloc(size, gfp | __GFP_ZERO);
		break;
	case 3:
		p = kmalloc(size, (gfp & ~GFP_KERNEL) | GFP_ATOMIC);
		break;
	default:
		p = kmalloc(size, gfp);
		break;
	}
	CHECK(check_kmalloc_obj(p, size, dma, mode <= 2));
	if (!p)
		return;
	o.p = p;
	o.size = ksize(p);
	o.cls = size <= KMALLOC_MAX_CACHE_SIZE ? class_idx(size) : -1;
	o.seed = rnd();
	CHECK(model_add(&o));
	fill(&o);
	account_kmalloc(&o, 1);
}

static void free_one(int i)
{
	struct obj o = live[i];

	CHECK(intact(&o, o.size));
	model_del(i);
	if (o.cache >= 0) {
		struct tcache *t = &tc[o.cache];

		if (t->ctor)
			stamp(o.p, t->size); /* freed in constructed state */
		kmem_cache_free(t->s, o.p);
		t->live--;
	} else {
		account_kmalloc(&o, -1);
		kfree(o.p);
	}
}

static void realloc_one(int i)
{
	struct obj o = live[i];
	unsigned long size = rand_kmalloc_size(), keep;
	u8 *p;

	if (o.cache >= 0)
		return;
	p = krealloc(o.p, size, GFP_KERNEL | (o.dma ? GFP_DMA : 0));
	CHECK(p != NULL);
	if (!p)
		return;
	model_del(i);
	account_kmalloc(&o, -1);
	if (o.size >= size) {
		CHECK(p == o.p); /* it fits: the same block, the same class */
	} else {
		CHECK(check_kmalloc_obj(p, size, o.dma, false));
		o.cls = size <= KMALLOC_MAX_CACHE_SIZE ? class_idx(size) : -1;
	}
	keep = min(o.size, size);
	o.p = p;
	CHECK(intact(&o, keep));
	o.size = ksize(p);
	o.seed = rnd();
	CHECK(model_add(&o));
	fill(&o);
	account_kmalloc(&o, 1);
}

/* Everything the model knows, checked against the allocator. */
static void check_all(void)
{
	for (int i = 0; i < nlive; i++)
		CHECK(intact(&live[i], live[i].size));
	for (int i = 0; i < ntc; i++) {
		struct kmem_cache *s = tc[i].s;

		CHECK_EQ(slab_active_objects(s), tc[i].live);
		CHECK_EQ(check_lists(s), tc[i].live);
		CHECK(s->nr_slabs * s->objects >= tc[i].live);
		if (tc[i].ctor) {
			/* Whole slabs constructed, at least the live ones. */
			CHECK(tc[i].ctor_calls % s->objects == 0);
			CHECK(tc[i].ctor_calls / s->objects >= s->nr_slabs);
		} else {
			CHECK_EQ(tc[i].ctor_calls, 0);
		}
	}
	for (int d = 0; d < 2; d++) {
		for (unsigned int i = 0; i < NR_CLASSES; i++) {
			struct kmem_cache *s = kc[d][i];

			CHECK_EQ(slab_active_objects(s),
				 kbase[d][i] + klive[d][i]);
			CHECK_EQ(check_lists(s), kbase[d][i] + klive[d][i]);
		}
	}
}

/* The reclaimable and unreclaimable slab page totals, counted here. */
static void check_slab_totals(void)
{
	unsigned long rcl = 0, unrcl = 0;
	struct kmem_cache *s;

	list_for_each_entry (s, &slab_caches, list) {
		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			rcl += s->nr_slabs << s->order;
		else
			unrcl += s->nr_slabs << s->order;
	}
	CHECK_EQ(slab_reclaimable_pages(), rcl);
	CHECK_EQ(slab_unreclaimable_pages(), unrcl);
}

static const struct {
	const char *name;
	unsigned long size, align, flags;
	bool ctor;
} fixed_caches[] = {
	{"t-1", 1, 0, 0, false},
	{"t-7-hw", 7, 0, SLAB_HWCACHE_ALIGN, false},
	{"t-24-a16", 24, 16, 0, false},
	{"t-40-hw", 40, 0, SLAB_HWCACHE_ALIGN, false},
	{"t-100-ctor", 100, 0, 0, true},
	{"t-200-a64", 200, 64, 0, false},
	{"t-333-hw-ctor", 333, 0, SLAB_HWCACHE_ALIGN, true},
	{"t-512-a256", 512, 256, 0, false},
	{"t-1000-rcl", 1000, 0, SLAB_RECLAIM_ACCOUNT, false},
	{"t-2049-hw", 2049, 0, SLAB_HWCACHE_ALIGN, false},
	{"t-4096-a4096", 4096, 4096, 0, false},
	{"t-5000-ctor", 5000, 0, 0, true},
	{"t-8192", 8192, 0, 0, false},
	{"t-96-debug", 96, 0, SLAB_DEBUG_FLAGS, false},
	{"t-100-owner", 100, 0, SLAB_OWNER, false},
	{"t-24-owner-ctor", 24, 16, SLAB_OWNER, true},
	{"t-13-rz", 13, 0, SLAB_RED_ZONE, false},
	{"t-300-dbg-ctor", 300, 8, SLAB_DEBUG_FLAGS | SLAB_HWCACHE_ALIGN, true},
	{"t-64-dma", 64, 0, SLAB_CACHE_DMA, false},
	{"t-3000-poison", 3000, 32, SLAB_POISON, false},
};

static void make_random_caches(int n)
{
	static const unsigned long aligns[] = {0,  8,	16,  32,
					       64, 128, 512, 2048};
	static const unsigned long flag_set[] = {
		SLAB_HWCACHE_ALIGN, SLAB_RED_ZONE,   SLAB_POISON,
		SLAB_STORE_USER,    SLAB_DEBUG_FREE, SLAB_CACHE_DMA,
	};

	for (int i = 0; i < n; i++) {
		unsigned long size = 1 + rnd() % (2UL << (rnd() % 13));
		unsigned long flags = 0;
		char name[KMEM_CACHE_NAME_LEN];

		size = min(size, 8192UL);
		for (unsigned int f = 0; f < ARRAY_SIZE(flag_set); f++) {
			if (rnd() % 4 == 0)
				flags |= flag_set[f];
		}
		snprintf(name, sizeof(name), "r%d-%lu", i, size);
		add_cache(name, size, aligns[rnd() % ARRAY_SIZE(aligns)], flags,
			  rnd() % 4 == 0);
	}
}

TEST(random_against_model)
{
	unsigned long start, reports, target = 1500;
	const int steps = 250000;

	boot();
	rng_state = 0x2545f4914f6cdd1dULL;
	start = settle();
	reports = slab_reports;
	nlive = 0;
	ntc = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(fixed_caches); i++)
		add_cache(fixed_caches[i].name, fixed_caches[i].size,
			  fixed_caches[i].align, fixed_caches[i].flags,
			  fixed_caches[i].ctor);
	make_random_caches(8);
	find_kmalloc_caches();
	/* A constructor drops poisoning: it would wipe what it set up. */
	for (int i = 0; i < ntc; i++) {
		if (tc[i].ctor)
			CHECK(!(tc[i].s->flags & SLAB_POISON));
	}

	for (int step = 0; step < steps; step++) {
		unsigned int r = rnd() % 100;
		bool grow = (unsigned long)nlive < target;

		if (step % 8000 == 7999)
			target = target == 1500 ? 200 : 1500;
		if (nlive && r < 4) {
			realloc_one(rnd() % nlive);
		} else if (nlive && r < (grow ? 38 : 66)) {
			free_one(rnd() % nlive);
		} else if (nlive < MAX_LIVE) {
			if (rnd() % 100 < 45)
				alloc_from_cache(rnd() % ntc);
			else
				alloc_kmalloc();
		}
		if (step % 2000 == 1999) {
			check_all();
			check_slab_totals();
		}
	}
	check_all();
	CHECK_EQ(slab_reports, reports); /* no false alarm */
	CHECK(!log_has("BUG "));

	/* Everything back: freed, shrunk, destroyed, counted. */
	while (nlive)
		free_one(nlive - 1);
	check_all();
	for (int i = 0; i < ntc; i++) {
		struct kmem_cache *s = tc[i].s;
		unsigned long slabs = s->nr_slabs;

		CHECK_EQ(kmem_cache_shrink(s), slabs << s->order);
		CHECK_EQ(s->nr_slabs, 0);
		CHECK_EQ(s->nr_partial, 0);
		CHECK_EQ(slab_active_objects(s), 0);
	}
	host_log_clear();
	for (int i = 0; i < ntc; i++) {
		kmem_cache_destroy(tc[i].s);
		CHECK(!cache_listed(tc[i].s));
	}
	CHECK(!log_has("still has objects"));
	ntc = 0;
	for (int d = 0; d < 2; d++) {
		for (unsigned int i = 0; i < NR_CLASSES; i++)
			CHECK_EQ(slab_active_objects(kc[d][i]), kbase[d][i]);
	}
	CHECK_EQ(settle(), start);
}

/* ---- 2. constructors ---- */

TEST(constructor_once_per_object)
{
	struct tcache *t;
	struct kmem_cache *s;
	void *objs[200];
	unsigned int n;

	boot();
	ntc = 0;
	nlive = 0;
	t = add_cache("ctor-24", 24, 64, 0, true);
	if (!t)
		return;
	s = t->s;
	CHECK_EQ(t->ctor_calls, 0); /* nothing before the first slab */
	n = 3 * s->objects;
	CHECK(n <= ARRAY_SIZE(objs));
	for (unsigned int i = 0; i < n; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(objs[i] && stamped(objs[i], 24));
		CHECK((uintptr_t)objs[i] % 64 == 0);
		/* One slab set up at a time, every object constructed. */
		CHECK_EQ(t->ctor_calls, (i / s->objects + 1) * s->objects);
	}
	CHECK_EQ(s->nr_slabs, 3);
	/* The user changes them, frees them, allocates them again. */
	for (unsigned int i = 0; i < n; i++) {
		memset(objs[i], 0x55, 24);
		kmem_cache_free(s, objs[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		CHECK(p && all_bytes(p, 0x55, 24)); /* not constructed again */
		objs[i] = p;
	}
	CHECK_EQ(t->ctor_calls, 3 * s->objects);
	CHECK_EQ(s->nr_slabs, 3);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_EQ(kmem_cache_shrink(s), 3);
	/* A new slab after the shrink: constructed afresh, once each. */
	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(objs[0] && stamped(objs[0], 24));
	CHECK_EQ(t->ctor_calls, 4 * s->objects);
	kmem_cache_free(s, objs[0]);

	/* A debug cache with a constructor: red zone yes, poison no. */
	t = add_cache("ctor-dbg", 40, 0, SLAB_DEBUG_FLAGS, true);
	if (!t)
		return;
	CHECK(!(t->s->flags & SLAB_POISON));
	CHECK(t->s->flags & SLAB_RED_ZONE);
	objs[0] = kmem_cache_alloc(t->s, GFP_KERNEL);
	CHECK(objs[0] && stamped(objs[0], 40));
	CHECK_EQ(t->ctor_calls, t->s->objects);
	kmem_cache_free(t->s, objs[0]);
	objs[0] = kmem_cache_alloc(t->s, GFP_KERNEL);
	CHECK(objs[0] && stamped(objs[0], 40));
	CHECK_EQ(t->ctor_calls, t->s->objects);
	kmem_cache_free(t->s, objs[0]);
	CHECK_EQ(slab_check_all(), 0);
	ntc = 0;
}

/* ---- 3. shrinking and the lists ---- */

TEST(shrink_returns_empty_slabs_only)
{
	struct kmem_cache *s;
	void *objs[64];
	unsigned long before, got, start, n;

	boot();
	nlive = 0;
	start = settle();
	/* 3000 bytes: 10 objects in an order-3 slab of 8 pages (the smallest
	 * slab that holds at least 8 with little left over). */
	s = kmem_cache_create("shrink-3000", 3000, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(s->order, 3);
	CHECK_EQ(s->objects, 10);
	n = 6 * s->objects;
	for (unsigned long i = 0; i < n; i++) {
		struct obj o = {.size = 3000, .cache = -1, .cls = -1};

		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(objs[i] != NULL);
		o.p = objs[i];
		o.seed = i;
		CHECK(model_add(&o));
		fill(&o);
	}
	CHECK_EQ(s->nr_slabs, 6);
	CHECK_EQ(check_lists(s), n);
	/*
	 * Slabs 0, 2 and 4 emptied, one object of slab 1 freed, slab 3
	 * kept full, slab 5 half used.
	 */
	for (unsigned long i = 0; i < n; i++) {
		unsigned long slab = i / s->objects, k = i % s->objects;

		if (slab == 0 || slab == 2 || slab == 4 ||
		    (slab == 1 && k == 2) || (slab == 5 && k >= 2)) {
			struct obj *o = model_find(objs[i]);

			CHECK(o && intact(o, 3000));
			if (o)
				model_del(o - live);
			kmem_cache_free(s, objs[i]);
			objs[i] = NULL;
		}
	}
	CHECK_EQ(check_lists(s), (unsigned long)nlive);
	CHECK_EQ(slabs_in_use(s), 3);
	before = s->nr_slabs;
	drain_all_pages();
	got = nr_free_pages();
	CHECK_EQ(kmem_cache_shrink(s), (before - 3) << s->order);
	CHECK_EQ(nr_free_pages() - got, (before - 3) << s->order);
	CHECK_EQ(s->nr_slabs, 3);
	CHECK_EQ(check_lists(s), (unsigned long)nlive);
	CHECK_EQ(slab_active_objects(s), nlive);
	for (int i = 0; i < nlive; i++)
		CHECK(intact(&live[i], 3000));
	CHECK_EQ(kmem_cache_shrink(s), 0); /* nothing more to give */
	CHECK_EQ(s->nr_slabs, 3);

	/* Still usable; then everything goes. */
	objs[0] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(objs[0] && !model_find(objs[0]));
	kmem_cache_free(s, objs[0]);
	while (nlive) {
		kmem_cache_free(s, live[nlive - 1].p);
		model_del(nlive - 1);
	}
	before = s->nr_slabs;
	CHECK_EQ(kmem_cache_shrink(s), before << s->order);
	CHECK_EQ(s->nr_slabs, 0);
	kmem_cache_destroy(s);
	CHECK(!cache_listed(s));
	CHECK_EQ(settle(), start);
}

/* ---- 4. the page allocator's shrinker ---- */

TEST(shrinker_returns_empty_slabs_before_failure)
{
	struct kmem_cache *a, *b;
	void *objs[64], *keep;
	unsigned long start, n, calls;
	struct page *slab_pages[8];
	unsigned int nslab = 0;
	struct page *page;

	boot();
	nlive = 0;
	start = settle();
	a = kmem_cache_create("shrinker-a", 256, 0, 0, NULL);
	b = kmem_cache_create("shrinker-b", 512, 0, 0, NULL);
	CHECK(a && b);
	if (!a || !b)
		return;
	/* a: four slabs' worth, all freed again: only empty slabs left. */
	n = 4 * a->objects;
	CHECK(n <= ARRAY_SIZE(objs));
	for (unsigned long i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(a, GFP_KERNEL);
	for (unsigned long i = 0; i < n; i++)
		kmem_cache_free(a, objs[i]);
	CHECK(a->nr_slabs > 0);
	CHECK_EQ(slab_active_objects(a), 0);
	list_for_each_entry (page, &a->partial, lru) {
		if (nslab < ARRAY_SIZE(slab_pages))
			slab_pages[nslab++] = page;
	}
	if (a->cpu[0].page && nslab < ARRAY_SIZE(slab_pages))
		slab_pages[nslab++] = a->cpu[0].page;
	CHECK_EQ(nslab, a->nr_slabs);
	/* b: three slabs' worth, one object kept. */
	n = 3 * b->objects;
	for (unsigned long i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(b, GFP_KERNEL);
	keep = objs[n / 2];
	memset(keep, 0x77, 512);
	for (unsigned long i = 0; i < n; i++) {
		if (objs[i] != keep)
			kmem_cache_free(b, objs[i]);
	}
	CHECK(b->nr_slabs > 1);

	calls = probe_calls;
	exhaust(GFP_KERNEL);
	CHECK(nheld > 0);
	CHECK(probe_calls > calls); /* the shrinkers were asked */
	/* At the first failure the empty slabs are gone, the busy one kept. */
	CHECK_EQ(a->nr_slabs, 0);
	CHECK_EQ(a->nr_partial, 0);
	CHECK_EQ(b->nr_slabs, 1);
	CHECK(virt_to_cache(keep) == b && all_bytes(keep, 0x77, 512));
	for (unsigned int i = 0; i < nslab; i++)
		CHECK(!PageSlab(slab_pages[i]));
	check_lists(a);
	check_lists(b);
	CHECK(!log_has("page allocation failure")); /* __GFP_NOWARN */
	/*
	 * The failure was real: nothing has been freed since, so the same
	 * request fails again. (Were the pages the shrinker gave back left
	 * where the allocator did not look, this one would get them.)
	 */
	page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	CHECK(page == NULL);
	if (page) {
		held[nheld++] = page;
		exhaust(GFP_KERNEL);
	}
	/* Nothing left even for a cache: it fails, and says so. */
	CHECK(kmem_cache_alloc(a, GFP_KERNEL) == NULL);
	CHECK(expect_line("slab: cannot allocate a new slab of order 0 for "
			  "shrinker-a"));
	release_pages();

	kmem_cache_free(b, keep);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	CHECK(!cache_listed(a) && !cache_listed(b));
	CHECK_EQ(settle(), start);
}

/* ---- 5. kmalloc ---- */

TEST(kmalloc_classes)
{
	unsigned long bad = 0, start;

	boot();
	start = settle();
	for (unsigned long size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		unsigned long cls = want_class(size);
		void *p = kmalloc(size, GFP_KERNEL);
		struct kmem_cache *s = p ? virt_to_cache(p) : NULL;
		char name[KMEM_CACHE_NAME_LEN];

		snprintf(name, sizeof(name), "kmalloc-%lu", cls);
		if (kmalloc_size_class(size) != cls || !s ||
		    strcmp(kmem_cache_name(s), name) || ksize(p) != cls ||
		    kmem_cache_size(s) != cls || (uintptr_t)p % 8) {
			if (!bad++)
				fprintf(stderr,
					"  size %lu: class %lu, cache %s, "
					"ksize %lu (want %s)\n",
					size, kmalloc_size_class(size),
					s ? kmem_cache_name(s) : "none",
					ksize(p), name);
		}
		kfree(p);
	}
	CHECK_EQ(bad, 0);
	/* Each class has its cache, plain and DMA. */
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		CHECK(kmalloc_cache(false, classes[i]) != NULL);
		CHECK(kmalloc_cache(true, classes[i]) != NULL);
	}
	CHECK_EQ(kmalloc_size_class(0), 0);
	CHECK_EQ(kmalloc_size_class(8193), 16384);
	CHECK_EQ(kmalloc_size_class(16384), 16384);
	CHECK_EQ(kmalloc_size_class(16385), 32768);
	CHECK_EQ(kmalloc_size_class(4UL << 20), 4UL << 20);
	CHECK_EQ(settle(), start);
}

TEST(kmalloc_corner_cases)
{
	unsigned long reports, start;
	u8 *p;

	boot();
	start = settle();
	reports = slab_reports;
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kcalloc(0, 16, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kcalloc(16, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	CHECK_EQ(ksize(NULL), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	kmem_cache_free(kmalloc_cache(false, 64), NULL);
	CHECK_EQ(slab_reports, reports);
	CHECK_STR(host_log(), "");

	/* n * size would wrap: NULL, nothing allocated. */
	CHECK(kcalloc(~0UL / 2 + 1, 2, GFP_KERNEL) == NULL);
	CHECK(kcalloc(2, ~0UL / 2 + 1, GFP_KERNEL) == NULL);
	CHECK(kcalloc(~0UL, ~0UL, GFP_KERNEL) == NULL);
	CHECK(kcalloc(1UL << 32, 1UL << 32, GFP_KERNEL) == NULL);
	p = kcalloc(100, 30, GFP_KERNEL); /* 3000: the 3072 class */
	CHECK(p && all_bytes(p, 0, 3000) && ksize(p) == 3072);
	kfree(p);

	/* GFP_DMA: the dma-kmalloc caches, slabs in ZONE_DMA. */
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		char name[KMEM_CACHE_NAME_LEN];

		p = kmalloc(classes[i], GFP_DMA);
		snprintf(name, sizeof(name), "dma-kmalloc-%lu", classes[i]);
		CHECK(p && virt_to_cache(p) &&
		      !strcmp(kmem_cache_name(virt_to_cache(p)), name));
		CHECK(p && in_zone_dma(p));
		kfree(p);
		p = kmalloc(classes[i], GFP_KERNEL);
		CHECK(p && !in_zone_dma(p)); /* NORMAL has room */
		kfree(p);
	}
	p = kmalloc(100, GFP_KERNEL | GFP_DMA);
	CHECK(p && virt_to_cache(p) == kmalloc_cache(true, 128));
	kfree(p);
	p = kmalloc(20000, GFP_DMA);
	CHECK(p && in_zone_dma(p) && ksize(p) == 32768);
	kfree(p);
	CHECK_EQ(slab_reports, reports);
	CHECK_EQ(settle(), start);
}

TEST(kmalloc_large)
{
	unsigned long start, before;
	u8 *p;

	boot();
	start = settle();
	for (unsigned int order = 2; order < MAX_ORDER; order++) {
		unsigned long sizes[3] = {(PAGE_SIZE << (order - 1)) + 1,
					  (PAGE_SIZE << order) - 100,
					  PAGE_SIZE << order};

		for (int k = 0; k < 3; k++) {
			unsigned long size = sizes[k];
			bool zero = k == 1;

			if (size <= KMALLOC_MAX_CACHE_SIZE)
				continue;
			before = nr_free_pages();
			p = zero ? kzalloc(size, GFP_KERNEL)
				 : kmalloc(size, GFP_KERNEL);
			CHECK(p != NULL);
			if (!p)
				continue;
			CHECK_EQ(before - nr_free_pages(), 1UL << order);
			CHECK(virt_to_cache(p) == NULL);
			CHECK(PageKmalloc(virt_to_page(p)));
			CHECK_EQ(ksize(p), PAGE_SIZE << order);
			CHECK((uintptr_t)((char *)p - host_phys_base) %
				      (PAGE_SIZE << order) ==
			      0);
			if (zero)
				CHECK(all_bytes(p, 0, size));
			memset(p, 0xa7, ksize(p));
			kfree(p);
			CHECK_EQ(nr_free_pages(), before);
			CHECK(!PageKmalloc(virt_to_page(p)));
		}
	}
	/* Beyond the largest block: NULL, with a WARN unless told not to. */
	before = nr_free_pages();
	host_log_clear();
	CHECK(kmalloc((4UL << 20) + 1, GFP_KERNEL) == NULL);
	CHECK(log_has("\nWARNING: at mm/kmalloc.c:"));
	CHECK(expect_line("kmalloc: 4194305 bytes is more than the page "
			  "allocator's largest block (4194304)"));
	host_log_clear();
	CHECK(kmalloc(8UL << 20, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(kzalloc(~0UL >> 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_STR(host_log(), "");
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(settle(), start);
}

TEST(krealloc)
{
	unsigned long start;
	struct kmem_cache *k24, *k128;
	unsigned long a24, a128;
	u8 *p, *q, *r;

	boot();
	start = settle();
	k24 = kmalloc_cache(false, 24);
	k128 = kmalloc_cache(false, 128);
	a24 = slab_active_objects(k24);
	a128 = slab_active_objects(k128);

	p = kmalloc(20, GFP_KERNEL);
	CHECK(p != NULL);
	if (!p)
		return;
	for (int i = 0; i < 24; i++)
		p[i] = i + 1;
	CHECK(krealloc(p, 24, GFP_KERNEL) == p); /* fits the block */
	CHECK(krealloc(p, 10, GFP_KERNEL) == p); /* shrinks in place */
	CHECK_EQ(ksize(p), 24);
	q = krealloc(p, 100, GFP_KERNEL); /* grows: a new block */
	CHECK(q && q != p && ksize(q) == 128);
	if (!q)
		return;
	for (int i = 0; i < 24; i++)
		CHECK_EQ(q[i], i + 1);
	CHECK_EQ(slab_active_objects(k24), a24); /* the old one freed */
	CHECK_EQ(slab_active_objects(k128), a128 + 1);
	for (int i = 0; i < 128; i++)
		q[i] = i ^ 0x5a;
	r = krealloc(q, 20000, GFP_KERNEL); /* to the page allocator */
	CHECK(r && ksize(r) == 32768 && virt_to_cache(r) == NULL);
	if (!r)
		return;
	for (int i = 0; i < 128; i++)
		CHECK_EQ(r[i], i ^ 0x5a);
	CHECK_EQ(slab_active_objects(k128), a128);
	CHECK(krealloc(r, 100, GFP_KERNEL) == r); /* shrinking stays */
	/* A failed krealloc leaves the block alone. */
	CHECK(krealloc(r, 64UL << 20, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_EQ(ksize(r), 32768);
	for (int i = 0; i < 128; i++)
		CHECK_EQ(r[i], i ^ 0x5a);
	/* Size 0 frees; NULL and ZERO_SIZE_PTR allocate. */
	CHECK(krealloc(r, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = krealloc(NULL, 50, GFP_KERNEL);
	CHECK(p && ksize(p) == 64);
	q = krealloc(ZERO_SIZE_PTR, 30, GFP_KERNEL);
	CHECK(q && ksize(q) == 32);
	kfree(p);
	kfree(q);
	CHECK(!log_has("BUG"));
	CHECK_EQ(settle(), start);
}

/* ---- 6. refusals ---- */

TEST(create_refusals)
{
	unsigned long caches, structs;
	struct kmem_cache *s;

	boot();
	caches = nr_caches();
	structs = slab_active_objects(find_cache("kmem_cache"));

	CHECK(kmem_cache_create("abcdefghijklmnopqrstuvwxyz", 32, 0, 0, NULL) ==
	      NULL);
	CHECK(expect_line("kmem_cache_create: name 'abcdefghijklmnopqrst' is "
			  "longer than 19 characters"));
	host_log_clear();
	CHECK(kmem_cache_create("abcdefghijklmnopqrst", 32, 0, 0, NULL) ==
	      NULL);
	CHECK(expect_line("kmem_cache_create: name 'abcdefghijklmnopqrst' is "
			  "longer than 19 characters"));
	CHECK(kmem_cache_create(NULL, 32, 0, 0, NULL) == NULL);
	CHECK(expect_line("kmem_cache_create: name (null) is missing"));
	CHECK(kmem_cache_create("", 32, 0, 0, NULL) == NULL);
	CHECK(expect_line("kmem_cache_create: name '' is missing"));
	CHECK(kmem_cache_create("zero", 0, 0, 0, NULL) == NULL);
	CHECK(expect_line("kmem_cache_create: zero: object size 0 is not "
			  "between 1 and 32768"));
	CHECK(kmem_cache_create("huge", 32769, 0, 0, NULL) == NULL);
	CHECK(expect_line("kmem_cache_create: huge: object size 32769 is not "
			  "between 1 and 32768"));
	CHECK(kmem_cache_create("odd-align", 32, 24, 0, NULL) == NULL);
	CHECK(expect_line("kmem_cache_create: odd-align: alignment 24 is not a "
			  "power of two"));
	CHECK(kmem_cache_create("odd-align-2", 32, 3, 0, NULL) == NULL);
	CHECK(expect_line("kmem_cache_create: odd-align-2: alignment 3 is not "
			  "a power of two"));
	/* Fits as given, but not with its red zone. */
	CHECK(kmem_cache_create("rz-huge", 32768, 0, SLAB_RED_ZONE, NULL) ==
	      NULL);
	CHECK(expect_line("kmem_cache_create: rz-huge: cannot set up the "
			  "cache"));
	/* Nothing was kept of the refused caches. */
	CHECK_EQ(nr_caches(), caches);
	CHECK_EQ(slab_active_objects(find_cache("kmem_cache")), structs);

	/* SLAB_PANIC turns a refusal into a panic. */
	CHECK(HOST_PANICS(kmem_cache_create("zero", 0, 0, SLAB_PANIC, NULL)));
	CHECK_STR(host_panic_msg, "kmem_cache_create: cannot create cache "
				  "zero\n");
	CHECK(HOST_PANICS(kmem_cache_create(NULL, 8, 0, SLAB_PANIC, NULL)));
	CHECK_STR(host_panic_msg, "kmem_cache_create: cannot create cache "
				  "(null)\n");
	CHECK(HOST_PANICS(kmem_cache_create("odd", 8, 12, SLAB_PANIC, NULL)));
	CHECK_STR(host_panic_msg, "kmem_cache_create: cannot create cache "
				  "odd\n");
	CHECK(HOST_PANICS(kmem_cache_create("rz-huge", 32768, 0,
					    SLAB_PANIC | SLAB_RED_ZONE, NULL)));
	CHECK_EQ(nr_caches(), caches);
	CHECK_EQ(slab_active_objects(find_cache("kmem_cache")), structs);
	CHECK(host_irq_flags == 1);

	/* The limits themselves are fine. */
	s = kmem_cache_create("abcdefghijklmnopqrs", 32768, 4096, SLAB_PANIC,
			      NULL);
	CHECK(s && !strcmp(kmem_cache_name(s), "abcdefghijklmnopqrs"));
	if (s) {
		void *a = kmem_cache_alloc(s, GFP_KERNEL);
		void *b = kmem_cache_alloc(s, GFP_KERNEL);

		CHECK(a && b && a != b);
		CHECK_EQ(kmem_cache_size(s), 32768);
		CHECK_EQ(s->objects, 1);
		CHECK_EQ(s->nr_slabs, 2);
		kmem_cache_free(s, a);
		kmem_cache_free(s, b);
		kmem_cache_destroy(s);
		CHECK(!cache_listed(s));
	}
	s = kmem_cache_create("one", 1, 1, 0, NULL);
	CHECK(s != NULL);
	kmem_cache_destroy(s);
	kmem_cache_destroy(NULL);
}

/* ---- 7. destroying a busy cache ---- */

TEST(destroy_busy_cache)
{
	struct kmem_cache *s;
	void *objs[30], *p;

	boot();
	s = kmem_cache_create("busy", 200, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(s->objects, 20);
	for (int i = 0; i < 30; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	host_log_clear();
	kmem_cache_destroy(s);
	CHECK(expect_line("kmem_cache_destroy busy: Slab cache still has "
			  "objects: 30 in use in 2 slabs; the cache is kept"));
	CHECK(cache_listed(s));
	CHECK_EQ(slab_active_objects(s), 30);
	CHECK_EQ(check_lists(s), 30);
	/* Still a working cache. */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p && virt_to_cache(p) == s);
	for (int i = 0; i < 30; i++)
		CHECK(p != objs[i]);
	kmem_cache_free(s, p);
	for (int i = 1; i < 30; i++)
		kmem_cache_free(s, objs[i]);
	host_log_clear();
	kmem_cache_destroy(s);
	CHECK(expect_line("kmem_cache_destroy busy: Slab cache still has "
			  "objects: 1 in use in 1 slabs; the cache is kept"));
	CHECK(cache_listed(s));
	kmem_cache_free(s, objs[0]);
	host_log_clear();
	kmem_cache_destroy(s);
	CHECK(!cache_listed(s));
	CHECK_STR(host_log(), "");
}

/* ---- 8. debug reports ---- */

/*
 * After a report: the damage repaired, the cache working, and a whole
 * slab's worth of objects handed out, none twice and none of keep[].
 */
static void check_recovered(struct kmem_cache *s, void **keep, int nkeep)
{
	static void *got[600];
	unsigned int n = s->objects + 2;

	CHECK_EQ(slab_check_all(), 0);
	CHECK(n <= ARRAY_SIZE(got));
	for (unsigned int i = 0; i < n; i++) {
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(got[i] && virt_to_cache(got[i]) == s);
		for (unsigned int j = 0; j < i; j++)
			CHECK(got[j] != got[i]);
		for (int k = 0; k < nkeep; k++)
			CHECK(got[i] != keep[k]);
		if (got[i])
			memset(got[i], 0x11, s->object_size);
	}
	CHECK_EQ(slab_active_objects(s), n + nkeep);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, got[i]);
	CHECK_EQ(slab_check_all(), 0);
	CHECK_EQ(check_lists(s), nkeep);
}

/* "INFO: Slab ..." and "INFO: Object ...", as print_trailer() starts. */
static bool expect_trailer_head(struct kmem_cache *s, const void *obj,
				unsigned int used)
{
	struct page *page = virt_to_slab(obj);
	bool ok;

	if (!page)
		return false;
	ok = expect_line("INFO: Slab %s objects=%u used=%u order=%u", P(page),
			 s->objects, used, s->order);
	ok &= expect_line(
		"INFO: Object %s @offset=%lu", P(obj),
		(unsigned long)((const u8 *)obj - (u8 *)slab_base(page)));
	return ok;
}

static unsigned long slab_offset(const void *p)
{
	return (const u8 *)p - (u8 *)slab_base(virt_to_slab(p));
}

TEST(debug_right_redzone)
{
	struct kmem_cache *s;
	unsigned long reports, caller;
	u8 *a, *b, bytes[13], rz[3] = {0x77, SLUB_RED_ACTIVE, SLUB_RED_ACTIVE};

	boot();
	nlive = 0;
	s = kmem_cache_create("rz", 13, 0,
			      SLAB_RED_ZONE | SLAB_DEBUG_FREE | SLAB_STORE_USER,
			      NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(s->inuse, 16); /* 3 bytes of red zone after 13 */
	jiffies = 1000;
	a = do_alloc(s);
	b = do_alloc(s);
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(all_bytes(a + 13, SLUB_RED_ACTIVE, 3));
	for (int i = 0; i < 13; i++)
		a[i] = bytes[i] = 0x30 + i;
	a[13] = 0x77; /* one byte past the object */
	reports = slab_reports;
	jiffies = 1042;
	host_log_clear();
	do_free(s, a);
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG rz: Right Redzone overwritten"));
	CHECK(expect_line("INFO: %s-%s @offset=%lu. First byte 0x77 instead "
			  "of 0xcc",
			  P(a + 13), P(a + 13), slab_offset(a + 13)));
	CHECK(expect_trailer_head(s, a, s->objects));
	caller = log_addr_after("INFO: Allocated in ");
	CHECK(returns_into(caller, do_alloc));
	CHECK(expect_line("INFO: Allocated in %s age=42 jiffies",
			  P((void *)caller)));
	CHECK(!log_has("INFO: Freed in")); /* never freed before */
	CHECK(expect_hex("Object", a, bytes, 13));
	CHECK(expect_hex("Redzone", a + 13, rz, 3));
	CHECK(expect_line("FIX rz: Restoring Right Redzone %s-%s=0xcc",
			  P(a + 13), P(a + 15)));
	/* Repaired, and the object was freed all the same. */
	CHECK(all_bytes(a + 13, SLUB_RED_INACTIVE, 3));
	CHECK_EQ(slab_active_objects(s), 1);
	check_recovered(s, (void **)&b, 1);

	/* An object whose size fills its words gets a word of red zone. */
	s = kmem_cache_create("rz16", 16, 0, SLAB_RED_ZONE, NULL);
	CHECK(s && s->inuse == 24);
	if (!s)
		return;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a != NULL);
	if (!a)
		return;
	a[16] = 0x01;
	a[18] = 0x02;
	host_log_clear();
	kmem_cache_free(s, a);
	CHECK(expect_line("BUG rz16: Right Redzone overwritten"));
	CHECK(expect_line("INFO: %s-%s @offset=%lu. First byte 0x1 instead of "
			  "0xcc",
			  P(a + 16), P(a + 18), slab_offset(a + 16)));
	CHECK(expect_line("FIX rz16: Restoring Right Redzone %s-%s=0xcc",
			  P(a + 16), P(a + 23)));
	CHECK(!log_has("INFO: Allocated in")); /* no SLAB_STORE_USER */
	check_recovered(s, NULL, 0);
	jiffies = 0;
}

/*
 * A zero byte in the red zone. Linux prints the byte values as 0x%x
 * ("First byte 0x0 instead of 0xcc"); the report uses %#x, which in C
 * would print a zero as plain "0" (Pagoda's printk writes 0x0).
 */
TEST(debug_report_prints_zero_byte_in_hex)
{
	struct kmem_cache *s;
	u8 *a;

	boot();
	s = kmem_cache_create("rz0", 24, 0, SLAB_RED_ZONE, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a != NULL);
	if (!a)
		return;
	a[24] = 0;
	host_log_clear();
	kmem_cache_free(s, a);
	CHECK(expect_line("BUG rz0: Right Redzone overwritten"));
	CHECK(expect_line("INFO: %s-%s @offset=%lu. First byte 0x0 instead of "
			  "0xcc",
			  P(a + 24), P(a + 24), slab_offset(a + 24)));
	CHECK_EQ(slab_check_all(), 0);
}

TEST(debug_poison)
{
	struct kmem_cache *s;
	unsigned long reports, acaller, fcaller;
	u8 *a, *b, *c, bytes[40], rz[8];

	boot();
	s = kmem_cache_create("poison", 40, 0, SLAB_DEBUG_FLAGS, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	jiffies = 500;
	a = do_alloc(s);
	b = do_alloc(s);
	CHECK(a && b);
	if (!a || !b)
		return;
	/* Allocated objects read 6b6b...a5 until written (Linux's way). */
	CHECK(all_bytes(a, POISON_FREE, 39) && a[39] == POISON_END);
	memset(a, 0xee, 40);
	jiffies = 510;
	do_free(s, a);
	CHECK(all_bytes(a, POISON_FREE, 39) && a[39] == POISON_END);
	CHECK(all_bytes(a + 40, SLUB_RED_INACTIVE, 8));
	/* Use after free: two bytes written. */
	a[5] = 0x42;
	a[6] = 0x43;
	memset(bytes, POISON_FREE, 40);
	bytes[5] = 0x42;
	bytes[6] = 0x43;
	bytes[39] = POISON_END;
	memset(rz, SLUB_RED_INACTIVE, 8);
	reports = slab_reports;
	jiffies = 530;
	host_log_clear();
	c = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(c == a); /* the freed object is the next one out */
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG poison: Poison overwritten"));
	CHECK(expect_line("INFO: %s-%s @offset=%lu. First byte 0x42 instead "
			  "of 0x6b",
			  P(a + 5), P(a + 6), slab_offset(a + 5)));
	CHECK(expect_trailer_head(s, a, s->objects));
	acaller = log_addr_after("INFO: Allocated in ");
	fcaller = log_addr_after("INFO: Freed in ");
	CHECK(returns_into(acaller, do_alloc));
	CHECK(returns_into(fcaller, do_free));
	CHECK(expect_line("INFO: Allocated in %s age=30 jiffies",
			  P((void *)acaller)));
	CHECK(expect_line("INFO: Freed in %s age=20 jiffies",
			  P((void *)fcaller)));
	CHECK(expect_hex("Object", a, bytes, 40));
	CHECK(expect_hex("Redzone", a + 40, rz, 8));
	CHECK(expect_line("FIX poison: Restoring Poison %s-%s=0x6b", P(a),
			  P(a + 38)));
	CHECK(!log_has("Right Redzone"));
	/* Handed out again, repaired, as a fresh allocation reads. */
	CHECK(all_bytes(c, POISON_FREE, 39) && c[39] == POISON_END);
	CHECK(all_bytes(c + 40, SLUB_RED_ACTIVE, 8));
	{
		void *keep[2] = {b, c};

		check_recovered(s, keep, 2);
	}

	/* The end marker overwritten, found by slab_check_all(). */
	do_free(s, c);
	c[39] = 0x11;
	host_log_clear();
	CHECK_EQ(slab_check_all(), 1);
	CHECK(expect_line("BUG poison: Poison overwritten"));
	CHECK(expect_line("INFO: %s-%s @offset=%lu. First byte 0x11 instead "
			  "of 0xa5",
			  P(c + 39), P(c + 39), slab_offset(c + 39)));
	CHECK(expect_line("FIX poison: Restoring Poison %s-%s=0xa5", P(c + 39),
			  P(c + 39)));
	CHECK_EQ(c[39], POISON_END);
	CHECK_EQ(slab_check_all(), 0);
	/* And a live object's red zone, also by slab_check_all(). */
	b[41] = 0x99;
	host_log_clear();
	CHECK_EQ(slab_check_all(), 1);
	CHECK(expect_line("INFO: %s-%s @offset=%lu. First byte 0x99 instead "
			  "of 0xcc",
			  P(b + 41), P(b + 41), slab_offset(b + 41)));
	CHECK_EQ(slab_check_all(), 0);
	check_recovered(s, (void **)&b, 1);
	jiffies = 0;
}

TEST(debug_double_free)
{
	struct kmem_cache *s;
	unsigned long reports, caller;
	u8 *a, *b, *d;

	boot();
	s = kmem_cache_create("dfree", 64, 0,
			      SLAB_DEBUG_FREE | SLAB_STORE_USER | SLAB_POISON,
			      NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	a = do_alloc(s);
	b = do_alloc(s);
	d = do_alloc(s);
	CHECK(a && b && d);
	if (!a || !b || !d)
		return;
	jiffies = 7;
	do_free(s, a);
	do_free(s, b);
	/* a is free but not at the head of the list. */
	reports = slab_reports;
	jiffies = 10;
	host_log_clear();
	do_free(s, a);
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG dfree: Object already free"));
	caller = log_addr_after("INFO: Freed in ");
	CHECK(returns_into(caller, do_free));
	CHECK(expect_line("INFO: %s, from %s", P(a), P((void *)caller)));
	CHECK(expect_line("INFO: Freed in %s age=3 jiffies",
			  P((void *)caller)));
	CHECK(expect_trailer_head(s, a, s->objects));
	CHECK(expect_line("FIX dfree: ignored; the cache is intact"));
	/* The head of the list, freed twice. */
	host_log_clear();
	do_free(s, b);
	CHECK(expect_line("BUG dfree: Object already free"));
	CHECK_EQ(slab_reports, reports + 2);
	CHECK_EQ(slab_active_objects(s), 1);
	check_recovered(s, (void **)&d, 1);
	/* A double free into a slab that is no longer the CPU's. */
	{
		void *many[200];
		unsigned int n = 2 * s->objects;

		CHECK(n <= ARRAY_SIZE(many));
		for (unsigned int i = 0; i < n; i++)
			many[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(virt_to_slab(many[0]) != s->cpu[0].page);
		kmem_cache_free(s, many[1]);
		host_log_clear();
		kmem_cache_free(s, many[1]);
		CHECK(expect_line("BUG dfree: Object already free"));
		for (unsigned int i = 0; i < n; i++) {
			if (i != 1)
				kmem_cache_free(s, many[i]);
		}
		check_recovered(s, (void **)&d, 1);
	}
	kmem_cache_free(s, d);

	/* Without debugging, a repeated free of the list head is caught. */
	s = kmem_cache_create("plain", 64, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	host_log_clear();
	do_free(s, a);
	CHECK(expect_line("BUG plain: Object already free"));
	{
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "INFO: %s, from ", P(a));
		caller = log_addr_after(prefix);
	}
	CHECK(returns_into(caller, do_free));
	CHECK(expect_line("INFO: %s, from %s", P(a), P((void *)caller)));
	CHECK(expect_line("FIX plain: ignored; the cache is intact"));
	check_recovered(s, (void **)&b, 1);
	jiffies = 0;
}

TEST(debug_invalid_pointers)
{
	struct kmem_cache *s, *other, *k64;
	unsigned long reports, caller, active;
	u8 *a, *b, *x;
	char buf[128];

	boot();
	s = kmem_cache_create("inval", 48, 0, SLAB_DEBUG_FREE | SLAB_RED_ZONE,
			      NULL);
	other = kmem_cache_create("other", 48, 0, 0, NULL);
	CHECK(s && other);
	if (!s || !other)
		return;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	x = kmem_cache_alloc(other, GFP_KERNEL);
	CHECK(a && b && x);
	if (!a || !b || !x)
		return;

	/* Inside an object of the right cache. */
	reports = slab_reports;
	host_log_clear();
	do_free(s, a + 1);
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG inval: Invalid object pointer"));
	snprintf(buf, sizeof(buf), "INFO: %s, from ", P(a + 1));
	caller = log_addr_after(buf);
	CHECK(returns_into(caller, do_free));
	CHECK(expect_line("INFO: %s, from %s", P(a + 1), P((void *)caller)));
	CHECK(expect_line("FIX inval: ignored; the cache is intact"));
	CHECK(!log_has("INFO: Slab")); /* no object to describe */
	CHECK_EQ(slab_active_objects(s), 2);

	/* An object of another cache. */
	host_log_clear();
	do_free(s, x);
	CHECK_EQ(slab_reports, reports + 2);
	CHECK(expect_line("BUG inval: Invalid object pointer %s", P(x)));
	caller = log_addr_after("INFO: freed by ");
	CHECK(returns_into(caller, do_free));
	CHECK(expect_line("INFO: freed by %s; the pointer is an object of "
			  "cache other",
			  P((void *)caller)));
	CHECK(expect_line("FIX inval: not freed; nothing was touched"));
	CHECK_EQ(slab_active_objects(other), 1);
	CHECK_EQ(slab_active_objects(s), 2);

	/* kfree of a pointer inside a kmalloc object. */
	k64 = kmalloc_cache(false, 64);
	active = slab_active_objects(k64);
	{
		u8 *k = kmalloc(64, GFP_KERNEL);

		host_log_clear();
		do_kfree(k + 8);
		CHECK(expect_line("BUG kmalloc-64: Invalid object pointer"));
		CHECK(expect_line("FIX kmalloc-64: ignored; the cache is "
				  "intact"));
		CHECK_EQ(slab_active_objects(k64), active + 1);
		kfree(k);
		CHECK_EQ(slab_active_objects(k64), active);
	}

	{
		void *keep[2] = {a, b};

		check_recovered(s, keep, 2);
	}
	check_recovered(other, (void **)&x, 1);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(other, x);
	CHECK_EQ(slab_active_objects(s), 0);
	CHECK_EQ(slab_active_objects(other), 0);
}

TEST(debug_kfree_foreign_pointers)
{
	unsigned long reports, caller, before;
	struct page *page;
	u8 *big, *high;
	int on_stack;

	boot();
	reports = slab_reports;

	/* A stack address. */
	host_log_clear();
	do_kfree(&on_stack);
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG kfree: Invalid object pointer %s",
			  P(&on_stack)));
	caller = log_addr_after("INFO: freed by ");
	CHECK(returns_into(caller, do_kfree));
	CHECK(expect_line("INFO: freed by %s; the pointer is not in the direct "
			  "map",
			  P((void *)caller)));
	CHECK(expect_line("FIX kfree: not freed; nothing was touched"));

	/* A page of the direct map that no cache owns. */
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	if (!page)
		return;
	host_log_clear();
	do_kfree((u8 *)page_address(page) + 64);
	CHECK(expect_line("BUG kfree: Invalid object pointer %s",
			  P((u8 *)page_address(page) + 64)));
	CHECK(expect_line("INFO: freed by %s; the pointer is not in any slab",
			  P((void *)caller)));
	CHECK_EQ(page_count(page), 1); /* untouched */
	CHECK_EQ(ksize(page_address(page)), 0);
	__free_page(page);

	/* Highmem: in the arena, not in the direct map. */
	high = (u8 *)host_phys_base + (56UL << 20);
	host_log_clear();
	do_kfree(high);
	CHECK(expect_line("BUG kfree: Invalid object pointer %s", P(high)));
	CHECK(expect_line("INFO: freed by %s; the pointer is not in the direct "
			  "map",
			  P((void *)caller)));
	CHECK_EQ(ksize(high), 0);
	CHECK_EQ(ksize(&on_stack), 0);

	/* Inside a large kmalloc block, first page. */
	big = kmalloc(16384, GFP_KERNEL);
	CHECK(big != NULL);
	if (!big)
		return;
	drain_all_pages();
	before = nr_free_pages();
	host_log_clear();
	do_kfree(big + 100);
	CHECK(expect_line("BUG kfree: Invalid object pointer %s: inside the "
			  "large kmalloc block at %s, from %s; not freed",
			  P(big + 100), P(big), P((void *)caller)));
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(ksize(big), 16384);
	/* Inside it, a later page: still the large block's pointer. */
	host_log_clear();
	do_kfree(big + 3 * PAGE_SIZE + 8);
	CHECK(expect_line("BUG kfree: Invalid object pointer %s: inside the "
			  "large kmalloc block at %s, from %s; not freed",
			  P(big + 3 * PAGE_SIZE + 8), P(big),
			  P((void *)caller)));
	CHECK_EQ(nr_free_pages(), before);
	CHECK_EQ(slab_reports, reports + 5);
	kfree(big);
	CHECK_EQ(nr_free_pages(), before + 4);
	CHECK_EQ(slab_check_all(), 0);
}

/* ---- slub_debug= ---- */

static unsigned long debug_of(const char *name)
{
	struct kmem_cache *s = find_cache(name);

	CHECK(s != NULL);
	return s ? s->flags & SLAB_DEBUG_FLAGS : ~0UL;
}

/* Every cache has want(name) as its debug flags. */
static bool caches_debug_as(unsigned long (*want)(const char *))
{
	struct kmem_cache *s;
	bool ok = true;

	list_for_each_entry (s, &slab_caches, list) {
		if ((s->flags & SLAB_DEBUG_FLAGS) != want(s->name)) {
			fprintf(stderr, "  %s: debug flags %#lx, want %#lx\n",
				s->name, s->flags & SLAB_DEBUG_FLAGS,
				want(s->name));
			ok = false;
		}
	}
	return ok;
}

static unsigned long want_fz_k64(const char *name)
{
	return !strcmp(name, "kmalloc-64") ? SLAB_DEBUG_FREE | SLAB_RED_ZONE
					   : 0;
}

static unsigned long want_pu_prefix(const char *name)
{
	return !strncmp(name, "kmalloc-1", 9) || !strcmp(name, "dma-kmalloc-8")
		       ? SLAB_POISON | SLAB_STORE_USER
		       : 0;
}

static unsigned long want_all(const char *name)
{
	return SLAB_DEBUG_FLAGS;
}

static unsigned long want_none(const char *name)
{
	return 0;
}

TEST(slub_debug_option)
{
	int (*set)(const char *) = find_param("slub_debug");
	char long_list[160];
	u8 *p;

	CHECK(set != NULL);
	if (!set)
		return;

	CHECK_EQ(set("FZ,kmalloc-64"), 0);
	boot();
	CHECK(caches_debug_as(want_fz_k64));
	/* The red zone really is there. */
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p != NULL);
	if (p) {
		p[64] = 0x5e;
		host_log_clear();
		kfree(p);
		CHECK(expect_line("BUG kmalloc-64: Right Redzone overwritten"));
		CHECK(expect_line("FIX kmalloc-64: Restoring Right Redzone "
				  "%s-%s=0xcc",
				  P(p + 64), P(p + 71)));
		CHECK_EQ(slab_check_all(), 0);
	}

	/* Several names, and a prefix; caches created later too. */
	CHECK_EQ(set("PU,kmalloc-1*,dma-kmalloc-8"), 0);
	boot();
	CHECK(caches_debug_as(want_pu_prefix));
	CHECK_EQ(debug_of("kmalloc-1536"), SLAB_POISON | SLAB_STORE_USER);
	CHECK_EQ(debug_of("kmalloc-8"), 0);
	{
		struct kmem_cache *a =
			kmem_cache_create("kmalloc-1-mine", 8, 0, 0, NULL);
		struct kmem_cache *b = kmem_cache_create("mine", 8, 0, 0, NULL);

		CHECK(a && (a->flags & SLAB_DEBUG_FLAGS) ==
				   (SLAB_POISON | SLAB_STORE_USER));
		CHECK(b && !(b->flags & SLAB_DEBUG_FLAGS));
	}

	/* A bad flag letter is refused, the setting kept. */
	CHECK_EQ(set("FX"), -EINVAL);
	boot();
	CHECK(caches_debug_as(want_pu_prefix));

	/*
	 * No value: every debug option for every cache, whatever names an
	 * earlier value listed (Linux's "slub_debug").
	 */
	CHECK_EQ(set(""), 0);
	boot();
	CHECK(caches_debug_as(want_all));
	CHECK_EQ(set("-"), 0);
	CHECK_EQ(set(NULL), 0);
	boot();
	CHECK(caches_debug_as(want_all));
	/* Which works: a small workload, nothing to report. */
	{
		void *q[64];
		unsigned long reports = slab_reports;

		for (int i = 0; i < 64; i++) {
			q[i] = kmalloc(1 + i * 37, GFP_KERNEL);
			CHECK(q[i] != NULL);
			if (q[i])
				memset(q[i], i, 1 + i * 37);
		}
		for (int i = 0; i < 64; i++)
			kfree(q[i]);
		CHECK_EQ(slab_check_all(), 0);
		CHECK_EQ(slab_reports, reports);
	}

	/* "-" turns it off. */
	CHECK_EQ(set("-"), 0);
	boot();
	CHECK(caches_debug_as(want_none));

	/* A name list too long is refused, and must not half-apply. */
	snprintf(long_list, sizeof(long_list), "F");
	for (int i = 0; strlen(long_list) < 150; i++)
		snprintf(long_list + strlen(long_list),
			 sizeof(long_list) - strlen(long_list), ",kmalloc-%lu",
			 classes[i % NR_CLASSES]);
	CHECK_EQ(set(long_list), -E2BIG);
	boot();
	CHECK(caches_debug_as(want_none));

	set("-");
	boot();
}

/* ---- 9. the hardened free list ---- */

TEST(hardened_freelist)
{
	struct kmem_cache *s;
	unsigned long reports, raw, dec, base, slab_bytes;
	u8 *x[4], *p;
	void *got[300];
	int on_stack;

	boot();
	nlive = 0;
	s = kmem_cache_create("hard", 64, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	slab_bytes = PAGE_SIZE << s->order;
	for (int i = 0; i < 4; i++) {
		struct obj o = {.size = 64, .cache = -1, .cls = -1};

		x[i] = kmem_cache_alloc(s, GFP_KERNEL);
		o.p = x[i];
		o.seed = 100 + i;
		CHECK(x[i] && model_add(&o));
		fill(&o);
	}
	base = (unsigned long)slab_base(virt_to_slab(x[0]));
	CHECK_EQ(s->offset, 0); /* the free pointer is in the object */

	/* The stored free pointer is obfuscated. */
	model_del(model_find(x[1]) - live);
	kmem_cache_free(s, x[1]);
	model_del(model_find(x[0]) - live);
	kmem_cache_free(s, x[0]);
	raw = *(unsigned long *)x[0];
	CHECK(raw != (unsigned long)x[1]);
	CHECK(get_freepointer(s, x[0]) == x[1]);
	CHECK_EQ(raw, (unsigned long)x[1] ^ s->random ^ (unsigned long)x[0]);
	CHECK(*(unsigned long *)x[1] !=
	      (unsigned long)get_freepointer(s, x[1]));

	/*
	 * A small use-after-free write (one byte XORed) turns x0's next
	 * pointer into the live x2. x0 itself may go out again, x2 must not.
	 */
	CHECK_EQ((unsigned long)x[1] ^ (unsigned long)x[2], 0xc0);
	*(unsigned long *)x[0] ^= 0xc0;
	CHECK(get_freepointer(s, x[0]) == x[2]);
	reports = slab_reports;
	host_log_clear();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p == x[0]);
	{
		struct obj o = {
			.p = p, .size = 64, .seed = 7, .cache = -1, .cls = -1};

		CHECK(model_add(&o));
		fill(&o);
	}
	dec = (unsigned long)get_freepointer(s, x[2]);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(p != NULL && p != x[2]);
	if (!p || p == x[2])
		return; /* the list is garbage now: stop here */
	CHECK(!model_find(p));
	CHECK((unsigned long)p - base >= slab_bytes); /* a new slab */
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG hard: Freelist Pointer check fails"));
	CHECK(expect_line("INFO: free object %s points to %s, outside slab %s",
			  P(x[2]), P((void *)dec), P((void *)base)));
	CHECK(expect_line("FIX hard: the CPU slab's free objects are isolated "
			  "(leaked, not reused)"));
	for (int i = 0; i < nlive; i++)
		CHECK(intact(&live[i], 64));
	if (p)
		kmem_cache_free(s, p);

	/* Many more: none live, none twice, none from the isolated ones. */
	for (unsigned int i = 0; i < 2 * s->objects; i++) {
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(got[i] && !model_find(got[i]));
		CHECK((unsigned long)got[i] - base >= slab_bytes);
		for (unsigned int j = 0; j < i; j++)
			CHECK(got[j] != got[i]);
	}
	for (unsigned int i = 0; i < 2 * s->objects; i++)
		kmem_cache_free(s, got[i]);
	/* The damaged slab still counts its isolated objects as in use. */
	CHECK_EQ(check_lists(s), s->objects);

	/*
	 * A free pointer overwritten with an arbitrary address (here one on
	 * the stack): never handed out, reported, the cache carries on.
	 */
	got[0] = kmem_cache_alloc(s, GFP_KERNEL);
	got[1] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(got[0] && got[1]);
	if (!got[0] || !got[1])
		return;
	base = (unsigned long)slab_base(virt_to_slab(got[0]));
	kmem_cache_free(s, got[0]);
	*(void **)got[0] = &on_stack;
	dec = (unsigned long)get_freepointer(s, got[0]);
	reports = slab_reports;
	host_log_clear();
	for (unsigned int i = 2; i < 2 + 2 * s->objects; i++) {
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(got[i] != (void *)&on_stack);
		CHECK(got[i] && got[i] != got[0] && got[i] != got[1]);
		CHECK(got[i] && !model_find(got[i]));
		for (unsigned int j = 2; j < i; j++)
			CHECK(got[j] != got[i]);
	}
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG hard: Freelist Pointer check fails"));
	CHECK(expect_line("INFO: free object %s points to %s, outside slab %s",
			  P(got[0]), P((void *)dec), P((void *)base)));
	for (unsigned int i = 2; i < 2 + 2 * s->objects; i++)
		kmem_cache_free(s, got[i]);
	kmem_cache_free(s, got[1]);

	/* The same in a debug cache, whose free pointer is after the object. */
	s = kmem_cache_create("hard-dbg", 64, 0, SLAB_DEBUG_FREE, NULL);
	CHECK(s && s->offset == 64);
	if (!s)
		return;
	got[0] = kmem_cache_alloc(s, GFP_KERNEL);
	got[1] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, got[0]);
	*(void **)((u8 *)got[0] + s->offset) = &on_stack;
	reports = slab_reports;
	host_log_clear();
	for (unsigned int i = 2; i < 2 + 2 * s->objects; i++) {
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(got[i] && got[i] != (void *)&on_stack);
		CHECK(got[i] != got[1]);
		for (unsigned int j = 2; j < i; j++)
			CHECK(got[j] != got[i]);
	}
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG hard-dbg: Freelist Pointer check fails"));
	for (unsigned int i = 2; i < 2 + 2 * s->objects; i++)
		kmem_cache_free(s, got[i]);
	kmem_cache_free(s, got[1]);
	nlive = 0;
}

/*
 * slab_slot(), the division-free test behind the free-list check: for
 * slot sizes of every alignment, it accepts exactly the offsets that
 * start an object, and gives their index; offsets below the slab (which
 * wrap) and past its last object are refused.
 */
TEST(slab_slot_is_exact)
{
	static const unsigned int sizes[] = {8,	  16,  24,   40,   56,	 64,
					     72,  96,  104,  200,  248,	 384,
					     520, 768, 1032, 1536, 3080, 8192};

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct kmem_cache s = {.size = sizes[i]};
		unsigned long bytes = PAGE_SIZE << 1, bad = 0;

		slab_set_divisor(&s);
		s.objects = bytes / s.size;
		for (unsigned long off = 0; off < bytes + 2 * s.size; off++) {
			bool slot =
				off % s.size == 0 && off / s.size < s.objects;
			unsigned long q = slab_slot(&s, off);

			if ((q < s.objects) != slot ||
			    (slot && q != off / s.size))
				bad++;
		}
		for (unsigned long back = 1; back <= bytes; back++)
			if (slab_slot(&s, 0UL - back) < s.objects)
				bad++;
		if (bad)
			fprintf(stderr, "  size %u: %lu offsets misjudged\n",
				s.size, bad);
		CHECK_EQ(bad, 0);
	}
}

/*
 * A use-after-free write that moves a free pointer into the middle of a
 * live object, still inside the CPU slab: the range alone would pass it,
 * and the allocation after next would hand out memory overlapping that
 * object. The very next allocation must report it instead, naming the
 * cache, the free object and where its pointer leads, and go on with
 * objects that overlap nothing live.
 */
static void freelist_into_object(unsigned int size, unsigned long into)
{
	char name[20];
	struct kmem_cache *s;
	unsigned long reports, base, slab_bytes;
	u8 *x[4], *p, *target;

	snprintf(name, sizeof(name), "inside-%u", size);
	s = kmem_cache_create(name, size, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	slab_bytes = PAGE_SIZE << s->order;
	for (int i = 0; i < 4; i++) {
		struct obj o = {.size = size, .cache = -1, .cls = -1};

		x[i] = kmem_cache_alloc(s, GFP_KERNEL);
		o.p = x[i];
		o.seed = 200 + i;
		CHECK(x[i] && model_add(&o));
		fill(&o);
	}
	base = (unsigned long)slab_base(virt_to_slab(x[0]));
	model_del(model_find(x[1]) - live);
	kmem_cache_free(s, x[1]);
	model_del(model_find(x[0]) - live);
	kmem_cache_free(s, x[0]);
	CHECK(get_freepointer(s, x[0]) == x[1]);

	/* The stored pointer is XOR-encoded: flipping bits moves it. */
	target = x[2] + into;
	*(unsigned long *)(x[0] + s->offset) ^=
		(unsigned long)x[1] ^ (unsigned long)target;
	CHECK(get_freepointer(s, x[0]) == target);
	reports = slab_reports;
	host_log_clear();
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK_EQ(slab_reports, reports + 1);
	CHECK(expect_line("BUG %s: Freelist Pointer check fails", name));
	CHECK(expect_line("INFO: free object %s points to %s, not an object "
			  "of slab %s",
			  P(x[0]), P(target), P((void *)base)));
	CHECK(expect_line("FIX %s: the CPU slab's free objects are isolated "
			  "(leaked, not reused)",
			  name));
	CHECK(p != NULL && p != x[0] && p != target);
	if (!p || p == target)
		return;
	CHECK((unsigned long)p - base >= slab_bytes); /* a new slab */
	{
		struct obj o = {.p = p,
				.size = size,
				.seed = 9,
				.cache = -1,
				.cls = -1};

		CHECK(model_add(&o)); /* overlaps nothing live */
		fill(&o);
	}
	for (int i = 0; i < nlive; i++)
		CHECK(intact(&live[i], size));
	CHECK_EQ(slab_reports, reports + 1);
	kmem_cache_free(s, p);
	kmem_cache_free(s, x[2]);
	kmem_cache_free(s, x[3]);
	nlive = 0;
}

TEST(hardened_freelist_inside_an_object)
{
	boot();
	nlive = 0;
	freelist_into_object(64, 16);
	freelist_into_object(72, 8);
	freelist_into_object(200, 1);
	freelist_into_object(200, 199);
}

/* ---- 10. mempools ---- */

static NOINLINE mempool_t *make_kmalloc_pool(int min_nr, unsigned long size)
{
	mempool_t *pool = mempool_create_kmalloc_pool(min_nr, size);

	__asm__ __volatile__("" : "+r"(pool));
	return pool;
}

/* The free objects a cache has in its slabs right now. */
static unsigned long cache_free_objects(struct kmem_cache *s)
{
	return s->nr_slabs * s->objects - slab_active_objects(s);
}

static bool in_set(void *const *set, int n, const void *p)
{
	for (int i = 0; i < n; i++) {
		if (set[i] == p)
			return true;
	}
	return false;
}

/*
 * Under exhaustion: the allocator's last free objects first, then
 * exactly min_nr elements from the reserve, newest first, then NULL.
 * Returns how many came from the allocator; got[] holds them all.
 */
static int drain_pool(mempool_t *pool, void **got, int max, int expect_alloc)
{
	void *reserve[64];
	int min_nr = pool->min_nr, n = 0;
	void *e;

	CHECK_EQ(pool->curr_nr, min_nr);
	memcpy(reserve, pool->elements, min_nr * sizeof(void *));
	while (n < max && (e = mempool_alloc(pool, GFP_ATOMIC)))
		got[n++] = e;
	CHECK_EQ(n, expect_alloc + min_nr);
	for (int i = 0; i < n; i++) {
		if (i < n - min_nr)
			CHECK(!in_set(reserve, min_nr, got[i]));
		else
			CHECK(got[i] ==
			      reserve[min_nr - 1 - (i - (n - min_nr))]);
	}
	CHECK_EQ(pool->curr_nr, 0);
	CHECK_EQ(pool->reserve_hits, min_nr);
	CHECK_EQ(pool->out, n);
	CHECK_EQ(pool->failures, 1);
	/* Nothing to reclaim either: a sleeping caller fails as well. */
	CHECK(mempool_alloc(pool, GFP_KERNEL) == NULL);
	CHECK_EQ(pool->failures, 2);
	return n - min_nr;
}

TEST(mempool_reserve)
{
	struct kmem_cache *k256, *cache;
	mempool_t *kpool, *spool, *ppool;
	void *kgot[600], *sgot[64], *pgot[16], *first[4];
	unsigned long start, active, expect;
	int nk, ns, np;

	boot();
	start = settle();
	k256 = kmalloc_cache(false, 256);
	cache = kmem_cache_create("pool-obj", 512, 0, 0, NULL);
	CHECK(cache != NULL);
	if (!cache)
		return;
	active = slab_active_objects(k256);
	kpool = mempool_create_kmalloc_pool(4, 256);
	spool = mempool_create_slab_pool(3, cache);
	ppool = mempool_create_page_pool(2, 0);
	CHECK(kpool && spool && ppool);
	if (!kpool || !spool || !ppool)
		return;
	CHECK_EQ(slab_active_objects(k256), active + 4);
	CHECK_EQ(slab_active_objects(cache), 3);
	CHECK_EQ(ppool->curr_nr, 2);

	/* Plenty of memory: the reserve is not touched. */
	for (int i = 0; i < 4; i++) {
		void *saved[4];

		memcpy(saved, kpool->elements, sizeof(saved));
		first[i] = mempool_alloc(kpool, GFP_KERNEL);
		CHECK(first[i] && !in_set(saved, 4, first[i]));
		CHECK(!memcmp(saved, kpool->elements, sizeof(saved)));
		CHECK_EQ(ksize(first[i]), 256);
	}
	CHECK_EQ(kpool->curr_nr, 4);
	CHECK_EQ(kpool->reserve_hits, 0);
	CHECK_EQ(kpool->out, 4);
	for (int i = 0; i < 4; i++)
		mempool_free(first[i], kpool);
	CHECK_EQ(kpool->out, 0);
	CHECK_EQ(slab_active_objects(k256), active + 4); /* kfree'd */

	/* No memory left. */
	exhaust(GFP_ATOMIC);
	expect = cache_free_objects(k256);
	nk = drain_pool(kpool, kgot, ARRAY_SIZE(kgot), expect);
	CHECK_EQ(cache_free_objects(k256), 0);
	ns = drain_pool(spool, sgot, ARRAY_SIZE(sgot), cache->objects - 3);
	np = drain_pool(ppool, pgot, ARRAY_SIZE(pgot), 0);
	for (int i = 0; i < np + 2; i++)
		CHECK(page_count((struct page *)pgot[i]) == 1);

	/* Frees refill the reserve first, then go back. */
	active = slab_active_objects(k256);
	for (int i = 0; i < nk + 4; i++) {
		mempool_free(kgot[i], kpool);
		CHECK_EQ(kpool->curr_nr, min(i + 1, 4));
		CHECK_EQ(slab_active_objects(k256),
			 active - (i < 4 ? 0 : i + 1 - 4));
	}
	CHECK_EQ(kpool->out, 0);
	for (int i = 0; i < ns + 3; i++)
		mempool_free(sgot[i], spool);
	CHECK_EQ(spool->curr_nr, 3);
	CHECK_EQ(slab_active_objects(cache), 3);
	for (int i = 0; i < np + 2; i++)
		mempool_free(pgot[i], ppool);
	CHECK_EQ(ppool->curr_nr, 2);
	mempool_free(NULL, kpool); /* nothing */
	CHECK_EQ(kpool->out, 0);
	release_pages();

	host_log_clear();
	mempool_destroy(kpool);
	mempool_destroy(spool);
	mempool_destroy(ppool);
	mempool_destroy(NULL);
	CHECK_STR(host_log(), "");
	CHECK_EQ(slab_active_objects(cache), 0);
	kmem_cache_destroy(cache);
	CHECK(!cache_listed(cache));
	CHECK_EQ(settle(), start);
}

TEST(mempool_resize)
{
	struct kmem_cache *k128;
	mempool_t *pool;
	unsigned long active, start;
	void *e[8], *hog[1200], *keep48;
	int nhog = 0;

	boot();
	start = settle();
	k128 = kmalloc_cache(false, 128);
	active = slab_active_objects(k128);
	pool = mempool_create_kmalloc_pool(4, 128);
	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(mempool_resize(pool, 8, GFP_KERNEL), 0);
	CHECK_EQ(pool->min_nr, 8);
	CHECK_EQ(pool->curr_nr, 8);
	CHECK_EQ(slab_active_objects(k128), active + 8);
	CHECK_EQ(mempool_resize(pool, 2, GFP_KERNEL), 0);
	CHECK_EQ(pool->min_nr, 2);
	CHECK_EQ(pool->curr_nr, 2);
	CHECK_EQ(slab_active_objects(k128), active + 2);
	CHECK_EQ(mempool_resize(pool, 0, GFP_KERNEL), -EINVAL);
	CHECK_EQ(pool->min_nr, 2);
	CHECK_EQ(pool->curr_nr, 2);

	/*
	 * Growing with no memory: -ENOMEM, the new minimum kept, and the
	 * elements that come back fill the reserve up to it. (The new
	 * element array, 48 bytes, comes from a slab kept busy.)
	 */
	for (int i = 0; i < 3; i++)
		e[i] = mempool_alloc(pool, GFP_KERNEL);
	CHECK_EQ(pool->curr_nr, 2);
	keep48 = kmalloc(48, GFP_KERNEL);
	exhaust(GFP_ATOMIC);
	while (nhog < (int)ARRAY_SIZE(hog) &&
	       (hog[nhog] = kmalloc(128, GFP_ATOMIC | __GFP_NOWARN)))
		nhog++;
	CHECK(nhog < (int)ARRAY_SIZE(hog));
	e[3] = mempool_alloc(pool, GFP_ATOMIC); /* from the reserve */
	CHECK(e[3] != NULL);
	CHECK_EQ(pool->curr_nr, 1);
	CHECK_EQ(mempool_resize(pool, 6, GFP_ATOMIC), -ENOMEM);
	CHECK_EQ(pool->min_nr, 6);
	CHECK_EQ(pool->curr_nr, 1);
	for (int i = 0; i < 4; i++) {
		mempool_free(e[i], pool);
		CHECK_EQ(pool->curr_nr, 2 + i);
	}
	CHECK_EQ(pool->out, 0);
	/* The five now in reserve carry the pool through, then NULL. */
	for (int i = 0; i < 5; i++) {
		e[i] = mempool_alloc(pool, GFP_ATOMIC);
		CHECK(e[i] != NULL);
	}
	CHECK(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	for (int i = 0; i < 5; i++)
		mempool_free(e[i], pool);
	CHECK_EQ(pool->curr_nr, 5);
	while (nhog)
		kfree(hog[--nhog]);
	release_pages();
	kfree(keep48);
	/*
	 * With memory back, asking again for the minimum the failed call
	 * set: a success must mean the reserve holds it.
	 */
	CHECK_EQ(mempool_resize(pool, 6, GFP_KERNEL), 0);
	CHECK_EQ(pool->curr_nr, 6);
	CHECK_EQ(slab_active_objects(k128), active + 6);
	host_log_clear();
	mempool_destroy(pool);
	CHECK_STR(host_log(), "");
	CHECK_EQ(slab_active_objects(k128), active);
	CHECK_EQ(settle(), start);
}

TEST(mempool_destroy_busy_and_proc)
{
	struct kmem_cache *cache;
	mempool_t *a, *b, *c;
	void *ea[2], *eb;
	char want[2048], creator[3][48];
	int n;

	boot();
	cache = kmem_cache_create("mp-cache", 100, 0, 0, NULL);
	CHECK(cache != NULL);
	if (!cache)
		return;
	a = make_kmalloc_pool(3, 96);
	b = mempool_create_slab_pool(2, cache);
	c = mempool_create_page_pool(1, 2);
	CHECK(a && b && c);
	if (!a || !b || !c)
		return;
	CHECK(returns_into(a->creator, make_kmalloc_pool));
	ea[0] = mempool_alloc(a, GFP_KERNEL);
	ea[1] = mempool_alloc(a, GFP_KERNEL);
	eb = mempool_alloc(b, GFP_KERNEL);
	CHECK(ea[0] && ea[1] && eb);

	/* Busy: reported with the count, and kept. */
	host_log_clear();
	mempool_destroy(a);
	CHECK(expect_line("mempool_destroy: pool from %s still has 2 elements "
			  "out; the pool is kept",
			  P((void *)a->creator)));
	host_log_clear();
	mempool_destroy(b);
	CHECK(expect_line("mempool_destroy: pool from %s still has 1 element "
			  "out; the pool is kept",
			  P((void *)b->creator)));
	CHECK_EQ(a->curr_nr, 3);
	CHECK_EQ(b->curr_nr, 2);

	/* /proc/mempoolinfo lists them, in creation order. */
	snprintf(creator[0], sizeof(creator[0]), "%s", P((void *)a->creator));
	snprintf(creator[1], sizeof(creator[1]), "%s", P((void *)b->creator));
	snprintf(creator[2], sizeof(creator[2]), "%s", P((void *)c->creator));
	n = snprintf(want, sizeof(want), "%-32s %6s %7s %5s %8s %8s  %s\n",
		     "# creator", "min_nr", "curr_nr", "out", "reserve",
		     "failed", "source");
	n += snprintf(want + n, sizeof(want) - n,
		      "%-32s %6d %7d %5d %8lu %8lu  %s\n", creator[0], 3, 3, 2,
		      0UL, 0UL, "kmalloc 96");
	n += snprintf(want + n, sizeof(want) - n,
		      "%-32s %6d %7d %5d %8lu %8lu  %s\n", creator[1], 2, 2, 1,
		      0UL, 0UL, "slab mp-cache");
	snprintf(want + n, sizeof(want) - n,
		 "%-32s %6d %7d %5d %8lu %8lu  %s\n", creator[2], 1, 1, 0, 0UL,
		 0UL, "pages order 2");
	CHECK_STR(show("mempoolinfo"), want);

	/* Still usable, and the counts move. */
	exhaust(GFP_ATOMIC);
	{
		void *e = mempool_alloc(c, GFP_ATOMIC);

		CHECK(e != NULL);
		CHECK(mempool_alloc(c, GFP_ATOMIC) == NULL);
		CHECK(strstr(show("mempoolinfo"), "pages order 2") != NULL);
		snprintf(want, sizeof(want),
			 "\n%-32s %6d %7d %5d %8lu %8lu  %s\n", creator[2], 1,
			 0, 1, 1UL, 1UL, "pages order 2");
		CHECK(strstr(show("mempoolinfo"), want) != NULL);
		mempool_free(e, c);
	}
	release_pages();

	mempool_free(ea[0], a);
	host_log_clear();
	mempool_destroy(a);
	CHECK(expect_line("mempool_destroy: pool from %s still has 1 element "
			  "out; the pool is kept",
			  P((void *)a->creator)));
	mempool_free(ea[1], a);
	mempool_free(eb, b);
	host_log_clear();
	mempool_destroy(a);
	mempool_destroy(b);
	mempool_destroy(c);
	CHECK_STR(host_log(), "");
	snprintf(want, sizeof(want), "%-32s %6s %7s %5s %8s %8s  %s\n",
		 "# creator", "min_nr", "curr_nr", "out", "reserve", "failed",
		 "source");
	CHECK_STR(show("mempoolinfo"), want);

	/* Refusals. */
	host_log_clear();
	CHECK(mempool_create_kmalloc_pool(0, 64) == NULL);
	CHECK(log_has("mempool_create: min_nr 0 (must be >= 1) or no "
		      "alloc/free function, from 0x"));
	CHECK(mempool_create(2, NULL, mempool_kfree, NULL) == NULL);
	CHECK(log_has("mempool_create: min_nr 2 (must be >= 1) or no "
		      "alloc/free function, from 0x"));
	CHECK_STR(show("mempoolinfo"), want);
	kmem_cache_destroy(cache);
	CHECK(!cache_listed(cache));
}

/* ---- 11. /proc/slabinfo ---- */

TEST(proc_slabinfo)
{
	struct kmem_cache *t1, *t2, *s;
	void *objs[60];
	char *want;
	size_t n = 0, size = 65536;
	unsigned long rows = 0;
	const char *got, *line;

	boot();
	t1 = kmem_cache_create("info-100", 100, 0, 0, NULL);
	t2 = kmem_cache_create("info-3000", 3000, 0, SLAB_HWCACHE_ALIGN, NULL);
	CHECK(t1 && t2);
	if (!t1 || !t2)
		return;
	for (int i = 0; i < 60; i++)
		objs[i] = kmem_cache_alloc(t1, GFP_KERNEL);
	for (int i = 0; i < 60; i += 3)
		kmem_cache_free(t1, objs[i]); /* 40 left in 2 slabs */
	for (int i = 0; i < 7; i++)
		objs[i] = kmem_cache_alloc(t2, GFP_KERNEL);

	want = malloc(size);
	n += snprintf(want + n, size - n, "slabinfo - version: 2.1\n");
	n += snprintf(want + n, size - n,
		      "# name            <active_objs> <num_objs> <objsize> "
		      "<objperslab> <pagesperslab> : tunables <limit> "
		      "<batchcount> <sharedfactor> : slabdata <active_slabs> "
		      "<num_slabs> <sharedavail>\n");
	list_for_each_entry (s, &slab_caches, list) {
		unsigned long active = slab_active_objects(s);
		unsigned long objsize = s->size, per = s->objects;
		unsigned long pages = 1UL << s->order, slabs = s->nr_slabs;

		/* What the test knows of its own two caches. */
		if (s == t1) {
			active = 40;
			objsize = 104;
			per = 39;
			pages = 1;
			slabs = 2;
		} else if (s == t2) {
			active = 7;
			objsize = 3008; /* 64-byte aligned */
			per = 10;	/* at least 8 per slab: order 3 */
			pages = 8;
			slabs = 1;
		}
		n += snprintf(want + n, size - n,
			      "%-17s %6lu %6lu %6lu %4lu %4lu : tunables %4u "
			      "%4u %4u : slabdata %6lu %6lu %6lu\n",
			      s->name, active, slabs * per, objsize, per, pages,
			      0, 0, 0, slabs, slabs, 0UL);
		rows++;
	}
	got = show("slabinfo");
	CHECK_STR(got, want);
	/* One row per cache, below the two header lines. */
	n = 0;
	for (line = got; (line = strchr(line, '\n')); line++)
		n++;
	CHECK_EQ(n, rows + 2);
	CHECK(strstr(got, "\ninfo-100              40     78    104   39    1 "
			  ": tunables    0    0    0 : slabdata      2      2 "
			  "     0\n") != NULL);
	CHECK(strstr(got, "\nkmem_cache ") != NULL);
	CHECK(strstr(got, "\ndma-kmalloc-8192 ") != NULL);
	free(want);
}


/*
 * failslab, driven through its shell command: only the named cache's
 * allocations fail, exactly `times` of them, with nothing allocated for
 * them; __GFP_NOFAIL is never failed; `off` disarms.
 */
TEST(failslab_fails_the_chosen_cache)
{
	struct kmem_cache *a, *b;
	void *objs[40], *p, *q;
	unsigned long start;
	int nulls = 0;

	boot();
	nlive = 0;
	start = settle();
	a = kmem_cache_create("fail-a", 200, 0, 0, NULL);
	b = kmem_cache_create("fail-b", 200, 0, 0, NULL);
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK_EQ(host_shell("failslab cache=fail-a verbose=0 2,100,0,3"), 0);
	for (int i = 0; i < 40; i++) {
		objs[i] = kmem_cache_alloc(i % 2 ? b : a, GFP_KERNEL);
		/* Every second candidate of cache a, until three failed. */
		if (i % 2 == 0 && (i / 2) % 2 == 1 && i / 4 < 3)
			CHECK(objs[i] == NULL);
		else
			CHECK(objs[i] != NULL);
		nulls += !objs[i];
	}
	CHECK_EQ(nulls, 3);
	CHECK_EQ(slab_active_objects(a), 17);
	CHECK_EQ(slab_active_objects(b), 20);
	CHECK_EQ(failslab_attr.failures, 3);
	CHECK_EQ(failslab_attr.times, 0);

	CHECK_EQ(host_shell("failslab 1,100,0,-1"), 0);
	p = kmem_cache_alloc(a, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	q = kmalloc(64, GFP_KERNEL); /* another cache: spared */
	CHECK(q != NULL);
	kfree(q);
	CHECK_EQ(host_shell("failslab"), 0);
	CHECK(strstr(host_shell_output, "cache              fail-a\n"));
	CHECK(strstr(host_shell_output, "armed              yes\n"));
	CHECK_EQ(host_shell("failslab cache=fail-a-name-that-is-far-too-long"),
		 -EINVAL);
	CHECK(strstr(host_shell_output, "bad setting"));
	CHECK_EQ(host_shell("failslab off cache="), 0);
	kmem_cache_free(a, p);
	for (int i = 0; i < 40; i++)
		if (objs[i])
			kmem_cache_free(i % 2 ? b : a, objs[i]);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	CHECK_EQ(settle(), start);
	CHECK(!host_log_contains("BUG"));
}


/*
 * Leaks since a generation: pages from page_owner and the objects of a
 * cache that stores its users are listed under the function that
 * allocated them; what was allocated before the mark, and slab pages
 * themselves, are not; freeing empties the list.
 */
static __attribute__((noinline)) struct page *leaky_pages(void)
{
	return alloc_pages(GFP_KERNEL, 2);
}

TEST(leaks_since_a_generation)
{
	struct kmem_cache *s;
	struct page *old, *page;
	void *objs[3];
	unsigned int gen;
	char want[64];

	boot();
	s = kmem_cache_create("leak-u", 100, 0, SLAB_STORE_USER, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	old = alloc_pages(GFP_KERNEL, 0);
	CHECK_EQ(host_shell("leaks mark"), 0);
	CHECK_EQ(sscanf(host_shell_output, "generation %u", &gen), 1);
	CHECK_EQ(gen, mm_generation);
	page = leaky_pages();
	for (int i = 0; i < 3; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(page && objs[0] && objs[1] && objs[2]);
	CHECK_EQ(page_owner_of(page_to_pfn(page))->gen, gen);
	CHECK_EQ(page_owner_of(page_to_pfn(old))->gen, gen - 1);

	snprintf(want, sizeof(want), "leaks since %u", gen);
	CHECK_EQ(host_shell(want), 0);
	/* The host has no symbol table: the caller shows as an address. */
	CHECK(strstr(host_shell_output, "       1      16384  pages"));
	CHECK(strstr(host_shell_output, "       3        300  leak-u"));
	CHECK(strstr(host_shell_output, "4 allocations still held"));
	snprintf(want, sizeof(want), "page_owner %#lx",
		 page_to_pfn(page) + 3);
	CHECK_EQ(host_shell(want), 0);
	CHECK(strstr(host_shell_output, "in the order-2 block"));
	CHECK(page_owner_of(page_to_pfn(page))->caller -
		      (unsigned long)leaky_pages <
	      64);

	__free_pages(page, 2);
	for (int i = 0; i < 3; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_EQ(leaks_since(NULL, gen, true), 0);
	CHECK(!page_owner_of(page_to_pfn(page))->allocated);
	__free_pages(old, 0);
	kmem_cache_destroy(s);
	CHECK_EQ(host_shell("leaks since x"), -EINVAL);
	CHECK_EQ(host_shell("page_owner 0xffffffff"), -EINVAL);
}

/*
 * The boot option slab_owner: every cache made after it carries an owner
 * record after each object (the kmalloc caches too), written on the fast
 * path with the caller and generation and cleared at free; the object
 * and its alignment are untouched, leaks groups by the record, a cache
 * that stores its users keeps its one track, and without the option the
 * slots are as they always were.
 */
static NOINLINE void *owner_alloc(struct kmem_cache *s)
{
	return kmem_cache_alloc(s, GFP_KERNEL);
}

static NOINLINE void *owner_kmalloc(unsigned long size)
{
	return kmalloc(size, GFP_KERNEL);
}

/* Did fn make this record (the host has no symbols: an address near fn)? */
static bool owned_by(struct kmem_cache *s, void *obj, void *fn, u32 gen)
{
	struct slab_owner *o = slab_owner_record(s, obj);

	return o->caller - (unsigned long)fn < 64 && o->gen == gen;
}

static const unsigned long owner_sizes[] = {1, 8, 13, 100, 200, 1000};
static const unsigned long owner_aligns[] = {0, 8, 64, 256};

TEST(slab_owner_option)
{
	int (*set)(const char *) = find_param("slab_owner");
	unsigned int plain[ARRAY_SIZE(owner_sizes)][ARRAY_SIZE(owner_aligns)];
	unsigned int user_size;
	unsigned long held;
	struct kmem_cache *s, *u, *k;
	u8 *before, *objs[3], *kobjs[2], *u_obj;
	unsigned int gen;
	char cmd[64], want[96];

	CHECK(set != NULL);
	if (!set)
		return;

	/* Off (the default): the slots are the object rounded to its
	 * alignment, and no cache has the flag. */
	CHECK_EQ(set("off"), 0);
	boot();
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		void *p = kmalloc(classes[i], GFP_KERNEL);

		CHECK(p && virt_to_cache(p)->size == classes[i]);
		kfree(p);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(owner_sizes); i++) {
		for (unsigned int j = 0; j < ARRAY_SIZE(owner_aligns); j++) {
			unsigned long a = max(owner_aligns[j], sizeof(void *));

			snprintf(cmd, sizeof(cmd), "plain-%u-%u", i, j);
			s = kmem_cache_create(cmd, owner_sizes[i],
					      owner_aligns[j], 0, NULL);
			CHECK(s && !(s->flags & SLAB_OWNER));
			if (!s)
				return;
			CHECK_EQ(s->size, ALIGN(owner_sizes[i], a));
			plain[i][j] = s->size;
		}
	}
	u = kmem_cache_create("user-100", 100, 0, SLAB_STORE_USER, NULL);
	CHECK(u && !(u->flags & SLAB_OWNER));
	user_size = u ? u->size : 0;
	CHECK_EQ(set("maybe"), -EINVAL);

	/* On: every cache, the bootstrap and kmalloc caches included. */
	CHECK_EQ(set(NULL), 0);
	boot();
	list_for_each_entry (s, &slab_caches, list) {
		if (!(s->flags & SLAB_OWNER))
			fprintf(stderr, "  %s: no SLAB_OWNER\n", s->name);
		CHECK(s->flags & SLAB_OWNER);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(owner_sizes); i++) {
		for (unsigned int j = 0; j < ARRAY_SIZE(owner_aligns); j++) {
			unsigned long a = max(owner_aligns[j], sizeof(void *));

			snprintf(cmd, sizeof(cmd), "own-%u-%u", i, j);
			s = kmem_cache_create(cmd, owner_sizes[i],
					      owner_aligns[j], 0, NULL);
			CHECK(s && (s->flags & SLAB_OWNER));
			if (!s)
				return;
			/* The record right after the object, the slot still
			 * a multiple of the alignment, and only the record
			 * (with its padding) added. */
			CHECK_EQ(s->owner, ALIGN(owner_sizes[i], sizeof(void *)));
			CHECK(s->owner + sizeof(struct slab_owner) <= s->size);
			CHECK_EQ(s->size % a, 0);
			CHECK_EQ(s->size, ALIGN(s->owner + sizeof(struct slab_owner),
						a));
			CHECK(s->size >= plain[i][j]); /* padding may hold it */
			objs[0] = owner_alloc(s);
			objs[1] = owner_alloc(s);
			CHECK(objs[0] && objs[1]);
			CHECK(objs[0] && (unsigned long)objs[0] % a == 0);
			CHECK(objs[1] && (unsigned long)objs[1] % a == 0);
			kmem_cache_free(s, objs[1]);
			kmem_cache_free(s, objs[0]);
			kmem_cache_destroy(s);
		}
	}
	/* A cache that stores its users has its track and no second record. */
	u = kmem_cache_create("user-100", 100, 0, SLAB_STORE_USER, NULL);
	CHECK(u && !(u->flags & SLAB_OWNER));
	CHECK(u && u->size == user_size);
	if (!u)
		return;

	s = kmem_cache_create("own-100", 100, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(!(s->flags & SLAB_DEBUG_FLAGS)); /* so the fast paths serve it */
	before = owner_alloc(s);
	CHECK(before && owned_by(s, before, owner_alloc, mm_generation));
	CHECK_EQ(host_shell("leaks mark"), 0);
	CHECK_EQ(sscanf(host_shell_output, "generation %u", &gen), 1);
	/* The first came from the slow path: these from the CPU's list. */
	for (int i = 0; i < 3; i++) {
		objs[i] = owner_alloc(s);
		CHECK(objs[i] && owned_by(s, objs[i], owner_alloc, gen));
		if (objs[i])
			memset(objs[i], 0xa0 + i, 100);
	}
	for (int i = 0; i < 2; i++) {
		kobjs[i] = owner_kmalloc(40);
		CHECK(kobjs[i] != NULL);
	}
	u_obj = owner_alloc(u);
	CHECK(u_obj != NULL);
	if (!objs[0] || !objs[1] || !objs[2] || !kobjs[0] || !kobjs[1] ||
	    !u_obj)
		return;
	k = virt_to_cache(kobjs[0]);
	CHECK(owned_by(k, kobjs[0], owner_kmalloc, gen));
	CHECK(before && owned_by(s, before, owner_alloc, gen - 1));
	/* The object's bytes are the user's alone. */
	for (int i = 0; i < 3; i++) {
		for (int b = 0; b < 100; b++) {
			if (objs[i][b] != 0xa0 + i) {
				CHECK_EQ(objs[i][b], 0xa0 + i);
				break;
			}
		}
	}

	snprintf(cmd, sizeof(cmd), "leaks since %u", gen);
	CHECK_EQ(host_shell(cmd), 0);
	CHECK(strstr(host_shell_output, "       3        300  own-100"));
	snprintf(want, sizeof(want), "       2 %10u  %-16s", 2 * k->object_size,
		 k->name);
	CHECK(strstr(host_shell_output, want));
	CHECK(strstr(host_shell_output, "       1        100  user-100"));
	CHECK(strstr(host_shell_output, "6 allocations still held"));
	CHECK(!strstr(host_shell_output, "kmem_cache"));

	/* Freed: the record is cleared and the list empties. */
	kmem_cache_free(s, objs[1]);
	CHECK_EQ(slab_owner_record(s, objs[1])->caller, 0);
	CHECK_EQ(leaks_since(NULL, gen, true), 5);
	kmem_cache_free(s, objs[0]);
	kmem_cache_free(s, objs[2]);
	kfree(kobjs[0]);
	kfree(kobjs[1]);
	CHECK_EQ(slab_owner_record(k, kobjs[1])->caller, 0);
	kmem_cache_free(u, u_obj);
	CHECK_EQ(leaks_since(NULL, gen, true), 0);
	/* From the generation before: the one from before the mark, with
	 * the boot's own (the kmalloc caches' structs...). */
	held = leaks_since(NULL, gen - 1, true);
	kmem_cache_free(s, before);
	CHECK_EQ(leaks_since(NULL, gen - 1, true), held - 1);
	kmem_cache_destroy(s);
	kmem_cache_destroy(u);
	CHECK(!host_log_contains("BUG"));

	/* A replayed cache is plain whatever the trace's flags say. */
	{
		static struct kmem_cache g;
		struct slab_geometry geo = {"replayed", 100, 112, 8, 0, 36,
					    SLAB_OWNER};

		CHECK_EQ(kmem_cache_create_geometry(&g, &geo), 0);
		CHECK(!(g.flags & SLAB_OWNER));
		list_del(&g.list);
	}

	CHECK_EQ(set("off"), 0);
	boot();
}

/* ---- what the fast paths work out from an address alone ---- */

/* virt_to_slab() as it was written before it was folded into one compare. */
static struct page *slab_page_the_long_way(const void *p)
{
	struct page *page;

	if (!virt_addr_valid(p))
		return NULL;
	page = virt_to_page(p);
	if (PageTail(page))
		page = (struct page *)page->private;
	return PageSlab(page) ? page : NULL;
}

/*
 * virt_to_slab() must agree with virt_addr_valid() and virt_to_page() at
 * the edges of the direct map and inside slabs of every order, and
 * slab_start() must find each slab's base from its objects' addresses.
 */
TEST(slab_found_from_the_address)
{
	static const unsigned long sizes[] = {8, 24, 96, 1024, 3072, 8192};
	char *low, *high;

	boot();
	low = __va((phys_addr_t)min_pfn << PAGE_SHIFT);
	high = high_memory;
	{
		const char *edge[] = {NULL,	 low - 1,	low,
				      low + 1,	 high - 1,	high,
				      high + 1,	 (char *)sizes, (char *)&low,
				      (char *)-1};

		for (unsigned int i = 0; i < ARRAY_SIZE(edge); i++)
			CHECK(virt_to_slab(edge[i]) ==
			      slab_page_the_long_way(edge[i]));
	}
	CHECK(virt_to_slab(low - 1) == NULL);
	CHECK(virt_to_slab(high) == NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct kmem_cache *s =
			kmem_cache_create("fromaddr", sizes[i], 0, 0, NULL);
		void *objs[40];
		unsigned int n;

		CHECK(s != NULL);
		if (!s)
			return;
		n = min(2 * s->objects + 1, (unsigned int)ARRAY_SIZE(objs));
		for (unsigned int j = 0; j < n; j++) {
			char *p = objs[j] = kmem_cache_alloc(s, GFP_KERNEL);
			struct page *page = virt_to_slab(p);

			CHECK(page != NULL &&
			      page->private == (unsigned long)s);
			if (!page)
				break;
			CHECK_EQ(slab_start(s, p),
				 (unsigned long)slab_base(page));
			CHECK(virt_to_slab(p + s->object_size - 1) == page);
			CHECK(slab_page_the_long_way(p + s->object_size - 1) ==
			      page);
			CHECK(virt_to_slab((char *)slab_base(page) +
					   (PAGE_SIZE << s->order) - 1) ==
			      page);
		}
		for (unsigned int j = 0; j < n; j++)
			kmem_cache_free(s, objs[j]);
		kmem_cache_destroy(s);
	}
}

/*
 * The free fast path sends an object whose first word decodes to NULL
 * or into its own slab to the exact double-free check. A live object
 * holding such a word is freed like any other; a free one is still
 * reported, whatever its word says.
 */
TEST(live_word_that_looks_like_a_link)
{
	struct kmem_cache *s;
	unsigned long reports;
	void *a, *b, *d, *got[3];

	boot();
	s = kmem_cache_create("looklink", 64, 0, 0, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	d = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(a && b && d);
	if (!a || !b || !d)
		return;
	reports = slab_reports;
	set_freepointer(s, a, b); /* an object's start */
	set_freepointer(s, b, NULL); /* the end of a list */
	set_freepointer(s, d, (char *)a + 8); /* inside the slab, off a start */
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_free(s, d);
	CHECK_EQ(slab_reports, reports);
	CHECK_EQ(slab_active_objects(s), 0);
	host_log_clear();
	kmem_cache_free(s, d); /* the head of the CPU's list */
	CHECK(expect_line("BUG looklink: Object already free"));
	kmem_cache_free(s, a); /* deeper in it */
	CHECK_EQ(slab_reports, reports + 2);
	for (int i = 0; i < 3; i++)
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(got[0] == d && got[1] == b && got[2] == a);
	CHECK_EQ(slab_active_objects(s), 3);
	for (int i = 0; i < 3; i++)
		kmem_cache_free(s, got[i]);
	CHECK_EQ(slab_reports, reports + 2);
	kmem_cache_destroy(s);
}
TEST_MAIN()
