/*
 * errname(): the symbolic name of an error number, so that a failure can
 * be reported as "ENOMEM" rather than "-12". Every value in
 * <pagoda/errno.h> has an entry; keep the two in step.
 */
#include <pagoda/types.h>
#include <pagoda/errno.h>

/* A switch rather than a table: the values have gaps and need no order. */
#define E(name)    \
	case name: \
		return #name

/* Accepts -ENOMEM as well as ENOMEM: callers usually hold the former. */
const char *errname(int err)
{
	/* Through unsigned, so that INT_MIN does not overflow. */
	switch (err < 0 ? 0u - (unsigned int)err : (unsigned int)err) {
		E(EPERM);
		E(ENOENT);
		E(EIO);
		E(ENXIO);
		E(E2BIG);
		E(EBADF);
		E(EAGAIN);
		E(ENOMEM);
		E(EFAULT);
		E(EBUSY);
		E(EEXIST);
		E(ENODEV);
		E(ENOTDIR);
		E(EISDIR);
		E(EINVAL);
		E(ENFILE);
		E(ENOTTY);
		E(EFBIG);
		E(ENOSPC);
		E(ESPIPE);
		E(ERANGE);
		E(ENAMETOOLONG);
		E(ENOSYS);
		E(EOVERFLOW);
	}
	return NULL;
}
