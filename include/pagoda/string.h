/*
 * String and memory functions (lib/string.c) and number parsing
 * (lib/kstrtox.c). The kernel has no libc; these are its own.
 */
#ifndef PAGODA_STRING_H
#define PAGODA_STRING_H

#include <pagoda/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
bool str_has_prefix(const char *s, const char *prefix);

/*
 * Parsing numbers from text. Base 0 means: 0x.. hex, 0.. octal, else
 * decimal. The kstrto* functions reject trailing junk (a single trailing
 * newline is allowed) and overflow: 0 on success, -EINVAL or -ERANGE.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtobool(const char *s, bool *res);
/*
 * memparse: a size with an optional K, M or G suffix ("128M").
 * Sets *end to the first character not used. Overflow saturates to ~0.
 */
unsigned long long memparse(const char *s, char **end);
/* Like memparse, but the whole string must be used: 0, -EINVAL, -ERANGE. */
int kstrtosize(const char *s, unsigned long long *res);

#endif
