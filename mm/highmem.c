/*
 * High memory: pages above the direct map, reached through mappings
 * made on demand. This file has kmap_atomic, a fixmap slot per (CPU,
 * km_type): slot = type + KM_TYPE_NR * cpu; mm/kmap.c has kmap (the
 * pkmap window) and kmap_local (a per-CPU stack of fixmap slots).
 *
 * Misuse is caught: mapping into a slot still in use, unmapping an
 * address that is not the slot's or not the top of the stack, kunmap of
 * a page that is not mapped: each is reported with the caller and the
 * damage avoided (the bad unmap is ignored), never silently accepted.
 * kmap_atomic mappings nest: the last one made must be the first one
 * undone. An unmap out of that order is reported too; the slot is named
 * by its type, so the unmap itself is still done right.
 * Holding an atomic or local mapping counts as atomic context, so a
 * GFP_KERNEL allocation under it is reported by might_sleep.
 */
#include <pagoda/arch.h>
#include <pagoda/bug.h>
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

void *kmap_atomic_addr[NR_CPUS * KM_TYPE_NR];
#define slot_addr kmap_atomic_addr

/* When each slot was mapped, counted per CPU: the highest number among
 * the slots in use is the mapping to undo first. */
static unsigned long slot_seq[NR_CPUS * KM_TYPE_NR];
static unsigned long map_seq[NR_CPUS];

/* The slot of this CPU mapped last (and still mapped), or -1. */
static int last_mapped_slot(void)
{
	unsigned int first = KM_TYPE_NR * smp_processor_id();
	int last = -1;

	for (unsigned int s = first; s < first + KM_TYPE_NR; s++) {
		if (slot_addr[s] && (last < 0 || slot_seq[s] > slot_seq[last]))
			last = s;
	}
	return last;
}

void *kmap_atomic(struct page *page, enum km_type type)
{
	unsigned int slot;

	preempt_disable();
	if (!PageHighMem(page))
		return page_address(page);
	if ((unsigned int)type >= KM_TYPE_NR) {
		WARN(1, "kmap_atomic: no km_type %d\n", type);
		type = KM_USER0;
	}
	slot = type + KM_TYPE_NR * smp_processor_id();
	if (slot_addr[slot]) {
		/* The old user's kunmap_atomic will balance its own count. */
		printk(KERN_ERR "BUG: kmap_atomic: slot %d (type %d) still "
				"maps %p; replaced, from %pS\n",
		       slot, type, slot_addr[slot], (void *)_RET_IP_);
	}
	slot_addr[slot] = arch_kmap_slot(slot, page_to_phys(page));
	slot_seq[slot] = ++map_seq[smp_processor_id()];
	return slot_addr[slot];
}

void kunmap_atomic(void *addr, enum km_type type)
{
	unsigned int slot = (unsigned int)type < KM_TYPE_NR ?
				    type + KM_TYPE_NR * smp_processor_id() :
				    0;
	int last;

	if ((char *)addr >= (char *)__va((phys_addr_t)min_pfn << PAGE_SHIFT) &&
	    (char *)addr < (char *)high_memory) {
		preempt_enable(); /* a low page: nothing was mapped */
		return;
	}
	if ((unsigned int)type >= KM_TYPE_NR || !addr ||
	    slot_addr[slot] != addr) {
		printk(KERN_ERR "BUG: kunmap_atomic(%p, %d) from %pS: that "
				"slot maps %p; nothing unmapped\n",
		       addr, type, (void *)_RET_IP_,
		       (unsigned int)type < KM_TYPE_NR ? slot_addr[slot] :
							 NULL);
		preempt_enable(); /* the caller's kmap_atomic disabled it */
		return;
	}
	last = last_mapped_slot();
	if (last >= 0 && last != (int)slot) {
		printk(KERN_ERR "BUG: kunmap_atomic(%p, %d) from %pS out of "
				"order: the last mapping is %p (type %d); "
				"unmapped all the same\n",
		       addr, type, (void *)_RET_IP_, slot_addr[last],
		       last % KM_TYPE_NR);
	}
	arch_kunmap_slot(slot);
	slot_addr[slot] = NULL;
	preempt_enable();
}

void clear_highpage(struct page *page)
{
	void *addr = kmap_atomic(page, KM_USER0);

	memset(addr, 0, PAGE_SIZE);
	kunmap_atomic(addr, KM_USER0);
}
