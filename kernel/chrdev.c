/*
 * The character-device layer: majors, /dev nodes, open files.
 *
 * There is no filesystem: /dev is a table of names, each naming a
 * (major, minor) pair; the major's driver gets every call on a file
 * opened there. Files are kmalloc'ed and carry their position, so two
 * opens of one device read independently, as on Linux. Every call is
 * checked (bad path, no driver, wrong access mode, negative position)
 * and answered with an errno, never followed blindly.
 */
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

struct chrdev {
	const char *name;
	const struct file_operations *fops;
};

struct dev_node {
	char name[24];
	unsigned int major, minor;
};

static struct chrdev majors[MAX_CHRDEV];
static struct dev_node nodes[64];
static int nr_nodes;

int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops)
{
	if (!major) {
		for (major = MAX_CHRDEV - 1; major > 0 && majors[major].fops;
		     major--)
			;
		if (!major)
			return -EBUSY;
	}
	if (major >= MAX_CHRDEV || !fops)
		return -EINVAL;
	if (majors[major].fops)
		return -EBUSY;
	majors[major].name = name;
	majors[major].fops = fops;
	return major;
}

void unregister_chrdev(unsigned int major, const char *name)
{
	if (major < MAX_CHRDEV && majors[major].name &&
	    !strcmp(majors[major].name, name))
		majors[major].fops = NULL;
}

static struct dev_node *find_node(const char *name)
{
	for (int i = 0; i < nr_nodes; i++) {
		if (!strcmp(nodes[i].name, name))
			return &nodes[i];
	}
	return NULL;
}

int chrdev_add_node(const char *name, unsigned int major, unsigned int minor)
{
	if (major >= MAX_CHRDEV || !majors[major].fops)
		return -ENODEV;
	if (strlen(name) >= sizeof(nodes[0].name))
		return -ENAMETOOLONG;
	if (find_node(name))
		return -EEXIST;
	if (nr_nodes == (int)ARRAY_SIZE(nodes))
		return -ENOSPC;
	strlcpy(nodes[nr_nodes].name, name, sizeof(nodes[0].name));
	nodes[nr_nodes].major = major;
	nodes[nr_nodes].minor = minor;
	nr_nodes++;
	return 0;
}

struct file *filp_open(const char *path, unsigned int flags, int *err)
{
	struct dev_node *node;
	struct file *f;
	int e = 0;

	if (!str_has_prefix(path, "/dev/")) {
		*err = -ENOENT;
		return NULL;
	}
	node = find_node(path + 5);
	if (!node || !majors[node->major].fops) {
		*err = node ? -ENXIO : -ENOENT;
		return NULL;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	f->f_op = majors[node->major].fops;
	f->f_flags = flags;
	f->major = node->major;
	f->minor = node->minor;
	if (f->f_op->open)
		e = f->f_op->open(f);
	if (!e && (flags & O_APPEND))
		f->f_pos = vfs_llseek(f, 0, SEEK_END) < 0 ? 0 : f->f_pos;
	if (e) {
		kfree(f);
		*err = e;
		return NULL;
	}
	*err = 0;
	return f;
}

int filp_close(struct file *f)
{
	int e = 0;

	if (f->f_op->release)
		e = f->f_op->release(f);
	kfree(f);
	return e;
}

long vfs_read(struct file *f, char *buf, unsigned long count)
{
	if ((f->f_flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->f_op->read)
		return -EINVAL;
	return f->f_op->read(f, buf, count, &f->f_pos);
}

long vfs_write(struct file *f, const char *buf, unsigned long count)
{
	if ((f->f_flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->f_op->write)
		return -EINVAL;
	return f->f_op->write(f, buf, count, &f->f_pos);
}

/* base + off, or -EINVAL when it is negative or does not fit. */
static loff_t seek_target(loff_t base, loff_t off)
{
	if ((off > 0 && base > LLONG_MAX - off) || base + off < 0)
		return -EINVAL;
	return base + off;
}

loff_t vfs_llseek(struct file *f, loff_t off, int whence)
{
	loff_t pos;

	if (f->f_op->llseek)
		return f->f_op->llseek(f, off, whence);
	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	pos = seek_target(whence == SEEK_SET ? 0 : f->f_pos, off);
	if (pos < 0)
		return -EINVAL;
	return f->f_pos = pos;
}

long vfs_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
}

loff_t generic_llseek(struct file *f, loff_t off, int whence, loff_t size)
{
	loff_t pos;

	switch (whence) {
	case SEEK_SET:
		pos = seek_target(0, off);
		break;
	case SEEK_CUR:
		pos = seek_target(f->f_pos, off);
		break;
	case SEEK_END:
		pos = seek_target(size, off);
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	return f->f_pos = pos;
}

/* ---- the table and the shell's view of /dev ---- */

static void devices_show(struct seq_file *m)
{
	seq_puts(m, "Character devices:\n");
	for (int i = 1; i < MAX_CHRDEV; i++) {
		if (majors[i].fops)
			seq_printf(m, "%3d %s\n", i, majors[i].name);
	}
}
PROC_TABLE("devices", devices_show);

int chrdev_list(struct seq_file *m, bool longform)
{
	for (int i = 0; i < nr_nodes; i++) {
		if (longform)
			seq_printf(m, "crw-rw-rw- %3u, %3u %s\n", nodes[i].major,
				   nodes[i].minor, nodes[i].name);
		else
			seq_printf(m, "%s\n", nodes[i].name);
	}
	return 0;
}

/*
 * cat of a device stops after CAT_LIMIT bytes: /dev/zero never ends and
 * there is no Ctrl-C for a running command.
 */
#define CAT_LIMIT (1UL << 20)

int chrdev_cat(struct seq_file *m, const char *path)
{
	char buf[512];
	unsigned long total = 0;
	struct file *f;
	int err;
	long n;

	f = filp_open(path, O_RDONLY, &err);
	if (!f)
		return err;
	while (total < CAT_LIMIT && (n = vfs_read(f, buf, sizeof(buf))) > 0) {
		seq_write(m, buf, n);
		total += n;
	}
	filp_close(f);
	if (total >= CAT_LIMIT) {
		seq_printf(m, "\ncat: %s: stopped after %lu bytes\n", path,
			   CAT_LIMIT);
		return 0;
	}
	return n < 0 ? (int)n : 0;
}
