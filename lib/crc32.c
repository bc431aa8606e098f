/*
 * CRC-32, table-driven, as zlib computes it.
 *
 * The polynomial is IEEE 802.3's, used bit-reversed (0xedb88320) so that
 * the least significant bit of each byte goes in first, as Ethernet
 * sends it: one step shifts the remainder right and XORs the polynomial
 * in when a 1 falls off. Eight such steps for a byte depend only on the
 * low byte of the remainder XOR the data byte, so they are done once
 * for each of the 256 values and kept in a table; a byte then costs a
 * lookup, a shift and an XOR.
 *
 * The register starts at all ones and is inverted at the end (so that
 * leading zero bytes change the sum); crc32_le() undoes the final
 * inversion on entry, which is what lets a caller pass the previous
 * result back in and sum a stream in pieces.
 */
#include <pagoda/crc32.h>

#define CRC32_POLY_LE 0xedb88320u

static u32 crc32_table[256];
static bool crc32_table_ready;

/* Built on first use: no init call to forget, and only 1 KiB of bss. */
static void crc32_build_table(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? CRC32_POLY_LE : 0);
		crc32_table[i] = c;
	}
	crc32_table_ready = true;
}

u32 crc32_le(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	if (!crc32_table_ready)
		crc32_build_table();
	crc = ~crc;
	while (len--)
		crc = crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
