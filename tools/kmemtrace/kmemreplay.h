/*
 * Reading a kmemtrace dump (docs/kmemtrace.md) and replaying it through
 * the host build of mm/ (tools/kmemtrace/kmemreplay.c). The command-line
 * program is tools/kmemtrace/main.c; tests/host/test_kmemtrace.c tests
 * both halves.
 */
#ifndef KMEMREPLAY_H
#define KMEMREPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define KR_MAX_ZONES 3

struct kr_zone {
	char name[16];
	int node;
	unsigned long start, spanned, present;
	unsigned long min, low, high;
	int batch, pcp_high;
};

/* A free block or a per-CPU page of the header snapshot, in list order. */
struct kr_block {
	int zone; /* index into kr_trace.zones */
	unsigned int order;
	int cpu;
	unsigned long pfn;
};

/* A cache_create's record: the guest cache's name and geometry. */
struct kr_geometry {
	char name[32];
	unsigned long object_size, size, align, order, objects, flags;
};

/* The fields a replay uses; the rest of the line stays in the text. */
struct kr_event {
	unsigned long seq;
	unsigned int depth;
	char op[16];
	char via[16];
	unsigned int order;
	unsigned long gfp;
	int node;
	unsigned long pfn;
	unsigned long cache; /* cache_*: the guest's cache */
	unsigned long obj; /* cache_alloc, cache_free, kmalloc, kfree */
	long geo; /* cache_create: index into kr_trace.geo, -1 if none */
	long parent; /* the event it is nested in, -1 at depth 0 */
	bool failed, injected, cold, irq;
};

struct kr_trace {
	int version;
	char arch[16];
	unsigned long page_size;
	int max_order, nr_cpus;
	bool from_boot; /* from=boot: every cache's life is in the trace */
	unsigned long direct_map; /* the guest's address of physical 0 */
	int nr_zones;
	struct kr_zone zones[KR_MAX_ZONES];
	struct kr_block *free, *pcp;
	size_t nr_free, nr_pcp;
	struct kr_event *ev;
	size_t nr_ev;
	struct kr_geometry *geo;
	size_t nr_geo;
	unsigned long count, lost;
	/* While parsing: the open event at each depth, task and interrupt. */
	long open[2][64];
	int top[2];
};

/*
 * Parse the dump between "kmemtrace-begin" and "kmemtrace-end" in text
 * (anything around it, such as the console's prompt and echo, is
 * skipped; a text with a second dump is refused). Returns 0, or -1 with
 * the reason, naming the line, in err. Besides damage, a trace is
 * refused when an event cannot be replayed soundly: one that had not
 * returned (open=1), one an oops cut short (aborted=1), one an
 * interrupt's events overlapped (irq_inside=1), and a nested event
 * that contradicts its parent (a kfree's cache_free of another object).
 */
int kr_parse(const char *text, size_t len, struct kr_trace *t, char *err,
	     size_t errlen);
void kr_free(struct kr_trace *t);

/*
 * Rebuild the guest's zones and buddy state in a fresh host arena and
 * replay every page event (page_alloc, page_free, drain). Returns 0, or
 * -1 with the first divergence (by sequence number) in err.
 */
int kr_replay_pages(const struct kr_trace *t, char *err, size_t errlen);

/*
 * Full mode, for a trace from boot: the same, with the slab layer run
 * again too. Every cache the trace creates gets a replica with the
 * guest's geometry; cache_alloc, cache_free, cache_shrink and
 * cache_destroy run on the replicas, whose own page allocations and
 * frees must be the guest's, event by event. /proc/slabinfo then lists
 * the replicas only. Refuses a trace started from the shell.
 */
int kr_replay_full(const struct kr_trace *t, char *err, size_t errlen);

/* Page events replayed by the last replay; slab operations (full mode). */
extern unsigned long kr_replayed, kr_skipped_injected, kr_adopted;
extern unsigned long kr_slab_ops, kr_slab_pages;

#endif
