/*
 * The shell's own allocations: kmalloc, alloc_pages, vmalloc, ioremap and
 * kmap typed at the prompt are noted here, and kfree, free_pages, vfree,
 * iounmap and kunmap typed at the prompt free only what is noted. A
 * mistyped address would otherwise reach the allocator: most bad frees
 * are caught there, but a live object of someone else's (a kmalloc-64
 * object taken at boot) looks exactly like one of ours and would be
 * freed under its owner. The deliberate bad frees are `misuse`'s
 * (mm/misuse.c), which calls the allocators directly.
 */
#include <pagoda/errno.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

#include "shell_allocs.h"

#define SHELL_ALLOCS 128

static struct shell_alloc allocs[SHELL_ALLOCS];

bool shell_alloc_room(struct seq_file *m, const char *cmd)
{
	for (int i = 0; i < SHELL_ALLOCS; i++) {
		if (!allocs[i].used)
			return true;
	}
	seq_printf(m,
		   "%s: the shell already holds %d allocations; free some "
		   "first\n",
		   cmd, SHELL_ALLOCS);
	return false;
}

void shell_alloc_add(enum shell_alloc_kind kind, unsigned long addr,
		     unsigned long pfn, unsigned int order)
{
	for (int i = 0; i < SHELL_ALLOCS; i++) {
		if (!allocs[i].used) {
			allocs[i] = (struct shell_alloc){.used = true,
							 .kind = kind,
							 .order = order,
							 .addr = addr,
							 .pfn = pfn};
			return;
		}
	}
}

struct shell_alloc *shell_alloc_find(enum shell_alloc_kind kind,
				     unsigned long addr)
{
	for (int i = 0; i < SHELL_ALLOCS; i++) {
		if (allocs[i].used && allocs[i].kind == kind &&
		    allocs[i].addr == addr)
			return &allocs[i];
	}
	return NULL;
}

struct shell_alloc *shell_alloc_find_pfn(enum shell_alloc_kind kind,
					 unsigned long pfn)
{
	for (int i = 0; i < SHELL_ALLOCS; i++) {
		if (allocs[i].used && allocs[i].kind == kind &&
		    allocs[i].pfn == pfn)
			return &allocs[i];
	}
	return NULL;
}

struct shell_alloc *shell_alloc_block_of(unsigned long pfn)
{
	for (int i = 0; i < SHELL_ALLOCS; i++) {
		struct shell_alloc *a = &allocs[i];

		if (a->used && a->kind == SHELL_PAGES && pfn >= a->pfn &&
		    pfn - a->pfn < 1UL << a->order)
			return a;
	}
	return NULL;
}

struct shell_alloc *shell_alloc_kmap_in(unsigned long pfn, unsigned int order)
{
	for (int i = 0; i < SHELL_ALLOCS; i++) {
		struct shell_alloc *a = &allocs[i];

		if (a->used && a->kind == SHELL_KMAP && a->pfn >= pfn &&
		    a->pfn - pfn < 1UL << order)
			return a;
	}
	return NULL;
}

int shell_alloc_refuse(struct seq_file *m, const char *cmd, const char *what,
		       const char *allocator)
{
	seq_printf(m,
		   "%s: %s was not allocated by the shell's %s (misuse "
		   "shows bad frees)\n",
		   cmd, what, allocator);
	return -EINVAL;
}

void shell_alloc_drop(struct shell_alloc *a)
{
	a->used = false;
}

/* How the free command of each kind names what it frees. */
static const struct {
	const char *allocator;
	unsigned int base; /* of the number typed */
	bool by_pfn;
} kinds[] = {
	[SHELL_KMALLOC] = {"kmalloc", 16, false},
	[SHELL_PAGES] = {"alloc_pages", 16, false},
	[SHELL_VMALLOC] = {"vmalloc", 16, false},
	[SHELL_IOREMAP] = {"ioremap", 16, false},
	[SHELL_KMAP] = {"kmap", 0, true},
};

int shell_alloc_take(struct seq_file *m, int argc, char **argv,
		     enum shell_alloc_kind kind, unsigned long *key)
{
	struct shell_alloc *a;

	if (argc != 2 || kstrtoul(argv[1], kinds[kind].base, key))
		return shell_usage(m, argv[0]);
	a = kinds[kind].by_pfn ? shell_alloc_find_pfn(kind, *key)
			       : shell_alloc_find(kind, *key);
	if (!a)
		return shell_alloc_refuse(m, argv[0], argv[1],
					  kinds[kind].allocator);
	shell_alloc_drop(a);
	return 0;
}
