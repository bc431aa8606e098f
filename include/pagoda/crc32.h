/*
 * CRC-32 (lib/crc32.c): the IEEE 802.3 checksum of Ethernet, zlib, gzip
 * and PNG, so that a sum printed by the kernel can be compared with one
 * computed by any host tool (python3 -c 'import zlib; ...').
 */
#ifndef PAGODA_CRC32_H
#define PAGODA_CRC32_H

#include <pagoda/types.h>

/*
 * The CRC of buf[0..len) continuing from crc, which is 0 to start (or
 * the result of an earlier call over the bytes just before buf, so a
 * stream can be summed in pieces). Same values as zlib's crc32():
 * crc32_le(0, "123456789", 9) == 0xcbf43926.
 */
u32 crc32_le(u32 crc, const void *buf, size_t len);

#endif
