/*
 * scullh (ours): quanta are HIGHMEM pages, which have no kernel address;
 * every access maps the page with kmap_atomic for the copy and unmaps it
 * at once. /proc/scullhmem shows page frame numbers.
 */
#include <pagoda/highmem.h>
#include <pagoda/init.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>

#include "scull.h"

static void *quantum_alloc(struct scull_dev *dev)
{
	return alloc_page(GFP_HIGHUSER);
}

static void quantum_free(struct scull_dev *dev, void *q)
{
	__free_page(q);
}

static void *quantum_map(void *q)
{
	return kmap_atomic(q, KM_USER0);
}

static void quantum_unmap(void *q, void *addr)
{
	kunmap_atomic(addr, KM_USER0);
}

static struct scull_variant scullh = {
	.name = "scullh",
	.order = 0,
	.qset = 500,
	.fixed_size = true,
	.uses_order = true,
	.alloc = quantum_alloc,
	.free = quantum_free,
	.map = quantum_map,
	.unmap = quantum_unmap,
};

/* Order 0 only: kmap_atomic maps one page at a time. */
scull_param(scullh, qset);

static void scullhmem_show(struct seq_file *m)
{
	scull_proc_show(m, &scullh, true);
}
PROC_TABLE("scullhmem", scullhmem_show);

static int scullh_init(void)
{
	return scull_register(&scullh);
}
initcall(scullh_init);
