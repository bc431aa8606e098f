/*
 * `memmap --dump`: every page frame's kind as text, for a program to
 * read (tools/memmap/memmap_png.py draws it; the boot test checks it
 * against /proc/buddyinfo, /proc/zoneinfo, /proc/slabinfo and
 * /proc/vmallocinfo). docs/memmap.md describes the format:
 *
 *   memmap-dump 1                  format version
 *   arch i386                      header: what the rest means
 *   page_size 4096
 *   pfns 0 7fe0                    first frame, one past the last (hex)
 *   zone 0 DMA 0 1000              node, name, first and end frame (hex)
 *   ...
 *   runs                           then one line per run of frames:
 *   0 1 reserved BIOS_data_page    PFN (hex) COUNT KIND [ORDER | WHO]
 *   1 1 free 0
 *   2 2 free 1
 *   ...
 *   total free 32195               pages of each kind present, then
 *   end 45 32736                   the number of runs and of frames
 *
 * Adjacent frames of one kind (free blocks: of one order; reserved: of
 * one reservation) make one run, and no run crosses a zone's boundary,
 * so even 2 GiB of RAM fresh from boot takes under a hundred lines.
 *
 * mem_map is read in windows of the largest buddy block, aligned like
 * one, with interrupts off: no block is seen half split or merged. The
 * printing comes after each window, with them on again.
 */
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/seq_file.h>
#include <pagoda/string.h>

#include "internal.h"

#define WINDOW (1UL << (MAX_ORDER - 1))

/* One frame, as the window keeps it: the kind, and the order or the
 * reservation that goes with it. */
struct frame {
	u8 kind;
	s8 arg; /* PK_FREE: order; PK_RESERVED: reservation or -1 */
};

struct run {
	unsigned long pfn, count;
	struct frame f;
};

struct dump {
	struct seq_file *m;
	struct run run;
	unsigned long runs, frames;
	unsigned long total[NR_PAGE_KINDS];
	unsigned long bounds[2 * MAX_ZONES + 1]; /* zone starts and ends */
	int nbounds, next_bound;
};

/* Static: 2 KiB is too much for the stack, and the shell runs one
 * command at a time. */
static struct frame window[WINDOW];

static void print_who(struct seq_file *m, int idx)
{
	const struct bootmem_region *r = bootmem_reserved(idx);
	const char *s = r && r->name ? r->name : "-";

	/* One word, so that the line splits on blanks. */
	seq_putc(m, ' ');
	for (; *s; s++)
		seq_putc(m, *s == ' ' ? '_' : *s);
}

static void emit(struct dump *d)
{
	struct run *r = &d->run;

	if (!r->count)
		return;
	seq_printf(d->m, "%lx %lu %s", r->pfn, r->count,
		   page_kind_name(r->f.kind));
	if (r->f.kind == PK_FREE)
		seq_printf(d->m, " %d", r->f.arg);
	else if (r->f.kind == PK_RESERVED)
		print_who(d->m, r->f.arg);
	seq_putc(d->m, '\n');
	d->runs++;
	d->frames += r->count;
	d->total[r->f.kind] += r->count;
	r->count = 0;
}

static void add_frame(struct dump *d, unsigned long pfn, struct frame f)
{
	struct run *r = &d->run;
	bool boundary = false;

	while (d->next_bound < d->nbounds && d->bounds[d->next_bound] <= pfn) {
		boundary |= d->bounds[d->next_bound] == pfn;
		d->next_bound++;
	}
	if (r->count && !boundary && r->f.kind == f.kind && r->f.arg == f.arg) {
		r->count++;
		return;
	}
	emit(d);
	*r = (struct run){.pfn = pfn, .count = 1, .f = f};
}

static void classify_window(struct page_walk *w, unsigned long start,
			    unsigned long end)
{
	unsigned long flags;

	local_irq_save(flags);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct frame *f = &window[pfn - start];

		f->kind = page_walk_kind(w, pfn);
		f->arg = f->kind == PK_FREE	  ? (s8)w->order
			 : f->kind == PK_RESERVED ? (s8)w->reservation
						  : 0;
	}
	local_irq_restore(flags);
}

static void print_header(struct dump *d, struct zone **zs, int n)
{
	struct seq_file *m = d->m;

	seq_printf(m, "memmap-dump 1\narch %s\npage_size %lu\npfns %lx %lx\n",
		   arch_name(), PAGE_SIZE, min_pfn, max_pfn);
	for (int i = 0; i < n; i++) {
		unsigned long start = zs[i]->zone_start_pfn;
		unsigned long end = start + zs[i]->spanned_pages;

		seq_printf(m, "zone %d %s %lx %lx\n", zone_nid(zs[i]),
			   zs[i]->name, start, end);
		d->bounds[d->nbounds++] = start;
		d->bounds[d->nbounds++] = end;
	}
	seq_puts(m, "runs\n");
}

static void print_trailer(struct dump *d)
{
	for (int k = 0; k < NR_PAGE_KINDS; k++) {
		if (d->total[k])
			seq_printf(d->m, "total %s %lu\n", page_kind_name(k),
				   d->total[k]);
	}
	seq_printf(d->m, "end %lu %lu\n", d->runs, d->frames);
}

int memmap_dump(struct seq_file *m)
{
	struct dump d = {.m = m};
	struct zone *zs[MAX_ZONES];
	struct page_walk w;
	unsigned long pfn = min_pfn;

	page_walk_start(&w);
	print_header(&d, zs, sorted_zones(zs));
	while (pfn < max_pfn) {
		unsigned long end = min((pfn | (WINDOW - 1)) + 1, max_pfn);

		classify_window(&w, pfn, end);
		for (unsigned long p = pfn; p < end; p++)
			add_frame(&d, p, window[p - pfn]);
		pfn = end;
	}
	emit(&d);
	print_trailer(&d);
	return 0;
}
