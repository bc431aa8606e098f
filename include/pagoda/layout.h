/*
 * The kernel's virtual memory layout as named regions (kernel/layout.c),
 * filled by the arch's arch_layout_init() and read by fault reports, the
 * `layout`, `peek` and `pt` commands.
 */
#ifndef PAGODA_LAYOUT_H
#define PAGODA_LAYOUT_H

/* Regions are added low to high; end 0 means "to the top". */
void layout_add(unsigned long start, unsigned long end, const char *name);
/* Start over (the arch calls this before describing the layout again). */
void layout_reset(void);
const char *layout_region_name(unsigned long addr);

#endif
