/*
 * Host tests for lib/range_tree.c, the free ranges of the vmalloc area.
 *
 * The main test runs thousands of random operations per seed - aligned
 * allocations of every size (some larger than the span, some with an
 * alignment larger than the span), reservations at fixed places, frees
 * of live blocks, of parts of them, double frees and frees of ranges
 * partly free or outside the span - against a reference model with one
 * byte per page. Now and then the node allocator refuses, and the
 * operation must fail with -ENOMEM exactly when it needed a node. After
 * every step the tree's invariants are checked whole and its free ranges,
 * their count, total and largest are compared with the model's maximal
 * free runs; every address handed out must be the model's lowest fit.
 * The spans tried include one ending a page below the top of the address
 * space, where rounding up and adding sizes would wrap.
 *
 * Then the shape: trees of 10,000 and 100,000 fragmented ranges, built
 * in order and in random order, must stay within the AVL height bound;
 * and the corner cases one by one, and the checker itself (it must catch
 * corrupted trees, or the main test proves nothing).
 */
#include <pagoda/errno.h>
#include <pagoda/range_tree.h>

#include <limits.h>

#include "test.h"

#define PG	 4096UL
#define MAXPAGES 512
#define TOP_PAGE (ULONG_MAX - PG + 1) /* the last page's start */

/* ---- node storage: malloc, counted, refusing on demand ---- */

struct pool {
	long live; /* nodes lent out and not yet returned */
	bool fail; /* refuse every request while set */
	long refused; /* requests refused */
};

static struct range_node *pool_alloc(void *ctx)
{
	struct pool *p = ctx;
	struct range_node *n;

	if (p->fail) {
		p->refused++;
		return NULL;
	}
	n = malloc(sizeof(*n));
	if (!n)
		abort();
	/* Garbage, so that a field the library forgets to set shows. */
	memset(n, 0xa5, sizeof(*n));
	p->live++;
	return n;
}

static void pool_free(struct range_node *n, void *ctx)
{
	struct pool *p = ctx;

	memset(n, 0x5a, sizeof(*n));
	free(n);
	p->live--;
}

static void tree_init(struct range_tree *t, struct pool *p, unsigned long start,
		      unsigned long end)
{
	memset(p, 0, sizeof(*p));
	CHECK_EQ(range_tree_init(t, start, end, pool_alloc, pool_free, p), 0);
	CHECK(range_tree_check(t));
}

static void tree_done(struct range_tree *t, struct pool *p)
{
	range_tree_destroy(t);
	CHECK_EQ(p->live, 0);
	CHECK(t->root == NULL && t->nr == 0);
}

/* ---- random numbers: xorshift64*, the same on every host ---- */

static unsigned long long rng_state;

static void rng_seed(unsigned long long seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
}

static unsigned long rnd(unsigned long n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned long)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

/* ---- the tree's free ranges, as a list ---- */

struct span {
	unsigned long start, end;
};

static int snapshot(const struct range_tree *t, struct span *s, int max)
{
	int n = 0;

	for (const struct range_node *r = range_first(t); r;
	     r = range_next(r)) {
		if (n < max)
			s[n] = (struct span){r->start, r->end};
		n++;
	}
	return n;
}

/* The tree holds exactly these free ranges, and all its counters agree. */
static bool tree_is(const struct range_tree *t, const struct pool *p,
		    const struct span *want, int nwant)
{
	struct span got[MAXPAGES + 1];
	unsigned long bytes = 0, largest = 0;
	int n = snapshot(t, got, MAXPAGES + 1);

	if (!range_tree_check(t)) {
		fprintf(stderr, "  range_tree_check() failed\n");
		return false;
	}
	if (n != nwant || (long)t->nr != n || p->live != n) {
		fprintf(stderr, "  %d ranges, want %d (nr %lu, live %ld)\n", n,
			nwant, t->nr, p->live);
		return false;
	}
	for (int i = 0; i < n; i++) {
		if (got[i].start != want[i].start ||
		    got[i].end != want[i].end) {
			fprintf(stderr,
				"  range %d: [%#lx, %#lx), want "
				"[%#lx, %#lx)\n",
				i, got[i].start, got[i].end, want[i].start,
				want[i].end);
			return false;
		}
		bytes += want[i].end - want[i].start;
		if (want[i].end - want[i].start > largest)
			largest = want[i].end - want[i].start;
	}
	if (range_tree_free_bytes(t) != bytes ||
	    range_tree_largest(t) != largest) {
		fprintf(stderr, "  free %#lx largest %#lx, want %#lx %#lx\n",
			range_tree_free_bytes(t), range_tree_largest(t), bytes,
			largest);
		return false;
	}
	return true;
}

/* ---- AVL height bounds ---- */

/*
 * The tallest AVL tree of n nodes: the least nodes a tree of height h
 * can have is N(h) = N(h-1) + N(h-2) + 1, N(0) = 0, N(1) = 1.
 */
static int avl_max_height(unsigned long n)
{
	unsigned long a = 0, b = 1, next;
	int h = 0;

	while (b <= n) {
		h++;
		next = a + b + 1;
		a = b;
		b = next;
	}
	return h;
}

/* log2 by repeated squaring: no libm needed. */
static double log2_of(double x)
{
	double r = 0, bit = 0.5;

	while (x >= 2) {
		x /= 2;
		r += 1;
	}
	for (int i = 0; i < 40; i++) {
		x *= x;
		if (x >= 2) {
			x /= 2;
			r += bit;
		}
		bit /= 2;
	}
	return r;
}

static bool depth_ok(const struct range_tree *t)
{
	int d = range_tree_depth(t);

	if (t->nr == 0)
		return d == 0;
	return d <= avl_max_height(t->nr) &&
	       d <= 1.45 * log2_of((double)t->nr) + 2;
}

/* ---- the reference model: one byte per page of the span ---- */

struct model {
	unsigned long base; /* the span is [base, base + npages * PG) */
	long npages;
	bool used[MAXPAGES];
};

/* Page p's address; p may lie outside the span, even wrap. */
static unsigned long m_addr(const struct model *m, long p)
{
	return m->base + (unsigned long)p * PG;
}

static bool m_inside(const struct model *m, long p, long n)
{
	return n > 0 && p >= 0 && p <= m->npages && n <= m->npages - p;
}

static bool m_all(const struct model *m, long p, long n, bool used)
{
	for (long i = p; i < p + n; i++)
		if (m->used[i] != used)
			return false;
	return true;
}

static void m_set(struct model *m, long p, long n, bool used)
{
	for (long i = p; i < p + n; i++)
		m->used[i] = used;
}

static bool m_free_at(const struct model *m, long p)
{
	return p >= 0 && p < m->npages && !m->used[p];
}

/* Taking [p, p + n) from its free run leaves free pages on both sides. */
static bool m_take_splits(const struct model *m, long p, long n)
{
	return m_free_at(m, p - 1) && m_free_at(m, p + n);
}

/* Freeing [p, p + n) touches no free page: a new range, a new node. */
static bool m_free_needs_node(const struct model *m, long p, long n)
{
	return !m_free_at(m, p - 1) && !m_free_at(m, p + n);
}

/* The lowest page where n pages at an align-aligned address are free. */
static long m_lowest_fit(const struct model *m, long n, unsigned long align)
{
	for (long p = 0; p + n <= m->npages; p++)
		if (!(m_addr(m, p) & (align - 1)) && m_all(m, p, n, false))
			return p;
	return -1;
}

static bool tree_matches(const struct range_tree *t, const struct pool *p,
			 const struct model *m)
{
	struct span want[MAXPAGES];
	int n = 0;

	for (long i = 0; i < m->npages; i++) {
		if (m->used[i])
			continue;
		if (n && want[n - 1].end == m_addr(m, i))
			want[n - 1].end += PG;
		else
			want[n++] =
				(struct span){m_addr(m, i), m_addr(m, i + 1)};
	}
	return tree_is(t, p, want, n) && depth_ok(t);
}

/* ---- the random test ---- */

struct block {
	long p, n;
};

struct run {
	struct range_tree t;
	struct pool pool;
	struct model m;
	struct block live[MAXPAGES]; /* hints for frees: what we took */
	int nlive;
	long ok, refused_ok, einval, ebusy, enomem; /* what happened */
};

static void remember(struct run *r, long p, long n)
{
	if (r->nlive < MAXPAGES)
		r->live[r->nlive++] = (struct block){p, n};
}

static unsigned long random_align(const struct run *r)
{
	int bits = 0;

	while ((1L << bits) < r->m.npages)
		bits++;
	switch (rnd(40)) {
	case 0:
		return 0; /* invalid */
	case 1:
		return 3 * PG; /* invalid: not a power of two */
	case 2:
		return 1UL << (sizeof(long) * CHAR_BIT - 1);
	}
	if (rnd(4) == 0)
		return 1UL << rnd(13); /* 1 byte .. a page */
	return PG << rnd(bits + 3); /* up to 4x the span */
}

static long random_pages(const struct run *r)
{
	switch (rnd(20)) {
	case 0:
		return rnd(r->m.npages + 8) + 1; /* maybe more than the span */
	case 1:
		return 0; /* invalid */
	}
	return rnd(8) + 1;
}

static void expect(struct run *r, int got, int want, const char *what)
{
	if (got != want) {
		fprintf(stderr, "  %s returned %d, want %d\n", what, got, want);
		test_failed_checks++;
	}
	if (got == 0)
		r->ok++;
	else if (got == -EINVAL)
		r->einval++;
	else if (got == -EBUSY)
		r->ebusy++;
	else if (got == -ENOMEM)
		r->enomem++;
}

static void step_alloc(struct run *r)
{
	unsigned long align = random_align(r), addr = 0;
	long n = random_pages(r), p = -1;
	unsigned long size = n * PG;
	int want, got;

	if (rnd(50) == 0)
		size = ULONG_MAX - rnd(3) * PG; /* never fits */
	if (!size || !align || (align & (align - 1))) {
		want = -EINVAL;
	} else {
		if (size == n * PG)
			p = m_lowest_fit(&r->m, n, align);
		if (p < 0)
			want = -ENOMEM;
		else if (r->pool.fail && m_take_splits(&r->m, p, n))
			want = -ENOMEM;
		else
			want = 0;
	}
	got = range_alloc(&r->t, size, align, &addr);
	expect(r, got, want, "range_alloc");
	if (got || want)
		return;
	if (addr != m_addr(&r->m, p)) {
		fprintf(stderr,
			"  range_alloc(%#lx, %#lx) gave %#lx, want "
			"%#lx\n",
			size, align, addr, m_addr(&r->m, p));
		test_failed_checks++;
		return;
	}
	m_set(&r->m, p, n, true);
	remember(r, p, n);
}

static void step_alloc_at(struct run *r)
{
	long p = (long)rnd(r->m.npages + 8) - 4, n = random_pages(r);
	int want;

	if (!m_inside(&r->m, p, n))
		want = -EINVAL;
	else if (!m_all(&r->m, p, n, false))
		want = -EBUSY;
	else if (r->pool.fail && m_take_splits(&r->m, p, n))
		want = -ENOMEM;
	else
		want = 0;
	expect(r, range_alloc_at(&r->t, m_addr(&r->m, p), n * PG), want,
	       "range_alloc_at");
	if (want == 0) {
		m_set(&r->m, p, n, true);
		remember(r, p, n);
	}
}

/*
 * Free a block we took (or part of it), or a random range: mostly partly
 * free, outside the span, or a block already given back.
 */
static void step_free(struct run *r)
{
	long p, n;
	int want;

	if (r->nlive && rnd(4)) {
		int i = rnd(r->nlive);
		struct block b = r->live[i];

		/* Mostly forget it; kept, it is freed twice later. */
		if (rnd(10))
			r->live[i] = r->live[--r->nlive];
		p = b.p;
		n = b.n;
		if (n > 1 && rnd(3) == 0) { /* just a piece of it */
			long skip = rnd(n);

			p += skip;
			n = rnd(n - skip) + 1;
		}
	} else {
		p = (long)rnd(r->m.npages + 8) - 4;
		n = random_pages(r);
	}
	if (!m_inside(&r->m, p, n) || !m_all(&r->m, p, n, true))
		want = -EINVAL;
	else if (r->pool.fail && m_free_needs_node(&r->m, p, n))
		want = -ENOMEM;
	else
		want = 0;
	expect(r, range_free(&r->t, m_addr(&r->m, p), n * PG), want,
	       "range_free");
	if (want == 0)
		m_set(&r->m, p, n, false);
}

/* Sizes that wrap around the top of the address space must be refused. */
static void step_wrap(struct run *r)
{
	unsigned long start = m_addr(&r->m, rnd(r->m.npages));
	unsigned long size = 0UL - start + rnd(3) * PG; /* start+size wraps */

	if (!size)
		size = ULONG_MAX;
	expect(r, range_free(&r->t, start, size), -EINVAL, "range_free wrap");
	expect(r, range_alloc_at(&r->t, start, size), -EINVAL,
	       "range_alloc_at wrap");
}

static void random_run(unsigned long base, long npages, unsigned long long seed,
		       int steps)
{
	static struct run r;
	int failures = test_failed_checks;

	memset(&r, 0, sizeof(r));
	r.m.base = base;
	r.m.npages = npages;
	rng_seed(seed);
	tree_init(&r.t, &r.pool, base, base + npages * PG);
	for (int i = 0; i < steps; i++) {
		int op = rnd(100);

		r.pool.fail = rnd(8) == 0;
		if (op < 35)
			step_alloc(&r);
		else if (op < 50)
			step_alloc_at(&r);
		else if (op < 98)
			step_free(&r);
		else
			step_wrap(&r);
		r.pool.fail = false;
		if (!tree_matches(&r.t, &r.pool, &r.m))
			test_failed_checks++;
		if (test_failed_checks != failures) {
			fprintf(stderr, "  at step %d, seed %llu, base %#lx\n",
				i, seed, base);
			break;
		}
	}
	printf("# base %#lx, %ld pages, seed %llu: %ld ok, %ld -EINVAL, "
	       "%ld -EBUSY, %ld -ENOMEM (%ld refused nodes)\n",
	       base, npages, seed, r.ok, r.einval, r.ebusy, r.enomem,
	       r.pool.refused);
	CHECK(r.ok > steps / 8 && r.einval > steps / 20 && r.enomem > 0);
	tree_done(&r.t, &r.pool);
}

/* A page-granular span somewhere ordinary; its start only page-aligned. */
TEST(random_low_span)
{
	for (unsigned long long seed = 1; seed <= 4; seed++)
		random_run(0x10000000UL + 3 * PG, MAXPAGES, seed, 5000);
}

/* A small span: full and empty trees are frequent. */
TEST(random_small_span)
{
	for (unsigned long long seed = 11; seed <= 14; seed++)
		random_run(0x40000000UL - 24 * PG, 24, seed, 4000);
}

/*
 * Ending one page below the top of the address space: rounding up to a
 * large alignment wraps to 0 and must not "fit".
 */
TEST(random_top_span)
{
	for (unsigned long long seed = 21; seed <= 24; seed++)
		random_run(TOP_PAGE - 256 * PG, 256, seed, 5000);
}

/* ---- shape: many fragmented ranges ---- */

static unsigned long *shuffled(unsigned long n)
{
	unsigned long *a = malloc(n * sizeof(*a));

	if (!a)
		abort();
	for (unsigned long i = 0; i < n; i++)
		a[i] = i;
	for (unsigned long i = n - 1; i > 0; i--) {
		unsigned long j = rnd(i + 1), x = a[i];

		a[i] = a[j];
		a[j] = x;
	}
	return a;
}

static void report_depth(const char *how, const struct range_tree *t)
{
	printf("# %s: %lu ranges, depth %d (AVL bound %d, 1.45*log2(n)+2 = "
	       "%.1f)\n",
	       how, t->nr, range_tree_depth(t), avl_max_height(t->nr),
	       1.45 * log2_of((double)t->nr) + 2);
	CHECK(depth_ok(t));
	CHECK(range_tree_check(t));
}

/*
 * n free pages with a used page between each two: built by freeing every
 * other page of a full span in address order (sorted insertions, the
 * classic worst case of an unbalanced tree), then by reserving every other
 * page of an empty span in random order (splits). Then the lowest fit
 * among them, and everything freed again in random order: back to one.
 */
static void fragment(unsigned long n)
{
	const unsigned long base = 0x10000000UL;
	struct range_tree t;
	struct pool p;
	unsigned long *order, addr;

	rng_seed(n);
	tree_init(&t, &p, base, base + 2 * n * PG);
	CHECK_EQ(range_alloc_at(&t, base, 2 * n * PG), 0);
	for (unsigned long i = 0; i < n; i++)
		CHECK_EQ(range_free(&t, base + 2 * i * PG, PG), 0);
	CHECK_EQ(t.nr, n);
	report_depth("in order", &t);
	tree_done(&t, &p);

	tree_init(&t, &p, base, base + 2 * n * PG);
	order = shuffled(n);
	for (unsigned long i = 0; i < n; i++)
		CHECK_EQ(range_alloc_at(&t, base + (2 * order[i] + 1) * PG, PG),
			 0);
	CHECK_EQ(t.nr, n);
	report_depth("random splits", &t);

	/* Merge three pages deep inside; the lowest 2-page fit is there. */
	CHECK_EQ(range_free(&t, base + (2 * (n / 3) + 1) * PG, PG), 0);
	CHECK_EQ(range_alloc(&t, 2 * PG, PG, &addr), 0);
	CHECK_EQ(addr, base + 2 * (n / 3) * PG);
	CHECK_EQ(range_free(&t, addr, 2 * PG), 0);
	CHECK_EQ(range_alloc_at(&t, base + (2 * (n / 3) + 1) * PG, PG), 0);
	CHECK_EQ(t.nr, n);

	for (unsigned long i = 0; i < n; i++)
		CHECK_EQ(range_free(&t, base + (2 * order[i] + 1) * PG, PG), 0);
	free(order);
	CHECK_EQ(t.nr, 1);
	CHECK_EQ(range_tree_largest(&t), 2 * n * PG);
	CHECK(range_tree_check(&t));
	tree_done(&t, &p);
}

TEST(depth_10000)
{
	fragment(10000);
}

TEST(depth_100000)
{
	fragment(100000);
}

/* ---- corner cases ---- */

TEST(init)
{
	struct range_tree t;
	struct pool p = {0};

	CHECK_EQ(range_tree_init(&t, PG, PG, pool_alloc, pool_free, &p),
		 -EINVAL);
	CHECK_EQ(range_tree_init(&t, 2 * PG, PG, pool_alloc, pool_free, &p),
		 -EINVAL);
	CHECK_EQ(range_tree_init(&t, 0, PG, NULL, pool_free, &p), -EINVAL);
	CHECK_EQ(range_tree_init(&t, 0, PG, pool_alloc, NULL, &p), -EINVAL);
	p.fail = true;
	CHECK_EQ(range_tree_init(&t, 0, PG, pool_alloc, pool_free, &p),
		 -ENOMEM);
	CHECK_EQ(p.live, 0);
	CHECK(range_first(&t) == NULL);

	/* The whole address space but its last byte, from 0. */
	tree_init(&t, &p, 0, ULONG_MAX);
	CHECK_EQ(range_tree_largest(&t), ULONG_MAX);
	CHECK_EQ(range_tree_free_bytes(&t), ULONG_MAX);
	CHECK_EQ(range_tree_depth(&t), 1);
	tree_done(&t, &p);
}

/* Everything taken, nothing left, everything back as one range. */
TEST(whole_span)
{
	const unsigned long base = 0xc0000000UL, size = 64 * PG;
	const struct span one = {base, base + size};
	struct range_tree t;
	struct pool p;
	unsigned long addr = 0;

	tree_init(&t, &p, base, base + size);
	CHECK_EQ(range_alloc(&t, size + 1, 1, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, ULONG_MAX, 1, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, size, PG, &addr), 0);
	CHECK_EQ(addr, base);
	CHECK(tree_is(&t, &p, NULL, 0));
	CHECK_EQ(range_tree_depth(&t), 0);
	CHECK(range_first(&t) == NULL);
	CHECK_EQ(range_alloc(&t, 1, 1, &addr), -ENOMEM);
	CHECK_EQ(range_alloc_at(&t, base, PG), -EBUSY);

	/* Given back in pieces, in a scrambled order: one range again. */
	CHECK_EQ(range_free(&t, base + 8 * PG, 8 * PG), 0);
	CHECK_EQ(range_free(&t, base + 40 * PG, 24 * PG), 0);
	CHECK_EQ(range_free(&t, base, 8 * PG), 0);
	CHECK_EQ(range_free(&t, base + 20 * PG, 4 * PG), 0);
	CHECK_EQ(t.nr, 3);
	CHECK_EQ(range_free(&t, base + 16 * PG, 4 * PG), 0);
	CHECK_EQ(range_free(&t, base + 24 * PG, 16 * PG), 0);
	CHECK(tree_is(&t, &p, &one, 1));

	/* And all of it taken in one go at a fixed place. */
	CHECK_EQ(range_alloc_at(&t, base, size), 0);
	CHECK(tree_is(&t, &p, NULL, 0));
	CHECK_EQ(range_free(&t, base, size), 0);
	CHECK(tree_is(&t, &p, &one, 1));
	tree_done(&t, &p);
}

/* Alignments the span cannot satisfy, or only at one place. */
TEST(large_alignment)
{
	const unsigned long base = 0x10000000UL + PG, size = 16 * PG;
	const unsigned long huge = 1UL << (sizeof(long) * CHAR_BIT - 1);
	struct range_tree t;
	struct pool p;
	unsigned long addr = 0;

	tree_init(&t, &p, base, base + size);
	CHECK_EQ(range_alloc(&t, PG, 32 * PG, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, PG, huge, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, PG, 0, &addr), -EINVAL);
	CHECK_EQ(range_alloc(&t, PG, 3, &addr), -EINVAL);
	CHECK_EQ(range_alloc(&t, 0, PG, &addr), -EINVAL);
	CHECK_EQ(range_alloc(&t, PG, 8 * PG, &addr), 0);
	CHECK_EQ(addr, 0x10000000UL + 8 * PG);
	/* Unaligned sizes: bytes, not pages, are the unit. */
	CHECK_EQ(range_alloc(&t, 1, 1, &addr), 0);
	CHECK_EQ(addr, base);
	CHECK_EQ(range_alloc(&t, 10, 8, &addr), 0);
	CHECK_EQ(addr, base + 8);
	CHECK_EQ(range_alloc(&t, 7 * PG - 18, 1, &addr), 0);
	CHECK_EQ(addr, base + 18);
	CHECK_EQ(range_tree_largest(&t), 8 * PG);
	CHECK(range_tree_check(&t));
	tree_done(&t, &p);
}

/*
 * i386's vmalloc area ends at 0xff7fe000; here a span ends one page below
 * the top, and another at the very last representable end.
 */
TEST(top_of_address_space)
{
	const unsigned long base = TOP_PAGE - 16 * PG;
	const unsigned long huge = 1UL << (sizeof(long) * CHAR_BIT - 1);
	const struct span one = {base, TOP_PAGE};
	struct range_tree t;
	struct pool p;
	unsigned long addr = 0, s;

	tree_init(&t, &p, base, TOP_PAGE);
	CHECK_EQ(range_alloc(&t, PG, huge, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, PG, 32 * PG, &addr), -ENOMEM);
	CHECK_EQ(range_alloc_at(&t, TOP_PAGE - PG, PG), 0);
	CHECK_EQ(range_alloc_at(&t, TOP_PAGE, PG), -EINVAL);
	CHECK_EQ(range_alloc_at(&t, TOP_PAGE - PG, 2 * PG), -EINVAL);
	CHECK_EQ(range_alloc_at(&t, ULONG_MAX, 2), -EINVAL);
	CHECK_EQ(range_free(&t, TOP_PAGE - PG, ULONG_MAX), -EINVAL);
	CHECK_EQ(range_free(&t, TOP_PAGE - PG, 0UL - (TOP_PAGE - PG)), -EINVAL);
	CHECK_EQ(range_free(&t, TOP_PAGE, PG), -EINVAL);
	CHECK_EQ(range_free(&t, base - PG, PG), -EINVAL);
	CHECK_EQ(range_free(&t, TOP_PAGE - PG, PG), 0);
	CHECK(tree_is(&t, &p, &one, 1));
	CHECK_EQ(range_alloc(&t, 16 * PG, PG, &addr), 0);
	CHECK_EQ(addr, base);
	CHECK_EQ(range_free(&t, base, 16 * PG), 0);
	CHECK(tree_is(&t, &p, &one, 1));
	tree_done(&t, &p);

	/* [ULONG_MAX - 8 pages, ULONG_MAX): the start is not page-aligned. */
	s = ULONG_MAX - 8 * PG;
	tree_init(&t, &p, s, ULONG_MAX);
	CHECK_EQ(range_alloc(&t, 8 * PG, PG, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, 7 * PG, PG, &addr), 0);
	CHECK_EQ(addr, s + 1);
	CHECK_EQ(range_alloc(&t, PG, PG, &addr), -ENOMEM);
	CHECK_EQ(range_alloc(&t, PG - 1, 1, &addr), 0);
	CHECK_EQ(addr, ULONG_MAX - PG + 1);
	CHECK_EQ(range_alloc(&t, 1, 1, &addr), 0);
	CHECK_EQ(addr, s);
	CHECK_EQ(t.nr, 0);
	CHECK_EQ(range_free(&t, s, ULONG_MAX - s), 0);
	CHECK_EQ(range_tree_largest(&t), 8 * PG);
	CHECK(range_tree_check(&t));
	tree_done(&t, &p);
}

/* Double frees and overlapping frees are refused with nothing changed. */
TEST(refused_frees)
{
	const unsigned long b = 0x20000000UL;
	const struct span before[] = {{b + 2 * PG, b + 4 * PG},
				      {b + 6 * PG, b + 16 * PG}};
	struct range_tree t;
	struct pool p;

	tree_init(&t, &p, b, b + 16 * PG);
	CHECK_EQ(range_alloc_at(&t, b, 2 * PG), 0);
	CHECK_EQ(range_alloc_at(&t, b + 4 * PG, 2 * PG), 0);
	CHECK(tree_is(&t, &p, before, 2));
	CHECK_EQ(range_free(&t, b + 2 * PG, PG), -EINVAL); /* free */
	CHECK_EQ(range_free(&t, b + PG, 2 * PG), -EINVAL); /* half free */
	CHECK_EQ(range_free(&t, b + 5 * PG, 2 * PG), -EINVAL);
	CHECK_EQ(range_free(&t, b, 6 * PG), -EINVAL); /* straddles a hole */
	CHECK_EQ(range_free(&t, b + 3 * PG + 1, 1), -EINVAL);
	CHECK_EQ(range_free(&t, b - PG, 2 * PG), -EINVAL); /* outside */
	CHECK_EQ(range_free(&t, b, 0), -EINVAL);
	CHECK_EQ(range_alloc_at(&t, b, 0), -EINVAL);
	CHECK_EQ(range_alloc_at(&t, b + PG, 2 * PG), -EBUSY);
	CHECK_EQ(range_alloc_at(&t, b + 3 * PG, 2 * PG), -EBUSY);
	CHECK_EQ(range_alloc_at(&t, b + 15 * PG, 2 * PG), -EINVAL);
	CHECK(tree_is(&t, &p, before, 2));

	CHECK_EQ(range_free(&t, b + 4 * PG, 2 * PG), 0);
	CHECK_EQ(range_free(&t, b + 4 * PG, 2 * PG), -EINVAL); /* twice */
	CHECK_EQ(range_free(&t, b, 2 * PG), 0);
	CHECK_EQ(range_free(&t, b, 2 * PG), -EINVAL);
	CHECK_EQ(t.nr, 1);
	CHECK(range_tree_check(&t));
	tree_done(&t, &p);
}

/*
 * With no node to be had, exactly the operations that need one fail, and
 * leave the tree as it was; the others (shrinking or merging ranges) work.
 */
TEST(node_exhaustion)
{
	const unsigned long b = 0x30000000UL;
	const struct span two[] = {{b, b + 4 * PG}, {b + 8 * PG, b + 16 * PG}};
	const struct span three[] = {{b, b + 4 * PG},
				     {b + 5 * PG, b + 6 * PG},
				     {b + 8 * PG, b + 16 * PG}};
	struct range_tree t;
	struct pool p;
	unsigned long addr = 0;

	tree_init(&t, &p, b, b + 16 * PG);
	CHECK_EQ(range_alloc_at(&t, b + 4 * PG, 4 * PG), 0);
	CHECK(tree_is(&t, &p, two, 2));
	p.fail = true;
	CHECK_EQ(range_alloc_at(&t, b + PG, PG), -ENOMEM); /* a split */
	CHECK_EQ(range_alloc(&t, PG, 2 * PG, &addr), 0); /* no split */
	CHECK_EQ(addr, b);
	CHECK_EQ(range_alloc(&t, PG, 2 * PG, &addr), -ENOMEM); /* b+2: split */
	CHECK_EQ(range_free(&t, b, PG), 0); /* merges */
	CHECK(tree_is(&t, &p, two, 2));
	CHECK_EQ(range_free(&t, b + 5 * PG, PG), -ENOMEM); /* new range */
	CHECK(tree_is(&t, &p, two, 2));
	CHECK_EQ(p.refused, 3);
	p.fail = false;
	CHECK_EQ(range_free(&t, b + 5 * PG, PG), 0);
	CHECK(tree_is(&t, &p, three, 3));
	p.fail = true;
	CHECK_EQ(range_alloc(&t, PG, 1, &addr), 0); /* the start of range 0 */
	CHECK_EQ(range_free(&t, b + 4 * PG, PG), 0); /* joins two ranges */
	CHECK_EQ(range_alloc(&t, 2 * PG, 1, &addr), 0);
	CHECK_EQ(addr, b + PG);
	CHECK_EQ(range_alloc(&t, 3 * PG, 1, &addr), 0); /* the whole range */
	CHECK_EQ(addr, b + 3 * PG);
	CHECK_EQ(t.nr, 1);
	CHECK(range_tree_check(&t));
	tree_done(&t, &p);
}

static unsigned long count_nodes(const struct range_node *n)
{
	return n ? 1 + count_nodes(n->left) + count_nodes(n->right) : 0;
}

/* The checker must notice what it claims to check. */
TEST(check_catches_corruption)
{
	const unsigned long b = 0x40000000UL;
	struct range_tree t;
	struct pool p;
	struct range_node *n;
	unsigned long saved;
	int h;

	tree_init(&t, &p, b, b + 64 * PG);
	for (int i = 1; i < 64; i += 2)
		CHECK_EQ(range_alloc_at(&t, b + i * PG, PG), 0);
	CHECK(range_tree_check(&t));
	CHECK(t.root->left && t.root->right);

	n = t.root->left;
	saved = n->end;
	n->end += PG; /* touches its successor */
	CHECK(!range_tree_check(&t));
	n->end += PG; /* overlaps it */
	CHECK(!range_tree_check(&t));
	n->end = saved;

	saved = t.root->subtree_max;
	t.root->subtree_max = 2 * PG;
	CHECK(!range_tree_check(&t));
	t.root->subtree_max = saved;

	h = t.root->right->height;
	t.root->right->height = h + 1;
	CHECK(!range_tree_check(&t));
	t.root->right->height = h;

	t.nr++;
	CHECK(!range_tree_check(&t));
	t.nr--;
	t.free_bytes += PG;
	CHECK(!range_tree_check(&t));
	t.free_bytes -= PG;

	n = t.root->left->left;
	n->parent = t.root;
	CHECK(!range_tree_check(&t));
	n->parent = t.root->left;

	/*
	 * Cut off the root's left subtree, with the counts adjusted: all
	 * that is wrong now is the balance (and the root's cached height).
	 */
	n = t.root->left;
	t.root->left = NULL;
	t.nr -= count_nodes(n);
	t.free_bytes -= count_nodes(n) * PG;
	CHECK(!range_tree_check(&t));
	t.root->left = n;
	t.nr += count_nodes(n);
	t.free_bytes += count_nodes(n) * PG;
	CHECK(range_tree_check(&t));
	tree_done(&t, &p);
}

TEST_MAIN()
