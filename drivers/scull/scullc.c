/*
 * scullc: quanta from a slab cache of its own, "scullc", created with
 * SLAB_HWCACHE_ALIGN (LDD3's second variant): no rounding up to a
 * kmalloc class, and the cache shows in /proc/slabinfo.
 */
#include <pagoda/init.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>

#include "scull.h"

static struct kmem_cache *scullc_cache;

static void *quantum_alloc(struct scull_dev *dev)
{
	return kmem_cache_alloc(scullc_cache, GFP_KERNEL);
}

static void quantum_free(struct scull_dev *dev, void *q)
{
	kmem_cache_free(scullc_cache, q);
}

static int make_cache(struct scull_variant *v)
{
	scullc_cache = kmem_cache_create("scullc", v->quantum, 0,
					 SLAB_HWCACHE_ALIGN, NULL);
	return scullc_cache ? 0 : -1;
}

static struct scull_variant scullc = {
	.name = "scullc",
	.quantum = SCULL_QUANTUM,
	.qset = 500,
	.fixed_size = true,
	.alloc = quantum_alloc,
	.free = quantum_free,
	.init = make_cache,
};

scull_param(scullc, quantum);
scull_param(scullc, qset);

static void scullcmem_show(struct seq_file *m)
{
	scull_proc_show(m, &scullc, false);
}
PROC_TABLE("scullcmem", scullcmem_show);

static int scullc_init(void)
{
	return scull_register(&scullc);
}
initcall(scullc_init);
