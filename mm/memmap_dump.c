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
 * mem_map is read through page_walk_frame() (mm/page_kind.c), in windows
 * of the largest buddy block with interrupts off: no block is seen half
 * split or merged. The printing comes between windows, with them on.
 */
#include <pagoda/arch.h>
#include <pagoda/bootmem.h>
#include <pagoda/mm.h>
#include <pagoda/seq_file.h>
#include <pagoda/string.h>

#include "internal.h"

struct run {
	unsigned long pfn, count;
	struct page_frame f;
};

struct dump {
	struct seq_file *m;
	struct run run;
	unsigned long runs, frames;
	unsigned long total[NR_PAGE_KINDS];
	unsigned long bounds[2 * MAX_ZONES + 1]; /* zone starts and ends */
	int nbounds, next_bound;
};

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

static void add_frame(struct dump *d, unsigned long pfn, struct page_frame f)
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
	for (; pfn < max_pfn; pfn++)
		add_frame(&d, pfn, *page_walk_frame(&w, pfn));
	emit(&d);
	print_trailer(&d);
	return 0;
}
