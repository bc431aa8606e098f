/*
 * scullm (ours): quanta from a mempool in front of kmalloc, with a
 * reserve of SCULLM_RESERVE quanta: when the page allocator runs dry,
 * writes keep succeeding from the reserve until it is spent.
 */
#include <pagoda/init.h>
#include <pagoda/params.h>
#include <pagoda/mempool.h>
#include <pagoda/proc.h>

#include "scull.h"

#define SCULLM_RESERVE 16

static mempool_t *pool;

static void *quantum_alloc(struct scull_dev *dev)
{
	return mempool_alloc(pool, GFP_KERNEL);
}

static void quantum_free(struct scull_dev *dev, void *q)
{
	mempool_free(q, pool);
}

static int make_pool(struct scull_variant *v)
{
	pool = mempool_create_kmalloc_pool(SCULLM_RESERVE, v->quantum);
	return pool ? 0 : -1;
}

static struct scull_variant scullm = {
	.name = "scullm",
	.quantum = SCULL_QUANTUM,
	.qset = 500,
	.fixed_size = true,
	.alloc = quantum_alloc,
	.free = quantum_free,
	.init = make_pool,
};

scull_param(scullm, quantum);
scull_param(scullm, qset);

static void scullmmem_show(struct seq_file *m)
{
	scull_proc_show(m, &scullm, false);
}
PROC_TABLE("scullmmem", scullmmem_show);

static int scullm_init(void)
{
	return scull_register(&scullm);
}
initcall(scullm_init);
