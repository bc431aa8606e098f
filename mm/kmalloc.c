/*
 * kmalloc: memory of any size, from a ladder of slab caches.
 *
 * A request is rounded up to the next class and served by that class's
 * cache ("kmalloc-96"). The classes are Linux's (powers of two from 8,
 * plus 96 and 192) with the other 1.5 x 2^n steps added from 24 up
 * (24, 48, 384, 768, 1536, 3072, 6144): from 24 bytes up a request never
 * wastes more than a third of its block, where plain powers of two waste
 * up to half.
 * Requests above KMALLOC_MAX_CACHE_SIZE go to the page allocator whole.
 *
 * For every class the bytes asked for and the bytes handed out are
 * counted, so /proc/kmallocinfo shows what rounding up costs.
 */
#include <pagoda/bug.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/string.h>

#include "slab.h"

static const unsigned int class_sizes[] = {
	8,   16,  24,  32,   48,   64,	 96,   128,  192,  256,
	384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192,
};
#define NR_CLASSES ARRAY_SIZE(class_sizes)

struct kmalloc_stats {
	unsigned long allocs;
	unsigned long long requested; /* bytes asked for */
};

static struct kmem_cache *kmalloc_caches[NR_CLASSES];
static struct kmem_cache *kmalloc_dma_caches[NR_CLASSES];
static struct kmalloc_stats stats[NR_CLASSES];
static struct kmalloc_stats large_stats;
static unsigned long long large_allocated;
static char names[2][NR_CLASSES][KMEM_CACHE_NAME_LEN];

/* (size - 1) / 8 -> class, for the small sizes most requests have. */
static u8 small_index[24];

/* The number of the highest bit set, from 1; 0 for 0. */
static unsigned int fls_ul(unsigned long x)
{
	return x ? 8 * sizeof(x) - __builtin_clzl(x) : 0;
}

static unsigned int class_index(unsigned long size)
{
	unsigned int k, i;

	if (size <= 192)
		return small_index[(size - 1) / 8];
	k = fls_ul(size - 1); /* 2^(k-1) < size <= 2^k */
	/* The classes above 192 go 256, 384, 512, 768, ...: two per octave. */
	i = 2 * (k - 8) + 9;
	return size <= (3UL << (k - 2)) ? i - 1 : i;
}

unsigned long kmalloc_size_class(unsigned long size)
{
	if (size == 0)
		return 0;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE << get_order(size);
	return class_sizes[class_index(size)];
}

static __noinline void *kmalloc_large(unsigned long size, gfp_t gfp,
				      unsigned long caller)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (order >= MAX_ORDER) {
		WARN(!(gfp & __GFP_NOWARN),
		     "kmalloc: %lu bytes is more than the page allocator's "
		     "largest block (%lu)\n",
		     size, PAGE_SIZE << (MAX_ORDER - 1));
		return NULL;
	}
	page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);
	if (!page)
		return NULL;
	set_page_owner_kind(page, caller, PO_PAGES);
	SetPageKmalloc(page);
	large_stats.allocs++;
	large_stats.requested += size;
	large_allocated += PAGE_SIZE << order;
	return page_address(page);
}

/*
 * Every way in passes its own caller, so owners (slub_debug=U, leaks)
 * name the code that asked, not kzalloc or kcalloc.
 */
static __always_inline void *__kmalloc_caller(unsigned long size, gfp_t gfp,
					      unsigned long caller)
{
	struct kmem_cache *s;
	unsigned int i;

	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, gfp, caller);
	i = class_index(size);
	s = (gfp & __GFP_DMA) ? kmalloc_dma_caches[i] : kmalloc_caches[i];
	stats[i].allocs++;
	stats[i].requested += size;
	return kmem_cache_alloc_caller(s, gfp, caller);
}

/* The recorded way in, out of line like slab_alloc_traced(). */
static __noinline void *kmalloc_traced(unsigned long size, gfp_t gfp,
				       unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_KMALLOC, caller);
	void *p;

	if (kt) {
		kt->size = size;
		kt->gfp = gfp;
	}
	p = __kmalloc_caller(size, gfp, caller);
	kmemtrace_result(kt, (unsigned long)p);
	kmemtrace_end(kt);
	return p;
}

static __always_inline void *kmalloc_caller(unsigned long size, gfp_t gfp,
					    unsigned long caller)
{
	if (unlikely(kmemtrace_active))
		return kmalloc_traced(size, gfp, caller);
	return __kmalloc_caller(size, gfp, caller);
}

void *kmalloc(unsigned long size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp, _RET_IP_);
}

void *kzalloc(unsigned long size, gfp_t gfp)
{
	return kmalloc_caller(size, gfp | __GFP_ZERO, _RET_IP_);
}

void *kcalloc(unsigned long n, unsigned long size, gfp_t gfp)
{
	if (size && n > ~0UL / size)
		return NULL; /* n * size would wrap */
	return kmalloc_caller(n * size, gfp | __GFP_ZERO, _RET_IP_);
}

unsigned long ksize(const void *p)
{
	struct kmem_cache *s;
	struct page *page;

	if (ZERO_OR_NULL_PTR(p) || !virt_addr_valid(p))
		return 0;
	s = virt_to_cache(p);
	if (s)
		return s->object_size;
	page = virt_to_page(p);
	return PageKmalloc(page) ? PAGE_SIZE << page->private : 0;
}

void *krealloc(const void *p, unsigned long new_size, gfp_t gfp)
{
	unsigned long have = ZERO_OR_NULL_PTR(p) ? 0 : ksize(p);
	void *n;

	if (new_size == 0) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (have >= new_size)
		return (void *)p;
	n = kmalloc_caller(new_size, gfp, _RET_IP_);
	if (n && have)
		memcpy(n, p, have);
	if (n)
		kfree(p);
	return n;
}

static void kfree_large(struct page *page, const void *p, unsigned long caller)
{
	if (p != page_address(page)) {
		kmemtrace_rejected();
		slab_reports++;
		printk(KERN_ERR "BUG kfree: Invalid object pointer %p: inside "
				"the large kmalloc block at %p, from %pS; not "
				"freed\n",
		       p, page_address(page), (void *)caller);
		dump_stack();
		return;
	}
	ClearPageKmalloc(page);
	large_allocated -= PAGE_SIZE << page->private;
	__free_pages(page, page->private);
}

/* The large block whose later page holds p, if any. */
static struct page *large_block_head(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	for (unsigned long n = 1;
	     n < (1UL << (MAX_ORDER - 1)) && pfn_valid(pfn - n); n++) {
		struct page *head = pfn_to_page(pfn - n);

		if (PageKmalloc(head))
			return n < (1UL << head->private) ? head : NULL;
		if (PageSlab(head) || PageBuddy(head) || head->_count)
			return NULL;
	}
	return NULL;
}

/* What kfree() was given that is not a slab object. */
static __noinline void kfree_not_slab(const void *p, unsigned long caller)
{
	struct page *page = virt_addr_valid(p) ? virt_to_page(p) : NULL;

	if (page && !PageKmalloc(page))
		page = large_block_head(page) ?: page;
	if (page && PageKmalloc(page)) {
		kfree_large(page, p, caller);
		return;
	}
	/* Neither a slab object nor a large block: never follow it. */
	kmemtrace_rejected();
	slab_report_pointer(NULL, p, NULL, caller);
}

static __always_inline void __kfree(const void *p, unsigned long caller)
{
	struct page *page = virt_to_slab(p);

	if (likely(page))
		slab_free_page(NULL, page, p, caller);
	else
		kfree_not_slab(p, caller);
}

/* The recorded way out, out of line like kmalloc_traced(). */
static __noinline void kfree_traced(const void *p, unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_KFREE, caller);

	if (kt)
		kt->ptr = (unsigned long)p;
	__kfree(p, caller);
	kmemtrace_end(kt);
}

void kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	if (unlikely(kmemtrace_active))
		kfree_traced(p, _RET_IP_);
	else
		__kfree(p, _RET_IP_);
}

void kmalloc_init(void)
{
	for (unsigned int size = 8, i = 0; size <= 192; size += 8) {
		while (class_sizes[i] < size)
			i++;
		small_index[(size - 1) / 8] = i;
	}
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		scnprintf(names[0][i], KMEM_CACHE_NAME_LEN, "kmalloc-%u",
			  class_sizes[i]);
		scnprintf(names[1][i], KMEM_CACHE_NAME_LEN, "dma-kmalloc-%u",
			  class_sizes[i]);
		kmalloc_caches[i] = kmem_cache_create(
			names[0][i], class_sizes[i], 0, SLAB_PANIC, NULL);
		kmalloc_dma_caches[i] =
			kmem_cache_create(names[1][i], class_sizes[i], 0,
					  SLAB_PANIC | SLAB_CACHE_DMA, NULL);
	}
}

/* Our own table: what rounding up to the classes costs, per class. */
static void kmallocinfo_show(struct seq_file *m)
{
	seq_printf(m, "%-16s %10s %14s %14s %7s\n", "# class", "allocs",
		   "requested", "allocated", "waste");
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		unsigned long long alloc =
			(unsigned long long)stats[i].allocs * class_sizes[i];

		seq_printf(m, "%-16s %10lu %14llu %14llu %6llu%%\n",
			   names[0][i], stats[i].allocs, stats[i].requested,
			   alloc,
			   stats[i].requested ? (alloc - stats[i].requested) *
							100 / stats[i].requested
					      : 0);
	}
	seq_printf(m, "%-16s %10lu %14llu %14llu (live)\n", "large",
		   large_stats.allocs, large_stats.requested, large_allocated);
}
PROC_TABLE("kmallocinfo", kmallocinfo_show);
