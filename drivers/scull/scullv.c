/*
 * scullv: quanta of PAGE_SIZE << order from vmalloc (LDD3's vmalloc
 * variant; order 4, 16 pages, by default, scullv.order=): contiguous in
 * virtual addresses only, so big quanta never need a big free block.
 */
#include <pagoda/errno.h>
#include <pagoda/init.h>
#include <pagoda/mm.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#include "scull.h"

static void *quantum_alloc(struct scull_dev *dev)
{
	return vmalloc(PAGE_SIZE << dev->order);
}

static void quantum_free(struct scull_dev *dev, void *q)
{
	vfree(q);
}

static struct scull_variant scullv = {
	.name = "scullv",
	.order = 4,
	.qset = 500,
	.uses_order = true,
	.max_order = 10, /* 4 MiB quanta; i386's vmalloc area is 120 MiB */
	.alloc = quantum_alloc,
	.free = quantum_free,
};

scull_param(scullv, order);
scull_param(scullv, qset);

static void scullvmem_show(struct seq_file *m)
{
	scull_proc_show(m, &scullv, false);
}
PROC_TABLE("scullvmem", scullvmem_show);

static int scullv_init(void)
{
	return scull_register(&scullv);
}
initcall(scullv_init);
