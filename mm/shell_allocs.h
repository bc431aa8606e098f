/*
 * What the shell's allocation commands handed out (mm/shell_allocs.c),
 * so that its free commands free only that.
 */
#ifndef MM_SHELL_ALLOCS_H
#define MM_SHELL_ALLOCS_H

#include <pagoda/seq_file.h>
#include <pagoda/types.h>

enum shell_alloc_kind {
	SHELL_KMALLOC,
	SHELL_PAGES, /* addr is 0 for a HighMem block */
	SHELL_VMALLOC,
	SHELL_IOREMAP,
	SHELL_KMAP, /* one entry per kmap of a page */
};

struct shell_alloc {
	bool used;
	u8 kind;
	u8 order; /* SHELL_PAGES */
	unsigned long addr; /* what the allocation returned */
	unsigned long pfn; /* SHELL_PAGES, SHELL_KMAP */
};

/* Room for one more; if not, says so as cmd and returns false. */
bool shell_alloc_room(struct seq_file *m, const char *cmd);
void shell_alloc_add(enum shell_alloc_kind kind, unsigned long addr,
		     unsigned long pfn, unsigned int order);
/* The entry of kind that addr (or, for pages and kmaps, pfn) names. */
struct shell_alloc *shell_alloc_find(enum shell_alloc_kind kind,
				     unsigned long addr);
struct shell_alloc *shell_alloc_find_pfn(enum shell_alloc_kind kind,
					 unsigned long pfn);
/* The SHELL_PAGES block that holds pfn. */
struct shell_alloc *shell_alloc_block_of(unsigned long pfn);
/* A SHELL_KMAP entry for a page of the block at pfn, of this order. */
struct shell_alloc *shell_alloc_kmap_in(unsigned long pfn, unsigned int order);
/* "CMD: ADDR was not allocated by the shell's ALLOCATOR" and -EINVAL. */
int shell_alloc_refuse(struct seq_file *m, const char *cmd, const char *what,
		       const char *allocator);
void shell_alloc_drop(struct shell_alloc *a);
/*
 * kfree, vfree, iounmap and kunmap at the prompt: argv is "CMD NUMBER"
 * (an address in hex, or kunmap's pfn), naming one of the shell's own
 * allocations of kind. Then the note is dropped, *key is the number and
 * 0 is returned; otherwise the usage or the refusal has been printed and
 * the command's error is returned.
 */
int shell_alloc_take(struct seq_file *m, int argc, char **argv,
		     enum shell_alloc_kind kind, unsigned long *key);

#endif
