/*
 * Reaching pages that are not in the direct map (mm/highmem.c).
 *
 * kmap_atomic(page, type) maps a page into a per-CPU fixmap slot chosen
 * by `type` (Linux 2.6's enum km_type: each context that may nest owns
 * its own slots, so an interrupt handler's mapping never lands on the
 * one it interrupted). The mapping is undone with kunmap_atomic and must
 * not be held across anything that could sleep. A low-memory page needs
 * no mapping: its direct-mapped address comes back.
 */
#ifndef PAGODA_HIGHMEM_H
#define PAGODA_HIGHMEM_H

#include <pagoda/mm.h>

enum km_type {
	KM_BOUNCE_READ,
	KM_USER0,
	KM_USER1,
	KM_PTE0,
	KM_PTE1,
	KM_IRQ0,
	KM_IRQ1,
	KM_SOFTIRQ0,
	KM_SOFTIRQ1,
	KM_TYPE_NR
};

void *kmap_atomic(struct page *page, enum km_type type);
void kunmap_atomic(void *addr, enum km_type type);

/* Zero a page wherever it lives. */
void clear_highpage(struct page *page);

#endif
