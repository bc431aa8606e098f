/*
 * How much the per-CPU lists save: mm/page_alloc.c built for the host
 * (-O2, no sanitizers, tools/bench/bench.mk) on a 1 GiB fake physical
 * arena laid out like i386 (DMA below 16 MiB, Normal up to 896 MiB,
 * HighMem above), so the Normal zone gets 2.6's per-CPU batch of 31.
 *
 * It measures, in ns per alloc_pages(GFP_KERNEL, order) + __free_pages()
 * pair:
 *  - order 0 through the per-CPU lists (the boot settings) against
 *    order 0 straight through the buddy lists, for pairs (alloc, free,
 *    repeat) on a fresh zone, the same pairs on a zone fragmented so
 *    that no merge or split happens, and batches (1000 allocations, then
 *    1000 frees); the ratio per-CPU/buddy is computed in the same run,
 *    the two paths' runs interleaved;
 *  - pairs of every order 0..10 (order 0 through the per-CPU lists).
 *
 * The buddy path is reached without touching mm/: every zone's per-CPU
 * list gets high = 1 and batch = 1 (struct per_cpu_pages, mmzone.h).
 * free_hot_cold_page() then sees count >= high after every push and
 * hands the page straight back with __free_one_page(); rmqueue_pcp()
 * always finds the list empty and refills it with exactly one page from
 * __rmqueue(), which it pops at once. So every allocation and every free
 * goes through the buddy lists; the one-page list handling that remains
 * makes the figure an over-estimate of a pure buddy path (callgrind: some
 * 80-110 of its ~550 instructions per pair when nothing merges), so it
 * flatters the per-CPU ratio. An untimed pass checks it with counters:
 * the list is empty after every call and the zone's buddy-list page
 * count moves by one at every allocation and every free.
 *
 * Each figure is the median of 5 runs of at least 100 ms (10 ms with
 * --quick) timed with clock_gettime(CLOCK_MONOTONIC). Only the
 * allocator's bookkeeping is measured: the pages themselves are never
 * touched, so the cache warmth the hot list is also for does not show.
 *
 * --callgrind runs one fixed-size measurement (--path=pcp|buddy,
 * --pattern=pairs|frag|batch, --count=N pairs) inside bench_measured(),
 * for valgrind --tool=callgrind --toggle-collect=bench_measured*.
 */
#include <pagoda/bootmem.h>
#include <pagoda/mm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench_util.h"
#include "shim.h"

#define ARENA	     (1UL << 30)
#define LOW_LIMIT    (16UL << 20)
#define DIRECT_LIMIT (896UL << 20)
#define BATCH_PAGES  1000
#define FRAG_PAGES   4096 /* order-0 free blocks with their buddy in use */
#define REPEATS	     5
#define CHECK_PAIRS  10000

enum path { PATH_PCP, PATH_BUDDY, NR_PATHS };
enum pattern { PAT_PAIRS, PAT_FRAG, PAT_BATCH, NR_PATTERNS };

static const char *const path_names[NR_PATHS] = {"pcp", "buddy"};
static const char *const pattern_names[NR_PATTERNS] = {"pairs", "frag",
						       "batch"};
static const char *const pattern_titles[NR_PATTERNS] = {
	"pairs: alloc, free, repeat",
	"pairs, fragmented: nothing merges",
	"batch: 1000 allocs, 1000 frees",
};

static struct zone *normal;
static int boot_high[MAX_NR_ZONES], boot_batch[MAX_NR_ZONES];
static struct page *batch_pages[BATCH_PAGES];
static struct page *frag_held[FRAG_PAGES];
static int nr_frag_held;
static double target_ns = 100e6;

static __noinline __noreturn void die(const char *what)
{
	fprintf(stderr, "bench_page_alloc: %s\n", what);
	fputs(host_log(), stderr);
	exit(1);
}

static void boot_allocator(void)
{
	static char *arena;
	struct zone *z;

	if (!arena) {
		arena = aligned_alloc(1UL << 22, ARENA);
		if (!arena)
			die("cannot allocate the 1 GiB arena");
	}
	host_log_clear();
	host_phys_base = arena;
	bootmem_reset();
	bootmem_add_memory(0, ARENA);
	reserve_bootmem(0, 1 << 20, "firmware");
	bootmem_set_limits(LOW_LIMIT, DIRECT_LIMIT);
	mem_init();
	normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	for_each_zone(z)
	{
		boot_high[zone_idx(z)] = z->pageset[0].pcp.high;
		boot_batch[zone_idx(z)] = z->pageset[0].pcp.batch;
	}
}

static int pcp_pages(void)
{
	struct zone *z;
	int n = 0;

	for_each_zone(z)
	{
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			n += z->pageset[cpu].pcp.count;
	}
	return n;
}

/*
 * PATH_BUDDY: high = 1 and batch = 1 in every per-CPU list, so none
 * ever keeps a page (see the top of the file). PATH_PCP: the settings
 * mem_init() chose.
 */
static void set_path(enum path path)
{
	struct zone *z;

	drain_all_pages();
	for_each_zone(z)
	{
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			struct per_cpu_pages *pcp = &z->pageset[cpu].pcp;

			if (path == PATH_BUDDY) {
				pcp->high = 1;
				pcp->batch = 1;
			} else {
				pcp->high = boot_high[zone_idx(z)];
				pcp->batch = boot_batch[zone_idx(z)];
			}
		}
	}
}

/* The loops that are timed. */

static __noinline void pairs_loop(unsigned int order, long n)
{
	for (long i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, order);

		if (unlikely(!page))
			die("allocation failed");
		__free_pages(page, order);
	}
}

static __noinline void batch_loop(long rounds)
{
	for (long r = 0; r < rounds; r++) {
		for (int i = 0; i < BATCH_PAGES; i++) {
			batch_pages[i] = alloc_pages(GFP_KERNEL, 0);
			if (unlikely(!batch_pages[i]))
				die("allocation failed");
		}
		for (int i = 0; i < BATCH_PAGES; i++)
			__free_pages(batch_pages[i], 0);
	}
}

/* n iterations of a pattern; returns how many alloc+free pairs it made. */
static long run_pattern(enum pattern pat, unsigned int order, long n)
{
	if (pat == PAT_BATCH) {
		batch_loop(n);
		return n * BATCH_PAGES;
	}
	pairs_loop(order, n);
	return n;
}

/* ns per pair over n iterations. */
static double time_pattern(enum pattern pat, unsigned int order, long n)
{
	double t0 = now_ns();
	long pairs = run_pattern(pat, order, n);

	return (now_ns() - t0) / pairs;
}

/* Iterations that take at least target_ns. */
static long calibrate(enum pattern pat, unsigned int order)
{
	long n = 1;

	for (;;) {
		double t0 = now_ns(), t;

		run_pattern(pat, order, n);
		t = now_ns() - t0;
		if (t >= target_ns / 10)
			return (long)(n * 1.2 * target_ns / t) + 1;
		n *= t < target_ns / 1000 ? 16 : 4;
	}
}

/*
 * A zone where order-0 pairs never merge or split: FRAG_PAGES free
 * order-0 blocks whose buddies stay allocated. Taken straight from the
 * buddy lists, consecutive pages come out in pfn order, so freeing
 * every even pfn whose odd neighbour was taken too leaves exactly that.
 */
static void fragment_zone(void)
{
	static struct page *taken[2 * FRAG_PAGES];
	int freed = 0;

	set_path(PATH_BUDDY);
	for (int i = 0; i < 2 * FRAG_PAGES; i++) {
		taken[i] = alloc_pages(GFP_KERNEL, 0);
		if (!taken[i])
			die("allocation failed while fragmenting");
	}
	nr_frag_held = 0;
	for (int i = 0; i < 2 * FRAG_PAGES; i++) {
		unsigned long pfn = page_to_pfn(taken[i]);

		if (!(pfn & 1) && i + 1 < 2 * FRAG_PAGES &&
		    page_to_pfn(taken[i + 1]) == pfn + 1) {
			__free_pages(taken[i], 0);
			freed++;
		} else if (nr_frag_held < FRAG_PAGES) {
			frag_held[nr_frag_held++] = taken[i];
		} else {
			__free_pages(taken[i], 0);
		}
	}
	if (freed < FRAG_PAGES / 2 || normal->free_area[0].nr_free < 64)
		die("could not fragment the Normal zone");
}

static void unfragment_zone(void)
{
	for (int i = 0; i < nr_frag_held; i++)
		__free_pages(frag_held[i], 0);
	nr_frag_held = 0;
}

static void set_state(enum pattern pat)
{
	boot_allocator();
	if (pat == PAT_FRAG)
		fragment_zone();
}

/* Every page back, nothing reported: the allocator is as it was. */
static void end_state(void)
{
	unfragment_zone();
	set_path(PATH_PCP);
	if (nr_free_pages() != totalram_pages)
		die("pages lost during the benchmark");
	if (host_log_contains("BUG") || host_log_contains("WARNING"))
		die("the allocator reported a problem");
}

/* ---- the untimed check of what each path really does ---- */

struct check {
	long pairs;
	long buddy_moves; /* pages into or out of the Normal buddy lists */
	int pcp_min, pcp_max; /* pages on the per-CPU lists after a call */
	long merged, merge_orders; /* frees that reached the buddy lists */
};

/* The order of the free buddy block holding page, or -1 if none does. */
static int free_block_order(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		struct page *hp;

		if (!pfn_valid(head))
			break;
		hp = pfn_to_page(head);
		if (PageBuddy(hp) && hp->private >= o)
			return hp->private;
	}
	return -1;
}

static void note(struct check *c, unsigned long *free_before)
{
	int n = pcp_pages();
	unsigned long f = normal->free_pages;

	c->buddy_moves +=
		f > *free_before ? f - *free_before : *free_before - f;
	*free_before = f;
	c->pcp_min = min(c->pcp_min, n);
	c->pcp_max = max(c->pcp_max, n);
}

static void check_free(struct check *c, struct page *page,
		       unsigned long *free_before)
{
	int o;

	__free_pages(page, 0);
	note(c, free_before);
	o = free_block_order(page);
	if (o >= 0) {
		c->merged++;
		c->merge_orders += o;
	}
}

static struct page *check_alloc(struct check *c, unsigned long *free_before)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (!page || page_zone(page) != normal)
		die("check: no page from the Normal zone");
	note(c, free_before);
	return page;
}

static void check_path(struct check *c, enum pattern pat, long pairs)
{
	unsigned long f = normal->free_pages;

	memset(c, 0, sizeof(*c));
	c->pcp_min = pcp_pages();
	c->pcp_max = c->pcp_min;
	if (pat == PAT_BATCH) {
		for (long r = 0; r < pairs / BATCH_PAGES; r++) {
			for (int i = 0; i < BATCH_PAGES; i++)
				batch_pages[i] = check_alloc(c, &f);
			for (int i = 0; i < BATCH_PAGES; i++)
				check_free(c, batch_pages[i], &f);
			c->pairs += BATCH_PAGES;
		}
		return;
	}
	for (long i = 0; i < pairs; i++) {
		struct page *page = check_alloc(c, &f);

		check_free(c, page, &f);
		c->pairs++;
	}
}

/* The buddy path must have kept the lists empty and used the buddy
 * lists for every single allocation and free. */
static void check_buddy_bypass(const struct check *c)
{
	if (c->pcp_max != 0 || c->buddy_moves != 2 * c->pairs ||
	    c->merged != c->pairs)
		die("high = 1, batch = 1 did not bypass the per-CPU lists");
}

static void print_check(enum pattern pat, enum path path, const struct check *c)
{
	printf("  %-6s %-5s per-CPU list %d..%d pages; %.3f pages in/out of "
	       "the buddy lists per pair",
	       pattern_names[pat], path_names[path], c->pcp_min, c->pcp_max,
	       (double)c->buddy_moves / c->pairs);
	if (c->merged)
		printf("; %ld%% of frees reach them, in free blocks of "
		       "order %.2f on average",
		       c->merged * 100 / c->pairs,
		       (double)c->merge_orders / c->merged);
	printf("\n");
}

/* ---- the benchmark proper ---- */

struct result {
	double ns[NR_PATHS];
	struct check check[NR_PATHS];
};

static void bench_order0(enum pattern pat, struct result *res, bool quick)
{
	double ns[NR_PATHS][REPEATS];
	long n[NR_PATHS];
	long check_pairs = quick ? CHECK_PAIRS / 10 : CHECK_PAIRS;

	set_state(pat);
	for (int p = 0; p < NR_PATHS; p++) {
		set_path(p);
		check_path(&res->check[p], pat, check_pairs);
		n[p] = calibrate(pat, 0);
	}
	check_buddy_bypass(&res->check[PATH_BUDDY]);
	/* Interleaved, so slow drifts of the machine hit both paths. */
	for (int r = 0; r < REPEATS; r++) {
		for (int p = 0; p < NR_PATHS; p++) {
			set_path(p);
			run_pattern(pat, 0, pat == PAT_BATCH ? 1 : 1000);
			ns[p][r] = time_pattern(pat, 0, n[p]);
			if (p == PATH_BUDDY && pcp_pages())
				die("buddy path: a per-CPU list kept pages");
		}
	}
	for (int p = 0; p < NR_PATHS; p++)
		res->ns[p] = median(ns[p], REPEATS);
	end_state();
}

static double bench_order(unsigned int order)
{
	double ns[REPEATS];
	long n;

	set_state(PAT_PAIRS);
	set_path(PATH_PCP);
	n = calibrate(PAT_PAIRS, order);
	for (int r = 0; r < REPEATS; r++)
		ns[r] = time_pattern(PAT_PAIRS, order, n);
	end_state();
	return median(ns, REPEATS);
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
	boot_allocator();
	printf("Pagoda page allocator benchmark (mm/page_alloc.c on the host, "
	       "-O2, no sanitizers)\n");
	printf("machine: nproc %ld%s%s\n", sysconf(_SC_NPROCESSORS_ONLN),
	       *model ? ", " : "", model);
	printf("arena: %lu MiB; zone Normal: %lu pages, per-CPU list batch "
	       "%d, high %d\n",
	       ARENA >> 20, normal->present_pages, normal->pageset[0].pcp.batch,
	       normal->pageset[0].pcp.high);
	printf("each figure: median of %d runs of >= %.0f ms, "
	       "clock_gettime(CLOCK_MONOTONIC)%s\n",
	       REPEATS, target_ns / 1e6, quick ? " (--quick)" : "");
	printf("absolute times are noisy (load, frequency scaling, "
	       "neighbours on a VM);\nthe ratios, measured in the same run "
	       "with the two paths interleaved, are what matters.\n\n");
}

static void run_all(bool quick)
{
	struct result res[NR_PATTERNS];

	print_header(quick);
	for (int pat = 0; pat < NR_PATTERNS; pat++)
		bench_order0(pat, &res[pat], quick);

	printf("order-0 alloc+free, ns per pair           per-CPU    buddy  "
	       "pcp/buddy\n");
	for (int pat = 0; pat < NR_PATTERNS; pat++)
		printf("  %-36s %9.1f %8.1f %8.2f\n", pattern_titles[pat],
		       res[pat].ns[PATH_PCP], res[pat].ns[PATH_BUDDY],
		       res[pat].ns[PATH_PCP] / res[pat].ns[PATH_BUDDY]);
	printf("goal: per-CPU path at most half the buddy path "
	       "(pcp/buddy <= 0.50):");
	for (int pat = 0; pat < NR_PATTERNS; pat++) {
		double ratio = res[pat].ns[PATH_PCP] / res[pat].ns[PATH_BUDDY];

		printf(" %s %s%s", pattern_names[pat],
		       ratio <= 0.5 ? "met" : "NOT met",
		       pat + 1 < NR_PATTERNS ? "," : "\n");
	}

	printf("\ncheck, untimed, zone Normal (buddy: high = 1, batch = 1):\n");
	for (int pat = 0; pat < NR_PATTERNS; pat++) {
		for (int p = 0; p < NR_PATHS; p++)
			print_check(pat, p, &res[pat].check[p]);
	}

	printf("\nalloc_pages+__free_pages pairs by order, fresh zone "
	       "(order 0 via the per-CPU lists)\n");
	printf("  order   ns/pair   ns/page\n");
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		double ns = bench_order(order);

		printf("  %5u %9.1f %9.3f\n", order, ns, ns / (1U << order));
	}
}

/* The one function callgrind counts (--toggle-collect=bench_measured*). */
__noinline long bench_measured(enum pattern pat, long n);
__noinline long bench_measured(enum pattern pat, long n)
{
	return run_pattern(pat, 0, n);
}

static int run_callgrind(enum path path, enum pattern pat, long count)
{
	long n = pat == PAT_BATCH ? DIV_ROUND_UP(count, BATCH_PAGES) : count;
	long pairs;

	set_state(pat);
	set_path(path);
	run_pattern(pat, 0, pat == PAT_BATCH ? 1 : 1000); /* warm up */
	pairs = bench_measured(pat, n);
	if (path == PATH_BUDDY && pcp_pages())
		die("buddy path: a per-CPU list kept pages");
	end_state();
	printf("path %s pattern %s pairs %ld\n", path_names[path],
	       pattern_names[pat], pairs);
	return 0;
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(s, names[i]))
			return i;
	}
	return -1;
}

static __noreturn void usage(void)
{
	fprintf(stderr, "usage: bench_page_alloc [--quick]\n"
			"       bench_page_alloc --callgrind --path=pcp|buddy "
			"--pattern=pairs|frag|batch [--count=PAIRS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool quick = false, callgrind = false;
	int path = PATH_PCP, pat = PAT_PAIRS;
	long count = 100000;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--quick"))
			quick = true;
		else if (!strcmp(a, "--callgrind"))
			callgrind = true;
		else if (!strncmp(a, "--path=", 7))
			path = lookup(a + 7, path_names, NR_PATHS);
		else if (!strncmp(a, "--pattern=", 10))
			pat = lookup(a + 10, pattern_names, NR_PATTERNS);
		else if (!strncmp(a, "--count=", 8))
			count = strtol(a + 8, NULL, 0);
		else
			usage();
		if (path < 0 || pat < 0 || count <= 0)
			usage();
	}
	if (quick)
		target_ns = 10e6;
	if (callgrind)
		return run_callgrind(path, pat, count);
	run_all(quick);
	return 0;
}
