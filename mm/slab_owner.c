/*
 * Slab owner: who allocated each live slab object, without slub_debug.
 *
 * With the boot option slab_owner every cache created afterwards (the
 * kmalloc caches included: early parameters are read before the slab
 * layer starts) gets SLAB_OWNER, a small record after each object: the
 * caller and the allocation generation (mm/page_owner.c). The fast paths
 * of mm/slab.c write it as they hand an object out and clear it as they
 * take it back, so such a cache stays on its fast paths, where
 * slub_debug=U's alloc and free tracks send a cache to the slow ones. A
 * cache that stores its users keeps only its track, which says the same.
 *
 * Off by default: the record widens every slot (mm/slab.h draws it).
 * `leaks since GEN` (mm/leaks.c) reads both kinds through
 * slab_for_each_owner().
 */
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/params.h>
#include <pagoda/string.h>

#include "internal.h"
#include "slab.h"

static bool enabled;

static int set_slab_owner_param(const char *val)
{
	return kstrtobool(val ? val : "on", &enabled) ? -EINVAL : 0;
}
early_param("slab_owner", set_slab_owner_param);

unsigned long slab_owner_flags(void)
{
	return enabled ? SLAB_OWNER : 0;
}

/*
 * A SLAB_OWNER slot's record is cleared at every free, so a set caller
 * means a live object; a track is kept past the free, so there the
 * slab's free list decides.
 */
static bool object_owner(struct kmem_cache *s, struct page *page, void *obj,
			 unsigned long *caller, u32 *gen)
{
	struct slab_owner *o;

	if (s->flags & SLAB_STORE_USER)
		return slab_track_owner(s, obj, caller, gen) &&
		       !obj_on_freelist(s, page, obj);
	o = slab_owner_record(s, obj);
	*caller = o->caller;
	*gen = o->gen;
	return o->caller != 0;
}

static void slab_owners(struct kmem_cache *s, struct page *page,
			slab_owner_fn fn, void *ctx)
{
	unsigned long caller;
	u32 gen;

	for (unsigned int i = 0; i < s->objects; i++) {
		if (object_owner(s, page, obj_at(s, page, i), &caller, &gen))
			fn(ctx, caller, gen, s->object_size, s->name);
	}
}

void slab_for_each_owner(slab_owner_fn fn, void *ctx)
{
	struct kmem_cache *s;
	struct page *page;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry (s, &slab_caches, list) {
		if (!(s->flags & (SLAB_STORE_USER | SLAB_OWNER)))
			continue;
		list_for_each_entry (page, &s->partial, lru)
			slab_owners(s, page, fn, ctx);
		list_for_each_entry (page, &s->full, lru)
			slab_owners(s, page, fn, ctx);
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			if (s->cpu[cpu].page)
				slab_owners(s, s->cpu[cpu].page, fn, ctx);
		}
	}
	local_irq_restore(flags);
}
