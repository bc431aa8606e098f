/*
 * Host stand-in for arch/<arch>/include/asm/page.h. "Physical memory"
 * is an arena a test allocates; physical address 0 is its first byte.
 */
#ifndef HOST_ASM_PAGE_H
#define HOST_ASM_PAGE_H

#include <pagoda/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define SMP_CACHE_BYTES 64

/*
 * A pretend vmalloc area and fixmap, far from any real host address:
 * tests/host/fake_pgtable.c backs mappings there with plain records.
 */
#define VMALLOC_START 0x100000000000UL
#define VMALLOC_END 0x100040000000UL /* 1 GiB */
#define FIXADDR_PAGES 64
#define PKMAP_BASE 0x100080000000UL
#define LAST_PKMAP 1024

extern char *host_phys_base;
#define __va(pa) ((void *)(host_phys_base + (uintptr_t)(pa)))
#define __pa(va) ((phys_addr_t)((char *)(va) - host_phys_base))

#endif
