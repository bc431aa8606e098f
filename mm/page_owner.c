/*
 * Page owner: who holds each allocated block of pages, and since which
 * allocation generation.
 *
 * The records live in an array of their own beside mem_map, one per page
 * frame, as Linux keeps them in page_ext: struct page stays small, and
 * the feature costs nothing but this array. The allocator stamps a
 * block's first record when it hands the block out and clears it when
 * the block comes back, so a set record always means "allocated, by
 * this caller, in this generation".
 *
 * A generation is an epoch the user opens (`leaks mark`, in
 * mm/leaks.c); every record carries the one it was made in.
 * `page_owner PFN` reads one record.
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>
#include <pagoda/params.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include "internal.h"

u32 mm_generation = 1;
static bool enabled = true;
static struct page_owner *owners;

static int set_page_owner_param(const char *val)
{
	return kstrtobool(val ? val : "on", &enabled) ? -EINVAL : 0;
}
early_param("page_owner", set_page_owner_param);

u32 mm_generation_next(void)
{
	return ++mm_generation;
}

void page_owner_init(void)
{
	unsigned long size = (max_pfn - min_pfn) * sizeof(*owners);

	owners = NULL;
	if (!enabled)
		return;
	owners = alloc_bootmem_tagged(size, PAGE_SIZE, "page_owner");
	memset(owners, 0, size);
}

static struct page_owner *owner(const struct page *page)
{
	return owners ? &owners[page - mem_map] : NULL;
}

void set_page_owner(struct page *page, unsigned int order, unsigned long caller)
{
	struct page_owner *o = owner(page);

	if (!o)
		return;
	o->caller = caller;
	o->gen = mm_generation;
	o->order = order;
	o->kind = PO_PAGES;
	o->allocated = 1;
}

void set_page_owner_kind(struct page *page, unsigned long caller,
			 enum page_owner_kind kind)
{
	struct page_owner *o = owner(page);

	if (o && o->allocated) {
		o->caller = caller;
		o->kind = kind;
	}
}

void reset_page_owner(struct page *page, unsigned int order)
{
	struct page_owner *o = owner(page);

	if (o)
		o->allocated = 0;
}

static const char *const kind_names[] = {
	[PO_PAGES] = "pages",
	[PO_VMALLOC] = "vmalloc",
};

const char *page_owner_kind_name(const struct page_owner *o)
{
	return kind_names[o->kind];
}

const struct page_owner *page_owner_of(unsigned long pfn)
{
	if (!owners || !pfn_valid(pfn))
		return NULL;
	return &owners[pfn - min_pfn];
}

static int cmd_page_owner(struct seq_file *m, int argc, char **argv)
{
	const struct page_owner *o;
	unsigned long pfn, head;

	if (argc != 2 || kstrtoul(argv[1], 0, &pfn))
		return shell_usage(m, "page_owner");
	if (!pfn_valid(pfn)) {
		seq_printf(m,
			   "page_owner: pfn %#lx is not RAM this kernel "
			   "manages\n",
			   pfn);
		return -EINVAL;
	}
	if (!owners) {
		seq_puts(m, "page_owner: off (boot with page_owner=on)\n");
		return -ENOENT;
	}
	/* The record is on the block's first page: look back for it. */
	for (head = pfn;; head--) {
		o = page_owner_of(head);
		if (o->allocated && head + (1UL << o->order) > pfn)
			break;
		if (head == min_pfn || pfn - head >= (1UL << (MAX_ORDER - 1))) {
			seq_printf(m,
				   "pfn %#lx: not allocated by the page "
				   "allocator (free, reserved, or boot "
				   "memory)\n",
				   pfn);
			return 0;
		}
	}
	seq_printf(m,
		   "pfn %#lx: in the order-%u block at pfn %#lx, %s, "
		   "generation %u\n  allocated by %pS\n",
		   pfn, o->order, head, page_owner_kind_name(o), o->gen,
		   (void *)o->caller);
	if (PageSlab(pfn_to_page(head)))
		seq_puts(m, "  a slab: its objects have owners of their own "
			    "(slab_owner or slub_debug=U)\n");
	return 0;
}
SHELL_COMMAND("page_owner", "page_owner PFN",
	      "who allocated the block holding page frame PFN", cmd_page_owner);
