/*
 * The scull core: what every variant shares. Reads and writes walk the
 * list of quantum sets to the item and quantum the position falls in;
 * writes allocate what is missing through the variant, reads of a hole
 * return 0 bytes (scull never fills holes). Opening write-only with
 * O_TRUNC (the shell's > redirection, `truncate`) trims the device, as
 * LDD3's scull trims on a write-only open; >> appends instead.
 */
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/seq_file.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

#include "scull.h"

#define MAX_VARIANTS 8

static struct scull_variant *variants[MAX_VARIANTS];
static struct scull_dev devices[MAX_VARIANTS][SCULL_NR_DEVS];

/*
 * A quantum and qset whose item (their product) stays within 1 GiB:
 * it must fit an unsigned long on i386, and a read divides by it.
 */
bool scull_geometry_ok(unsigned long quantum, unsigned long qset)
{
	return quantum && qset && quantum <= (1UL << 20) && qset <= 100000 &&
	       (u64)quantum * qset <= (1ULL << 30);
}

static unsigned long variant_quantum_bytes(const struct scull_variant *v)
{
	return v->uses_order ? PAGE_SIZE << v->order : v->quantum;
}

int scull_set_param(struct scull_variant *v, const char *field, const char *val)
{
	unsigned long n;

	if (!val || kstrtoul(val, 0, &n))
		return -EINVAL;
	if (!strcmp(field, "qset")) {
		if (!scull_geometry_ok(variant_quantum_bytes(v), n))
			return -EINVAL;
		v->qset = n;
	} else if (!strcmp(field, "order") && v->uses_order) {
		if (n > v->max_order ||
		    !scull_geometry_ok(PAGE_SIZE << n, v->qset))
			return -EINVAL;
		v->order = n;
	} else if (!strcmp(field, "quantum") && !v->uses_order) {
		if (v->fixed_size && v->major)
			return -EBUSY; /* its cache or pool is sized already */
		if (!scull_geometry_ok(n, v->qset))
			return -EINVAL;
		v->quantum = n;
	} else {
		return -EINVAL;
	}
	return 0;
}

unsigned long scull_quantum_bytes(const struct scull_dev *dev)
{
	return dev->v->uses_order ? PAGE_SIZE << dev->order : dev->quantum;
}

struct scull_dev *scull_device(struct scull_variant *v, int index)
{
	for (int i = 0; i < MAX_VARIANTS; i++) {
		if (variants[i] == v)
			return index < SCULL_NR_DEVS ? &devices[i][index]
						     : NULL;
	}
	return NULL;
}

void scull_trim(struct scull_dev *dev)
{
	struct scull_qset *q = dev->data, *next;

	for (; q; q = next) {
		if (q->data) {
			for (unsigned int i = 0; i < dev->qset; i++) {
				if (q->data[i])
					dev->v->free(dev, q->data[i]);
			}
			kfree(q->data);
		}
		next = q->next;
		kfree(q);
	}
	dev->data = NULL;
	dev->size = 0;
	dev->nr_quanta = 0;
	/* New parameters take effect once the device is empty. */
	dev->quantum = dev->v->quantum;
	dev->order = dev->v->order;
	dev->qset = dev->v->qset;
}

/* The item-th qset, created on the way when `create`. */
static struct scull_qset *follow(struct scull_dev *dev, unsigned long item,
				 bool create)
{
	struct scull_qset **p = &dev->data;

	for (;;) {
		if (!*p) {
			if (!create)
				return NULL;
			*p = kzalloc(sizeof(**p), GFP_KERNEL);
			if (!*p)
				return NULL;
		}
		if (!item--)
			return *p;
		p = &(*p)->next;
	}
}

/* Where byte pos lives: which item, which quantum of it, which byte. */
struct scull_where {
	unsigned long item, s_pos, q_pos;
};

static void locate(const struct scull_dev *dev, loff_t pos,
		   struct scull_where *w)
{
	unsigned long qbytes = scull_quantum_bytes(dev);
	unsigned long itemsize = qbytes * dev->qset;
	unsigned long rest = pos % itemsize;

	w->item = pos / itemsize;
	w->s_pos = rest / qbytes;
	w->q_pos = rest % qbytes;
}

/*
 * Copy len bytes between buf and a quantum at off, through the
 * variant's mapping when its quanta have no kernel address.
 */
static void quantum_copy(struct scull_dev *dev, void *quantum,
			 unsigned long off, void *buf, unsigned long len,
			 bool to_quantum)
{
	char *addr = dev->v->map ? dev->v->map(quantum) : quantum;

	if (to_quantum)
		memcpy(addr + off, buf, len);
	else
		memcpy(buf, addr + off, len);
	if (dev->v->unmap)
		dev->v->unmap(quantum, addr);
}

static long scull_read(struct file *f, char *buf, unsigned long count,
		       loff_t *pos)
{
	struct scull_dev *dev = f->private_data;
	unsigned long qbytes = scull_quantum_bytes(dev);
	struct scull_where w;
	struct scull_qset *q;

	if (*pos < 0)
		return -EINVAL;
	if ((unsigned long long)*pos >= dev->size)
		return 0;
	if (count > dev->size - *pos)
		count = dev->size - *pos;
	locate(dev, *pos, &w);
	q = follow(dev, w.item, false);
	if (!q || !q->data || !q->data[w.s_pos])
		return 0; /* a hole */
	if (count > qbytes - w.q_pos)
		count = qbytes - w.q_pos;
	quantum_copy(dev, q->data[w.s_pos], w.q_pos, buf, count, false);
	*pos += count;
	return count;
}

static long scull_write(struct file *f, const char *buf, unsigned long count,
			loff_t *pos)
{
	struct scull_dev *dev = f->private_data;
	unsigned long qbytes = scull_quantum_bytes(dev);
	struct scull_where w;
	struct scull_qset *q;

	if (*pos < 0)
		return -EINVAL;
	if (!count)
		return 0; /* nothing to write: nothing to allocate either */
	locate(dev, *pos, &w);
	if (w.item >= SCULL_MAX_ITEMS)
		return -EFBIG;
	q = follow(dev, w.item, true);
	if (!q)
		return -ENOMEM;
	if (!q->data) {
		q->data = kcalloc(dev->qset, sizeof(void *), GFP_KERNEL);
		if (!q->data)
			return -ENOMEM;
	}
	if (!q->data[w.s_pos]) {
		q->data[w.s_pos] = dev->v->alloc(dev);
		if (!q->data[w.s_pos])
			return -ENOMEM;
		dev->nr_quanta++;
	}
	if (count > qbytes - w.q_pos)
		count = qbytes - w.q_pos;
	quantum_copy(dev, q->data[w.s_pos], w.q_pos, (void *)buf, count, true);
	*pos += count;
	if ((unsigned long long)*pos > dev->size)
		dev->size = *pos;
	return count;
}

static loff_t scull_llseek(struct file *f, loff_t off, int whence)
{
	struct scull_dev *dev = f->private_data;

	return generic_llseek(f, off, whence, dev->size);
}

static long scull_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct scull_dev *dev = f->private_data;

	switch (cmd) {
	case SCULL_IOCRESET:
		/* A cache or pool keeps the size it was made with. */
		if (!dev->v->uses_order && !dev->v->fixed_size)
			dev->v->quantum = SCULL_QUANTUM;
		dev->v->qset = SCULL_QSET;
		return 0;
	case SCULL_IOCSQUANTUM:
		if (dev->v->fixed_size)
			return -EBUSY; /* its cache or pool has one size */
		if (dev->v->uses_order) {
			if (arg > dev->v->max_order ||
			    !scull_geometry_ok(PAGE_SIZE << arg, dev->v->qset))
				return -EINVAL;
			dev->v->order = arg;
		} else {
			if (arg < 1 || !scull_geometry_ok(arg, dev->v->qset))
				return -EINVAL;
			dev->v->quantum = arg;
		}
		return 0;
	case SCULL_IOCGQUANTUM:
		return dev->v->uses_order ? dev->v->order : dev->v->quantum;
	case SCULL_IOCSQSET:
		if (!scull_geometry_ok(variant_quantum_bytes(dev->v), arg))
			return -EINVAL;
		dev->v->qset = arg;
		return 0;
	case SCULL_IOCGQSET:
		return dev->v->qset;
	default:
		return -ENOTTY;
	}
}

static int scull_open(struct file *f)
{
	struct scull_dev *dev = NULL;

	for (int i = 0; i < MAX_VARIANTS; i++) {
		if (variants[i] && variants[i]->major == f->major &&
		    f->minor < SCULL_NR_DEVS)
			dev = &devices[i][f->minor];
	}
	if (!dev)
		return -ENODEV;
	f->private_data = dev;
	if ((f->f_flags & O_ACCMODE) == O_WRONLY && (f->f_flags & O_TRUNC))
		scull_trim(dev);
	return 0;
}

static const struct file_operations scull_fops = {
	.open = scull_open,
	.read = scull_read,
	.write = scull_write,
	.llseek = scull_llseek,
	.ioctl = scull_ioctl,
};

int scull_register(struct scull_variant *v)
{
	char name[24];
	int slot = -1, major;

	for (int i = 0; i < MAX_VARIANTS && slot < 0; i++) {
		if (!variants[i])
			slot = i;
	}
	if (slot < 0)
		return -ENOSPC;
	if (v->init && v->init(v))
		return -ENOMEM;
	major = register_chrdev(0, v->name, &scull_fops);
	if (major < 0)
		return major;
	v->major = major;
	variants[slot] = v;
	for (int i = 0; i < SCULL_NR_DEVS; i++) {
		struct scull_dev *dev = &devices[slot][i];

		dev->v = v;
		dev->index = i;
		dev->quantum = v->quantum;
		dev->order = v->order;
		dev->qset = v->qset;
		scnprintf(name, sizeof(name), "%s%d", v->name, i);
		chrdev_add_node(name, major, i);
	}
	return 0;
}

/* LDD3's format: the device, its item list, and the last item's quanta. */
void scull_proc_show(struct seq_file *m, struct scull_variant *v, bool show_pfn)
{
	for (int i = 0; i < SCULL_NR_DEVS; i++) {
		struct scull_dev *dev = scull_device(v, i);
		struct scull_qset *q;

		if (v->uses_order)
			seq_printf(m, "Device %i: qset %i, order %i, sz %li\n",
				   i, dev->qset, dev->order, (long)dev->size);
		else
			seq_printf(m, "Device %i: qset %i, q %i, sz %li\n", i,
				   dev->qset, (int)dev->quantum,
				   (long)dev->size);
		for (q = dev->data; q; q = q->next) {
			seq_printf(m, "  item at %p, qset at %p\n", (void *)q,
				   (void *)q->data);
			if (q->next || !q->data)
				continue;
			for (unsigned int j = 0; j < dev->qset; j++) {
				if (!q->data[j])
					continue;
				if (show_pfn)
					seq_printf(m, "    % 4i: pfn %#lx\n", j,
						   page_to_pfn(q->data[j]));
				else
					seq_printf(m, "    % 4i: %8p\n", j,
						   q->data[j]);
			}
		}
	}
}
