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

/*
 * kmap: a longer-lived mapping in one of LAST_PKMAP slots of the pkmap
 * window, counted per page (two kmaps of a page share its slot). It may
 * sleep in Linux; here it reports, and returns NULL, when every slot is
 * taken rather than waiting for one.
 */
void *kmap(struct page *page);
void kunmap(struct page *page);

/*
 * kmap_local_page: like kmap_atomic, but the slot comes from a per-CPU
 * stack, so nesting needs no km_type; mappings must be undone in reverse
 * order (an out-of-order kunmap_local is reported and ignored).
 */
void *kmap_local_page(struct page *page);
void kunmap_local(void *addr);

/* The kmap address of a HIGHMEM page, or NULL (page_address uses it). */
void *kmap_address(const struct page *page);

/* Zero a page wherever it lives. */
void clear_highpage(struct page *page);

#endif
