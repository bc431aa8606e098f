/*
 * The slab layer against the malloc()s of the host: mm/slab.c and
 * mm/kmalloc.c built for the host (-O2, no sanitizers,
 * tools/bench/bench.mk) on the page allocator, on a 1 GiB fake physical
 * arena laid out like i386, as tools/bench/bench_page_alloc.c does it.
 *
 * Speed, in ns per alloc+free, for 32, 64, 256 and 1024 byte objects:
 *  - pair: allocate one object, free it at once, repeat;
 *  - batch: 1000 allocations, then the 1000 frees in the same order
 *    (the figure is the time of the round / 1000).
 * Between alloc and free the loop writes 0 to the object's first word,
 * as every caller initialises what it allocates; the rest of the object
 * is never touched.
 * Five allocators run in the same process and the same run, their
 * repeats interleaved so that slow drifts of the machine hit them all:
 *  - cache:    kmem_cache_alloc(s, GFP_KERNEL) / kmem_cache_free(s, p)
 *              on a cache created for exactly that size;
 *  - kmalloc:  kmalloc(size, GFP_KERNEL) / kfree(p);
 *  - glibc:    __libc_malloc / __libc_free, the functions glibc's own
 *              malloc and free are aliases of;
 *  - jemalloc: libjemalloc's own malloc and free, taken with dlsym() from
 *              the handle of the linked library. (Its mallocx/dallocx
 *              take a slower, general path: it would flatter Pagoda.)
 *  - mimalloc: mi_malloc / mi_free (libmimalloc's malloc and free are
 *              the same functions).
 * Only glibc's malloc is the process's malloc: the libraries are linked
 * after libc (bench.mk), and the program says where "malloc" resolved.
 * Each figure is the median of 5 runs of at least 100 ms (10 ms with
 * --quick), clock_gettime(CLOCK_MONOTONIC). The goal is Pagoda at most
 * 1.0x the best of glibc, jemalloc and mimalloc in each cell; the ratios
 * come from the same run. Two more Pagoda runs in every cell, cache-raw
 * and kmalloc-raw, leave the object unwritten: its first word then still
 * holds the free pointer it had while free, which is what the slab
 * layer's double-free check looks at.
 *
 * Waste: 100000 sizes drawn log-uniformly from 8 B to 8 KiB (fixed seed)
 * are kmalloc'ed for real; Pagoda's bytes are ksize() (checked against
 * kmalloc_size_class()), Linux's are the same sizes rounded up to
 * Linux's kmalloc classes (8, 16, 32, 64, 96, 128, 192, then powers of
 * two to 8192). The goal: Pagoda's waste at most 0.8x Linux's. Then the
 * slab overheads: each kmalloc cache's slab leftover, the structures'
 * sizes, and the bytes per object each debug option adds.
 *
 * --callgrind runs every cell of every allocator once, a fixed number of
 * pairs each, inside bench_measured(), for valgrind --tool=callgrind
 * --toggle-collect=bench_measured --dump-after=bench_measured
 * (tools/bench/bench_slab_callgrind.sh reads the dumps). --alloc,
 * --pattern and --size pick cells, for a profiler (perf record).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <math.h>
#include <pagoda/bootmem.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../../mm/slab.h"
#include "bench_util.h"
#include "shim.h"

#define ARENA	     (1UL << 30)
#define LOW_LIMIT    (16UL << 20)
#define DIRECT_LIMIT (896UL << 20)
#define BATCH	     1000
#define REPEATS	     5
#define TRACE_LEN    100000
#define TRACE_SEED   0x5eed2007ULL
#define TRACE_MIN    8
#define TRACE_MAX    8192

/* glibc's malloc and free under names no other library takes. */
extern void *__libc_malloc(size_t size);
extern void __libc_free(void *p);
/* mimalloc, if it was linked (bench.mk links what is installed). */
extern void *mi_malloc(size_t size) __attribute__((weak));
extern void mi_free(void *p) __attribute__((weak));
extern int mi_version(void) __attribute__((weak));

static void *(*je_malloc)(size_t size);
static void (*je_free)(void *p);

static const unsigned int sizes[] = {32, 64, 256, 1024};
#define NR_SIZES ARRAY_SIZE(sizes)

enum pattern { PAT_PAIR, PAT_BATCH, NR_PATTERNS };
static const char *const pattern_names[NR_PATTERNS] = {"pair", "batch"};

struct cell {
	enum pattern pat;
	unsigned int size;
	struct kmem_cache *cache; /* the "bench-<size>" cache */
};

struct allocator {
	const char *name;
	const char *entry; /* the entry points, as printed */
	bool present;
	void (*pairs)(const struct cell *c, long n);
	void (*batch)(const struct cell *c, long rounds);
};

static void *batch_objs[BATCH];
static double target_ns = 100e6;

static __noinline __noreturn void die(const char *what)
{
	fprintf(stderr, "bench_slab: %s\n", what);
	fputs(host_log(), stderr);
	exit(1);
}

/* The pointer escapes: no compiler may drop the alloc+free pair. */
#define hide(p) __asm__ volatile("" : "+r"(p) : : "memory")

/*
 * The timed loops, one pair per allocator, each with direct calls (or,
 * for jemalloc, a call through a pointer, as a PLT call is).
 */
#define DEFINE_LOOPS(name, ALLOC, FREE, TOUCH)                                 \
	static __noinline void name##_pairs(const struct cell *c, long n)      \
	{                                                                      \
		struct kmem_cache *s = c->cache;                               \
		size_t size = c->size;                                         \
                                                                               \
		for (long i = 0; i < n; i++) {                                 \
			void *p = ALLOC;                                       \
                                                                               \
			if (unlikely(!p))                                      \
				die("allocation failed");                      \
			TOUCH;                                                 \
			hide(p);                                               \
			FREE;                                                  \
		}                                                              \
		(void)s;                                                       \
		(void)size;                                                    \
	}                                                                      \
	static __noinline void name##_batch(const struct cell *c, long rounds) \
	{                                                                      \
		struct kmem_cache *s = c->cache;                               \
		size_t size = c->size;                                         \
                                                                               \
		for (long r = 0; r < rounds; r++) {                            \
			for (int i = 0; i < BATCH; i++) {                      \
				void *p = ALLOC;                               \
                                                                               \
				if (unlikely(!p))                              \
					die("allocation failed");              \
				TOUCH;                                         \
				batch_objs[i] = p;                             \
			}                                                      \
			for (int i = 0; i < BATCH; i++) {                      \
				void *p = batch_objs[i];                       \
                                                                               \
				FREE;                                          \
			}                                                      \
		}                                                              \
		(void)s;                                                       \
		(void)size;                                                    \
	}

/* What a caller does with a new object: set its first word. */
#define WRITE_FIRST_WORD (*(volatile unsigned long *)p = 0)
#define UNTOUCHED	 ((void)0)

DEFINE_LOOPS(cache, kmem_cache_alloc(s, GFP_KERNEL), kmem_cache_free(s, p),
	     WRITE_FIRST_WORD)
DEFINE_LOOPS(kmalloc, kmalloc(size, GFP_KERNEL), kfree(p), WRITE_FIRST_WORD)
DEFINE_LOOPS(glibc, __libc_malloc(size), __libc_free(p), WRITE_FIRST_WORD)
DEFINE_LOOPS(jemalloc, je_malloc(size), je_free(p), WRITE_FIRST_WORD)
DEFINE_LOOPS(mimalloc, mi_malloc(size), mi_free(p), WRITE_FIRST_WORD)
DEFINE_LOOPS(cache_raw, kmem_cache_alloc(s, GFP_KERNEL), kmem_cache_free(s, p),
	     UNTOUCHED)
DEFINE_LOOPS(kmalloc_raw, kmalloc(size, GFP_KERNEL), kfree(p), UNTOUCHED)

enum {
	A_CACHE,
	A_KMALLOC,
	A_GLIBC,
	A_JEMALLOC,
	A_MIMALLOC,
	A_CACHE_RAW, /* the object never written: see bench_speed() */
	A_KMALLOC_RAW,
	NR_ALLOCS
};
#define NR_TABLE_ALLOCS (A_MIMALLOC + 1) /* the main table's columns */
#define NR_MALLOCS	(A_MIMALLOC - A_GLIBC + 1)

static struct allocator allocs[NR_ALLOCS] = {
	[A_CACHE] = {"cache", "kmem_cache_alloc(s, GFP_KERNEL)/kmem_cache_free",
		     true, cache_pairs, cache_batch},
	[A_KMALLOC] = {"kmalloc", "kmalloc(size, GFP_KERNEL)/kfree", true,
		       kmalloc_pairs, kmalloc_batch},
	[A_GLIBC] = {"glibc", "__libc_malloc/__libc_free", true, glibc_pairs,
		     glibc_batch},
	[A_JEMALLOC] = {"jemalloc",
			"malloc/free of libjemalloc.so.2, by dlsym(handle)",
			false, jemalloc_pairs, jemalloc_batch},
	[A_MIMALLOC] = {"mimalloc", "mi_malloc/mi_free", false, mimalloc_pairs,
			mimalloc_batch},
	[A_CACHE_RAW] = {"cache-raw", "as cache, the object never written",
			 true, cache_raw_pairs, cache_raw_batch},
	[A_KMALLOC_RAW] = {"kmalloc-raw",
			   "as kmalloc, the object never written", true,
			   kmalloc_raw_pairs, kmalloc_raw_batch},
};

/* n iterations (pairs, or rounds of BATCH); returns the pairs made. */
static long run(const struct allocator *a, const struct cell *c, long n)
{
	if (c->pat == PAT_BATCH) {
		a->batch(c, n);
		return n * BATCH;
	}
	a->pairs(c, n);
	return n;
}

static double time_run(const struct allocator *a, const struct cell *c, long n)
{
	double t0 = now_ns();
	long pairs = run(a, c, n);

	return (now_ns() - t0) / pairs;
}

/* Iterations that take at least target_ns. */
static long calibrate(const struct allocator *a, const struct cell *c)
{
	long n = 1;

	for (;;) {
		double t0 = now_ns(), t;

		run(a, c, n);
		t = now_ns() - t0;
		if (t >= target_ns / 10)
			return (long)(n * 1.2 * target_ns / t) + 1;
		n *= t < target_ns / 1000 ? 16 : 4;
	}
}

/* ---- setting up: Pagoda on its arena, the other allocators ---- */

static struct kmem_cache *bench_caches[NR_SIZES];

static void boot_pagoda(void)
{
	static char name[NR_SIZES][KMEM_CACHE_NAME_LEN];
	char *arena = aligned_alloc(1UL << 22, ARENA);

	if (!arena)
		die("cannot allocate the 1 GiB arena");
	host_log_clear();
	host_phys_base = arena;
	bootmem_reset();
	bootmem_add_memory(0, ARENA);
	reserve_bootmem(0, 1 << 20, "firmware");
	bootmem_set_limits(LOW_LIMIT, DIRECT_LIMIT);
	mem_init();
	kmem_cache_init();
	kmalloc_init();
	for (unsigned int i = 0; i < NR_SIZES; i++) {
		snprintf(name[i], sizeof(name[i]), "bench-%u", sizes[i]);
		bench_caches[i] =
			kmem_cache_create(name[i], sizes[i], 0, 0, NULL);
		if (!bench_caches[i])
			die("kmem_cache_create failed");
	}
}

static const char *lib_of(const void *fn)
{
	Dl_info di;
	const char *slash;

	if (!fn || !dladdr(fn, &di) || !di.dli_fname)
		return "?";
	slash = strrchr(di.dli_fname, '/');
	return slash ? slash + 1 : di.dli_fname;
}

static char je_version[64] = "?";

/*
 * jemalloc and mimalloc are there if bench.mk could link them. jemalloc's
 * malloc and free come from its handle: the process's malloc is glibc's.
 */
static void find_allocators(void)
{
	void *h = dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_NOLOAD);

	if (h) {
		int (*mallctl)(const char *, void *, size_t *, void *, size_t);
		const char *v;
		size_t len = sizeof(v);

		je_malloc = (void *(*)(size_t))dlsym(h, "malloc");
		je_free = (void (*)(void *))dlsym(h, "free");
		mallctl = (int (*)(const char *, void *, size_t *, void *,
				   size_t))dlsym(h, "mallctl");
		if (mallctl && !mallctl("version", &v, &len, NULL, 0))
			snprintf(je_version, sizeof(je_version), "%s", v);
		if (je_malloc && je_free &&
		    (void *)je_malloc != (void *)__libc_malloc &&
		    strstr(lib_of((void *)je_malloc), "jemalloc"))
			allocs[A_JEMALLOC].present = true;
	}
	allocs[A_MIMALLOC].present = mi_malloc && mi_free;
}

static void print_allocators(void)
{
	printf("allocators (all in this process, entry points called "
	       "directly):\n");
	for (int a = 0; a < NR_ALLOCS; a++) {
		const struct allocator *al = &allocs[a];

		printf("  %-8s %s", al->name, al->entry);
		if (a == A_GLIBC)
			printf(" (glibc %s)", gnu_get_libc_version());
		if (a == A_JEMALLOC && al->present)
			printf(" (jemalloc %s)", je_version);
		if (a == A_MIMALLOC && al->present)
			printf(" (mimalloc %d.%d.%d)", mi_version() / 100,
			       mi_version() / 10 % 10, mi_version() % 10);
		if (!al->present)
			printf(": NOT LINKED, skipped (apt-get install "
			       "lib%s-dev, then make bench-slab)",
			       al->name);
		printf("\n");
	}
	printf("  the process's malloc is %s's\n",
	       lib_of(dlsym(RTLD_DEFAULT, "malloc")));
}

static void print_header(bool quick)
{
	char model[128] = "";
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (f) {
		char line[256];

		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			if (!strncmp(line, "model name", 10) && colon) {
				snprintf(model, sizeof(model), "%s", colon + 2);
				model[strcspn(model, "\n")] = '\0';
				break;
			}
		}
		fclose(f);
	}
	printf("Pagoda slab benchmark (mm/slab.c, mm/kmalloc.c on the host, "
	       "-O2, no sanitizers)\n");
	printf("machine: nproc %ld%s%s\n", sysconf(_SC_NPROCESSORS_ONLN),
	       *model ? ", " : "", model);
	print_allocators();
	printf("each figure: median of %d runs of >= %.0f ms, "
	       "clock_gettime(CLOCK_MONOTONIC)%s;\n",
	       REPEATS, target_ns / 1e6, quick ? " (--quick)" : "");
	printf("the runs of all the allocators interleaved. Absolute times "
	       "are noisy; the\nratios, from the same run, are what "
	       "matters.\n\n");
}

/* Nothing reported, nothing left allocated in the caches measured. */
static void check_clean(void)
{
	for (unsigned int i = 0; i < NR_SIZES; i++) {
		void *p = kmalloc(sizes[i], GFP_KERNEL);
		struct kmem_cache *k = virt_to_cache(p);
		unsigned long active = k ? slab_active_objects(k) : 0;

		kfree(p);
		if (active != 1 || slab_active_objects(bench_caches[i]))
			die("objects left allocated after the benchmark");
	}
	if (host_log_contains("BUG") || host_log_contains("WARNING"))
		die("the slab layer reported a problem");
}

/* ---- speed ---- */

struct cell_result {
	double ns[NR_ALLOCS];
};

static void bench_cell(const struct cell *c, struct cell_result *res)
{
	double ns[NR_ALLOCS][REPEATS];
	long n[NR_ALLOCS];

	for (int a = 0; a < NR_ALLOCS; a++) {
		if (!allocs[a].present)
			continue;
		n[a] = calibrate(&allocs[a], c);
	}
	for (int r = 0; r < REPEATS; r++) {
		for (int a = 0; a < NR_ALLOCS; a++) {
			if (!allocs[a].present)
				continue;
			run(&allocs[a], c, c->pat == PAT_BATCH ? 1 : 1000);
			ns[a][r] = time_run(&allocs[a], c, n[a]);
		}
	}
	for (int a = 0; a < NR_ALLOCS; a++)
		res->ns[a] = allocs[a].present ? median(ns[a], REPEATS) : 0;
}

/* The best of glibc, jemalloc, mimalloc; its index in *who. */
static double best_other(const struct cell_result *res, int *who)
{
	double best = 0;

	for (int a = A_GLIBC; a <= A_MIMALLOC; a++) {
		if (allocs[a].present && (!best || res->ns[a] < best)) {
			best = res->ns[a];
			*who = a;
		}
	}
	return best;
}

/* The table's columns: cache kmalloc glibc jemalloc mimalloc. */
static const int col_width[NR_TABLE_ALLOCS] = {7, 7, 7, 8, 8};

static void bench_speed(void)
{
	struct cell_result res[NR_PATTERNS][NR_SIZES];
	int missed = 0, cells = 0, others = 0;
	char of[8];

	for (int a = A_GLIBC; a <= A_MIMALLOC; a++)
		others += allocs[a].present;
	snprintf(of, sizeof(of), "of %d", others);

	for (int p = 0; p < NR_PATTERNS; p++) {
		for (unsigned int i = 0; i < NR_SIZES; i++) {
			struct cell c = {p, sizes[i], bench_caches[i]};

			bench_cell(&c, &res[p][i]);
		}
	}
	printf("ns per alloc+free (pair: alloc, free, repeat; batch: 1000 "
	       "allocs, then 1000 frees;\nthe first word of each object "
	       "written once in between, as a caller does)\n");
	printf("  %-5s %5s %7s %7s %7s %8s %8s  %-8s %6s %6s  %s\n", "", "size",
	       "cache", "kmalloc", "glibc", "jemalloc", "mimalloc", "best",
	       "cache/", "kmal/", "goal <= 1.0x");
	printf("  %-5s %5s %7s %7s %7s %8s %8s  %-8s %6s %6s  %s\n", "", "", "",
	       "", "", "", "", of, "best", "best", "cache, kmalloc");
	for (int p = 0; p < NR_PATTERNS; p++) {
		for (unsigned int i = 0; i < NR_SIZES; i++) {
			const struct cell_result *r = &res[p][i];
			int who = A_GLIBC;
			double best = best_other(r, &who);
			double rc = r->ns[A_CACHE] / best;
			double rk = r->ns[A_KMALLOC] / best;

			printf("  %-5s %5u", pattern_names[p], sizes[i]);
			for (int a = 0; a < NR_TABLE_ALLOCS; a++) {
				if (allocs[a].present)
					printf(" %*.1f", col_width[a],
					       r->ns[a]);
				else
					printf(" %*s", col_width[a], "-");
			}
			printf("  %-8s %6.2f %6.2f  %s, %s\n", allocs[who].name,
			       rc, rk, rc <= 1.0 ? "met" : "NOT met",
			       rk <= 1.0 ? "met" : "NOT met");
			cells += 2;
			missed += (rc > 1.0) + (rk > 1.0);
		}
	}
	printf("goal (Pagoda at most 1.0x the best of glibc, jemalloc and "
	       "mimalloc in every cell):\n  %s: %d of %d met (%d cells, each "
	       "through the cache and through kmalloc)\n",
	       missed ? "NOT met" : "met", cells - missed, cells, cells / 2);
	if (others < NR_MALLOCS)
		printf("  INCOMPLETE: only %d of the three allocators ran (see "
		       "above)\n",
		       others);

	/*
	 * The same Pagoda runs with the object never written between alloc
	 * and free: what a free costs when the object's first word still
	 * holds the free pointer it had while it was free.
	 */
	printf("\nthe same, the object never written (Pagoda only; same "
	       "run):\n");
	printf("  %-5s %5s %9s %11s %10s %12s %10s %12s\n", "", "size",
	       "cache-raw", "kmalloc-raw", "cache-raw/", "kmalloc-raw/",
	       "cache-raw/", "kmalloc-raw/");
	printf("  %-5s %5s %9s %11s %10s %12s %10s %12s\n", "", "", "", "",
	       "cache", "kmalloc", "best", "best");
	for (int p = 0; p < NR_PATTERNS; p++) {
		for (unsigned int i = 0; i < NR_SIZES; i++) {
			const struct cell_result *r = &res[p][i];
			int who = A_GLIBC;
			double best = best_other(r, &who);

			printf("  %-5s %5u %9.1f %11.1f %10.2f %12.2f %10.2f "
			       "%12.2f\n",
			       pattern_names[p], sizes[i], r->ns[A_CACHE_RAW],
			       r->ns[A_KMALLOC_RAW],
			       r->ns[A_CACHE_RAW] / r->ns[A_CACHE],
			       r->ns[A_KMALLOC_RAW] / r->ns[A_KMALLOC],
			       r->ns[A_CACHE_RAW] / best,
			       r->ns[A_KMALLOC_RAW] / best);
		}
	}
	printf("\n");
}

/* ---- waste ---- */

/* Linux's kmalloc classes (x86, 4 KiB pages; KMALLOC_MIN_SIZE 8). */
static unsigned long linux_class(unsigned long size)
{
	static const unsigned int classes[] = {
		8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};

	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++) {
		if (size <= classes[i])
			return classes[i];
	}
	return 0;
}

static u64 rng_state = TRACE_SEED;

/* splitmix64: the same trace on every machine and libc. */
static u64 rng_next(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Log-uniform on [TRACE_MIN, TRACE_MAX]: P(size = k) ~ ln((k+1)/k). */
static unsigned long trace_size(void)
{
	double u = (rng_next() >> 11) * 0x1.0p-53;
	double lo = log(TRACE_MIN), hi = log(TRACE_MAX + 1);
	unsigned long size = (unsigned long)exp(lo + u * (hi - lo));

	return clamp(size, (unsigned long)TRACE_MIN, (unsigned long)TRACE_MAX);
}

#define NR_OCTAVES 10 /* [8, 16) ... [4096, 8192] */

struct waste {
	unsigned long n;
	double requested, pagoda, lnx, pagoda_slab;
};

static void waste_add(struct waste *w, unsigned long size, unsigned long pagoda,
		      unsigned long lnx, double pagoda_slab)
{
	w->n++;
	w->requested += size;
	w->pagoda += pagoda;
	w->lnx += lnx;
	w->pagoda_slab += pagoda_slab;
}

static void bench_waste(void)
{
	struct waste all = {0}, oct[NR_OCTAVES] = {{0}};
	double wp, wl;

	for (int i = 0; i < TRACE_LEN; i++) {
		unsigned long size = trace_size();
		void *p = kmalloc(size, GFP_KERNEL);
		struct kmem_cache *s = virt_to_cache(p);
		unsigned long got = ksize(p);
		int o = 0;

		if (!p || !s || got != kmalloc_size_class(size) || got < size)
			die("kmalloc, ksize and kmalloc_size_class disagree");
		while (o + 1 < NR_OCTAVES && size >= (16UL << o))
			o++;
		/* With the slab leftover shared out among the objects. */
		waste_add(&all, size, got, linux_class(size),
			  (double)(PAGE_SIZE << s->order) / s->objects);
		waste_add(&oct[o], size, got, linux_class(size), 0);
		kfree(p);
	}
	wp = (all.pagoda - all.requested) / all.requested;
	wl = (all.lnx - all.requested) / all.requested;
	printf("waste: %d sizes log-uniform on [%d, %d] B, seed %#llx, "
	       "%.0f B asked for in all\n",
	       TRACE_LEN, TRACE_MIN, TRACE_MAX, (unsigned long long)TRACE_SEED,
	       all.requested);
	printf("  %-34s %14s %10s %8s\n", "", "bytes", "allocated/", "waste");
	printf("  %-34s %14s %10s\n", "", "allocated", "requested");
	printf("  %-34s %14.0f %10.4f %7.2f%%\n", "Pagoda kmalloc (ksize)",
	       all.pagoda, all.pagoda / all.requested, 100 * wp);
	printf("  %-34s %14.0f %10.4f %7.2f%%\n", "Linux's classes, same trace",
	       all.lnx, all.lnx / all.requested, 100 * wl);
	printf("  %-34s %14.0f %10.4f %7.2f%%\n",
	       "Pagoda, slab leftover included", all.pagoda_slab,
	       all.pagoda_slab / all.requested,
	       100 * (all.pagoda_slab - all.requested) / all.requested);
	printf("goal (Pagoda's waste at most 0.8x Linux's): %.3fx, %s\n",
	       wp / wl, wp / wl <= 0.8 ? "met" : "NOT met");
	printf("  by size:  requests  Pagoda waste  Linux waste\n");
	for (int o = 0; o < NR_OCTAVES; o++) {
		char range[32];

		snprintf(range, sizeof(range), "%lu-%lu", 8UL << o,
			 o + 1 < NR_OCTAVES ? (16UL << o) - 1 : 8192UL);
		printf("  %-9s %8lu %12.2f%% %11.2f%%\n", range, oct[o].n,
		       100 * (oct[o].pagoda - oct[o].requested) /
			       oct[o].requested,
		       100 * (oct[o].lnx - oct[o].requested) /
			       oct[o].requested);
	}
	printf("\n");
}

/* ---- slab overheads ---- */

static void print_leftover(void)
{
	struct kmem_cache *s;
	unsigned long slab_sum = 0, left_sum = 0;

	printf("slab leftover: (PAGE_SIZE << order) %% slot size, per "
	       "slab, kmalloc caches\n");
	printf("  %-14s %5s %5s %7s %8s %8s\n", "cache", "slot", "order",
	       "objects", "leftover", "fraction");
	list_for_each_entry (s, &slab_caches, list) {
		unsigned long bytes = PAGE_SIZE << s->order;
		unsigned long left = bytes % s->size;

		if (strncmp(s->name, "kmalloc-", 8) &&
		    strcmp(s->name, "kmem_cache"))
			continue;
		printf("  %-14s %5u %5u %7u %8lu %7.2f%%\n", s->name, s->size,
		       s->order, s->objects, left, 100.0 * left / bytes);
		if (strcmp(s->name, "kmem_cache")) {
			slab_sum += bytes;
			left_sum += left;
		}
	}
	printf("  (the kmalloc caches: %lu bytes left over in %lu, one slab "
	       "of each)\n",
	       left_sum, slab_sum);
}

static void print_debug_overhead(void)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} dbg[] = {
		{"none", 0},
		{"F", SLAB_DEBUG_FREE},
		{"Z", SLAB_RED_ZONE},
		{"P", SLAB_POISON},
		{"U", SLAB_STORE_USER},
		{"FZPU", SLAB_DEBUG_FLAGS},
		{"owner", SLAB_OWNER},
	};

	printf("bytes per object added by slab debugging (s->size - "
	       "s->object_size):\n");
	printf("  %-6s", "size");
	for (unsigned int d = 0; d < ARRAY_SIZE(dbg); d++)
		printf(" %6s", dbg[d].name);
	printf("\n");
	for (unsigned int i = 0; i < NR_SIZES; i++) {
		printf("  %-6u", sizes[i]);
		for (unsigned int d = 0; d < ARRAY_SIZE(dbg); d++) {
			char name[KMEM_CACHE_NAME_LEN];
			struct kmem_cache *s;

			snprintf(name, sizeof(name), "dbg-%u-%s", sizes[i],
				 dbg[d].name);
			s = kmem_cache_create(name, sizes[i], 0, dbg[d].flags,
					      NULL);
			if (!s)
				die("kmem_cache_create failed");
			printf(" %6u", s->size - s->object_size);
			kmem_cache_destroy(s);
		}
		printf("\n");
	}
	printf("  (F, Z, P move the free pointer out of the object: one "
	       "word; Z adds a word of\n  red zone only when the object "
	       "fills its word-aligned slot; U adds the alloc\n  and free "
	       "records, caller and jiffies each)\n");
}

static void bench_overheads(void)
{
	print_leftover();
	printf("structures (this host, LP64; a 32-bit kernel's are "
	       "smaller):\n");
	printf("  sizeof(struct kmem_cache)     %4zu bytes (%zu of them "
	       "the per-CPU part, NR_CPUS %d)\n",
	       sizeof(struct kmem_cache), sizeof(struct kmem_cache_cpu),
	       NR_CPUS);
	printf("  sizeof(struct page)           %4zu bytes, one per page, "
	       "in mem_map: a slab's own\n"
	       "                                     metadata (inuse, "
	       "freelist, cache) lives there\n",
	       sizeof(struct page));
	printf("  per-object overhead           %4u bytes without "
	       "debugging (the free pointer\n"
	       "                                     lives in the free "
	       "object itself)\n",
	       bench_caches[0]->size - bench_caches[0]->object_size);
	print_debug_overhead();
}

/* ---- callgrind ---- */

/* The one function callgrind counts and dumps after. */
__noinline long bench_measured(const struct allocator *a, const struct cell *c,
			       long n);
__noinline long bench_measured(const struct allocator *a, const struct cell *c,
			       long n)
{
	return run(a, c, n);
}

/* Every cell of every allocator, or those --alloc, --pattern, --size pick. */
static int run_callgrind(long count, int only_alloc, int only_pat,
			 unsigned int only_size)
{
	for (int p = 0; p < NR_PATTERNS; p++) {
		for (unsigned int i = 0; i < NR_SIZES; i++) {
			struct cell c = {p, sizes[i], bench_caches[i]};
			long n = p == PAT_BATCH ? DIV_ROUND_UP(count, BATCH)
						: count;

			if ((only_pat >= 0 && p != only_pat) ||
			    (only_size && sizes[i] != only_size))
				continue;
			for (int a = 0; a < NR_ALLOCS; a++) {
				long pairs;

				if (!allocs[a].present ||
				    (only_alloc >= 0 && a != only_alloc))
					continue;
				run(&allocs[a], &c, 1); /* warm up */
				pairs = bench_measured(&allocs[a], &c, n);
				printf("measured %s %u %s pairs %ld\n",
				       pattern_names[p], sizes[i],
				       allocs[a].name, pairs);
			}
		}
	}
	check_clean();
	return 0;
}

static __noreturn void usage(void)
{
	fprintf(stderr, "usage: bench_slab [--quick]\n"
			"       bench_slab --callgrind [--count=PAIRS] "
			"[--alloc=NAME] [--pattern=pair|batch]\n"
			"                  [--size=32|64|256|1024]\n");
	exit(2);
}

static int alloc_index(const char *name)
{
	for (int a = 0; a < NR_ALLOCS; a++) {
		if (!strcmp(name, allocs[a].name))
			return a;
	}
	usage();
}

int main(int argc, char **argv)
{
	bool quick = false, callgrind = false;
	long count = 20000;
	int only_alloc = -1, only_pat = -1;
	unsigned int only_size = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--quick"))
			quick = true;
		else if (!strcmp(a, "--callgrind"))
			callgrind = true;
		else if (!strncmp(a, "--count=", 8))
			count = strtol(a + 8, NULL, 0);
		else if (!strncmp(a, "--alloc=", 8))
			only_alloc = alloc_index(a + 8);
		else if (!strcmp(a, "--pattern=pair"))
			only_pat = PAT_PAIR;
		else if (!strcmp(a, "--pattern=batch"))
			only_pat = PAT_BATCH;
		else if (!strncmp(a, "--size=", 7))
			only_size = strtoul(a + 7, NULL, 0);
		else
			usage();
		if (count <= 0)
			usage();
	}
	if (quick)
		target_ns = 10e6;
	setvbuf(stdout, NULL, _IOLBF, 0);
	find_allocators();
	boot_pagoda();
	if (callgrind)
		return run_callgrind(count, only_alloc, only_pat, only_size);
	print_header(quick);
	bench_speed();
	bench_waste();
	bench_overheads();
	check_clean();
	return 0;
}
