/*
 * /proc/buddyinfo and /proc/zoneinfo: the page allocator's state, in
 * Linux's formats. buddyinfo counts free blocks per order per zone (how
 * fragmented memory is at a glance); zoneinfo gives each zone's size,
 * free pages, watermarks and per-CPU list settings.
 */
#include <pagoda/mm.h>
#include <pagoda/proc.h>

#include "internal.h"

static void buddyinfo_show(struct seq_file *m)
{
	struct zone *z;

	for_each_zone(z) {
		if (!populated_zone(z))
			continue;
		seq_printf(m, "Node %d, zone %8s ", zone_nid(z), z->name);
		for (int o = 0; o < MAX_ORDER; o++)
			seq_printf(m, "%6lu ", z->free_area[o].nr_free);
		seq_putc(m, '\n');
	}
}
PROC_TABLE("buddyinfo", buddyinfo_show);

static void zone_show(struct seq_file *m, struct zone *z)
{
	seq_printf(m, "Node %d, zone %8s\n", zone_nid(z), z->name);
	seq_printf(m, "  pages free     %lu\n", z->free_pages);
	seq_printf(m, "        min      %lu\n", z->pages_min);
	seq_printf(m, "        low      %lu\n", z->pages_low);
	seq_printf(m, "        high     %lu\n", z->pages_high);
	seq_printf(m, "        spanned  %lu\n", z->spanned_pages);
	seq_printf(m, "        present  %lu\n", z->present_pages);
	seq_printf(m, "    %-12s %lu\n", "nr_free_pages", z->free_pages);
	seq_printf(m, "    %-12s %lu\n", "nr_pcp_pages", zone_pcp_pages(z));
	seq_printf(m, "    %-12s %lu\n", "nr_alloc", z->nr_alloc);
	seq_printf(m, "    %-12s %lu\n", "nr_free", z->nr_free_calls);
	seq_printf(m, "    %-12s %lu\n", "nr_alloc_fail", z->nr_failed);
	seq_puts(m, "  pagesets\n");
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pages *pcp = &z->pageset[cpu].pcp;

		seq_printf(m, "    cpu: %i\n", cpu);
		seq_printf(m, "              count: %i\n", pcp->count);
		seq_printf(m, "              high:  %i\n", pcp->high);
		seq_printf(m, "              batch: %i\n", pcp->batch);
	}
	seq_printf(m, "  start_pfn:         %lu\n", z->zone_start_pfn);
}

static void zoneinfo_show(struct seq_file *m)
{
	struct zone *z;

	for_each_zone(z) {
		if (populated_zone(z))
			zone_show(m, z);
	}
}
PROC_TABLE("zoneinfo", zoneinfo_show);
