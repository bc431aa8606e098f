/* Shared between the files of mm/ only. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <pagoda/fault_inject.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>

/* Hand a block to the buddy lists at boot (no checks, no pcp). */
void __free_pages_boot(struct page *page, unsigned int order);
int watermark_min_free_kbytes(void);
/* Pages on all per-CPU lists of a zone. */
unsigned long zone_pcp_pages(const struct zone *z);

/*
 * Fault injection (mm/fail_page_alloc.c, mm/failslab.c): the armed test
 * is inline so an allocation pays one load while injection is off.
 */
extern struct fault_attr fail_page_alloc_attr;
bool __should_fail_alloc_page(gfp_t gfp, unsigned int order,
			      unsigned long caller);
static inline bool should_fail_alloc_page(gfp_t gfp, unsigned int order,
					  unsigned long caller)
{
	return unlikely(fault_attr_armed(&fail_page_alloc_attr)) &&
	       __should_fail_alloc_page(gfp, order, caller);
}

struct kmem_cache;
extern struct fault_attr failslab_attr;
bool __should_failslab(struct kmem_cache *s, gfp_t gfp, unsigned long caller);
static inline bool should_failslab(struct kmem_cache *s, gfp_t gfp,
				   unsigned long caller)
{
	return unlikely(fault_attr_armed(&failslab_attr)) &&
	       __should_failslab(s, gfp, caller);
}

/*
 * Every live object of the caches that store their users (slub_debug=U),
 * for leak reports (mm/slab_debug.c).
 */
typedef void (*slab_owner_fn)(void *ctx, unsigned long caller, u32 gen,
			      unsigned long bytes, const char *cache);
void slab_for_each_owner(slab_owner_fn fn, void *ctx);

#endif
