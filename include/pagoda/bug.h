/*
 * panic, BUG_ON and WARN_ON (kernel/panic.c). A WARN prints where it
 * fired, who called, and a backtrace, then the kernel carries on; BUG and
 * panic stop it.
 */
#ifndef PAGODA_BUG_H
#define PAGODA_BUG_H

#include <pagoda/compiler.h>

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
void dump_stack(void);
void warn_slowpath(const char *file, int line, unsigned long caller,
		   const char *fmt, ...) __printf(4, 5);

#define BUG()                                                            \
	panic("kernel BUG at %s:%d (called from %pS)\n", __FILE__, __LINE__, \
	      __builtin_return_address(0))

#define BUG_ON(cond)                 \
	do {                         \
		if (unlikely(cond))  \
			BUG();       \
	} while (0)

#define WARN_ON(cond)                                                     \
	({                                                                \
		bool __w = !!(cond);                                      \
		if (unlikely(__w))                                        \
			warn_slowpath(__FILE__, __LINE__, _THIS_IP_, NULL); \
		__w;                                                      \
	})

#define WARN(cond, ...)                                                   \
	({                                                                \
		bool __w = !!(cond);                                      \
		if (unlikely(__w))                                        \
			warn_slowpath(__FILE__, __LINE__, _THIS_IP_,      \
				      __VA_ARGS__);                       \
		__w;                                                      \
	})

#define WARN_ON_ONCE(cond)                                               \
	({                                                               \
		static bool __warned;                                    \
		bool __w = !!(cond);                                     \
		if (unlikely(__w) && !__warned) {                        \
			__warned = true;                                 \
			warn_slowpath(__FILE__, __LINE__, _THIS_IP_, NULL); \
		}                                                        \
		__w;                                                     \
	})

#endif
