/*
 * Host tests for kernel/params.c, the kernel command line parser.
 *
 * A local table of early and normal parameters whose setters record what
 * they were given is run through parse_params_table(): words and
 * separators, quoting, empty and missing values, values holding '=', the
 * early and normal passes, setter errors, words too long for the parser's
 * buffer and words without a name; each time the calls made, the
 * problems returned and the messages printed are checked. The last tests
 * go through the linker section (parse_params(), the cmdline shell
 * command and /proc/cmdline).
 */
#include <pagoda/errno.h>
#include <pagoda/params.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>

#include "shim.h"
#include "test.h"

extern const struct proc_table __start_pagoda_proc[], __stop_pagoda_proc[];
extern const struct shell_command __start_pagoda_cmds[], __stop_pagoda_cmds[];

/* kernel/params.c calls this from its shell command; shell.c is not here. */
static int usage_calls;

int shell_usage(struct seq_file *out, const char *name)
{
	usage_calls++;
	seq_printf(out, "usage: %s\n", name);
	return -EINVAL;
}

/* ---- setters that record their calls ---- */

struct call {
	const char *param;
	bool null;
	char val[512];
};

static struct call calls[32];
static int ncalls;

static int record(const char *param, const char *val)
{
	if (ncalls < (int)ARRAY_SIZE(calls)) {
		struct call *c = &calls[ncalls];

		c->param = param;
		c->null = val == NULL;
		snprintf(c->val, sizeof(c->val), "%s", val ? val : "");
	}
	ncalls++;
	return 0;
}

static int set_mem(const char *val)
{
	return record("mem", val);
}

static int set_earlycon(const char *val)
{
	return record("earlycon", val);
}

static int set_console(const char *val)
{
	return record("console", val);
}

static int set_quiet(const char *val)
{
	return record("quiet", val);
}

static int set_init(const char *val)
{
	return record("init", val);
}

static int set_root(const char *val)
{
	return record("root", val);
}

/* Accepts only "on" and "off". */
static int set_strict(const char *val)
{
	record("strict", val);
	if (val && (strcmp(val, "on") == 0 || strcmp(val, "off") == 0))
		return 0;
	return -EINVAL;
}

/* An early one that always refuses. */
static int set_vmalloc(const char *val)
{
	record("vmalloc", val);
	return -ERANGE;
}

static const struct kernel_param table[] = {
	{"mem", set_mem, true},		{"earlycon", set_earlycon, true},
	{"vmalloc", set_vmalloc, true}, {"console", set_console, false},
	{"quiet", set_quiet, false},	{"init", set_init, false},
	{"root", set_root, false},	{"strict", set_strict, false},
};

static int parse(const char *cmdline, bool early)
{
	ncalls = 0;
	memset(calls, 0, sizeof(calls));
	host_log_clear();
	return parse_params_table(cmdline, early, table,
				  table + ARRAY_SIZE(table));
}

/* Did call i go to param with value val (NULL: no value at all)? */
static void check_call(int i, const char *param, const char *val)
{
	CHECK(i < ncalls);
	if (i >= ncalls)
		return;
	CHECK_STR(calls[i].param, param);
	if (val) {
		CHECK(!calls[i].null);
		CHECK_STR(calls[i].val, val);
	} else {
		CHECK(calls[i].null);
	}
}

/* ---- words, values, separators ---- */

TEST(name_equals_value)
{
	CHECK_EQ(parse("console=ttyS0,115200 root=/dev/sda1", false), 0);
	CHECK_EQ(ncalls, 2);
	check_call(0, "console", "ttyS0,115200");
	check_call(1, "root", "/dev/sda1");
	CHECK_STR(host_log(), "");
}

TEST(bare_name_gets_null)
{
	CHECK_EQ(parse("quiet", false), 0);
	CHECK_EQ(ncalls, 1);
	check_call(0, "quiet", NULL);
}

TEST(empty_value_is_empty_string)
{
	CHECK_EQ(parse("root= console=\"\"", false), 0);
	CHECK_EQ(ncalls, 2);
	check_call(0, "root", "");
	check_call(1, "console", "");
}

TEST(value_may_contain_equals)
{
	CHECK_EQ(parse("init=/bin/env=x root==", false), 0);
	CHECK_EQ(ncalls, 2);
	check_call(0, "init", "/bin/env=x");
	check_call(1, "root", "=");
}

TEST(quoted_values_keep_spaces)
{
	CHECK_EQ(parse("init=\"/bin/sh -c  'echo hi'\" quiet "
		       "console=\"a b\tc\nd\"",
		       false),
		 0);
	CHECK_EQ(ncalls, 3);
	check_call(0, "init", "/bin/sh -c  'echo hi'");
	check_call(1, "quiet", NULL);
	check_call(2, "console", "a b\tc\nd");
	/* Quotes can start anywhere in the word and are dropped. */
	CHECK_EQ(parse("\"root=/dev/sda 1\" ro\"o\"t=x\"y z\"", false), 0);
	CHECK_EQ(ncalls, 2);
	check_call(0, "root", "/dev/sda 1");
	check_call(1, "root", "xy z");
	/* An unterminated quote runs to the end of the line. */
	CHECK_EQ(parse("init=\"a b quiet", false), 0);
	CHECK_EQ(ncalls, 1);
	check_call(0, "init", "a b quiet");
}

TEST(any_whitespace_separates)
{
	CHECK_EQ(parse("  \t\n quiet \t\t root=x\n\nconsole=y   \t\n", false),
		 0);
	CHECK_EQ(ncalls, 3);
	check_call(0, "quiet", NULL);
	check_call(1, "root", "x");
	check_call(2, "console", "y");
	/* Nothing but whitespace, or nothing: no calls, no problems. */
	CHECK_EQ(parse(" \t\n ", false), 0);
	CHECK_EQ(parse("", false), 0);
	CHECK_EQ(ncalls, 0);
	CHECK_STR(host_log(), "");
}

TEST(repeated_params_all_apply_in_order)
{
	CHECK_EQ(parse("console=tty0 quiet console=ttyS0", false), 0);
	CHECK_EQ(ncalls, 3);
	check_call(0, "console", "tty0");
	check_call(1, "quiet", NULL);
	check_call(2, "console", "ttyS0");
}

/* ---- early and normal passes ---- */

static const char *const both = "mem=128M quiet earlycon=uart,io,0x3f8 "
				"typo=1 console=ttyS0 earlycon";

TEST(early_pass_runs_only_early_params)
{
	CHECK_EQ(parse(both, true), 0);
	CHECK_EQ(ncalls, 3);
	check_call(0, "mem", "128M");
	check_call(1, "earlycon", "uart,io,0x3f8");
	check_call(2, "earlycon", NULL);
	/* Unknown names are left for the normal pass to report. */
	CHECK(!host_log_contains("typo"));
	CHECK_STR(host_log(), "");
}

TEST(normal_pass_runs_the_rest_and_reports_unknown)
{
	CHECK_EQ(parse(both, false), 1);
	CHECK_EQ(ncalls, 2);
	check_call(0, "quiet", NULL);
	check_call(1, "console", "ttyS0");
	CHECK(host_log_contains("unknown parameter 'typo' ignored"));
	/* Early parameters are known, not unknown, in the normal pass. */
	CHECK(!host_log_contains("'mem'"));
	CHECK(!host_log_contains("earlycon"));
}

TEST(unknown_names_counted)
{
	CHECK_EQ(parse("foo bar=1 quiet baz=\"x y\"", false), 3);
	CHECK(host_log_contains("unknown parameter 'foo'"));
	CHECK(host_log_contains("unknown parameter 'bar'"));
	CHECK(host_log_contains("unknown parameter 'baz'"));
	CHECK_EQ(ncalls, 1);
	/* A prefix or an extension of a known name is another name. */
	CHECK_EQ(parse("quie quiet2 consol=x", false), 3);
	CHECK_EQ(ncalls, 0);
	/* The early pass reports none of it. */
	CHECK_EQ(parse("foo bar=1 quiet baz=\"x y\"", true), 0);
	CHECK_STR(host_log(), "");
}

/* ---- setter errors ---- */

TEST(setter_error_reported_with_name_and_value)
{
	CHECK_EQ(parse("strict=maybe quiet strict=on", false), 1);
	CHECK_EQ(ncalls, 3);
	check_call(0, "strict", "maybe");
	check_call(1, "quiet", NULL);
	check_call(2, "strict", "on");
	CHECK(host_log_contains("bad value for 'strict': 'maybe' (EINVAL)"));
	/* No value at all is printed as an empty one. */
	CHECK_EQ(parse("strict strict=", false), 2);
	CHECK(host_log_contains("bad value for 'strict': '' (EINVAL)"));
	/* An early setter's error is reported in the early pass only. */
	CHECK_EQ(parse("vmalloc=1G", true), 1);
	CHECK(host_log_contains("bad value for 'vmalloc': '1G' (ERANGE)"));
	CHECK_EQ(parse("vmalloc=1G", false), 0);
	CHECK_EQ(ncalls, 0);
	CHECK_STR(host_log(), "");
}

/* ---- malformed words ---- */

TEST(word_of_255_chars_is_fine)
{
	char line[300], val[256];

	memset(val, 'v', 250);
	val[250] = '\0';
	snprintf(line, sizeof(line), "init=%s", val); /* 255 chars */
	CHECK_EQ(strlen(line), 255);
	CHECK_EQ(parse(line, false), 0);
	CHECK_EQ(ncalls, 1);
	check_call(0, "init", val);
	/* Quotes do not count: they are not stored. */
	snprintf(line, sizeof(line), "init=\"%s\"", val);
	CHECK_EQ(parse(line, false), 0);
	check_call(0, "init", val);
}

TEST(overlong_word_reported_and_skipped)
{
	char line[1200], word[1000], msg[128];

	/* One character too many. */
	memset(word, 'w', 251);
	word[251] = '\0';
	snprintf(line, sizeof(line), "quiet init=%s root=x", word);
	CHECK_EQ(parse(line, false), 1);
	/* The message quotes the first 32 characters. */
	snprintf(msg, sizeof(msg),
		 "word longer than 255 characters ignored: '%.32s...'\n",
		 line + 6);
	CHECK(host_log_contains(msg));
	CHECK_EQ(ncalls, 2);
	check_call(0, "quiet", NULL);
	check_call(1, "root", "x");

	/* Far too long, with spaces inside quotes; nothing leaks out. */
	memset(word, 'x', 999);
	word[999] = '\0';
	word[300] = word[600] = ' ';
	snprintf(line, sizeof(line), "console=\"%s\" quiet", word);
	CHECK_EQ(parse(line, false), 1);
	CHECK(host_log_contains("word longer than 255 characters"));
	CHECK_EQ(ncalls, 1);
	check_call(0, "quiet", NULL);

	/* A bare name that long. */
	memset(word, 'n', 400);
	word[400] = '\0';
	CHECK_EQ(parse(word, false), 1);
	CHECK_EQ(ncalls, 0);

	/* The early pass skips it silently: the normal pass reports it. */
	snprintf(line, sizeof(line), "mem=%s earlycon", word);
	CHECK_EQ(parse(line, true), 0);
	CHECK_STR(host_log(), "");
	CHECK_EQ(ncalls, 1);
	check_call(0, "earlycon", NULL);
}

TEST(word_without_name_reported)
{
	CHECK_EQ(parse("=x quiet = =", false), 3);
	CHECK(host_log_contains("'=x' has no name"));
	CHECK(host_log_contains("'=' has no name"));
	CHECK_EQ(ncalls, 1);
	check_call(0, "quiet", NULL);
	CHECK_EQ(parse("\"=a b\"", false), 1);
	CHECK(host_log_contains("'=a b' has no name"));
	CHECK_EQ(parse("=x", true), 0);
	CHECK_STR(host_log(), "");
}

TEST(problems_add_up)
{
	CHECK_EQ(parse("=x typo strict=no quiet mem=1G other=2", false), 4);
	CHECK_EQ(ncalls, 2);
	check_call(0, "strict", "no");
	check_call(1, "quiet", NULL);
	CHECK_EQ(parse("=x typo strict=no quiet mem=1G other=2", true), 0);
	CHECK_EQ(ncalls, 1);
	check_call(0, "mem", "1G");
}

/* ---- through the linker section ---- */

static int section_calls;
static char section_val[64];

static int set_section_test(const char *val)
{
	section_calls++;
	snprintf(section_val, sizeof(section_val), "%s", val ? val : "(null)");
	return 0;
}
kernel_param("host_test_param", set_section_test);

static int set_section_early(const char *val)
{
	section_calls += 100;
	return 0;
}
early_param("host_test_early", set_section_early);

TEST(registered_params_found_by_parse_params)
{
	section_calls = 0;
	host_log_clear();
	CHECK_EQ(parse_params("host_test_param=42 host_test_early", false), 0);
	CHECK_EQ(section_calls, 1);
	CHECK_STR(section_val, "42");
	CHECK_EQ(parse_params("host_test_param=42 host_test_early", true), 0);
	CHECK_EQ(section_calls, 101);
	CHECK_EQ(parse_params("host_test_nope", false), 1);
	CHECK(host_log_contains("unknown parameter 'host_test_nope'"));
}

static char outbuf[4096];

static const char *finish(struct seq_file *m)
{
	CHECK(!m->overflow);
	outbuf[m->count] = '\0';
	return outbuf;
}

static const struct shell_command *find_cmd(const char *name)
{
	for (const struct shell_command *c = __start_pagoda_cmds;
	     c < __stop_pagoda_cmds; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

TEST(cmdline_command_and_proc_table)
{
	const struct shell_command *cmd = find_cmd("cmdline");
	const struct proc_table *t = NULL;
	char arg0[] = "cmdline", arg1[] = "-l", arg2[] = "-x";
	char *argv[] = {arg0, arg1, NULL};
	struct seq_file m;

	snprintf(boot_command_line, sizeof(boot_command_line),
		 "console=ttyS0 quiet");

	CHECK(cmd != NULL);
	if (cmd) {
		seq_init(&m, outbuf, sizeof(outbuf) - 1, NULL);
		CHECK_EQ(cmd->fn(&m, 1, argv), 0);
		CHECK_STR(finish(&m), "console=ttyS0 quiet\n");

		seq_init(&m, outbuf, sizeof(outbuf) - 1, NULL);
		CHECK_EQ(cmd->fn(&m, 2, argv), 0);
		finish(&m);
		CHECK(strstr(outbuf, "host_test_param      \n") != NULL);
		CHECK(strstr(outbuf, "host_test_early      early\n") != NULL);

		argv[1] = arg2;
		usage_calls = 0;
		seq_init(&m, outbuf, sizeof(outbuf) - 1, NULL);
		CHECK_EQ(cmd->fn(&m, 2, argv), -EINVAL);
		CHECK_EQ(usage_calls, 1);
		CHECK_STR(finish(&m), "usage: cmdline\n");
	}

	for (const struct proc_table *p = __start_pagoda_proc;
	     p < __stop_pagoda_proc; p++) {
		if (strcmp(p->name, "cmdline") == 0)
			t = p;
	}
	CHECK(t != NULL);
	if (t) {
		seq_init(&m, outbuf, sizeof(outbuf) - 1, NULL);
		t->show(&m);
		CHECK_STR(finish(&m), "console=ttyS0 quiet\n");
	}
	boot_command_line[0] = '\0';
}

TEST_MAIN()
