/*
 * kmemreplay: replay a kmemtrace dump (the kernel's `trace dump`, with
 * or without the console text around it) on the host and print the
 * /proc/buddyinfo it leads to, and for a trace from boot the
 * /proc/slabinfo too, from the same show functions the kernel uses.
 * Divergences from the guest are reported and the exit status is 1;
 * docs/kmemtrace.md says how to use it.
 *
 *	kmemreplay [FILE]       (standard input without FILE)
 */
#include <pagoda/proc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmemreplay.h"
#include "shim.h"

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap) {
			if (ferror(f)) {
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
		cap *= 2;
		char *nb = realloc(buf, cap);

		if (!nb)
			free(buf);
		buf = nb;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct kr_trace t;
	char err[1024];
	const char *table;
	FILE *f = stdin;
	size_t len;
	char *text;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
		fprintf(stderr, "usage: kmemreplay [FILE]\n");
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "-") && !(f = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 2;
	}
	text = read_all(f, &len);
	if (!text) {
		fprintf(stderr, "kmemreplay: cannot read the trace\n");
		return 2;
	}
	if (kr_parse(text, len, &t, err, sizeof(err))) {
		fprintf(stderr, "kmemreplay: %s\n", err);
		return 1;
	}
	if ((t.from_boot ? kr_replay_full : kr_replay_pages)(&t, err,
							     sizeof(err))) {
		fprintf(stderr, "kmemreplay: divergence: %s\n", err);
		return 1;
	}
	fprintf(stderr,
		"kmemreplay: %s trace from %s, %zu events, %lu page events "
		"replayed (%lu blocks from before the trace freed, %lu "
		"injected failures skipped), ",
		t.arch, t.from_boot ? "boot" : "the shell", t.nr_ev,
		kr_replayed, kr_adopted, kr_skipped_injected);
	if (t.from_boot)
		fprintf(stderr,
			"%lu slab operations on %zu replica caches making "
			"%lu page events, no divergence\n",
			kr_slab_ops, t.nr_geo, kr_slab_pages);
	else
		fprintf(stderr, "no divergence; slabinfo is not available "
				"for a trace started from the shell\n");
	table = host_proc_show("buddyinfo");
	if (!table)
		return 1;
	fputs(table, stdout);
	if (t.from_boot) {
		table = host_proc_show("slabinfo");
		if (!table)
			return 1;
		fputs(table, stdout);
	}
	kr_free(&t);
	free(text);
	return 0;
}
