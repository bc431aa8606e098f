/*
 * `crash`: break the kernel on purpose, to see what each kind of failure
 * looks like. A WARN prints and carries on; a fault in a command is an
 * oops that ends the command; BUG and panic stop the machine (with
 * panic=N it powers off after N seconds, at once if N < 0).
 */
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

/* volatile: keep the compiler from seeing (and removing) the fault. */
static int *volatile null_pointer;

static int cmd_crash(struct seq_file *m, int argc, char **argv)
{
	if (argc != 2)
		return shell_usage(m, "crash");
	seq_flush(m);
	if (!strcmp(argv[1], "warn")) {
		WARN(1, "crash: a warning on request\n");
		seq_puts(m, "crash: the kernel carried on after the warning\n");
		return 0;
	}
	if (!strcmp(argv[1], "null")) {
		*null_pointer = 1;
		return 0;
	}
	if (!strcmp(argv[1], "bug"))
		BUG();
	if (!strcmp(argv[1], "panic"))
		panic("crash: a panic on request\n");
	seq_printf(m, "crash: unknown kind '%s'\n", argv[1]);
	return shell_usage(m, "crash");
}
SHELL_COMMAND("crash", "crash warn|null|bug|panic",
	      "fail on purpose: a warning, a NULL write, BUG(), panic()",
	      cmd_crash);
