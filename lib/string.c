/*
 * The kernel's own mem* and str* functions (there is no libc).
 *
 * The compiler also calls memcpy, memset and memmove behind our back for
 * struct copies and zeroing, so these must be correct for every size and
 * alignment, and quick for the common case of large aligned blocks: those
 * go a machine word at a time. The host test build renames them (pg_memcpy
 * ...) so that they can be checked against libc. The kernel is built with
 * -ffreestanding, which also stops GCC from "optimising" the loops below
 * into calls to the very functions they implement.
 */
#include <pagoda/compiler.h>
#include <pagoda/string.h>

/*
 * A word that may alias any object: the copy loops read and write
 * arbitrary memory through it, whatever the strict-aliasing setting.
 */
typedef unsigned long __attribute__((__may_alias__)) word_t;

#define WORD_SIZE sizeof(word_t)
#define WORD_MASK (WORD_SIZE - 1)

static inline bool word_aligned(uintptr_t addr)
{
	return (addr & WORD_MASK) == 0;
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned char byte = (unsigned char)c;

	while (n && !word_aligned((uintptr_t)p)) {
		*p++ = byte;
		n--;
	}
	if (n >= WORD_SIZE) {
		/* 0x0101...01 times the byte puts it in every byte lane. */
		word_t pattern = ((word_t)-1 / 0xff) * byte;
		word_t *w = (word_t *)p;

		for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE, w += 4) {
			w[0] = pattern;
			w[1] = pattern;
			w[2] = pattern;
			w[3] = pattern;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE)
			*w++ = pattern;
		p = (unsigned char *)w;
	}
	while (n--)
		*p++ = byte;
	return s;
}

/*
 * Copy upwards. Also safe for overlapping buffers when dst is below src:
 * every word is read before anything at or above it is written.
 */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	/* Word copies only pay off when both sides can be aligned at once. */
	if (n >= WORD_SIZE &&
	    ((uintptr_t)d & WORD_MASK) == ((uintptr_t)s & WORD_MASK)) {
		word_t *wd;
		const word_t *ws;

		while (!word_aligned((uintptr_t)d)) {
			*d++ = *s++;
			n--;
		}
		wd = (word_t *)d;
		ws = (const word_t *)s;
		for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE) {
			word_t a = ws[0], b = ws[1], c = ws[2], e = ws[3];

			wd[0] = a;
			wd[1] = b;
			wd[2] = c;
			wd[3] = e;
			wd += 4;
			ws += 4;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE)
			*wd++ = *ws++;
		d = (unsigned char *)wd;
		s = (const unsigned char *)ws;
	}
	while (n--)
		*d++ = *s++;
}

/* Copy downwards, from the ends: for overlaps where dst is above src. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if (n >= WORD_SIZE &&
	    ((uintptr_t)d & WORD_MASK) == ((uintptr_t)s & WORD_MASK)) {
		word_t *wd;
		const word_t *ws;

		while (!word_aligned((uintptr_t)d)) {
			*--d = *--s;
			n--;
		}
		wd = (word_t *)d;
		ws = (const word_t *)s;
		for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE) {
			word_t a = ws[-1], b = ws[-2], c = ws[-3], e = ws[-4];

			wd[-1] = a;
			wd[-2] = b;
			wd[-3] = c;
			wd[-4] = e;
			wd -= 4;
			ws -= 4;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE)
			*--wd = *--ws;
		d = (unsigned char *)wd;
		s = (const unsigned char *)ws;
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	/* Compared as integers: the buffers need not be one C object. */
	if (d - s >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Like libc, bytes compare as unsigned char: "\xff" sorts after "a". */
int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p == *q ? 0 : (*p < *q ? -1 : 1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
		if (!*p)
			break;
	}
	return 0;
}

/* strchr(s, 0) finds the terminator, as the C standard says. */
char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}
