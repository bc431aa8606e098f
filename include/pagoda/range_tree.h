/*
 * A set of free address ranges with a fast lowest-fit search
 * (lib/range_tree.c).
 *
 * The vmalloc area is a fixed span of kernel virtual addresses; what is
 * not handed out is kept here as maximal free ranges [start, end): two
 * free ranges never touch, because a free merges with its neighbours.
 * range_alloc() finds the lowest-addressed range that can hold a request,
 * so the area fills from the bottom and stays compact, as in Linux.
 * range_tree_largest() is /proc/meminfo's VmallocChunk.
 *
 * The ranges sit in an AVL tree ordered by start address, and every node
 * also knows the largest range in its subtree (Linux keeps the same
 * "subtree_max_size" in an augmented red-black tree). The search can then
 * skip any subtree too small to help: it is O(log n) in the number of
 * free ranges whenever the request's alignment is no stricter than the
 * ranges' own (page-sized requests in a page-granular area).
 *
 * The tree never allocates memory by itself: the caller lends node
 * storage through alloc_node() and takes it back through free_node().
 * Only two things need a new node: a range_alloc()/range_alloc_at() that
 * splits a free range in two, and a range_free() that touches no free
 * neighbour. When alloc_node() returns NULL they fail with -ENOMEM and
 * the tree is left exactly as it was.
 */
#ifndef PAGODA_RANGE_TREE_H
#define PAGODA_RANGE_TREE_H

#include <pagoda/types.h>

struct range_node {
	unsigned long start, end; /* this free range is [start, end) */
	/* Tree links: private to lib/range_tree.c. */
	unsigned long subtree_max; /* largest end - start in this subtree */
	struct range_node *left, *right, *parent;
	int height; /* of this subtree: a leaf is 1 */
};

struct range_tree {
	struct range_node *root;
	unsigned long nr; /* free ranges (= nodes in the tree) */
	unsigned long free_bytes; /* their total size */
	unsigned long span_start, span_end; /* everything: [start, end) */
	struct range_node *(*alloc_node)(void *ctx);
	void (*free_node)(struct range_node *n, void *ctx);
	void *ctx; /* passed to both callbacks */
};

/*
 * The whole span [start, end) becomes one free range. 0, -EINVAL
 * (start >= end, a callback missing) or -ENOMEM (no node).
 */
int range_tree_init(struct range_tree *t, unsigned long start,
		    unsigned long end,
		    struct range_node *(*alloc_node)(void *ctx),
		    void (*free_node)(struct range_node *n, void *ctx),
		    void *ctx);
/* Give every node back through free_node(); the tree is then empty. */
void range_tree_destroy(struct range_tree *t);

/*
 * Take size bytes at the lowest address that is a multiple of align (a
 * power of two, 1 for none) and wholly free; the address goes to *addr.
 * 0, -EINVAL (size 0, bad align), -ENOMEM (nothing fits, or no node for
 * a split).
 */
int range_alloc(struct range_tree *t, unsigned long size, unsigned long align,
		unsigned long *addr);
/*
 * Take exactly [start, start + size). 0, -EBUSY (some of it is not free),
 * -EINVAL (size 0, or not inside the span), -ENOMEM (no node for a split).
 */
int range_alloc_at(struct range_tree *t, unsigned long start,
		   unsigned long size);
/*
 * Give [start, start + size) back, merged with the free ranges on either
 * side. -EINVAL if size is 0, if it is not inside the span, or if any of
 * it is already free (a double free is refused, never absorbed); -ENOMEM
 * if a new node was needed and none came. The tree is unchanged on error.
 */
int range_free(struct range_tree *t, unsigned long start, unsigned long size);

/* The largest free range, in bytes (VmallocChunk); 0 if none. O(1). */
unsigned long range_tree_largest(const struct range_tree *t);
/* All free bytes. O(1). */
unsigned long range_tree_free_bytes(const struct range_tree *t);

/* The free ranges in address order: first, then next; NULL at the end. */
const struct range_node *range_first(const struct range_tree *t);
const struct range_node *range_next(const struct range_node *n);

/* For tests: the height of the tree (0 when empty). */
int range_tree_depth(const struct range_tree *t);
/*
 * For tests: walk the whole tree and check every invariant - order, no
 * overlap, no two free ranges touching, everything inside the span, the
 * links, heights and balance, the subtree maxima, nr and free_bytes.
 */
bool range_tree_check(const struct range_tree *t);

#endif
