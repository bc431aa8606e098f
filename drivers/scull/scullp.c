/*
 * scullp: quanta of PAGE_SIZE << order straight from __get_free_pages
 * (LDD3's page variant; order 0 by default, scullp.order=): no slab
 * layer in between, so nothing is wasted beyond the page itself.
 */
#include <pagoda/errno.h>
#include <pagoda/init.h>
#include <pagoda/mm.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/string.h>

#include "scull.h"

static void *quantum_alloc(struct scull_dev *dev)
{
	return (void *)__get_free_pages(GFP_KERNEL, dev->order);
}

static void quantum_free(struct scull_dev *dev, void *q)
{
	free_pages((unsigned long)q, dev->order);
}

static struct scull_variant scullp = {
	.name = "scullp",
	.order = 0,
	.qset = 500,
	.uses_order = true,
	.max_order = MAX_ORDER - 1,
	.alloc = quantum_alloc,
	.free = quantum_free,
};

scull_param(scullp, order);
scull_param(scullp, qset);

static void scullpmem_show(struct seq_file *m)
{
	scull_proc_show(m, &scullp, false);
}
PROC_TABLE("scullpmem", scullpmem_show);

static int scullp_init(void)
{
	return scull_register(&scullp);
}
initcall(scullp_init);
