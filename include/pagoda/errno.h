/*
 * Error numbers with Linux's values, returned negated (-ENOMEM) as in Linux.
 */
#ifndef PAGODA_ERRNO_H
#define PAGODA_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define EOVERFLOW 75

/* Name of an errno value ("ENOMEM"), or NULL if unknown. lib/errname.c */
const char *errname(int err);

#endif
