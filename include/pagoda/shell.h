/*
 * Shell commands (kernel/shell.c). A command is registered with
 * SHELL_COMMAND() in the file that owns what it shows or does; it gets
 * argc/argv and a seq_file to print to, and returns 0 or a negative
 * errno, which the shell prints by name.
 */
#ifndef PAGODA_SHELL_H
#define PAGODA_SHELL_H

#include <pagoda/seq_file.h>

struct shell_command {
	const char *name;
	const char *usage; /* "cat FILE" */
	const char *help;  /* one line */
	int (*fn)(struct seq_file *out, int argc, char **argv);
};

#define SHELL_COMMAND(cname, cusage, chelp, cfn)                            \
	static const struct shell_command __cmd_##cfn __used                 \
		__section("pagoda_cmds") __aligned(sizeof(void *)) = {       \
			.name = cname,                                       \
			.usage = cusage,                                     \
			.help = chelp,                                       \
			.fn = cfn,                                           \
		}

/* Print "usage: ..." for a command and return -EINVAL. */
int shell_usage(struct seq_file *out, const char *name);
const struct shell_command *shell_find(const char *name);
/* Run one command line as if typed; output to out. */
int shell_run_line(struct seq_file *out, char *line);
__noreturn void shell_main(void);

#endif
