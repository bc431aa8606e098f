/*
 * Host tests for lib/vsprintf.c.
 *
 * The main test is a property test: a fixed-seed generator builds many
 * random conversion specs (flags, widths, precisions, '*', length
 * modifiers) with random values and buffer sizes, and every result must
 * match glibc's snprintf byte for byte, return value included. The
 * project's output buffers are heap blocks of exactly the given size, so
 * ASan reports any write past them. Explicit tests cover what glibc
 * cannot judge: %p, %pS, "(null)", the "%#x" of zero that follows Linux,
 * unknown conversions, and scnprintf.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "test.h"

/* The project's versions, renamed on the host (see host_names.h). */
int pg_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pg_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pg_vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pg_scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
typedef int (*symbol_resolver_t)(unsigned long addr, char *buf, size_t size);
void vsprintf_set_symbol_resolver(symbol_resolver_t fn);

/* For formats the compiler's printf checker rightly objects to. */
static int fmt_raw(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pg_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static char out[512];

/* Format into out and check both the text and the return value. */
#define EXPECT(want, ...)                                            \
	do {                                                         \
		int _n = pg_snprintf(out, sizeof(out), __VA_ARGS__); \
		CHECK_STR(out, want);                                \
		CHECK_EQ(_n, strlen(want));                          \
	} while (0)

#define EXPECT_RAW(want, ...)                                    \
	do {                                                     \
		int _n = fmt_raw(out, sizeof(out), __VA_ARGS__); \
		CHECK_STR(out, want);                            \
		CHECK_EQ(_n, strlen(want));                      \
	} while (0)

/* Same output as glibc, for formats where C defines the result. */
#define SAME_AS_LIBC(...)                                            \
	do {                                                         \
		char _ref[512];                                      \
		int _r = snprintf(_ref, sizeof(_ref), __VA_ARGS__);  \
		int _n = pg_snprintf(out, sizeof(out), __VA_ARGS__); \
		CHECK_STR(out, _ref);                                \
		CHECK_EQ(_n, _r);                                    \
	} while (0)

/* The same for combinations that -Wformat flags as redundant. */
static int libc_raw(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define SAME_AS_LIBC_RAW(...)                                       \
	do {                                                        \
		char _ref[512];                                     \
		int _r = libc_raw(_ref, sizeof(_ref), __VA_ARGS__); \
		int _n = fmt_raw(out, sizeof(out), __VA_ARGS__);    \
		CHECK_STR(out, _ref);                               \
		CHECK_EQ(_n, _r);                                   \
	} while (0)

/* xorshift64*: fixed seed, so a failure reproduces. */
static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

TEST(basic_conversions)
{
	EXPECT("hello", "hello");
	EXPECT("", "%s", "");
	EXPECT("42 -42 42", "%d %i %u", 42, -42, 42u);
	EXPECT("ff FF 377", "%x %X %o", 255u, 255u, 255u);
	EXPECT("a%b", "a%%b");
	EXPECT("[x]", "[%c]", 'x');
	EXPECT("one two", "%s %s", "one", "two");
	EXPECT("-2147483648", "%d", -2147483647 - 1);
	EXPECT("4294967295", "%u", 4294967295u);
	EXPECT("+5 -5  5", "%+d %+d % d", 5, -5, 5);
	EXPECT_RAW("+5", "%+ d", 5);
}

TEST(sixty_four_bit)
{
	EXPECT("18446744073709551615", "%llu", 18446744073709551615ULL);
	EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT("9223372036854775807", "%lld", (long long)INT64_MAX);
	EXPECT("ffffffffffffffff", "%llx", 18446744073709551615ULL);
	EXPECT("1777777777777777777777", "%llo", 18446744073709551615ULL);
	EXPECT("4294967296", "%llu", 4294967296ULL);
	EXPECT("10000000000000000000", "%llu", 10000000000000000000ULL);
	EXPECT("-1", "%jd", (intmax_t)-1);
	EXPECT("18446744073709551615", "%ju", UINTMAX_MAX);
}

/*
 * The decimal path splits 64-bit values into 32-bit pieces: check every
 * power of ten and of two, and their neighbours, against libc.
 */
TEST(decimal_boundaries)
{
	unsigned long long p = 1;

	for (int k = 0; k < 20; k++, p *= 10) {
		SAME_AS_LIBC("%llu %llu %llu", p - 1, p, p + 1);
		SAME_AS_LIBC("%lld %lld", -(long long)(p - 1), -(long long)p);
	}
	for (int k = 0; k < 64; k++) {
		unsigned long long q = 1ULL << k;

		SAME_AS_LIBC("%llu %llu %llu", q - 1, q, q + 1);
		SAME_AS_LIBC("%llu", ~0ULL - q);
	}
	for (int i = 0; i < 100000; i++) {
		unsigned long long v = rnd() >> rnd_below(64);

		SAME_AS_LIBC("%llu|%llx|%llo", v, v, v);
	}
}

TEST(length_modifiers)
{
	/* Out-of-range ints on purpose: they must be cut to the length. */
	EXPECT_RAW("-1 255", "%hhd %hhu", 255, 255);
	EXPECT_RAW("1 1", "%hhd %hhu", 257, 257);
	EXPECT_RAW("-1 65535", "%hd %hu", 65535, 65535);
	EXPECT_RAW("-32768", "%hd", 32768);
	SAME_AS_LIBC("%ld %lu %lx", -1L, ~0UL, ~0UL);
	SAME_AS_LIBC("%zu %zx %zd", SIZE_MAX, SIZE_MAX, (ptrdiff_t)-7);
	SAME_AS_LIBC("%td %tu %tx", (ptrdiff_t)-5, (ptrdiff_t)-5,
		     (ptrdiff_t)-5);
	SAME_AS_LIBC("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	/* Arguments after a long long must stay in step. */
	EXPECT("1 2 3", "%d %lld %d", 1, 2LL, 3);
	EXPECT("x 18446744073709551615 y", "%c %llu %s", 'x', ~0ULL, "y");
}

/* The column formats the kernel's tables use. */
TEST(table_formats)
{
	SAME_AS_LIBC("%-17s %6lu", "kmalloc-64", 123456UL);
	SAME_AS_LIBC("%-17s %6lu|", "a-much-longer-cache-name", 1234567UL);
	SAME_AS_LIBC("%0*llx", 16, 0xdeadbeefULL);
	SAME_AS_LIBC("%0*llx-%0*llx", 8, 0x100000ULL, 8, 0x7fffffffULL);
	SAME_AS_LIBC("%8lu|%8lu", 0UL, 12345678901UL);
	SAME_AS_LIBC("%#lx", 0xc0100000UL);
	SAME_AS_LIBC("%5lu|%-5lu|%05lu", 42UL, 42UL, 42UL);
	SAME_AS_LIBC("%3d%%", 100);
	SAME_AS_LIBC("%*s|%-*s|", 6, "ab", 6, "cd");
	SAME_AS_LIBC("%.*s|", 3, "abcdef");
	SAME_AS_LIBC_RAW("%08.3d|%-8.3d|%8.3d", 7, -7, 7);
	SAME_AS_LIBC("%#o %#o %#.3o %#5o", 8u, 0u, 8u, 8u);
	SAME_AS_LIBC("%#X %#08x %#-8x|", 0xabcu, 0xabcu, 0xabcu);
}

/* Linux prints the 0x even for zero; C would print a bare "0". */
TEST(alt_hex_zero_like_linux)
{
	EXPECT("0x0", "%#x", 0u);
	EXPECT("0X0", "%#X", 0u);
	EXPECT("0x00000000-0x0009ffff", "%#010lx-%#010lx", 0UL, 0x9ffffUL);
	EXPECT("       0x0", "%#10x", 0u);
	EXPECT("0x0       |", "%#-10x|", 0u);
	EXPECT("0x000", "%#.3x", 0u);
	/* No digits at all (precision 0): nothing to prefix. */
	EXPECT("", "%#.0x", 0u);
	EXPECT("0", "%#o", 0u);
}

TEST(zero_and_precision_corners)
{
	SAME_AS_LIBC("[%.0d][%.0u][%.0x][%5.0d][%-5.0d]", 0, 0u, 0u, 0, 0);
	SAME_AS_LIBC("[%+.0d][% .0d][%#.0o]", 0, 0, 0u);
	SAME_AS_LIBC("[%.0d][%.d]", 1, 0);
	SAME_AS_LIBC_RAW("[%05d][%-05d][%+05d][% 05d]", -42, -42, 42, 42);
	SAME_AS_LIBC("[%*d][%-*d][%*d]", -6, 1, 6, 2, 0, 3);
	SAME_AS_LIBC("[%.*d][%.*d]", -1, 5, 3, 5);
	EXPECT_RAW("[%][z]", "[%5%][%c]", 'z');
	SAME_AS_LIBC("[%5c][%-5c]", 'a', 'b');
	SAME_AS_LIBC("[%.2s][%.10s][%10.2s]", "abcdef", "ab", "abc");
}

TEST(char_nul_is_stored)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = pg_snprintf(buf, sizeof(buf), "a%cb", 0);
	CHECK_EQ(n, 3);
	CHECK(memcmp(buf, "a\0b\0", 4) == 0);
}

TEST(null_string)
{
	/* Through fmt_raw: GCC rightly warns about a literal NULL %s. */
	EXPECT_RAW("(null)", "%s", (char *)NULL);
	EXPECT_RAW("  (null)|(null)  |", "%8s|%-8s|", (char *)NULL,
		   (char *)NULL);
	/* Like Linux: the precision cuts "(null)" too. */
	EXPECT_RAW("(nu", "%.3s", (char *)NULL);
}

/* %s with a precision must not read past it. */
TEST(string_precision_unterminated)
{
	char *raw = malloc(4);

	memcpy(raw, "abcd", 4);
	EXPECT("abcd", "%.4s", raw);
	EXPECT("ab", "%.2s", raw);
	EXPECT("  abc", "%5.3s", raw);
	free(raw);
}

static void hex_of(char *buf, unsigned long v)
{
	sprintf(buf, "0x%0*lx", (int)(2 * sizeof(void *)), v);
}

TEST(pointer)
{
	char want[64], padded[128];

	hex_of(want, 0x1234);
	EXPECT(want, "%p", (void *)0x1234);
	CHECK_EQ(strlen(want), 2 + 2 * sizeof(void *));
	hex_of(want, 0);
	EXPECT(want, "%p", NULL);
	hex_of(want, ~0UL);
	EXPECT(want, "%p", (void *)~0UL);

	hex_of(want, 0xabc);
	snprintf(padded, sizeof(padded), "%24s|", want);
	EXPECT(padded, "%24p|", (void *)0xabc);
	snprintf(padded, sizeof(padded), "%-24s|", want);
	EXPECT(padded, "%-24p|", (void *)0xabc);
}

/* Letters after %p are extensions: eaten, and only S means anything. */
TEST(pointer_extensions_consumed)
{
	char want[128], p[32];

	hex_of(p, 0x10);
	snprintf(want, sizeof(want), "%s!", p);
	EXPECT_RAW(want, "%pX!", (void *)0x10);
	snprintf(want, sizeof(want), "%s d", p);
	EXPECT_RAW(want, "%pabc9 d", (void *)0x10);
	snprintf(want, sizeof(want), "%s-%s.", p, p);
	EXPECT_RAW(want, "%p-%p.", (void *)0x10, (void *)0x10);
	/* %ps is not %pS. */
	snprintf(want, sizeof(want), "<%s>", p);
	EXPECT_RAW(want, "<%ps>", (void *)0x10);
}

static int resolver_calls;
static size_t resolver_size_seen;

/* Knows one function: 0x1000..0x1040 is "do_thing". */
static int test_resolver(unsigned long addr, char *buf, size_t size)
{
	resolver_calls++;
	resolver_size_seen = size;
	if (addr < 0x1000 || addr >= 0x1040)
		return 0;
	return snprintf(buf, size, "do_thing+%#lx/0x40", addr - 0x1000);
}

/* Claims to have stored more than the buffer holds. */
static int lying_resolver(unsigned long addr, char *buf, size_t size)
{
	memset(buf, 'q', size);
	return (int)size + 100;
}

TEST(pointer_symbol)
{
	char want[128], p[32];

	/* No resolver: plain %p. */
	vsprintf_set_symbol_resolver(NULL);
	hex_of(p, 0x1010);
	EXPECT_RAW(p, "%pS", (void *)0x1010);

	vsprintf_set_symbol_resolver(test_resolver);
	resolver_calls = 0;
	EXPECT_RAW("do_thing+0x10/0x40", "%pS", (void *)0x1010);
	CHECK_EQ(resolver_calls, 1);
	CHECK(resolver_size_seen > 0);
	EXPECT_RAW("at do_thing+0x3f/0x40\n", "at %pS\n", (void *)0x103f);
	/* More letters after S are eaten as well. */
	EXPECT_RAW("do_thing+0x1/0x40.", "%pSR.", (void *)0x1001);
	EXPECT_RAW("   do_thing+0x1/0x40|", "%20pS|", (void *)0x1001);
	EXPECT_RAW("do_thing+0x1/0x40   |", "%-20pS|", (void *)0x1001);
	/* Unknown address: back to %p. */
	hex_of(p, 0x2000);
	snprintf(want, sizeof(want), "[%s]", p);
	EXPECT_RAW(want, "[%pS]", (void *)0x2000);
	/* Plain %p never asks the resolver. */
	resolver_calls = 0;
	hex_of(p, 0x1010);
	EXPECT_RAW(p, "%p", (void *)0x1010);
	CHECK_EQ(resolver_calls, 0);

	/* A bad return value must not make us read past its buffer. */
	vsprintf_set_symbol_resolver(lying_resolver);
	CHECK(fmt_raw(out, sizeof(out), "%pS", (void *)0x1010) > 0);
	CHECK(strspn(out, "q") == strlen(out));

	vsprintf_set_symbol_resolver(NULL);
}

TEST(unknown_conversions_literal)
{
	EXPECT_RAW("%q", "%q");
	EXPECT_RAW("a%5.2qb", "a%5.2qb");
	EXPECT_RAW("%lq", "%lq");
	/* Nothing is consumed, so the next conversion gets the argument. */
	EXPECT_RAW("%y5", "%y%d", 5);
	EXPECT_RAW("%f 7", "%f %d", 7);
	/* A format that ends inside a spec. */
	EXPECT_RAW("abc%", "abc%");
	EXPECT_RAW("%-08", "%-08");
	EXPECT_RAW("x%ll", "x%ll");
}

TEST(truncation)
{
	char buf[16];
	int n;

	memset(buf, '#', sizeof(buf));
	n = pg_snprintf(buf, 5, "hello %s", "world");
	CHECK_EQ(n, 11);
	CHECK_STR(buf, "hell");
	for (size_t i = 5; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], '#');

	memset(buf, '#', sizeof(buf));
	n = pg_snprintf(buf, 1, "%d", 12345);
	CHECK_EQ(n, 5);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], '#');

	/* Size 0: nothing written, not even with no buffer at all. */
	memset(buf, '#', sizeof(buf));
	CHECK_EQ(pg_snprintf(buf, 0, "%s", "abc"), 3);
	CHECK_EQ(buf[0], '#');
	CHECK_EQ(pg_snprintf(NULL, 0, "%d-%s", 42, "xyz"), 6);

	/* Exactly fitting, and one short. */
	CHECK_EQ(pg_snprintf(buf, 4, "abc"), 3);
	CHECK_STR(buf, "abc");
	CHECK_EQ(pg_snprintf(buf, 3, "abc"), 3);
	CHECK_STR(buf, "ab");

	/* Long padding into a short buffer. */
	CHECK_EQ(pg_snprintf(buf, sizeof(buf), "%5000d", 1), 5000);
	CHECK_EQ(strlen(buf), sizeof(buf) - 1);
}

TEST(huge_width_is_bounded)
{
	char buf[8];

	/* Clamped rather than overflowing int; still counted exactly. */
	int n = fmt_raw(buf, sizeof(buf), "%99999999999d", 1);

	CHECK(n >= 1000000);
	CHECK_STR(buf, "       ");
}

static int call_vscn(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pg_vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

TEST(scnprintf_returns_stored)
{
	char buf[8];

	CHECK_EQ(pg_scnprintf(buf, sizeof(buf), "%s", "abc"), 3);
	CHECK_STR(buf, "abc");
	CHECK_EQ(pg_scnprintf(buf, sizeof(buf), "%s", "abcdefghij"), 7);
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(pg_scnprintf(buf, 8, "%s", "abcdefg"), 7);
	CHECK_EQ(pg_scnprintf(buf, 1, "%s", "abc"), 0);
	CHECK_STR(buf, "");
	CHECK_EQ(pg_scnprintf(NULL, 0, "%s", "abc"), 0);
	CHECK_EQ(call_vscn(buf, 4, "%d", 123456), 3);
	CHECK_STR(buf, "123");
	CHECK_EQ(call_vscn(buf, sizeof(buf), "%d", 12), 2);

	/* Appending with scnprintf never runs past the end. */
	size_t len = 0;

	for (int i = 0; i < 10; i++)
		len += pg_scnprintf(buf + len, sizeof(buf) - len, "%d,", i);
	CHECK_EQ(len, sizeof(buf) - 1);
	CHECK_STR(buf, "0,1,2,3");
}

/*
 * The property test. Each case is "<text>%<spec><text>" with one
 * conversion, compared with glibc for a random buffer size.
 */
struct gen {
	char fmt[64];
	int stars[2];
	int nstars;
	char conv;
	const char *len;
};

static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};

static const char *const strings[] = {"", "a", "hello", "kmalloc-128",
				      "a rather longer string than most"};

static const char *const texts[] = {"", "", "x", "[", "ab ", "%%", "|"};

static void gen_spec(struct gen *g, bool *alt)
{
	char *f = g->fmt;
	const char *flagset;
	unsigned int nflags;

	g->conv = "diuxXocs"[rnd_below(8)];
	/* C leaves these flags undefined for some conversions: skip them. */
	if (g->conv == 'c' || g->conv == 's')
		flagset = "-";
	else if (g->conv == 'd' || g->conv == 'i' || g->conv == 'u')
		flagset = "-+ 0";
	else
		flagset = "-+ #0";
	*alt = false;
	g->nstars = 0;
	f += sprintf(f, "%s%%", texts[rnd_below(7)]);
	nflags = rnd_below(4);
	for (unsigned int i = 0; i < nflags; i++) {
		*f = flagset[rnd_below(strlen(flagset))];
		if (*f == '#')
			*alt = true;
		f++;
	}
	switch (rnd_below(3)) {
	case 0:
		break;
	case 1:
		f += sprintf(f, "%u", 1 + rnd_below(30));
		break;
	default:
		*f++ = '*';
		g->stars[g->nstars++] = (int)rnd_below(61) - 30;
		break;
	}
	if (g->conv != 'c') {
		switch (rnd_below(4)) {
		case 0:
			break;
		case 1:
			*f++ = '.';
			break;
		case 2:
			f += sprintf(f, ".%u", rnd_below(30));
			break;
		default:
			f += sprintf(f, ".*");
			g->stars[g->nstars++] = (int)rnd_below(36) - 5;
			break;
		}
	}
	g->len =
		(g->conv == 'c' || g->conv == 's') ? "" : lengths[rnd_below(8)];
	f += sprintf(f, "%s%c%s", g->len, g->conv, texts[rnd_below(7)]);
}

static uint64_t gen_value(void)
{
	static const uint64_t special[] = {
		0,
		1,
		0x7f,
		0x80,
		0xff,
		0x100,
		0x7fff,
		0x8000,
		0xffff,
		0x10000,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x100000000ULL,
		0x7fffffffffffffffULL,
		0x8000000000000000ULL,
		~0ULL,
		(uint64_t)-1000,
		1000000000,
		9999999999ULL,
	};

	switch (rnd_below(4)) {
	case 0:
		return special[rnd_below(sizeof(special) / sizeof(special[0]))];
	case 1:
		return rnd() % 2000 - 1000;
	default:
		return rnd() >> rnd_below(64);
	}
}

static int ref_ret, got_ret;
static char ref_buf[512];

#define BOTH(sz, got, ...)                                    \
	do {                                                  \
		ref_ret = snprintf(ref_buf, sz, __VA_ARGS__); \
		got_ret = pg_snprintf(got, sz, __VA_ARGS__);  \
	} while (0)

#define CALL(sz, got, g, type, v)                                             \
	do {                                                                  \
		type _v = (type)(v);                                          \
		if ((g)->nstars == 0)                                         \
			BOTH(sz, got, (g)->fmt, _v);                          \
		else if ((g)->nstars == 1)                                    \
			BOTH(sz, got, (g)->fmt, (g)->stars[0], _v);           \
		else                                                          \
			BOTH(sz, got, (g)->fmt, (g)->stars[0], (g)->stars[1], \
			     _v);                                             \
	} while (0)

static void run_case(struct gen *g, uint64_t v, size_t sz, char *got)
{
	bool is_signed = g->conv == 'd' || g->conv == 'i';
	const char *l = g->len;

	if (g->conv == 's')
		CALL(sz, got, g, const char *,
		     strings[v % (sizeof(strings) / sizeof(strings[0]))]);
	else if (g->conv == 'c')
		CALL(sz, got, g, int, ' ' + v % 95);
	else if (!*l || l[0] == 'h')
		CALL(sz, got, g, int, v); /* promoted, then cut by printf */
	else if (!strcmp(l, "l") && is_signed)
		CALL(sz, got, g, long, v);
	else if (!strcmp(l, "l"))
		CALL(sz, got, g, unsigned long, v);
	else if (!strcmp(l, "ll") && is_signed)
		CALL(sz, got, g, long long, v);
	else if (!strcmp(l, "ll"))
		CALL(sz, got, g, unsigned long long, v);
	else if (!strcmp(l, "z") && !is_signed)
		CALL(sz, got, g, size_t, v);
	else if (!strcmp(l, "z") || !strcmp(l, "t"))
		CALL(sz, got, g, ptrdiff_t, v);
	else if (is_signed)
		CALL(sz, got, g, intmax_t, v);
	else
		CALL(sz, got, g, uintmax_t, v);
}

TEST(random_specs_match_libc)
{
	int mismatches = 0;

	for (int i = 0; i < 200000 && mismatches < 10; i++) {
		struct gen g;
		bool alt;
		uint64_t v;
		size_t sz;
		char *got;

		gen_spec(&g, &alt);
		v = gen_value();
		/* "%#x" of zero deliberately differs: see its own test. */
		if (alt && (g.conv == 'x' || g.conv == 'X'))
			v |= 1;
		/* Mostly room to spare; sometimes a cut, or no room at all. */
		sz = rnd_below(4) ? 200 : rnd_below(40);
		got = malloc(sz);
		run_case(&g, v, sz, got);
		if (got_ret != ref_ret ||
		    (sz && memcmp(got, ref_buf, strlen(ref_buf) + 1) != 0)) {
			fprintf(stderr,
				"  fmt \"%s\" stars %d %d v %#llx size %zu: "
				"libc %d \"%s\", got %d \"%.*s\"\n",
				g.fmt, g.nstars > 0 ? g.stars[0] : 0,
				g.nstars > 1 ? g.stars[1] : 0,
				(unsigned long long)v, sz, ref_ret, ref_buf,
				got_ret, (int)(sz ? strnlen(got, sz) : 0),
				sz ? got : "");
			mismatches++;
		}
		free(got);
	}
	CHECK_EQ(mismatches, 0);
}

TEST_MAIN()
