/*
 * seq_file: formatted output into a buffer that flushes when full.
 * Every /proc table and shell command writes through one, so the same
 * printing code serves the console, a test's buffer and (later) a file.
 */
#include <pagoda/printk.h>
#include <pagoda/seq_file.h>
#include <pagoda/string.h>

void seq_init(struct seq_file *m, char *buf, size_t size,
	      void (*flush)(struct seq_file *m))
{
	m->buf = buf;
	m->size = size;
	m->count = 0;
	m->overflow = false;
	m->flush = flush;
	m->private = NULL;
}

void seq_flush(struct seq_file *m)
{
	if (m->flush && m->count) {
		m->flush(m);
		m->count = 0;
	}
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		size_t room = m->size - m->count;
		size_t n = min(room, len);

		memcpy(m->buf + m->count, p, n);
		m->count += n;
		p += n;
		len -= n;
		if (!len)
			break;
		if (!m->flush) {
			m->overflow = true;
			return;
		}
		seq_flush(m);
	}
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	char line[256];
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(line, sizeof(line), fmt, aq);
	va_end(aq);
	if (n < (int)sizeof(line)) {
		seq_write(m, line, n);
		return;
	}
	/* Longer than a line: format straight into the buffer if it fits. */
	seq_flush(m);
	if (m->size - m->count > (size_t)n) {
		m->count += vscnprintf(m->buf + m->count, m->size - m->count,
				       fmt, ap);
		return;
	}
	seq_write(m, line, sizeof(line) - 1);
	m->overflow = true;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}
