/*
 * range_tree: the free address ranges of a fixed span, for the vmalloc
 * area (see include/pagoda/range_tree.h for the interface).
 *
 * vmalloc hands out ranges of kernel virtual addresses. Each free range
 * is one node of an AVL tree ordered by start address; ranges are
 * maximal (a free merges with the ranges it touches), so the tree holds
 * as few nodes as the fragmentation allows, and the largest range is the
 * VmallocChunk line of /proc/meminfo.
 *
 * Finding the lowest range that fits a request would be a walk over all
 * ranges in a plain sorted structure. Linux (mm/vmalloc.c) instead keeps
 * in every node the largest range size found anywhere in its subtree, so
 * a whole subtree can be skipped at once when it is too small: the search
 * goes left whenever the left subtree can hold the request, and reaches
 * the lowest fit in one root-to-leaf path. Linux uses a red-black tree;
 * Pagoda uses an AVL tree, which is simpler to make correct: one
 * rebalancing routine, applied to every node on the way back up from any
 * change, also recomputes the subtree maxima that the change affected.
 * An AVL tree of n nodes is at most about 1.44 * log2(n) high, so every
 * operation here costs O(log n).
 *
 * Alignment: a range at least size long may still not hold an aligned
 * block. The search then checks each candidate exactly and moves on, so
 * it always returns the lowest fit; the price is one extra step per range
 * that is long enough but badly aligned below the answer. Within a page-
 * granular area and page-aligned requests there are none.
 *
 * Addresses are unsigned long and the span may end near the top of the
 * address space (0xff7fe000 on i386), so every sum below is checked for
 * wrapping before it is made.
 */
#include <pagoda/range_tree.h>
#include <pagoda/compiler.h>
#include <pagoda/errno.h>

static inline unsigned long node_size(const struct range_node *n)
{
	return n->end - n->start;
}

static inline int height(const struct range_node *n)
{
	return n ? n->height : 0;
}

static inline unsigned long subtree_max(const struct range_node *n)
{
	return n ? n->subtree_max : 0;
}

/* Recompute n's cached height and subtree maximum from its children. */
static void update(struct range_node *n)
{
	unsigned long m = max(subtree_max(n->left), subtree_max(n->right));

	n->height = 1 + max(height(n->left), height(n->right));
	n->subtree_max = max(node_size(n), m);
}

/* Make new take old's place under old's parent (or as the root). */
static void replace_child(struct range_tree *t, struct range_node *old,
			  struct range_node *new)
{
	struct range_node *parent = old->parent;

	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

/*
 *     x              y
 *    / \            / \
 *   a   y    =>    x   c
 *      / \        / \
 *     b   c      a   b
 */
static struct range_node *rotate_left(struct range_tree *t,
				      struct range_node *x)
{
	struct range_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(t, x, y);
	y->parent = x->parent;
	y->left = x;
	x->parent = y;
	update(x); /* x is now below y: update it first */
	update(y);
	return y;
}

/* The mirror image of rotate_left(). */
static struct range_node *rotate_right(struct range_tree *t,
				       struct range_node *x)
{
	struct range_node *y = x->left;

	x->left = y->right;
	if (y->right)
		y->right->parent = x;
	replace_child(t, x, y);
	y->parent = x->parent;
	y->right = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

/*
 * Restore the AVL property at n, whose children are balanced and up to
 * date but may differ in height by two. Returns the node now at n's place.
 * The double rotation is needed when the taller grandchild is on the
 * inside; when both grandchildren are equally tall (only after an
 * erase) the single rotation is the right one.
 */
static struct range_node *rebalance(struct range_tree *t, struct range_node *n)
{
	int balance = height(n->left) - height(n->right);

	if (balance > 1) {
		if (height(n->left->left) < height(n->left->right))
			rotate_left(t, n->left);
		return rotate_right(t, n);
	}
	if (balance < -1) {
		if (height(n->right->right) < height(n->right->left))
			rotate_right(t, n->right);
		return rotate_left(t, n);
	}
	update(n);
	return n;
}

/*
 * After any change at n - a node linked or unlinked below it, its own
 * range grown or shrunk - walk up to the root, rebalancing and refreshing
 * the cached values. Going all the way up (rather than stopping once the
 * height stops changing) is what keeps every subtree maximum right.
 */
static void fixup(struct range_tree *t, struct range_node *n)
{
	while (n) {
		n = rebalance(t, n);
		n = n->parent;
	}
}

static void insert(struct range_tree *t, struct range_node *n)
{
	struct range_node **link = &t->root, *parent = NULL;

	while (*link) {
		parent = *link;
		if (n->start < parent->start)
			link = &parent->left;
		else
			link = &parent->right;
	}
	n->left = n->right = NULL;
	n->parent = parent;
	*link = n;
	fixup(t, n);
}

/*
 * Unlink z. A node with two children is replaced by its successor s, the
 * node itself moving (not just its range) so that callers' pointers to
 * other nodes stay valid. Rebalancing starts where a node really went
 * missing: s's old parent, or s itself when that parent was z.
 */
static void erase(struct range_tree *t, struct range_node *z)
{
	struct range_node *s, *from;

	if (!z->left || !z->right) {
		struct range_node *child = z->left ? z->left : z->right;

		if (child)
			child->parent = z->parent;
		replace_child(t, z, child);
		fixup(t, z->parent);
		return;
	}
	for (s = z->right; s->left; s = s->left)
		;
	if (s->parent == z) {
		from = s;
	} else {
		from = s->parent;
		from->left = s->right;
		if (s->right)
			s->right->parent = from;
		s->right = z->right;
		s->right->parent = s;
	}
	s->left = z->left;
	s->left->parent = s;
	replace_child(t, z, s);
	s->parent = z->parent;
	fixup(t, from);
}

/* The free range with the highest start below key, or NULL. */
static struct range_node *last_below(struct range_tree *t, unsigned long key)
{
	struct range_node *n = t->root, *best = NULL;

	while (n) {
		if (n->start < key) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

/* The free range with the lowest start at or above key, or NULL. */
static struct range_node *first_from(struct range_tree *t, unsigned long key)
{
	struct range_node *n = t->root, *best = NULL;

	while (n) {
		if (n->start >= key) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

/*
 * Is [start, start + size) inside the span? Written so that nothing
 * wraps: start + size itself may not be representable.
 */
static bool in_span(const struct range_tree *t, unsigned long start,
		    unsigned long size)
{
	return size && start >= t->span_start && start <= t->span_end &&
	       size <= t->span_end - start;
}

int range_tree_init(struct range_tree *t, unsigned long start,
		    unsigned long end,
		    struct range_node *(*alloc_node)(void *ctx),
		    void (*free_node)(struct range_node *n, void *ctx),
		    void *ctx)
{
	struct range_node *n;

	t->root = NULL;
	t->nr = 0;
	t->free_bytes = 0;
	t->span_start = start;
	t->span_end = end;
	t->alloc_node = alloc_node;
	t->free_node = free_node;
	t->ctx = ctx;
	if (start >= end || !alloc_node || !free_node)
		return -EINVAL;
	n = alloc_node(ctx);
	if (!n)
		return -ENOMEM;
	n->start = start;
	n->end = end;
	insert(t, n);
	t->nr = 1;
	t->free_bytes = end - start;
	return 0;
}

/* Post-order, so a node is handed back only after its children. */
static void destroy_subtree(struct range_tree *t, struct range_node *n)
{
	if (!n)
		return;
	destroy_subtree(t, n->left);
	destroy_subtree(t, n->right);
	t->free_node(n, t->ctx);
}

void range_tree_destroy(struct range_tree *t)
{
	destroy_subtree(t, t->root);
	t->root = NULL;
	t->nr = 0;
	t->free_bytes = 0;
}

/*
 * Does an align-aligned block of size bytes fit in n? If so, *addr is
 * the lowest such block's start. Rounding start up may wrap past the top
 * of the address space: then it does not fit.
 */
static bool node_fits(const struct range_node *n, unsigned long size,
		      unsigned long align, unsigned long *addr)
{
	unsigned long a = n->start + ((0UL - n->start) & (align - 1));

	if (a < n->start || a > n->end || n->end - a < size)
		return false;
	*addr = a;
	return true;
}

/*
 * The lowest-addressed node of n's subtree that fits, in address order:
 * left subtree, n, right subtree, each skipped when its largest range is
 * smaller than size. Without alignment misses the left subtree either
 * holds the answer or is skipped at once, so this is one downward path.
 * Recursion only goes left: its depth is bounded by the tree's height.
 */
static struct range_node *lowest_fit(struct range_node *n, unsigned long size,
				     unsigned long align, unsigned long *addr)
{
	while (n && n->subtree_max >= size) {
		struct range_node *hit = lowest_fit(n->left, size, align, addr);

		if (hit)
			return hit;
		if (node_fits(n, size, align, addr))
			return n;
		n = n->right;
	}
	return NULL;
}

/*
 * Take [a, e) out of free range n, which holds it. Cutting from the
 * middle leaves two ranges and needs a node; that is the only way to
 * fail, and it fails before touching anything.
 */
static int take(struct range_tree *t, struct range_node *n, unsigned long a,
		unsigned long e)
{
	struct range_node *tail;

	if (a == n->start && e == n->end) {
		erase(t, n);
		t->free_node(n, t->ctx);
		t->nr--;
	} else if (a == n->start) {
		n->start = e; /* still after its predecessor: order holds */
		fixup(t, n);
	} else if (e == n->end) {
		n->end = a;
		fixup(t, n);
	} else {
		tail = t->alloc_node(t->ctx);
		if (!tail)
			return -ENOMEM;
		tail->start = e;
		tail->end = n->end;
		n->end = a;
		fixup(t, n);
		insert(t, tail);
		t->nr++;
	}
	t->free_bytes -= e - a;
	return 0;
}

int range_alloc(struct range_tree *t, unsigned long size, unsigned long align,
		unsigned long *addr)
{
	struct range_node *n;
	unsigned long a;
	int err;

	if (!size || !align || (align & (align - 1)))
		return -EINVAL;
	n = lowest_fit(t->root, size, align, &a);
	if (!n)
		return -ENOMEM;
	err = take(t, n, a, a + size);
	if (!err)
		*addr = a;
	return err;
}

int range_alloc_at(struct range_tree *t, unsigned long start,
		   unsigned long size)
{
	struct range_node *n;
	unsigned long end;

	if (!in_span(t, start, size))
		return -EINVAL;
	end = start + size;
	/*
	 * Ranges are maximal, so a wholly free block lies inside one range:
	 * the last one starting below its end.
	 */
	n = last_below(t, end);
	if (!n || n->start > start || n->end < end)
		return -EBUSY;
	return take(t, n, start, end);
}

/* [start, end) touches free ranges on both sides: one range remains. */
static void join_both(struct range_tree *t, struct range_node *prev,
		      struct range_node *next)
{
	unsigned long end = next->end;

	/*
	 * erase() refreshes only next's path to the root; prev's path is
	 * refreshed after it, once prev has its new end.
	 */
	erase(t, next);
	t->free_node(next, t->ctx);
	t->nr--;
	prev->end = end;
	fixup(t, prev);
}

int range_free(struct range_tree *t, unsigned long start, unsigned long size)
{
	struct range_node *prev, *next, *n;
	unsigned long end;

	if (!in_span(t, start, size))
		return -EINVAL;
	end = start + size;
	/*
	 * Free ranges are sorted and disjoint, so only the last one
	 * starting below end can overlap [start, end). If it does, some of
	 * the block is free already: a double free, refused untouched.
	 */
	prev = last_below(t, end);
	if (prev && prev->end > start)
		return -EINVAL;
	next = first_from(t, end);
	if (prev && prev->end == start && next && next->start == end) {
		join_both(t, prev, next);
	} else if (prev && prev->end == start) {
		prev->end = end;
		fixup(t, prev);
	} else if (next && next->start == end) {
		next->start = start; /* still after prev: order holds */
		fixup(t, next);
	} else {
		n = t->alloc_node(t->ctx);
		if (!n)
			return -ENOMEM;
		n->start = start;
		n->end = end;
		insert(t, n);
		t->nr++;
	}
	t->free_bytes += size;
	return 0;
}

unsigned long range_tree_largest(const struct range_tree *t)
{
	return subtree_max(t->root);
}

unsigned long range_tree_free_bytes(const struct range_tree *t)
{
	return t->free_bytes;
}

const struct range_node *range_first(const struct range_tree *t)
{
	const struct range_node *n = t->root;

	while (n && n->left)
		n = n->left;
	return n;
}

/* In-order successor: down the right subtree, else up past right links. */
const struct range_node *range_next(const struct range_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return n;
	}
	while (n->parent && n == n->parent->right)
		n = n->parent;
	return n->parent;
}

int range_tree_depth(const struct range_tree *t)
{
	return height(t->root);
}

struct check_state {
	const struct range_tree *t;
	unsigned long count, bytes;
	unsigned long prev_end;
	bool have_prev;
};

/*
 * Check n's subtree in address order, trusting none of the cached
 * values. Returns its real height, or -1 if anything is wrong. Counting
 * nodes against nr stops a corrupted (cyclic) tree from looping.
 */
static int check_subtree(struct check_state *st, const struct range_node *n,
			 const struct range_node *parent)
{
	unsigned long m;
	int hl, hr;

	if (!n)
		return 0;
	if (n->parent != parent || ++st->count > st->t->nr)
		return -1;
	hl = check_subtree(st, n->left, n);
	if (hl < 0)
		return -1;
	/* Strictly after the previous end: touching ranges must be merged. */
	if (n->start >= n->end || n->start < st->t->span_start ||
	    n->end > st->t->span_end ||
	    (st->have_prev && n->start <= st->prev_end))
		return -1;
	st->prev_end = n->end;
	st->have_prev = true;
	st->bytes += node_size(n);
	hr = check_subtree(st, n->right, n);
	if (hr < 0)
		return -1;
	m = max(node_size(n), max(subtree_max(n->left), subtree_max(n->right)));
	if (n->height != 1 + max(hl, hr) || hl - hr > 1 || hr - hl > 1 ||
	    n->subtree_max != m)
		return -1;
	return n->height;
}

bool range_tree_check(const struct range_tree *t)
{
	struct check_state st = {.t = t};

	if (check_subtree(&st, t->root, NULL) < 0)
		return false;
	return st.count == t->nr && st.bytes == t->free_bytes;
}
