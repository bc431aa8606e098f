/*
 * printk and friends. Messages go to the console and to the log ring
 * buffer that `dmesg` prints (kernel/printk.c). The formatting engine is
 * lib/vsprintf.c.
 */
#ifndef PAGODA_PRINTK_H
#define PAGODA_PRINTK_H

#include <pagoda/compiler.h>
#include <stdarg.h>

/* Log levels, as a "<N>" prefix on the message, as Linux 2.6 did. */
#define KERN_EMERG "<0>"
#define KERN_ALERT "<1>"
#define KERN_CRIT "<2>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"
/* Continue the previous line: no level, no timestamp. */
#define KERN_CONT "<c>"

#define LOGLEVEL_DEFAULT 4 /* for messages without a level: warning */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/* Write straight to the console (no log), turning \n into \r\n. */
void console_write(const char *s, size_t n);

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_alert(...) printk(KERN_ALERT __VA_ARGS__)
#define pr_crit(...) printk(KERN_CRIT __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)
#define pr_cont(...) printk(KERN_CONT __VA_ARGS__)

/*
 * lib/vsprintf.c. Conversions: %d %i %u %x %X %o %c %s %p %% with the
 * flags '-', '0', '+', ' ', '#', a width and precision (also '*'), and the
 * length modifiers hh h l ll z t j. %p prints 0x and the full-width hex
 * address. %pS prints a kernel text address as symbol+0xoff/0xsize when a
 * resolver is registered (else as %p).
 * vsnprintf returns the length the whole output would have had;
 * vscnprintf returns what was actually stored (without the NUL).
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__printf(3, 0);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * How %pS turns an address into text. kernel/kallsyms.c registers one;
 * returns the number of characters stored (0 = unknown address).
 */
typedef int (*symbol_resolver_t)(unsigned long addr, char *buf, size_t size);
void vsprintf_set_symbol_resolver(symbol_resolver_t fn);

#endif
