/*
 * kmemtrace: every allocation and free of the page allocator, the slab
 * layer, kmalloc, vmalloc and the page tables, written to a buffer as it
 * happens, and printed as text (`trace dump`, docs/kmemtrace.md) for a
 * host program to replay through the same mm/ code (tools/kmemtrace/).
 *
 * A trace starts with a snapshot of the buddy allocator: every free
 * block of every zone in list order and every page on the per-CPU
 * lists. The allocator is deterministic, so from that state the same
 * requests must give the same frames: that is what a replay checks.
 *
 * The buffer is a fixed array of records: the snapshot first, then the
 * events. When it is full, recording stops and every event that could
 * not be kept is counted as lost, so a trace that misses something says
 * so. Depth is kept per context (task, interrupt): an interrupt that
 * allocates does not look nested in what it interrupted. A task event
 * during which an interrupt recorded events is marked: which of the two
 * changed the free lists first is not known (docs/kmemtrace.md).
 */
#include <pagoda/bootmem.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/irqflags.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/params.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

#define KT_MAX_DEPTH 8
#define KT_CONTEXTS  2 /* task, interrupt */
#define KT_CACHES    128 /* cache_create records per trace */

int kmemtrace_active;
static bool recording;
static struct kmemtrace_event *buf;
static unsigned long cap, nr, nr_header, lost;
static struct kmemtrace_event *open_frames[KT_CONTEXTS][KT_MAX_DEPTH];
static unsigned int depth[KT_CONTEXTS];
/* Interrupt events so far, and that count when each open task frame began. */
static unsigned long irq_events, irq_mark[KT_MAX_DEPTH];
static struct kmemtrace_cache caches[KT_CACHES];
static unsigned long caches_used;
static bool from_boot;
static unsigned long boot_events;
static void *boot_buf;
static unsigned long boot_bytes;

static const char *const op_names[] = {
	[KT_NONE] = "none",
	[KT_PAGE_ALLOC] = "page_alloc",
	[KT_PAGE_FREE] = "page_free",
	[KT_DRAIN] = "drain",
	[KT_CACHE_CREATE] = "cache_create",
	[KT_CACHE_DESTROY] = "cache_destroy",
	[KT_CACHE_SHRINK] = "cache_shrink",
	[KT_CACHE_ALLOC] = "cache_alloc",
	[KT_CACHE_FREE] = "cache_free",
	[KT_KMALLOC] = "kmalloc",
	[KT_KFREE] = "kfree",
	[KT_VMALLOC] = "vmalloc",
	[KT_VFREE] = "vfree",
	[KT_VMAP] = "vmap",
	[KT_VUNMAP] = "vunmap",
	[KT_IOREMAP] = "ioremap",
	[KT_IOUNMAP] = "iounmap",
	[KT_PGTABLE_ALLOC] = "pgtable_alloc",
	[KT_PGTABLE_FREE] = "pgtable_free",
	[KT_INIT] = "init",
};

static const char *const init_names[] = {
	[KT_INIT_KMEM_CACHE] = "kmem_cache_init",
	[KT_INIT_KMALLOC] = "kmalloc_init",
	[KT_INIT_VMALLOC] = "vmalloc_init",
};

const char *kmemtrace_op_name(unsigned int op)
{
	return op < KT_NR_OPS ? op_names[op] : "?";
}

/* `kmemtrace=EVENTS`: record from boot, into a buffer of that many. */
static int set_kmemtrace(const char *val)
{
	unsigned long n;

	if (!val || kstrtoul(val, 0, &n) || n < KMEMTRACE_MIN_EVENTS ||
	    n > KMEMTRACE_MAX_EVENTS)
		return -EINVAL;
	boot_events = n;
	return 0;
}
early_param("kmemtrace", set_kmemtrace);

static unsigned int context(void)
{
	return in_interrupt() ? 1 : 0;
}

struct kmemtrace_event *__kmemtrace_begin(enum kmemtrace_op op,
					  unsigned long caller)
{
	struct kmemtrace_event *e = NULL;
	unsigned int c = context();
	unsigned long flags;

	local_irq_save(flags);
	if (!recording) {
		if (kmemtrace_active)
			lost++;
		goto out;
	}
	if (nr >= cap) {
		recording = false; /* full: from now on only count */
		lost++;
		goto out;
	}
	e = &buf[nr++];
	*e = (struct kmemtrace_event){
		.op = op,
		.depth = depth[c],
		.via = depth[c]
			       ? open_frames[c][min(depth[c], KT_MAX_DEPTH) - 1]
					 ->op
			       : KT_NONE,
		.flags = KT_OPEN | (c ? KT_IRQ : 0),
		.caller = caller,
	};
	if (c)
		irq_events++;
	else if (depth[c] < KT_MAX_DEPTH)
		irq_mark[depth[c]] = irq_events;
	if (depth[c] < KT_MAX_DEPTH)
		open_frames[c][depth[c]] = e;
	depth[c]++;
out:
	local_irq_restore(flags);
	return e;
}

void __kmemtrace_end(struct kmemtrace_event *e)
{
	unsigned int c = e->flags & KT_IRQ ? 1 : 0;
	unsigned long flags;

	local_irq_save(flags);
	if (!(e->flags & KT_OPEN))
		goto out; /* closed by kmemtrace_unwind() */
	e->flags &= ~KT_OPEN;
	if (!c && e->depth < KT_MAX_DEPTH && irq_mark[e->depth] != irq_events)
		e->flags |= KT_IRQ_INSIDE;
	if (depth[c])
		depth[c]--;
out:
	local_irq_restore(flags);
}

void __kmemtrace_injected(void)
{
	unsigned int c = context();

	if (recording && depth[c] && depth[c] <= KT_MAX_DEPTH)
		open_frames[c][depth[c] - 1]->flags |= KT_INJECTED;
}

static bool is_free_op(unsigned int op)
{
	return op == KT_CACHE_FREE || op == KT_KFREE;
}

/* The refused free and the kfree that passed it on, if any. */
void __kmemtrace_rejected(void)
{
	unsigned int c = context();
	unsigned long flags;
	unsigned int d;

	local_irq_save(flags);
	d = depth[c];
	if (d > KT_MAX_DEPTH)
		d = 0; /* deeper than the frames kept: unknown */
	while (d-- > 0 && is_free_op(open_frames[c][d]->op))
		open_frames[c][d]->flags |= KT_REJECTED;
	local_irq_restore(flags);
}

/*
 * Only the task context can be unwound (an oops in an interrupt
 * panics), and its open frames are its newest events: every event from
 * the outermost open one on that is still open was abandoned.
 */
void kmemtrace_unwind(void)
{
	unsigned long flags, from;

	local_irq_save(flags);
	if (depth[0] && buf && open_frames[0][0] >= buf + nr_header &&
	    open_frames[0][0] < buf + nr) {
		from = open_frames[0][0] - buf;
		for (unsigned long i = from; i < nr; i++) {
			if ((buf[i].flags & (KT_OPEN | KT_IRQ)) == KT_OPEN)
				buf[i].flags =
					(buf[i].flags & ~KT_OPEN) | KT_ABORTED;
		}
	}
	depth[0] = 0;
	local_irq_restore(flags);
}

unsigned long kmemtrace_zone_arg(const struct zone *z)
{
	return (unsigned long)zone_nid(z) | (unsigned long)zone_idx(z) << 8;
}

/* ---- the buffer and the header snapshot ---- */

void kmemtrace_set_buffer(void *b, unsigned long bytes)
{
	kmemtrace_stop();
	buf = b;
	cap = bytes / sizeof(*buf);
	nr = nr_header = lost = 0;
}

unsigned long kmemtrace_capacity(void)
{
	return cap;
}

unsigned long kmemtrace_snapshot_records(void)
{
	return nr_header;
}

static bool snap(enum kmemtrace_op op, unsigned long pfn, unsigned long order,
		 const struct zone *z, unsigned long cpu)
{
	if (nr >= cap)
		return false;
	buf[nr++] = (struct kmemtrace_event){
		.op = op,
		.ptr = pfn,
		.size = order,
		.arg = kmemtrace_zone_arg(z),
		.aux = cpu,
	};
	return true;
}

static bool snapshot_zone(struct zone *z)
{
	struct page *page;

	for (int o = 0; o < MAX_ORDER; o++) {
		list_for_each_entry(page, &z->free_area[o].free_list, lru) {
			if (!snap(KT_SNAP_FREE, page_to_pfn(page), o, z, 0))
				return false;
		}
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		list_for_each_entry(page, &z->pageset[cpu].pcp.list, lru) {
			if (!snap(KT_SNAP_PCP, page_to_pfn(page), 0, z, cpu))
				return false;
		}
	}
	return true;
}

static int start(bool boot)
{
	unsigned long flags;
	struct zone *z;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	local_irq_save(flags);
	recording = false;
	nr = nr_header = lost = caches_used = irq_events = 0;
	from_boot = boot;
	memset(depth, 0, sizeof(depth));
	for_each_zone(z)
	{
		if (populated_zone(z) && !snapshot_zone(z)) {
			err = -ENOSPC;
			nr = 0;
			break;
		}
	}
	nr_header = nr;
	/* A failed start must not leave the traced paths on: they would
	 * count every allocation as lost. */
	recording = !err;
	kmemtrace_active = !err;
	local_irq_restore(flags);
	return err;
}

/* From the shell: the snapshot stands for everything before. */
int kmemtrace_start(void)
{
	return start(false);
}

/* Before the first cache exists: the trace holds every cache's life. */
int kmemtrace_start_boot(void)
{
	return start(true);
}

void kmemtrace_stop(void)
{
	unsigned long flags;

	local_irq_save(flags);
	recording = false;
	kmemtrace_active = 0;
	memset(depth, 0, sizeof(depth));
	local_irq_restore(flags);
}

void kmemtrace_clear(void)
{
	kmemtrace_stop();
	nr = nr_header = lost = caches_used = 0;
	from_boot = false;
}

bool kmemtrace_recording(void)
{
	return recording;
}

unsigned long kmemtrace_events(void)
{
	return nr - nr_header;
}

const struct kmemtrace_event *kmemtrace_event(unsigned long seq)
{
	return seq < nr - nr_header ? &buf[nr_header + seq] : NULL;
}

unsigned long kmemtrace_lost(void)
{
	return lost;
}

void kmemtrace_boot_reserve(void)
{
	unsigned long bytes = boot_events * sizeof(struct kmemtrace_event);
	void *b;

	if (!boot_events)
		return;
	b = __alloc_bootmem_nopanic(bytes, PAGE_SIZE, 0);
	if (!b) {
		pr_err("kmemtrace: no %lu bytes for %lu events at boot\n",
		       bytes, boot_events);
		return;
	}
	boot_buf = b;
	boot_bytes = bytes;
	kmemtrace_set_buffer(b, bytes);
}

void *kmemtrace_boot_buffer(unsigned long *bytes)
{
	*bytes = boot_bytes;
	return boot_buf;
}

void kmemtrace_boot_start(void)
{
	if (!boot_events || !buf)
		return;
	if (kmemtrace_start_boot())
		pr_err("kmemtrace: the buddy snapshot does not fit in %lu "
		       "events\n",
		       cap);
	else
		pr_info("kmemtrace: recording, %lu events of %u bytes\n", cap,
			(unsigned int)sizeof(struct kmemtrace_event));
}

/* The cache may be gone by the time the trace is printed: its name and
 * geometry are kept here. A full pool leaves the record out (aux ~0). */
struct kmemtrace_cache *kmemtrace_keep_cache(struct kmemtrace_event *e)
{
	struct kmemtrace_cache *c;

	e->aux = ~0UL;
	if (caches_used >= KT_CACHES)
		return NULL;
	c = &caches[caches_used];
	memset(c, 0, sizeof(*c));
	e->aux = caches_used++;
	return c;
}

/* ---- the text ---- */

static const char *zone_name_of(unsigned long arg)
{
	unsigned int nid = arg & 0xff, idx = (arg >> 8) & 0xff;

	if (nid >= (unsigned int)nr_online_nodes || idx >= MAX_NR_ZONES)
		return "?";
	return NODE_DATA(nid)->node_zones[idx].name;
}

static void dump_header(struct seq_file *m, const char *arch,
			const char *cmdline)
{
	struct zone *z;

	seq_printf(m,
		   "kmemtrace-begin version=2 arch=%s page_size=%lu "
		   "max_order=%d nr_cpus=%d from=%s direct_map=%#lx\n",
		   arch, PAGE_SIZE, MAX_ORDER, NR_CPUS,
		   from_boot ? "boot" : "shell", (unsigned long)__va(0));
	seq_printf(m, "cmdline %s\n", cmdline ? cmdline : "");
	for_each_zone(z)
	{
		const struct per_cpu_pages *pcp = &z->pageset[0].pcp;

		if (!populated_zone(z))
			continue;
		seq_printf(m,
			   "zone node=%d zone=%s start=%#lx spanned=%lu "
			   "present=%lu min=%lu low=%lu high=%lu "
			   "lowmem_reserve=0 batch=%d pcp_high=%d\n",
			   zone_nid(z), z->name, z->zone_start_pfn,
			   z->spanned_pages, z->present_pages, z->pages_min,
			   z->pages_low, z->pages_high, pcp->batch, pcp->high);
	}
	for (unsigned long i = 0; i < nr_header; i++) {
		const struct kmemtrace_event *e = &buf[i];

		if (e->op == KT_SNAP_FREE)
			seq_printf(m,
				   "free node=%lu zone=%s order=%lu pfn=%#lx\n",
				   e->arg & 0xff, zone_name_of(e->arg), e->size,
				   e->ptr);
		else
			seq_printf(m, "pcp node=%lu zone=%s cpu=%lu pfn=%#lx\n",
				   e->arg & 0xff, zone_name_of(e->arg), e->aux,
				   e->ptr);
	}
}

/* Begun but never ended (still running, or abandoned by an oops). */
static bool unfinished(const struct kmemtrace_event *e)
{
	return e->flags & (KT_OPEN | KT_ABORTED);
}

static void dump_result(struct seq_file *m, const char *key,
			const struct kmemtrace_event *e)
{
	if (unfinished(e)) { /* open=1 or aborted=1 follows */
		seq_printf(m, " %s=none", key);
		return;
	}
	if (!(e->flags & KT_FAILED)) {
		seq_printf(m, " %s=%#lx", key, e->ptr);
		return;
	}
	seq_printf(m, " %s=none fail=%s", key,
		   e->flags & KT_INJECTED ? "injected" : "nomem");
}

/*
 * A made cache's name is one printable word (name_ok() in mm/slab.c);
 * a refused one may be anything, and its bytes that would end the field
 * or the line are written \xHH so the line still reads as key=value.
 */
static void dump_name(struct seq_file *m, const char *name)
{
	for (const char *p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch <= ' ' || ch >= 0x7f || ch == '=' || ch == '\\')
			seq_printf(m, "\\x%02x", ch);
		else
			seq_putc(m, ch);
	}
}

static void dump_cache(struct seq_file *m, unsigned long at)
{
	const struct kmemtrace_cache *c;

	if (at >= caches_used) {
		seq_puts(m, " record=none"); /* the pool was full */
		return;
	}
	c = &caches[at];
	seq_puts(m, " name=");
	dump_name(m, c->name);
	seq_printf(m,
		   " object_size=%u size=%u align=%u order=%u objects=%u "
		   "flags=%#x",
		   c->object_size, c->size, c->align, c->order, c->objects,
		   c->flags);
}

static void dump_fields(struct seq_file *m, const struct kmemtrace_event *e)
{
	switch (e->op) {
	case KT_PAGE_ALLOC:
		seq_printf(m, " order=%lu gfp=%#x", e->size, e->gfp);
		if (unfinished(e))
			seq_puts(m, " node=none zone=none");
		else
			seq_printf(m, " node=%lu zone=%s", e->arg & 0xff,
				   e->flags & KT_FAILED ? "none"
							: zone_name_of(e->arg));
		dump_result(m, "pfn", e);
		break;
	case KT_PAGE_FREE:
		seq_printf(m, " order=%lu zone=%s pfn=%#lx%s", e->size,
			   zone_name_of(e->arg), e->ptr,
			   e->flags & KT_COLD ? " cold=1" : "");
		break;
	case KT_CACHE_CREATE:
		dump_cache(m, e->aux);
		dump_result(m, "cache", e);
		break;
	case KT_CACHE_DESTROY:
	case KT_CACHE_SHRINK:
		seq_printf(m, " cache=%#lx", e->ptr);
		break;
	case KT_CACHE_ALLOC:
		seq_printf(m, " cache=%#lx gfp=%#x", e->arg, e->gfp);
		dump_result(m, "obj", e);
		break;
	case KT_CACHE_FREE:
		seq_printf(m, " cache=%#lx obj=%#lx", e->arg, e->ptr);
		break;
	case KT_KMALLOC:
		seq_printf(m, " size=%lu gfp=%#x", e->size, e->gfp);
		dump_result(m, "obj", e);
		break;
	case KT_VMALLOC:
		seq_printf(m, " size=%lu gfp=%#x", e->size, e->gfp);
		dump_result(m, "addr", e);
		break;
	case KT_VMAP: /* vmap() takes no gfp: its page tables use GFP_KERNEL */
		seq_printf(m, " size=%lu", e->size);
		dump_result(m, "addr", e);
		break;
	case KT_IOREMAP:
		seq_printf(m, " phys=%#lx size=%lu", e->arg, e->size);
		dump_result(m, "addr", e);
		break;
	case KT_PGTABLE_ALLOC:
		seq_printf(m, " gfp=%#x", e->gfp);
		dump_result(m, "table", e);
		break;
	case KT_KFREE:
		seq_printf(m, " obj=%#lx", e->ptr);
		break;
	case KT_VFREE:
	case KT_VUNMAP:
	case KT_IOUNMAP:
		seq_printf(m, " addr=%#lx", e->ptr);
		break;
	case KT_PGTABLE_FREE:
		seq_printf(m, " table=%#lx", e->ptr);
		break;
	case KT_INIT:
		seq_printf(m, " what=%s",
			   e->arg < ARRAY_SIZE(init_names) ? init_names[e->arg]
							   : "?");
		break;
	}
}

static void dump_event(struct seq_file *m, unsigned long seq,
		       const struct kmemtrace_event *e)
{
	seq_printf(m, "%lu %u %s via=%s", seq, e->depth,
		   kmemtrace_op_name(e->op), kmemtrace_op_name(e->via));
	dump_fields(m, e);
	if (e->flags & KT_IRQ)
		seq_puts(m, " irq=1");
	if (e->flags & KT_IRQ_INSIDE)
		seq_puts(m, " irq_inside=1");
	if (e->flags & KT_OPEN)
		seq_puts(m, " open=1");
	if (e->flags & KT_ABORTED)
		seq_puts(m, " aborted=1");
	seq_printf(m, " caller=%pS\n", (void *)e->caller);
}

/* Events the dump prints: all but the refused frees. */
static unsigned long dumped_events(void)
{
	unsigned long n = 0;

	for (unsigned long i = nr_header; i < nr; i++)
		n += !(buf[i].flags & KT_REJECTED);
	return n;
}

/* Printing allocates nothing, but it stops recording first all the
 * same: the trace must end where the dump was asked for. */
void kmemtrace_dump(struct seq_file *m, const char *arch, const char *cmdline)
{
	unsigned long count, seq = 0;

	kmemtrace_stop();
	count = dumped_events();
	dump_header(m, arch, cmdline);
	seq_printf(m, "events count=%lu lost=%lu\n", count, lost);
	for (unsigned long i = nr_header; i < nr; i++) {
		if (!(buf[i].flags & KT_REJECTED))
			dump_event(m, seq++, &buf[i]);
	}
	seq_printf(m, "kmemtrace-end events=%lu lost=%lu\n", count, lost);
}
