/*
 * Page-table pages, for arch/<arch>/paging.c only (mm/pgtable.c): get a
 * zeroed table, count the entries put in and taken out, and free a table
 * when its last entry goes (boot-time tables are never freed).
 */
#ifndef PAGODA_PGTABLE_ALLOC_H
#define PAGODA_PGTABLE_ALLOC_H

#include <pagoda/gfp.h>

void *pgtable_alloc(gfp_t gfp);
void pgtable_get(void *table);
/* One entry fewer; true when the table is now empty (and freeable). */
bool pgtable_put(void *table);
void pgtable_free(void *table);

#endif
