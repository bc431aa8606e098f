/*
 * Where /proc tables and shell commands print to (kernel/seq_file.c).
 * A seq_file is a buffer with an optional flush: the console's drains to
 * the serial line as it fills; a plain buffer just records that it
 * overflowed, so nothing is lost silently.
 */
#ifndef PAGODA_SEQ_FILE_H
#define PAGODA_SEQ_FILE_H

#include <pagoda/compiler.h>
#include <stdarg.h>

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
	bool overflow;
	void (*flush)(struct seq_file *m);
	void *private;
};

void seq_init(struct seq_file *m, char *buf, size_t size,
	      void (*flush)(struct seq_file *m));
void seq_write(struct seq_file *m, const void *data, size_t len);
void seq_putc(struct seq_file *m, char c);
void seq_puts(struct seq_file *m, const char *s);
void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap);
/* Drain what is buffered (no-op without a flush function). */
void seq_flush(struct seq_file *m);

#endif
