/*
 * Slab debugging: what catches the bugs the slab layer cannot prevent.
 *
 *   Z  a red zone after each object, 0xcc while it is allocated and 0xbb
 *      while free: a write past the end of an object changes it.
 *   P  a free object is filled with 0x6b and ends in 0xa5: a write after
 *      free changes it (and a user reading freed memory sees 6b6b6b...).
 *   U  the caller and time of the last allocation and free of each slot.
 *   F  consistency checks: is this pointer an object of this cache, is it
 *      already free.
 *
 * Turned on per cache (kmem_cache_create flags) or with the boot option
 * slub_debug=FLAGS[,cache,...] as in Linux. Damage is reported in Linux's
 * shape (BUG <cache>: <what>, INFO lines, a hex dump, the callers), then
 * repaired (FIX ...) so the kernel carries on.
 */
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/page_owner.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

#include "internal.h"
#include "slab.h"

struct track {
	unsigned long addr; /* the caller */
	unsigned long when; /* jiffies */
	u32 gen; /* allocation generation (mm/page_owner.c) */
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* ---- slub_debug= ---- */

static unsigned long debug_flags;
static char debug_names[128]; /* "" = every cache */

/* Parsed whole before anything is applied: a bad value changes nothing. */
static int set_slub_debug(const char *val)
{
	const char *comma = val ? strchr(val, ',') : NULL;
	const char *names = comma ? comma + 1 : "";
	unsigned long flags = 0;

	if (strlen(names) >= sizeof(debug_names))
		return -E2BIG;
	for (const char *p = val; p && *p && p != comma; p++) {
		switch (*p) {
		case 'F':
		case 'f':
			flags |= SLAB_DEBUG_FREE;
			break;
		case 'Z':
		case 'z':
			flags |= SLAB_RED_ZONE;
			break;
		case 'P':
		case 'p':
			flags |= SLAB_POISON;
			break;
		case 'U':
		case 'u':
			flags |= SLAB_STORE_USER;
			break;
		case '-':
			break;
		default:
			return -EINVAL;
		}
	}
	/* No letters (bare slub_debug, or "slub_debug=,cache"): all of them. */
	if (!val || val == comma || !*val)
		flags = SLAB_DEBUG_FLAGS;
	if (val && !strcmp(val, "-"))
		flags = 0;
	debug_flags = flags;
	strlcpy(debug_names, names, sizeof(debug_names));
	return 0;
}
early_param("slub_debug", set_slub_debug);

/* Is name in the comma list? A trailing '*' matches a prefix. */
static bool name_listed(const char *name)
{
	const char *p = debug_names;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n && p[n - 1] == '*'
			    ? !strncmp(name, p, n - 1)
			    : strlen(name) == n && !strncmp(name, p, n))
			return true;
		p += n + (end ? 1 : 0);
	}
	return false;
}

unsigned long slub_debug_flags_for(const char *name)
{
	if (!debug_flags || (debug_names[0] && !name_listed(name)))
		return 0;
	return debug_flags;
}

/* ---- layout ---- */

void calculate_sizes(struct kmem_cache *s)
{
	unsigned int size = ALIGN(s->object_size, sizeof(void *));

	/* Poisoning would wipe what a constructor set up. */
	if (s->ctor)
		s->flags &= ~SLAB_POISON;
	if ((s->flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	s->offset = 0;
	if (s->flags & (SLAB_POISON | SLAB_RED_ZONE | SLAB_DEBUG_FREE) ||
	    s->ctor) {
		/* Keep the free pointer out of the object's bytes. */
		s->offset = size;
		size += sizeof(void *);
	}
	if (s->flags & SLAB_STORE_USER) {
		/* The alloc track names the owner already: one record is enough. */
		s->flags &= ~SLAB_OWNER;
		s->track = size;
		size += 2 * sizeof(struct track);
	} else if (s->flags & SLAB_OWNER) {
		s->owner = size;
		size += sizeof(struct slab_owner);
	}
	s->size = ALIGN(size, s->align);
}

static struct track *get_track(struct kmem_cache *s, void *obj,
			       enum track_item item)
{
	return (struct track *)((char *)obj + s->track) + item;
}

static void set_track(struct kmem_cache *s, void *obj, enum track_item item,
		      unsigned long caller)
{
	if (s->flags & SLAB_STORE_USER) {
		struct track *t = get_track(s, obj, item);

		t->addr = caller;
		t->when = jiffies;
		t->gen = mm_generation;
	}
}

void init_object(struct kmem_cache *s, void *obj, bool active)
{
	u8 *p = obj;

	if (s->flags & SLAB_POISON) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + s->object_size,
		       active ? SLUB_RED_ACTIVE : SLUB_RED_INACTIVE,
		       s->inuse - s->object_size);
}

/* A slot in a brand-new slab: free, and never allocated or freed yet. */
void init_new_object(struct kmem_cache *s, void *obj)
{
	init_object(s, obj, false);
	if (s->flags & SLAB_STORE_USER)
		memset(get_track(s, obj, TRACK_ALLOC), 0,
		       2 * sizeof(struct track));
	if (s->flags & SLAB_OWNER)
		clear_slab_owner(s, obj);
}

/* ---- reports ---- */

static void hex_dump(const char *label, const u8 *p, unsigned int len)
{
	for (unsigned int off = 0; off < len; off += 16) {
		printk(KERN_ERR "%-8s %p:", label, (void *)(p + off));
		for (unsigned int i = off; i < len && i < off + 16; i++)
			printk(KERN_CONT " %02x", p[i]);
		printk(KERN_CONT "\n");
	}
}

static void print_track(struct kmem_cache *s, void *obj, enum track_item item)
{
	struct track *t = get_track(s, obj, item);

	if (!t->addr)
		return;
	printk(KERN_ERR "INFO: %s in %pS age=%lu jiffies\n",
	       item == TRACK_ALLOC ? "Allocated" : "Freed", (void *)t->addr,
	       jiffies - t->when);
}

unsigned long slab_reports;

static void report_header(struct kmem_cache *s, const char *what)
{
	slab_reports++;
	printk(KERN_ERR "================================================"
			"=============================\n");
	printk(KERN_ERR "BUG %s: %s\n", s->name, what);
	printk(KERN_ERR "------------------------------------------------"
			"-----------------------------\n");
}

static void print_trailer(struct kmem_cache *s, struct page *page, u8 *obj)
{
	printk(KERN_ERR "INFO: Slab %p objects=%u used=%u order=%u\n",
	       (void *)page, s->objects, page->slab.inuse, s->order);
	printk(KERN_ERR "INFO: Object %p @offset=%lu\n", (void *)obj,
	       (unsigned long)(obj - (u8 *)slab_base(page)));
	if (s->flags & SLAB_STORE_USER) {
		print_track(s, obj, TRACK_ALLOC);
		print_track(s, obj, TRACK_FREE);
	}
	hex_dump("Object", obj, min(s->object_size, 64U));
	if (s->flags & SLAB_RED_ZONE)
		hex_dump("Redzone", obj + s->object_size,
			 s->inuse - s->object_size);
}

void slab_report(struct kmem_cache *s, const char *what, void *obj,
		 unsigned long caller)
{
	struct page *page = virt_to_slab(obj);

	report_header(s, what);
	printk(KERN_ERR "INFO: %p, from %pS\n", obj, (void *)caller);
	if (page && valid_object(s, page, obj))
		print_trailer(s, page, obj);
	dump_stack();
	printk(KERN_ERR "FIX %s: ignored; the cache is intact\n", s->name);
}

void slab_report_pointer(struct kmem_cache *s, const void *p, struct page *page,
			 unsigned long caller)
{
	const char *owner;

	slab_reports++;
	if (!page)
		owner = virt_addr_valid(p) ? "not in any slab"
					   : "not in the direct map";
	else
		owner = ((struct kmem_cache *)page->private)->name;
	printk(KERN_ERR "================================================"
			"=============================\n");
	printk(KERN_ERR "BUG %s: Invalid object pointer %p\n",
	       s ? s->name : "kfree", p);
	printk(KERN_ERR "INFO: freed by %pS; the pointer is %s%s\n",
	       (void *)caller, page ? "an object of cache " : "", owner);
	dump_stack();
	printk(KERN_ERR "FIX %s: not freed; nothing was touched\n",
	       s ? s->name : "kfree");
}

/* Which bytes in [from, to) differ from val; report and restore them. */
static bool check_bytes(struct kmem_cache *s, struct page *page, u8 *obj,
			const char *what, u8 *from, u8 *to, u8 val)
{
	u8 *bad = from, *last;

	while (bad < to && *bad == val)
		bad++;
	if (bad == to)
		return true;
	last = to - 1;
	while (*last == val)
		last--;
	report_header(s, what);
	printk(KERN_ERR "INFO: %p-%p @offset=%lu. First byte %#x instead of "
			"%#x\n",
	       (void *)bad, (void *)last,
	       (unsigned long)(bad - (u8 *)slab_base(page)), *bad, val);
	print_trailer(s, page, obj);
	dump_stack();
	memset(from, val, to - from);
	printk(KERN_ERR "FIX %s: Restoring %s %p-%p=%#x\n", s->name,
	       !strcmp(what, "Poison overwritten") ? "Poison" : "Right Redzone",
	       (void *)from, (void *)(to - 1), val);
	return false;
}

static bool check_object(struct kmem_cache *s, struct page *page, void *obj,
			 bool active)
{
	u8 *p = obj;
	bool ok = true;

	if (s->flags & SLAB_RED_ZONE)
		ok &= check_bytes(s, page, p, "Right Redzone overwritten",
				  p + s->object_size, p + s->inuse,
				  active ? SLUB_RED_ACTIVE : SLUB_RED_INACTIVE);
	if ((s->flags & SLAB_POISON) && !active) {
		ok &= check_bytes(s, page, p, "Poison overwritten", p,
				  p + s->object_size - 1, POISON_FREE);
		ok &= check_bytes(s, page, p, "Poison overwritten",
				  p + s->object_size - 1, p + s->object_size,
				  POISON_END);
	}
	return ok;
}

/* Is obj on the free chain of its slab (the CPU's list or the slab's)? */
bool obj_on_freelist(struct kmem_cache *s, struct page *page, void *obj)
{
	struct kmem_cache_cpu *c = &s->cpu[smp_processor_id()];
	void *p = page == c->page ? c->freelist
		  : page->slab.freelist == SLAB_FREELIST_NONE
			  ? NULL
			  : obj_at(s, page, page->slab.freelist);

	for (unsigned int n = 0; p && n <= s->objects; n++) {
		if (p == obj)
			return true;
		if (!valid_object(s, page, p))
			return false;
		p = get_freepointer(s, p);
	}
	return false;
}

/* Inside the slab's pages, though perhaps not at an object's start. */
static bool freelist_in_slab(struct kmem_cache *s, struct kmem_cache_cpu *c,
			     void *p)
{
	unsigned long off =
		(unsigned long)p - (unsigned long)slab_base(c->page);

	return off < (PAGE_SIZE << s->order);
}

/*
 * A damaged CPU free list is dropped, not followed: its objects are lost
 * to the cache (and said so) rather than handed out twice.
 */
bool check_freelist_next(struct kmem_cache *s, struct kmem_cache_cpu *c,
			 void *obj)
{
	void *next;

	if (!valid_object(s, c->page, obj)) {
		next = obj;
	} else {
		next = get_freepointer(s, obj);
		if (!next || valid_object(s, c->page, next))
			return true;
	}
	report_header(s, "Freelist Pointer check fails");
	printk(KERN_ERR "INFO: free object %p points to %p, %s slab %p\n", obj,
	       next,
	       freelist_in_slab(s, c, next) ? "not an object of" : "outside",
	       slab_base(c->page));
	dump_stack();
	printk(KERN_ERR "FIX %s: the CPU slab's free objects are isolated "
			"(leaked, not reused)\n",
	       s->name);
	c->freelist = NULL;
	return false;
}

bool alloc_debug_checks(struct kmem_cache *s, struct page *page, void *obj,
			unsigned long caller)
{
	check_object(s, page, obj, false); /* repairs what it reports */
	set_track(s, obj, TRACK_ALLOC, caller);
	init_object(s, obj, true);
	return true;
}

bool free_debug_checks(struct kmem_cache *s, struct page *page, void *obj,
		       unsigned long caller)
{
	if (obj_on_freelist(s, page, obj)) {
		slab_report(s, "Object already free", obj, caller);
		return false;
	}
	check_object(s, page, obj, true);
	set_track(s, obj, TRACK_FREE, caller);
	init_object(s, obj, false);
	return true;
}

/* ---- slabcheck: every object of every debug cache ---- */

static unsigned long check_slab(struct kmem_cache *s, struct page *page)
{
	unsigned long problems = 0;

	for (unsigned int i = 0; i < s->objects; i++) {
		void *obj = obj_at(s, page, i);
		bool free = obj_on_freelist(s, page, obj);

		problems += !check_object(s, page, obj, !free);
	}
	return problems;
}

unsigned long slab_check_all(void)
{
	struct kmem_cache *s;
	struct page *page;
	unsigned long problems = 0, flags;

	local_irq_save(flags);
	list_for_each_entry (s, &slab_caches, list) {
		if (!(s->flags & (SLAB_RED_ZONE | SLAB_POISON)))
			continue;
		list_for_each_entry (page, &s->partial, lru)
			problems += check_slab(s, page);
		list_for_each_entry (page, &s->full, lru)
			problems += check_slab(s, page);
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			if (s->cpu[cpu].page)
				problems += check_slab(s, s->cpu[cpu].page);
		}
	}
	local_irq_restore(flags);
	return problems;
}

/* ---- owners: the alloc track of a cache that stores its users ---- */

/* Who allocated obj, if its alloc track says; false for a never-used slot. */
bool slab_track_owner(struct kmem_cache *s, void *obj, unsigned long *caller,
		      u32 *gen)
{
	struct track *t = get_track(s, obj, TRACK_ALLOC);

	*caller = t->addr;
	*gen = t->gen;
	return t->addr != 0;
}
