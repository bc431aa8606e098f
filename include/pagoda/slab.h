/*
 * The slab allocator (mm/slab.c) and kmalloc (mm/kmalloc.c).
 *
 * A cache hands out objects of one size. It carves them from slabs,
 * runs of 2^order pages from the buddy allocator, and keeps a per-CPU
 * list of free objects so the common allocation is a pointer pop.
 * kmalloc is a set of caches of graded sizes, plus the page allocator
 * for requests too big for any of them.
 */
#ifndef PAGODA_SLAB_H
#define PAGODA_SLAB_H

#include <pagoda/gfp.h>
#include <pagoda/list.h>

/* kmem_cache_create flags, with Linux's names. */
#define SLAB_DEBUG_FREE 0x00000100UL	 /* F: sanity checks on free */
#define SLAB_RED_ZONE 0x00000400UL	 /* Z: red zone after each object */
#define SLAB_POISON 0x00000800UL	 /* P: fill free objects with 0x6b */
#define SLAB_HWCACHE_ALIGN 0x00002000UL	 /* align objects to cache lines */
#define SLAB_CACHE_DMA 0x00004000UL	 /* slabs from ZONE_DMA */
#define SLAB_STORE_USER 0x00010000UL	 /* U: remember who allocated/freed */
#define SLAB_PANIC 0x00040000UL		 /* creation failure panics */
#define SLAB_RECLAIM_ACCOUNT 0x00020000UL /* counted as SReclaimable */
/* Pagoda's own: an owner record after each object (boot option slab_owner). */
#define SLAB_OWNER 0x04000000UL

#define SLAB_DEBUG_FLAGS \
	(SLAB_DEBUG_FREE | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Names up to 19 characters: 20 with the terminator, as 2.6 allowed. */
#define KMEM_CACHE_NAME_LEN 20

/* The poison and red-zone bytes, Linux's values. */
#define POISON_INUSE 0x5a
#define POISON_FREE 0x6b
#define POISON_END 0xa5
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned long size,
				     unsigned long align, unsigned long flags,
				     void (*ctor)(void *));
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* Give every empty slab back to the page allocator; returns pages freed. */
unsigned long kmem_cache_shrink(struct kmem_cache *s);
void kmem_cache_destroy(struct kmem_cache *s);
const char *kmem_cache_name(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);

/* Shrink every cache (the page allocator's shrinker calls this). */
unsigned long kmem_cache_shrink_all(void);
/* Check every object of every debug cache; returns problems found. */
unsigned long slab_check_all(void);

/* What a pointer is, as far as the slab layer knows. */
struct kmem_cache *virt_to_cache(const void *obj);

/* Totals for /proc/meminfo, in pages. */
unsigned long slab_reclaimable_pages(void);
unsigned long slab_unreclaimable_pages(void);

/*
 * For measurements (mm/slab_usage.c): objects in use in all caches, and
 * the bytes an object from kmalloc or a cache really holds (its share
 * of its slab, or a large kmalloc's pages); 0 for anything else.
 */
unsigned long slab_objects_in_use(void);
unsigned long kmem_footprint(const void *p);

void kmem_cache_init(void);

/* ---- kmalloc ---- */

/* kmalloc(0) returns this: not NULL, and it faults when touched. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(p) ((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 8192 /* larger: straight to the pages */

void *kmalloc(unsigned long size, gfp_t gfp);
void *kzalloc(unsigned long size, gfp_t gfp);
void *kcalloc(unsigned long n, unsigned long size, gfp_t gfp);
void *krealloc(const void *p, unsigned long new_size, gfp_t gfp);
void kfree(const void *p);
/* The usable size of a kmalloc'ed block (>= what was asked). */
unsigned long ksize(const void *p);

/* The class a size falls in, as the cache name says ("kmalloc-96"). */
unsigned long kmalloc_size_class(unsigned long size);

void kmalloc_init(void);

#endif
