/*
 * /proc and the few shell commands that read files.
 *
 * There is no filesystem: the namespace is "/" holding "proc" and "dev";
 * /proc holds every table registered with PROC_TABLE(), printed on
 * demand straight from the state it describes, and /dev the character
 * devices of kernel/chrdev.c.
 */
#include <pagoda/errno.h>
#include <pagoda/fs.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

extern const struct proc_table __start_pagoda_proc[];
extern const struct proc_table __stop_pagoda_proc[];

#define MAX_TABLES 64
static const struct proc_table *sorted[MAX_TABLES];
static int nr_sorted = -1;

/* Sorted once, on first use: the registry itself is read-only. */
static void sort_tables(void)
{
	nr_sorted = 0;
	for (const struct proc_table *t = __start_pagoda_proc;
	     t < __stop_pagoda_proc && nr_sorted < MAX_TABLES; t++) {
		int i = nr_sorted++;

		while (i > 0 && strcmp(sorted[i - 1]->name, t->name) > 0) {
			sorted[i] = sorted[i - 1];
			i--;
		}
		sorted[i] = t;
	}
}

int proc_count(void)
{
	if (nr_sorted < 0)
		sort_tables();
	return nr_sorted;
}

const struct proc_table *proc_table_at(int idx)
{
	return idx >= 0 && idx < proc_count() ? sorted[idx] : NULL;
}

const struct proc_table *proc_find(const char *name)
{
	for (int i = 0; i < proc_count(); i++) {
		if (strcmp(sorted[i]->name, name) == 0)
			return sorted[i];
	}
	return NULL;
}

/* "/proc/x", "proc/x" -> "x"; NULL if the path is not under /proc. */
static const char *proc_name(const char *path)
{
	if (str_has_prefix(path, "/proc/"))
		return path + 6;
	if (str_has_prefix(path, "proc/"))
		return path + 5;
	return NULL;
}

static int cmd_cat(struct seq_file *out, int argc, char **argv)
{
	int err = 0;

	if (argc < 2)
		return shell_usage(out, "cat");
	for (int i = 1; i < argc; i++) {
		const char *name = proc_name(argv[i]);
		const struct proc_table *t = name ? proc_find(name) : NULL;

		if (str_has_prefix(argv[i], "/dev/")) {
			int e = chrdev_cat(out, argv[i]);

			if (e) {
				const char *en = errname(e);

				seq_printf(out, "cat: %s: -%s\n", argv[i],
					   en ? en : "EIO");
				err = e;
			}
			continue;
		}
		if (!t) {
			bool dir = !strcmp(argv[i], "/") ||
				   !strcmp(argv[i], "/proc") ||
				   !strcmp(argv[i], "/proc/");

			seq_printf(out, "cat: %s: %s\n", argv[i],
				   dir ? "Is a directory" :
					 "No such file or directory");
			err = dir ? -EISDIR : -ENOENT;
			continue;
		}
		t->show(out);
	}
	return err;
}
SHELL_COMMAND("cat", "cat FILE...",
	      "print files (/proc tables, /dev devices)", cmd_cat);

static int cmd_ls(struct seq_file *out, int argc, char **argv)
{
	bool longform = argc > 1 && !strcmp(argv[1], "-l");
	const char *dir = argc > 1 + longform ? argv[1 + longform] : "/";

	if (argc > 2 + longform)
		return shell_usage(out, "ls");
	if (!strcmp(dir, "/")) {
		seq_puts(out, "dev\nproc\n");
		return 0;
	}
	if (!strcmp(dir, "/dev") || !strcmp(dir, "/dev/") ||
	    !strcmp(dir, "dev"))
		return chrdev_list(out, longform);
	if (!strcmp(dir, "/proc") || !strcmp(dir, "/proc/") ||
	    !strcmp(dir, "proc")) {
		for (int i = 0; i < proc_count(); i++)
			seq_printf(out, "%s\n", sorted[i]->name);
		return 0;
	}
	if (proc_name(dir) && proc_find(proc_name(dir))) {
		seq_printf(out, "%s\n", dir);
		return 0;
	}
	seq_printf(out, "ls: %s: No such file or directory\n", dir);
	return -ENOENT;
}
SHELL_COMMAND("ls", "ls [-l] [DIR]", "list a directory (/, /proc or /dev)",
	      cmd_ls);
