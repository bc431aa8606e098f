/*
 * `selftest mempool`: a pool keeps serving from its reserve when the
 * page allocator has nothing left, and refills it before anything else.
 */
#include <pagoda/ktap.h>
#include <pagoda/mempool.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>

static void take_all_pages(struct list_head *held)
{
	struct page *page;

	while ((page = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		list_add(&page->lru, held);
	while ((page = alloc_page(GFP_ATOMIC | __GFP_NOWARN)))
		list_add(&page->lru, held);
}

static void give_back(struct list_head *held)
{
	struct page *page, *n;

	list_for_each_entry_safe(page, n, held, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

static void test_reserve(struct ktap *t)
{
	mempool_t *pool = mempool_create_page_pool(4, 0);
	struct page *got[5], *first;
	struct list_head held;
	int n = 0;

	if (!pool) {
		ktap_result(t, false, "cannot create a page pool");
		return;
	}
	ktap_result(t, pool->curr_nr == 4, "the reserve starts full (%d)",
		    pool->curr_nr);
	first = mempool_alloc(pool, GFP_KERNEL);
	ktap_result(t, first && pool->curr_nr == 4 && !pool->reserve_hits,
		    "with memory to spare the reserve is not touched");
	INIT_LIST_HEAD(&held);
	take_all_pages(&held);
	for (int i = 0; i < 5; i++) {
		got[i] = mempool_alloc(pool, GFP_ATOMIC);
		n += got[i] != NULL;
	}
	ktap_result(t, n == 4 && pool->reserve_hits == 4 && !got[4],
		    "out of pages, exactly the 4 reserved elements come out");
	for (int i = 0; i < 4; i++)
		mempool_free(got[i], pool);
	ktap_result(t, pool->curr_nr == 4, "freed elements refill the reserve");
	give_back(&held);
	mempool_free(first, pool);
	ktap_result(t, pool->out == 0, "nothing is out");
	ktap_result(t, mempool_resize(pool, 8, GFP_KERNEL) == 0 &&
			       pool->curr_nr == 8,
		    "mempool_resize grows the reserve");
	ktap_result(t, mempool_resize(pool, 2, GFP_KERNEL) == 0 &&
			       pool->curr_nr == 2,
		    "and shrinks it");
	mempool_destroy(pool);
}

static void test_destroy_leak(struct ktap *t)
{
	mempool_t *pool = mempool_create_kmalloc_pool(2, 64);
	void *e;

	if (!pool) {
		ktap_result(t, false, "cannot create a kmalloc pool");
		return;
	}
	e = mempool_alloc(pool, GFP_KERNEL);
	ktap_note(t, "destroying a pool with an element out: a report follows");
	mempool_destroy(pool);
	ktap_result(t, pool->out == 1 && pool->curr_nr == 2,
		    "the pool is kept while an element is out");
	mempool_free(e, pool);
	mempool_destroy(pool);
	ktap_result(t, true, "and destroyed once it came back");
}

static void mempool_selftest(struct ktap *t)
{
	test_reserve(t);
	test_destroy_leak(t);
}
SELFTEST("mempool", mempool_selftest);
