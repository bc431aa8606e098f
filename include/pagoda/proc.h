/*
 * The /proc registry (kernel/proc.c). A table is a name and a function
 * that prints it; PROC_TABLE() registers one from the file whose state it
 * shows, so mm/bootmem.c carries /proc/bootmem and so on.
 */
#ifndef PAGODA_PROC_H
#define PAGODA_PROC_H

#include <pagoda/seq_file.h>

struct proc_table {
	const char *name;
	void (*show)(struct seq_file *m);
};

#define PROC_TABLE(tname, fn)                                              \
	static const struct proc_table __proc_##fn __used                   \
		__section("pagoda_proc") __aligned(sizeof(void *)) = {      \
			.name = tname,                                      \
			.show = fn,                                         \
		}

const struct proc_table *proc_find(const char *name);
/* Iterate: idx from 0 until NULL, sorted by name. */
const struct proc_table *proc_table_at(int idx);
int proc_count(void);

#endif
