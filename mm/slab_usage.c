/*
 * What the slab layer holds, read-only, for code that measures memory
 * (the scullbench command): how many objects are in use across every
 * cache, and how much memory one object really takes.
 *
 * An object's footprint is its share of its slab, not its size: a slab
 * of 2^order pages holding `objects` slots charges each slot
 * (PAGE_SIZE << order) / objects bytes, so the alignment padding and
 * the bytes left over at the end of the slab are counted too. kmalloc's
 * rounding up to a class shows the same way.
 */
#include <pagoda/mm.h>
#include <pagoda/slab.h>

#include "slab.h"

unsigned long slab_objects_in_use(void)
{
	struct kmem_cache *s;
	unsigned long n = 0;

	list_for_each_entry (s, &slab_caches, list)
		n += slab_active_objects(s);
	return n;
}

unsigned long kmem_footprint(const void *p)
{
	struct kmem_cache *s = virt_to_cache(p);

	if (s)
		return (PAGE_SIZE << s->order) / s->objects;
	return ksize(p); /* a large kmalloc's pages, or 0 */
}
