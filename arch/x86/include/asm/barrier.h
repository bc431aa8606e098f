/* i386 keeps loads and stores to uncached memory in order: only the
 * compiler must be stopped from reordering. */
#ifndef ASM_X86_BARRIER_H
#define ASM_X86_BARRIER_H

#define io_rmb() __asm__ __volatile__("" ::: "memory")
#define io_wmb() __asm__ __volatile__("" ::: "memory")

#endif
