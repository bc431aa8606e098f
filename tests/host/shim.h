/*
 * What the host shim offers test programs: the printk log of the code
 * under test, and a way to expect a panic() instead of dying from it.
 */
#ifndef PAGODA_HOST_SHIM_H
#define PAGODA_HOST_SHIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

/* Everything printk() printed since the last host_log_clear(). */
const char *host_log(void);
void host_log_clear(void);
bool host_log_contains(const char *needle);
/* Echo printk output to stderr as well (default: only when PAGODA_LOG=1). */
void host_log_echo(bool on);

/*
 * The text of the /proc table `name`, printed into a buffer the shim
 * owns (valid until the next call); NULL if there is no such table or
 * its text does not fit.
 */
const char *host_proc_show(const char *name);

/*
 * Run a shell command line (words split at spaces) registered by the
 * sources linked in, as the kernel's shell would: returns the command's
 * result, or -1000 if no such command is linked; its output is left in
 * host_shell_output.
 */
int host_shell(const char *line);
extern char host_shell_output[4096];

extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[512];

/*
 * Runs stmt; evaluates to true if it called panic(). The panic message is
 * left in host_panic_msg.
 */
#define HOST_PANICS(stmt)                                 \
	({                                                \
		jmp_buf _jb;                              \
		bool _panicked = false;                   \
		host_panic_jmp = &_jb;                    \
		if (setjmp(_jb) == 0) {                   \
			stmt;                             \
		} else {                                  \
			_panicked = true;                 \
		}                                         \
		host_panic_jmp = NULL;                    \
		_panicked;                                \
	})

#endif
