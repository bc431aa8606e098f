/*
 * `selftest slab`: caches, kmalloc and the debug checks, from inside the
 * running kernel. The debug cases damage objects on purpose; each must
 * produce its report (counted in slab_reports) and leave the cache in a
 * state slabcheck finds clean.
 */
#include <pagoda/ktap.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

#include "slab.h"

static unsigned long ctor_calls;

static void count_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x42, 24);
}

static void test_create_refused(struct ktap *t)
{
	ktap_result(t, !kmem_cache_create("a-name-of-20-chars!!", 32, 0, 0,
					  NULL),
		    "a 20-character name is refused");
	ktap_result(t, !kmem_cache_create("zero", 0, 0, 0, NULL),
		    "a zero size is refused");
	ktap_result(t, !kmem_cache_create("huge", 1 << 20, 0, 0, NULL),
		    "a size too large for a slab is refused");
	ktap_result(t, !kmem_cache_create("align", 32, 24, 0, NULL),
		    "an alignment that is not a power of two is refused");
}

static void test_ctor_and_align(struct ktap *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest-ctor", 24, 64, 0,
						 count_ctor);
	void *a, *b;

	if (!s) {
		ktap_result(t, false, "cannot create a cache");
		return;
	}
	ctor_calls = 0;
	a = kmem_cache_alloc(s, GFP_KERNEL);
	ktap_result(t, a && ctor_calls == s->objects,
		    "the constructor ran once per object of the new slab "
		    "(%lu of %u)",
		    ctor_calls, s->objects);
	ktap_result(t, a && ((unsigned long)a & 63) == 0 &&
			       ((const u8 *)a)[23] == 0x42,
		    "objects are 64-byte aligned and constructed");
	kmem_cache_free(s, a);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	ktap_result(t, ctor_calls == s->objects,
		    "reuse does not run the constructor again");
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

#define MANY 3000

static void test_many(struct ktap *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest-many", 100, 0,
						 SLAB_HWCACHE_ALIGN, NULL);
	static void *objs[MANY];
	bool ok = true;

	if (!s) {
		ktap_result(t, false, "cannot create a cache");
		return;
	}
	for (int i = 0; i < MANY && ok; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		ok = objs[i] != NULL;
		if (ok)
			memset(objs[i], i & 0xff, 100);
	}
	for (int i = 0; i < MANY && ok; i++)
		ok = ((u8 *)objs[i])[99] == (i & 0xff) &&
		     ((u8 *)objs[i])[0] == (i & 0xff);
	ktap_result(t, ok, "%d objects, each keeps its own contents", MANY);
	ktap_result(t, slab_active_objects(s) == MANY,
		    "slabinfo counts %lu active objects", slab_active_objects(s));
	for (int i = 0; i < MANY; i += 2)
		kmem_cache_free(s, objs[i]);
	for (int i = 1; i < MANY; i += 2)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	ktap_result(t, slab_active_objects(s) == 0 && s->nr_slabs == 0,
		    "after freeing all and shrinking no slab is left (%lu)",
		    s->nr_slabs);
	kmem_cache_destroy(s);
}

static void test_kmalloc(struct ktap *t)
{
	bool ok = true;
	char *p, *q;

	for (unsigned long size = 1; size <= 8192 && ok; size += size / 8 + 1) {
		p = kmalloc(size, GFP_KERNEL);
		ok = p && ksize(p) >= size &&
		     ksize(p) == kmalloc_size_class(size);
		if (p)
			memset(p, 0x5a, size);
		kfree(p);
	}
	ktap_result(t, ok, "kmalloc from 1 to 8192 bytes gives the class size");
	ktap_result(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR,
		    "kmalloc(0) is ZERO_SIZE_PTR");
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	ktap_result(t, !kcalloc(~0UL / 2, 4, GFP_KERNEL),
		    "kcalloc refuses a count that overflows");
	p = kmalloc(128 * 1024, GFP_KERNEL);
	ktap_result(t, p && ksize(p) >= 128 * 1024,
		    "128 KiB is served (from the page allocator)");
	kfree(p);
	p = kmalloc(20, GFP_KERNEL);
	if (p)
		strlcpy(p, "keep me", 20);
	q = krealloc(p, 3000, GFP_KERNEL);
	ktap_result(t, q && !strcmp(q, "keep me") && ksize(q) >= 3000,
		    "krealloc keeps the contents");
	kfree(q);
	p = kzalloc(300, GFP_KERNEL);
	ok = p != NULL;
	for (int i = 0; p && i < 300; i++)
		ok &= p[i] == 0;
	ktap_result(t, ok, "kzalloc returns zeros");
	kfree(p);
}

/* One deliberate bug per case: a report, and a clean cache afterwards. */
static void test_debug(struct ktap *t)
{
	struct kmem_cache *s = kmem_cache_create(
		"selftest-debug", 40, 0,
		SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_DEBUG_FREE,
		NULL);
	unsigned long before;
	u8 *a, *b, *c;

	if (!s) {
		ktap_result(t, false, "cannot create a debug cache");
		return;
	}
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	ktap_note(t, "deliberate damage follows: five reports are expected");

	before = slab_reports;
	a[40] = 0; /* one byte past the end */
	kmem_cache_free(s, a);
	ktap_result(t, slab_reports == before + 1,
		    "a write past the end: Right Redzone overwritten");

	before = slab_reports;
	a[3] = 1; /* after free */
	c = kmem_cache_alloc(s, GFP_KERNEL);
	ktap_result(t, c == a && slab_reports == before + 1,
		    "a write after free: Poison overwritten");

	before = slab_reports;
	kmem_cache_free(s, b);
	kmem_cache_free(s, b);
	ktap_result(t, slab_reports == before + 1,
		    "a double free: Object already free");

	before = slab_reports;
	kmem_cache_free(s, c + 8);
	ktap_result(t, slab_reports == before + 1,
		    "a pointer into an object: Invalid object pointer");

	before = slab_reports;
	kfree(&before);
	ktap_result(t, slab_reports == before + 1,
		    "kfree of a stack address is caught, not followed");

	kmem_cache_free(s, c);
	ktap_result(t, slab_check_all() == 0,
		    "slabcheck finds every object repaired");
	kmem_cache_shrink(s);
	kmem_cache_destroy(s);
}

/* Empty slabs go back when the page allocator runs dry. */
static void test_pressure(struct ktap *t)
{
	struct kmem_cache *s = kmem_cache_create("selftest-press", 512, 0, 0,
						 NULL);
	void *objs[64];
	struct list_head held;
	struct page *page, *n;
	unsigned long slabs;

	if (!s) {
		ktap_result(t, false, "cannot create a cache");
		return;
	}
	for (int i = 0; i < 64; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 64; i++)
		kmem_cache_free(s, objs[i]);
	slabs = s->nr_slabs;
	INIT_LIST_HEAD(&held);
	while ((page = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		list_add(&page->lru, &held);
	ktap_result(t, slabs > 0 && s->nr_slabs == 0,
		    "running out of pages returned the cache's %lu empty "
		    "slabs",
		    slabs);
	list_for_each_entry_safe(page, n, &held, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	kmem_cache_destroy(s);
}

static void slab_selftest(struct ktap *t)
{
	test_create_refused(t);
	test_ctor_and_align(t);
	test_many(t);
	test_kmalloc(t);
	test_debug(t);
	test_pressure(t);
}
SELFTEST("slab", slab_selftest);
