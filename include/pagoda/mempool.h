/*
 * Memory pools (mm/mempool.c): an allocator with a reserve. The pool
 * first asks its allocation function; only when that fails does it hand
 * out one of the min_nr elements it set aside at creation, and a freed
 * element refills the reserve before going back. Code that must make
 * progress under memory pressure (a block driver's requests) keeps its
 * guaranteed minimum this way. The API is Linux 2.6's.
 */
#ifndef PAGODA_MEMPOOL_H
#define PAGODA_MEMPOOL_H

#include <pagoda/gfp.h>
#include <pagoda/list.h>

typedef void *(mempool_alloc_t)(gfp_t gfp, void *pool_data);
typedef void(mempool_free_t)(void *element, void *pool_data);

typedef struct mempool_s {
	int min_nr;
	int curr_nr;	 /* elements in the reserve now */
	void **elements; /* the reserve */
	void *pool_data;
	mempool_alloc_t *alloc;
	mempool_free_t *free;
	/* For /proc/mempoolinfo and leak reports. */
	int out; /* elements handed out and not yet freed */
	unsigned long reserve_hits, failures;
	unsigned long creator;
	struct list_head list;
} mempool_t;

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn,
			  mempool_free_t *free_fn, void *pool_data);
int mempool_resize(mempool_t *pool, int new_min_nr, gfp_t gfp);
void mempool_destroy(mempool_t *pool);
void *mempool_alloc(mempool_t *pool, gfp_t gfp);
void mempool_free(void *element, mempool_t *pool);

/* Ready-made element sources. */
void *mempool_alloc_slab(gfp_t gfp, void *pool_data);
void mempool_free_slab(void *element, void *pool_data);
void *mempool_kmalloc(gfp_t gfp, void *pool_data);
void mempool_kfree(void *element, void *pool_data);
void *mempool_alloc_pages(gfp_t gfp, void *pool_data);
void mempool_free_pages(void *element, void *pool_data);

struct kmem_cache;
mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *cache);
mempool_t *mempool_create_kmalloc_pool(int min_nr, unsigned long size);
/* Elements are struct page pointers of 2^order pages. */
mempool_t *mempool_create_page_pool(int min_nr, int order);

#endif
