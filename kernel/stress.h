/*
 * What `stress` (kernel/stress.c) compares before and after a run
 * (kernel/stress_snapshot.c): free pages, the slab caches' objects in
 * use, and the vmalloc area, each read the way a user would read it --
 * nr_free_pages() is /proc/meminfo's MemFree, the cache counts come
 * from /proc/slabinfo and the area list is /proc/vmallocinfo.
 */
#ifndef KERNEL_STRESS_H
#define KERNEL_STRESS_H

#include <pagoda/seq_file.h>
#include <pagoda/slab.h>

#define SNAPSHOT_CACHES 128

struct cache_count {
	char name[KMEM_CACHE_NAME_LEN];
	unsigned long active; /* objects in use */
};

struct mem_snapshot {
	unsigned long free_pages; /* MemFree, in pages */
	unsigned long slab_pages; /* pages held by slabs */
	unsigned long vmalloc_areas;
	unsigned long vmalloc_bytes; /* with guard pages */
	u32 vmalloc_crc; /* of /proc/vmallocinfo's text */
	unsigned int nr_caches;
	bool too_many_caches; /* some did not fit: the comparison says so */
	struct cache_count cache[SNAPSHOT_CACHES];
};

/*
 * Settle memory the way the `slabshrink` and `drain` commands do (every
 * empty slab back, the per-CPU page lists drained), then record it.
 */
void mem_snapshot_take(struct mem_snapshot *s);
/* One line: "MemFree N kB, N slab objects in N caches, N vmalloc areas". */
void mem_snapshot_show(struct seq_file *m, const char *when,
		       const struct mem_snapshot *s);
/*
 * Print every difference between two snapshots; true when memory is
 * back: the same objects in every cache, the same vmalloc areas, and
 * every page that is not free again held by a slab (a mempool reserve
 * refilled with other objects may spread over other slabs: the same
 * objects, not a leak).
 */
bool mem_snapshot_compare(struct seq_file *m, const struct mem_snapshot *before,
			  const struct mem_snapshot *after);

#endif
