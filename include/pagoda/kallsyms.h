/*
 * Function names for addresses (kernel/kallsyms.c), for backtraces and
 * the %pS format.
 */
#ifndef PAGODA_KALLSYMS_H
#define PAGODA_KALLSYMS_H

/* 0 and the symbol containing addr, or -1 if addr is not kernel text. */
int kallsyms_lookup(unsigned long addr, const char **name,
		    unsigned long *offset, unsigned long *size);
unsigned long kallsyms_lookup_name(const char *name);
void kallsyms_init(void);

#endif
