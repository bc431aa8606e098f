/*
 * File utilities for the shell: cp, dd, fill, cksum, hexdump, truncate
 * and ioctl on device files -- the tools LDD3's experiments with scull
 * use from a Linux shell, here as kernel commands.
 *
 * They work only through the character-device layer (filp_open,
 * vfs_read/vfs_write/vfs_llseek/vfs_ioctl), so they behave as a user
 * program would: a driver may return fewer bytes than asked (scull stops
 * at every quantum boundary), so every read and write loops; an error
 * ends the command with the driver's errno and how far it got
 * ("dd: write: -ENOMEM after 1048576 bytes").
 *
 * There is no Ctrl-C for a running command, so every loop is bounded:
 * reading a source stops at COPY_LIMIT (64 MiB) and says so (/dev/zero
 * never ends), and a driver that takes no bytes at all stops a write.
 * Timings come from the cycle counter, for comparing the scull variants.
 */
#include <pagoda/crc32.h>
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

#define CHUNK		4096
#define COPY_LIMIT	(64UL << 20) /* most any source is read */
#define FILL_MAX	(64UL << 20)
#define DD_BS_MAX	(1UL << 20)
#define DD_BS_DEFAULT	512
#define HEXDUMP_DEFAULT 256
#define HEXDUMP_MAX	(64UL << 10)

/* "-ENOMEM", or the number when the errno has no name. */
static void seq_err(struct seq_file *m, long err)
{
	const char *name = errname((int)err);

	if (name)
		seq_printf(m, "-%s", name);
	else
		seq_printf(m, "%ld", err);
}

static struct file *open_file(struct seq_file *m, const char *cmd,
			      const char *path, unsigned int flags, int *err)
{
	struct file *f = filp_open(path, flags, err);

	if (!f) {
		seq_printf(m, "%s: %s: ", cmd, path);
		seq_err(m, *err);
		seq_putc(m, '\n');
	}
	return f;
}

/* ", 0.123 s" since t0 (from uptime_ns()). */
static void seq_elapsed(struct seq_file *m, u64 t0)
{
	u64 ms = (uptime_ns() - t0) / 1000000;

	seq_printf(m, ", %llu.%03llu s", ms / 1000, ms % 1000);
}

/*
 * Read until len bytes, end of file or an error. Returns the bytes read;
 * *err is 0 or the driver's error (which may follow some bytes).
 */
static unsigned long read_full(struct file *f, char *buf, unsigned long len,
			       long *err)
{
	unsigned long done = 0;

	*err = 0;
	while (done < len) {
		long n = vfs_read(f, buf + done, len - done);

		if (n < 0) {
			*err = n;
			break;
		}
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

/*
 * Write all of buf, looping over short writes. Returns the bytes
 * written; *err is 0, the driver's error, or -ENOSPC when the driver
 * took nothing at all (which would otherwise loop forever).
 */
static unsigned long write_full(struct file *f, const char *buf,
				unsigned long len, long *err)
{
	unsigned long done = 0;

	*err = 0;
	while (done < len) {
		long n = vfs_write(f, buf + done, len - done);

		if (n <= 0) {
			*err = n ? n : -ENOSPC;
			break;
		}
		done += n;
	}
	return done;
}

static void say_io_error(struct seq_file *m, const char *cmd, const char *op,
			 long err, unsigned long long bytes)
{
	seq_printf(m, "%s: %s: ", cmd, op);
	seq_err(m, err);
	seq_printf(m, " after %llu bytes\n", bytes);
}

/* At the limit: is there more? A source of exactly the limit is whole. */
static bool more_past_limit(struct file *f, char *buf)
{
	return vfs_read(f, buf, 1) > 0;
}

static void say_limit(struct seq_file *m, const char *cmd, const char *path)
{
	seq_printf(m, "%s: %s: stopped after %lu bytes (the limit)\n", cmd,
		   path, COPY_LIMIT);
}

/* ---- cp ---- */

static int cmd_cp(struct seq_file *m, int argc, char **argv)
{
	unsigned long total = 0;
	struct file *in, *out;
	long err = 0;
	u64 t0;
	char *buf;
	int e;

	if (argc != 3)
		return shell_usage(m, "cp");
	buf = kmalloc(CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	in = open_file(m, "cp", argv[1], O_RDONLY, &e);
	if (!in)
		goto out_free;
	out = open_file(m, "cp", argv[2], O_WRONLY | O_TRUNC, &e);
	if (!out)
		goto out_in;
	t0 = uptime_ns();
	while (total < COPY_LIMIT) {
		long n = vfs_read(in, buf, CHUNK);
		unsigned long w;

		if (n < 0) {
			say_io_error(m, "cp", "read", n, total);
			err = n;
			break;
		}
		if (n == 0)
			break;
		w = write_full(out, buf, n, &err);
		total += w;
		if (err) {
			say_io_error(m, "cp", "write", err, total);
			break;
		}
	}
	if (!err && total >= COPY_LIMIT && more_past_limit(in, buf))
		say_limit(m, "cp", argv[1]);
	seq_printf(m, "%lu bytes copied", total);
	seq_elapsed(m, t0);
	seq_putc(m, '\n');
	e = (int)err;
	filp_close(out);
out_in:
	filp_close(in);
out_free:
	kfree(buf);
	return e;
}
SHELL_COMMAND("cp", "cp SRC DST",
	      "copy a device file into another (DST truncated first)", cmd_cp);

/* ---- dd ---- */

struct dd_args {
	const char *in, *out;
	unsigned long long bs, count, skip, seek;
	bool has_count;
};

/* One "key=value"; 0, or -EINVAL after saying what is wrong. */
static int dd_parse(struct seq_file *m, struct dd_args *a, const char *arg)
{
	static const char *const keys[] = {"bs=", "count=", "skip=", "seek="};
	unsigned long long *vals[] = {&a->bs, &a->count, &a->skip, &a->seek};

	if (str_has_prefix(arg, "if=")) {
		a->in = arg + 3;
		return 0;
	}
	if (str_has_prefix(arg, "of=")) {
		a->out = arg + 3;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!str_has_prefix(arg, keys[i]))
			continue;
		if (kstrtosize(arg + strlen(keys[i]), vals[i])) {
			seq_printf(m, "dd: %s: not a size (N, NK or NM)\n",
				   arg);
			return -EINVAL;
		}
		if (vals[i] == &a->count)
			a->has_count = true;
		return 0;
	}
	seq_printf(m, "dd: %s: unknown operand\n", arg);
	return -EINVAL;
}

/* Read and drop len bytes of in (for a skip the driver cannot seek). */
static int dd_discard(struct file *in, char *buf, unsigned long long len,
		      unsigned long bs)
{
	while (len) {
		unsigned long want = len < bs ? len : bs;
		long err;
		unsigned long n = read_full(in, buf, want, &err);

		if (err)
			return err;
		if (n < want)
			return 0; /* input ended: nothing to copy */
		len -= n;
	}
	return 0;
}

static int cmd_dd(struct seq_file *m, int argc, char **argv)
{
	struct dd_args a = {.bs = DD_BS_DEFAULT};
	unsigned long full_in = 0, part_in = 0, full_out = 0, part_out = 0;
	unsigned long long total = 0, off;
	struct file *in, *out;
	long err = 0;
	char *buf;
	u64 t0;
	int e;

	if (argc < 3)
		return shell_usage(m, "dd");
	for (int i = 1; i < argc; i++) {
		if (dd_parse(m, &a, argv[i]))
			return shell_usage(m, "dd");
	}
	if (!a.in || !a.out || !*a.in || !*a.out) {
		seq_puts(m, "dd: both if= and of= are needed\n");
		return shell_usage(m, "dd");
	}
	if (a.bs < 1 || a.bs > DD_BS_MAX) {
		seq_printf(m, "dd: bs=%llu: must be 1 to 1M\n", a.bs);
		return -EINVAL;
	}
	/* Offsets stay below 2^40: no overflow of bs * N or of loff_t. */
	if (a.skip > (1ULL << 40) / a.bs || a.seek > (1ULL << 40) / a.bs) {
		seq_puts(m, "dd: skip= or seek= too large\n");
		return -EINVAL;
	}
	buf = kmalloc(a.bs, GFP_KERNEL);
	if (!buf) {
		seq_printf(m, "dd: no memory for a %llu-byte buffer\n", a.bs);
		return -ENOMEM;
	}
	in = open_file(m, "dd", a.in, O_RDONLY, &e);
	if (!in)
		goto out_free;
	out = open_file(m, "dd", a.out, O_WRONLY | O_TRUNC, &e);
	if (!out)
		goto out_in;
	t0 = uptime_ns();
	off = a.skip * a.bs;
	if (off && vfs_llseek(in, off, SEEK_SET) < 0) {
		err = dd_discard(in, buf, off, a.bs);
		if (err) {
			say_io_error(m, "dd", "skip", err, 0);
			goto out_close;
		}
	}
	off = a.seek * a.bs;
	if (off) {
		loff_t r = vfs_llseek(out, off, SEEK_SET);

		if (r < 0) {
			err = (long)r;
			say_io_error(m, "dd", "seek", err, 0);
			goto out_close;
		}
	}
	while (!a.has_count || full_in + part_in < a.count) {
		long rerr, werr;
		unsigned long n, w;

		if (total >= COPY_LIMIT) {
			say_limit(m, "dd", a.in);
			break;
		}
		/* Whole blocks from the input, as dd iflag=fullblock. */
		n = read_full(in, buf, a.bs, &rerr);
		if (n == a.bs)
			full_in++;
		else if (n)
			part_in++;
		w = write_full(out, buf, n, &werr);
		total += w;
		if (w == a.bs)
			full_out++;
		else if (w)
			part_out++;
		if (werr) {
			say_io_error(m, "dd", "write", werr, total);
			err = werr;
			break;
		}
		if (rerr) {
			say_io_error(m, "dd", "read", rerr, total);
			err = rerr;
			break;
		}
		if (n < a.bs)
			break; /* end of input */
	}
	seq_printf(m, "%lu+%lu records in\n%lu+%lu records out\n", full_in,
		   part_in, full_out, part_out);
	seq_printf(m, "%llu bytes copied", total);
	seq_elapsed(m, t0);
	seq_putc(m, '\n');
out_close:
	e = (int)err;
	filp_close(out);
out_in:
	filp_close(in);
out_free:
	kfree(buf);
	return e;
}
SHELL_COMMAND("dd", "dd if=SRC of=DST [bs=N] [count=N] [skip=N] [seek=N]",
	      "copy blocks between device files (sizes take K and M)", cmd_dd);

/* ---- fill ---- */

enum fill_kind { FILL_BYTE, FILL_SEQ, FILL_RANDOM };

/* xorshift32 with a fixed seed: the same bytes, so the same CRC, always. */
#define FILL_SEED 0x2545f491u

static void fill_chunk(char *buf, unsigned long len, unsigned long long off,
		       enum fill_kind kind, u8 byte, u32 *rng)
{
	for (unsigned long i = 0; i < len; i++) {
		switch (kind) {
		case FILL_BYTE:
			buf[i] = (char)byte;
			break;
		case FILL_SEQ:
			buf[i] = (char)((off + i) & 0xff);
			break;
		case FILL_RANDOM:
			*rng ^= *rng << 13;
			*rng ^= *rng >> 17;
			*rng ^= *rng << 5;
			buf[i] = (char)*rng;
			break;
		}
	}
}

static int cmd_fill(struct seq_file *m, int argc, char **argv)
{
	enum fill_kind kind = FILL_SEQ;
	unsigned long long size, total = 0;
	u32 rng = FILL_SEED, crc = 0;
	unsigned long byte = 0;
	struct file *f;
	long err = 0;
	char *buf;
	u64 t0;
	int e;

	if (argc < 3 || argc > 4)
		return shell_usage(m, "fill");
	if (kstrtosize(argv[2], &size) || size > FILL_MAX) {
		seq_printf(m, "fill: %s: not a size up to 64M\n", argv[2]);
		return shell_usage(m, "fill");
	}
	if (argc == 4) {
		if (!strcmp(argv[3], "seq")) {
			kind = FILL_SEQ;
		} else if (!strcmp(argv[3], "random")) {
			kind = FILL_RANDOM;
		} else if (!kstrtoul(argv[3], 0, &byte) && byte <= 0xff) {
			kind = FILL_BYTE;
		} else {
			seq_printf(m,
				   "fill: %s: not a byte (0x00..0xff), "
				   "seq or random\n",
				   argv[3]);
			return shell_usage(m, "fill");
		}
	}
	buf = kmalloc(CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	f = open_file(m, "fill", argv[1], O_WRONLY | O_TRUNC, &e);
	if (!f)
		goto out_free;
	t0 = uptime_ns();
	while (total < size) {
		unsigned long len = size - total < CHUNK ? size - total : CHUNK;
		unsigned long w;

		fill_chunk(buf, len, total, kind, (u8)byte, &rng);
		w = write_full(f, buf, len, &err);
		crc = crc32_le(crc, buf, w);
		total += w;
		if (err) {
			say_io_error(m, "fill", "write", err, total);
			break;
		}
	}
	seq_printf(m, "%llu bytes written, crc32 %08x", total, crc);
	seq_elapsed(m, t0);
	seq_putc(m, '\n');
	e = (int)err;
	filp_close(f);
out_free:
	kfree(buf);
	return e;
}
SHELL_COMMAND("fill", "fill FILE SIZE [0xBYTE|seq|random]",
	      "write SIZE bytes of a pattern, print their CRC-32", cmd_fill);

/* ---- cksum ---- */

static int cmd_cksum(struct seq_file *m, int argc, char **argv)
{
	unsigned long total = 0;
	struct file *f;
	long err = 0;
	u32 crc = 0;
	char *buf;
	u64 t0;
	int e;

	if (argc != 2)
		return shell_usage(m, "cksum");
	buf = kmalloc(CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	f = open_file(m, "cksum", argv[1], O_RDONLY, &e);
	if (!f)
		goto out_free;
	t0 = uptime_ns();
	while (total < COPY_LIMIT) {
		long n = vfs_read(f, buf, CHUNK);

		if (n < 0) {
			say_io_error(m, "cksum", "read", n, total);
			err = n;
			break;
		}
		if (n == 0)
			break;
		crc = crc32_le(crc, buf, n);
		total += n;
	}
	if (!err) {
		if (total >= COPY_LIMIT && more_past_limit(f, buf))
			say_limit(m, "cksum", argv[1]);
		seq_printf(m, "%08x %lu %s", crc, total, argv[1]);
		seq_elapsed(m, t0);
		seq_putc(m, '\n');
	}
	e = (int)err;
	filp_close(f);
out_free:
	kfree(buf);
	return e;
}
SHELL_COMMAND("cksum", "cksum FILE",
	      "CRC-32 (as zlib) and size of what a device file reads",
	      cmd_cksum);

/* ---- hexdump ---- */

static void hexdump_row(struct seq_file *m, unsigned long off, const u8 *p,
			unsigned long n)
{
	seq_printf(m, "%08lx: ", off);
	for (unsigned long i = 0; i < 16; i++) {
		if (i < n)
			seq_printf(m, "%02x ", p[i]);
		else
			seq_puts(m, "   ");
	}
	seq_puts(m, " |");
	for (unsigned long i = 0; i < n; i++)
		seq_putc(m, p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
	seq_puts(m, "|\n");
}

static int cmd_hexdump(struct seq_file *m, int argc, char **argv)
{
	unsigned long long len = HEXDUMP_DEFAULT;
	unsigned long off = 0;
	struct file *f;
	long err = 0;
	char row[16];
	int e;

	if (argc < 2 || argc > 3)
		return shell_usage(m, "hexdump");
	if (argc == 3 && (kstrtosize(argv[2], &len) || len > HEXDUMP_MAX)) {
		seq_printf(m, "hexdump: %s: not a length up to 64K\n", argv[2]);
		return shell_usage(m, "hexdump");
	}
	f = open_file(m, "hexdump", argv[1], O_RDONLY, &e);
	if (!f)
		return e;
	while (off < len) {
		unsigned long want = len - off < 16 ? len - off : 16;
		unsigned long n = read_full(f, row, want, &err);

		if (n)
			hexdump_row(m, off, (const u8 *)row, n);
		off += n;
		if (err) {
			say_io_error(m, "hexdump", "read", err, off);
			break;
		}
		if (n < want)
			break;
	}
	filp_close(f);
	return (int)err;
}
SHELL_COMMAND("hexdump", "hexdump FILE [LEN]",
	      "the first LEN bytes of a device file (256; at most 64K)",
	      cmd_hexdump);

/* ---- truncate ---- */

static int cmd_truncate(struct seq_file *m, int argc, char **argv)
{
	struct file *f;
	int e;

	if (argc != 2)
		return shell_usage(m, "truncate");
	f = open_file(m, "truncate", argv[1], O_WRONLY | O_TRUNC, &e);
	if (!f)
		return e;
	return filp_close(f);
}
SHELL_COMMAND("truncate", "truncate FILE",
	      "open a device file with O_TRUNC (scull frees its data)",
	      cmd_truncate);

/* ---- ioctl ---- */

static int cmd_ioctl(struct seq_file *m, int argc, char **argv)
{
	unsigned long arg = 0;
	unsigned int cmd;
	struct file *f;
	long ret;
	int e;

	if (argc < 3 || argc > 4)
		return shell_usage(m, "ioctl");
	if (kstrtouint(argv[2], 0, &cmd)) {
		seq_printf(m, "ioctl: %s: not a command number\n", argv[2]);
		return shell_usage(m, "ioctl");
	}
	if (argc == 4 && kstrtoul(argv[3], 0, &arg)) {
		seq_printf(m, "ioctl: %s: not a number\n", argv[3]);
		return shell_usage(m, "ioctl");
	}
	/* Read-only: a write-only open would trim scull. */
	f = open_file(m, "ioctl", argv[1], O_RDONLY, &e);
	if (!f)
		return e;
	ret = vfs_ioctl(f, cmd, arg);
	filp_close(f);
	seq_printf(m, "ioctl(%s, %u, %lu) = ", argv[1], cmd, arg);
	if (ret < 0)
		seq_err(m, ret);
	else
		seq_printf(m, "%ld", ret);
	seq_putc(m, '\n');
	return ret < 0 ? (int)ret : 0;
}
SHELL_COMMAND("ioctl", "ioctl FILE CMD [ARG]",
	      "call a driver's ioctl (scull: 0 reset, 1/2 set/get quantum, "
	      "3/4 set/get qset)",
	      cmd_ioctl);
