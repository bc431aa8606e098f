/*
 * /dev/null and /dev/zero, the smallest character devices there are:
 * null swallows writes and reads as empty; zero reads as endless zeros.
 * They exercise the character-device layer and the shell's redirection.
 */
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/init.h>
#include <pagoda/string.h>

#define MEM_MAJOR 1
#define MINOR_NULL 3
#define MINOR_ZERO 5

static long mem_read(struct file *f, char *buf, unsigned long count,
		     loff_t *pos)
{
	if (f->minor == MINOR_NULL)
		return 0;
	memset(buf, 0, count);
	*pos += count;
	return count;
}

static long mem_write(struct file *f, const char *buf, unsigned long count,
		      loff_t *pos)
{
	*pos += count;
	return count;
}

static const struct file_operations mem_fops = {
	.read = mem_read,
	.write = mem_write,
};

static int mem_devices_init(void)
{
	int major = register_chrdev(MEM_MAJOR, "mem", &mem_fops);

	if (major < 0)
		return major;
	chrdev_add_node("null", MEM_MAJOR, MINOR_NULL);
	chrdev_add_node("zero", MEM_MAJOR, MINOR_ZERO);
	return 0;
}
initcall(mem_devices_init);
