/*
 * Kernel command line parameters (kernel/params.c), Linux style:
 * space-separated `name=value` or bare `name`, values may be quoted.
 * The code that owns an option registers it beside itself:
 *
 *	static int set_mem(const char *val) { ... return 0 or -EINVAL; }
 *	early_param("mem", set_mem);
 *
 * Early parameters are parsed during setup_arch, before memory is set
 * up; the others once the kernel is up. A setter gets NULL for a bare
 * name. An unknown name or a setter's error is reported, never fatal.
 */
#ifndef PAGODA_PARAMS_H
#define PAGODA_PARAMS_H

#include <pagoda/compiler.h>

struct kernel_param {
	const char *name;
	int (*set)(const char *val);
	bool early;
};

#define __define_param(pname, fn, is_early)                                \
	static const struct kernel_param __param_##fn __used                \
		__section("pagoda_params") __aligned(sizeof(void *)) = {     \
			.name = pname,                                      \
			.set = fn,                                          \
			.early = is_early,                                  \
		}

#define early_param(name, fn) __define_param(name, fn, true)
#define kernel_param(name, fn) __define_param(name, fn, false)

#define COMMAND_LINE_SIZE 512

/* The command line as the boot loader gave it (set by setup_arch). */
extern char boot_command_line[COMMAND_LINE_SIZE];

/*
 * Parse a command line against the registered parameters; early selects
 * which set runs. Returns the number of problems reported.
 */
int parse_params(const char *cmdline, bool early);
/* The same against an explicit table (the host tests use this). */
int parse_params_table(const char *cmdline, bool early,
		       const struct kernel_param *start,
		       const struct kernel_param *end);

#endif
