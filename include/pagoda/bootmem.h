/*
 * The boot-time memory allocator (mm/bootmem.c): what the firmware said
 * is RAM, minus what is reserved, handed out until the page allocator
 * takes over. Addresses returned are direct-mapped virtual addresses,
 * zeroed, and can never be given back once the buddy allocator runs.
 */
#ifndef PAGODA_BOOTMEM_H
#define PAGODA_BOOTMEM_H

#include <pagoda/types.h>
#include <asm/page.h>

#define BOOTMEM_MAX_REGIONS 128

struct bootmem_region {
	phys_addr_t base;
	phys_addr_t size;
	const char *name; /* who reserved it ("Kernel image", "bootmem") */
	int nid;	  /* memory: the NUMA node it belongs to */
};

/* Feeding bootmem: RAM from the firmware's map, and ranges to keep out. */
void bootmem_add_memory(phys_addr_t base, phys_addr_t size);
void bootmem_add_memory_node(phys_addr_t base, phys_addr_t size, int nid);
void reserve_bootmem(phys_addr_t base, phys_addr_t size, const char *name);
void free_bootmem(phys_addr_t base, phys_addr_t size);
/* One "System RAM" entry in /proc/iomem per memory region. */
void bootmem_register_iomem(void);

/*
 * low_limit: the DMA limit, below which "low" allocations are served.
 * direct_limit: the end of the direct map; nothing above is handed out,
 * since callers need a virtual address for what they get.
 */
void bootmem_set_limits(phys_addr_t low_limit, phys_addr_t direct_limit);
phys_addr_t bootmem_low_limit(void);
/*
 * Where the direct map should end, given the most the arch can map:
 * the top of RAM or arch_limit, lowered by the highmem= option.
 */
phys_addr_t bootmem_lowmem_end(phys_addr_t arch_limit);
phys_addr_t bootmem_direct_limit(void);

/*
 * Allocate size bytes aligned to align, preferring addresses at or above
 * goal (falling back to lower ones), zeroed. Panics on failure with what
 * was asked and what was free: boot cannot go on without it.
 */
void *__alloc_bootmem(unsigned long size, unsigned long align,
		      phys_addr_t goal);
/* Only below the low (DMA) limit. */
void *__alloc_bootmem_low(unsigned long size, unsigned long align);
/* Like __alloc_bootmem, without the panic: NULL when nothing fits. */
void *__alloc_bootmem_nopanic(unsigned long size, unsigned long align,
			      phys_addr_t goal);

/*
 * alloc_bootmem_pages with a label for /proc/bootmem ("page tables",
 * "mem_map"), so the boot-time memory map says who took what.
 */
void *alloc_bootmem_tagged(unsigned long size, unsigned long align,
			   const char *name);

#define alloc_bootmem(x) \
	__alloc_bootmem(x, SMP_CACHE_BYTES, bootmem_low_limit())
#define alloc_bootmem_pages(x) \
	__alloc_bootmem(x, PAGE_SIZE, bootmem_low_limit())
#define alloc_bootmem_low(x) __alloc_bootmem_low(x, SMP_CACHE_BYTES)
#define alloc_bootmem_low_pages(x) __alloc_bootmem_low(x, PAGE_SIZE)

/*
 * The physical-address form, for callers that map what they get
 * themselves (early page tables). Searches [min, max) bottom-up; returns
 * 0 on failure (address 0 is never handed out). Not zeroed.
 */
phys_addr_t bootmem_alloc_phys(phys_addr_t size, phys_addr_t align,
			       phys_addr_t min, phys_addr_t max,
			       const char *name);

/* Figures and iteration, for /proc tables and for the page allocator. */
phys_addr_t bootmem_memory_bytes(void);
phys_addr_t bootmem_free_bytes(void);
phys_addr_t bootmem_largest_free(phys_addr_t below);
int bootmem_nr_memory(void);
int bootmem_nr_reserved(void);
const struct bootmem_region *bootmem_memory(int idx);
const struct bootmem_region *bootmem_reserved(int idx);
/* Does [start, end) touch RAM? (ioremap refuses it; stress avoids it.) */
bool bootmem_overlaps_memory(phys_addr_t start, phys_addr_t end);

/*
 * Walk the free ranges (memory minus reserved) in address order: start
 * with *cursor = 0; returns false when done.
 */
bool bootmem_next_free(u64 *cursor, phys_addr_t *start, phys_addr_t *end);

/* After this, every allocation is refused with a message (the buddy
 * allocator owns the pages now). */
void bootmem_retire(void);
bool bootmem_retired(void);

/* Back to the empty state (host tests only need this). */
void bootmem_reset(void);

#endif
