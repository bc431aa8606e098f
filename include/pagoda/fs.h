/*
 * Character devices (kernel/chrdev.c), as LDD3 describes them: a driver
 * registers a major number with its file_operations and puts nodes in
 * /dev (one per minor); opening a node gives a struct file with a
 * position, and read/write/llseek/ioctl go to the driver. Errors are
 * negative errno values, as in Linux.
 */
#ifndef PAGODA_FS_H
#define PAGODA_FS_H

#include <pagoda/types.h>

typedef long long loff_t;
#ifndef LLONG_MAX /* the host's limits.h has it */
#define LLONG_MAX 0x7fffffffffffffffLL
#endif

#define O_RDONLY 0x0
#define O_WRONLY 0x1
#define O_RDWR 0x2
#define O_ACCMODE 0x3
#define O_TRUNC 0x200
#define O_APPEND 0x400

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

struct file;

struct file_operations {
	int (*open)(struct file *f);
	int (*release)(struct file *f);
	long (*read)(struct file *f, char *buf, unsigned long count,
		     loff_t *pos);
	long (*write)(struct file *f, const char *buf, unsigned long count,
		      loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t off, int whence);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
};

struct file {
	const struct file_operations *f_op;
	loff_t f_pos;
	unsigned int f_flags;
	unsigned int major, minor;
	void *private_data; /* the driver's, set in open */
};

#define MAX_CHRDEV 32

/* Register a driver for a major (0: pick a free one); returns it. */
int register_chrdev(unsigned int major, const char *name,
		    const struct file_operations *fops);
void unregister_chrdev(unsigned int major, const char *name);
/* Put /dev/NAME for (major, minor); -EEXIST, -ENOSPC, -ENODEV. */
int chrdev_add_node(const char *name, unsigned int major, unsigned int minor);

/* "/dev/NAME" -> an open file, or an ERR_PTR-style negative errno. */
struct file *filp_open(const char *path, unsigned int flags, int *err);
int filp_close(struct file *f);
long vfs_read(struct file *f, char *buf, unsigned long count);
long vfs_write(struct file *f, const char *buf, unsigned long count);
loff_t vfs_llseek(struct file *f, loff_t off, int whence);
long vfs_ioctl(struct file *f, unsigned int cmd, unsigned long arg);

struct seq_file;
/* The /dev names, one a line (long: "crw-rw-rw- MAJ, MIN name"). */
int chrdev_list(struct seq_file *m, bool longform);
/* Copy a whole device file to m (for cat). */
int chrdev_cat(struct seq_file *m, const char *path);

/* A default llseek for drivers whose data has a size. */
loff_t generic_llseek(struct file *f, loff_t off, int whence, loff_t size);

#endif
