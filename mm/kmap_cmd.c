/*
 * Shell commands for kmap: map a page of a block the shell's alloc_pages
 * handed out, and undo it. A HighMem page gets a pkmap slot, which
 * /proc/kmapinfo lists and memmap shows as pkmap; a low page's kmap is
 * its direct-map address. kunmap takes only what this kmap mapped
 * (mm/shell_allocs.c), and free_pages refuses a block still mapped.
 */
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/mm.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

#include "shell_allocs.h"

static int cmd_kmap(struct seq_file *m, int argc, char **argv)
{
	unsigned long pfn;
	void *addr;

	if (argc != 2 || kstrtoul(argv[1], 0, &pfn))
		return shell_usage(m, "kmap");
	if (!shell_alloc_block_of(pfn)) {
		seq_printf(m,
			   "kmap: pfn %#lx is not in a block the shell's "
			   "alloc_pages handed out\n",
			   pfn);
		return -EINVAL;
	}
	if (!shell_alloc_room(m, "kmap"))
		return -ENOSPC;
	addr = kmap(pfn_to_page(pfn));
	if (!addr) {
		seq_printf(m, "kmap: no pkmap slot for pfn %#lx\n", pfn);
		return -ENOMEM;
	}
	shell_alloc_add(SHELL_KMAP, (unsigned long)addr, pfn, 0);
	seq_printf(m, "pfn %#lx mapped at %p%s\n", pfn, addr,
		   PageHighMem(pfn_to_page(pfn)) ? " (pkmap)"
						 : " (direct map)");
	return 0;
}
SHELL_COMMAND("kmap", "kmap PFN",
	      "kmap a page of a block from the shell's alloc_pages", cmd_kmap);

static int cmd_kunmap(struct seq_file *m, int argc, char **argv)
{
	unsigned long pfn;
	int err = shell_alloc_take(m, argc, argv, SHELL_KMAP, &pfn);

	if (err)
		return err;
	kunmap(pfn_to_page(pfn));
	return 0;
}
SHELL_COMMAND("kunmap", "kunmap PFN", "undo one of the shell's kmaps",
	      cmd_kunmap);
