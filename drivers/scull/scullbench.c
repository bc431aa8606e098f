/*
 * scullbench: LDD3's scull experiment -- copy four megabytes from one
 * device to another -- run on every variant, so the allocators behind
 * them can be compared on one table (docs/scull.md reads it).
 *
 * For each variant, devices 0 and 1 are emptied, device 0 is filled with
 * a fixed pattern, then device 0 is copied to device 1 through the file
 * layer in cp's 4096-byte chunks. Only the copy is timed: it is where
 * device 1 allocates all its memory. While device 1 holds the data the
 * bench reads what it costs, and times the same copy once more over the
 * quanta now in place: that copy allocates nothing, so the difference is
 * the allocating alone, which the memcpy would otherwise drown. Then it
 * checks the copy by CRC, empties both devices and checks every page
 * came back.
 *
 * Output (kept stable for tools that parse it): a first line
 *
 *   scullbench: SIZE bytes per variant, CHUNK-byte chunks, counter HZ Hz
 *
 * then a line naming the eleven columns below, in this order, then one
 * row per variant, fields separated by spaces; "-" is a value the CPU
 * cannot give:
 *
 *   variant  the device family ("scullp": /dev/scullp0 -> /dev/scullp1)
 *   quantum  bytes per quantum of device 1
 *   quanta   quanta device 1 allocated
 *   cycles   arch_cycles() ticks during the copy (HZ per second)
 *   instret  instructions retired during the copy, or "-"
 *   cyc/KiB  cycles * 1024 / SIZE
 *   alloc    cycles minus those of the copy over the data in place
 *            (signed: on real hardware, noise can make it negative)
 *   pages    pages the page allocator gave out during the copy
 *   objects  slab objects (every cache) that came into use during it
 *   wasted   bytes device 1 holds beyond SIZE: its quanta, its qset
 *            arrays and qset structs, and each allocator's own records
 *   waste%   wasted / SIZE, two decimals
 *
 * Problems print as "scullbench: VARIANT: ..." lines, after the
 * variant's row, or instead of it when the copy failed.
 */
#include <pagoda/arch.h>
#include <pagoda/crc32.h>
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#include "scull.h"

#define BENCH_CHUNK   4096 /* as cp reads and writes */
#define BENCH_DEFAULT (4UL << 20)
#define BENCH_MIN     1024 /* cyc/KiB needs a KiB */
#define BENCH_MAX     (64UL << 20)
#define BENCH_SEED    0x9e3779b9u

/* LDD3's four in the book's order, then the two of our own. */
static const char *const variant_names[] = {
	"scull", "scullc", "scullp", "scullv", "scullh", "scullm",
};

struct bench {
	const char *name;
	unsigned long size;
	char *buf;
	struct file *src_w, *src_r, *dst_w, *dst_r;
	struct scull_dev *dst;
	u64 cycles, instret;
	bool has_instret;
	long long alloc;
	long pages, objects;
	unsigned long long held;
	u32 crc_src, crc_dst;
};

static void say_err(struct seq_file *m, const char *name, const char *what,
		    long err)
{
	const char *ename = errname((int)err);

	seq_printf(m, "scullbench: %s: %s: ", name, what);
	if (ename)
		seq_printf(m, "-%s\n", ename);
	else
		seq_printf(m, "%ld\n", err);
}

static struct file *open_dev(struct seq_file *m, const char *name, int index,
			     unsigned int flags, int *err)
{
	char path[24];
	struct file *f;

	scnprintf(path, sizeof(path), "/dev/%s%d", name, index);
	f = filp_open(path, flags, err);
	if (!f)
		say_err(m, name, path, *err);
	return f;
}

/* Empty devices 0 and 1 as `truncate` does: a write-only O_TRUNC open. */
static int trim_pair(struct seq_file *m, const char *name)
{
	for (int i = 0; i < 2; i++) {
		int err;
		struct file *f = open_dev(m, name, i, O_WRONLY | O_TRUNC, &err);

		if (!f)
			return err;
		filp_close(f);
	}
	return 0;
}

static void close_all(struct bench *b)
{
	struct file **files[] = {&b->src_w, &b->src_r, &b->dst_w, &b->dst_r};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (*files[i])
			filp_close(*files[i]);
		*files[i] = NULL;
	}
}

static int open_all(struct seq_file *m, struct bench *b)
{
	int err;

	b->src_w = open_dev(m, b->name, 0, O_WRONLY | O_TRUNC, &err);
	if (b->src_w)
		b->src_r = open_dev(m, b->name, 0, O_RDONLY, &err);
	if (b->src_r)
		b->dst_w = open_dev(m, b->name, 1, O_WRONLY | O_TRUNC, &err);
	if (b->dst_w)
		b->dst_r = open_dev(m, b->name, 1, O_RDONLY, &err);
	if (!b->dst_r) {
		close_all(b);
		return err;
	}
	b->dst = b->dst_w->private_data;
	return 0;
}

/* Write all of buf; short writes (a quantum's end) are normal. */
static long write_all(struct file *f, const char *buf, unsigned long len)
{
	unsigned long done = 0;

	while (done < len) {
		long n = vfs_write(f, buf + done, len - done);

		if (n <= 0)
			return n ? n : -ENOSPC;
		done += n;
	}
	return 0;
}

/* xorshift32: no period a quantum could hide a misplaced copy behind. */
static void pattern(char *buf, unsigned long len, u32 *state)
{
	for (unsigned long i = 0; i < len; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 17;
		*state ^= *state << 5;
		buf[i] = (char)*state;
	}
}

static long fill_source(struct bench *b)
{
	u32 state = BENCH_SEED;
	unsigned long done = 0;

	b->crc_src = 0;
	while (done < b->size) {
		unsigned long len =
			min(b->size - done, (unsigned long)BENCH_CHUNK);
		long err;

		pattern(b->buf, len, &state);
		b->crc_src = crc32_le(b->crc_src, b->buf, len);
		err = write_all(b->src_w, b->buf, len);
		if (err)
			return err;
		done += len;
	}
	return 0;
}

/* The timed part: what cp does, read a chunk and write it out. */
static long copy(struct bench *b)
{
	for (;;) {
		long n = vfs_read(b->src_r, b->buf, BENCH_CHUNK), err;

		if (n <= 0)
			return n;
		err = write_all(b->dst_w, b->buf, n);
		if (err)
			return err;
	}
}

static long checksum_dest(struct bench *b, unsigned long *len)
{
	*len = 0;
	b->crc_dst = 0;
	for (;;) {
		long n = vfs_read(b->dst_r, b->buf, BENCH_CHUNK);

		if (n <= 0)
			return n;
		b->crc_dst = crc32_le(b->crc_dst, b->buf, n);
		*len += n;
	}
}

/* A vmalloc area: its pages, its descriptor, page array and spare node. */
static unsigned long vmalloc_footprint(const void *addr)
{
	struct vm_struct *area = find_vm_area(addr);

	if (!area)
		return 0;
	return area->nr_pages * PAGE_SIZE + kmem_footprint(area) +
	       kmem_footprint(area->pages) +
	       (area->spare ? kmem_footprint(area->spare) : 0);
}

/*
 * The memory behind one quantum, asked of the allocator that owns it.
 * A variant that maps its quanta to reach them (scullh) holds struct
 * page handles; anything neither slab nor vmalloc came whole from the
 * page allocator (scullp).
 */
static unsigned long quantum_footprint(const struct scull_dev *dev, void *q)
{
	unsigned long bytes;

	if (dev->v->map)
		return PAGE_SIZE << dev->order;
	if (is_vmalloc_addr(q))
		return vmalloc_footprint(q);
	bytes = kmem_footprint(q);
	return bytes ? bytes : PAGE_SIZE << dev->order;
}

static unsigned long long dev_footprint(const struct scull_dev *dev)
{
	unsigned long long bytes = 0;

	for (struct scull_qset *q = dev->data; q; q = q->next) {
		bytes += kmem_footprint(q);
		if (!q->data)
			continue;
		bytes += kmem_footprint(q->data);
		for (unsigned int i = 0; i < dev->qset; i++) {
			if (q->data[i])
				bytes += quantum_footprint(dev, q->data[i]);
		}
	}
	return bytes;
}

static long measure_copy(struct bench *b)
{
	unsigned long free0, free1;
	unsigned long obj0, obj1;
	u64 t0, t1, i0 = 0, i1 = 0;
	long err;

	free0 = nr_free_pages();
	obj0 = slab_objects_in_use();
	b->has_instret = arch_instret(&i0);
	t0 = arch_cycles();
	err = copy(b);
	t1 = arch_cycles();
	arch_instret(&i1);
	free1 = nr_free_pages();
	obj1 = slab_objects_in_use();
	b->cycles = t1 - t0;
	b->instret = i1 - i0;
	b->pages = (long)(free0 - free1);
	b->objects = (long)(obj1 - obj0);
	b->held = dev_footprint(b->dst);
	return err;
}

/* The copy again, into the quanta device 1 already has. */
static long measure_rewrite(struct bench *b)
{
	u64 t0;
	long err;

	if (vfs_llseek(b->src_r, 0, SEEK_SET) < 0 ||
	    vfs_llseek(b->dst_w, 0, SEEK_SET) < 0)
		return -ESPIPE;
	t0 = arch_cycles();
	err = copy(b);
	b->alloc = (long long)b->cycles - (long long)(arch_cycles() - t0);
	return err;
}

static void print_header(struct seq_file *m, unsigned long size)
{
	seq_printf(m,
		   "scullbench: %lu bytes per variant, %d-byte chunks, "
		   "counter %llu Hz\n",
		   size, BENCH_CHUNK, (unsigned long long)arch_cycles_hz());
	seq_printf(m, "%-7s %7s %6s %11s %11s %7s %10s %6s %7s %9s %7s\n",
		   "variant", "quantum", "quanta", "cycles", "instret",
		   "cyc/KiB", "alloc", "pages", "objects", "wasted", "waste%");
}

static void print_row(struct seq_file *m, const struct bench *b)
{
	long long wasted = (long long)b->held - (long long)b->size;
	unsigned long long w = wasted < 0 ? 0 : wasted;
	unsigned long long pct = w * 10000 / b->size;

	seq_printf(m, "%-7s %7lu %6lu %11llu ", b->name,
		   scull_quantum_bytes(b->dst), b->dst->nr_quanta, b->cycles);
	if (b->has_instret)
		seq_printf(m, "%11llu ", b->instret);
	else
		seq_printf(m, "%11s ", "-");
	seq_printf(m, "%7llu %10lld %6ld %7ld %9lld %4llu.%02llu\n",
		   b->cycles * 1024 / b->size, b->alloc, b->pages, b->objects,
		   wasted, pct / 100, pct % 100);
}

/* Both devices emptied, empty slabs returned: the pages free must match. */
static int check_returned(struct seq_file *m, const char *name,
			  unsigned long free_before)
{
	unsigned long free_after;
	int err = trim_pair(m, name);

	if (err)
		return err;
	kmem_cache_shrink_all();
	free_after = nr_free_pages();
	if (free_after != free_before)
		seq_printf(m, "scullbench: %s: %ld pages not given back\n",
			   name, (long)(free_before - free_after));
	return 0;
}

static int run_variant(struct seq_file *m, struct bench *b)
{
	unsigned long free_before, len;
	long err;
	int ret;

	ret = trim_pair(m, b->name);
	if (ret)
		return ret;
	kmem_cache_shrink_all(); /* every variant starts with no empty slab */
	free_before = nr_free_pages();
	ret = open_all(m, b);
	if (ret)
		return ret;
	err = fill_source(b);
	if (err) {
		say_err(m, b->name, "filling device 0", err);
		goto out;
	}
	err = measure_copy(b);
	if (!err)
		err = measure_rewrite(b);
	if (err) {
		say_err(m, b->name, "copying", err);
		goto out;
	}
	print_row(m, b);
	err = checksum_dest(b, &len);
	if (err) {
		say_err(m, b->name, "reading device 1", err);
	} else if (len != b->size || b->crc_dst != b->crc_src) {
		seq_printf(m,
			   "scullbench: %s: device 1 reads %lu bytes, crc32 "
			   "%08x; device 0 was written %lu bytes, crc32 %08x\n",
			   b->name, len, b->crc_dst, b->size, b->crc_src);
		err = -EIO;
	}
out:
	close_all(b);
	ret = check_returned(m, b->name, free_before);
	return err ? (int)err : ret;
}

static bool known_variant(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(variant_names); i++) {
		if (!strcmp(name, variant_names[i]))
			return true;
	}
	return false;
}

static int parse_args(struct seq_file *m, int argc, char **argv,
		      unsigned long *size, int *first)
{
	unsigned long long v;

	*size = BENCH_DEFAULT;
	*first = 1;
	if (argc > 1 && argv[1][0] >= '0' && argv[1][0] <= '9') {
		if (kstrtosize(argv[1], &v) || v < BENCH_MIN || v > BENCH_MAX) {
			seq_printf(m,
				   "scullbench: %s: not a size from 1K to "
				   "64M (N, NK or NM)\n",
				   argv[1]);
			return -EINVAL;
		}
		*size = v;
		*first = 2;
	}
	for (int i = *first; i < argc; i++) {
		if (known_variant(argv[i]))
			continue;
		seq_printf(m, "scullbench: %s: not a variant (one of", argv[i]);
		for (size_t j = 0; j < ARRAY_SIZE(variant_names); j++)
			seq_printf(m, " %s", variant_names[j]);
		seq_puts(m, ")\n");
		return -EINVAL;
	}
	return 0;
}

static int cmd_scullbench(struct seq_file *m, int argc, char **argv)
{
	const char *const *names = variant_names;
	int first, count, ret = 0;
	unsigned long size;
	char *buf;

	if (parse_args(m, argc, argv, &size, &first))
		return shell_usage(m, "scullbench");
	count = ARRAY_SIZE(variant_names);
	if (first < argc) {
		names = (const char *const *)&argv[first];
		count = argc - first;
	}
	buf = kmalloc(BENCH_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	print_header(m, size);
	for (int i = 0; i < count; i++) {
		struct bench b = {.name = names[i], .size = size, .buf = buf};
		int err = run_variant(m, &b);

		if (err && !ret)
			ret = err;
	}
	kfree(buf);
	return ret;
}
SHELL_COMMAND("scullbench", "scullbench [SIZE] [VARIANT...]",
	      "copy SIZE (4M) from device 0 to 1 of scull variants (both "
	      "emptied): time, pages, slab objects, waste",
	      cmd_scullbench);
