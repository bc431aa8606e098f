/*
 * GFP ("get free pages") flags and the page allocator's entry points
 * (mm/page_alloc.c), with Linux 2.6's names and meanings.
 *
 * The low bits pick a zone; the rest say how hard the allocator may try
 * and what it may do on the way (sleep, start I/O, call a filesystem).
 * Pagoda never sleeps yet, but it keeps the rule: a flag that may sleep,
 * used where sleeping is forbidden, is reported.
 */
#ifndef PAGODA_GFP_H
#define PAGODA_GFP_H

#include <pagoda/types.h>

typedef unsigned int gfp_t;

/* Zone modifiers: where the memory may come from. */
#define __GFP_DMA 0x01u	    /* ZONE_DMA only */
#define __GFP_HIGHMEM 0x02u /* ZONE_HIGHMEM, then NORMAL, then DMA */

/* Action modifiers. */
#define __GFP_WAIT 0x10u    /* may sleep */
#define __GFP_HIGH 0x20u    /* may use the emergency reserve */
#define __GFP_IO 0x40u	    /* may start disk I/O */
#define __GFP_FS 0x80u	    /* may call into a filesystem */
#define __GFP_COLD 0x100u   /* cache-cold page wanted */
#define __GFP_NOWARN 0x200u /* no failure report */
#define __GFP_REPEAT 0x400u /* try harder before failing */
#define __GFP_NOFAIL 0x800u /* must not fail (retries much harder) */
#define __GFP_NORETRY 0x1000u /* fail at once rather than retry */
#define __GFP_ZERO 0x8000u  /* return zeroed memory */
#define __GFP_BITS_MASK 0x9ff3u

#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_NOIO (__GFP_WAIT)
#define GFP_NOFS (__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_USER (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_HIGHUSER (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HIGHMEM)
#define GFP_DMA __GFP_DMA

struct page;

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)

/* Direct-mapped memory only: NULL for __GFP_HIGHMEM. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);

void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
#define __free_page(page) __free_pages(page, 0)
#define free_page(addr) free_pages(addr, 0)

/* Order-0 frees that say how cache-warm the page is (2.6). */
void free_hot_page(struct page *page);
void free_cold_page(struct page *page);

/* Return the per-CPU lists' pages to the buddy lists. */
void drain_local_pages(void);
void drain_all_pages(void);

/* "GFP_KERNEL|__GFP_ZERO" for a mask, for reports; returns buf. */
const char *gfp_name(gfp_t gfp, char *buf, unsigned long size);
/* Parse "GFP_KERNEL|__GFP_ZERO" or a number: 0 or -EINVAL. */
int gfp_parse(const char *s, gfp_t *gfp);

#endif
