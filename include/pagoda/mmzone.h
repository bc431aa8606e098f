/*
 * Nodes and zones (mm/mm_init.c builds them, mm/page_alloc.c uses them).
 *
 * Physical memory is split into nodes (one per memory range the firmware
 * gives a NUMA node id; usually just node 0) and each node into zones by
 * what the memory can be used for:
 *
 *   ZONE_DMA      reachable by old DMA devices (x86: below 16 MiB)
 *   ZONE_NORMAL   permanently mapped by the kernel (the direct map)
 *   ZONE_HIGHMEM  above the direct map: mapped on demand with kmap
 *
 * Each zone keeps free blocks of 2^order pages in free_area[order], plus
 * per-CPU lists of single pages that make the common case cheap.
 */
#ifndef PAGODA_MMZONE_H
#define PAGODA_MMZONE_H

#include <pagoda/hardirq.h>
#include <pagoda/list.h>
#include <pagoda/mm_types.h>

#define MAX_ORDER 11
#define MAX_NUMNODES 4

enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	MAX_NR_ZONES
};

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks, not pages */
};

/*
 * The per-CPU hot/cold list: hot pages (just freed, likely still in the
 * cache) at the head, cold ones at the tail. It is refilled from and
 * drained to the buddy lists `batch` pages at a time, and never holds
 * more than `high`.
 */
struct per_cpu_pages {
	int count;
	int high;
	int batch;
	struct list_head list;
};

struct per_cpu_pageset {
	struct per_cpu_pages pcp;
};

struct pglist_data;

struct zone {
	/* Watermarks, in pages: below low an allocation must work harder;
	 * below min only GFP_ATOMIC may go. */
	unsigned long pages_min, pages_low, pages_high;
	unsigned long free_pages; /* in the buddy lists */
	struct free_area free_area[MAX_ORDER];
	struct per_cpu_pageset pageset[NR_CPUS];

	struct pglist_data *zone_pgdat;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages; /* pfns from start to end, holes too */
	unsigned long present_pages; /* RAM pages */
	const char *name;

	/* Counters for /proc/zoneinfo. */
	unsigned long nr_alloc, nr_free_calls, nr_failed;
};

/* Zones to try, best first, NULL-terminated. */
struct zonelist {
	struct zone *zones[MAX_NUMNODES * MAX_NR_ZONES + 1];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	/* One list per highest zone a request may use. */
	struct zonelist node_zonelists[MAX_NR_ZONES];
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
} pg_data_t;

extern pg_data_t node_data[MAX_NUMNODES];
extern int nr_online_nodes;
#define NODE_DATA(nid) (&node_data[nid])

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline int zone_idx(const struct zone *z)
{
	return z - z->zone_pgdat->node_zones;
}

#define for_each_online_node(nid) for (nid = 0; nid < nr_online_nodes; nid++)

/* Every zone of every online node, populated or not, in order. */
struct zone *first_zone(void);
struct zone *next_zone(struct zone *z);
#define for_each_zone(z) for (z = first_zone(); z; z = next_zone(z))

static inline int zone_nid(const struct zone *z)
{
	return z->zone_pgdat->node_id;
}

#endif
