/*
 * Host tests of kmemtrace: the recorder (mm/kmemtrace.c) inside the
 * host build of the page and slab allocators, and the replay
 * (tools/kmemtrace/kmemreplay.c). A round trip records random page
 * traffic, prints the trace as the kernel's `trace dump` does, replays
 * it on a freshly built machine and expects the same /proc/buddyinfo;
 * one recorded from boot with slab traffic replays in full mode to the
 * same /proc/slabinfo too. A changed frame or object, a lost event or a
 * damaged dump must be refused.
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/hardirq.h>
#include <pagoda/irqflags.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/proc.h>
#include <pagoda/seq_file.h>
#include <pagoda/slab.h>

#include <setjmp.h>

#include "../../tools/kmemtrace/kmemreplay.h"
#include "arena.h"
#include "shim.h"
#include "test.h"

#define MiB	 (1UL << 20)
#define MAX_HELD 256

static char dump[4 << 20];
static char err[1024];

static void boot(void)
{
	host_arena_boot(64 * MiB);
	bootmem_set_limits(16 * MiB, 48 * MiB);
	mem_init();
	/* No cache of an earlier machine (or replay) stays on the list. */
	kmem_cache_init();
	host_log_clear();
}

static size_t dump_trace(void)
{
	struct seq_file m;

	seq_init(&m, dump, sizeof(dump) - 1, NULL);
	kmemtrace_dump(&m, "host", "highmem=16M");
	CHECK(!m.overflow);
	dump[m.count] = '\0';
	return m.count;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static const gfp_t gfps[] = {GFP_KERNEL, GFP_HIGHUSER, GFP_DMA | GFP_KERNEL,
			     GFP_KERNEL | __GFP_COLD, GFP_ATOMIC};

struct held {
	struct page *page;
	unsigned int order;
};

static void free_held(struct held *h)
{
	if (h->order == 0 && rnd(2))
		free_cold_page(h->page);
	else
		__free_pages(h->page, h->order);
}

/* Random allocations, frees (hot and cold) and drains. */
static void traffic(struct held *held, int *n, int steps)
{
	for (int i = 0; i < steps; i++) {
		unsigned int r = rnd(100);

		if (r < 55 && *n < MAX_HELD) {
			unsigned int order = rnd(4) ? 0 : rnd(6);
			struct page *p = alloc_pages(gfps[rnd(5)], order);

			if (p)
				held[(*n)++] = (struct held){p, order};
		} else if (r < 98 && *n) {
			int k = rnd(*n);

			free_held(&held[k]);
			held[k] = held[--*n];
		} else {
			drain_all_pages();
		}
	}
}

static const char *buddyinfo_copy(void)
{
	static char copy[4096];

	snprintf(copy, sizeof(copy), "%s", host_proc_show("buddyinfo"));
	return copy;
}

/* Record traffic on a machine already in use, so that the snapshot is
 * fragmented and blocks from before the trace are freed in it. */
static void record(void *buf, size_t bytes, int before, int during)
{
	static struct held held[MAX_HELD];
	int n = 0;

	boot();
	traffic(held, &n, before);
	kmemtrace_set_buffer(buf, bytes);
	CHECK_EQ(kmemtrace_start(), 0);
	traffic(held, &n, during);
	while (n > MAX_HELD / 2)
		free_held(&held[--n]);
	kmemtrace_stop();
}

static unsigned long page_events(const struct kr_trace *t)
{
	unsigned long n = 0;

	for (size_t i = 0; i < t->nr_ev; i++)
		n += !strcmp(t->ev[i].op, "page_alloc") ||
		     !strcmp(t->ev[i].op, "page_free");
	return n;
}

TEST(round_trip_gives_the_same_buddyinfo)
{
	static struct kmemtrace_event buf[60000];
	struct kr_trace t;
	const char *want;
	size_t len;

	record(buf, sizeof(buf), 600, 3000);
	CHECK_EQ(kmemtrace_lost(), 0);
	CHECK(kmemtrace_events() > 3000);
	want = buddyinfo_copy();
	len = dump_trace();
	CHECK_EQ(kr_parse(dump, len, &t, err, sizeof(err)), 0);
	CHECK_EQ(kr_replay_pages(&t, err, sizeof(err)), 0);
	if (*err)
		fprintf(stderr, "  replay: %s\n", err);
	CHECK(kr_adopted > 0); /* blocks from before the trace came back */
	CHECK_EQ(kr_replayed + kr_skipped_injected, page_events(&t));
	CHECK_STR(host_proc_show("buddyinfo"), want);
	kr_free(&t);
}

TEST(a_changed_frame_is_a_divergence_at_its_event)
{
	static struct kmemtrace_event buf[20000];
	struct kr_trace t;
	char *line, *pfn, want[64];
	unsigned long seq, order, v;
	size_t len;

	record(buf, sizeof(buf), 100, 800);
	len = dump_trace();
	/* The first order-0 allocation that got a page: point it elsewhere. */
	line = strstr(dump, " page_alloc via=none order=0 ");
	while (line && (pfn = strstr(line, " pfn=0x")) &&
	       strchr(line, '\n') < pfn)
		line = strstr(line + 1, " page_alloc via=none order=0 ");
	CHECK(line != NULL);
	if (!line)
		return;
	while (line > dump && line[-1] != '\n')
		line--;
	CHECK_EQ(sscanf(line, "%lu 0 page_alloc via=none order=%lu", &seq,
			&order),
		 2);
	pfn = strstr(line, " pfn=0x") + 5;
	v = strtoul(pfn, NULL, 16);
	/* Same width, another frame. */
	pfn[strlen("0x")] = pfn[2] == '1' ? '2' : '1';
	CHECK(strtoul(pfn, NULL, 16) != v);
	CHECK_EQ(kr_parse(dump, len, &t, err, sizeof(err)), 0);
	CHECK(kr_replay_pages(&t, err, sizeof(err)) != 0);
	snprintf(want, sizeof(want), "event %lu (page_alloc", seq);
	CHECK(strstr(err, want) != NULL);
	kr_free(&t);
}

/* ---- full mode: the slab layer replayed on replica caches ---- */

#define NR_OBJS 1500

static const char *table_copy(const char *name, char *copy, size_t len)
{
	snprintf(copy, len, "%s", host_proc_show(name));
	return copy;
}

/* Fill a cache's slabs and empty them again: new slabs, partial ones,
 * and empty ones given back past MAX_EMPTY_SLABS or by the shrink. */
static void fill_and_empty(struct kmem_cache *s, void **objs, int n)
{
	for (int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < n; i += 2)
		kmem_cache_free(s, objs[i]);
	for (int i = 1; i < n; i += 2) {
		if (rnd(4))
			kmem_cache_free(s, objs[i]);
		else /* kept: some slabs stay partial */
			objs[i / 2] = objs[i];
	}
}

/* Random kmalloc and kfree of every size class, some zeroed. */
static void kmalloc_traffic(void **objs, int *n, int steps)
{
	for (int i = 0; i < steps; i++) {
		if (rnd(100) < 55 && *n < NR_OBJS) {
			unsigned long size = 1 + rnd(rnd(8) ? 600 : 9000);
			void *p = rnd(3) ? kmalloc(size, GFP_KERNEL)
					 : kzalloc(size, GFP_KERNEL);

			if (p)
				objs[(*n)++] = p;
		} else if (*n) {
			int k = rnd(*n);

			kfree(objs[k]);
			objs[k] = objs[--*n];
		}
	}
}

/* Take every page: the allocator asks the slab shrinker for the empty
 * slabs in the middle of an allocation. Then give them all back. */
static void squeeze(void)
{
	static struct page *held[20000];
	int n = 0;
	struct page *p;

	while (n < 20000 && (p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		held[n++] = p;
	while (n)
		__free_pages(held[--n], 0);
}

/*
 * A machine recorded from boot: the slab layer's set-up, kmalloc, a
 * plain cache and a debug one filled and emptied, page traffic, a
 * shrink, a destroyed cache and memory pressure. The tables are copied
 * when recording stops.
 */
static void record_from_boot(void *buf, size_t bytes, char *buddy, char *slab,
			     size_t len)
{
	static void *objs[NR_OBJS], *mine[NR_OBJS];
	static struct held held[MAX_HELD];
	struct kmem_cache *plain, *dbg, *gone;
	int n = 0, nh = 0;

	boot();
	kmemtrace_set_buffer(buf, bytes);
	CHECK_EQ(kmemtrace_start_boot(), 0);
	kmem_cache_init();
	kmalloc_init();
	plain = kmem_cache_create("kt-plain", 200, 0, 0, NULL);
	dbg = kmem_cache_create("kt-debug", 72, 0,
				SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER |
					SLAB_DEBUG_FREE,
				NULL);
	gone = kmem_cache_create("kt-gone", 40, 8, 0, NULL);
	CHECK(plain && dbg && gone);
	kmalloc_traffic(objs, &n, 1500);
	fill_and_empty(plain, mine, 400);
	traffic(held, &nh, 400);
	fill_and_empty(dbg, mine + 200, 600);
	kmem_cache_free(gone, kmem_cache_alloc(gone, GFP_KERNEL));
	kmem_cache_destroy(gone);
	kmalloc_traffic(objs, &n, 1500);
	kmem_cache_shrink(plain);
	fill_and_empty(plain, mine + 500, 900);
	while (n > NR_OBJS / 4)
		kfree(objs[--n]);
	squeeze();
	kmalloc_traffic(objs, &n, 500);
	kmemtrace_stop();
	table_copy("buddyinfo", buddy, len);
	table_copy("slabinfo", slab, len);
}

static unsigned long count_lines(const char *text, const char *what)
{
	unsigned long n = 0;

	for (const char *p = text; (p = strstr(p, what)); p++)
		n++;
	return n;
}

TEST(full_replay_gives_the_same_slabinfo)
{
	static struct kmemtrace_event buf[200000];
	static char buddy[4096], slab[16384];
	struct kr_trace t;
	size_t len;

	record_from_boot(buf, sizeof(buf), buddy, slab, sizeof(slab));
	CHECK_EQ(kmemtrace_lost(), 0);
	len = dump_trace();
	CHECK(strstr(dump, " from=boot ") != NULL);
	/* What the replay must make again by itself. */
	CHECK(count_lines(dump, " page_alloc via=cache_alloc ") > 10);
	CHECK(count_lines(dump, " page_free via=cache_free ") > 0);
	CHECK(count_lines(dump, " page_free via=cache_shrink ") > 0);
	CHECK(count_lines(dump, " cache_shrink via=page_alloc ") > 0);
	CHECK_EQ(count_lines(dump, " cache_create via=none name=kmem_cache "),
		 1);
	CHECK_EQ(kr_parse(dump, len, &t, err, sizeof(err)), 0);
	CHECK(t.from_boot);
	CHECK_EQ(kr_replay_full(&t, err, sizeof(err)), 0);
	if (*err)
		fprintf(stderr, "  replay: %s\n", err);
	CHECK(kr_slab_ops > 3000);
	CHECK(kr_slab_pages > 10);
	CHECK_STR(host_proc_show("buddyinfo"), buddy);
	CHECK_STR(host_proc_show("slabinfo"), slab);
	CHECK(strstr(slab, "\nkt-debug ") && strstr(slab, "\nkmem_cache "));
	CHECK(!strstr(slab, "kt-gone"));
	kr_free(&t);
}

/* The value of key on event seq's line of the dump (len bytes) replaced
 * by val; returns the new length. */
static size_t with_value(size_t len, unsigned long seq, const char *key,
			 unsigned long val)
{
	char head[32], k[32], num[32], *line, *at, *end;
	size_t n;

	snprintf(head, sizeof(head), "\n%lu ", seq);
	snprintf(k, sizeof(k), " %s=", key);
	line = strstr(strstr(dump, "\nevents count="), head);
	CHECK(line != NULL);
	if (!line)
		return len;
	at = strstr(line, k) + strlen(k);
	end = strchr(at, ' ');
	n = (size_t)snprintf(num, sizeof(num), "%#lx", val);
	CHECK(len + n < sizeof(dump));
	memmove(at + n, end, dump + len + 1 - end);
	memcpy(at, num, n);
	return len + n - (size_t)(end - at);
}

static size_t with_obj(size_t len, unsigned long seq, unsigned long obj)
{
	return with_value(len, seq, "obj", obj);
}

TEST(a_changed_object_is_a_divergence_at_its_event)
{
	static struct kmemtrace_event buf[200000];
	static char buddy[4096], slab[16384];
	const struct kmemtrace_event *e = NULL;
	struct kr_trace t;
	unsigned long seq = 0;
	char want[64];
	size_t len;

	record_from_boot(buf, sizeof(buf), buddy, slab, sizeof(slab));
	/* A kmem_cache_alloc in the middle that got an object: the next
	 * slot (one inside a kmalloc would contradict the kmalloc). */
	for (seq = kmemtrace_events() / 4; (e = kmemtrace_event(seq)); seq++) {
		if (e->op == KT_CACHE_ALLOC && !(e->flags & KT_FAILED) &&
		    !e->depth)
			break;
	}
	CHECK(e != NULL);
	if (!e)
		return;
	len = dump_trace();
	len = with_obj(len, seq, e->ptr + 8);
	CHECK_EQ(kr_parse(dump, len, &t, err, sizeof(err)), 0);
	CHECK(kr_replay_full(&t, err, sizeof(err)) != 0);
	snprintf(want, sizeof(want), "event %lu (cache_alloc)", seq);
	CHECK(strstr(err, want) != NULL);
	if (!strstr(err, want))
		fprintf(stderr, "  replay: %s\n", err);
	kr_free(&t);
}

TEST(a_trace_from_the_shell_has_no_full_replay)
{
	static struct kmemtrace_event buf[20000];
	struct kr_trace t;
	size_t len;

	record(buf, sizeof(buf), 100, 300);
	len = dump_trace();
	CHECK(strstr(dump, " from=shell ") != NULL);
	CHECK_EQ(kr_parse(dump, len, &t, err, sizeof(err)), 0);
	CHECK(!t.from_boot);
	CHECK(kr_replay_full(&t, err, sizeof(err)) != 0);
	CHECK(strstr(err, "from the shell") != NULL);
	CHECK_EQ(kr_replay_pages(&t, err, sizeof(err)), 0);
	kr_free(&t);
}

TEST(a_full_buffer_counts_losses_and_the_replay_refuses)
{
	static struct kmemtrace_event big[20000], buf[1200];
	const uint64_t seed = rng;
	unsigned long all;
	struct kr_trace t;
	size_t len;

	/* The same traffic twice: into a buffer that holds it all, then
	 * into one that fills up. */
	record(big, sizeof(big), 50, 3000);
	CHECK_EQ(kmemtrace_lost(), 0);
	all = kmemtrace_events();
	rng = seed;
	record(buf, sizeof(buf), 50, 3000);
	CHECK(kmemtrace_lost() > 0);
	CHECK_EQ(kmemtrace_events(), 1200 - kmemtrace_snapshot_records());
	CHECK_EQ(kmemtrace_events() + kmemtrace_lost(), all);
	len = dump_trace();
	CHECK(strstr(dump, "kmemtrace-end") != NULL);
	CHECK(kr_parse(dump, len, &t, err, sizeof(err)) != 0);
	CHECK(strstr(err, "lost") != NULL);
	kr_free(&t);
}

/* Does the event line seq of the dump hold what? */
static bool line_has(const char *text, unsigned long seq, const char *what)
{
	char head[32];
	const char *line, *end;

	snprintf(head, sizeof(head), "\n%lu ", seq);
	line = strstr(strstr(text, "\nevents count="), head);
	if (!line)
		return false;
	end = strchr(line + 1, '\n');
	line = strstr(line, what);
	return line && line < end;
}

TEST(nesting_depth_via_and_interrupt_context)
{
	static struct kmemtrace_event buf[4096];
	struct kmemtrace_event *outer;
	struct kr_trace t;
	struct page *a, *b;

	boot();
	kmemtrace_set_buffer(buf, sizeof(buf));
	CHECK_EQ(kmemtrace_start(), 0);
	outer = kmemtrace_begin(KT_VMALLOC, 0x1234);
	a = alloc_pages(GFP_KERNEL, 1);
	irq_enter();
	b = alloc_page(GFP_ATOMIC);
	__free_page(b);
	irq_exit();
	kmemtrace_result(outer, 0x5000);
	kmemtrace_end(outer);
	__free_pages(a, 1);
	dump_trace();
	if (getenv("PAGODA_LOG"))
		fputs(dump, stderr);
	CHECK(strstr(dump, "\n0 0 vmalloc via=none size=0 gfp=0x0 "
			   "addr=0x5000") != NULL);
	CHECK(strstr(dump, "\n1 1 page_alloc via=vmalloc order=1 ") != NULL);
	CHECK(strstr(dump, "\n2 0 page_alloc via=none order=0 gfp=0x20 ") !=
	      NULL);
	CHECK(strstr(dump, "\n3 0 page_free via=none order=0 ") != NULL);
	CHECK(strstr(dump, "\n4 0 page_free via=none order=1 ") != NULL);
	CHECK(strstr(dump, "\nkmemtrace-end events=5 lost=0\n") != NULL);
	/* irq=1 on the interrupt's two events only; the vmalloc it came
	 * in the middle of is marked as overlapped, and refused. */
	CHECK_EQ(count_lines(dump, " irq=1 "), 2);
	CHECK(line_has(dump, 2, " irq=1 ") && line_has(dump, 3, " irq=1 "));
	CHECK_EQ(count_lines(dump, " irq_inside=1 "), 1);
	CHECK(line_has(dump, 0, " irq_inside=1 "));
	CHECK(kr_parse(dump, strlen(dump), &t, err, sizeof(err)) != 0);
	CHECK(strstr(err, "event 0 (vmalloc): an interrupt") != NULL);
	kr_free(&t);
}

/* ---- calls that never return, failed calls, a failed start ---- */

static jmp_buf oops;

/* A constructor that dies, as an oops in it would: control goes back
 * to the caller of setjmp, as the shell's oops recovery does. */
static void dying_ctor(void *obj)
{
	longjmp(oops, 1);
}

TEST(an_oops_inside_an_allocator_is_unwound)
{
	static struct kmemtrace_event buf[4096];
	struct kmem_cache *s;
	struct kr_trace t;
	struct page *p;
	char want[128];
	const char *at;

	boot();
	s = kmem_cache_create("kt-dies", 64, 0, 0, dying_ctor);
	CHECK(s != NULL);
	kmemtrace_set_buffer(buf, sizeof(buf));
	CHECK_EQ(kmemtrace_start(), 0);
	if (!setjmp(oops)) {
		kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(!"the constructor returned");
	}
	local_irq_enable();
	kmemtrace_unwind(); /* what oops_end() does before the jump */
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	dump_trace();
	snprintf(want, sizeof(want),
		 "\n0 0 cache_alloc via=none cache=%#lx gfp=0xd0 obj=none "
		 "aborted=1 caller=",
		 (unsigned long)s);
	CHECK(strstr(dump, want) != NULL);
	/* The slab's page came before the constructor: it ended. */
	CHECK(strstr(dump, "\n1 1 page_alloc via=cache_alloc order=0 ") &&
	      !line_has(dump, 1, "aborted") && !line_has(dump, 1, "open"));
	at = strstr(dump, "\n2 0 page_alloc via=none order=0 gfp=0xd0 ");
	CHECK(at && strstr(at, "\n3 0 page_free via=none order=0 "));
	CHECK_EQ(count_lines(dump, " open=1"), 0);
	CHECK(kr_parse(dump, strlen(dump), &t, err, sizeof(err)) != 0);
	CHECK(strstr(err, "event 0 (cache_alloc) was cut short by an oops") !=
	      NULL);
	kr_free(&t);
}

TEST(unfinished_and_failed_calls_show_no_result)
{
	static struct kmemtrace_event buf[4096];
	static struct page *held[64];
	struct kmemtrace_event *km, *pa;
	const char *fail, *line = NULL;
	struct kr_trace t;
	int n = 0;

	boot();
	kmemtrace_set_buffer(buf, sizeof(buf));
	CHECK_EQ(kmemtrace_start(), 0);
	/* The biggest blocks until there are none. */
	while (n < 64 && (held[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
						MAX_ORDER - 1)))
		n++;
	CHECK(n > 0 && n < 64);
	km = kmemtrace_begin(KT_KMALLOC, 0x1234);
	pa = kmemtrace_begin(KT_PAGE_ALLOC, 0x1234);
	CHECK(km && pa);
	dump_trace();
	fail = strstr(dump, " pfn=none fail=nomem ");
	for (line = fail; line && line > dump && line[-1] != '\n';)
		line--;
	CHECK(fail && strstr(line, " page_alloc via=none order=10 ") < fail);
	CHECK(fail && !memcmp(fail - 17, " node=0 zone=none", 17));
	CHECK(strstr(dump, " 0 kmalloc via=none size=0 gfp=0x0 obj=none "
			   "open=1 caller=") != NULL);
	CHECK(strstr(dump,
		     " 1 page_alloc via=kmalloc order=0 gfp=0x0 "
		     "node=none zone=none pfn=none open=1 caller=") != NULL);
	CHECK(kr_parse(dump, strlen(dump), &t, err, sizeof(err)) != 0);
	CHECK(strstr(err, " (kmalloc) had not returned") != NULL);
	kmemtrace_end(pa);
	kmemtrace_end(km);
	while (n)
		__free_pages(held[--n], MAX_ORDER - 1);
	kr_free(&t);
}

TEST(a_failed_start_stops_the_traced_paths)
{
	static struct kmemtrace_event buf[4096];
	static struct page *held[400];
	unsigned long snap;

	boot();
	kmemtrace_set_buffer(buf, sizeof(buf));
	CHECK_EQ(kmemtrace_start(), 0);
	snap = kmemtrace_snapshot_records();
	/* A buffer that holds this snapshot and a little more ... */
	kmemtrace_set_buffer(buf, (snap + 50) * sizeof(buf[0]));
	CHECK_EQ(kmemtrace_start(), 0);
	/* ... then a snapshot of 200 more free blocks. */
	for (int i = 0; i < 400; i++)
		held[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 400; i += 2)
		__free_page(held[i]);
	drain_all_pages();
	CHECK_EQ(kmemtrace_start(), -ENOSPC);
	CHECK_EQ(kmemtrace_active, 0);
	CHECK(!kmemtrace_recording());
	for (int i = 1; i < 400; i += 2)
		__free_page(held[i]);
	CHECK_EQ(kmemtrace_lost(), 0);
	CHECK_EQ(kmemtrace_events(), 0);
}

/* ---- cache names ---- */

TEST(a_cache_name_is_one_printable_word)
{
	static struct kmemtrace_event buf[4096];
	static const char *const bad[] = {"x size=8", "a=b", "tab\tname",
					  "bell\a"};
	static struct kmem_cache *made[130];
	struct kmem_cache *q;
	struct kr_trace t;
	char name[24];
	int n = 0;

	boot();
	kmemtrace_set_buffer(buf, sizeof(buf));
	CHECK_EQ(kmemtrace_start_boot(), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		host_log_clear();
		CHECK(kmem_cache_create(bad[i], 8, 0, 0, NULL) == NULL);
		CHECK(host_log_contains("one printable word"));
	}
	q = kmem_cache_create("?", 24, 0, 0, NULL);
	CHECK(q != NULL);
	/* Past the trace's 128 cache records. */
	while (n < 130) {
		snprintf(name, sizeof(name), "kt-%d", n);
		made[n++] = kmem_cache_create(name, 32, 0, 0, NULL);
	}
	dump_trace();
	/* A refused name is escaped: the line still reads as key=value. */
	CHECK(strstr(dump, " name=x\\x20size\\x3d8 object_size=8 ") != NULL);
	CHECK(strstr(dump, " name=tab\\x09name ") != NULL);
	CHECK(strstr(dump, " name=? object_size=24 ") != NULL);
	CHECK_EQ(count_lines(dump, " record=none "), 130 + 5 - 128);
	CHECK_EQ(kr_parse(dump, strlen(dump), &t, err, sizeof(err)), 0);
	CHECK_STR(t.geo[4].name, "?");
	CHECK_STR(t.geo[0].name, "x size=8");
	for (size_t i = t.nr_ev; i-- > 0;) {
		if (!strcmp(t.ev[i].op, "cache_create")) {
			CHECK_EQ(t.ev[i].geo, -1); /* the last, past 128 */
			break;
		}
	}
	kr_free(&t);
	while (n)
		kmem_cache_destroy(made[--n]);
	kmem_cache_destroy(q);
}

/* ---- frees the replay must check ---- */

/* The first task event at or after *seq of op at depth 0, or NULL. */
static const struct kmemtrace_event *find_event(unsigned long *seq,
						unsigned int op)
{
	const struct kmemtrace_event *e;

	for (; (e = kmemtrace_event(*seq)); ++*seq) {
		if (e->op == op && !e->depth && !(e->flags & KT_IRQ))
			return e;
	}
	return NULL;
}

/* An object of cache that the trace allocated before event `before`
 * and never freed, other than obj (0 if none). */
static unsigned long live_object_of(unsigned long cache, unsigned long before,
				    unsigned long obj)
{
	const struct kmemtrace_event *a, *f;

	for (unsigned long i = 0; i < before; i++) {
		bool freed = false;

		a = kmemtrace_event(i);
		if (a->op != KT_CACHE_ALLOC || a->arg != cache ||
		    (a->flags & KT_FAILED) || a->ptr == obj)
			continue;
		for (unsigned long j = i + 1; (f = kmemtrace_event(j)); j++)
			freed |= f->op == KT_CACHE_FREE && f->ptr == a->ptr;
		if (!freed)
			return a->ptr;
	}
	return 0;
}

static void expect_refusal_at(size_t len, unsigned long seq, const char *op,
			      bool full, const char *why)
{
	struct kr_trace t;
	char want[64];
	int r;

	snprintf(want, sizeof(want), "event %lu (%s", seq, op);
	r = kr_parse(dump, len, &t, err, sizeof(err));
	if (!r)
		r = full ? kr_replay_full(&t, err, sizeof(err))
			 : kr_replay_pages(&t, err, sizeof(err));
	CHECK(r != 0);
	CHECK(strstr(err, want) != NULL && strstr(err, why) != NULL);
	if (!strstr(err, want) || !strstr(err, why))
		fprintf(stderr, "  replay: %s\n", err);
	kr_free(&t);
}

TEST(a_trace_from_boot_frees_only_what_it_allocated)
{
	static struct kmemtrace_event buf[200000];
	static char buddy[4096], slab[16384];
	static char copy[sizeof(dump)];
	const struct kmemtrace_event *e, *prev = NULL;
	unsigned long pf, cf, kf, freed = 0, other;
	size_t len;

	record_from_boot(buf, sizeof(buf), buddy, slab, sizeof(slab));
	/* The events to alter, found before a replay records its own. */
	pf = kmemtrace_events() / 2;
	while ((e = find_event(&pf, KT_PAGE_FREE)) && e->size)
		pf++;
	CHECK(e != NULL);
	for (cf = 0; (e = find_event(&cf, KT_CACHE_FREE)); cf++) {
		if (prev && prev == kmemtrace_event(cf - 1) &&
		    prev->arg == e->arg) {
			freed = prev->ptr;
			break;
		}
		prev = e;
	}
	CHECK(e != NULL);
	for (kf = kmemtrace_events() / 2; (e = find_event(&kf, KT_KFREE));
	     kf++) {
		if (kmemtrace_event(kf + 1)->op == KT_CACHE_FREE)
			break;
	}
	CHECK(e != NULL);
	if (!e)
		return;
	other = live_object_of(kmemtrace_event(kf + 1)->arg, kf, e->ptr);
	CHECK(other != 0);
	len = dump_trace();
	memcpy(copy, dump, len + 1);

	/* An order-0 page free moved to a frame of mem_map: bootmem's,
	 * never given out by the buddy allocator. */
	len = with_value(len, pf, "pfn", page_to_pfn(virt_to_page(mem_map)));
	expect_refusal_at(len, pf, "page_free", true,
			  "was not allocated in the trace");

	/* A kmem_cache_free of the object its cache freed just before. */
	len = strlen(memcpy(dump, copy, sizeof(copy)));
	len = with_value(len, cf, "obj", freed);
	expect_refusal_at(len, cf, "cache_free", true,
			  "that the trace allocated and has not freed");

	/* A kfree's cache_free naming another live object of its cache. */
	len = strlen(memcpy(dump, copy, sizeof(copy)));
	len = with_value(len, kf + 1, "obj", other);
	expect_refusal_at(len, kf + 1, "cache_free", true,
			  "the kfree it is in");
}

TEST(a_trace_from_the_shell_frees_no_block_it_knows_as_free)
{
	static struct kmemtrace_event buf[20000];
	const struct kmemtrace_event *e;
	unsigned long seq = 0, pfn;
	const char *blk;
	size_t len;

	record(buf, sizeof(buf), 100, 800);
	len = dump_trace();
	/* A frame inside a free block of the snapshot. */
	blk = strstr(dump, "\nfree node=0 zone=Normal order=3 pfn=");
	CHECK(blk != NULL);
	if (!blk)
		return;
	pfn = strtoul(strstr(blk, "pfn=") + 4, NULL, 16) + 2;
	while ((e = find_event(&seq, KT_PAGE_FREE)) && e->size)
		seq++;
	CHECK(e != NULL);
	len = with_value(len, seq, "pfn", pfn);
	expect_refusal_at(len, seq, "page_free", false,
			  "overlaps a block that is free");
}

TEST(a_free_the_guest_refused_is_no_event)
{
	static struct kmemtrace_event buf[4096];
	struct kmem_cache *dbg;
	unsigned long page;
	struct kr_trace t;
	char want[80];
	void *a, *b;

	boot();
	kmemtrace_set_buffer(buf, sizeof(buf));
	CHECK_EQ(kmemtrace_start_boot(), 0);
	kmem_cache_init();
	kmalloc_init();
	dbg = kmem_cache_create("kt-dbg", 40, 0,
				SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER |
					SLAB_DEBUG_FREE,
				NULL);
	a = kmalloc(64, GFP_KERNEL);
	b = kmem_cache_alloc(dbg, GFP_KERNEL);
	page = __get_free_page(GFP_KERNEL);
	host_log_clear();
	kfree(a);
	kfree(a); /* refused: already free */
	CHECK(host_log_contains("Object already free"));
	kmem_cache_free(dbg, b);
	host_log_clear();
	kmem_cache_free(dbg, b); /* refused by the debug checks */
	CHECK(host_log_contains("kt-dbg"));
	kfree((void *)page); /* refused: not kmalloc's */
	free_page(page);
	kmemtrace_stop();
	dump_trace();
	snprintf(want, sizeof(want), " kfree via=none obj=%#lx ",
		 (unsigned long)a);
	CHECK_EQ(count_lines(dump, want), 1);
	snprintf(want, sizeof(want), " obj=%#lx ", (unsigned long)b);
	CHECK_EQ(count_lines(dump, want), 2); /* its alloc and one free */
	snprintf(want, sizeof(want), " kfree via=none obj=%#lx ", page);
	CHECK_EQ(count_lines(dump, want), 0);
	CHECK_EQ(kr_parse(dump, strlen(dump), &t, err, sizeof(err)), 0);
	err[0] = '\0';
	CHECK_EQ(kr_replay_full(&t, err, sizeof(err)), 0);
	if (*err)
		fprintf(stderr, "  replay: %s\n", err);
	kr_free(&t);
}

static const char good[] =
	"pagoda> trace dump\r\n"
	"kmemtrace-begin version=2 arch=i386 page_size=4096 max_order=11 "
	"nr_cpus=1 from=shell direct_map=0xc0000000\r\n"
	"cmdline panic=-1 kmemtrace=4096\r\n"
	"zone node=0 zone=DMA start=0x0 spanned=4096 present=3998 min=9 "
	"low=11 high=13 lowmem_reserve=0 batch=0 pcp_high=0\r\n"
	"zone node=0 zone=Normal start=0x1000 spanned=4096 present=4096 "
	"min=20 low=25 high=30 lowmem_reserve=0 batch=3 pcp_high=18\r\n"
	"free node=0 zone=DMA order=10 pfn=0x400\r\n"
	"free node=0 zone=Normal order=3 pfn=0x1008\r\n"
	"pcp node=0 zone=Normal cpu=0 pfn=0x1001\r\n"
	"events count=3 lost=0\r\n"
	"0 0 page_alloc via=none order=0 gfp=0xd0 node=0 zone=Normal "
	"pfn=0x1001 caller=f+0x1/0x2\r\n"
	"1 0 page_alloc via=none order=2 gfp=0xd0 node=0 zone=Normal "
	"pfn=none fail=injected caller=f+0x1/0x2\r\n"
	"2 0 page_free via=none order=0 zone=Normal pfn=0x1001 cold=1 "
	"caller=g+0x1/0x2\r\n"
	"kmemtrace-end events=3 lost=0\r\n"
	"pagoda> ";

TEST(parse_a_dump_with_console_text_around_it)
{
	struct kr_trace t;

	CHECK_EQ(kr_parse(good, sizeof(good) - 1, &t, err, sizeof(err)), 0);
	CHECK_STR(t.arch, "i386");
	CHECK_EQ(t.nr_zones, 2);
	CHECK_EQ(t.zones[1].start, 0x1000);
	CHECK_EQ(t.zones[1].pcp_high, 18);
	CHECK_EQ(t.nr_free, 2);
	CHECK_EQ(t.free[1].order, 3);
	CHECK_EQ(t.nr_pcp, 1);
	CHECK_EQ(t.nr_ev, 3);
	CHECK_EQ(t.ev[0].pfn, 0x1001);
	CHECK(t.ev[1].failed && t.ev[1].injected);
	CHECK(t.ev[2].cold && !t.ev[0].cold);
	kr_free(&t);
}

/* good with one piece of text replaced. */
static int parse_with(const char *from, const char *to)
{
	static char text[sizeof(good) + 256];
	const char *at = strstr(good, from);
	struct kr_trace t;
	int r;

	CHECK(at != NULL);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good), good, to,
		 at + strlen(from));
	r = kr_parse(text, strlen(text), &t, err, sizeof(err));
	kr_free(&t);
	return r;
}

TEST(parse_refuses_damaged_dumps)
{
	CHECK(parse_with("kmemtrace-end events=3 lost=0\r\npagoda> ", "") != 0);
	CHECK(strstr(err, "cut short") != NULL);
	CHECK(parse_with("kmemtrace-end events=3 lost=0", "") != 0);
	CHECK(strstr(err, "cannot read") != NULL);
	CHECK(parse_with("count=3 lost=0", "count=3 lost=2") != 0);
	CHECK(strstr(err, "lost 2 events") != NULL);
	CHECK(parse_with("2 0 page_free", "3 0 page_free") != 0);
	CHECK(strstr(err, "line ") != NULL);
	CHECK(parse_with("free node=0 zone=Normal",
			 "free node=0 zone=Nowhere") != 0);
	CHECK(parse_with("version=2", "version=1") != 0);
	CHECK(strstr(err, "version 2") != NULL);
	CHECK(parse_with("from=shell", "from=nowhere") != 0);
	CHECK(parse_with(" direct_map=0xc0000000", "") != 0);
	CHECK(parse_with("max_order=11", "max_order=12") != 0);
	CHECK(parse_with("order=3 pfn", "order=99 pfn") != 0);
	CHECK(parse_with("pfn=0x1001 caller", "pfn=0x10zz caller") != 0);
	CHECK(parse_with("cmdline",
			 "[ 1.0] a printk in the middle\r\ncmdline") != 0);
	CHECK(parse_with("count=3", "count=4") != 0);
	CHECK(parse_with("kmemtrace-begin", "kmemtrace-BEGIN") != 0);
	CHECK(parse_with("", "") == 0);
	/* A value with a space: a stray or repeated key. */
	CHECK(parse_with("cold=1", "cold=1 x") != 0);
	CHECK(parse_with("zone=Normal pfn=0x1001 cold",
			 "zone=Normal "
			 "pfn=0x1001 zone=DMA cold") != 0);
	/* A second dump in the same text. */
	CHECK(parse_with("lost=0\r\npagoda> ",
			 "lost=0\r\nkmemtrace-begin version=2\r\n") != 0);
	CHECK(strstr(err, "more than one dump") != NULL);
}

TEST(parse_refuses_a_cache_name_that_is_not_one_word)
{
	static const char create[] =
		"2 0 cache_create via=none name=%s object_size=8 size=8 "
		"align=8 order=0 objects=512 flags=0x0 cache=0xc1000000 "
		"caller=g+0x1/0x2";
	char line[256];

	snprintf(line, sizeof(line), create, "x size=8");
	CHECK(parse_with("2 0 page_free via=none order=0 zone=Normal "
			 "pfn=0x1001 cold=1 caller=g+0x1/0x2",
			 line) != 0);
	snprintf(line, sizeof(line), create, "x\\x20size\\x3d8");
	CHECK(parse_with("2 0 page_free via=none order=0 zone=Normal "
			 "pfn=0x1001 cold=1 caller=g+0x1/0x2",
			 line) != 0);
	CHECK(strstr(err, "not one printable word") != NULL);
	snprintf(line, sizeof(line), create, "?");
	CHECK(parse_with("2 0 page_free via=none order=0 zone=Normal "
			 "pfn=0x1001 cold=1 caller=g+0x1/0x2",
			 line) == 0);
}

TEST_MAIN()
