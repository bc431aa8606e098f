/*
 * Function names for addresses (kernel/kallsyms.c), for backtraces and
 * the %pS format.
 */
#ifndef PAGODA_KALLSYMS_H
#define PAGODA_KALLSYMS_H

#include <pagoda/types.h>

/* 0 and the symbol containing addr, or -1 if addr is not kernel text. */
int kallsyms_lookup(unsigned long addr, const char **name,
		    unsigned long *offset, unsigned long *size);
unsigned long kallsyms_lookup_name(const char *name);
void kallsyms_init(void);
/* "name+0xoff/0xsize" for a return address (looked up at addr - 1). */
int sprint_backtrace(char *buf, size_t size, unsigned long addr);

#endif
