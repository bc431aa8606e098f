/*
 * Host tests for lib/string.c, lib/kstrtox.c and lib/errname.c.
 *
 * The mem* and str* functions are checked against libc (or, for strlcpy,
 * which this libc lacks, against a two-line model) over random sizes,
 * alignments and overlaps; every check compares whole buffers, so a byte
 * written outside the destination shows up as a mismatch, and the
 * exact-size heap buffers let ASan catch reads past the ends. The number
 * parsers get hand-picked edge cases: type-width boundaries, prefixes,
 * signs, trailing newlines and junk.
 */
#include <stdbool.h>
#include <stdint.h>
#include <pagoda/errno.h>
#include "test.h"

/* The project's versions, renamed on the host (see host_names.h). */
void *pg_memset(void *s, int c, size_t n);
void *pg_memcpy(void *dst, const void *src, size_t n);
void *pg_memmove(void *dst, const void *src, size_t n);
int pg_memcmp(const void *a, const void *b, size_t n);
void *pg_memchr(const void *s, int c, size_t n);
size_t pg_strlen(const char *s);
size_t pg_strnlen(const char *s, size_t max);
int pg_strcmp(const char *a, const char *b);
int pg_strncmp(const char *a, const char *b, size_t n);
char *pg_strchr(const char *s, int c);
char *pg_strrchr(const char *s, int c);
size_t pg_strlcpy(char *dst, const char *src, size_t size);
bool str_has_prefix(const char *s, const char *prefix);

int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtobool(const char *s, bool *res);
unsigned long long memparse(const char *s, char **end);
int kstrtosize(const char *s, unsigned long long *res);

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

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

#define AREA 1024

/* Sizes around the word and unrolled-loop boundaries matter most. */
static size_t rnd_size(void)
{
	switch (rnd() % 4) {
	case 0:
		return rnd_below(17);
	case 1:
		return rnd_below(70);
	default:
		return rnd_below(AREA / 2);
	}
}

TEST(memset_random)
{
	static unsigned char got[AREA], want[AREA];

	for (int i = 0; i < 20000; i++) {
		size_t off = rnd_below(16), n = rnd_size();
		/* Values past 255 must be cut to their low byte. */
		int c = (int)rnd_below(0x300) - 0x100;
		void *ret;

		fill_random(got, AREA);
		memcpy(want, got, AREA);
		memset(want + off, c, n);
		ret = pg_memset(got + off, c, n);
		CHECK(ret == got + off);
		if (memcmp(got, want, AREA) != 0) {
			fprintf(stderr, "  memset off %zu n %zu c %d\n", off, n,
				c);
			CHECK(0);
			return;
		}
	}
}

TEST(memcpy_random)
{
	static unsigned char src[AREA], got[AREA], want[AREA];

	for (int i = 0; i < 20000; i++) {
		size_t soff = rnd_below(16), doff = rnd_below(16);
		size_t n = rnd_size();
		void *ret;

		fill_random(src, AREA);
		fill_random(got, AREA);
		memcpy(want, got, AREA);
		memcpy(want + doff, src + soff, n);
		ret = pg_memcpy(got + doff, src + soff, n);
		CHECK(ret == got + doff);
		if (memcmp(got, want, AREA) != 0) {
			fprintf(stderr, "  memcpy soff %zu doff %zu n %zu\n",
				soff, doff, n);
			CHECK(0);
			return;
		}
	}
}

/* Exactly sized heap blocks: ASan reports any access past either end. */
TEST(memcpy_memset_exact_blocks)
{
	for (size_t n = 0; n < 200; n++) {
		unsigned char *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);

		fill_random(a, n);
		pg_memset(b, 0x5a, n);
		for (size_t k = 0; k < n; k++)
			CHECK_EQ(b[k], 0x5a);
		pg_memcpy(b, a, n);
		CHECK(memcmp(a, b, n) == 0);
		fill_random(a, n);
		pg_memmove(b, a, n);
		CHECK(memcmp(a, b, n) == 0);
		free(a);
		free(b);
	}
}

TEST(memmove_overlap_random)
{
	static unsigned char got[AREA], want[AREA];

	for (int i = 0; i < 40000; i++) {
		size_t n = rnd_size();
		size_t src = rnd_below(AREA - n + 1), dst;
		void *ret;

		/* Mostly overlapping moves, in both directions. */
		if (rnd() % 4) {
			size_t lo = src > n ? src - n : 0;
			size_t hi = src + n < AREA - n ? src + n : AREA - n;

			dst = lo + rnd_below(hi - lo + 1);
		} else {
			dst = rnd_below(AREA - n + 1);
		}
		fill_random(got, AREA);
		memcpy(want, got, AREA);
		memmove(want + dst, want + src, n);
		ret = pg_memmove(got + dst, got + src, n);
		CHECK(ret == got + dst);
		if (memcmp(got, want, AREA) != 0) {
			fprintf(stderr, "  memmove src %zu dst %zu n %zu\n",
				src, dst, n);
			CHECK(0);
			return;
		}
	}
}

TEST(memmove_large_same_alignment)
{
	static unsigned char got[8192], want[8192];

	/* Long overlapping runs go through the unrolled word loops. */
	for (size_t shift = 0; shift < 40; shift++) {
		fill_random(got, sizeof(got));
		memcpy(want, got, sizeof(got));
		memmove(want + shift, want, 8000);
		pg_memmove(got + shift, got, 8000);
		CHECK(memcmp(got, want, sizeof(got)) == 0);
		memmove(want, want + shift, 8000);
		pg_memmove(got, got + shift, 8000);
		CHECK(memcmp(got, want, sizeof(got)) == 0);
	}
}

TEST(memcmp_random)
{
	static unsigned char a[AREA], b[AREA];

	for (int i = 0; i < 20000; i++) {
		size_t n = rnd_size(), oa = rnd_below(8), ob = rnd_below(8);

		fill_random(a + oa, n);
		memcpy(b + ob, a + oa, n);
		/* Sometimes a difference, often in a high (signed) byte. */
		if (n && rnd() % 4) {
			size_t k = rnd_below(n);

			b[ob + k] = (unsigned char)rnd();
		}
		CHECK_EQ(sign(pg_memcmp(a + oa, b + ob, n)),
			 sign(memcmp(a + oa, b + ob, n)));
	}
	CHECK(pg_memcmp("\x80", "\x7f", 1) > 0);
	CHECK(pg_memcmp("abc", "abd", 0) == 0);
}

TEST(memchr_random)
{
	static unsigned char buf[AREA];

	for (int i = 0; i < 20000; i++) {
		size_t n = rnd_size(), off = rnd_below(8);
		int c = (int)rnd_below(0x200);

		for (size_t k = 0; k < n; k++)
			buf[off + k] = (unsigned char)rnd_below(24) + 'a';
		if (n && rnd() % 2)
			buf[off + rnd_below(n)] = (unsigned char)c;
		CHECK(pg_memchr(buf + off, c, n) == memchr(buf + off, c, n));
	}
	CHECK(pg_memchr("ab\xff", 0xff, 3) != NULL);
	CHECK(pg_memchr("ab\xff", -1, 3) != NULL);
	CHECK(pg_memchr("abc", 'c', 2) == NULL);
}

/* A random string over a small alphabet, so that prefixes often match. */
static void rnd_string(char *s, size_t len)
{
	static const char alphabet[] = "aab\xff\x80";

	for (size_t k = 0; k < len; k++)
		s[k] = alphabet[rnd_below(sizeof(alphabet) - 1)];
	s[len] = '\0';
}

TEST(strlen_strnlen)
{
	static char buf[AREA];

	for (int i = 0; i < 5000; i++) {
		size_t off = rnd_below(16), len = rnd_size();
		size_t max = rnd_below(len + 10);

		rnd_string(buf + off, len);
		CHECK_EQ(pg_strlen(buf + off), len);
		CHECK_EQ(pg_strnlen(buf + off, max), strnlen(buf + off, max));
	}
	CHECK_EQ(pg_strlen(""), 0);
	CHECK_EQ(pg_strnlen("", 5), 0);
	CHECK_EQ(pg_strnlen("abc", 0), 0);
	/* strnlen must not look past max: this array has no terminator. */
	char raw[4] = {'a', 'b', 'c', 'd'};

	CHECK_EQ(pg_strnlen(raw, 4), 4);
}

TEST(strcmp_strncmp_random)
{
	char a[40], b[40];

	for (int i = 0; i < 50000; i++) {
		size_t n = rnd_below(12);

		rnd_string(a, rnd_below(8));
		rnd_string(b, rnd_below(8));
		if (rnd() % 2)
			strcpy(b, a);
		if (rnd() % 3 == 0 && strlen(b))
			b[rnd_below(strlen(b))] = 'z';
		CHECK_EQ(sign(pg_strcmp(a, b)), sign(strcmp(a, b)));
		CHECK_EQ(sign(pg_strncmp(a, b, n)), sign(strncmp(a, b, n)));
	}
	CHECK(pg_strcmp("\xff", "a") > 0);
	CHECK(pg_strcmp("ab", "abc") < 0);
	CHECK(pg_strncmp("abX", "abY", 2) == 0);
	CHECK(pg_strncmp("ab", "ab\0x", 10) == 0);
}

TEST(strchr_strrchr_random)
{
	char s[64];

	for (int i = 0; i < 20000; i++) {
		static const int cs[] = {'a', 'b', '\xff',     0xff,
					 0,   'z', 0x100 + 'a'};
		int c = cs[rnd_below(sizeof(cs) / sizeof(cs[0]))];

		rnd_string(s, rnd_below(40));
		CHECK(pg_strchr(s, c) == strchr(s, c));
		CHECK(pg_strrchr(s, c) == strrchr(s, c));
	}
	const char *t = "hello";

	CHECK(pg_strchr(t, 0) == t + 5);
	CHECK(pg_strrchr(t, 0) == t + 5);
	CHECK(pg_strchr(t, 'l') == t + 2);
	CHECK(pg_strrchr(t, 'l') == t + 3);
	CHECK(pg_strchr(t, 'x') == NULL);
	CHECK(pg_strrchr("", 'x') == NULL);
}

TEST(strlcpy_model)
{
	char src[64], dst[80], want[80];

	for (int i = 0; i < 20000; i++) {
		size_t len = rnd_below(40), size = rnd_below(len + 4);

		rnd_string(src, len);
		fill_random((unsigned char *)dst, sizeof(dst));
		memcpy(want, dst, sizeof(dst));
		/* The model: copy what fits, always terminate when size > 0. */
		if (size) {
			size_t n = len < size - 1 ? len : size - 1;

			memcpy(want, src, n);
			want[n] = '\0';
		}
		CHECK_EQ(pg_strlcpy(dst, src, size), len);
		CHECK(memcmp(dst, want, sizeof(dst)) == 0);
	}
	/* size 0 may come with no buffer at all. */
	CHECK_EQ(pg_strlcpy(NULL, "abc", 0), 3);
}

TEST(str_has_prefix)
{
	CHECK(str_has_prefix("console=ttyS0", "console="));
	CHECK(str_has_prefix("abc", ""));
	CHECK(str_has_prefix("", ""));
	CHECK(str_has_prefix("abc", "abc"));
	CHECK(!str_has_prefix("ab", "abc"));
	CHECK(!str_has_prefix("abd", "abc"));
	CHECK(!str_has_prefix("", "a"));
}

/* Parse s, expecting ret and (on success) val. */
#define ULL_CASE(s, base, ret, val)                                          \
	do {                                                                 \
		unsigned long long _r = 0x5a5a5a5a;                          \
		CHECK_EQ(kstrtoull(s, base, &_r), ret);                      \
		CHECK_EQ(_r,                                                 \
			 (ret) ? 0x5a5a5a5aULL : (unsigned long long)(val)); \
	} while (0)

TEST(kstrtoull_cases)
{
	ULL_CASE("0", 0, 0, 0);
	ULL_CASE("00", 0, 0, 0);
	ULL_CASE("42", 10, 0, 42);
	ULL_CASE("+42", 10, 0, 42);
	ULL_CASE("42\n", 10, 0, 42);
	ULL_CASE("010", 0, 0, 8);
	ULL_CASE("010", 10, 0, 10);
	ULL_CASE("0x1f", 0, 0, 31);
	ULL_CASE("0X1F", 0, 0, 31);
	ULL_CASE("0x1f", 16, 0, 31);
	ULL_CASE("1f", 16, 0, 31);
	ULL_CASE("777", 8, 0, 0777);
	ULL_CASE("z", 36, 0, 35);
	ULL_CASE("101", 2, 0, 5);
	ULL_CASE("18446744073709551615", 10, 0, UINT64_MAX);
	ULL_CASE("0xffffffffffffffff", 0, 0, UINT64_MAX);
	ULL_CASE("01777777777777777777777", 0, 0, UINT64_MAX);
	ULL_CASE("4294967296", 10, 0, 4294967296ULL);

	ULL_CASE("18446744073709551616", 10, -ERANGE, 0);
	ULL_CASE("0x10000000000000000", 0, -ERANGE, 0);
	ULL_CASE("02000000000000000000000", 0, -ERANGE, 0);
	ULL_CASE("99999999999999999999999", 10, -ERANGE, 0);

	ULL_CASE("", 10, -EINVAL, 0);
	ULL_CASE("\n", 10, -EINVAL, 0);
	ULL_CASE("+", 10, -EINVAL, 0);
	ULL_CASE("-1", 10, -EINVAL, 0);
	ULL_CASE("-0", 10, -EINVAL, 0);
	ULL_CASE("++1", 10, -EINVAL, 0);
	ULL_CASE(" 1", 10, -EINVAL, 0);
	ULL_CASE("1 ", 10, -EINVAL, 0);
	ULL_CASE("1\n\n", 10, -EINVAL, 0);
	ULL_CASE("12a", 10, -EINVAL, 0);
	ULL_CASE("0x", 0, -EINVAL, 0);
	ULL_CASE("0x", 16, -EINVAL, 0);
	ULL_CASE("0xg", 0, -EINVAL, 0);
	ULL_CASE("08", 0, -EINVAL, 0);
	ULL_CASE("0x1f", 10, -EINVAL, 0);
	ULL_CASE("1", 1, -EINVAL, 0);
	ULL_CASE("1", 37, -EINVAL, 0);
	ULL_CASE(NULL, 10, -EINVAL, 0);
}

TEST(kstrtoul_width)
{
	unsigned long v = 7;

	CHECK_EQ(kstrtoul("4294967295", 10, &v), 0);
	CHECK_EQ(v, 4294967295UL);
	/* 2^32 fits only where unsigned long is 64 bits wide. */
	if (sizeof(unsigned long) == 4) {
		CHECK_EQ(kstrtoul("4294967296", 10, &v), -ERANGE);
	} else {
		CHECK_EQ(kstrtoul("4294967296", 10, &v), 0);
		CHECK_EQ(v, 4294967296ULL);
		CHECK_EQ(kstrtoul("0xffffffffffffffff", 16, &v), 0);
		CHECK(v == ~0UL);
	}
	CHECK_EQ(kstrtoul("18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoul("-1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoul("0x", 0, &v), -EINVAL);
}

TEST(kstrtouint_cases)
{
	unsigned int v = 7;

	CHECK_EQ(kstrtouint("4294967295", 10, &v), 0);
	CHECK_EQ(v, 4294967295U);
	CHECK_EQ(kstrtouint("0xffffffff", 0, &v), 0);
	CHECK_EQ(v, 0xffffffffU);
	v = 7;
	CHECK_EQ(kstrtouint("4294967296", 10, &v), -ERANGE);
	CHECK_EQ(kstrtouint("0x100000000", 0, &v), -ERANGE);
	CHECK_EQ(kstrtouint("18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(v, 7);
	CHECK_EQ(kstrtouint("12\n", 10, &v), 0);
	CHECK_EQ(v, 12);
	CHECK_EQ(kstrtouint("12x", 10, &v), -EINVAL);
}

TEST(kstrtoint_cases)
{
	int v = 7;

	CHECK_EQ(kstrtoint("2147483647", 10, &v), 0);
	CHECK_EQ(v, 2147483647);
	CHECK_EQ(kstrtoint("-2147483648", 10, &v), 0);
	CHECK_EQ(v, -2147483647 - 1);
	CHECK_EQ(kstrtoint("-0", 10, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(kstrtoint("+5", 10, &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(kstrtoint("-10\n", 10, &v), 0);
	CHECK_EQ(v, -10);
	CHECK_EQ(kstrtoint("-0x10", 0, &v), 0);
	CHECK_EQ(v, -16);
	CHECK_EQ(kstrtoint("-010", 0, &v), 0);
	CHECK_EQ(v, -8);
	v = 7;
	CHECK_EQ(kstrtoint("2147483648", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoint("-2147483649", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoint("4294967295", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoint("18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoint("-18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoint("-", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoint("--1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoint("-+1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoint("+-1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoint("", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoint("1.5", 10, &v), -EINVAL);
	CHECK_EQ(v, 7);
}

TEST(kstrtobool_cases)
{
	static const char *const yes[] = {"y",	"Y",  "1",   "on",
					  "ON", "oN", "yes", "1\n"};
	static const char *const no[] = {"n",	"N",  "0",  "off",
					 "OFF", "of", "no", "0\n"};
	static const char *const bad[] = {"",  "o", "ox", "x",
					  "2", "t", "\n", " y"};
	bool b;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		CHECK_EQ(kstrtobool(yes[i], &b), 0);
		CHECK(b == true);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		CHECK_EQ(kstrtobool(no[i], &b), 0);
		CHECK(b == false);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = true;
		CHECK_EQ(kstrtobool(bad[i], &b), -EINVAL);
		CHECK(b == true);
	}
	CHECK_EQ(kstrtobool(NULL, &b), -EINVAL);
}

/* memparse(s): expect val and that rest is what is left. */
#define MEMPARSE_CASE(s, val, rest)                           \
	do {                                                  \
		const char *_s = (s);                         \
		char *_end = NULL;                            \
		CHECK_EQ(memparse(_s, &_end), val);           \
		CHECK_STR(_end, rest);                        \
		CHECK(_end >= _s && _end <= _s + strlen(_s)); \
	} while (0)

TEST(memparse_cases)
{
	MEMPARSE_CASE("0", 0, "");
	MEMPARSE_CASE("4096", 4096, "");
	MEMPARSE_CASE("4k", 4096, "");
	MEMPARSE_CASE("4K", 4096, "");
	MEMPARSE_CASE("128M", 128ULL << 20, "");
	MEMPARSE_CASE("128m", 128ULL << 20, "");
	MEMPARSE_CASE("3G", 3ULL << 30, "");
	MEMPARSE_CASE("3g", 3ULL << 30, "");
	MEMPARSE_CASE("0x10K", 16 << 10, "");
	MEMPARSE_CASE("010", 8, "");
	MEMPARSE_CASE("64M@16M", 64ULL << 20, "@16M");
	MEMPARSE_CASE("12Kb", 12 << 10, "b");
	MEMPARSE_CASE("12abc", 12, "abc");
	MEMPARSE_CASE("1T", 1, "T");
	MEMPARSE_CASE("0x", 0, "x");
	MEMPARSE_CASE("abc", 0, "abc");
	MEMPARSE_CASE("", 0, "");
	MEMPARSE_CASE("-1", 0, "-1");
	MEMPARSE_CASE("18446744073709551615", UINT64_MAX, "");
	/* Overflow saturates, in the number and in the suffix. */
	MEMPARSE_CASE("18446744073709551616", UINT64_MAX, "");
	MEMPARSE_CASE("99999999999999999999999K,", UINT64_MAX, ",");
	MEMPARSE_CASE("17179869183G", 17179869183ULL << 30, "");
	MEMPARSE_CASE("17179869184G", UINT64_MAX, "");
	MEMPARSE_CASE("0x40000000000000K", UINT64_MAX, "");
	MEMPARSE_CASE("0x3fffffffffffffK", 0x3fffffffffffffULL << 10, "");
	CHECK_EQ(memparse("2M", NULL), 2 << 20);
}

TEST(kstrtosize_cases)
{
	unsigned long long v = 7;

	CHECK_EQ(kstrtosize("128M", &v), 0);
	CHECK_EQ(v, 128ULL << 20);
	CHECK_EQ(kstrtosize("0x1000", &v), 0);
	CHECK_EQ(v, 4096);
	CHECK_EQ(kstrtosize("2G\n", &v), 0);
	CHECK_EQ(v, 2ULL << 30);
	CHECK_EQ(kstrtosize("18446744073709551615", &v), 0);
	CHECK(v == UINT64_MAX);
	v = 7;
	CHECK_EQ(kstrtosize("17179869184G", &v), -ERANGE);
	CHECK_EQ(kstrtosize("18446744073709551616", &v), -ERANGE);
	CHECK_EQ(kstrtosize("", &v), -EINVAL);
	CHECK_EQ(kstrtosize("M", &v), -EINVAL);
	CHECK_EQ(kstrtosize("12X", &v), -EINVAL);
	CHECK_EQ(kstrtosize("12MB", &v), -EINVAL);
	CHECK_EQ(kstrtosize("-1", &v), -EINVAL);
	CHECK_EQ(kstrtosize("+1", &v), -EINVAL);
	CHECK_EQ(kstrtosize(" 1", &v), -EINVAL);
	CHECK_EQ(kstrtosize("0x", &v), -EINVAL);
	CHECK_EQ(kstrtosize(NULL, &v), -EINVAL);
	CHECK_EQ(v, 7);
}

/* Checks both signs of e and counts it. */
#define CHECK_NAME(e)                         \
	do {                                  \
		CHECK_STR(errname(e), #e);    \
		CHECK_STR(errname(-(e)), #e); \
		listed++;                     \
	} while (0)

TEST(errname_all)
{
	int listed = 0, known = 0;

	CHECK_NAME(EPERM);
	CHECK_NAME(ENOENT);
	CHECK_NAME(EIO);
	CHECK_NAME(ENXIO);
	CHECK_NAME(E2BIG);
	CHECK_NAME(EBADF);
	CHECK_NAME(EAGAIN);
	CHECK_NAME(ENOMEM);
	CHECK_NAME(EFAULT);
	CHECK_NAME(EBUSY);
	CHECK_NAME(EEXIST);
	CHECK_NAME(ENODEV);
	CHECK_NAME(ENOTDIR);
	CHECK_NAME(EISDIR);
	CHECK_NAME(EINVAL);
	CHECK_NAME(ENFILE);
	CHECK_NAME(ENOTTY);
	CHECK_NAME(EFBIG);
	CHECK_NAME(ENOSPC);
	CHECK_NAME(ESPIPE);
	CHECK_NAME(ERANGE);
	CHECK_NAME(ENAMETOOLONG);
	CHECK_NAME(ENOSYS);
	CHECK_NAME(EOVERFLOW);
	/* Nothing else has a name. */
	for (int e = -200; e <= 200; e++) {
		if (errname(e))
			known++;
	}
	CHECK_EQ(known, 2 * listed);
	CHECK(errname(0) == NULL);
	CHECK(errname(3) == NULL);
	CHECK(errname(-2147483647 - 1) == NULL);
	CHECK(errname(2147483647) == NULL);
}

TEST_MAIN()
