/*
 * Page owner (mm/page_owner.c): for every allocated block of pages, the
 * code that asked for it and the allocation generation it was made in.
 * Generations are epochs a user opens (`leaks mark`, each selftest
 * suite): "what is still allocated since generation G" is then the list
 * of suspects for a leak, grouped by caller (`leaks since G`). On by
 * default; `page_owner=off` saves its array (12 bytes a page on i386,
 * 16 on riscv64).
 */
#ifndef PAGODA_PAGE_OWNER_H
#define PAGODA_PAGE_OWNER_H

#include <pagoda/seq_file.h>
#include <pagoda/types.h>

struct page;

/* The generation allocations are stamped with now; starts at 1. */
extern u32 mm_generation;
/* Open a new generation and return it. */
u32 mm_generation_next(void);

enum page_owner_kind {
	PO_PAGES, /* alloc_pages and friends (and large kmalloc) */
	PO_VMALLOC, /* a page of a vmalloc area: the caller is vmalloc's */
};

struct page_owner {
	unsigned long caller;
	u32 gen;
	u8 order;
	u8 kind;
	u16 allocated; /* nonzero on the first page of a live block */
};

/* From mem_init, once mem_map exists. */
void page_owner_init(void);
void set_page_owner(struct page *page, unsigned int order,
		    unsigned long caller);
/* Re-label a block (vmalloc's pages carry vmalloc's caller). */
void set_page_owner_kind(struct page *page, unsigned long caller,
			 enum page_owner_kind kind);
void reset_page_owner(struct page *page, unsigned int order);
const char *page_owner_kind_name(const struct page_owner *o);
/* The record for the block starting at pfn; NULL if none is kept. */
const struct page_owner *page_owner_of(unsigned long pfn);

/*
 * Print what is still allocated since generation gen, grouped by caller
 * (mm/leaks.c: pages by page_owner, slab objects of caches that store
 * their users). Returns the number of allocations; quiet only counts.
 */
unsigned long leaks_since(struct seq_file *m, u32 gen, bool quiet);

#endif
