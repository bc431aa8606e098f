/*
 * Force-included into every project source compiled for the host.
 * The kernel brings its own memcpy, strlen, snprintf...; on the host those
 * names belong to libc (and to the sanitizers' interceptors), so the
 * project's versions are renamed with a pg_ prefix. Test programs call
 * them by these names when they test them directly.
 */
#ifndef PAGODA_HOST_NAMES_H
#define PAGODA_HOST_NAMES_H

#define memset pg_memset
#define memcpy pg_memcpy
#define memmove pg_memmove
#define memcmp pg_memcmp
#define memchr pg_memchr
#define strlen pg_strlen
#define strnlen pg_strnlen
#define strcmp pg_strcmp
#define strncmp pg_strncmp
#define strchr pg_strchr
#define strrchr pg_strrchr
#define strlcpy pg_strlcpy
#define vsnprintf pg_vsnprintf
#define snprintf pg_snprintf
#define vscnprintf pg_vscnprintf
#define scnprintf pg_scnprintf

#endif
