/*
 * The kernel command line: split into `name=value` words and handed to
 * whoever registered each name with early_param() or kernel_param().
 *
 * Parsing runs twice over the same line: once early, during setup_arch,
 * for the options that shape memory (mem=, vmalloc=), and once when the
 * kernel is up for everything else. The second pass reports names nobody
 * registered, so a typo is seen rather than ignored.
 */
#include <pagoda/errno.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

char boot_command_line[COMMAND_LINE_SIZE];

extern const struct kernel_param __start_pagoda_params[];
extern const struct kernel_param __stop_pagoda_params[];

#define MAX_WORD 256

/*
 * Copy the next word of *p into word, dropping the quotes that let a
 * value hold spaces (name="a b"). Returns false at the end of the line.
 */
static bool next_word(const char **p, char *word, size_t size, bool *cut)
{
	const char *s = *p;
	bool quoted = false;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return false;
	*cut = false;
	for (; *s; s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*s == ' ' || *s == '\t' || *s == '\n'))
			break;
		if (n + 1 < size)
			word[n++] = *s;
		else
			*cut = true;
	}
	word[n] = '\0';
	*p = s;
	return true;
}

static const struct kernel_param *find(const char *name,
				       const struct kernel_param *start,
				       const struct kernel_param *end)
{
	for (const struct kernel_param *kp = start; kp < end; kp++) {
		if (strcmp(kp->name, name) == 0)
			return kp;
	}
	return NULL;
}

static int apply(const char *word, bool early,
		 const struct kernel_param *start,
		 const struct kernel_param *end)
{
	char name[MAX_WORD];
	const char *eq = strchr(word, '=');
	const char *val = eq ? eq + 1 : NULL;
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	const struct kernel_param *kp;
	int err;

	memcpy(name, word, len);
	name[len] = '\0';
	kp = find(name, start, end);
	if (!kp) {
		if (early)
			return 0;
		pr_warn("cmdline: unknown parameter '%s' ignored\n", name);
		return 1;
	}
	if (kp->early != early)
		return 0;
	err = kp->set(val);
	if (err) {
		const char *en = errname(err);

		pr_err("cmdline: bad value for '%s': '%s' (%s)\n", name,
		       val ? val : "", en ? en : "error");
		return 1;
	}
	return 0;
}

int parse_params_table(const char *cmdline, bool early,
		       const struct kernel_param *start,
		       const struct kernel_param *end)
{
	char word[MAX_WORD];
	const char *p = cmdline;
	int problems = 0;
	bool cut;

	while (next_word(&p, word, sizeof(word), &cut)) {
		if (cut) {
			if (!early)
				pr_err("cmdline: word longer than %d characters "
				       "ignored: '%.32s...'\n",
				       MAX_WORD - 1, word);
			problems += !early;
			continue;
		}
		if (word[0] == '=') {
			if (!early)
				pr_err("cmdline: '%s' has no name\n", word);
			problems += !early;
			continue;
		}
		problems += apply(word, early, start, end);
	}
	return problems;
}

int parse_params(const char *cmdline, bool early)
{
	return parse_params_table(cmdline, early, __start_pagoda_params,
				  __stop_pagoda_params);
}

static int cmd_cmdline(struct seq_file *out, int argc, char **argv)
{
	if (argc == 1) {
		seq_printf(out, "%s\n", boot_command_line);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (const struct kernel_param *kp = __start_pagoda_params;
		     kp < __stop_pagoda_params; kp++)
			seq_printf(out, "%-20s %s\n", kp->name,
				   kp->early ? "early" : "");
		return 0;
	}
	return shell_usage(out, "cmdline");
}
SHELL_COMMAND("cmdline", "cmdline [-l]",
	      "show the kernel command line (-l: the known parameters)",
	      cmd_cmdline);

static void cmdline_show(struct seq_file *m)
{
	seq_printf(m, "%s\n", boot_command_line);
}
PROC_TABLE("cmdline", cmdline_show);
