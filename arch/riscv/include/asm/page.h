/*
 * riscv64 (Sv39) memory constants and the direct map. Physical address
 * p maps at PAGE_OFFSET + p; the kernel image runs at KERNEL_VIRT_BASE,
 * in the top 2 GiB, where the medany code model can reach it.
 */
#ifndef ASM_RISCV_PAGE_H
#define ASM_RISCV_PAGE_H

#include <pagoda/const.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (_UL(1) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define SMP_CACHE_BYTES 64

#define PAGE_OFFSET _UL(0xffffffd600000000)
#define KERNEL_VIRT_BASE _UL(0xffffffff80000000)

/*
 * The kernel half of Sv39, low to high. vmalloc ends 4 GiB below the
 * direct map so an overrun of one cannot land in the other.
 */
#define PKMAP_BASE _UL(0xffffffc400000000)
#define LAST_PKMAP 1024
#define PKMAP_END (PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)
#define FIXADDR_START _UL(0xffffffc500000000)
#define FIXADDR_PAGES 64
#define FIXADDR_TOP (FIXADDR_START + FIXADDR_PAGES * PAGE_SIZE)
#define VMALLOC_START _UL(0xffffffc600000000)
#define VMALLOC_END _UL(0xffffffd500000000)

/*
 * How much RAM the direct map covers by default, counted from the start
 * of RAM: 896 MiB, as much as an i386 kernel maps. RAM above it becomes
 * ZONE_HIGHMEM, reached through kmap, so a 64-bit machine shows the same
 * three zones as a 32-bit one (Linux maps everything on 64-bit; lowmem=
 * moves the line, lowmem=64G maps it all).
 */
#define DIRECT_MAP_DEFAULT (_UL(896) << 20)

/*
 * ZONE_DMA here is the first 16 MiB of RAM, wherever RAM starts (QEMU's
 * virt machine puts it at 2 GiB): a stand-in for devices with a short
 * address reach, so the zone exists on this machine too.
 */
#define DMA_ZONE_BYTES (_UL(16) << 20)

#ifndef __ASSEMBLER__
#include <pagoda/types.h>

/* pa - va for the kernel image, set by head.S. */
extern unsigned long kernel_va_pa_offset;

#define __va(pa) ((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)                                                  \
	((phys_addr_t)((unsigned long)(va) >= KERNEL_VIRT_BASE ?   \
			       (unsigned long)(va) -               \
				       kernel_va_pa_offset :       \
			       (unsigned long)(va) - PAGE_OFFSET))
#endif

#endif
