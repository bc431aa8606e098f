/* Host stand-in: only the compiler needs holding back. */
#ifndef HOST_ASM_BARRIER_H
#define HOST_ASM_BARRIER_H

#define io_rmb() __asm__ __volatile__("" ::: "memory")
#define io_wmb() __asm__ __volatile__("" ::: "memory")

#endif
