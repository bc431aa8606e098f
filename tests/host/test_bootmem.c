/*
 * Host tests for mm/bootmem.c, the boot-time allocator.
 *
 * A 64 MiB arena stands in for physical memory (address 0 is its first
 * byte). The main test runs thousands of random operations - adding RAM,
 * reserving, freeing, changing the limits, allocating through every entry
 * point - against a reference model that keeps one state byte per 8-byte
 * granule, and after every operation compares what bootmem says (each
 * address handed out, the free and memory totals, the region arrays, the
 * free ranges, the largest range) with the model. Freed memory is full of
 * garbage, so the zeroing of allocations is really tested. The other tests
 * cover the corner cases one by one, the panics, bootmem_retire(), full
 * region arrays and the /proc/bootmem table.
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/resource.h>
#include <pagoda/seq_file.h>

#include "shim.h"
#include "test.h"

#define ARENA_SIZE (64UL << 20)
#define GRAN	   8
#define NGRAN	   (ARENA_SIZE / GRAN)
#define NO_LIMIT   (~(phys_addr_t)0)

extern const struct proc_table __start_pagoda_proc[], __stop_pagoda_proc[];
extern const struct kernel_param __start_pagoda_params[],
	__stop_pagoda_params[];

/*
 * bootmem_register_iomem() calls iomem_add() from kernel/resource.c, which
 * this program does not link: a weak stand-in records the calls. Should
 * resource.c be linked one day, the real one wins and the test asks
 * iomem_lookup() instead.
 */
#pragma weak iomem_lookup
static struct {
	phys_addr_t start, size;
	const char *name;
} iomem_calls[8];
static int niomem_calls;
static struct resource stub_resource;

__attribute__((weak)) struct resource *
iomem_add(phys_addr_t start, phys_addr_t size, const char *name)
{
	if (niomem_calls < (int)ARRAY_SIZE(iomem_calls)) {
		iomem_calls[niomem_calls].start = start;
		iomem_calls[niomem_calls].size = size;
		iomem_calls[niomem_calls].name = name;
	}
	niomem_calls++;
	return &stub_resource;
}

static char *arena;

/* Empty bootmem, an arena full of garbage, an empty log. */
static void fresh(void)
{
	if (!arena) {
		arena = malloc(ARENA_SIZE);
		if (!arena)
			abort();
	}
	host_phys_base = arena;
	memset(arena, 0xa5, ARENA_SIZE);
	bootmem_reset();
	host_log_clear();
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		if (c[i])
			return false;
	}
	return true;
}

/* The reserved region covering exactly [base, base + size), or NULL. */
static const struct bootmem_region *find_reserved(phys_addr_t base,
						  phys_addr_t size)
{
	for (int i = 0; i < bootmem_nr_reserved(); i++) {
		const struct bootmem_region *r = bootmem_reserved(i);

		if (r->base == base && r->size == size)
			return r;
	}
	return NULL;
}

/* Is any byte of [base, end) reserved? */
static bool any_reserved(phys_addr_t base, phys_addr_t end)
{
	for (int i = 0; i < bootmem_nr_reserved(); i++) {
		const struct bootmem_region *r = bootmem_reserved(i);

		if (r->base < end && r->base + r->size > base)
			return true;
	}
	return false;
}

/* Region fields that read as nonsense, not a crash, when missing. */
static const struct bootmem_region none = {
	.base = ~(phys_addr_t)0, .size = 0, .name = "(none)", .nid = 0};

static const struct bootmem_region *mem_at(int i)
{
	return bootmem_memory(i) ? bootmem_memory(i) : &none;
}

static const struct bootmem_region *res_at(int i)
{
	return bootmem_reserved(i) ? bootmem_reserved(i) : &none;
}

/* ---- the reference model ---- */

enum { M_MEM = 1, M_RES = 2 };

static unsigned char *st; /* per granule: M_MEM | M_RES */
static unsigned int *pref; /* free granules below each granule */
static int *cover; /* scratch: reserved regions over each granule */
static u64 world; /* the random operations stay in [0, world) */
static phys_addr_t m_low, m_direct;

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

static bool chance(int percent)
{
	return rnd_below(100) < (u64)percent;
}

static void model_init(u64 w)
{
	if (!st) {
		st = calloc(NGRAN, 1);
		pref = calloc(NGRAN + 1, sizeof(*pref));
		cover = calloc(NGRAN + 1, sizeof(*cover));
		if (!st || !pref || !cover)
			abort();
	}
	world = w;
	memset(st, 0, w / GRAN);
	m_low = 0;
	m_direct = NO_LIMIT;
}

static void model_set(u64 base, u64 size, int bit, bool on)
{
	for (u64 g = base / GRAN; g < (base + size) / GRAN; g++) {
		if (on)
			st[g] |= bit;
		else
			st[g] &= ~bit;
	}
}

static bool g_free(u64 g)
{
	return st[g] == M_MEM;
}

static bool g_mem(u64 g)
{
	return st[g] & M_MEM;
}

static u64 model_count(bool (*pred)(u64))
{
	u64 n = 0;

	for (u64 g = 0; g < world / GRAN; g++)
		n += pred(g);
	return n * GRAN;
}

/* The next maximal run of granules satisfying pred, from *g on. */
static bool model_run(u64 *g, bool (*pred)(u64), u64 *s, u64 *e)
{
	u64 n = world / GRAN, i = *g;

	while (i < n && !pred(i))
		i++;
	if (i == n)
		return false;
	*s = i * GRAN;
	while (i < n && pred(i))
		i++;
	*e = i * GRAN;
	*g = i;
	return true;
}

static u64 model_largest(u64 below)
{
	u64 g = 0, s, e, best = 0;

	while (model_run(&g, g_free, &s, &e)) {
		e = min(e, below);
		if (e > s && e - s > best)
			best = e - s;
	}
	return best;
}

static void model_prefix(void)
{
	pref[0] = 0;
	for (u64 g = 0; g < world / GRAN; g++)
		pref[g + 1] = pref[g] + g_free(g);
}

/*
 * The contract, stated without free ranges: the lowest address x that is
 * a multiple of the alignment (at least 8), x >= lo, x != 0, with
 * x + size <= hi and all of [x, x + size) free memory. 0 if none.
 */
static u64 model_search(u64 size, u64 align, u64 lo, u64 hi)
{
	u64 x;

	if (!size || (align & (align - 1)))
		return 0;
	if (align < 8)
		align = 8;
	hi = min(hi, world);
	if (lo >= hi || size > hi)
		return 0;
	x = ALIGN(lo, align);
	if (!x)
		x = align;
	model_prefix();
	for (; x <= hi - size; x += align) {
		if (pref[(x + size) / GRAN] - pref[x / GRAN] == size / GRAN)
			return x;
	}
	return 0;
}

static u64 model_nopanic(u64 size, u64 align, u64 goal)
{
	u64 x = 0;

	if (goal < m_direct)
		x = model_search(size, align, goal, m_direct);
	if (!x)
		x = model_search(size, align, 0, m_direct);
	return x;
}

static u64 model_low(u64 size, u64 align)
{
	return model_search(size, align, 0, min(m_low, m_direct));
}

/* ---- comparing bootmem with the model ---- */

static char opdesc[256];
static bool report_details;
static int n_allocated, n_refused, n_panics;

#define DIVERGED(...)                                            \
	do {                                                     \
		if (report_details) {                            \
			fprintf(stderr, "  after %s: ", opdesc); \
			fprintf(stderr, __VA_ARGS__);            \
			fputc('\n', stderr);                     \
		}                                                \
		return false;                                    \
	} while (0)

static bool check_regions(void)
{
	u64 g = 0, s, e;
	long long c;
	int i;

	/* The memory array holds exactly the maximal runs of RAM. */
	for (i = 0; model_run(&g, g_mem, &s, &e); i++) {
		const struct bootmem_region *r = bootmem_memory(i);

		if (!r)
			DIVERGED("memory region %d missing, want %#llx-%#llx",
				 i, (unsigned long long)s,
				 (unsigned long long)e);
		if (r->base != s || r->base + r->size != e)
			DIVERGED("memory region %d is %#llx-%#llx, want "
				 "%#llx-%#llx",
				 i, (unsigned long long)r->base,
				 (unsigned long long)(r->base + r->size),
				 (unsigned long long)s, (unsigned long long)e);
	}
	if (bootmem_nr_memory() != i)
		DIVERGED("%d memory regions, want %d", bootmem_nr_memory(), i);

	/* The reserved array is sorted and covers exactly what is taken. */
	memset(cover, 0, (world / GRAN + 1) * sizeof(*cover));
	for (i = 0; i < bootmem_nr_reserved(); i++) {
		const struct bootmem_region *r = bootmem_reserved(i);

		if (!r->size || r->base + r->size > world || r->base % GRAN ||
		    r->size % GRAN)
			DIVERGED("odd reserved region %#llx+%#llx",
				 (unsigned long long)r->base,
				 (unsigned long long)r->size);
		cover[r->base / GRAN]++;
		cover[(r->base + r->size) / GRAN]--;
	}
	c = 0;
	for (u64 k = 0; k < world / GRAN; k++) {
		c += cover[k];
		if (!!c != !!(st[k] & M_RES))
			DIVERGED("%#llx is %s in bootmem but %s in the model",
				 (unsigned long long)(k * GRAN),
				 c ? "reserved" : "not reserved",
				 st[k] & M_RES ? "reserved" : "not reserved");
	}
	for (i = 1; i < bootmem_nr_reserved(); i++) {
		if (res_at(i)->base < res_at(i - 1)->base)
			DIVERGED("reserved regions out of order: %d at %#llx "
				 "after %#llx",
				 i, (unsigned long long)res_at(i)->base,
				 (unsigned long long)res_at(i - 1)->base);
	}
	return true;
}

static bool check_free(void)
{
	u64 g = 0, s, e, cursor = 0, below;
	phys_addr_t bs, be;
	int n = 0;

	if (bootmem_free_bytes() != model_count(g_free))
		DIVERGED("bootmem_free_bytes() = %llu, model %llu",
			 (unsigned long long)bootmem_free_bytes(),
			 (unsigned long long)model_count(g_free));
	if (bootmem_memory_bytes() != model_count(g_mem))
		DIVERGED("bootmem_memory_bytes() = %llu, model %llu",
			 (unsigned long long)bootmem_memory_bytes(),
			 (unsigned long long)model_count(g_mem));
	while (model_run(&g, g_free, &s, &e)) {
		if (!bootmem_next_free(&cursor, &bs, &be))
			DIVERGED("free range %d missing, want %#llx-%#llx", n,
				 (unsigned long long)s, (unsigned long long)e);
		if (bs != s || be != e)
			DIVERGED("free range %d is %#llx-%#llx, want "
				 "%#llx-%#llx",
				 n, (unsigned long long)bs,
				 (unsigned long long)be, (unsigned long long)s,
				 (unsigned long long)e);
		n++;
	}
	if (bootmem_next_free(&cursor, &bs, &be))
		DIVERGED("extra free range %#llx-%#llx after %d",
			 (unsigned long long)bs, (unsigned long long)be, n);

	below = rnd_below(world + 1);
	if (bootmem_largest_free(below) != model_largest(below))
		DIVERGED("bootmem_largest_free(%#llx) = %llu, model %llu",
			 (unsigned long long)below,
			 (unsigned long long)bootmem_largest_free(below),
			 (unsigned long long)model_largest(below));
	if (bootmem_largest_free(NO_LIMIT) != model_largest(NO_LIMIT))
		DIVERGED("bootmem_largest_free(all) = %llu, model %llu",
			 (unsigned long long)bootmem_largest_free(NO_LIMIT),
			 (unsigned long long)model_largest(NO_LIMIT));
	return true;
}

/*
 * An allocation came back as got (0 for failure); the model expected
 * want. Check it, then record it and, for the zeroing allocators, check
 * the zeroes and scribble over them for the next allocation to clear.
 */
static bool check_alloc(u64 want, u64 got, u64 size, u64 align, bool zeroed)
{
	if (got != want)
		DIVERGED("allocation returned %#llx, model %#llx",
			 (unsigned long long)got, (unsigned long long)want);
	if (!got) {
		n_refused++;
		return true;
	}
	n_allocated++;
	if (got % max(align, (u64)8))
		DIVERGED("%#llx misaligned", (unsigned long long)got);
	if (got + size > world)
		DIVERGED("%#llx+%#llx outside the arena",
			 (unsigned long long)got, (unsigned long long)size);
	for (u64 g = got / GRAN; g < (got + size) / GRAN; g++) {
		if (!g_free(g))
			DIVERGED("%#llx+%#llx overlaps %s",
				 (unsigned long long)got,
				 (unsigned long long)size,
				 g_mem(g) ? "reserved memory" : "a hole");
	}
	if (zeroed) {
		if (!all_zero(arena + got, size))
			DIVERGED("%#llx+%#llx not zeroed",
				 (unsigned long long)got,
				 (unsigned long long)size);
		memset(arena + got, 0x5a | (int)rnd_below(256), size);
	}
	model_set(got, size, M_RES, true);
	return true;
}

/*
 * A panicking allocator was called: it must have panicked exactly when
 * the model found nothing, and then say what was asked and what was free.
 */
static bool check_panic(bool panicked, u64 want, u64 size, u64 limit)
{
	char s[128];

	if (panicked != !want)
		DIVERGED("%s (model %#llx)",
			 panicked ? "panicked" : "did not panic",
			 (unsigned long long)want);
	if (!panicked)
		return true;
	n_panics++;
	snprintf(s, sizeof(s), "out of memory: %llu bytes",
		 (unsigned long long)size);
	if (!strstr(host_panic_msg, s))
		DIVERGED("panic message '%s' lacks '%s'", host_panic_msg, s);
	snprintf(s, sizeof(s), "free: %llu bytes in all, largest range %llu",
		 (unsigned long long)model_count(g_free),
		 (unsigned long long)model_largest(limit));
	if (!strstr(host_panic_msg, s))
		DIVERGED("panic message '%s' lacks '%s'", host_panic_msg, s);
	return true;
}

/* ---- random operations ---- */

static const char *const names[] = {"firmware", "Kernel image", "initrd",
				    "bootmem", NULL};

static u64 allocs[64][2]; /* recent allocations, to free exactly */
static int nallocs;

static u64 rnd_gran(u64 below)
{
	return rnd_below(below / GRAN + 1) * GRAN;
}

/* A random range [*base, *base + *size) inside the world, in granules. */
static void rnd_range(u64 *base, u64 *size)
{
	u64 maxsz;

	switch (rnd_below(4)) {
	case 0:
		maxsz = world / 256;
		break;
	case 1:
		maxsz = world / 32;
		break;
	case 2:
		maxsz = world / 8;
		break;
	default:
		maxsz = world / 2;
	}
	*size = max(rnd_gran(maxsz), (u64)GRAN);
	*base = rnd_gran(world - *size);
}

static u64 rnd_size(void)
{
	switch (rnd_below(8)) {
	case 0:
	case 1:
	case 2:
		return GRAN * (1 + rnd_below(16));
	case 3:
	case 4:
		return GRAN * (1 + rnd_below(512));
	case 5:
		return PAGE_SIZE * (1 + rnd_below(4));
	case 6:
		return max(rnd_gran(world / 16), (u64)GRAN);
	default:
		return max(rnd_gran(world / 2), (u64)GRAN);
	}
}

static u64 rnd_align(bool allow_bad)
{
	static const u64 good[] = {0,	      1,     4,	    8,	    16,
				   32,	      64,    128,   512,    PAGE_SIZE,
				   PAGE_SIZE, 16384, 65536, 1 << 20};
	static const u64 bad[] = {3, 24, PAGE_SIZE - 1};

	if (allow_bad && chance(3))
		return bad[rnd_below(ARRAY_SIZE(bad))];
	return good[rnd_below(ARRAY_SIZE(good))];
}

static u64 rnd_goal(void)
{
	switch (rnd_below(6)) {
	case 0:
		return 0;
	case 1:
		return m_low;
	case 2:
		return rnd_below(2 * world);
	case 3:
		return NO_LIMIT;
	default:
		return rnd_below(world);
	}
}

static void remember(u64 base, u64 size)
{
	if (!base)
		return;
	allocs[nallocs % 64][0] = base;
	allocs[nallocs % 64][1] = size;
	nallocs++;
}

#define DESC(...) snprintf(opdesc, sizeof(opdesc), __VA_ARGS__)

static bool op_memory(void)
{
	u64 base, size;

	rnd_range(&base, &size);
	if (chance(15)) {
		base = 0; /* address 0 is memory but never handed out */
	} else if (chance(30)) {
		/* Right after (or right before) existing RAM. */
		u64 g = rnd_below(world / GRAN), s, e;

		if (model_run(&g, g_mem, &s, &e)) {
			if (chance(50) && e + size <= world)
				base = e;
			else if (s >= size)
				base = s - size;
		}
	}
	DESC("bootmem_add_memory(%#llx, %#llx)", (unsigned long long)base,
	     (unsigned long long)size);
	bootmem_add_memory(base, size);
	model_set(base, size, M_MEM, true);
	return true;
}

static bool op_reserve(void)
{
	const char *name = names[rnd_below(ARRAY_SIZE(names))];
	u64 base, size;

	rnd_range(&base, &size);
	if (chance(25))
		size = max(size / 64 / GRAN * GRAN, (u64)GRAN);
	if (chance(25)) {
		/* Flush with the start or the end of a free range. */
		u64 g = rnd_below(world / GRAN), s, e;

		if (model_run(&g, g_free, &s, &e)) {
			size = min(size, e - s);
			base = chance(50) ? s : e - size;
		}
	}
	DESC("reserve_bootmem(%#llx, %#llx, %s)", (unsigned long long)base,
	     (unsigned long long)size, name ? name : "NULL");
	reserve_bootmem(base, size, name);
	model_set(base, size, M_RES, true);
	return true;
}

static bool op_free(void)
{
	u64 base, size;

	if (nallocs && chance(40)) {
		int i = rnd_below(min(nallocs, 64));

		base = allocs[i][0];
		size = allocs[i][1];
	} else {
		rnd_range(&base, &size);
	}
	DESC("free_bootmem(%#llx, %#llx)", (unsigned long long)base,
	     (unsigned long long)size);
	free_bootmem(base, size);
	model_set(base, size, M_RES, false);
	return true;
}

static bool op_limits(void)
{
	u64 low = rnd_below(world + 1), direct;

	if (chance(20)) {
		low = 0;
		direct = NO_LIMIT;
	} else if (chance(30)) {
		direct = NO_LIMIT;
	} else if (chance(15)) {
		direct = rnd_below(world + 1); /* possibly below low */
	} else {
		direct = low + rnd_below(world - low + 1);
	}
	DESC("bootmem_set_limits(%#llx, %#llx)", (unsigned long long)low,
	     (unsigned long long)direct);
	bootmem_set_limits(low, direct);
	m_low = low;
	m_direct = direct;
	if (bootmem_low_limit() != low || bootmem_direct_limit() != direct)
		DIVERGED("limits read back as %#llx, %#llx",
			 (unsigned long long)bootmem_low_limit(),
			 (unsigned long long)bootmem_direct_limit());
	return true;
}

static bool op_nopanic(void)
{
	u64 size = chance(2) ? 0 : rnd_size(), align = rnd_align(true);
	u64 goal = rnd_goal(), want = model_nopanic(size, align, goal);
	void *p;

	DESC("__alloc_bootmem_nopanic(%#llx, %#llx, %#llx)",
	     (unsigned long long)size, (unsigned long long)align,
	     (unsigned long long)goal);
	p = __alloc_bootmem_nopanic(size, align, goal);
	remember(want, size);
	return check_alloc(want, p ? __pa(p) : 0, size, align, true);
}

static bool op_alloc(void)
{
	u64 size = rnd_size(), align = rnd_align(false), goal = rnd_goal();
	u64 want;
	void *volatile p = NULL;
	bool panicked;

	/* Through the wrappers now and then: their align and goal. */
	switch (rnd_below(7)) {
	case 6:
		goal = m_low;
		DESC("alloc_bootmem_tagged(%#llx, %#llx, mem_map)",
		     (unsigned long long)size, (unsigned long long)align);
		want = model_nopanic(size, align, goal);
		panicked = HOST_PANICS(
			p = alloc_bootmem_tagged(size, align, "mem_map"));
		break;
	case 0:
		align = SMP_CACHE_BYTES;
		goal = m_low;
		DESC("alloc_bootmem(%#llx)", (unsigned long long)size);
		want = model_nopanic(size, align, goal);
		panicked = HOST_PANICS(p = alloc_bootmem(size));
		break;
	case 1:
		align = PAGE_SIZE;
		goal = m_low;
		DESC("alloc_bootmem_pages(%#llx)", (unsigned long long)size);
		want = model_nopanic(size, align, goal);
		panicked = HOST_PANICS(p = alloc_bootmem_pages(size));
		break;
	default:
		DESC("__alloc_bootmem(%#llx, %#llx, %#llx)",
		     (unsigned long long)size, (unsigned long long)align,
		     (unsigned long long)goal);
		want = model_nopanic(size, align, goal);
		panicked = HOST_PANICS(p = __alloc_bootmem(size, align, goal));
	}
	if (!check_panic(panicked, want, size, m_direct))
		return false;
	remember(want, size);
	return check_alloc(want, p ? __pa(p) : 0, size, align, true);
}

static bool op_low(void)
{
	u64 size = rnd_size(), align = rnd_align(false), want;
	void *volatile p = NULL;
	bool panicked;

	switch (rnd_below(4)) {
	case 0:
		align = SMP_CACHE_BYTES;
		DESC("alloc_bootmem_low(%#llx)", (unsigned long long)size);
		want = model_low(size, align);
		panicked = HOST_PANICS(p = alloc_bootmem_low(size));
		break;
	case 1:
		align = PAGE_SIZE;
		DESC("alloc_bootmem_low_pages(%#llx)",
		     (unsigned long long)size);
		want = model_low(size, align);
		panicked = HOST_PANICS(p = alloc_bootmem_low_pages(size));
		break;
	default:
		DESC("__alloc_bootmem_low(%#llx, %#llx)",
		     (unsigned long long)size, (unsigned long long)align);
		want = model_low(size, align);
		panicked = HOST_PANICS(p = __alloc_bootmem_low(size, align));
	}
	if (!check_panic(panicked, want, size, min(m_low, m_direct)))
		return false;
	remember(want, size);
	return check_alloc(want, p ? __pa(p) : 0, size, align, true);
}

static bool op_phys(void)
{
	u64 size = chance(2) ? 0 : rnd_size(), align = rnd_align(true);
	u64 lo = chance(30) ? 0 : rnd_below(world);
	u64 hi = chance(30) ? NO_LIMIT : rnd_below(world + 1);
	const char *name = chance(50) ? NULL : "page tables";
	u64 want = model_search(size, align, lo, hi), got;

	DESC("bootmem_alloc_phys(%#llx, %#llx, %#llx, %#llx)",
	     (unsigned long long)size, (unsigned long long)align,
	     (unsigned long long)lo, (unsigned long long)hi);
	got = bootmem_alloc_phys(size, align, lo, hi, name);
	remember(want, size);
	return check_alloc(want, got, size, align, false);
}

static bool random_op(void)
{
	u64 r = rnd_below(100);

	if (r < 4)
		return op_memory();
	if (r < 22)
		return op_reserve();
	if (r < 36)
		return op_free();
	if (r < 41)
		return op_limits();
	if (r < 56)
		return op_nopanic();
	if (r < 70)
		return op_alloc();
	if (r < 82)
		return op_low();
	return op_phys();
}

/* One round: fresh state, some RAM, then ops until done or diverged. */
static bool run_round(u64 w, int nops, int *done)
{
	fresh();
	model_init(w);
	nallocs = 0;
	DESC("start");
	for (int i = 1 + rnd_below(3); i > 0; i--)
		op_memory();
	if (!check_regions() || !check_free())
		return false;
	for (int i = 0; i < nops; i++) {
		/* Stay clear of the region limit; that has its own test. */
		if (bootmem_nr_reserved() > BOOTMEM_MAX_REGIONS - 8)
			break;
		if (!random_op() || !check_regions() || !check_free())
			return false;
		(*done)++;
	}
	return true;
}

TEST(random_ops_match_model)
{
	static const struct {
		u64 world;
		int rounds, ops;
	} plan[] = {
		{64 << 10, 20, 200},
		{256 << 10, 10, 150},
		{1 << 20, 3, 100},
		{ARENA_SIZE, 1, 25},
	};
	int done = 0, rounds = 0, diverged = 0;

	for (size_t k = 0; k < ARRAY_SIZE(plan); k++) {
		for (int i = 0; i < plan[k].rounds; i++) {
			report_details = diverged < 5;
			rounds++;
			if (!run_round(plan[k].world, plan[k].ops, &done))
				diverged++;
		}
	}
	if (diverged)
		fprintf(stderr, "  %d of %d rounds diverged from the model\n",
			diverged, rounds);
	fprintf(stderr,
		"  # %d random operations checked: %d allocations, %d "
		"refused (%d of them panics)\n",
		done, n_allocated, n_refused, n_panics);
	CHECK_EQ(diverged, 0);
	/* Enough ground covered (when the model was not left behind). */
	if (!diverged) {
		CHECK(done > 3000);
		CHECK(n_allocated > 1000 && n_panics > 50);
	}
	bootmem_reset();
}

/* ---- the corners, one at a time ---- */

TEST(basic_allocation_order)
{
	void *p, *q;

	fresh();
	bootmem_add_memory(0x1000, 0x3000);
	CHECK_EQ(bootmem_free_bytes(), 0x3000);
	p = __alloc_bootmem(100, 8, 0);
	CHECK_EQ(__pa(p), 0x1000);
	CHECK(all_zero(p, 100));
	/* An odd size: the next block starts on the next multiple of 8. */
	q = __alloc_bootmem(8, 1, 0);
	CHECK_EQ(__pa(q), 0x1068);
	/* The 4 bytes in between stay free and are counted. */
	CHECK_EQ(bootmem_free_bytes(), 0x3000 - 108);
	CHECK_EQ(bootmem_nr_reserved(), 2);
	/* Too small for the gap even at align 4: lands right after q. */
	CHECK_EQ(__pa(__alloc_bootmem(4, 4, 0)), 0x1070);
	/* Adjacent and the same name: one "bootmem" region. */
	CHECK_EQ(bootmem_nr_reserved(), 2);
	CHECK(find_reserved(0x1068, 0xc) != NULL);
	CHECK_STR(res_at(1)->name, "bootmem");
	/* Page alignment, goal respected, goal too high falls back. */
	CHECK_EQ(__pa(__alloc_bootmem(16, PAGE_SIZE, 0)), 0x2000);
	CHECK_EQ(__pa(__alloc_bootmem(16, 16, 0x2800)), 0x2800);
	CHECK_EQ(__pa(__alloc_bootmem(16, 16, 0x100000)), 0x1080);
	CHECK(__alloc_bootmem_nopanic(0x3000, 8, 0) == NULL);
	CHECK(__alloc_bootmem_nopanic(0, 8, 0) == NULL);
	CHECK(__alloc_bootmem_nopanic(8, 3, 0) == NULL);
	bootmem_reset();
}

TEST(zeroes_what_it_hands_out)
{
	unsigned char *p;

	fresh();
	bootmem_add_memory(0x10000, 0x10000);
	p = alloc_bootmem(0x1000);
	CHECK(p && all_zero(p, 0x1000));
	memset(p, 0xff, 0x1000);
	free_bootmem(__pa(p), 0x1000);
	p = alloc_bootmem_pages(0x1000);
	CHECK(p && all_zero(p, 0x1000));
	/* bootmem_alloc_phys() does not zero, as documented. */
	memset(p, 0xee, 0x1000);
	free_bootmem(__pa(p), 0x1000);
	CHECK_EQ(bootmem_alloc_phys(0x1000, PAGE_SIZE, 0, NO_LIMIT, "pt"),
		 0x10000);
	CHECK_EQ((unsigned char)arena[0x10000], 0xee);
	bootmem_reset();
}

TEST(never_hands_out_address_zero)
{
	fresh();
	bootmem_add_memory(0, 0x2000);
	CHECK_EQ(bootmem_alloc_phys(8, 8, 0, NO_LIMIT, NULL), 8);
	free_bootmem(0, 0x2000);
	CHECK_EQ(bootmem_alloc_phys(8, PAGE_SIZE, 0, NO_LIMIT, NULL), 0x1000);
	free_bootmem(0, 0x2000);
	CHECK_EQ(__pa(__alloc_bootmem(0x1000, 0, 0)), 8);
	free_bootmem(0, 0x2000);
	/* Only page 0 would fit an aligned 2-page block: nothing. */
	CHECK_EQ(bootmem_alloc_phys(0x2000, PAGE_SIZE, 0, NO_LIMIT, NULL), 0);
	CHECK_EQ(bootmem_free_bytes(), 0x2000);
	bootmem_reset();
}

TEST(phys_respects_min_and_max)
{
	fresh();
	bootmem_add_memory(0x1000, 0xf000);
	/* [min, max) is the window; the block must end by max. */
	CHECK_EQ(bootmem_alloc_phys(0x1000, 0x1000, 0x3000, 0x5000, NULL),
		 0x3000);
	CHECK_EQ(bootmem_alloc_phys(0x1000, 0x1000, 0x3000, 0x5000, NULL),
		 0x4000);
	CHECK_EQ(bootmem_alloc_phys(0x1000, 0x1000, 0x3000, 0x5000, NULL), 0);
	CHECK_EQ(bootmem_alloc_phys(0x800, 8, 0x3000, 0x5800, NULL), 0x5000);
	CHECK_EQ(bootmem_alloc_phys(8, 8, 0x9000, 0x9000, NULL), 0);
	CHECK_EQ(bootmem_alloc_phys(8, 8, 0x9000, 0x8000, NULL), 0);
	/* Bottom-up: below min is never used even if free. */
	CHECK_EQ(bootmem_alloc_phys(8, 8, 0xf000, NO_LIMIT, NULL), 0xf000);
	CHECK(!any_reserved(0x1000, 0x3000));
	bootmem_reset();
}

TEST(direct_limit_caps_everything)
{
	fresh();
	bootmem_add_memory(0x1000, 0x1f000);
	bootmem_set_limits(0x4000, 0x8000);
	CHECK_EQ(bootmem_low_limit(), 0x4000);
	CHECK_EQ(bootmem_direct_limit(), 0x8000);
	/* A goal above the direct limit falls back to the bottom. */
	CHECK_EQ(__pa(__alloc_bootmem(0x1000, PAGE_SIZE, 0x10000)), 0x1000);
	CHECK_EQ(__pa(alloc_bootmem_pages(0x1000)), 0x4000);
	CHECK_EQ(__pa(alloc_bootmem_pages(0x1000)), 0x5000);
	CHECK_EQ(__pa(alloc_bootmem_low_pages(0x1000)), 0x2000);
	CHECK_EQ(__pa(alloc_bootmem_low_pages(0x1000)), 0x3000);
	CHECK(__alloc_bootmem_nopanic(0x3000, PAGE_SIZE, 0) == NULL);
	CHECK_EQ(__pa(__alloc_bootmem_nopanic(0x2000, PAGE_SIZE, 0)), 0x6000);
	/* Memory above the limit stays free. */
	CHECK_EQ(bootmem_free_bytes(), 0x18000);
	CHECK_EQ(bootmem_largest_free(0x8000), 0);
	CHECK_EQ(bootmem_largest_free(NO_LIMIT), 0x18000);
	bootmem_reset();
	CHECK_EQ(bootmem_low_limit(), 0);
	CHECK_EQ(bootmem_direct_limit(), NO_LIMIT);
}

TEST(tagged_allocations_carry_their_name)
{
	void *p;

	fresh();
	bootmem_add_memory(0x1000, 0x1f000);
	bootmem_set_limits(0x8000, NO_LIMIT);
	p = alloc_bootmem_tagged(0x2000, PAGE_SIZE, "mem_map");
	CHECK_EQ(__pa(p), 0x8000);
	CHECK(p && all_zero(p, 0x2000));
	CHECK(find_reserved(0x8000, 0x2000) != NULL);
	CHECK(find_reserved(0x8000, 0x2000) &&
	      !strcmp(find_reserved(0x8000, 0x2000)->name, "mem_map"));
	/* The same tag next door: one region. */
	CHECK_EQ(__pa(alloc_bootmem_tagged(0x1000, PAGE_SIZE, "mem_map")),
		 0xa000);
	CHECK(find_reserved(0x8000, 0x3000) != NULL);
	/* Another tag next door: a region of its own. */
	CHECK_EQ(__pa(alloc_bootmem_tagged(0x1000, 0, "page tables")), 0xb000);
	CHECK_EQ(bootmem_nr_reserved(), 2);
	CHECK_STR(res_at(1)->name, "page tables");
	/* Nothing above the low limit: falls back below it. */
	reserve_bootmem(0xc000, 0x14000, "firmware");
	CHECK_EQ(__pa(alloc_bootmem_tagged(0x1000, PAGE_SIZE, "x")), 0x1000);
	/* Nothing at all: panics like alloc_bootmem. */
	CHECK(HOST_PANICS(alloc_bootmem_tagged(0x8000, PAGE_SIZE, "y")));
	CHECK(strstr(host_panic_msg, "32768 bytes (align 4096)") != NULL);
	CHECK_EQ(bootmem_nr_reserved(), 4);
	CHECK_EQ(bootmem_free_bytes(), 0x6000);
	bootmem_reset();
}

static const struct kernel_param *find_param(const char *name)
{
	for (const struct kernel_param *kp = __start_pagoda_params;
	     kp < __stop_pagoda_params; kp++) {
		if (strcmp(kp->name, name) == 0)
			return kp;
	}
	return NULL;
}

TEST(mem_param_caps_ram)
{
	const struct kernel_param *kp = find_param("mem");

	CHECK(kp != NULL);
	if (!kp)
		return;
	CHECK(kp->early);
	fresh();
	CHECK_EQ(kp->set(NULL), -EINVAL);
	CHECK_EQ(kp->set("lots"), -EINVAL);
	CHECK_EQ(kp->set("8M"), -ERANGE);
	CHECK_EQ(kp->set("24M"), 0);
	/* Counted in the order RAM is added, not by address. */
	bootmem_add_memory(0x2000000, 0x1000000); /* 16 MiB at 32 MiB */
	bootmem_add_memory(0x100000, 0x1000000); /* only 8 MiB of this */
	bootmem_add_memory(0x3000000, 0x1000000); /* none of this */
	CHECK_EQ(bootmem_memory_bytes(), 24 << 20);
	CHECK_EQ(bootmem_nr_memory(), 2);
	CHECK_EQ(mem_at(0)->base, 0x100000);
	CHECK_EQ(mem_at(0)->size, 0x800000);
	CHECK_EQ(mem_at(1)->base, 0x2000000);
	/* bootmem_reset() forgets the limit. */
	bootmem_reset();
	bootmem_add_memory(0x100000, 0x3f00000);
	CHECK_EQ(bootmem_memory_bytes(), 0x3f00000);
	bootmem_reset();
}

TEST(register_iomem_adds_each_ram_region)
{
	fresh();
	bootmem_add_memory(0x1000, 0x9e000);
	bootmem_add_memory(0x100000, 0x3f00000);
	reserve_bootmem(0x100000, 0x100000, "Kernel image");
	niomem_calls = 0;
	bootmem_register_iomem();
	if (niomem_calls == 0 && iomem_lookup) {
		/* The real iomem_add() is linked. */
		struct resource *r = iomem_lookup(0x1000);

		CHECK(r && r->start == 0x1000 && r->end == 0x9efff);
		r = iomem_lookup(0x3ffffff);
		CHECK(r && r->start == 0x100000 && r->end == 0x3ffffff);
		CHECK(r && strcmp(r->name, "System RAM") == 0);
		bootmem_reset();
		return;
	}
	CHECK_EQ(niomem_calls, 2);
	CHECK_EQ(iomem_calls[0].start, 0x1000);
	CHECK_EQ(iomem_calls[0].size, 0x9e000);
	CHECK_STR(iomem_calls[0].name, "System RAM");
	CHECK_EQ(iomem_calls[1].start, 0x100000);
	CHECK_EQ(iomem_calls[1].size, 0x3f00000);
	CHECK_STR(iomem_calls[1].name, "System RAM");
	bootmem_reset();
}

TEST(memory_ranges_merge)
{
	fresh();
	bootmem_add_memory(0x10000, 0x1000);
	bootmem_add_memory(0x30000, 0x1000);
	bootmem_add_memory(0x20000, 0x1000);
	CHECK_EQ(bootmem_nr_memory(), 3);
	CHECK_EQ(mem_at(0)->base, 0x10000);
	CHECK_EQ(mem_at(1)->base, 0x20000);
	CHECK_EQ(mem_at(2)->base, 0x30000);
	CHECK(bootmem_memory(3) == NULL);
	CHECK(bootmem_memory(-1) == NULL);
	/* Touching the first, overlapping the second: one region. */
	bootmem_add_memory(0x11000, 0xf800);
	CHECK_EQ(bootmem_nr_memory(), 2);
	CHECK_EQ(mem_at(0)->base, 0x10000);
	CHECK_EQ(mem_at(0)->size, 0x11000);
	/* Covering everything. */
	bootmem_add_memory(0x8000, 0x40000);
	CHECK_EQ(bootmem_nr_memory(), 1);
	CHECK_EQ(bootmem_memory_bytes(), 0x40000);
	/* Nothing for a zero size. */
	bootmem_add_memory(0x100000, 0);
	CHECK_EQ(bootmem_nr_memory(), 1);
	/* A size running past the top is clipped, not wrapped. */
	bootmem_add_memory(~(phys_addr_t)0 - 0xfff, 0x2000);
	CHECK_EQ(bootmem_nr_memory(), 2);
	CHECK_EQ(mem_at(1)->base + mem_at(1)->size, NO_LIMIT);
	bootmem_reset();
}

TEST(reservations_merge_by_name)
{
	static char copy[] = "a";

	fresh();
	bootmem_add_memory(0, 0x100000);
	reserve_bootmem(0x1000, 0x1000, "a");
	reserve_bootmem(0x2000, 0x1000, "a");
	CHECK_EQ(bootmem_nr_reserved(), 1);
	CHECK(find_reserved(0x1000, 0x2000) != NULL);
	/* Same name, overlapping: still one. */
	reserve_bootmem(0x2800, 0x1000, "a");
	CHECK_EQ(bootmem_nr_reserved(), 1);
	CHECK(find_reserved(0x1000, 0x2800) != NULL);
	/* Another name, adjacent: kept apart so /proc/bootmem names both. */
	reserve_bootmem(0x3800, 0x800, "b");
	CHECK_EQ(bootmem_nr_reserved(), 2);
	CHECK_STR(res_at(1)->name, "b");
	/* No name is "reserved". */
	reserve_bootmem(0x8000, 0x1000, NULL);
	CHECK_STR(res_at(2)->name, "reserved");
	/* An equal string at another address is the same name. */
	reserve_bootmem(0x3800 - 0x2800, 0x1800, copy);
	CHECK_EQ(bootmem_nr_reserved(), 3);
	CHECK(find_reserved(0x1000, 0x2800) != NULL);
	CHECK_EQ(bootmem_free_bytes(), 0x100000 - 0x3000 - 0x1000);
	bootmem_reset();
}

TEST(free_trims_and_splits)
{
	fresh();
	bootmem_add_memory(0, 0x100000);
	reserve_bootmem(0x10000, 0x10000, "a");
	free_bootmem(0x14000, 0x1000);
	CHECK_EQ(bootmem_nr_reserved(), 2);
	CHECK(find_reserved(0x10000, 0x4000) != NULL);
	CHECK(find_reserved(0x15000, 0xb000) != NULL);
	CHECK_STR(res_at(1)->name, "a");
	free_bootmem(0xf000, 0x2000);
	CHECK(find_reserved(0x11000, 0x3000) != NULL);
	free_bootmem(0x1f000, 0x2000);
	CHECK(find_reserved(0x15000, 0xa000) != NULL);
	free_bootmem(0, 0x100000);
	CHECK_EQ(bootmem_nr_reserved(), 0);
	CHECK_EQ(bootmem_free_bytes(), 0x100000);
	/* Freeing what is not reserved changes nothing. */
	reserve_bootmem(0x10000, 0x1000, "a");
	free_bootmem(0x20000, 0x1000);
	CHECK_EQ(bootmem_nr_reserved(), 1);
	bootmem_reset();
}

/*
 * Reserved regions with different names may overlap (a firmware range
 * around a smaller named one); free_bootmem() documents that it cuts the
 * range out of every reserved region it touches.
 */
TEST(free_cuts_every_overlapping_region)
{
	phys_addr_t s, e;
	u64 cursor = 0;

	fresh();
	bootmem_add_memory(0, 0x100000);
	reserve_bootmem(0x10000, 0x10000, "firmware");
	reserve_bootmem(0x14000, 0x2000, "Kernel image");
	free_bootmem(0x12000, 0x6000);
	CHECK(!any_reserved(0x12000, 0x18000));
	CHECK_EQ(bootmem_free_bytes(), 0x100000 - 0xa000);
	CHECK(bootmem_next_free(&cursor, &s, &e));
	CHECK(bootmem_next_free(&cursor, &s, &e));
	CHECK_EQ(s, 0x12000);
	CHECK_EQ(e, 0x18000);
	for (int i = 1; i < bootmem_nr_reserved(); i++)
		CHECK(res_at(i)->base >= res_at(i - 1)->base);
	bootmem_reset();
}

TEST(next_free_skips_overlapping_reservations)
{
	phys_addr_t s, e;
	u64 cursor = 0;

	fresh();
	bootmem_add_memory(0x1000, 0xf000);
	bootmem_add_memory(0x20000, 0x10000);
	reserve_bootmem(0x1000, 0x3000, "firmware");
	reserve_bootmem(0x2000, 0x4000, "initrd");
	reserve_bootmem(0x5000, 0x1000, "bootmem");
	reserve_bootmem(0x8000, 0x1000, "x");
	reserve_bootmem(0xf000, 0x12000, "y");
	CHECK(bootmem_next_free(&cursor, &s, &e));
	CHECK_EQ(s, 0x6000);
	CHECK_EQ(e, 0x8000);
	CHECK(bootmem_next_free(&cursor, &s, &e));
	CHECK_EQ(s, 0x9000);
	CHECK_EQ(e, 0xf000);
	CHECK(bootmem_next_free(&cursor, &s, &e));
	CHECK_EQ(s, 0x21000);
	CHECK_EQ(e, 0x30000);
	CHECK(!bootmem_next_free(&cursor, &s, &e));
	CHECK_EQ(bootmem_free_bytes(), 0x2000 + 0x6000 + 0xf000);
	CHECK_EQ(bootmem_largest_free(NO_LIMIT), 0xf000);
	CHECK_EQ(bootmem_largest_free(0x24000), 0x6000);
	CHECK_EQ(bootmem_largest_free(0x7000), 0x1000);
	CHECK_EQ(bootmem_largest_free(0), 0);
	bootmem_reset();
}

/* ---- failures ---- */

TEST(too_big_panics_with_sizes)
{
	char s[128];
	bool panicked;

	fresh();
	bootmem_add_memory(0x1000, 0x7000);
	reserve_bootmem(0x3000, 0x1000, "Kernel image");
	panicked = HOST_PANICS(__alloc_bootmem(0x5000, PAGE_SIZE, 0));
	CHECK(panicked);
	CHECK(strstr(host_panic_msg, "out of memory") != NULL);
	CHECK(strstr(host_panic_msg, "20480 bytes (align 4096)") != NULL);
	snprintf(s, sizeof(s), "free: %d bytes in all, largest range %d bytes",
		 0x6000, 0x4000);
	CHECK(strstr(host_panic_msg, s) != NULL);
	if (!panicked || !strstr(host_panic_msg, s))
		fprintf(stderr, "  panic message: %s\n", host_panic_msg);
	/* Nothing was reserved by the failed attempt. */
	CHECK_EQ(bootmem_nr_reserved(), 1);
	CHECK_EQ(bootmem_free_bytes(), 0x6000);
	/* Fits in total but not in one piece: same panic. */
	CHECK(HOST_PANICS(alloc_bootmem(0x4800)));
	CHECK(strstr(host_panic_msg, "18432 bytes") != NULL);
	/* And one that fits does not panic. */
	CHECK(!HOST_PANICS(alloc_bootmem(0x4000)));
	bootmem_reset();
}

TEST(low_panics_when_nothing_is_low)
{
	bool panicked;

	fresh();
	bootmem_add_memory(0x100000, 0x100000);
	bootmem_set_limits(0x100000, NO_LIMIT);
	panicked = HOST_PANICS(alloc_bootmem_low(64));
	CHECK(panicked);
	CHECK(strstr(host_panic_msg, "64 bytes") != NULL);
	CHECK(strstr(host_panic_msg, "below 0x100000") != NULL);
	CHECK(strstr(host_panic_msg, "largest range 0 bytes") != NULL);
	/* ... while the ordinary allocator is happy. */
	CHECK_EQ(__pa(alloc_bootmem(64)), 0x100000);
	/* No low limit set at all: nothing is low. */
	bootmem_set_limits(0, NO_LIMIT);
	CHECK(HOST_PANICS(__alloc_bootmem_low(8, 8)));
	/* The direct limit caps the low one. */
	bootmem_add_memory(0x1000, 0x1000);
	bootmem_set_limits(0x100000, 0x1800);
	CHECK(HOST_PANICS(__alloc_bootmem_low(0x1000, 8)));
	CHECK_EQ(__pa(__alloc_bootmem_low(0x800, 8)), 0x1000);
	bootmem_reset();
}

TEST(retire_refuses_everything)
{
	int nres;
	phys_addr_t free;

	fresh();
	bootmem_add_memory(0x1000, 0xff000);
	bootmem_set_limits(0x80000, NO_LIMIT);
	reserve_bootmem(0x1000, 0x1000, "firmware");
	nres = bootmem_nr_reserved();
	free = bootmem_free_bytes();
	CHECK(!bootmem_retired());
	bootmem_retire();
	CHECK(bootmem_retired());

	host_log_clear();
	CHECK(__alloc_bootmem_nopanic(64, 8, 0) == NULL);
	CHECK(host_log_contains("bootmem: allocation of 64 bytes after the "
				"page allocator took over memory; refused"));
	host_log_clear();
	CHECK(!HOST_PANICS(CHECK(__alloc_bootmem(128, 8, 0) == NULL)));
	CHECK(host_log_contains("allocation of 128 bytes"));
	host_log_clear();
	CHECK(!HOST_PANICS(CHECK(alloc_bootmem_low_pages(4096) == NULL)));
	CHECK(host_log_contains("allocation of 4096 bytes"));
	host_log_clear();
	CHECK_EQ(bootmem_alloc_phys(256, 8, 0, NO_LIMIT, "pt"), 0);
	CHECK(host_log_contains("allocation of 256 bytes"));

	CHECK_EQ(bootmem_nr_reserved(), nres);
	CHECK_EQ(bootmem_free_bytes(), free);
	bootmem_reset();
	CHECK(!bootmem_retired());
	bootmem_add_memory(0x1000, 0x1000);
	CHECK(alloc_bootmem(8) != NULL);
	bootmem_reset();
}

static const char *numbered_name(int i)
{
	static char buf[BOOTMEM_MAX_REGIONS + 2][16];

	snprintf(buf[i], sizeof(buf[i]), "r%d", i);
	return buf[i];
}

TEST(full_reserved_array_panics)
{
	int i;
	bool panicked;

	fresh();
	bootmem_add_memory(0, 0x1000000);
	for (i = 0; i < BOOTMEM_MAX_REGIONS; i++)
		reserve_bootmem(0x1000 * (phys_addr_t)(2 * i + 1), 0x1000,
				numbered_name(i));
	CHECK_EQ(bootmem_nr_reserved(), BOOTMEM_MAX_REGIONS);
	panicked = HOST_PANICS(
		reserve_bootmem(0x800000, 0x1000, numbered_name(i)));
	CHECK(panicked);
	CHECK(strstr(host_panic_msg, "more than 128 reserved regions") != NULL);
	CHECK(strstr(host_panic_msg, "0x800000") != NULL);
	/* The array is intact. */
	CHECK_EQ(bootmem_nr_reserved(), BOOTMEM_MAX_REGIONS);
	for (i = 0; i < BOOTMEM_MAX_REGIONS; i++) {
		const struct bootmem_region *r = bootmem_reserved(i);

		CHECK_EQ(r->base, 0x1000 * (phys_addr_t)(2 * i + 1));
		CHECK_EQ(r->size, 0x1000);
		CHECK_STR(r->name, numbered_name(i));
	}
	/* A free that trims needs no slot; one that splits does. */
	CHECK(!HOST_PANICS(free_bootmem(0x1000, 0x800)));
	CHECK(HOST_PANICS(free_bootmem(0x5400, 0x400)));
	CHECK(strstr(host_panic_msg, "more than 128 reserved regions") != NULL);
	/* And an allocation that would need a new region. */
	CHECK(HOST_PANICS(bootmem_alloc_phys(0x1000, PAGE_SIZE, 0x400000,
					     NO_LIMIT, "new")));
	CHECK_EQ(bootmem_nr_reserved(), BOOTMEM_MAX_REGIONS);
	bootmem_reset();
}

TEST(full_memory_array_panics)
{
	int i;

	fresh();
	for (i = 0; i < BOOTMEM_MAX_REGIONS; i++)
		bootmem_add_memory(0x2000 * (phys_addr_t)i, 0x1000);
	CHECK_EQ(bootmem_nr_memory(), BOOTMEM_MAX_REGIONS);
	CHECK(HOST_PANICS(bootmem_add_memory(0x2000 * (phys_addr_t)i, 0x1000)));
	CHECK(strstr(host_panic_msg, "more than 128 memory regions") != NULL);
	CHECK_EQ(bootmem_nr_memory(), BOOTMEM_MAX_REGIONS);
	CHECK_EQ(bootmem_memory_bytes(), BOOTMEM_MAX_REGIONS * 0x1000);
	for (i = 0; i < BOOTMEM_MAX_REGIONS; i++)
		CHECK_EQ(mem_at(i)->base, 0x2000 * (phys_addr_t)i);
	bootmem_reset();
}

/* ---- /proc/bootmem ---- */

static const char *show(const char *name)
{
	const char *text = host_proc_show(name);

	CHECK(text != NULL); /* the table exists and fits the buffer */
	return text ? text : "";
}

TEST(proc_bootmem)
{
	const char *want;

	fresh();
	bootmem_add_memory(0x1000, 0x9e000);
	bootmem_add_memory(0x100000, 0x3f00000);
	bootmem_add_memory(0x2000000, 0x1000000); /* already there */
	reserve_bootmem(0x100000, 0x200000, "Kernel image");
	reserve_bootmem(0x3000000, 0x80401, "initrd");
	reserve_bootmem(0x9e000, 0x1000, "firmware");
	bootmem_set_limits(0x1000000, 0x3800000);
	CHECK_EQ(bootmem_alloc_phys(0x2000, PAGE_SIZE, 0x100000, NO_LIMIT,
				    "page tables"),
		 0x300000);
	CHECK_EQ(__pa(alloc_bootmem_pages(0x1000)), 0x1000000);

	want = "memory (2 regions, 65144 KiB):\n"
	       "  0x0000001000-0x000009efff        632 KiB\n"
	       "  0x0000100000-0x0003ffffff      64512 KiB\n"
	       "reserved (5 regions):\n"
	       "  0x000009e000-0x000009efff          4 KiB  firmware\n"
	       "  0x0000100000-0x00002fffff       2048 KiB  Kernel image\n"
	       "  0x0000300000-0x0000301fff          8 KiB  page tables\n"
	       "  0x0001000000-0x0001000fff          4 KiB  bootmem\n"
	       "  0x0003000000-0x0003080400        514 KiB  initrd\n"
	       "free: 62566 KiB\n";
	CHECK_STR(show("bootmem"), want);

	bootmem_retire();
	CHECK(strstr(show("bootmem"),
		     "free: 62566 KiB (handed to the page allocator)\n") !=
	      NULL);

	bootmem_reset();
	CHECK_STR(show("bootmem"), "memory (0 regions, 0 KiB):\n"
				   "reserved (0 regions):\n"
				   "free: 0 KiB\n");
}

TEST_MAIN()
