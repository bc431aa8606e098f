/*
 * What each page frame is doing, read from mem_map in one pass from the
 * lowest frame to the highest: the classification behind `memmap`'s
 * picture and `memmap --dump`.
 *
 * Only the first page of a block says what the block is (PG_buddy and
 * its order for a free block, _count > 0 and its order for an allocated
 * one, see include/pagoda/mm_types.h); the other pages of the block
 * carry nothing. So the walk remembers the last block head it passed
 * and how far that block reaches: a page with nothing of its own
 * belongs to it. An allocated block's owner comes from its flags
 * (PG_slab, PG_kmalloc, PG_pgtable) or else from page_owner's record
 * (vmalloc's pages). Holes are marked reserved in mem_map just like the
 * kernel image is, so which frames are RAM at all comes from bootmem's
 * memory regions, the same ones mem_map was built from; and who took a
 * reserved frame comes from bootmem's reserved regions.
 */
#include <pagoda/bootmem.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>

#include "internal.h"

static const char *const kind_names[NR_PAGE_KINDS] = {
	[PK_HOLE] = "hole",	  [PK_RESERVED] = "reserved",
	[PK_FREE] = "free",	  [PK_PCP] = "pcp",
	[PK_SLAB] = "slab",	  [PK_PAGES] = "page",
	[PK_KMALLOC] = "kmalloc", [PK_VMALLOC] = "vmalloc",
	[PK_PGTABLE] = "pgtable", [PK_PKMAP] = "pkmap",
	[PK_ORPHAN] = "orphan",
};

const char *page_kind_name(enum page_kind kind)
{
	return kind < NR_PAGE_KINDS ? kind_names[kind] : "?";
}

void page_walk_start(struct page_walk *w)
{
	*w = (struct page_walk){.block_end = 0};
}

/*
 * Is pfn RAM? The regions are sorted and pfn only grows, so this moves
 * forward through them once per walk: O(regions) in all.
 */
static bool pfn_is_ram(struct page_walk *w, unsigned long pfn)
{
	while (pfn >= w->ram_end) {
		const struct bootmem_region *r = bootmem_memory(w->mem++);

		if (!r) {
			w->ram_start = w->ram_end = ~0UL;
			break;
		}
		/* Partial pages at a region's ends are not usable RAM. */
		w->ram_start = ALIGN(r->base, PAGE_SIZE) >> PAGE_SHIFT;
		w->ram_end =
			ALIGN_DOWN(r->base + r->size, PAGE_SIZE) >> PAGE_SHIFT;
	}
	return pfn >= w->ram_start;
}

/*
 * The bootmem reservation that holds pfn, or -1. Same forward walk; a
 * reservation covers every frame it touches, even in part.
 */
static int reservation_of(struct page_walk *w, unsigned long pfn)
{
	while (pfn >= w->resv_end) {
		const struct bootmem_region *r = bootmem_reserved(w->resv);

		if (!r) {
			w->resv_start = w->resv_end = ~0UL;
			return -1;
		}
		w->resv_start = r->base >> PAGE_SHIFT;
		w->resv_end = ALIGN(r->base + r->size, PAGE_SIZE) >> PAGE_SHIFT;
		w->resv++;
	}
	return pfn >= w->resv_start ? w->resv - 1 : -1;
}

static enum page_kind begin_block(struct page_walk *w, unsigned long pfn,
				  const struct page *page, enum page_kind kind)
{
	/* A nonsense order must not swallow the pages after it. */
	unsigned long order = page->private < MAX_ORDER ? page->private : 0;

	w->block_end = pfn + (1UL << order);
	w->block_kind = kind;
	w->block_order = order;
	return kind;
}

/* Who holds an allocated block, by its first page. */
static enum page_kind owner_kind(unsigned long pfn, const struct page *page)
{
	const struct page_owner *o;

	if (PageKmalloc(page))
		return PK_KMALLOC;
	o = page_owner_of(pfn);
	if (o && o->allocated && o->kind == PO_VMALLOC)
		return PK_VMALLOC;
	return PK_PAGES;
}

/*
 * A page's own flags win; only a page with none (and no count) takes
 * its kind from the block it lies in. A slab marks all its pages itself
 * (PG_slab on the first, PG_tail on the rest), and the first page's
 * private then holds its cache, not an order: it must not reach
 * begin_block(). A kmapped page shows as pkmap whatever holds it.
 */
static enum page_kind page_walk_kind(struct page_walk *w, unsigned long pfn)
{
	const struct page *page = pfn_to_page(pfn);
	enum page_kind kind;

	w->order = 0;
	w->reservation = -1;
	if (!pfn_is_ram(w, pfn))
		return PK_HOLE;
	if (PageReserved(page)) {
		w->reservation = reservation_of(w, pfn);
		return PK_RESERVED;
	}
	if (PageBuddy(page)) {
		w->order = page->private < MAX_ORDER ? page->private : 0;
		return begin_block(w, pfn, page, PK_FREE);
	}
	if (PagePcp(page))
		return PK_PCP;
	if (PageSlab(page) || PageTail(page))
		return PK_SLAB;
	if (PagePgtable(page))
		return PK_PGTABLE;
	if (page->_count > 0)
		kind = begin_block(w, pfn, page, owner_kind(pfn, page));
	else if (pfn < w->block_end)
		kind = w->block_kind;
	else
		return PK_ORPHAN;
	if (kind == PK_FREE)
		w->order = w->block_order;
	return PagePkmap(page) ? PK_PKMAP : kind;
}

/*
 * A window is the largest buddy block, aligned like one: a block never
 * straddles two windows, so each block is read whole with interrupts
 * off. The reservation index must fit in page_frame's arg.
 */
#define WINDOW (1UL << (MAX_ORDER - 1))
_Static_assert(BOOTMEM_MAX_REGIONS <= 0x7fff,
	       "a bootmem reservation index must fit in page_frame.arg");

/* Static: 4 KiB is too much for the stack. */
static struct page_frame window[WINDOW];

static void classify_window(struct page_walk *w, unsigned long start,
			    unsigned long end)
{
	unsigned long flags;

	local_irq_save(flags);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page_frame *f = &window[pfn - start];

		f->kind = page_walk_kind(w, pfn);
		f->arg = f->kind == PK_FREE	  ? (s16)w->order
			 : f->kind == PK_RESERVED ? (s16)w->reservation
						  : 0;
	}
	local_irq_restore(flags);
	w->win_start = start;
	w->win_end = end;
}

const struct page_frame *page_walk_frame(struct page_walk *w,
					 unsigned long pfn)
{
	if (pfn < w->win_start || pfn >= w->win_end)
		classify_window(w, pfn,
				max(min((pfn | (WINDOW - 1)) + 1, max_pfn),
				    pfn + 1));
	return &window[pfn - w->win_start];
}
