/*
 * The `memmap` command: a picture of physical memory in the terminal.
 *
 * Each character stands for PAGES_PER_CHAR page frames and says what
 * they are doing: free, allocated, slab, reserved, or not RAM at all.
 * Every zone that mm/mm_init.c built gets its own block of lines under
 * a header, so the DMA / Normal / HighMem split can be seen, and the
 * figures at the end count each zone's pages the way the picture does.
 *
 * Everything comes from mem_map, read in one pass from the lowest frame
 * to the highest by mm/page_kind.c, which says what each frame is; the
 * picture folds its kinds into the few a character can show.
 * `memmap --dump` prints every frame's kind instead, for a program to
 * read (mm/memmap_dump.c).
 */
#include <pagoda/bootmem.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

#include "internal.h"

#define CHARS_PER_LINE 64
#define TARGET_LINES   64

#define ANSI_RESET "\x1b[0m"
#define ANSI_BOLD  "\x1b[0;1m"

/* What one page is doing, as far as mem_map can tell. */
enum page_use {
	USE_FREE, /* in a buddy list */
	USE_PCP, /* on a per-CPU list: free too */
	USE_ALLOC, /* part of an allocated block */
	USE_SLAB, /* owned by the slab allocator */
	USE_RESERVED, /* never handed to the buddy allocator */
	USE_HOLE, /* no RAM behind this frame number */
	USE_ORPHAN, /* RAM with no flag, no count, and in no block */
	NR_USES,
	GLYPH_MIXED = NR_USES, /* a character whose pages are partly free */
	NR_GLYPHS
};

struct glyph {
	char c;
	const char *colour; /* each one resets first, so none leaks */
	const char *meaning;
};

/* In the legend's order; USE_PCP draws as free and is not listed. */
static const struct glyph glyphs[NR_GLYPHS] = {
	[USE_FREE] = {'.', "\x1b[0;32m",
		      "free: in the buddy lists or on a per-CPU list"},
	[USE_PCP] = {'.', "\x1b[0;32m", NULL},
	[USE_ALLOC] = {'#', "\x1b[0;31m", "allocated"},
	[USE_SLAB] = {'s', "\x1b[0;35m", "slab (PG_slab)"},
	[USE_RESERVED] = {'R', "\x1b[0;36m",
			  "reserved: kernel image, mem_map, firmware"},
	[USE_HOLE] = {' ', ANSI_RESET, "not RAM: a hole in the physical map"},
	[USE_ORPHAN] = {'?', "\x1b[0;1;37;41m",
			"RAM nothing owns: no flag, no count, in no block"},
	[GLYPH_MIXED] = {'+', "\x1b[0;33m",
			 "partly free, partly in use (fragmented)"},
};

struct memmap_opts {
	unsigned long ppc; /* pages per character, a power of two */
	bool colour;
	bool dump; /* --dump: every frame as text, no picture */
	int addr_width; /* hex digits of the highest address */
};

struct zone_tally {
	unsigned long pages[NR_USES];
};

/* Every kind of page_kind.c that is in use but not slab draws as '#'. */
static const unsigned char use_of[NR_PAGE_KINDS] = {
	[PK_HOLE] = USE_HOLE,	  [PK_RESERVED] = USE_RESERVED,
	[PK_FREE] = USE_FREE,	  [PK_PCP] = USE_PCP,
	[PK_SLAB] = USE_SLAB,	  [PK_PAGES] = USE_ALLOC,
	[PK_KMALLOC] = USE_ALLOC, [PK_VMALLOC] = USE_ALLOC,
	[PK_PGTABLE] = USE_ALLOC, [PK_PKMAP] = USE_ALLOC,
	[PK_ORPHAN] = USE_ORPHAN,
};

/*
 * One character for n[] pages: blank if most of them are not RAM;
 * otherwise a single use shows as itself, any free page next to any
 * used one is '+' (that is what fragmentation looks like), and failing
 * that the commonest use wins. An orphan always shows: it is a bug to
 * find, not a detail to average away.
 */
static int cell_glyph(const unsigned long *n, unsigned long pages)
{
	unsigned long ram = pages - n[USE_HOLE];
	unsigned long free = n[USE_FREE] + n[USE_PCP];
	int best = USE_ALLOC;

	if (n[USE_ORPHAN])
		return USE_ORPHAN;
	if (n[USE_HOLE] > ram)
		return USE_HOLE;
	if (free == ram)
		return USE_FREE;
	if (free)
		return GLYPH_MIXED;
	if (n[USE_SLAB] > n[best])
		best = USE_SLAB;
	if (n[USE_RESERVED] > n[best])
		best = USE_RESERVED;
	return best;
}

/*
 * Classify the pages of one line from *pfn (up to end) and advance
 * *pfn; returns the number of characters.
 *
 * Characters and lines sit on a grid of ppc and CHARS_PER_LINE * ppc
 * frames counted from frame 0: line addresses come out round, and any
 * buddy block of ppc pages or more fills whole characters. A zone that
 * starts or ends off the grid gets a short first or last line.
 *
 * The frames come from page_walk_frame(), which reads mem_map a buddy
 * block's worth at a time with interrupts off, as `memmap --dump` does:
 * no block is seen half split or half merged.
 */
static int classify_line(struct page_walk *w, unsigned long *pfn,
			 unsigned long end, unsigned long ppc,
			 unsigned char *line, struct zone_tally *t)
{
	unsigned long line_mask = ppc * CHARS_PER_LINE - 1;
	unsigned long p = *pfn;
	int i = 0;

	do {
		unsigned long n[NR_USES] = {0};
		unsigned long next = min((p | (ppc - 1)) + 1, end);

		for (unsigned long q = p; q < next; q++)
			n[use_of[page_walk_frame(w, q)->kind]]++;
		for (int u = 0; u < NR_USES; u++)
			t->pages[u] += n[u];
		line[i++] = cell_glyph(n, next - p);
		p = next;
	} while (p < end && (p & line_mask));
	*pfn = p;
	return i;
}

static unsigned long long pfn_phys(unsigned long pfn)
{
	return (unsigned long long)pfn << PAGE_SHIFT;
}

static void print_line(struct seq_file *m, const struct memmap_opts *o,
		       unsigned long pfn, const unsigned char *line, int n)
{
	const char *cur = ANSI_RESET;

	seq_printf(m, "%#0*llx |", o->addr_width + 2, pfn_phys(pfn));
	for (int i = 0; i < n; i++) {
		const struct glyph *g = &glyphs[line[i]];

		/* Only on a change: keeps the output (and the serial
		 * line's time) close to one byte per character. */
		if (o->colour && g->colour != cur) {
			seq_puts(m, g->colour);
			cur = g->colour;
		}
		seq_putc(m, g->c);
	}
	if (o->colour)
		seq_puts(m, ANSI_RESET);
	seq_puts(m, "|\n");
}

static void draw_range(struct seq_file *m, struct page_walk *w,
		       const struct memmap_opts *o, unsigned long start,
		       unsigned long end, struct zone_tally *t)
{
	unsigned char line[CHARS_PER_LINE];
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned long first = pfn;
		int n = classify_line(w, &pfn, end, o->ppc, line, t);

		print_line(m, o, first, line, n);
	}
}

/* "512 KiB", "32 MiB", "2047.8 MiB", "2 GiB". */
static const char *size_str(char *buf, size_t len, unsigned long long pages)
{
	unsigned long long kib = pages << (PAGE_SHIFT - 10);

	if (kib < 1024)
		scnprintf(buf, len, "%llu KiB", kib);
	else if (kib % (1024 * 1024) == 0)
		scnprintf(buf, len, "%llu GiB", kib >> 20);
	else if (kib % 1024 == 0)
		scnprintf(buf, len, "%llu MiB", kib >> 10);
	else
		scnprintf(buf, len, "%llu.%llu MiB", kib >> 10,
			  (kib % 1024) * 10 / 1024);
	return buf;
}

static void print_range_header(struct seq_file *m, const struct memmap_opts *o,
			       const char *what, unsigned long start,
			       unsigned long end)
{
	char size[24];

	seq_printf(m, "%s-- %s [mem %#0*llx-%#0*llx] %s --%s\n",
		   o->colour ? ANSI_BOLD : "", what, o->addr_width + 2,
		   pfn_phys(start), o->addr_width + 2, pfn_phys(end) - 1,
		   size_str(size, sizeof(size), end - start),
		   o->colour ? ANSI_RESET : "");
}

static void print_zone_header(struct seq_file *m, const struct memmap_opts *o,
			      const struct zone *z, unsigned long start,
			      unsigned long end)
{
	char what[32];

	scnprintf(what, sizeof(what), "Node %d %s", zone_nid(z), z->name);
	print_range_header(m, o, what, start, end);
}

/* Frames between zones are not RAM, and could be gigabytes of PCI
 * space: say so in one line instead of drawing them. */
static void print_gap(struct seq_file *m, const struct memmap_opts *o,
		      unsigned long start, unsigned long end)
{
	print_range_header(m, o, "in no zone, not RAM, not drawn:", start, end);
}

static unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

/* Populated zones in address order (nodes need not be). */
int sorted_zones(struct zone **zs)
{
	struct zone *z;
	int n = 0;

	for (z = first_zone(); z; z = next_zone(z)) {
		int i;

		if (!populated_zone(z))
			continue;
		for (i = n;
		     i > 0 && zs[i - 1]->zone_start_pfn > z->zone_start_pfn;
		     i--)
			zs[i] = zs[i - 1];
		zs[i] = z;
		n++;
	}
	return n;
}

/*
 * One character for all of mem_map; more would only risk overflowing
 * the line arithmetic.
 */
static unsigned long max_ppc(void)
{
	unsigned long ppc = 1;

	while (ppc < max_pfn)
		ppc <<= 1;
	return ppc;
}

/* Enough pages per character for mem_map to fit TARGET_LINES lines. */
static unsigned long default_ppc(void)
{
	unsigned long pages = max_pfn - min_pfn, ppc = 1;

	while (DIV_ROUND_UP(pages, ppc) > CHARS_PER_LINE * TARGET_LINES)
		ppc <<= 1;
	return ppc;
}

static int addr_width(void)
{
	unsigned long long top = pfn_phys(max_pfn) - 1;
	int digits = 0;

	while (top) {
		digits++;
		top >>= 4;
	}
	return max(digits, 8);
}

static void print_scale(struct seq_file *m, const struct memmap_opts *o)
{
	char chr[24], line[24];

	seq_printf(m, "One character = %lu page%s (%s), one line = %s.\n",
		   o->ppc, o->ppc == 1 ? "" : "s",
		   size_str(chr, sizeof(chr), o->ppc),
		   size_str(line, sizeof(line),
			    (unsigned long long)o->ppc * CHARS_PER_LINE));
}

static void print_title(struct seq_file *m, const struct memmap_opts *o)
{
	char size[24];

	seq_printf(m, "Physical memory %#0*llx-%#0*llx (%s), from mem_map.\n",
		   o->addr_width + 2, pfn_phys(min_pfn), o->addr_width + 2,
		   pfn_phys(max_pfn) - 1,
		   size_str(size, sizeof(size), max_pfn - min_pfn));
	print_scale(m, o);
}

static void print_legend(struct seq_file *m, const struct memmap_opts *o)
{
	seq_puts(m, "\nLegend:\n");
	for (int i = 0; i < NR_GLYPHS; i++) {
		const struct glyph *g = &glyphs[i];

		if (!g->meaning)
			continue;
		seq_printf(m, "  [%s%c%s]  %s\n", o->colour ? g->colour : "",
			   g->c, o->colour ? ANSI_RESET : "", g->meaning);
	}
	seq_puts(m, "A character is blank if most of its frames are not RAM; "
		    "else '+' if some of\nits pages are free and some in "
		    "use; else what most of its pages are.\n");
	print_scale(m, o);
	seq_printf(m,
		   "Colour is %s: 'memmap -%c' turns it %s. 'memmap 1' "
		   "draws every page.\n",
		   o->colour ? "on" : "off", o->colour ? 'n' : 'c',
		   o->colour ? "off" : "on");
}

static void print_tally(struct seq_file *m, const char *name,
			const struct zone_tally *t)
{
	unsigned long pages = 0;

	for (int u = 0; u < NR_USES; u++)
		pages += t->pages[u];
	seq_printf(m, "%-15s %8lu %8lu %8lu %9lu %6lu %8lu %8lu\n", name, pages,
		   t->pages[USE_FREE] + t->pages[USE_PCP], t->pages[USE_PCP],
		   t->pages[USE_ALLOC], t->pages[USE_SLAB],
		   t->pages[USE_RESERVED], t->pages[USE_HOLE]);
}

/* The walk against the zone's own counters: they differ only if
 * memory changed between two windows of the walk, or the allocator
 * lost track. */
static void check_tally(struct seq_file *m, const struct zone *z,
			const struct zone_tally *t)
{
	unsigned long pcp = zone_pcp_pages(z);

	if (t->pages[USE_FREE] != z->free_pages || t->pages[USE_PCP] != pcp)
		seq_printf(m,
			   "  note: Node %d %s's counters say %lu free in "
			   "the buddy lists and %lu on per-CPU lists;\n"
			   "  the walk found %lu and %lu\n",
			   zone_nid(z), z->name, z->free_pages, pcp,
			   t->pages[USE_FREE], t->pages[USE_PCP]);
	if (t->pages[USE_ORPHAN])
		seq_printf(m,
			   "  note: %lu pages of Node %d %s belong to "
			   "nothing ('?'): leaked or corrupted\n",
			   t->pages[USE_ORPHAN], zone_nid(z), z->name);
}

static void print_figures(struct seq_file *m, struct zone **zs,
			  const struct zone_tally *tally, int n,
			  struct zone_tally *total)
{
	char name[32];

	seq_printf(m, "\n%-15s %8s %8s %8s %9s %6s %8s %8s\n", "Pages", "all",
		   "free", "(on pcp)", "allocated", "slab", "reserved",
		   "not RAM");
	for (int i = 0; i < n; i++) {
		scnprintf(name, sizeof(name), "Node %d %s", zone_nid(zs[i]),
			  zs[i]->name);
		print_tally(m, name, &tally[i]);
		for (int u = 0; u < NR_USES; u++)
			total->pages[u] += tally[i].pages[u];
	}
	print_tally(m, "Total", total);
	for (int i = 0; i < n; i++)
		check_tally(m, zs[i], &tally[i]);
}

static int parse_args(struct seq_file *m, int argc, char **argv,
		      struct memmap_opts *o)
{
	bool have_colour = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-c") || !strcmp(a, "-n")) {
			bool colour = a[1] == 'c';

			if (have_colour && colour != o->colour) {
				seq_puts(m, "memmap: -c and -n contradict "
					    "each other\n");
				return shell_usage(m, "memmap");
			}
			o->colour = colour;
			have_colour = true;
			continue;
		}
		if (!strcmp(a, "--dump")) {
			o->dump = true;
			continue;
		}
		if (a[0] == '-') {
			seq_printf(m, "memmap: unknown option '%s'\n", a);
			return shell_usage(m, "memmap");
		}
		if (o->ppc) {
			seq_puts(m, "memmap: one PAGES_PER_CHAR only\n");
			return shell_usage(m, "memmap");
		}
		if (kstrtoul(a, 0, &o->ppc) || !o->ppc ||
		    (o->ppc & (o->ppc - 1)) || o->ppc > max_ppc()) {
			seq_printf(m,
				   "memmap: PAGES_PER_CHAR must be a power "
				   "of two from 1 to %lu, not '%s'\n",
				   max_ppc(), a);
			return shell_usage(m, "memmap");
		}
	}
	if (o->dump && (have_colour || o->ppc)) {
		seq_puts(m, "memmap: --dump takes no other argument\n");
		return shell_usage(m, "memmap");
	}
	return 0;
}

static int cmd_memmap(struct seq_file *m, int argc, char **argv)
{
	struct memmap_opts o = {.ppc = 0, .colour = true};
	struct page_walk w;
	struct zone_tally tally[MAX_ZONES], total;
	struct zone *zs[MAX_ZONES];
	unsigned long pfn = min_pfn;
	int n, err;

	err = parse_args(m, argc, argv, &o);
	if (err)
		return err;
	if (o.dump)
		return memmap_dump(m);
	if (!o.ppc)
		o.ppc = default_ppc();
	o.addr_width = addr_width();
	memset(tally, 0, sizeof(tally));
	memset(&total, 0, sizeof(total));

	page_walk_start(&w);
	print_title(m, &o);
	n = sorted_zones(zs);
	for (int i = 0; i < n; i++) {
		/* Clipped, in case two nodes' zones were to overlap. */
		unsigned long start = max(zs[i]->zone_start_pfn, pfn);
		unsigned long end = zone_end_pfn(zs[i]);

		if (start >= end)
			continue;
		if (start > pfn) {
			print_gap(m, &o, pfn, start);
			total.pages[USE_HOLE] += start - pfn;
		}
		print_zone_header(m, &o, zs[i], start, end);
		draw_range(m, &w, &o, start, end, &tally[i]);
		pfn = end;
	}
	if (pfn < max_pfn) {
		print_gap(m, &o, pfn, max_pfn);
		total.pages[USE_HOLE] += max_pfn - pfn;
	}
	print_legend(m, &o);
	print_figures(m, zs, tally, n, &total);
	return 0;
}
SHELL_COMMAND("memmap", "memmap [-c|-n] [PAGES_PER_CHAR] | memmap --dump",
	      "picture of physical memory: free, used, reserved, by zone; "
	      "--dump: every page frame as text, for tools/memmap",
	      cmd_memmap);
