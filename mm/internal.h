/* Shared between the files of mm/ only. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <pagoda/mm.h>

/* Hand a block to the buddy lists at boot (no checks, no pcp). */
void __free_pages_boot(struct page *page, unsigned int order);
int watermark_min_free_kbytes(void);
/* Pages on all per-CPU lists of a zone. */
unsigned long zone_pcp_pages(const struct zone *z);

#endif
