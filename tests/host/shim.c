/*
 * The host side of the kernel services that lib/ and mm/ call: printk
 * goes to an in-memory log the tests can search, panic() longjmps back to
 * a test that expects it (or aborts), and a fake physical memory arena
 * stands behind __va()/__pa().
 */
#include <pagoda/arch.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/bug.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

char *host_phys_base;
unsigned long host_irq_flags = 1;
/* kernel/time.c is not built for the host: time stands still here. */
volatile unsigned long jiffies;
jmp_buf *host_panic_jmp;
char host_panic_msg[512];

static char logbuf[1 << 20];
static size_t loglen;
static int echo = -1;

const char *host_log(void)
{
	return logbuf;
}

void host_log_clear(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

bool host_log_contains(const char *needle)
{
	return strstr(logbuf, needle) != NULL;
}

void host_log_echo(bool on)
{
	echo = on;
}

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	int n = vscnprintf(line, sizeof(line), fmt, ap);

	if (echo < 0)
		echo = getenv("PAGODA_LOG") != NULL;
	if (echo)
		fputs(line, stderr);
	if (loglen + n + 1 < sizeof(logbuf)) {
		memcpy(logbuf + loglen, line, n + 1);
		loglen += n;
	}
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fprintf(stderr, "unexpected panic: %s\n", host_panic_msg);
	abort();
}

void dump_stack(void)
{
	printk("(host: no stack dump)\n");
}

void warn_slowpath(const char *file, int line, unsigned long caller,
		   const char *fmt, ...)
{
	printk("WARNING: at %s:%d caller %#lx\n", file, line, caller);
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vprintk(fmt, ap);
		va_end(ap);
	}
}

/* kmap_atomic's fixmap: on the host every "physical" page is mapped. */
void *arch_kmap_slot(unsigned int slot, phys_addr_t pa)
{
	(void)slot;
	return host_phys_base + pa;
}

void arch_kunmap_slot(unsigned int slot)
{
	(void)slot;
}

/* A counter that moves, where the kernel would read the TSC or time CSR. */
u64 arch_cycles(void)
{
	static u64 fake;

	return fake += 1000;
}

/* mm/kmap.c (the pkmap window) is not built for the host: no page is
 * ever kmapped there, so page_address() of a HIGHMEM page is NULL. */
struct page;
void *kmap_address(const struct page *page)
{
	(void)page;
	return NULL;
}

/* Programs without any table link too: the section bounds are weak. */
extern const struct proc_table __start_pagoda_proc[] __attribute__((weak));
extern const struct proc_table __stop_pagoda_proc[] __attribute__((weak));

const char *host_proc_show(const char *name)
{
	static char buf[1 << 20];
	const struct proc_table *t = NULL;
	struct seq_file m;

	for (const struct proc_table *i = __start_pagoda_proc;
	     i < __stop_pagoda_proc; i++) {
		if (!strcmp(i->name, name))
			t = i;
	}
	if (!t)
		return NULL;
	seq_init(&m, buf, sizeof(buf) - 1, NULL);
	t->show(&m);
	if (m.overflow)
		return NULL;
	buf[m.count] = '\0';
	return buf;
}

extern const struct shell_command __start_pagoda_cmds[] __attribute__((weak));
extern const struct shell_command __stop_pagoda_cmds[] __attribute__((weak));
char host_shell_output[4096];

int host_shell(const char *line)
{
	char buf[512], *argv[32], *save = NULL;
	struct seq_file m;
	int argc = 0, ret;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 31;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	seq_init(&m, host_shell_output, sizeof(host_shell_output) - 1, NULL);
	host_shell_output[0] = '\0';
	for (const struct shell_command *c = __start_pagoda_cmds;
	     argc && c < __stop_pagoda_cmds; c++) {
		if (strcmp(c->name, argv[0]))
			continue;
		ret = c->fn(&m, argc, argv);
		host_shell_output[m.count] = '\0';
		return ret;
	}
	return -1000;
}

/* kernel/shell.c is not built for the host; commands still call this
 * (weak: a test may bring its own). */
__attribute__((weak)) int shell_usage(struct seq_file *m, const char *name)
{
	seq_printf(m, "usage: %s\n", name);
	return -22; /* -EINVAL */
}
