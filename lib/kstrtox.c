/*
 * Turning text into numbers: the kstrto* family for kernel parameters and
 * anything else that must reject bad input, and memparse/kstrtosize for
 * sizes such as "128M".
 *
 * The rules follow Linux, so that command lines written for it behave the
 * same: base 0 picks hex for "0x", octal for a leading "0", decimal
 * otherwise; unsigned parsers accept a leading '+' but no '-'; one
 * trailing newline is allowed (text written from a shell usually ends in
 * one); overflow is -ERANGE, anything else malformed is -EINVAL.
 */
#include <pagoda/compiler.h>
#include <pagoda/errno.h>
#include <pagoda/string.h>

#define ULLONG_MAX_ (~0ULL)

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36; /* larger than any base */
}

static bool is_xdigit(char c)
{
	return digit_value(c) < 16;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/*
 * Resolve base 0 and step over a "0x" prefix. Base 0 only takes "0x" as
 * a prefix when a hex digit follows, so "0x" alone is the number 0 and
 * then junk; an explicit base 16 always skips it.
 */
static const char *fixup_base(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (has_hex_prefix(s) && is_xdigit(s[2]))
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && has_hex_prefix(s))
		s += 2;
	return s;
}

/*
 * Read digits of an already resolved base. Returns how many were used;
 * *overflow says the value did not fit (then *res is ~0).
 */
static size_t parse_digits(const char *s, unsigned int base,
			   unsigned long long *res, bool *overflow)
{
	unsigned long long acc = 0;
	size_t n;

	*overflow = false;
	for (n = 0; digit_value(s[n]) < base; n++) {
		/* The builtins stay inline on i386: no 64-bit divide needed. */
		if (__builtin_mul_overflow(acc, base, &acc) ||
		    __builtin_add_overflow(acc, digit_value(s[n]), &acc))
			*overflow = true;
	}
	*res = *overflow ? ULLONG_MAX_ : acc;
	return n;
}

/* Everything after the number must be nothing, or a lone newline. */
static bool only_newline_left(const char *s)
{
	if (*s == '\n')
		s++;
	return *s == '\0';
}

static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long val;
	bool overflow;
	size_t n;

	if (!s || base == 1 || base > 36)
		return -EINVAL;
	s = fixup_base(s, &base);
	n = parse_digits(s, base, &val, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0 || !only_newline_left(s + n))
		return -EINVAL;
	*res = val;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (s && s[0] == '+')
		s++;
	return parse_ull(s, base, res);
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long tmp;
	int ret = kstrtoull(s, base, &tmp);

	if (ret)
		return ret;
	/* unsigned long is 32 bits on i386, 64 on riscv64. */
	if (tmp != (unsigned long)tmp)
		return -ERANGE;
	*res = tmp;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long tmp;
	int ret = kstrtoull(s, base, &tmp);

	if (ret)
		return ret;
	if (tmp != (unsigned int)tmp)
		return -ERANGE;
	*res = tmp;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	unsigned long long mag;
	bool neg = false;
	int ret;

	if (s && s[0] == '-') {
		neg = true;
		/* No second sign: "-+5" is junk, as in Linux. */
		ret = parse_ull(s + 1, base, &mag);
	} else {
		ret = kstrtoull(s, base, &mag);
	}
	if (ret)
		return ret;
	/* The negative side holds one more than the positive side. */
	if (mag > (unsigned long long)__INT_MAX__ + neg)
		return -ERANGE;
	/* Unsigned negation, then a conversion: no signed overflow at INT_MIN.
	 */
	*res = neg ? (int)(0u - (unsigned int)mag) : (int)mag;
	return 0;
}

/*
 * Like Linux, only the first character counts (the first two for on/off),
 * so "yes", "no" and "1\n" all work.
 */
int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'K':
	case 'k':
		return 10;
	case 'M':
	case 'm':
		return 20;
	case 'G':
	case 'g':
		return 30;
	}
	return 0;
}

/*
 * The shared part of memparse and kstrtosize: a base-0 number and an
 * optional suffix. Returns the end; *overflow says the result saturated.
 * No digits at all gives 0 and leaves the end at s.
 */
static const char *parse_size(const char *s, unsigned long long *res,
			      bool *overflow)
{
	unsigned int base = 0, shift;
	const char *p = fixup_base(s, &base);
	unsigned long long val;
	size_t n = parse_digits(p, base, &val, overflow);

	if (n == 0) {
		*res = 0;
		return s;
	}
	p += n;
	shift = suffix_shift(*p);
	if (shift) {
		p++;
		if (val > (ULLONG_MAX_ >> shift)) {
			val = ULLONG_MAX_;
			*overflow = true;
		} else {
			val <<= shift;
		}
	}
	*res = val;
	return p;
}

unsigned long long memparse(const char *s, char **end)
{
	unsigned long long val;
	bool overflow;
	const char *p = parse_size(s, &val, &overflow);

	if (end)
		*end = (char *)p;
	return val;
}

int kstrtosize(const char *s, unsigned long long *res)
{
	unsigned long long val;
	bool overflow;
	const char *p;

	if (!s)
		return -EINVAL;
	p = parse_size(s, &val, &overflow);
	if (p == s || !only_newline_left(p))
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*res = val;
	return 0;
}
