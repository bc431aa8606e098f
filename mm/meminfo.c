/*
 * /proc/meminfo and the `free` command: memory as a whole, in Linux's
 * format so that procps's `free` can read a copy of it.
 *
 * MemFree counts every free page, the per-CPU lists' included (Linux
 * leaves those out; here they would make MemFree wander with the lists'
 * length, hiding whether memory really came back). MemAvailable is what
 * can be taken without pushing a zone under its high watermark. There is
 * no page cache and no swap, so Buffers, Cached and Swap* are truly 0.
 */
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include <pagoda/string.h>

struct meminfo {
	unsigned long total, free, available;
	unsigned long high_total, high_free;
};

static void meminfo_read(struct meminfo *mi)
{
	struct zone *z;

	mi->total = totalram_pages;
	mi->free = nr_free_pages();
	mi->available = nr_free_pagecache_pages();
	mi->high_total = 0;
	for_each_zone(z) {
		if (zone_idx(z) == ZONE_HIGHMEM)
			mi->high_total += z->present_pages;
	}
	mi->high_total = min(mi->high_total, mi->total);
	mi->high_free = nr_free_highpages();
}

static void show_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

static void meminfo_show(struct seq_file *m)
{
	struct meminfo mi;

	meminfo_read(&mi);
	show_kb(m, "MemTotal:", mi.total);
	show_kb(m, "MemFree:", mi.free);
	show_kb(m, "MemAvailable:", mi.available);
	show_kb(m, "Buffers:", 0);
	show_kb(m, "Cached:", 0);
	show_kb(m, "SwapCached:", 0);
	show_kb(m, "HighTotal:", mi.high_total);
	show_kb(m, "HighFree:", mi.high_free);
	show_kb(m, "LowTotal:", mi.total - mi.high_total);
	show_kb(m, "LowFree:", mi.free - mi.high_free);
	show_kb(m, "SwapTotal:", 0);
	show_kb(m, "SwapFree:", 0);
	show_kb(m, "Slab:", slab_reclaimable_pages() +
				    slab_unreclaimable_pages());
	show_kb(m, "SReclaimable:", slab_reclaimable_pages());
	show_kb(m, "SUnreclaim:", slab_unreclaimable_pages());
	show_kb(m, "VmallocTotal:", vmalloc_total() >> PAGE_SHIFT);
	show_kb(m, "VmallocUsed:", vmalloc_used() >> PAGE_SHIFT);
	show_kb(m, "VmallocChunk:", vmalloc_chunk() >> PAGE_SHIFT);
}
PROC_TABLE("meminfo", meminfo_show);

/* procps free's layout, with its -l rows for low and high memory. */
static int cmd_free(struct seq_file *m, int argc, char **argv)
{
	struct meminfo mi;
	int shift = PAGE_SHIFT - 10;
	const char *unit = "kB";

	if (argc > 2)
		return shell_usage(m, "free");
	if (argc == 2) {
		if (!strcmp(argv[1], "-m")) {
			shift = PAGE_SHIFT - 20;
			unit = "MB";
		} else if (strcmp(argv[1], "-k")) {
			return shell_usage(m, "free");
		}
	}
	meminfo_read(&mi);
#define V(pages) (shift >= 0 ? (pages) << shift : (pages) >> -shift)
	seq_printf(m, "%6s %11s %11s %11s %11s %11s %11s\n", unit, "total",
		   "used", "free", "shared", "buff/cache", "available");
	seq_printf(m, "Mem:   %11lu %11lu %11lu %11d %11d %11lu\n", V(mi.total),
		   V(mi.total - mi.free), V(mi.free), 0, 0, V(mi.available));
	seq_printf(m, "Low:   %11lu %11lu %11lu\n", V(mi.total - mi.high_total),
		   V(mi.total - mi.high_total - (mi.free - mi.high_free)),
		   V(mi.free - mi.high_free));
	seq_printf(m, "High:  %11lu %11lu %11lu\n", V(mi.high_total),
		   V(mi.high_total - mi.high_free), V(mi.high_free));
	seq_printf(m, "Swap:  %11d %11d %11d\n", 0, 0, 0);
#undef V
	return 0;
}
SHELL_COMMAND("free", "free [-k|-m]",
	      "memory in use and free, like procps free -l", cmd_free);
