/*
 * The shell on the serial console: a line editor (arrows, backspace,
 * history, tab completion) in front of the commands registered with
 * SHELL_COMMAND().
 *
 * Input is read one byte at a time from the arch console, sleeping in
 * the idle loop between bytes. Anything a terminal or a fuzzer can send
 * is handled: unknown escape sequences are swallowed, bytes that are
 * neither printable nor known keys are ignored, and a line that would
 * overflow the buffer rings the bell instead.
 *
 * Each command runs with an oops recovery point, so a fault inside it
 * ends that command, not the kernel.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/irqflags.h>
#include <pagoda/oops.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

#define PROMPT "pagoda> "
#define LINE_MAX 256
#define MAX_ARGS 32
#define HISTORY 32

extern const struct shell_command __start_pagoda_cmds[];
extern const struct shell_command __stop_pagoda_cmds[];

struct line {
	char buf[LINE_MAX];
	int len;
	int cur;
};

static char history[HISTORY][LINE_MAX];
static int hist_count; /* lines ever added */

static void out(const char *s)
{
	console_write(s, strlen(s));
}

static void out_n(const char *s, int n)
{
	console_write(s, n);
}

static void out_c(char c)
{
	console_write(&c, 1);
}

static void console_flush(struct seq_file *m)
{
	console_write(m->buf, m->count);
}

const struct shell_command *shell_find(const char *name)
{
	for (const struct shell_command *c = __start_pagoda_cmds;
	     c < __stop_pagoda_cmds; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

int shell_usage(struct seq_file *m, const char *name)
{
	const struct shell_command *c = shell_find(name);

	seq_printf(m, "usage: %s\n", c ? c->usage : name);
	return -EINVAL;
}

/* Split in place on blanks; double quotes group words. */
static int split_args(char *s, char **argv, int max)
{
	int argc = 0;

	while (*s) {
		char *w;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (argc == max)
			return -E2BIG;
		w = s;
		argv[argc++] = w;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '"') {
				memmove(s, s + 1, strlen(s));
				while (*s && *s != '"')
					s++;
				if (*s == '"')
					memmove(s, s + 1, strlen(s));
				continue;
			}
			s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return argc;
}

static int run_command(struct seq_file *m, const struct shell_command *c,
		       int argc, char **argv)
{
	struct arch_jmp_buf jb;
	int ret;

	if (arch_setjmp(&jb)) {
		local_irq_enable();
		seq_printf(m, "%s: killed by an oops; the shell carries on\n",
			   argv[0]);
		return -EFAULT;
	}
	oops_set_recovery(&jb);
	ret = c->fn(m, argc, argv);
	oops_set_recovery(NULL);
	return ret;
}

/* Output redirected to a device: the seq_file flushes into the file. */
struct redirect {
	struct file *f;
	long error;
};

static void redirect_flush(struct seq_file *m)
{
	struct redirect *r = m->private;
	const char *p = m->buf;
	size_t left = m->count;

	while (left && !r->error) {
		long n = vfs_write(r->f, p, left);

		if (n <= 0) {
			r->error = n ? n : -ENOSPC;
			break;
		}
		p += n;
		left -= n;
	}
}

/*
 * "CMD ... > FILE" or ">> FILE": take the redirection off the words and
 * open the file; returns the words left, or a negative errno.
 */
static int take_redirect(struct seq_file *m, char **argv, int argc,
			 struct file **out)
{
	for (int i = 0; i < argc; i++) {
		bool append = !strcmp(argv[i], ">>");
		int err;

		if (strcmp(argv[i], ">") && !append)
			continue;
		if (i + 2 != argc) {
			seq_puts(m, "shell: a redirection needs one file, at "
				    "the end\n");
			return -EINVAL;
		}
		*out = filp_open(argv[i + 1],
				 O_WRONLY | (append ? O_APPEND : O_TRUNC),
				 &err);
		if (!*out) {
			const char *en = errname(err);

			seq_printf(m, "shell: %s: -%s\n", argv[i + 1],
				   en ? en : "EIO");
			return err;
		}
		return i;
	}
	return argc;
}

static int run_redirected(struct seq_file *m, const struct shell_command *c,
			  int argc, char **argv, struct file *f)
{
	static char buf[512];
	struct redirect r = { .f = f };
	struct seq_file to_file;
	int ret;

	seq_init(&to_file, buf, sizeof(buf), redirect_flush);
	to_file.private = &r;
	ret = run_command(&to_file, c, argc, argv);
	seq_flush(&to_file);
	filp_close(f);
	if (r.error) {
		const char *en = errname(r.error);

		seq_printf(m, "%s: write error: -%s\n", argv[0],
			   en ? en : "EIO");
		return (int)r.error;
	}
	return ret;
}

int shell_run_line(struct seq_file *m, char *line)
{
	char *argv[MAX_ARGS + 1];
	const struct shell_command *c;
	int argc = split_args(line, argv, MAX_ARGS);
	struct file *f = NULL;
	int ret;

	if (argc == -E2BIG) {
		seq_printf(m, "shell: more than %d words\n", MAX_ARGS);
		return -E2BIG;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	c = shell_find(argv[0]);
	if (!c) {
		seq_printf(m, "%s: command not found (try 'help')\n", argv[0]);
		return -ENOENT;
	}
	argc = take_redirect(m, argv, argc, &f);
	if (argc < 0)
		return argc;
	argv[argc] = NULL;
	if (f)
		ret = run_redirected(m, c, argc, argv, f);
	else
		ret = run_command(m, c, argc, argv);
	if (ret < 0) {
		const char *name = errname(ret);

		if (name)
			seq_printf(m, "%s: error -%s\n", argv[0], name);
		else
			seq_printf(m, "%s: error %d\n", argv[0], ret);
	}
	return ret;
}

/* ---- line editing ---- */

static void redraw_from_cursor(struct line *l, int erased)
{
	out_n(l->buf + l->cur, l->len - l->cur);
	for (int i = 0; i < erased; i++)
		out_c(' ');
	for (int i = l->len + erased; i > l->cur; i--)
		out_c('\b');
}

static void insert_char(struct line *l, char c)
{
	if (l->len == LINE_MAX - 1) {
		out_c('\a');
		return;
	}
	memmove(l->buf + l->cur + 1, l->buf + l->cur, l->len - l->cur);
	l->buf[l->cur] = c;
	l->len++;
	out_c(c);
	l->cur++;
	redraw_from_cursor(l, 0);
}

static void delete_at_cursor(struct line *l)
{
	if (l->cur == l->len)
		return;
	memmove(l->buf + l->cur, l->buf + l->cur + 1, l->len - l->cur - 1);
	l->len--;
	redraw_from_cursor(l, 1);
}

static void backspace(struct line *l)
{
	if (l->cur == 0)
		return;
	l->cur--;
	out_c('\b');
	delete_at_cursor(l);
}

static void move_to(struct line *l, int pos)
{
	while (l->cur > pos) {
		out_c('\b');
		l->cur--;
	}
	if (l->cur < pos) {
		out_n(l->buf + l->cur, pos - l->cur);
		l->cur = pos;
	}
}

static void replace_line(struct line *l, const char *text)
{
	int old = l->len;

	move_to(l, 0);
	l->len = strnlen(text, LINE_MAX - 1);
	memcpy(l->buf, text, l->len);
	l->cur = 0;
	redraw_from_cursor(l, old > l->len ? old - l->len : 0);
	move_to(l, l->len);
}

static void kill_to_end(struct line *l)
{
	int erased = l->len - l->cur;

	l->len = l->cur;
	redraw_from_cursor(l, erased);
}

static void kill_to_start(struct line *l)
{
	int n = l->cur;

	move_to(l, 0);
	memmove(l->buf, l->buf + n, l->len - n);
	l->len -= n;
	redraw_from_cursor(l, n);
}

static void history_add(const char *s)
{
	if (!*s)
		return;
	if (hist_count &&
	    strcmp(history[(hist_count - 1) % HISTORY], s) == 0)
		return;
	strlcpy(history[hist_count % HISTORY], s, LINE_MAX);
	hist_count++;
}

/* ---- completion ---- */

static int common_prefix(const char *a, const char *b)
{
	int n = 0;

	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/*
 * Candidates for the word being typed: command names for the first
 * word, /proc paths after it. Calls fn for each; returns the count.
 */
static int for_each_candidate(const char *word, bool first,
			      void (*fn)(const char *cand, void *arg),
			      void *arg)
{
	char path[64];
	int n = 0;

	if (first) {
		for (const struct shell_command *c = __start_pagoda_cmds;
		     c < __stop_pagoda_cmds; c++) {
			if (str_has_prefix(c->name, word)) {
				fn(c->name, arg);
				n++;
			}
		}
		return n;
	}
	for (int i = 0; i < proc_count(); i++) {
		scnprintf(path, sizeof(path), "/proc/%s",
			  proc_table_at(i)->name);
		if (str_has_prefix(path, word)) {
			fn(path, arg);
			n++;
		}
	}
	return n;
}

struct completion {
	char best[LINE_MAX];
	int best_len;
	bool any;
};

static void narrow(const char *cand, void *arg)
{
	struct completion *c = arg;

	if (!c->any) {
		strlcpy(c->best, cand, sizeof(c->best));
		c->best_len = strlen(cand);
		c->any = true;
	} else {
		c->best_len = min(c->best_len, common_prefix(c->best, cand));
	}
}

static void list_candidate(const char *cand, void *arg)
{
	out(cand);
	out("  ");
}

static void complete(struct line *l)
{
	struct completion c = { .any = false };
	int start = l->cur, count;
	char word[LINE_MAX];
	bool first;

	while (start > 0 && l->buf[start - 1] != ' ')
		start--;
	first = true;
	for (int i = 0; i < start; i++)
		if (l->buf[i] != ' ')
			first = false;
	memcpy(word, l->buf + start, l->cur - start);
	word[l->cur - start] = '\0';

	count = for_each_candidate(word, first, narrow, &c);
	if (count == 0) {
		out_c('\a');
		return;
	}
	for (int i = l->cur - start; i < c.best_len; i++)
		insert_char(l, c.best[i]);
	if (count == 1) {
		if (l->cur == l->len || l->buf[l->cur] != ' ')
			insert_char(l, ' ');
		return;
	}
	if (c.best_len == (int)strlen(word)) {
		out("\n");
		for_each_candidate(word, first, list_candidate, NULL);
		out("\n" PROMPT);
		out_n(l->buf, l->len);
		for (int i = l->len; i > l->cur; i--)
			out_c('\b');
	}
}

/* ---- input ---- */

/*
 * The ring is looked at with interrupts off, and cpu_idle_once() turns
 * them on only as it waits: a byte that arrives in between is pending,
 * so the wait ends at once instead of at the next tick.
 */
static int getc_wait(void)
{
	unsigned long flags;
	int c;

	for (;;) {
		local_irq_save(flags);
		c = arch_console_getc();
		if (c >= 0)
			break;
		cpu_idle_once();
		local_irq_restore(flags);
	}
	local_irq_restore(flags);
	return c;
}

enum key {
	KEY_NONE = 0x100,
	KEY_UP,
	KEY_DOWN,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_HOME,
	KEY_END,
	KEY_DELETE,
};

/* After ESC: CSI "[" params final, or SS3 "O" final. */
static int read_escape(void)
{
	int c = getc_wait(), param = 0, n = 0;

	if (c != '[' && c != 'O')
		return KEY_NONE;
	for (;;) {
		c = getc_wait();
		if (c >= '0' && c <= '9' && n < 4) {
			param = param * 10 + (c - '0');
			n++;
			continue;
		}
		if (c == ';' || (c >= '0' && c <= '9'))
			continue;
		break;
	}
	switch (c) {
	case 'A':
		return KEY_UP;
	case 'B':
		return KEY_DOWN;
	case 'C':
		return KEY_RIGHT;
	case 'D':
		return KEY_LEFT;
	case 'H':
		return KEY_HOME;
	case 'F':
		return KEY_END;
	case '~':
		if (param == 1 || param == 7)
			return KEY_HOME;
		if (param == 4 || param == 8)
			return KEY_END;
		if (param == 3)
			return KEY_DELETE;
		return KEY_NONE;
	default:
		/* Any other final byte (0x40..0x7e) ends an unknown sequence;
		 * anything else is dropped with it. */
		return KEY_NONE;
	}
}

static void history_move(struct line *l, int *pos, int dir, char *saved)
{
	int oldest = hist_count > HISTORY ? hist_count - HISTORY : 0;
	int next = *pos + dir;

	if (next < oldest || next > hist_count) {
		out_c('\a');
		return;
	}
	if (*pos == hist_count) {
		memcpy(saved, l->buf, l->len);
		saved[l->len] = '\0';
	}
	*pos = next;
	replace_line(l, next == hist_count ? saved : history[next % HISTORY]);
}

/* Edit one line; returns when Enter is pressed. */
static void read_line(struct line *l)
{
	char saved[LINE_MAX] = "";
	int hpos = hist_count;
	static bool last_cr;

	l->len = l->cur = 0;
	for (;;) {
		int c = getc_wait();

		if (c == '\n' && last_cr) {
			last_cr = false;
			continue;
		}
		last_cr = c == '\r';
		if (c == 0x1b)
			c = read_escape();
		switch (c) {
		case '\r':
		case '\n':
			l->buf[l->len] = '\0';
			out("\n");
			return;
		case 0x7f:
		case '\b':
			backspace(l);
			break;
		case 0x04:
		case KEY_DELETE:
			delete_at_cursor(l);
			break;
		case 0x01:
		case KEY_HOME:
			move_to(l, 0);
			break;
		case 0x05:
		case KEY_END:
			move_to(l, l->len);
			break;
		case KEY_LEFT:
			if (l->cur > 0)
				move_to(l, l->cur - 1);
			break;
		case KEY_RIGHT:
			if (l->cur < l->len)
				move_to(l, l->cur + 1);
			break;
		case KEY_UP:
			history_move(l, &hpos, -1, saved);
			break;
		case KEY_DOWN:
			history_move(l, &hpos, 1, saved);
			break;
		case 0x03: /* ^C: drop the line */
			out("^C\n");
			l->len = l->cur = 0;
			l->buf[0] = '\0';
			return;
		case 0x0b:
			kill_to_end(l);
			break;
		case 0x15:
			kill_to_start(l);
			break;
		case 0x0c:
			out("\x1b[H\x1b[2J" PROMPT);
			out_n(l->buf, l->len);
			move_to(l, l->len);
			l->cur = l->len;
			break;
		case '\t':
			complete(l);
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				insert_char(l, c);
			break;
		}
	}
}

void shell_main(void)
{
	static char outbuf[512];
	struct seq_file m;
	struct line l;

	for (;;) {
		out(PROMPT);
		read_line(&l);
		history_add(l.buf);
		seq_init(&m, outbuf, sizeof(outbuf), console_flush);
		shell_run_line(&m, l.buf);
		seq_flush(&m);
	}
}

/* ---- commands that belong to the shell itself ---- */

static int cmd_help(struct seq_file *m, int argc, char **argv)
{
	if (argc > 2)
		return shell_usage(m, "help");
	if (argc == 2) {
		const struct shell_command *c = shell_find(argv[1]);

		if (!c) {
			seq_printf(m, "help: no command '%s'\n", argv[1]);
			return -ENOENT;
		}
		seq_printf(m, "usage: %s\n  %s\n", c->usage, c->help);
		return 0;
	}
	for (const struct shell_command *c = __start_pagoda_cmds;
	     c < __stop_pagoda_cmds; c++)
		seq_printf(m, "  %-28s %s\n", c->usage, c->help);
	seq_puts(m, "Keys: arrows, Home/End, ^A ^E ^U ^K ^C ^L, Tab "
		    "completes.\n");
	return 0;
}
SHELL_COMMAND("help", "help [COMMAND]", "list commands, or explain one",
	      cmd_help);

static int cmd_echo(struct seq_file *m, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		seq_printf(m, "%s%s", argv[i], i + 1 < argc ? " " : "");
	seq_putc(m, '\n');
	return 0;
}
SHELL_COMMAND("echo", "echo [TEXT...]", "print the arguments", cmd_echo);

static int cmd_history(struct seq_file *m, int argc, char **argv)
{
	int oldest = hist_count > HISTORY ? hist_count - HISTORY : 0;

	if (argc != 1)
		return shell_usage(m, "history");
	for (int i = oldest; i < hist_count; i++)
		seq_printf(m, "%5d  %s\n", i + 1, history[i % HISTORY]);
	return 0;
}
SHELL_COMMAND("history", "history", "list the lines typed before",
	      cmd_history);
