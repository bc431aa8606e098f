/*
 * RISC-V orders device accesses only when told: a device read completes
 * before later reads of memory or devices (fence i,ir), a write waits for
 * earlier memory writes (fence w,o), as Linux's readl/writel do.
 */
#ifndef ASM_RISCV_BARRIER_H
#define ASM_RISCV_BARRIER_H

#define io_rmb() __asm__ __volatile__("fence i,ir" ::: "memory")
#define io_wmb() __asm__ __volatile__("fence w,o" ::: "memory")

#endif
