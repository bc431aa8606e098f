/*
 * Memory pools: a reserve of elements in front of an allocator.
 *
 * mempool_alloc() tries the allocator first, without letting it sleep
 * or warn; the reserve is touched only when that fails. 2.6 would then
 * sleep until some element came back; Pagoda cannot sleep, so it makes
 * one last attempt with the caller's full flags and otherwise returns
 * NULL. mempool_free() refills the reserve before giving anything back.
 */
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/irqflags.h>
#include <pagoda/mempool.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

static LIST_HEAD(pools);

static void add_element(mempool_t *pool, void *element)
{
	pool->elements[pool->curr_nr++] = element;
}

static void *remove_element(mempool_t *pool)
{
	return pool->elements[--pool->curr_nr];
}

static void free_reserve(mempool_t *pool)
{
	while (pool->curr_nr)
		pool->free(remove_element(pool), pool->pool_data);
}

static mempool_t *create(int min_nr, mempool_alloc_t *alloc_fn,
			 mempool_free_t *free_fn, void *pool_data,
			 unsigned long creator)
{
	mempool_t *pool;

	if (min_nr < 1 || !alloc_fn || !free_fn) {
		printk(KERN_ERR "mempool_create: min_nr %d (must be >= 1) or "
				"no alloc/free function, from %pS\n",
		       min_nr, (void *)creator);
		return NULL;
	}
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->elements = kcalloc(min_nr, sizeof(void *), GFP_KERNEL);
	if (!pool->elements) {
		kfree(pool);
		return NULL;
	}
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	pool->creator = creator;
	while (pool->curr_nr < min_nr) {
		void *element = alloc_fn(GFP_KERNEL, pool_data);

		if (!element) {
			free_reserve(pool);
			kfree(pool->elements);
			kfree(pool);
			return NULL;
		}
		add_element(pool, element);
	}
	list_add_tail(&pool->list, &pools);
	return pool;
}

mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn,
			  mempool_free_t *free_fn, void *pool_data)
{
	return create(min_nr, alloc_fn, free_fn, pool_data, _RET_IP_);
}

int mempool_resize(mempool_t *pool, int new_min_nr, gfp_t gfp)
{
	void **elements;
	unsigned long flags;

	if (new_min_nr < 1)
		return -EINVAL;
	local_irq_save(flags);
	while (pool->curr_nr > new_min_nr)
		pool->free(remove_element(pool), pool->pool_data);
	local_irq_restore(flags);
	if (new_min_nr > pool->min_nr) {
		elements = kcalloc(new_min_nr, sizeof(void *), gfp);
		if (!elements)
			return -ENOMEM;
		local_irq_save(flags);
		memcpy(elements, pool->elements,
		       pool->curr_nr * sizeof(void *));
		kfree(pool->elements);
		pool->elements = elements;
		local_irq_restore(flags);
	}
	pool->min_nr = new_min_nr;
	while (pool->curr_nr < pool->min_nr) {
		void *element = pool->alloc(gfp, pool->pool_data);

		if (!element)
			return -ENOMEM; /* the reserve fills as elements return */
		local_irq_save(flags);
		/* A free may have refilled it while interrupts were on. */
		if (pool->curr_nr < pool->min_nr) {
			add_element(pool, element);
			element = NULL;
		}
		local_irq_restore(flags);
		if (element)
			pool->free(element, pool->pool_data);
	}
	return 0;
}

/*
 * Elements still out would come back to a freed pool: report the leak
 * and keep the pool, as kmem_cache_destroy does with live objects.
 */
void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	if (pool->out) {
		printk(KERN_ERR "mempool_destroy: pool from %pS still has %d "
				"element%s out; the pool is kept\n",
		       (void *)pool->creator, pool->out,
		       pool->out == 1 ? "" : "s");
		dump_stack();
		return;
	}
	list_del(&pool->list);
	free_reserve(pool);
	kfree(pool->elements);
	kfree(pool);
}

void *mempool_alloc(mempool_t *pool, gfp_t gfp)
{
	gfp_t quick = (gfp & ~(__GFP_WAIT | __GFP_IO | __GFP_REPEAT |
			       __GFP_NOFAIL)) |
		      __GFP_NORETRY | __GFP_NOWARN;
	unsigned long flags;
	void *element;

	might_sleep_if(gfp & __GFP_WAIT);
	element = pool->alloc(quick, pool->pool_data);
	local_irq_save(flags);
	if (!element && pool->curr_nr) {
		element = remove_element(pool);
		pool->reserve_hits++;
	}
	local_irq_restore(flags);
	if (!element && (gfp & __GFP_WAIT))
		element = pool->alloc(gfp | __GFP_NOWARN, pool->pool_data);
	local_irq_save(flags);
	if (element)
		pool->out++;
	else
		pool->failures++;
	local_irq_restore(flags);
	return element;
}

void mempool_free(void *element, mempool_t *pool)
{
	unsigned long flags;

	if (!element)
		return;
	local_irq_save(flags);
	pool->out--;
	if (pool->curr_nr < pool->min_nr) {
		add_element(pool, element);
		local_irq_restore(flags);
		return;
	}
	local_irq_restore(flags);
	pool->free(element, pool->pool_data);
}

void *mempool_alloc_slab(gfp_t gfp, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp, void *pool_data)
{
	return kmalloc((unsigned long)pool_data, gfp);
}

void mempool_kfree(void *element, void *pool_data)
{
	kfree(element);
}

void *mempool_alloc_pages(gfp_t gfp, void *pool_data)
{
	return alloc_pages(gfp, (unsigned long)pool_data);
}

void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (unsigned long)pool_data);
}

mempool_t *mempool_create_slab_pool(int min_nr, struct kmem_cache *cache)
{
	return create(min_nr, mempool_alloc_slab, mempool_free_slab, cache,
		      _RET_IP_);
}

mempool_t *mempool_create_kmalloc_pool(int min_nr, unsigned long size)
{
	return create(min_nr, mempool_kmalloc, mempool_kfree, (void *)size,
		      _RET_IP_);
}

mempool_t *mempool_create_page_pool(int min_nr, int order)
{
	return create(min_nr, mempool_alloc_pages, mempool_free_pages,
		      (void *)(unsigned long)order, _RET_IP_);
}

/* Our own table: each pool, its reserve and where elements come from. */
static void describe_source(const mempool_t *pool, char *buf, size_t size)
{
	if (pool->alloc == mempool_alloc_slab)
		scnprintf(buf, size, "slab %s",
			  kmem_cache_name(pool->pool_data));
	else if (pool->alloc == mempool_kmalloc)
		scnprintf(buf, size, "kmalloc %lu",
			  (unsigned long)pool->pool_data);
	else if (pool->alloc == mempool_alloc_pages)
		scnprintf(buf, size, "pages order %lu",
			  (unsigned long)pool->pool_data);
	else
		scnprintf(buf, size, "%pS", (void *)pool->alloc);
}

static void mempoolinfo_show(struct seq_file *m)
{
	mempool_t *pool;
	char creator[48], source[48];

	seq_printf(m, "%-32s %6s %7s %5s %8s %8s  %s\n", "# creator", "min_nr",
		   "curr_nr", "out", "reserve", "failed", "source");
	list_for_each_entry(pool, &pools, list) {
		scnprintf(creator, sizeof(creator), "%pS", (void *)pool->creator);
		describe_source(pool, source, sizeof(source));
		seq_printf(m, "%-32s %6d %7d %5d %8lu %8lu  %s\n", creator,
			   pool->min_nr, pool->curr_nr, pool->out,
			   pool->reserve_hits, pool->failures, source);
	}
}
PROC_TABLE("mempoolinfo", mempoolinfo_show);
