/*
 * Fixed-width types used all over the kernel, with Linux's short names.
 * Only the compiler's freestanding headers are used, so the same code
 * builds for the kernel and for the host test programs.
 */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

/*
 * Physical addresses are 64-bit on every architecture: the firmware's
 * memory map describes RAM above 4 GiB even on i386, and bootmem must be
 * able to say "this exists but I cannot reach it".
 */
typedef u64 phys_addr_t;

#endif
