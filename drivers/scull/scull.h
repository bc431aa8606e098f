/*
 * scull, the driver of LDD3's memory chapter, as a family: one core
 * (drivers/scull/core.c) keeps each device's data as a list of quantum
 * sets, and each variant says only how a quantum is allocated, freed and
 * reached -- kmalloc, a slab cache, whole pages, vmalloc, HIGHMEM pages,
 * a mempool. Comparing the variants is comparing the allocators.
 *
 *   dev->data -> qset -> qset -> ...     each qset: an array of `qset`
 *                 |                      pointers to quanta of
 *                 +-> [q0][q1]...[qN]    quantum_bytes() each
 */
#ifndef DRIVERS_SCULL_H
#define DRIVERS_SCULL_H

#include <pagoda/fs.h>
#include <pagoda/gfp.h>
#include <pagoda/params.h>

#define SCULL_NR_DEVS 4
#define SCULL_QUANTUM 4000
#define SCULL_QSET    1000
/* A write beyond this many qset items is refused (-EFBIG), not served
 * by allocating every qset on the way. */
#define SCULL_MAX_ITEMS 4096

struct scull_qset {
	void **data;
	struct scull_qset *next;
};

struct scull_dev;

struct scull_variant {
	const char *name; /* "scullp": devices are scullp0.. */
	unsigned int major;
	unsigned long quantum; /* bytes (scull, scullc, scullm) */
	unsigned int order; /* pages per quantum: 2^order (scullp/v/h) */
	unsigned int qset;
	bool uses_order; /* /proc shows order, not q */
	unsigned int max_order; /* the largest order it can allocate */
	bool fixed_size; /* quanta come from a sized cache or pool */
	/* A quantum: its handle (an address, or a struct page *). */
	void *(*alloc)(struct scull_dev *dev);
	void (*free)(struct scull_dev *dev, void *quantum);
	/* Reach bytes of a quantum; unmap undoes it (may be NULL). */
	void *(*map)(void *quantum);
	void (*unmap)(void *quantum, void *addr);
	int (*init)(struct scull_variant *v);
};

struct scull_dev {
	struct scull_qset *data;
	/* Fixed while data exist; the variant's settings apply after trim. */
	unsigned long quantum;
	unsigned int order;
	unsigned int qset;
	unsigned long size;
	unsigned long nr_quanta;
	struct scull_variant *v;
	int index;
};

/* LDD3's ioctls, by their names. */
#define SCULL_IOCRESET	  0
#define SCULL_IOCSQUANTUM 1 /* set from arg */
#define SCULL_IOCGQUANTUM 2 /* return it */
#define SCULL_IOCSQSET	  3
#define SCULL_IOCGQSET	  4

int scull_register(struct scull_variant *v);
struct seq_file;
/* LDD3's /proc/scullmem for one variant; pfns instead of addresses for
 * quanta that have none (HIGHMEM). */
void scull_proc_show(struct seq_file *m, struct scull_variant *v,
		     bool show_pfn);
void scull_trim(struct scull_dev *dev);
struct scull_dev *scull_device(struct scull_variant *v, int index);
unsigned long scull_quantum_bytes(const struct scull_dev *dev);
bool scull_geometry_ok(unsigned long quantum, unsigned long qset);
/*
 * Kernel parameters for a variant's sizes: scull_param(scullp, order)
 * registers scullp.order=. Fields: quantum (bytes), order, qset. They
 * are parsed before the drivers register, so the devices start with
 * them; quantum cannot change once a cache or pool was sized by it.
 */
int scull_set_param(struct scull_variant *v, const char *field,
		    const char *val);
#define scull_param(var, field)                            \
	static int var##_##field##_param(const char *val)  \
	{                                                  \
		return scull_set_param(&var, #field, val); \
	}                                                  \
	kernel_param(#var "." #field, var##_##field##_param)

#endif
