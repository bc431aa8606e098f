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
 * What a page frame is doing (mm/page_kind.c), for memmap's picture and
 * its dump. Walk frames in increasing order with one page_walk.
 */
enum page_kind {
	PK_HOLE, /* no RAM behind this frame number */
	PK_RESERVED, /* never handed to the buddy allocator */
	PK_FREE, /* in a buddy list: order says the block's */
	PK_PCP, /* on a per-CPU list: free too */
	PK_SLAB, /* owned by the slab allocator (PG_slab, PG_tail) */
	PK_PAGES, /* alloc_pages and friends */
	PK_KMALLOC, /* a kmalloc too big for a cache (PG_kmalloc) */
	PK_VMALLOC, /* a page of a vmalloc area (page_owner says so) */
	PK_PGTABLE, /* a page table taken after boot (PG_pgtable) */
	PK_PKMAP, /* a HighMem page kmapped into a pkmap slot */
	PK_ORPHAN, /* RAM with no flag, no count, and in no block */
	NR_PAGE_KINDS
};

struct page_walk {
	unsigned long block_end; /* the last block head seen reaches here */
	enum page_kind block_kind; /* and says this of its pages */
	unsigned int block_order;
	int mem, resv; /* next bootmem regions to look at */
	unsigned long ram_start, ram_end; /* the current memory region */
	unsigned long resv_start, resv_end; /* the current reservation */
	/* Set by page_walk_kind() for the frame it was given: */
	unsigned int order; /* PK_FREE: the order of its free block */
	int reservation; /* PK_RESERVED: bootmem_reserved() index, or -1 */
	unsigned long win_start, win_end; /* the frames page_walk_frame holds */
};

/* One frame as page_walk_frame() gives it. */
struct page_frame {
	u8 kind; /* enum page_kind */
	s16 arg; /* PK_FREE: order; PK_RESERVED: reservation or -1; else 0 */
};

void page_walk_start(struct page_walk *w);
/*
 * The frame pfn, with pfn growing from one call to the next. Frames are
 * classified a window at a time, with interrupts off, so that no block is
 * seen half split or half merged; the caller prints with them on. One
 * walk at a time: the window is static (the shell runs one command at a
 * time).
 */
const struct page_frame *page_walk_frame(struct page_walk *w,
					 unsigned long pfn);
const char *page_kind_name(enum page_kind kind);

#define MAX_ZONES (MAX_NUMNODES * MAX_NR_ZONES)
/* Fill zs[MAX_ZONES] with the populated zones in address order (memmap). */
int sorted_zones(struct zone **zs);
/* `memmap --dump` (mm/memmap_dump.c). */
int memmap_dump(struct seq_file *m);

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
 * Every live object of the caches that know their owners (slub_debug=U
 * or slab_owner), for leak reports (mm/slab_owner.c).
 */
typedef void (*slab_owner_fn)(void *ctx, unsigned long caller, u32 gen,
			      unsigned long bytes, const char *cache);
void slab_for_each_owner(slab_owner_fn fn, void *ctx);

#endif
