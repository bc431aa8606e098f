/*
 * Shell commands for vmalloc: take an area, look at it (peek, pt,
 * /proc/vmallocinfo), run off its end into the guard page, free it.
 */
#include <asm/page.h>
#include <pagoda/errno.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#include "shell_allocs.h"

static int cmd_vmalloc(struct seq_file *m, int argc, char **argv)
{
	unsigned long long size;
	void *p;

	if (argc != 2 || kstrtosize(argv[1], &size) || !size ||
	    size > ~0UL)
		return shell_usage(m, "vmalloc");
	if (!shell_alloc_room(m, "vmalloc"))
		return -ENOSPC;
	p = vmalloc(size);
	if (!p) {
		seq_printf(m, "vmalloc: %llu bytes failed\n", size);
		return -ENOMEM;
	}
	shell_alloc_add(SHELL_VMALLOC, (unsigned long)p, 0, 0);
	seq_printf(m, "%p: %llu bytes, guard page at %p\n", p, size,
		   (void *)((char *)p + ALIGN(size, PAGE_SIZE)));
	return 0;
}
SHELL_COMMAND("vmalloc", "vmalloc SIZE",
	      "allocate SIZE bytes (K/M suffixes) from the vmalloc area",
	      cmd_vmalloc);

static int cmd_vfree(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr;
	int err = shell_alloc_take(m, argc, argv, SHELL_VMALLOC, &addr);

	if (err)
		return err;
	vfree((void *)addr);
	return 0;
}
SHELL_COMMAND("vfree", "vfree ADDR",
	      "free an area the shell's vmalloc returned (nothing else)",
	      cmd_vfree);
