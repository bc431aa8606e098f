/*
 * Shell commands for the slab layer: kmalloc and kfree by hand (kfree
 * takes only what this kmalloc returned: mm/shell_allocs.c), slabcheck
 * to verify every object of the debug caches, slabshrink to return empty
 * slabs.
 */
#include <pagoda/errno.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>

#include "shell_allocs.h"

static int cmd_kmalloc(struct seq_file *m, int argc, char **argv)
{
	unsigned long long size;
	gfp_t gfp = GFP_KERNEL;
	void *p;

	if (argc < 2 || argc > 3 || kstrtosize(argv[1], &size) ||
	    (argc == 3 && gfp_parse(argv[2], &gfp)))
		return shell_usage(m, "kmalloc");
	if (size > ~0UL) {
		seq_printf(m, "kmalloc: %llu does not fit in a size here\n",
			   size);
		return -EINVAL;
	}
	if (!shell_alloc_room(m, "kmalloc"))
		return -ENOSPC;
	p = kmalloc(size, gfp);
	if (!p) {
		seq_printf(m, "kmalloc: %llu bytes failed\n", size);
		return -ENOMEM;
	}
	shell_alloc_add(SHELL_KMALLOC, (unsigned long)p, 0, 0);
	seq_printf(m, "%p: %llu bytes in %s (ksize %lu)\n", p, size,
		   p == ZERO_SIZE_PTR ? "ZERO_SIZE_PTR" :
		   virt_to_cache(p)   ? kmem_cache_name(virt_to_cache(p)) :
					"pages",
		   ksize(p));
	return 0;
}
SHELL_COMMAND("kmalloc", "kmalloc SIZE [GFP]",
	      "allocate SIZE bytes (K/M suffixes) and print where", cmd_kmalloc);

static int cmd_kfree(struct seq_file *m, int argc, char **argv)
{
	unsigned long addr;
	int err = shell_alloc_take(m, argc, argv, SHELL_KMALLOC, &addr);

	if (err)
		return err;
	kfree((void *)addr);
	return 0;
}
SHELL_COMMAND("kfree", "kfree ADDR",
	      "free what the shell's kmalloc returned (nothing else)",
	      cmd_kfree);

static int cmd_slabcheck(struct seq_file *m, int argc, char **argv)
{
	unsigned long problems;

	if (argc != 1)
		return shell_usage(m, "slabcheck");
	problems = slab_check_all();
	seq_printf(m, "slabcheck: %lu problem%s found (and repaired)\n",
		   problems, problems == 1 ? "" : "s");
	return problems ? -EIO : 0;
}
SHELL_COMMAND("slabcheck", "slabcheck",
	      "check red zones and poison of every object in debug caches",
	      cmd_slabcheck);

static int cmd_slabshrink(struct seq_file *m, int argc, char **argv)
{
	if (argc != 1)
		return shell_usage(m, "slabshrink");
	seq_printf(m, "slabshrink: %lu pages returned\n",
		   kmem_cache_shrink_all());
	return 0;
}
SHELL_COMMAND("slabshrink", "slabshrink",
	      "give every empty slab back to the page allocator",
	      cmd_slabshrink);
