/*
 * What arch trap handlers call when the kernel faults (kernel/panic.c):
 * a common shape for the report, and the decision afterwards. A fault in
 * a shell command unwinds back to the shell prompt (the kernel's version
 * of killing the offending process); anywhere else it is a panic.
 */
#ifndef PAGODA_OOPS_H
#define PAGODA_OOPS_H

#include <pagoda/arch.h>
#include <pagoda/layout.h>

#define OOPS_MAX_FRAMES 16

void oops_begin(void);
/* "address ... is in: <region of the layout>" */
void oops_describe_address(unsigned long addr);
void oops_print_trace(const unsigned long *pcs, int n);
__noreturn void oops_end(const char *why);
/*
 * Where oops_end() may unwind to; NULL when nowhere. Returns the one it
 * replaces, so code that catches its own fault can put it back.
 */
struct arch_jmp_buf *oops_set_recovery(struct arch_jmp_buf *jb);

#endif
