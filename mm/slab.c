/*
 * The slab allocator: caches of equal-sized objects carved from runs of
 * pages ("slabs") taken from the buddy allocator.
 *
 * The shape follows Linux's SLUB. A free object holds a pointer to the
 * next free object of its slab, stored obfuscated (XOR with a per-cache
 * secret and the slot's own address) so that a stray write or a freed
 * object used after free cannot simply point the allocator anywhere.
 * Each CPU owns one slab at a time and its free list: allocating pops
 * the head, freeing an object of that slab pushes it, both with nothing
 * but interrupts held off for a few instructions and one cache line
 * touched. Other slabs with free objects wait on the cache's partial
 * list, their free list kept in struct page as an object index.
 *
 *   kmem_cache ── cpu[0] ──► page (the CPU slab) and freelist ──► obj ─► obj
 *       │
 *       └── partial ──► slab ◄──► slab ◄──► slab   (some objects free)
 *
 * Empty slabs stay on the partial list until kmem_cache_shrink() (or the
 * page allocator, running short, through the shrinker) gives them back.
 *
 * Debugging (red zones, poison, owner tracking, consistency checks) is
 * in mm/slab_debug.c; a debug cache always takes the slow paths here,
 * where the checks run. The lighter owner record of the boot option
 * slab_owner (mm/slab_owner.c) is written on the fast paths themselves.
 */
#include <pagoda/arch.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/irqflags.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

#include "internal.h"
#include "slab.h"

#define MAX_SLAB_ORDER 3
/* A slab that empties is kept for reuse while the partial list is no
 * longer than this; past it, it goes back to the page allocator. */
#define MAX_EMPTY_SLABS 8
/* A slab should hold at least this many objects, so that the page
 * allocator is not visited every few allocations. */
#define MIN_OBJECTS 8

LIST_HEAD(slab_caches);
static struct kmem_cache cache_cache; /* the cache of kmem_cache structs */
static unsigned long slab_secret;

/* ---- objects and the obfuscated free pointer ---- */

void *obj_at(const struct kmem_cache *s, const struct page *page,
	     unsigned int idx)
{
	return (char *)slab_base(page) + (unsigned long)idx * s->size;
}

/* obj must be an object of the slab (valid_object()): no division then. */
unsigned int obj_index(const struct kmem_cache *s, const struct page *page,
		       const void *obj)
{
	return slab_slot(s, offset_in_slab(s, obj));
}

/*
 * Does p point at an object slot of this slab? Below the slab, off wraps
 * to a huge number: no slot either.
 */
bool valid_object(const struct kmem_cache *s, const struct page *page,
		  const void *p)
{
	unsigned long off = (unsigned long)p - (unsigned long)slab_base(page);

	return slab_slot(s, off) < s->objects;
}

/*
 * size_inverse by Newton's iteration: an odd d is its own inverse
 * modulo 8, and each step x = x * (2 - d * x) doubles the bits that are
 * right, so five steps cover 64.
 */
void slab_set_divisor(struct kmem_cache *s)
{
	unsigned long d = s->size, x;

	s->size_shift = __builtin_ctzl(d);
	d >>= s->size_shift;
	x = d;
	for (int i = 0; i < 5; i++)
		x *= 2 - d * x;
	s->size_inverse = x;
}

/* ---- slab pages ---- */

struct kmem_cache *virt_to_cache(const void *obj)
{
	struct page *page = virt_to_slab(obj);

	return page ? (struct kmem_cache *)page->private : NULL;
}

static void mark_slab_pages(struct kmem_cache *s, struct page *page)
{
	SetPageSlab(page);
	page->private = (unsigned long)s;
	for (unsigned int i = 1; i < (1U << s->order); i++) {
		SetPageTail(page + i);
		page[i].private = (unsigned long)page;
	}
}

static void unmark_slab_pages(struct kmem_cache *s, struct page *page)
{
	for (unsigned int i = 1; i < (1U << s->order); i++) {
		ClearPageTail(page + i);
		page[i].private = 0;
	}
	ClearPageSlab(page);
	page->private = s->order; /* as the page allocator left it */
	page->_mapcount = 0;
}

/*
 * A fresh slab: pages from the buddy allocator, every object set up
 * (constructor, poison, red zone) and chained in address order. Runs
 * with interrupts on when the caller may sleep, as page allocation may.
 */
static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page;
	void *prev = NULL;

	gfp &= ~(__GFP_ZERO | __GFP_HIGHMEM | __GFP_DMA);
	page = alloc_pages(gfp | s->allocflags | __GFP_NOWARN, s->order);
	if (!page)
		return NULL;
	mark_slab_pages(s, page);
	for (unsigned int i = 0; i < s->objects; i++) {
		void *obj = obj_at(s, page, i);

		if (s->ctor)
			s->ctor(obj);
		if (s->flags & (SLAB_DEBUG_FLAGS | SLAB_OWNER))
			init_new_object(s, obj);
		if (prev)
			set_freepointer(s, prev, obj);
		prev = obj;
	}
	set_freepointer(s, prev, NULL);
	page->slab.inuse = 0;
	page->slab.freelist = 0;
	s->nr_slabs++;
	return page;
}

static void discard_slab(struct kmem_cache *s, struct page *page)
{
	s->nr_slabs--;
	unmark_slab_pages(s, page);
	__free_pages(page, s->order);
}

/* ---- the page's own free list, kept as an object index ---- */

static void *page_freelist(const struct kmem_cache *s, const struct page *page)
{
	if (page->slab.freelist == SLAB_FREELIST_NONE)
		return NULL;
	return obj_at(s, page, page->slab.freelist);
}

static void set_page_freelist(const struct kmem_cache *s, struct page *page,
			      void *obj)
{
	page->slab.freelist = obj ? obj_index(s, page, obj) :
				    SLAB_FREELIST_NONE;
}

/* ---- the CPU slab ---- */

/*
 * The CPU stops using its slab: the objects still on the CPU's free
 * list go back to the slab's own list, and the slab goes where its
 * fill level says (partial if anything is free; full otherwise).
 */
static void deactivate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->page;
	void *obj = c->freelist;

	if (!page)
		return;
	while (obj) {
		void *next = get_freepointer(s, obj);

		if (next && !valid_object(s, page, next)) {
			/* A damaged link: keep what came before, leak the rest. */
			slab_report(s, "Freelist Pointer check fails", obj, 0);
			next = NULL;
		}
		set_freepointer(s, obj, page_freelist(s, page));
		set_page_freelist(s, page, obj);
		page->slab.inuse--;
		obj = next;
	}
	c->page = NULL;
	c->freelist = NULL;
	if (page->slab.inuse < s->objects) {
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	} else {
		list_add(&page->lru, &s->full);
	}
}

static void activate_slab(struct kmem_cache *s, struct kmem_cache_cpu *c,
			  struct page *page)
{
	c->page = page;
	c->freelist = page_freelist(s, page);
	page->slab.freelist = SLAB_FREELIST_NONE;
	page->slab.inuse = s->objects; /* all given to the CPU */
}

/*
 * The slow path: the CPU's list is empty (or the cache is a debug
 * cache, or its list failed the check). Take a partial slab, or make a
 * new one.
 */
static void *__slab_alloc(struct kmem_cache *s, gfp_t gfp,
			  struct kmem_cache_cpu *c, unsigned long caller,
			  unsigned long *flags)
{
	struct page *page;
	void *obj;

	for (;;) {
		if (c->freelist) {
			obj = c->freelist;
			if (!check_freelist_next(s, c, obj))
				continue; /* the list was dropped; retry */
			c->freelist = get_freepointer(s, obj);
			if ((s->flags & SLAB_DEBUG_FLAGS) &&
			    !alloc_debug_checks(s, c->page, obj, caller))
				continue; /* isolated a damaged object */
			return obj;
		}
		deactivate_slab(s, c);
		if (!list_empty(&s->partial)) {
			page = list_first_entry(&s->partial, struct page, lru);
			list_del(&page->lru);
			s->nr_partial--;
			activate_slab(s, c, page);
			continue;
		}
		if (gfp & __GFP_WAIT)
			local_irq_restore(*flags);
		page = new_slab(s, gfp);
		if (gfp & __GFP_WAIT)
			local_irq_save(*flags);
		if (!page)
			return NULL;
		/* Interrupts were on: another slab may be active by now. */
		deactivate_slab(s, c);
		activate_slab(s, c, page);
	}
}

/*
 * Every allocation the fast path does not finish: the checks before it
 * when they have something to do, then __slab_alloc(). Out of line, so
 * that the fast path keeps nothing across a call and saves no registers.
 */
static __noinline __cold void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp,
					       unsigned long caller)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	might_sleep_if(gfp & __GFP_WAIT);
	if (should_failslab(s, gfp, caller)) {
		kmemtrace_injected();
		return NULL;
	}
	local_irq_save(flags);
	c = &s->cpu[smp_processor_id()];
	obj = __slab_alloc(s, gfp, c, caller, &flags);
	/* A live object's pointer slot must not look like a free one's. */
	if (obj && !(s->flags & SLAB_DEBUG_FLAGS))
		*fp_slot(s, obj) = NULL;
	if (obj && (s->flags & SLAB_OWNER))
		set_slab_owner(s, obj, caller);
	local_irq_restore(flags);
	if (!obj) {
		if (!(gfp & __GFP_NOWARN))
			printk(KERN_WARNING "slab: cannot allocate a new slab "
					    "of order %u for %s\n",
			       s->order, s->name);
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

/*
 * Would the checks before an allocation do anything: might_sleep_if()
 * report, or failslab decide? flags are what local_irq_save() returned,
 * so the interrupt state is not read twice.
 */
static __always_inline bool slab_pre_alloc_due(gfp_t gfp, unsigned long flags)
{
	return fault_attr_armed(&failslab_attr) ||
	       ((gfp & __GFP_WAIT) &&
		(preempt_count() || arch_irqs_disabled_flags(flags)));
}

static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp,
					unsigned long caller)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	local_irq_save(flags);
	c = &s->cpu[smp_processor_id()];
	obj = c->freelist;
	if (unlikely(slab_pre_alloc_due(gfp, flags) || !obj ||
		     (s->flags & SLAB_DEBUG_FLAGS) ||
		     !freelist_next_ok(s, obj))) {
		local_irq_restore(flags);
		return slab_alloc_slow(s, gfp, caller);
	}
	c->freelist = get_freepointer(s, obj);
	/* A live object's pointer slot must not look like a free one's. */
	*fp_slot(s, obj) = NULL;
	if (unlikely(s->flags & SLAB_OWNER))
		set_slab_owner(s, obj, caller);
	local_irq_restore(flags);
	if (unlikely(gfp & __GFP_ZERO))
		return memset(obj, 0, s->object_size);
	return obj;
}

/*
 * The recorded way in, wholly out of line: the entry points test one
 * flag and jump here, so recording costs them no stack frame when off.
 */
static __noinline void *slab_alloc_traced(struct kmem_cache *s, gfp_t gfp,
					  unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_CACHE_ALLOC, caller);
	void *obj;

	if (kt) {
		kt->arg = (unsigned long)s;
		kt->gfp = gfp;
	}
	obj = slab_alloc(s, gfp, caller);
	kmemtrace_result(kt, (unsigned long)obj);
	kmemtrace_end(kt);
	return obj;
}

static __always_inline void *slab_alloc_entry(struct kmem_cache *s, gfp_t gfp,
					      unsigned long caller)
{
	if (unlikely(kmemtrace_active))
		return slab_alloc_traced(s, gfp, caller);
	return slab_alloc(s, gfp, caller);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_entry(s, gfp, _RET_IP_);
}

/* For kmalloc: the owner recorded is kmalloc's caller, not kmalloc. */
void *kmem_cache_alloc_caller(struct kmem_cache *s, gfp_t gfp,
			      unsigned long caller)
{
	return slab_alloc_entry(s, gfp, caller);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_entry(s, gfp | __GFP_ZERO, _RET_IP_);
}

/* ---- freeing ---- */

static void free_to_partial(struct kmem_cache *s, struct page *page,
			    void *obj)
{
	bool was_full = page->slab.freelist == SLAB_FREELIST_NONE;
	/* The slab's first object, from obj: cheaper than from page. */
	char *base = (char *)slab_start(s, obj);

	set_freepointer(s, obj,
			was_full ? NULL :
				   base + (unsigned long)page->slab.freelist *
						  s->size);
	page->slab.freelist = obj_index(s, page, obj);
	page->slab.inuse--;
	if (was_full) {
		list_del(&page->lru); /* from the full list */
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
	if (page->slab.inuse == 0 && s->nr_partial > MAX_EMPTY_SLABS) {
		list_del(&page->lru);
		s->nr_partial--;
		discard_slab(s, page);
	}
}

/*
 * Is obj already free? A free object's first word decodes to another
 * object of its slab or to NULL; live data almost never does. Only then
 * is the slab's free list walked to be sure, so the check costs nothing
 * but the object's own cache line, which the free writes anyway.
 */
static bool looks_free(struct kmem_cache *s, struct page *page, void *obj)
{
	return freelist_next_ok(s, obj) && obj_on_freelist(s, page, obj);
}

/*
 * Everything but a plain push onto the CPU's list; interrupts are off.
 * slab_free() has cleared a SLAB_OWNER record already.
 */
static void __slab_free(struct kmem_cache *s, struct page *page, void *obj,
			unsigned long caller)
{
	struct kmem_cache_cpu *c = &s->cpu[smp_processor_id()];

	if (s->flags & SLAB_DEBUG_FLAGS) {
		if (!free_debug_checks(s, page, obj, caller)) {
			kmemtrace_rejected();
			return;
		}
	} else if (looks_free(s, page, obj)) {
		slab_report(s, "Object already free", obj, caller);
		kmemtrace_rejected();
		return;
	}
	if (page == c->page) {
		set_freepointer(s, obj, c->freelist);
		c->freelist = obj;
		return;
	}
	free_to_partial(s, page, obj);
}

/* __slab_free() out of line, interrupts restored after it. */
static __noinline void slab_free_slow(struct kmem_cache *s, struct page *page,
				      void *obj, unsigned long caller,
				      unsigned long flags)
{
	__slab_free(s, page, obj, caller);
	local_irq_restore(flags);
}

/*
 * Could obj be free? Its free-pointer slot decodes to NULL or to an
 * address in its own slab. A coarser test than freelist_next_ok() (no
 * multiply), but it says no to every live object whose first word is
 * not such a code, which is all of them but by a fluke; a yes sends
 * the free to looks_free(), which is exact.
 */
static __always_inline bool may_be_free(const struct kmem_cache *s, void *obj)
{
	unsigned long next = (unsigned long)get_freepointer(s, obj);

	return !next || !((next ^ (unsigned long)obj) & ~s->slab_mask);
}

/*
 * The fast path takes only an object of the CPU slab of a cache without
 * debugging that cannot be free; anything that might be a double free
 * goes to __slab_free(), which walks the list to be sure.
 */
static __always_inline void slab_free(struct kmem_cache *s, struct page *page,
				      void *obj, unsigned long caller)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	local_irq_save(flags);
	c = &s->cpu[smp_processor_id()];
	/*
	 * First, so that flags is not held in a register across the test
	 * below. A free that turns out to be a double free clears the
	 * record of an object that is free already: it was clear.
	 */
	if (unlikely(s->flags & SLAB_OWNER))
		clear_slab_owner(s, obj);
	if (unlikely(page != c->page || (s->flags & SLAB_DEBUG_FLAGS) ||
		     may_be_free(s, obj))) {
		slab_free_slow(s, page, obj, caller, flags);
		return;
	}
	set_freepointer(s, obj, c->freelist);
	c->freelist = obj;
	local_irq_restore(flags);
}

static __noinline __cold void free_rejected(struct kmem_cache *s,
					    struct page *page, const void *p,
					    unsigned long caller)
{
	kmemtrace_rejected(); /* the kfree that passed it on, if any */
	if (!page || (s && (struct kmem_cache *)page->private != s))
		slab_report_pointer(s, p, page, caller);
	else
		slab_report((struct kmem_cache *)page->private,
			    "Invalid object pointer", (void *)p, caller);
}

/*
 * The recorded way out, kept out of line so that slab_free() is inlined
 * once per caller of slab_free_page(): into kmem_cache_free() and the
 * other callers in this file. kfree() (mm/kmalloc.c) calls
 * slab_free_page() as a function.
 */
static __noinline void slab_free_traced(struct kmem_cache *s,
					struct page *page, const void *p,
					unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_CACHE_FREE, caller);

	if (kt) {
		kt->arg = (unsigned long)s;
		kt->ptr = (unsigned long)p;
	}
	slab_free(s, page, (void *)p, caller);
	kmemtrace_end(kt);
}

/*
 * Free p, checked first: page must be virt_to_slab(p), and p an object
 * slot of that slab, and the slab of cache s when s is given (kfree
 * passes NULL). Anything else is reported and left alone.
 */
__always_inline void slab_free_page(struct kmem_cache *s, struct page *page,
				    const void *p, unsigned long caller)
{
	struct kmem_cache *owner;

	if (unlikely(!page))
		goto bad;
	owner = (struct kmem_cache *)page->private;
	/* p is inside the slab: its offset there says if it starts a slot. */
	if (unlikely((s && owner != s) ||
		     slab_slot(owner, offset_in_slab(owner, p)) >=
			     owner->objects))
		goto bad;
	if (unlikely(kmemtrace_active))
		slab_free_traced(owner, page, p, caller);
	else
		slab_free(owner, page, (void *)p, caller);
	return;
bad:
	free_rejected(s, page, p, caller);
}

/* The same, for a caller that has not looked the slab page up. */
__always_inline void slab_free_checked(struct kmem_cache *s, const void *p,
				       unsigned long caller)
{
	slab_free_page(s, virt_to_slab(p), p, caller);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (!obj)
		return;
	slab_free_checked(s, obj, _RET_IP_);
}

/* ---- creating and destroying caches ---- */

/*
 * The smallest order that holds MIN_OBJECTS with at most 1/8 of the
 * slab left over; failing that, the smallest with little leftover.
 */
static unsigned int slab_order(unsigned int size)
{
	for (unsigned int min = MIN_OBJECTS; min >= 1; min /= 2) {
		for (unsigned int order = 0; order <= MAX_SLAB_ORDER; order++) {
			unsigned long bytes = PAGE_SIZE << order;

			if (bytes / size >= min && (bytes % size) * 8 <= bytes &&
			    bytes / size < SLAB_FREELIST_NONE)
				return order;
		}
	}
	return MAX_SLAB_ORDER;
}

static unsigned int object_align(unsigned long flags, unsigned long align,
				 unsigned int size)
{
	unsigned int ralign = sizeof(void *);

	if (flags & SLAB_HWCACHE_ALIGN) {
		/* Small objects share a line rather than padding out to it. */
		ralign = SMP_CACHE_BYTES;
		while (size <= ralign / 2 && ralign > sizeof(void *))
			ralign /= 2;
	}
	return max(ralign, (unsigned int)align);
}

/* What every cache starts from, made or replicated. */
static void cache_start(struct kmem_cache *s, const char *name,
			unsigned int object_size, unsigned long flags,
			unsigned int align)
{
	memset(s, 0, sizeof(*s));
	strlcpy(s->name, name, sizeof(s->name));
	s->object_size = object_size;
	s->flags = flags;
	s->align = align;
	s->allocflags = (flags & SLAB_CACHE_DMA) ? __GFP_DMA : 0;
	s->random = slab_secret ^ (unsigned long)((unsigned long)s *
						   0x9e3779b97f4a7c15ULL);
}

/* Once s->size is known: the slab layout the fast paths compute with. */
static void cache_finish(struct kmem_cache *s, unsigned int order,
			 unsigned int objects)
{
	s->order = order;
	s->objects = objects;
	s->slab_mask = (PAGE_SIZE << order) - 1;
	slab_set_divisor(s);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
}

static int setup_cache(struct kmem_cache *s, const char *name,
		       unsigned long size, unsigned long align,
		       unsigned long flags, void (*ctor)(void *))
{
	unsigned int order;

	flags |= slub_debug_flags_for(name) | slab_owner_flags();
	cache_start(s, name, size, flags, object_align(flags, align, size));
	s->ctor = ctor;
	calculate_sizes(s);
	if ((s->flags & SLAB_OWNER) && s->size > (PAGE_SIZE << MAX_SLAB_ORDER)) {
		/* An object that fills the largest slab has no room for it. */
		s->flags &= ~SLAB_OWNER;
		calculate_sizes(s);
	}
	order = slab_order(s->size);
	cache_finish(s, order, (PAGE_SIZE << order) / s->size);
	return s->objects ? 0 : -EINVAL;
}

/* One printable word, as Linux's names are: the trace and slabinfo
 * print it as a field that a space or an '=' would break. */
static bool name_is_word(const char *name)
{
	for (const char *p = name; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '=')
			return false;
	}
	return true;
}

static bool name_ok(const char *name, unsigned long size)
{
	if (name && *name && !name_is_word(name)) {
		printk(KERN_ERR "kmem_cache_create: a cache name is one "
				"printable word without '=': refused\n");
		return false;
	}
	if (!name || !*name ||
	    strnlen(name, KMEM_CACHE_NAME_LEN) >= KMEM_CACHE_NAME_LEN) {
		printk(KERN_ERR "kmem_cache_create: name %s%.20s%s is %s\n",
		       name ? "'" : "", name ? name : "(null)",
		       name ? "'" : "",
		       name && *name ? "longer than 19 characters" :
				       "missing");
		return false;
	}
	if (size == 0 || size > (PAGE_SIZE << MAX_SLAB_ORDER)) {
		printk(KERN_ERR "kmem_cache_create: %s: object size %lu is "
				"not between 1 and %lu\n",
		       name, size, PAGE_SIZE << MAX_SLAB_ORDER);
		return false;
	}
	return true;
}

static struct kmem_cache *create_cache(const char *name, unsigned long size,
				       unsigned long align, unsigned long flags,
				       void (*ctor)(void *));

/*
 * The trace keeps what was asked for and, if the cache was made, the
 * geometry it got: a replay elsewhere copies it rather than working it
 * out again on a machine with another word size or other debug options.
 */
static void trace_cache_create(struct kmemtrace_event *kt, const char *name,
			       unsigned long size, unsigned long align,
			       unsigned long flags, const struct kmem_cache *s)
{
	struct kmemtrace_cache *c = kmemtrace_keep_cache(kt);

	kmemtrace_result(kt, (unsigned long)s);
	if (!c)
		return;
	strlcpy(c->name, name ? name : "(null)", sizeof(c->name));
	c->object_size = size;
	c->align = align;
	c->flags = flags;
	if (!s)
		return;
	c->align = s->align;
	c->flags = s->flags;
	c->size = s->size;
	c->order = s->order;
	c->objects = s->objects;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned long size,
				     unsigned long align, unsigned long flags,
				     void (*ctor)(void *))
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_CACHE_CREATE, _RET_IP_);
	struct kmem_cache *s;

	s = create_cache(name, size, align, flags, ctor);
	if (kt) {
		trace_cache_create(kt, name, size, align, flags, s);
		kmemtrace_end(kt);
	}
	return s;
}

static struct kmem_cache *create_cache(const char *name, unsigned long size,
				       unsigned long align, unsigned long flags,
				       void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;

	if (align & (align - 1)) {
		printk(KERN_ERR "kmem_cache_create: %s: alignment %lu is not a "
				"power of two\n",
		       name ? name : "(null)", align);
		goto fail;
	}
	if (!name_ok(name, size))
		goto fail;
	s = kmem_cache_alloc(&cache_cache, GFP_KERNEL);
	if (!s || setup_cache(s, name, size, align, flags, ctor)) {
		printk(KERN_ERR "kmem_cache_create: %s: cannot set up the "
				"cache\n",
		       name);
		goto fail;
	}
	list_add_tail(&s->list, &slab_caches);
	return s;
fail:
	if (s)
		kmem_cache_free(&cache_cache, s);
	if (flags & SLAB_PANIC)
		panic("kmem_cache_create: cannot create cache %s\n",
		      name ? name : "(null)");
	return NULL;
}

/*
 * A cache whose geometry is given whole instead of worked out from the
 * object size: the host replay of a kmemtrace (tools/kmemtrace/) rebuilds
 * the guest's caches this way, in storage it owns, so that only they
 * are on slab_caches. Its slots are plain: no debugging, whatever the
 * flags say, and the free pointer in the first word. Everything that
 * chooses an object or a slab is the ordinary code above.
 */
int kmem_cache_create_geometry(struct kmem_cache *s,
			       const struct slab_geometry *g)
{
	unsigned long bytes = PAGE_SIZE << g->order;

	if (g->order > MAX_SLAB_ORDER || g->size < sizeof(void *) ||
	    g->size % sizeof(u32) || !g->objects ||
	    g->objects >= SLAB_FREELIST_NONE ||
	    (unsigned long)g->objects * g->size > bytes ||
	    g->object_size > g->size)
		return -EINVAL;
	cache_start(s, g->name, g->object_size,
		    g->flags & ~(SLAB_DEBUG_FLAGS | SLAB_OWNER), g->align);
	s->size = g->size;
	s->inuse = g->size;
	cache_finish(s, g->order, g->objects);
	list_add_tail(&s->list, &slab_caches);
	return 0;
}

/* Every empty slab back to the page allocator. */
static unsigned long shrink_cache(struct kmem_cache *s);

unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_CACHE_SHRINK, _RET_IP_);
	unsigned long pages;

	if (kt)
		kt->ptr = (unsigned long)s;
	pages = shrink_cache(s);
	kmemtrace_end(kt);
	return pages;
}

static unsigned long shrink_cache(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;
	struct page *page, *n;
	unsigned long flags, pages = 0;

	local_irq_save(flags);
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		c = &s->cpu[cpu];
		deactivate_slab(s, c);
	}
	list_for_each_entry_safe(page, n, &s->partial, lru) {
		if (page->slab.inuse)
			continue;
		list_del(&page->lru);
		s->nr_partial--;
		discard_slab(s, page);
		pages += 1UL << s->order;
	}
	local_irq_restore(flags);
	return pages;
}

unsigned long kmem_cache_shrink_all(void)
{
	struct kmem_cache *s;
	unsigned long pages = 0;

	list_for_each_entry(s, &slab_caches, list)
		pages += kmem_cache_shrink(s);
	return pages;
}

/*
 * A cache that still has objects out cannot be destroyed without
 * pulling memory from under its users: report the leak and keep the
 * cache (and its accounting) alive, as Linux does.
 */
static void destroy_cache(struct kmem_cache *s);

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct kmemtrace_event *kt;

	if (!s)
		return;
	kt = kmemtrace_begin(KT_CACHE_DESTROY, _RET_IP_);
	if (kt)
		kt->ptr = (unsigned long)s;
	destroy_cache(s);
	kmemtrace_end(kt);
}

static void destroy_cache(struct kmem_cache *s)
{
	unsigned long active;

	kmem_cache_shrink(s);
	active = slab_active_objects(s);
	if (active || s->nr_slabs) {
		printk(KERN_ERR "kmem_cache_destroy %s: Slab cache still has "
				"objects: %lu in use in %lu slabs; the cache "
				"is kept\n",
		       s->name, active, s->nr_slabs);
		dump_stack();
		return;
	}
	list_del(&s->list);
	kmem_cache_free(&cache_cache, s);
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

/* ---- figures ---- */

static unsigned long count_chain(const struct kmem_cache *s,
				 const struct page *page, void *obj)
{
	unsigned long n = 0;

	while (obj && n < s->objects && valid_object(s, page, obj)) {
		obj = get_freepointer(s, obj);
		n++;
	}
	return n;
}

unsigned long slab_active_objects(const struct kmem_cache *s)
{
	unsigned long free = 0;
	const struct page *page;

	list_for_each_entry(page, &s->partial, lru)
		free += s->objects - page->slab.inuse;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (s->cpu[cpu].page)
			free += count_chain(s, s->cpu[cpu].page,
					    s->cpu[cpu].freelist);
	}
	return s->nr_slabs * s->objects - free;
}

static unsigned long slab_pages(bool reclaimable)
{
	struct kmem_cache *s;
	unsigned long pages = 0;

	list_for_each_entry(s, &slab_caches, list) {
		if (!!(s->flags & SLAB_RECLAIM_ACCOUNT) == reclaimable)
			pages += s->nr_slabs << s->order;
	}
	return pages;
}

unsigned long slab_reclaimable_pages(void)
{
	return slab_pages(true);
}

unsigned long slab_unreclaimable_pages(void)
{
	return slab_pages(false);
}

/* The page allocator, short of memory, asks for empty slabs first. */
static unsigned long slab_shrink(unsigned long nr_wanted, gfp_t gfp)
{
	return kmem_cache_shrink_all();
}

static struct shrinker slab_shrinker = { .shrink = slab_shrink };

void kmem_cache_init(void)
{
	/* The bootstrap cache is recorded as created too: a replay needs
	 * every cache /proc/slabinfo lists. */
	struct kmemtrace_event *kt = kmemtrace_begin(KT_CACHE_CREATE, _RET_IP_);

	/* Not secret from a debugger, but unknown to a stray pointer. */
	slab_secret = (unsigned long)(arch_cycles() * 0x9e3779b97f4a7c15ULL);
	/* slab_start() needs slabs aligned on their size in the direct map. */
	BUG_ON((unsigned long)__va(0) & ((PAGE_SIZE << MAX_SLAB_ORDER) - 1));
	INIT_LIST_HEAD(&slab_caches);
	setup_cache(&cache_cache, "kmem_cache", sizeof(struct kmem_cache),
		    0, SLAB_HWCACHE_ALIGN, NULL);
	list_add(&cache_cache.list, &slab_caches);
	if (kt) {
		trace_cache_create(kt, "kmem_cache", sizeof(struct kmem_cache),
				   0, SLAB_HWCACHE_ALIGN, &cache_cache);
		kmemtrace_end(kt);
	}
	if (!slab_shrinker.list.next) /* once, even if set up again */
		register_shrinker(&slab_shrinker);
}

/* ---- /proc/slabinfo, version 2.1, as slabtop and vmstat -m read it ---- */

static void slabinfo_show(struct seq_file *m)
{
	struct kmem_cache *s;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> "
		    "<objperslab> <pagesperslab> : tunables <limit> "
		    "<batchcount> <sharedfactor> : slabdata <active_slabs> "
		    "<num_slabs> <sharedavail>\n");
	list_for_each_entry(s, &slab_caches, list) {
		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name,
			   slab_active_objects(s), s->nr_slabs * s->objects,
			   s->size, s->objects, 1 << s->order);
		seq_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
		seq_printf(m, " : slabdata %6lu %6lu %6lu\n", s->nr_slabs,
			   s->nr_slabs, 0UL);
	}
}
PROC_TABLE("slabinfo", slabinfo_show);
