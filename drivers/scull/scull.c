/*
 * scull: quanta from kmalloc, LDD3's original. quantum 4000 and qset
 * 1000 by default (scull.quantum=, scull.qset= on the command line).
 */
#include <pagoda/errno.h>
#include <pagoda/init.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

#include "scull.h"

static void *quantum_alloc(struct scull_dev *dev)
{
	return kmalloc(dev->quantum, GFP_KERNEL);
}

static void quantum_free(struct scull_dev *dev, void *q)
{
	kfree(q);
}

static struct scull_variant scull = {
	.name = "scull",
	.quantum = SCULL_QUANTUM,
	.qset = SCULL_QSET,
	.alloc = quantum_alloc,
	.free = quantum_free,
};

scull_param(scull, quantum);
scull_param(scull, qset);

static void scullmem_show(struct seq_file *m)
{
	scull_proc_show(m, &scull, false);
}
PROC_TABLE("scullmem", scullmem_show);

static int scull_init(void)
{
	return scull_register(&scull);
}
initcall(scull_init);
