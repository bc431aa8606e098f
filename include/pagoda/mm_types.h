/*
 * struct page: one per physical page frame, in the mem_map array.
 *
 * Kept small because there is one for every 4 KiB of RAM: 24 bytes on
 * i386 and 40 on riscv64 (2 GiB of RAM costs 12 or 20 MiB of mem_map).
 * What a page is doing decides which fields mean what:
 *
 *   free, in the buddy lists   PG_buddy, lru links it, private = order
 *   free, on a per-CPU list    PG_pcp, lru links it
 *   allocated                  _count > 0 on the first page of the block,
 *                              private = the block's order
 *   reserved (never free)      PG_reserved
 *   a slab (mm/slab.c)         PG_slab on the first page: private = its
 *                              cache, slab.inuse / slab.freelist below;
 *                              the other pages PG_tail, private = first
 *   a big kmalloc block        PG_kmalloc on the first page
 *   kmapped (HighMem)          PG_pkmap while it holds a pkmap slot
 */
#ifndef PAGODA_MM_TYPES_H
#define PAGODA_MM_TYPES_H

#include <pagoda/list.h>
#include <pagoda/types.h>

struct page {
	unsigned long flags;
	struct list_head lru;
	unsigned long private;
	int _count;
	union {
		int _mapcount;
		struct {
			u16 inuse;    /* objects handed out */
			u16 freelist; /* index of the first free object */
		} slab;
	};
};

#define PG_reserved 0 /* not RAM, or taken before the buddy allocator ran */
#define PG_buddy 1    /* head of a free block in a free_area list */
#define PG_pcp 2      /* on a per-CPU hot/cold list */
#define PG_slab 3     /* first page of a slab */
#define PG_tail 4     /* later page of a slab: private = the first page */
#define PG_kmalloc 5  /* first page of a kmalloc too big for a cache */
#define PG_pgtable 6  /* a page table; _mapcount counts its used entries */
#define PG_pkmap 7    /* mapped by kmap into a pkmap slot (mm/kmap.c) */

/*
 * The top byte of flags caches which zone the page belongs to (1 + node
 * * MAX_NR_ZONES + zone index; 0 = not looked up yet): a frame never
 * changes zone, and page_zone() is on every free path.
 */
#define PAGE_ZONE_SHIFT (sizeof(unsigned long) * 8 - 8)

#define PAGE_FLAG_FUNCS(name, bit)                                       \
	static inline bool Page##name(const struct page *p)              \
	{                                                                \
		return p->flags & (1UL << (bit));                        \
	}                                                                \
	static inline void SetPage##name(struct page *p)                 \
	{                                                                \
		p->flags |= 1UL << (bit);                                \
	}                                                                \
	static inline void ClearPage##name(struct page *p)               \
	{                                                                \
		p->flags &= ~(1UL << (bit));                             \
	}

PAGE_FLAG_FUNCS(Reserved, PG_reserved)
PAGE_FLAG_FUNCS(Buddy, PG_buddy)
PAGE_FLAG_FUNCS(Pcp, PG_pcp)
PAGE_FLAG_FUNCS(Slab, PG_slab)
PAGE_FLAG_FUNCS(Tail, PG_tail)
PAGE_FLAG_FUNCS(Kmalloc, PG_kmalloc)
PAGE_FLAG_FUNCS(Pgtable, PG_pgtable)
PAGE_FLAG_FUNCS(Pkmap, PG_pkmap)

#endif
