/*
 * i386 memory constants and the direct map. The kernel lives at
 * PAGE_OFFSET (3 GiB) upwards; physical address p is virtual p+PAGE_OFFSET
 * for all of low memory, the kernel image included.
 */
#ifndef ASM_X86_PAGE_H
#define ASM_X86_PAGE_H

#include <pagoda/const.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (_UL(1) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_OFFSET _UL(0xC0000000)
#define KERNEL_PHYS_BASE _UL(0x00100000)
#define SMP_CACHE_BYTES 64

/* ISA DMA reaches the first 16 MiB: ZONE_DMA and "low" bootmem. */
#define MAX_DMA_PHYS _UL(0x01000000)

/*
 * The top of the address space, high to low (as Linux lays it out):
 * fixmap slots just under the last page, the pkmap window for kmap()
 * below it, then the vmalloc area, which ends two pages below pkmap.
 */
#define FIXADDR_TOP _UL(0xFFFFF000)
#define FIXADDR_PAGES 64
#define FIXADDR_START (FIXADDR_TOP - FIXADDR_PAGES * PAGE_SIZE)
#define LAST_PKMAP 1024
#define PKMAP_BASE _UL(0xFF800000)
#define PKMAP_END (PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)
#define VMALLOC_END (PKMAP_BASE - 2 * PAGE_SIZE)
/* A gap between the direct map and vmalloc catches overruns of lowmem. */
#define VMALLOC_OFFSET (_UL(8) << 20)
/* Default room kept for vmalloc; the vmalloc= option changes it. */
#define VMALLOC_RESERVE_DEFAULT (_UL(128) << 20)

#ifndef __ASSEMBLER__
#include <pagoda/types.h>

/* The vmalloc area starts a gap above the end of the direct map. */
extern void *high_memory;
#define VMALLOC_START ((unsigned long)high_memory + VMALLOC_OFFSET)

#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va) ((phys_addr_t)((unsigned long)(va) - PAGE_OFFSET))
#endif

#endif
