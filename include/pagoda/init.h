/*
 * Initcalls: a driver names its set-up function with initcall() beside
 * itself, and start_kernel runs them all once memory, vmalloc and the
 * devices are up (kernel/main.c), as Linux's device_initcall does.
 */
#ifndef PAGODA_INIT_H
#define PAGODA_INIT_H

#include <pagoda/compiler.h>

typedef int (*initcall_t)(void);

#define initcall(fn)                                                       \
	static const initcall_t __initcall_##fn __used                      \
		__section("pagoda_initcalls") __aligned(sizeof(void *)) = fn

void do_initcalls(void);

#endif
