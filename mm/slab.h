/*
 * Inside the slab allocator: the cache structure and what mm/slab.c,
 * mm/slab_debug.c and mm/kmalloc.c share.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <pagoda/hardirq.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>
#include <pagoda/slab.h>

/* For the slow paths: out of line, and laid out away from the hot code. */
#ifndef __cold
#define __cold __attribute__((cold))
#endif

/* page->slab.freelist when the slab has no free object of its own. */
#define SLAB_FREELIST_NONE 0xffff

struct kmem_cache_cpu {
	void *freelist;	   /* next free object of the CPU slab */
	struct page *page; /* the CPU slab */
};

/*
 * One object slot, with every debug option on:
 *
 *   | object (object_size) | red zone | free pointer | alloc/free track |
 *   0                      object_size inuse         offset
 *
 * Without debugging the slot is just the object, rounded up to the
 * alignment, and the free pointer lives in its first word while free.
 * With SLAB_OWNER (and no track) an owner record follows the object:
 *
 *   | object, rounded to a word | owner record | padding to the alignment |
 *   0                           owner
 */
struct kmem_cache {
	struct kmem_cache_cpu cpu[NR_CPUS]; /* the hot part first */
	unsigned int offset;	  /* free pointer, from the slot start */
	unsigned int objects;	  /* per slab */
	unsigned short size_shift; /* size = odd * 2^size_shift */
	/* The owner record, from the slot start (SLAB_OWNER); a short, so
	 * that the hot part still fits a 64-byte line on 64-bit machines. */
	unsigned short owner;
	unsigned int object_size; /* bytes the user asked for */
	unsigned long flags;
	unsigned long random; /* key that obfuscates free pointers */
	/* The inverse of size's odd part, modulo 2^(bits in a long). */
	unsigned long size_inverse;
	unsigned long slab_mask; /* (PAGE_SIZE << order) - 1 */
	/* The fast paths read nothing below this line. */
	unsigned int size;  /* bytes per slot */
	unsigned int order; /* a slab is 2^order pages */
	unsigned int inuse; /* end of object + red zone */
	unsigned int track; /* alloc/free records (SLAB_STORE_USER) */
	unsigned int align;
	gfp_t allocflags;
	void (*ctor)(void *);
	struct list_head partial; /* slabs with free objects */
	struct list_head full;	  /* slabs with none */
	unsigned long nr_partial;
	unsigned long nr_slabs;
	struct list_head list; /* all caches */
	char name[KMEM_CACHE_NAME_LEN];
};

extern struct list_head slab_caches;

/* Slab pages are always in low memory: straight to the direct map. */
static inline void *slab_base(const struct page *page)
{
	return __va((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT);
}

/*
 * The same from any address inside the slab, without its struct page: a
 * slab is a buddy block of 2^order pages, aligned on its own size in
 * physical memory, and the direct map adds an offset aligned far more
 * coarsely (kmem_cache_init() checks it). So one AND gives the slab's
 * start, or the address's offset in it.
 */
static inline unsigned long slab_start(const struct kmem_cache *s,
				       const void *p)
{
	return (unsigned long)p & ~s->slab_mask;
}

static inline unsigned long offset_in_slab(const struct kmem_cache *s,
					const void *p)
{
	return (unsigned long)p & s->slab_mask;
}
void *obj_at(const struct kmem_cache *s, const struct page *page,
	     unsigned int idx);
unsigned int obj_index(const struct kmem_cache *s, const struct page *page,
		       const void *obj);

/* The free pointer, stored XORed with the cache's key and its own address. */
static inline void **fp_slot(const struct kmem_cache *s, void *obj)
{
	return (void **)((char *)obj + s->offset);
}

static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	void **slot = fp_slot(s, obj);

	return (void *)((unsigned long)*slot ^ s->random ^
			(unsigned long)slot);
}

static inline void set_freepointer(const struct kmem_cache *s, void *obj,
				   void *next)
{
	void **slot = fp_slot(s, obj);

	*slot = (void *)((unsigned long)next ^ s->random ^ (unsigned long)slot);
}

/*
 * Who allocated a live object of a SLAB_OWNER cache, and in which
 * generation (mm/page_owner.c); caller is 0 while the slot is free. The
 * fast paths write it: two stores at allocation, one at free.
 */
struct slab_owner {
	unsigned long caller;
	u32 gen;
};

static inline struct slab_owner *slab_owner_record(const struct kmem_cache *s,
						   void *obj)
{
	return (struct slab_owner *)((char *)obj + s->owner);
}

static __always_inline void set_slab_owner(const struct kmem_cache *s,
					   void *obj, unsigned long caller)
{
	struct slab_owner *o = slab_owner_record(s, obj);

	o->caller = caller;
	o->gen = mm_generation;
}

static __always_inline void clear_slab_owner(const struct kmem_cache *s,
					     void *obj)
{
	slab_owner_record(s, obj)->caller = 0;
}

/* The flags the boot option slab_owner adds to every cache (mm/slab_owner.c). */
unsigned long slab_owner_flags(void);

bool valid_object(const struct kmem_cache *s, const struct page *page,
		  const void *p);
unsigned long slab_active_objects(const struct kmem_cache *s);
void slab_free_checked(struct kmem_cache *s, const void *p,
		       unsigned long caller);
void slab_free_page(struct kmem_cache *s, struct page *page, const void *p,
		    unsigned long caller);
void *kmem_cache_alloc_caller(struct kmem_cache *s, gfp_t gfp,
			      unsigned long caller);

/*
 * Which slot of a slab the byte offset off is, without a division: off
 * times the inverse of size's odd part, rotated right by size_shift, is
 * off / size when size divides off, and above ULONG_MAX / size when it
 * does not (Hacker's Delight, 10-16). So "slab_slot(s, off) <
 * s->objects" accepts exactly the first bytes of the slab's objects: one
 * multiply, one rotate, one compare. slab_set_divisor() fills them in.
 */
static inline unsigned long slab_slot(const struct kmem_cache *s,
				      unsigned long off)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	unsigned long q = off * s->size_inverse;
	unsigned int k = s->size_shift;

	return q >> k | q << ((bits - k) & (bits - 1));
}

void slab_set_divisor(struct kmem_cache *s);

/* A cache's shape as another machine made it (kmem_cache_create_geometry). */
struct slab_geometry {
	const char *name;
	unsigned int object_size, size, align, order, objects;
	unsigned long flags;
};

/* Set s up with geometry g and put it on slab_caches; -EINVAL if g
 * cannot be a slab of this machine. For the kmemtrace replay. */
int kmem_cache_create_geometry(struct kmem_cache *s,
			       const struct slab_geometry *g);

/*
 * Does obj's free-pointer slot decode to NULL or to the start of an
 * object of obj's own slab? obj must be an object of a slab of s.
 *
 * It is the hardened free list's test: the next pointer of the CPU
 * list's head must pass it, or the list is damaged (a write into a free
 * object) and must not be followed; a pointer into the middle of an
 * object would hand out memory that overlaps a live one. It is also the
 * first half of the double-free test: an object that fails it cannot be
 * free (looks_free()).
 */
static inline bool freelist_next_ok(const struct kmem_cache *s, void *obj)
{
	unsigned long next = (unsigned long)get_freepointer(s, obj);

	return !next || slab_slot(s, next - slab_start(s, obj)) < s->objects;
}

/*
 * The slab whose pages hold obj, or NULL: virt_addr_valid() and
 * virt_to_page() folded into one subtraction and one compare, since the
 * direct map from min_pfn up to high_memory is exactly the frames
 * mem_map describes there.
 */
static inline struct page *virt_to_slab(const void *obj)
{
	unsigned long low = (unsigned long)__va((phys_addr_t)min_pfn
						<< PAGE_SHIFT);
	unsigned long off = (unsigned long)obj - low;
	struct page *page;

	if (unlikely(off >= (unsigned long)high_memory - low))
		return NULL;
	page = mem_map + (off >> PAGE_SHIFT);
	if (PageTail(page))
		page = (struct page *)page->private;
	return PageSlab(page) ? page : NULL;
}

/* mm/slab_debug.c */
extern unsigned long slab_reports; /* BUG reports printed so far */
void calculate_sizes(struct kmem_cache *s);
unsigned long slub_debug_flags_for(const char *name);
void init_object(struct kmem_cache *s, void *obj, bool active);
void init_new_object(struct kmem_cache *s, void *obj);
bool alloc_debug_checks(struct kmem_cache *s, struct page *page, void *obj,
			unsigned long caller);
bool free_debug_checks(struct kmem_cache *s, struct page *page, void *obj,
		       unsigned long caller);
bool check_freelist_next(struct kmem_cache *s, struct kmem_cache_cpu *c,
			 void *obj);
bool obj_on_freelist(struct kmem_cache *s, struct page *page, void *obj);
void slab_report(struct kmem_cache *s, const char *what, void *obj,
		 unsigned long caller);
void slab_report_pointer(struct kmem_cache *s, const void *p,
			 struct page *page, unsigned long caller);
bool slab_track_owner(struct kmem_cache *s, void *obj, unsigned long *caller,
		      u32 *gen);

#endif
