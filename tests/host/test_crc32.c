/*
 * Host tests for lib/crc32.c.
 *
 * Known check values from the CRC catalogue and zlib (the empty string,
 * "123456789", the quick brown fox, runs of zeros and ones), then two
 * properties over random data: summing in random pieces gives the
 * one-shot result, and the table-driven code agrees with the plain
 * bit-at-a-time definition written out below.
 */
#include <stdint.h>

#include <pagoda/crc32.h>

#include "test.h"

/* xorshift64*: fixed seed, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t rnd_below(size_t n)
{
	return n ? rnd() % n : 0;
}

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = (unsigned char)rnd();
}

/* The definition, one bit at a time: nothing shared with lib/crc32.c. */
static uint32_t crc32_bitwise(uint32_t crc, const unsigned char *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

static uint32_t crc_str(const char *s)
{
	return crc32_le(0, s, strlen(s));
}

TEST(known_vectors)
{
	unsigned char buf[32];

	CHECK_EQ(crc32_le(0, "", 0), 0);
	CHECK_EQ(crc32_le(0, NULL, 0), 0);
	CHECK_EQ(crc_str("a"), 0xe8b7be43u);
	CHECK_EQ(crc_str("abc"), 0x352441c2u);
	CHECK_EQ(crc_str("123456789"), 0xcbf43926u);
	CHECK_EQ(crc_str("The quick brown fox jumps over the lazy dog"),
		 0x414fa339u);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(crc32_le(0, buf, 32), 0x190a55adu);
	memset(buf, 0xff, sizeof(buf));
	CHECK_EQ(crc32_le(0, buf, 32), 0xff6cab0bu);
	/* An empty piece changes nothing, whatever the running value. */
	CHECK_EQ(crc32_le(0xcbf43926u, "", 0), 0xcbf43926u);
}

TEST(incremental_equals_one_shot)
{
	enum { SIZE = 4096 };
	unsigned char *buf = malloc(SIZE);

	fill_random(buf, SIZE);
	for (int round = 0; round < 500; round++) {
		size_t len = rnd_below(SIZE + 1), done = 0;
		uint32_t whole = crc32_le(0, buf, len), crc = 0;

		while (done < len) {
			size_t piece = rnd_below(len - done + 1);

			crc = crc32_le(crc, buf + done, piece);
			done += piece;
		}
		CHECK_EQ(crc, whole);
	}
	free(buf);
}

TEST(matches_bitwise_reference)
{
	enum { SIZE = 2048 };

	for (int round = 0; round < 500; round++) {
		size_t len = rnd_below(SIZE + 1);
		size_t off = rnd_below(8); /* any alignment */
		/* Exact-size heap buffer: ASan sees a read past the end. */
		unsigned char *buf = malloc(len + off + 1);
		uint32_t seed = round % 4 ? 0 : (uint32_t)rnd();

		fill_random(buf + off, len);
		CHECK_EQ(crc32_le(seed, buf + off, len),
			 crc32_bitwise(seed, buf + off, len));
		free(buf);
	}
}

/* The residue: appending a message's CRC (little-endian) gives a constant. */
TEST(residue)
{
	unsigned char buf[64 + 4];

	for (int round = 0; round < 50; round++) {
		size_t len = rnd_below(65);
		uint32_t c;

		fill_random(buf, len);
		c = crc32_le(0, buf, len);
		for (int i = 0; i < 4; i++)
			buf[len + i] = (unsigned char)(c >> (8 * i));
		CHECK_EQ(crc32_le(0, buf, len + 4), 0x2144df1cu);
	}
}

TEST_MAIN()
