/*
 * Host tests of the scull core (drivers/scull/core.c) through the
 * character-device layer (kernel/chrdev.c).
 *
 * The core is driven over a fake variant, "fscull", with a tiny geometry
 * (quantum 16 bytes, qset 4: an item is 64 bytes) so that every quantum
 * and item boundary is a few bytes away. Its quanta come from the host's
 * malloc() behind a header that records the size and the device, are
 * filled with a poison byte, and are counted per device; it maps and
 * unmaps them (and checks the two pair up), and it can be told to fail
 * one allocation. ASan checks that the core never touches a byte outside
 * a quantum.
 *
 * Every test runs against a reference model: a byte array with a
 * "present" map of quanta, the size and the number of quanta. Each call
 * to read or write is predicted by the model (the count, short at a
 * quantum's end; 0 for a hole or past the end; -EFBIG, -ENOMEM) and the
 * device is read back whole and compared, with its size and its live
 * quanta. The tests: reads and writes at and across quantum and item
 * boundaries in every combination; sparse writes and the SCULL_MAX_ITEMS
 * limit; llseek; a failing allocator; trimming, appending and the access
 * modes; the ioctls and when new sizes take effect; a long random run of
 * all of these; and a few edge cases (zero-length writes, positions near
 * LLONG_MAX).
 *
 * The allocators are booted once and fscull is registered once: the
 * char-device table cannot be emptied. Each test starts from a trimmed
 * device and restores the variant's geometry.
 */
/* libc's loff_t (long) is not the kernel's (long long): keep them apart. */
#define loff_t host_loff_t
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "shim.h"
#include "test.h"
#undef loff_t

#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/time.h>

#include "../../drivers/scull/scull.h"

#define ARENA_SIZE (64UL << 20)
#define FQ	   16 /* the fake's quantum */
#define FQS	   4 /* and qset */
#define POISON	   0x5a
#define HDR_MAGIC  0x5c011UL
/* The model covers positions below this (the -EFBIG limit at 16 x 4). */
#define MODEL_MAX ((unsigned long)SCULL_MAX_ITEMS * FQ * FQS)

/* ---- the fake variant ---- */

struct fq_hdr {
	unsigned long magic;
	unsigned long size;
	struct scull_dev *dev;
	unsigned long pad;
};

static long live[SCULL_NR_DEVS]; /* quanta allocated, not freed */
static long alloc_calls;
static long maps_out; /* map() not yet unmap()ed */
static long fail_countdown = -1; /* 0: the next alloc fails (once) */
static int bad_free;

static void *fq_alloc(struct scull_dev *dev)
{
	unsigned long size = scull_quantum_bytes(dev);
	struct fq_hdr *h;

	alloc_calls++;
	if (fail_countdown == 0) {
		fail_countdown = -1;
		return NULL;
	}
	if (fail_countdown > 0)
		fail_countdown--;
	h = malloc(sizeof(*h) + size);
	if (!h)
		abort();
	h->magic = HDR_MAGIC;
	h->size = size;
	h->dev = dev;
	memset(h + 1, POISON, size);
	live[dev->index]++;
	return h + 1;
}

static void fq_free(struct scull_dev *dev, void *quantum)
{
	struct fq_hdr *h = (struct fq_hdr *)quantum - 1;

	if (h->magic != HDR_MAGIC || h->dev != dev ||
	    h->size != scull_quantum_bytes(dev))
		bad_free++;
	h->magic = 0;
	live[dev->index]--;
	free(h);
}

static void *fq_map(void *quantum)
{
	maps_out++;
	return quantum;
}

static void fq_unmap(void *quantum, void *addr)
{
	if (addr != quantum)
		bad_free++;
	maps_out--;
}

static struct scull_variant fscull = {
	.name = "fscull",
	.quantum = FQ,
	.qset = FQS,
	.alloc = fq_alloc,
	.free = fq_free,
	.map = fq_map,
	.unmap = fq_unmap,
};

/* ---- booting, once ---- */

static char *arena;

static void boot_once(void)
{
	if (arena)
		return;
	arena = host_arena_boot(ARENA_SIZE);
	bootmem_set_limits(16UL << 20, 48UL << 20);
	mem_init();
	kmem_cache_init();
	kmalloc_init();
	host_irq_flags = 1;
	jiffies = 0;
	if (scull_register(&fscull))
		abort();
	host_log_clear();
}

static unsigned long settle(void)
{
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

/* ---- the reference model ---- */

struct model {
	unsigned long q, qs, size, nr;
	unsigned char data[MODEL_MAX];
	bool present[MODEL_MAX]; /* by quantum number */
};

static struct model M;
static int model_mismatch; /* stop a loop at the first divergence */

static unsigned long itemsize(void)
{
	return M.q * M.qs;
}

/* As scull_trim(): empty, and the variant's geometry from now on. */
static void model_trim(void)
{
	M.q = fscull.quantum;
	M.qs = fscull.qset;
	M.size = 0;
	M.nr = 0;
	memset(M.present, 0, sizeof(M.present));
}

/* One call to scull_write at pos: what it returns; applied to M. */
static long model_write(loff_t pos, const char *buf, unsigned long count)
{
	unsigned long qi, off, n, start;

	if (pos < 0)
		return -EINVAL;
	if ((unsigned long)pos / itemsize() >= SCULL_MAX_ITEMS)
		return -EFBIG;
	if ((unsigned long)pos >= MODEL_MAX)
		abort(); /* the test went out of the model */
	qi = pos / M.q;
	off = pos % M.q;
	if (!M.present[qi]) {
		if (fail_countdown == 0)
			return -ENOMEM;
		M.present[qi] = true;
		M.nr++;
		start = qi * M.q;
		n = M.q;
		if (start + n > MODEL_MAX)
			n = MODEL_MAX - start;
		memset(M.data + start, POISON, n);
	}
	n = count < M.q - off ? count : M.q - off;
	if (pos + n > MODEL_MAX)
		abort();
	memcpy(M.data + pos, buf, n);
	if (pos + n > M.size)
		M.size = pos + n;
	return n;
}

/* One call to scull_read at pos: the count it returns. */
static long model_read(loff_t pos, unsigned long count)
{
	unsigned long off;

	if (pos < 0)
		return -EINVAL;
	if ((unsigned long)pos >= M.size)
		return 0;
	if (count > M.size - pos)
		count = M.size - pos;
	if (!M.present[pos / M.q])
		return 0;
	off = pos % M.q;
	return count < M.q - off ? count : M.q - off;
}

/* ---- driving the device ---- */

static struct file *open_dev(int idx, unsigned int flags)
{
	char path[32];
	struct file *f;
	int err = 1;

	snprintf(path, sizeof(path), "/dev/fscull%d", idx);
	f = filp_open(path, flags, &err);
	CHECK(f != NULL);
	CHECK_EQ(err, 0);
	if (!f)
		abort();
	return f;
}

/*
 * Write count bytes at f's position, looping over short counts as a
 * caller must, every call checked against the model. Returns the bytes
 * written; *err gets the error that stopped it (0 if none).
 */
static unsigned long write_all(struct file *f, const char *buf,
			       unsigned long count, long *err)
{
	unsigned long done = 0;

	*err = 0;
	while (done < count) {
		loff_t pos = f->f_pos;
		long exp = model_write(pos, buf + done, count - done);
		long got = vfs_write(f, buf + done, count - done);

		CHECK_EQ(got, exp);
		if (got != exp) {
			fprintf(stderr, "  write at %lld of %lu\n", pos,
				count - done);
			model_mismatch++;
			*err = got < 0 ? got : -1;
			return done;
		}
		if (got < 0) {
			CHECK_EQ(f->f_pos, pos);
			*err = got;
			break;
		}
		CHECK_EQ(f->f_pos, pos + got);
		done += got;
	}
	return done;
}

/* Read up to count bytes at f's position, looping until read returns 0. */
static unsigned long read_all(struct file *f, unsigned long count)
{
	static char buf[MODEL_MAX];
	unsigned long done = 0;

	if (count > sizeof(buf))
		count = sizeof(buf);
	while (done < count) {
		loff_t pos = f->f_pos;
		long exp = model_read(pos, count - done);
		long got;

		memset(buf, 0xee, exp > 0 ? exp + 1 : 1);
		got = vfs_read(f, buf, count - done);
		CHECK_EQ(got, exp);
		if (got != exp) {
			fprintf(stderr, "  read at %lld of %lu\n", pos,
				count - done);
			model_mismatch++;
			return done;
		}
		if (got <= 0)
			break;
		if (memcmp(buf, M.data + pos, got)) {
			fprintf(stderr, "  read at %lld: wrong bytes\n", pos);
			CHECK(!"contents differ from the model");
			model_mismatch++;
			return done;
		}
		CHECK_EQ((unsigned char)buf[got], 0xee); /* no overrun */
		CHECK_EQ(f->f_pos, pos + got);
		done += got;
	}
	return done;
}

static struct scull_dev *dev_of(int idx)
{
	return scull_device(&fscull, idx);
}

/* The counters agree with the model. */
static void check_counts(int idx)
{
	struct scull_dev *dev = dev_of(idx);

	CHECK_EQ(dev->size, M.size);
	CHECK_EQ(dev->nr_quanta, M.nr);
	CHECK_EQ(live[idx], M.nr);
	CHECK_EQ(dev->quantum, M.q);
	CHECK_EQ(dev->qset, M.qs);
	CHECK_EQ(maps_out, 0);
	CHECK_EQ(bad_free, 0);
}

/* Read the whole device through a new read-only file; compare. */
static void verify(int idx)
{
	struct file *f = open_dev(idx, O_RDONLY);
	unsigned long pos = 0;

	check_counts(idx);
	while (pos < M.size && !model_mismatch) {
		CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
		if (read_all(f, M.size - pos) == 0)
			pos = (pos / M.q + 1) * M.q; /* a hole: next quantum */
		else
			pos = f->f_pos;
	}
	CHECK_EQ(vfs_read(f, (char[4]){0}, 4), 0); /* past the end */
	filp_close(f);
}

/* Trim device idx with the fake's default geometry; model it. */
static void fresh(int idx)
{
	struct file *f;

	fscull.quantum = FQ;
	fscull.qset = FQS;
	fail_countdown = -1;
	model_mismatch = 0;
	f = open_dev(idx, O_WRONLY | O_TRUNC);
	filp_close(f);
	model_trim();
	check_counts(idx);
	CHECK(dev_of(idx)->data == NULL);
}

static void pattern(char *buf, unsigned long n, unsigned int seed)
{
	for (unsigned long i = 0; i < n; i++)
		buf[i] = (char)(seed * 131 + i * 7 + (i >> 8) + 1);
}

static unsigned long nr_items(int idx)
{
	unsigned long n = 0;

	for (struct scull_qset *q = dev_of(idx)->data; q; q = q->next)
		n++;
	return n;
}

/* ---- boundaries ---- */

static const unsigned long starts[] = {
	0, 1, 15, 16, 17, 31, 32, 47, 48, 63, 64, 65, 79, 80, 127, 128, 129,
};
static const unsigned long lens[] = {
	1, 2, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 128, 129, 200,
};

TEST(write_boundaries)
{
	char buf[256];
	long err;

	boot_once();
	for (unsigned int s = 0; s < ARRAY_SIZE(starts); s++) {
		for (unsigned int l = 0; l < ARRAY_SIZE(lens); l++) {
			struct file *f;

			fresh(0);
			f = open_dev(0, O_RDWR);
			pattern(buf, lens[l], s * 100 + l);
			CHECK_EQ(vfs_llseek(f, starts[s], SEEK_SET), starts[s]);
			CHECK_EQ(write_all(f, buf, lens[l], &err), lens[l]);
			CHECK_EQ(err, 0);
			CHECK_EQ(M.size, starts[s] + lens[l]);
			/* Quanta touched: from the first to the last. */
			CHECK_EQ(M.nr, (starts[s] + lens[l] - 1) / FQ -
					       starts[s] / FQ + 1);
			filp_close(f);
			verify(0);
			if (model_mismatch)
				return;
		}
	}
	fresh(0);
}

TEST(read_boundaries)
{
	char buf[320];
	struct file *f;
	long err;

	boot_once();
	fresh(0);
	f = open_dev(0, O_RDWR);
	pattern(buf, sizeof(buf), 7);
	CHECK_EQ(write_all(f, buf, sizeof(buf), &err), sizeof(buf));
	for (unsigned int s = 0; s < ARRAY_SIZE(starts); s++) {
		for (unsigned int l = 0; l < ARRAY_SIZE(lens); l++) {
			unsigned long want = lens[l];

			if (want > sizeof(buf) - starts[s])
				want = sizeof(buf) - starts[s];
			CHECK_EQ(vfs_llseek(f, starts[s], SEEK_SET), starts[s]);
			CHECK_EQ(read_all(f, lens[l]), want);
		}
	}
	/* Overwriting inside present quanta allocates nothing. */
	pattern(buf, sizeof(buf), 8);
	CHECK_EQ(vfs_llseek(f, 5, SEEK_SET), 5);
	CHECK_EQ(write_all(f, buf, 200, &err), 200);
	CHECK_EQ(M.nr, sizeof(buf) / FQ);
	filp_close(f);
	verify(0);
	fresh(0);
}

/* ---- holes and the item limit ---- */

TEST(sparse_writes)
{
	unsigned long far = 100 * FQ * FQS + 5, limit;
	struct scull_dev *dev;
	struct file *f;
	char buf[64];
	long err;

	boot_once();
	fresh(0);
	dev = dev_of(0);
	f = open_dev(0, O_RDWR);
	pattern(buf, sizeof(buf), 3);
	CHECK_EQ(vfs_llseek(f, far, SEEK_SET), far);
	CHECK_EQ(write_all(f, buf, 10, &err), 10);
	CHECK_EQ(dev->size, far + 10);
	CHECK_EQ(live[0], 1);
	/* Items 0..100 exist; only the last has a qset array. */
	CHECK_EQ(nr_items(0), 101);
	for (struct scull_qset *q = dev->data; q; q = q->next)
		CHECK(q->next ? q->data == NULL : q->data != NULL);
	/* The hole reads as 0 bytes, at its start, middle and end. */
	for (unsigned long pos = 0; pos < far - 5; pos += 777) {
		CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
		CHECK_EQ(vfs_read(f, buf, sizeof(buf)), 0);
		CHECK_EQ(f->f_pos, pos);
	}
	CHECK_EQ(vfs_llseek(f, far - 6, SEEK_SET), far - 6);
	CHECK_EQ(read_all(f, 1), 0);
	/* Fill a quantum in the hole, then the first byte. */
	CHECK_EQ(vfs_llseek(f, 40 * FQ + 3, SEEK_SET), 40 * FQ + 3);
	CHECK_EQ(write_all(f, buf, 20, &err), 20);
	CHECK_EQ(vfs_llseek(f, 0, SEEK_SET), 0);
	CHECK_EQ(write_all(f, buf, 1, &err), 1);
	CHECK_EQ(live[0], 4);
	verify(0);

	/* The last byte allowed, and the first refused. */
	limit = (unsigned long)SCULL_MAX_ITEMS * FQ * FQS;
	CHECK_EQ(vfs_llseek(f, limit - 1, SEEK_SET), limit - 1);
	CHECK_EQ(write_all(f, buf, 5, &err), 1);
	CHECK_EQ(err, -EFBIG);
	CHECK_EQ(dev->size, limit);
	CHECK_EQ(nr_items(0), SCULL_MAX_ITEMS);
	for (unsigned long pos = limit; pos < limit + 3 * FQ * FQS; pos += 13) {
		long before = live[0];

		CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
		CHECK_EQ(vfs_write(f, buf, 1), -EFBIG);
		CHECK_EQ(f->f_pos, pos);
		CHECK_EQ(live[0], before);
		CHECK_EQ(nr_items(0), SCULL_MAX_ITEMS);
		CHECK_EQ(dev->size, limit);
	}
	CHECK_EQ(vfs_llseek(f, 1UL << 40, SEEK_SET), 1LL << 40);
	CHECK_EQ(vfs_write(f, buf, 1), -EFBIG);
	CHECK_EQ(vfs_read(f, buf, 1), 0);
	filp_close(f);
	verify(0);
	fresh(0);
	CHECK_EQ(live[0], 0);
}

/* ---- llseek ---- */

TEST(seeks)
{
	struct file *f;
	char buf[100];
	long err;

	boot_once();
	fresh(0);
	f = open_dev(0, O_RDWR);
	pattern(buf, sizeof(buf), 1);
	CHECK_EQ(write_all(f, buf, 100, &err), 100);
	CHECK_EQ(vfs_llseek(f, 10, SEEK_SET), 10);
	CHECK_EQ(vfs_llseek(f, 5, SEEK_CUR), 15);
	CHECK_EQ(vfs_llseek(f, -3, SEEK_CUR), 12);
	CHECK_EQ(read_all(f, 30), 30);
	CHECK_EQ(f->f_pos, 42);
	CHECK_EQ(vfs_llseek(f, 0, SEEK_END), 100);
	CHECK_EQ(vfs_llseek(f, -1, SEEK_END), 99);
	CHECK_EQ(read_all(f, 30), 1);
	CHECK_EQ(vfs_llseek(f, 7, SEEK_END), 107);
	CHECK_EQ(vfs_read(f, buf, 10), 0);
	CHECK_EQ(f->f_pos, 107);
	CHECK_EQ(vfs_llseek(f, -100, SEEK_END), 0);
	/* Negative results, and a bad whence: refused, f_pos kept. */
	CHECK_EQ(vfs_llseek(f, 33, SEEK_SET), 33);
	CHECK_EQ(vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	CHECK_EQ(f->f_pos, 33);
	CHECK_EQ(vfs_llseek(f, -34, SEEK_CUR), -EINVAL);
	CHECK_EQ(f->f_pos, 33);
	CHECK_EQ(vfs_llseek(f, -101, SEEK_END), -EINVAL);
	CHECK_EQ(f->f_pos, 33);
	CHECK_EQ(vfs_llseek(f, 0, 3), -EINVAL);
	CHECK_EQ(vfs_llseek(f, 0, -1), -EINVAL);
	CHECK_EQ(f->f_pos, 33);
	/* Writing past the end leaves a hole; END follows the size. */
	CHECK_EQ(vfs_llseek(f, 200, SEEK_SET), 200);
	CHECK_EQ(write_all(f, buf, 3, &err), 3);
	CHECK_EQ(vfs_llseek(f, 0, SEEK_END), 203);
	/* Two files on one device keep their own positions. */
	{
		struct file *g = open_dev(0, O_RDONLY);

		CHECK_EQ(g->f_pos, 0);
		CHECK_EQ(read_all(g, 10), 10);
		CHECK_EQ(g->f_pos, 10);
		CHECK_EQ(f->f_pos, 203);
		filp_close(g);
	}
	filp_close(f);
	verify(0);
	fresh(0);
}

/* Positions near LLONG_MAX, in a child: UBSan would end the program. */
static int overflow_child(int whence)
{
	struct file *f = open_dev(0, O_RDWR);
	loff_t r, before;

	if (whence == SEEK_CUR)
		vfs_llseek(f, LLONG_MAX, SEEK_SET);
	else
		vfs_llseek(f, 5, SEEK_SET);
	before = f->f_pos;
	r = vfs_llseek(f, whence == SEEK_CUR ? 1 : LLONG_MAX, whence);
	if (r != -EINVAL || f->f_pos != before) {
		fprintf(stderr,
			"  llseek(%s) past LLONG_MAX: %lld, f_pos %lld\n",
			whence == SEEK_CUR ? "1, SEEK_CUR"
					   : "LLONG_MAX, SEEK_END",
			r, f->f_pos);
		return 1;
	}
	return 0;
}

TEST(seek_overflow)
{
	struct file *f;
	char buf[10];
	long err;

	boot_once();
	fresh(0);
	f = open_dev(0, O_RDWR);
	pattern(buf, sizeof(buf), 2);
	CHECK_EQ(write_all(f, buf, 10, &err), 10);
	/* Huge positions: reads see the end, writes are refused. */
	CHECK_EQ(vfs_llseek(f, LLONG_MAX, SEEK_SET), LLONG_MAX);
	CHECK_EQ(vfs_read(f, buf, 10), 0);
	CHECK_EQ(vfs_write(f, buf, 10), -EFBIG);
	CHECK_EQ(f->f_pos, LLONG_MAX);
	filp_close(f);
	fflush(NULL);
	for (int whence = SEEK_CUR; whence <= SEEK_END; whence++) {
		int status = 0;
		pid_t pid = fork();

		if (pid == 0)
			_exit(overflow_child(whence));
		CHECK(pid > 0);
		if (pid <= 0)
			break;
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status));
		CHECK_EQ(WEXITSTATUS(status), 0);
	}
	verify(0);
	fresh(0);
}

/* ---- a failing allocator ---- */

TEST(alloc_failure)
{
	unsigned long before;
	struct file *f;
	char buf[400];
	long err;

	boot_once();
	fresh(0);
	before = settle();
	f = open_dev(0, O_RDWR);
	pattern(buf, sizeof(buf), 4);
	/* Five quanta, then the sixth allocation fails. */
	fail_countdown = 5;
	CHECK_EQ(vfs_llseek(f, 3, SEEK_SET), 3);
	CHECK_EQ(write_all(f, buf, 200, &err), 5 * FQ - 3);
	CHECK_EQ(err, -ENOMEM);
	CHECK_EQ(f->f_pos, 5 * FQ);
	CHECK_EQ(dev_of(0)->size, 5 * FQ);
	CHECK_EQ(live[0], 5);
	verify(0);
	/* The failure left nothing behind: the rest goes in now. */
	CHECK_EQ(write_all(f, buf + 5 * FQ - 3, 200 - (5 * FQ - 3), &err),
		 200 - (5 * FQ - 3));
	CHECK_EQ(err, 0);
	verify(0);

	/* Filling a hole between data: failing in the middle of it. */
	CHECK_EQ(vfs_llseek(f, 1000, SEEK_SET), 1000);
	CHECK_EQ(write_all(f, buf, 30, &err), 30);
	CHECK_EQ(vfs_llseek(f, 250, SEEK_SET), 250);
	fail_countdown = 9;
	CHECK_EQ(write_all(f, buf + 50, 400, &err), 6 + 8 * FQ);
	CHECK_EQ(err, -ENOMEM);
	verify(0);
	/* A failure at the first quantum of an item (a new qset array). */
	CHECK_EQ(vfs_llseek(f, 20 * FQ * FQS, SEEK_SET), 20 * FQ * FQS);
	fail_countdown = 0;
	CHECK_EQ(write_all(f, buf, 10, &err), 0);
	CHECK_EQ(err, -ENOMEM);
	CHECK_EQ(f->f_pos, 20 * FQ * FQS);
	/* Rewriting present data needs no allocation, so cannot fail. */
	CHECK_EQ(vfs_llseek(f, 0, SEEK_SET), 0);
	fail_countdown = 0;
	CHECK_EQ(write_all(f, buf + 1, 200, &err), 200);
	CHECK_EQ(err, 0);
	CHECK_EQ(fail_countdown, 0);
	fail_countdown = -1;
	filp_close(f);
	verify(0);
	/* Trimming frees every quantum, qset array and item. */
	fresh(0);
	CHECK_EQ(live[0], 0);
	CHECK_EQ(settle(), before);
}

/* ---- trim, append, access modes ---- */

TEST(trim_and_append)
{
	unsigned long before;
	struct file *f;
	char buf[300];
	long err;

	boot_once();
	fresh(1);
	before = settle();
	pattern(buf, sizeof(buf), 5);
	f = open_dev(1, O_WRONLY | O_TRUNC);
	CHECK_EQ(write_all(f, buf, 150, &err), 150);
	CHECK_EQ(vfs_read(f, buf, 1), -EBADF);
	filp_close(f);
	verify(1);

	/* Read-only and plain write-only opens keep the data. */
	f = open_dev(1, O_RDONLY);
	CHECK_EQ(vfs_write(f, buf, 1), -EBADF);
	filp_close(f);
	f = open_dev(1, O_WRONLY);
	filp_close(f);
	verify(1);

	/* Appending starts at the end, in either access mode. */
	f = open_dev(1, O_WRONLY | O_APPEND);
	CHECK_EQ(f->f_pos, 150);
	CHECK_EQ(write_all(f, buf + 150, 50, &err), 50);
	filp_close(f);
	f = open_dev(1, O_RDWR | O_APPEND);
	CHECK_EQ(f->f_pos, 200);
	CHECK_EQ(write_all(f, buf + 200, 100, &err), 100);
	CHECK_EQ(vfs_llseek(f, 0, SEEK_SET), 0);
	CHECK_EQ(read_all(f, 1000), 300);
	filp_close(f);
	verify(1);
	CHECK_EQ(live[1], (300 + FQ - 1) / FQ);

	/* Truncating write-only trims: nothing is left. */
	f = open_dev(1, O_WRONLY | O_TRUNC);
	model_trim();
	CHECK_EQ(dev_of(1)->size, 0);
	CHECK_EQ(dev_of(1)->nr_quanta, 0);
	CHECK(dev_of(1)->data == NULL);
	CHECK_EQ(live[1], 0);
	CHECK_EQ(f->f_pos, 0);
	filp_close(f);
	CHECK_EQ(settle(), before);
	/* Appending to an empty device, and a truncating append. */
	f = open_dev(1, O_WRONLY | O_APPEND);
	CHECK_EQ(f->f_pos, 0);
	CHECK_EQ(write_all(f, buf, 40, &err), 40);
	filp_close(f);
	f = open_dev(1, O_WRONLY | O_TRUNC | O_APPEND);
	model_trim();
	CHECK_EQ(f->f_pos, 0);
	filp_close(f);
	verify(1);
	CHECK_EQ(live[1], 0);
	/* Other devices of the variant are untouched by all this. */
	CHECK_EQ(live[0] + live[2] + live[3], 0);
	fresh(1);
}

TEST(open_errors)
{
	int err = 0;

	boot_once();
	CHECK(filp_open("/dev/fscull9", O_RDONLY, &err) == NULL);
	CHECK_EQ(err, -ENOENT);
	CHECK(filp_open("fscull0", O_RDONLY, &err) == NULL);
	CHECK_EQ(err, -ENOENT);
	CHECK(scull_device(&fscull, SCULL_NR_DEVS) == NULL);
	for (int i = 0; i < SCULL_NR_DEVS; i++) {
		CHECK(dev_of(i) != NULL);
		CHECK_EQ(dev_of(i)->index, i);
	}
}

/* A zero-length write has no effect (POSIX; Linux's vfs_write). */
TEST(zero_length_write)
{
	struct file *f;
	char c = 'x';

	boot_once();
	fresh(2);
	f = open_dev(2, O_RDWR);
	CHECK_EQ(vfs_llseek(f, 1000, SEEK_SET), 1000);
	CHECK_EQ(vfs_write(f, &c, 0), 0);
	CHECK_EQ(f->f_pos, 1000);
	CHECK_EQ(dev_of(2)->size, 0);
	CHECK_EQ(dev_of(2)->nr_quanta, 0);
	CHECK_EQ(live[2], 0);
	filp_close(f);
	fresh(2);
}

/* ---- ioctls ---- */

/*
 * The command-line parameters' setter: each field checked against the
 * variant's kind (bytes or order), its largest order and the 1 GiB item
 * limit; a sized cache's quantum refused once registered; bad text and
 * unknown fields refused. A refused value leaves the old one.
 */
TEST(parameters)
{
	struct scull_variant bytes = { .quantum = 4000, .qset = 10 };
	struct scull_variant pages = { .order = 0, .qset = 10,
				       .uses_order = true, .max_order = 3 };
	struct scull_variant cache = { .quantum = 4000, .qset = 10,
				       .fixed_size = true };

	CHECK_EQ(scull_set_param(&bytes, "quantum", "8000"), 0);
	CHECK_EQ(bytes.quantum, 8000);
	CHECK_EQ(scull_set_param(&bytes, "quantum", "0"), -EINVAL);
	CHECK_EQ(scull_set_param(&bytes, "quantum", "8k"), -EINVAL);
	CHECK_EQ(scull_set_param(&bytes, "quantum", NULL), -EINVAL);
	CHECK_EQ(scull_set_param(&bytes, "order", "1"), -EINVAL);
	CHECK_EQ(scull_set_param(&bytes, "qset", "0x20"), 0);
	CHECK_EQ(bytes.qset, 32);
	/* 8000 * 200000 passes 1 GiB (and 100000 is the most qsets). */
	CHECK_EQ(scull_set_param(&bytes, "qset", "200000"), -EINVAL);
	CHECK_EQ(scull_set_param(&bytes, "nosuch", "1"), -EINVAL);
	CHECK_EQ(bytes.quantum, 8000);
	CHECK_EQ(bytes.qset, 32);

	CHECK_EQ(scull_set_param(&pages, "order", "3"), 0);
	CHECK_EQ(pages.order, 3);
	CHECK_EQ(scull_set_param(&pages, "order", "4"), -EINVAL);
	CHECK_EQ(scull_set_param(&pages, "quantum", "4096"), -EINVAL);
	CHECK_EQ(pages.order, 3);

	CHECK_EQ(scull_set_param(&cache, "quantum", "2000"), 0);
	cache.major = 240; /* registered: its cache has its size now */
	CHECK_EQ(scull_set_param(&cache, "quantum", "3000"), -EBUSY);
	CHECK_EQ(cache.quantum, 2000);
	CHECK_EQ(scull_set_param(&cache, "qset", "5"), 0);
}

TEST(ioctls)
{
	struct file *f, *g;
	char buf[128];
	long err;

	boot_once();
	fresh(0);
	fresh(3);
	f = open_dev(0, O_RDWR);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQUANTUM, 0), FQ);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQSET, 0), FQS);
	CHECK_EQ(vfs_ioctl(f, 99, 0), -ENOTTY);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQUANTUM, 0), -EINVAL);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQUANTUM, (1UL << 20) + 1), -EINVAL);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET, 0), -EINVAL);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET, 100001), -EINVAL);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQUANTUM, 0), FQ);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQSET, 0), FQS);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQUANTUM, 1UL << 20), 0);
	/* An item (quantum * qset) may not pass 1 GiB: i386's unsigned
	 * long would wrap, and reads divide by it. */
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET, 1025), -EINVAL);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET, 1024), 0);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCRESET, 0), 0);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQUANTUM, 0), SCULL_QUANTUM);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQSET, 0), SCULL_QSET);

	/* Device 3 gets data in the old layout, device 0 too. */
	pattern(buf, sizeof(buf), 6);
	g = open_dev(3, O_RDWR);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQUANTUM, FQ), 0);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET, FQS), 0);
	CHECK_EQ(write_all(g, buf, 100, &err), 100);
	filp_close(g);
	verify(3);
	CHECK_EQ(write_all(f, buf, 64, &err), 64);
	/* New sizes: set now, for later; writes keep the old layout. */
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQUANTUM, 40), 0);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET, 3), 0);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQUANTUM, 0), 40);
	CHECK_EQ(vfs_ioctl(f, SCULL_IOCGQSET, 0), 3);
	CHECK_EQ(write_all(f, buf + 64, 64, &err), 64);
	CHECK_EQ(live[0], 128 / FQ);
	filp_close(f);
	verify(0); /* still quantum 16, qset 4 */
	/* The trim brings them in. */
	f = open_dev(0, O_WRONLY | O_TRUNC);
	model_trim();
	CHECK_EQ(dev_of(0)->quantum, 40);
	CHECK_EQ(dev_of(0)->qset, 3);
	CHECK_EQ(write_all(f, buf, 128, &err), 128);
	CHECK_EQ(live[0], 4);
	CHECK_EQ(nr_items(0), 2);
	filp_close(f);
	verify(0);
	/* Device 3 was not trimmed: its data and layout are as written. */
	{
		struct model save;

		memcpy(&save, &M, sizeof(M));
		fscull.quantum = FQ;
		fscull.qset = FQS;
		model_trim();
		g = open_dev(3, O_RDWR);
		CHECK_EQ(write_all(g, buf, 100, &err), 100);
		filp_close(g);
		fresh(3);
		memcpy(&M, &save, sizeof(M));
	}
	fresh(0);
}

/* ---- random operations against the model ---- */

static unsigned long long rng_state;

static unsigned long rnd(unsigned long n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? rng_state % n : 0;
}

static const unsigned long rq[] = {16, 1, 3, 17, 64, 100};
static const unsigned long rqs[] = {4, 1, 2, 7};

/* The highest position a write may start at and stay in the model. */
static unsigned long write_limit(void)
{
	unsigned long lim = SCULL_MAX_ITEMS * itemsize();

	return lim < MODEL_MAX ? lim : MODEL_MAX;
}

TEST(random_ops)
{
	static char buf[4096];
	const int idx = 2, steps = 20000;
	unsigned long nomem = 0, trims = 0, max_size = 0;
	loff_t mpos = 0;
	struct file *f;
	int reopen;

	boot_once();
	rng_state = 0x5c0112024ULL;
	fprintf(stderr, "  seed %#llx, %d steps\n", rng_state, steps);
	fresh(idx);
	f = open_dev(idx, O_RDWR);
	for (int step = 0; step < steps && !model_mismatch; step++) {
		unsigned long op = rnd(100), n, pos;
		long err, r;

		reopen = 0;
		if (op < 35) { /* write, often after a seek */
			n = 1 + rnd(rnd(4) ? 3 * itemsize() + 10 : 1500);
			if (n > sizeof(buf))
				n = sizeof(buf);
			if (rnd(3) || mpos + n > write_limit()) {
				pos = rnd(rnd(10) ? 3000 : write_limit());
				if (pos + n > write_limit())
					pos = write_limit() - n;
				CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
			}
			pattern(buf, n, step);
			write_all(f, buf, n, &err);
			if (err == -ENOMEM)
				nomem++;
			else
				CHECK_EQ(err, 0);
		} else if (op < 60) { /* read */
			pos = rnd(M.size + 40);
			CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
			read_all(f, 1 + rnd(rnd(2) ? 200 : 4000));
		} else if (op < 75) { /* seek */
			int whence = rnd(4) == 3 ? 7 : (int)rnd(3);
			loff_t off = (loff_t)rnd(4000) - 2000, want;

			want = whence == SEEK_SET   ? off
			       : whence == SEEK_CUR ? f->f_pos + off
						    : (loff_t)M.size + off;
			if (whence == 7 || want < 0)
				want = -EINVAL;
			r = vfs_llseek(f, off, whence);
			CHECK_EQ(r, want);
			if (r >= 0)
				mpos = r;
		} else if (op < 80) { /* trim, perhaps with new sizes */
			if (rnd(2)) {
				fscull.quantum = rq[rnd(ARRAY_SIZE(rq))];
				fscull.qset = rqs[rnd(ARRAY_SIZE(rqs))];
			}
			filp_close(f);
			f = open_dev(idx, O_WRONLY | O_TRUNC);
			model_trim();
			trims++;
			CHECK_EQ(live[idx], 0);
			CHECK(dev_of(idx)->data == NULL);
			reopen = O_RDWR;
		} else if (op < 84) { /* append */
			reopen = O_RDWR | O_APPEND;
		} else if (op < 87) { /* new sizes, pending until a trim */
			CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQUANTUM,
					   rq[rnd(ARRAY_SIZE(rq))]),
				 0);
			CHECK_EQ(vfs_ioctl(f, SCULL_IOCSQSET,
					   rqs[rnd(ARRAY_SIZE(rqs))]),
				 0);
		} else if (op < 90) { /* the next allocations may fail */
			fail_countdown = rnd(4);
		} else if (op < 93) { /* read-only: no writes */
			filp_close(f);
			f = open_dev(idx, O_RDONLY);
			CHECK_EQ(vfs_write(f, buf, 1), -EBADF);
			read_all(f, 100);
			reopen = O_RDWR;
		} else if (op < 97) { /* far, up to the last allowed item */
			n = 1 + rnd(40);
			pos = write_limit() - n - rnd(write_limit() / 2);
			CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
			pattern(buf, n, step);
			write_all(f, buf, n, &err);
		} else { /* beyond the last item: -EFBIG, nothing done */
			pos = SCULL_MAX_ITEMS * itemsize() + rnd(1000);
			CHECK_EQ(vfs_llseek(f, pos, SEEK_SET), pos);
			CHECK_EQ(vfs_write(f, buf, 1 + rnd(100)), -EFBIG);
			CHECK_EQ(f->f_pos, pos);
		}
		if (reopen) {
			filp_close(f);
			f = open_dev(idx, reopen);
			CHECK_EQ(f->f_pos, reopen & O_APPEND ? M.size : 0);
		}
		mpos = f->f_pos;
		if (M.size > max_size)
			max_size = M.size;
		check_counts(idx);
		if (step % 150 == 149)
			verify(idx);
	}
	fprintf(stderr, "  %lu trims, %lu failed writes, largest %lu bytes\n",
		trims, nomem, max_size);
	fail_countdown = -1;
	filp_close(f);
	verify(idx);
	fresh(idx);
	CHECK_EQ(live[0] + live[1] + live[2] + live[3], 0);
}

TEST_MAIN()
