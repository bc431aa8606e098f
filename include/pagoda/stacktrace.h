/*
 * Backtraces (kernel/stacktrace.c): return addresses of a call chain,
 * innermost first, following frame pointers.
 */
#ifndef PAGODA_STACKTRACE_H
#define PAGODA_STACKTRACE_H

#include <pagoda/compiler.h>

/* The current chain, skipping `skip` frames beyond stack_walk itself. */
int stack_walk(unsigned long *pcs, int max, int skip);
/* From a given frame pointer (a trapped context's, say). */
int stack_walk_from(unsigned long fp, unsigned long *pcs, int max, int skip);

#endif
