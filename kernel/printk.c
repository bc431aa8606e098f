/*
 * printk: every kernel message goes to a ring buffer (what `dmesg`
 * prints) and, if its level is below console_loglevel, to the console.
 *
 * Each line gets a "[seconds.micro]" stamp from the cycle counter, as in
 * Linux. Messages are formatted before interrupts are turned off, and the
 * buffer is updated with interrupts off, so printk works from interrupt
 * handlers and from the fault path.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

#define LOG_BUF_SIZE (64 * 1024)

static char log_buf[LOG_BUF_SIZE];
static unsigned long log_end; /* bytes ever written; wraps the ring */
static bool line_open;	      /* the last message did not end its line */
static int line_level;
static int console_loglevel = 7;

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

static void emit(const char *s, size_t n, int level)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_end + i) % LOG_BUF_SIZE] = s[i];
	log_end += n;
	if (level < console_loglevel)
		console_write(s, n);
}

static void emit_stamp(int level)
{
	char stamp[32];
	u64 ns = uptime_ns();
	int n = scnprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
			  ns / 1000000000ULL, (ns / 1000) % 1000000);

	emit(stamp, n, level);
}

static int parse_level(const char **text, bool *cont)
{
	const char *t = *text;

	*cont = false;
	if (t[0] == '<' && t[2] == '>') {
		if (t[1] >= '0' && t[1] <= '7') {
			*text = t + 3;
			return t[1] - '0';
		}
		if (t[1] == 'c') {
			*text = t + 3;
			*cont = true;
			return -1;
		}
	}
	return LOGLEVEL_DEFAULT;
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	const char *p = text;
	unsigned long flags;
	bool cont;
	int level, n;

	n = vscnprintf(text, sizeof(text), fmt, ap);
	level = parse_level(&p, &cont);
	local_irq_save(flags);
	if (cont && line_open)
		level = line_level;
	else if (line_open)
		emit("\n", 1, line_level);
	if (level < 0)
		level = LOGLEVEL_DEFAULT;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!line_open)
			emit_stamp(level);
		emit(p, len, level);
		line_open = !nl;
		line_level = level;
		p += len;
	}
	local_irq_restore(flags);
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

/* Print the ring from its oldest surviving byte. */
static int cmd_dmesg(struct seq_file *out, int argc, char **argv)
{
	unsigned long start, end;

	if (argc == 3 && strcmp(argv[1], "-n") == 0) {
		unsigned int lvl;

		if (kstrtouint(argv[2], 10, &lvl) || lvl > 8) {
			seq_printf(out, "dmesg: level must be 0..8\n");
			return -EINVAL;
		}
		console_loglevel = lvl;
		return 0;
	}
	if (argc != 1)
		return shell_usage(out, "dmesg");
	end = log_end;
	start = end > LOG_BUF_SIZE ? end - LOG_BUF_SIZE : 0;
	for (unsigned long i = start; i < end; i++)
		seq_putc(out, log_buf[i % LOG_BUF_SIZE]);
	return 0;
}
SHELL_COMMAND("dmesg", "dmesg [-n LEVEL]",
	      "print the kernel log (-n: console log level)", cmd_dmesg);

static int set_loglevel(const char *val)
{
	unsigned int lvl;

	if (!val || kstrtouint(val, 10, &lvl) || lvl > 8)
		return -EINVAL;
	console_loglevel = lvl;
	return 0;
}
early_param("loglevel", set_loglevel);

static int set_quiet(const char *val)
{
	console_loglevel = 4;
	return 0;
}
early_param("quiet", set_quiet);
