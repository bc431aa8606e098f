/*
 * The kernel's only text formatter: printk, the /proc-style tables and
 * every snprintf go through vsnprintf() here.
 *
 * Standard conversions behave as in C (and so as glibc, which the host
 * tests use as the reference), with one Linux habit kept on purpose: "%#x"
 * of zero prints "0x0", so that columns of "%#010lx" addresses stay
 * aligned when one of them is 0. %p and %pS are the kernel's own: see
 * <pagoda/printk.h>.
 *
 * Output goes through put_char(), which counts every character but stores
 * only those that fit; the caller terminates the buffer once at the end.
 * That one rule gives both the vsnprintf return value and the
 * never-overrun guarantee.
 */
#include <pagoda/compiler.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

/* Flags of a conversion spec. */
#define F_LEFT	0x01 /* '-' */
#define F_PLUS	0x02 /* '+' */
#define F_SPACE 0x04 /* ' ' */
#define F_ALT	0x08 /* '#' */
#define F_ZERO	0x10 /* '0' */

/* Widths past this are clamped: they only cost time, never memory. */
#define FIELD_MAX 0xffffff

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct spec {
	unsigned int flags;
	int width;
	int prec; /* -1: none given */
	enum length len;
	char conv;
};

struct out {
	char *buf;
	size_t size;
	size_t pos; /* characters produced so far, stored or not */
};

static symbol_resolver_t symbol_resolver;

void vsprintf_set_symbol_resolver(symbol_resolver_t fn)
{
	WRITE_ONCE(symbol_resolver, fn);
}

static void put_char(struct out *o, char c)
{
	if (o->pos < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_chars(struct out *o, const char *s, size_t n)
{
	while (n--)
		put_char(o, *s++);
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put_char(o, c);
}

/* Text of a known length, space-padded to the field width. */
static void put_field(struct out *o, const struct spec *sp, const char *s,
		      size_t n)
{
	int pad = (size_t)sp->width > n ? sp->width - (int)n : 0;

	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	put_chars(o, s, n);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

/*
 * Divide by 10000 and return the remainder, using only 32-bit divisions
 * by a constant, which the compiler turns into multiplications. A plain
 * 64-bit division would be a slow libgcc call on i386. The value is
 * taken 16 bits at a time, like long division by hand; the partial
 * remainder stays below 10000 << 16, so nothing overflows 32 bits.
 */
static unsigned int divmod_10000(unsigned long long *v)
{
	unsigned long long q = 0;
	u32 rem = 0;
	int shift;

	for (shift = 48; shift >= 0; shift -= 16) {
		u32 cur = (rem << 16) | (u32)((*v >> shift) & 0xffff);

		q = (q << 16) | (cur / 10000);
		rem = cur % 10000;
	}
	*v = q;
	return rem;
}

/* Write the digits of v just before end; returns where they start. */
static char *put_dec(char *end, unsigned long long v)
{
	u32 w;
	int i;

	while (v >> 32) {
		u32 r = divmod_10000(&v);

		for (i = 0; i < 4; i++) {
			*--end = '0' + r % 10;
			r /= 10;
		}
	}
	w = (u32)v;
	do {
		*--end = '0' + w % 10;
		w /= 10;
	} while (w);
	return end;
}

static char *put_pow2(char *end, unsigned long long v, unsigned int shift,
		      bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int mask = (1u << shift) - 1;

	do {
		*--end = digits[v & mask];
		v >>= shift;
	} while (v);
	return end;
}

/*
 * One integer conversion. Layout, left to right: padding spaces, sign,
 * "0x", zeros (from the precision, or from the '0' flag filling the
 * width), digits, then spaces for '-'.
 */
static void put_number(struct out *o, const struct spec *sp,
		       unsigned long long mag, bool negative)
{
	char tmp[24]; /* 22 octal digits for 2^64 - 1, and spare */
	char *end = tmp + sizeof(tmp), *digits = end;
	const char *prefix = "";
	char sign = 0;
	int ndigits, prec = sp->prec < 0 ? 1 : min(sp->prec, FIELD_MAX);
	int zeros, len;

	/* C: a zero value with precision 0 prints no digits at all. */
	if (mag || prec) {
		if (sp->conv == 'o')
			digits = put_pow2(end, mag, 3, false);
		else if (sp->conv == 'x' || sp->conv == 'X')
			digits = put_pow2(end, mag, 4, sp->conv == 'X');
		else
			digits = put_dec(end, mag);
	}
	ndigits = end - digits;

	if (sp->conv == 'd' || sp->conv == 'i') {
		if (negative)
			sign = '-';
		else if (sp->flags & F_PLUS)
			sign = '+';
		else if (sp->flags & F_SPACE)
			sign = ' ';
	} else if (sp->flags & F_ALT) {
		if (sp->conv == 'o' && (ndigits == 0 || *digits != '0') &&
		    prec <= ndigits)
			prec = ndigits + 1; /* '#' makes the first digit 0 */
		else if (sp->conv == 'x' && ndigits)
			prefix = "0x";
		else if (sp->conv == 'X' && ndigits)
			prefix = "0X";
	}

	len = (sign ? 1 : 0) + (int)strlen(prefix);
	zeros = prec > ndigits ? prec - ndigits : 0;
	/* '0' pads with zeros only when '-' and a precision do not forbid it.
	 */
	if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0 &&
	    sp->width > len + ndigits)
		zeros = sp->width - len - ndigits;
	len += zeros + ndigits;

	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', sp->width - len);
	if (sign)
		put_char(o, sign);
	put_chars(o, prefix, strlen(prefix));
	put_repeat(o, '0', zeros);
	put_chars(o, digits, ndigits);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', sp->width - len);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	size_t n = 0;

	if (!s)
		s = "(null)";
	/* Never read past the precision: the text need not be terminated. */
	if (sp->prec >= 0) {
		while (n < (size_t)sp->prec && s[n])
			n++;
	} else {
		n = strlen(s);
	}
	put_field(o, sp, s, n);
}

/* "0x" and every hex digit of the pointer, so that columns line up. */
static size_t format_pointer(char *buf, unsigned long addr)
{
	size_t n = 2 + 2 * sizeof(void *);
	size_t i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = n; i > 2; i--) {
		buf[i - 1] = "0123456789abcdef"[addr & 0xf];
		addr >>= 4;
	}
	return n;
}

/*
 * %p, and %pS through the registered resolver when there is one and it
 * knows the address.
 */
static void put_pointer(struct out *o, const struct spec *sp, const void *p,
			char ext)
{
	char buf[128];
	unsigned long addr = (unsigned long)p;
	symbol_resolver_t resolve = READ_ONCE(symbol_resolver);
	size_t n = 0;

	if (ext == 'S' && resolve) {
		int r = resolve(addr, buf, sizeof(buf));

		if (r > 0)
			n = (size_t)r < sizeof(buf) ? (size_t)r
						    : sizeof(buf) - 1;
	}
	if (!n)
		n = format_pointer(buf, addr);
	put_field(o, sp, buf, n);
}

/* A width or precision of digits, clamped so the int cannot overflow. */
static int parse_num(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		v = v * 10 + (**fmt - '0');
		if (v > FIELD_MAX)
			v = FIELD_MAX;
		(*fmt)++;
	}
	return v;
}

static void parse_flags(const char **fmt, struct spec *sp)
{
	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-':
			sp->flags |= F_LEFT;
			break;
		case '+':
			sp->flags |= F_PLUS;
			break;
		case ' ':
			sp->flags |= F_SPACE;
			break;
		case '#':
			sp->flags |= F_ALT;
			break;
		case '0':
			sp->flags |= F_ZERO;
			break;
		default:
			return;
		}
	}
}

/* A negative '*' width means '-' and its magnitude, as in C. */
static void set_star_width(struct spec *sp, int w)
{
	if (w < 0) {
		sp->flags |= F_LEFT;
		w = w == -__INT_MAX__ - 1 ? FIELD_MAX : -w;
	}
	sp->width = w > FIELD_MAX ? FIELD_MAX : w;
}

static enum length parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum length len = LEN_NONE;

	switch (*f) {
	case 'h':
		len = f[1] == 'h' ? LEN_HH : LEN_H;
		break;
	case 'l':
		len = f[1] == 'l' ? LEN_LL : LEN_L;
		break;
	case 'z':
		len = LEN_Z;
		break;
	case 't':
		len = LEN_T;
		break;
	case 'j':
		len = LEN_J;
		break;
	default:
		return LEN_NONE;
	}
	*fmt += (len == LEN_HH || len == LEN_LL) ? 2 : 1;
	return len;
}

/*
 * Fetch a signed argument of the spec's length and split it into sign and
 * magnitude. The magnitude is computed in unsigned arithmetic, so the most
 * negative value of each type works too.
 */
static unsigned long long fetch_signed(va_list *ap, enum length len,
				       bool *negative)
{
	long long v;

	switch (len) {
	case LEN_HH:
		v = (signed char)va_arg(*ap, int);
		break;
	case LEN_H:
		v = (short)va_arg(*ap, int);
		break;
	case LEN_L:
		v = va_arg(*ap, long);
		break;
	case LEN_LL:
		v = va_arg(*ap, long long);
		break;
	case LEN_Z:
	case LEN_T:
		/* The signed type of size_t's width; same as ptrdiff_t here. */
		v = va_arg(*ap, ptrdiff_t);
		break;
	case LEN_J:
		v = va_arg(*ap, intmax_t);
		break;
	default:
		v = va_arg(*ap, int);
		break;
	}
	*negative = v < 0;
	return *negative ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

static unsigned long long fetch_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		/* The unsigned type of ptrdiff_t's width is size_t. */
		return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/*
 * Parse one spec after its '%' and print it. Returns the format position
 * after the spec.
 */
static const char *format_one(struct out *o, const char *fmt, va_list *ap)
{
	const char *start = fmt - 1;
	struct spec sp = {.prec = -1};
	unsigned long long mag;
	bool negative;
	char c;

	parse_flags(&fmt, &sp);
	if (*fmt == '*') {
		set_star_width(&sp, va_arg(*ap, int));
		fmt++;
	} else {
		sp.width = parse_num(&fmt);
	}
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			/* A negative precision is taken as none, as in C. */
			sp.prec = va_arg(*ap, int);
			if (sp.prec < 0)
				sp.prec = -1;
			fmt++;
		} else {
			sp.prec = parse_num(&fmt);
		}
	}
	sp.len = parse_length(&fmt);
	sp.conv = *fmt;

	switch (sp.conv) {
	case 'd':
	case 'i':
		mag = fetch_signed(ap, sp.len, &negative);
		put_number(o, &sp, mag, negative);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		put_number(o, &sp, fetch_unsigned(ap, sp.len), false);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		put_field(o, &sp, &c, 1);
		break;
	case 's':
		put_string(o, &sp, va_arg(*ap, const char *));
		break;
	case 'p':
		/* Linux's extension letters: all are eaten, only S is known. */
		put_pointer(o, &sp, va_arg(*ap, const void *), fmt[1]);
		while ((fmt[1] >= 'a' && fmt[1] <= 'z') ||
		       (fmt[1] >= 'A' && fmt[1] <= 'Z') ||
		       (fmt[1] >= '0' && fmt[1] <= '9'))
			fmt++;
		break;
	case '%':
		put_char(o, '%');
		break;
	case '\0':
		/* The format ends inside a spec: show what there was. */
		put_chars(o, start, fmt - start);
		return fmt;
	default:
		/* Unknown: print the spec as written, consume no argument. */
		put_chars(o, start, fmt + 1 - start);
		break;
	}
	return fmt + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .pos = 0};
	va_list args;

	/* A copy, so that helpers can share it through a pointer. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put_char(&o, *fmt++);
			continue;
		}
		fmt = format_one(&o, fmt + 1, &args);
	}
	va_end(args);

	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if ((size_t)n < size)
		return n;
	return size ? (int)(size - 1) : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
