/*
 * kmemtrace replay: read a trace printed by the kernel's `trace dump`
 * and run its page events again through the host build of
 * mm/page_alloc.c, so that /proc/buddyinfo can be compared with the
 * guest's off the machine.
 *
 * The host gets a fresh arena laid out like the guest's physical
 * memory: the guest's frames where the guest has them, and beyond them
 * an extra region that holds the host's own mem_map, so no metadata
 * sits in a frame the replay hands out. mem_init() sets the host up as
 * usual; then the zones take the guest's geometry, watermarks and
 * per-CPU limits from the header, and the free lists and per-CPU lists
 * are replaced by the header's snapshot, in list order. From there the
 * buddy allocator is deterministic: every allocation must return the
 * frame the guest got, and the first one that does not is reported.
 */
#include <pagoda/bootmem.h>
#include <pagoda/gfp.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/proc.h>
#include <pagoda/slab.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../mm/slab.h"
#include "kmemreplay.h"
#include "shim.h"

unsigned long kr_replayed, kr_skipped_injected, kr_adopted;
unsigned long kr_slab_ops, kr_slab_pages;

/* ---- parsing ---- */

struct cursor {
	const char *p, *end;
	unsigned long lineno;
	char line[1024];
};

/* The next line, without its end-of-line characters; false at the end. */
static bool next_line(struct cursor *c)
{
	const char *nl;
	size_t n;

	if (c->p >= c->end)
		return false;
	nl = memchr(c->p, '\n', c->end - c->p);
	n = (nl ? nl : c->end) - c->p;
	c->lineno++;
	if (n >= sizeof(c->line))
		n = sizeof(c->line) - 1;
	memcpy(c->line, c->p, n);
	while (n && (c->line[n - 1] == '\r' || c->line[n - 1] == ' '))
		n--;
	c->line[n] = '\0';
	c->p = nl ? nl + 1 : c->end;
	return true;
}

/* The value of " key=" in line, copied into val; false if absent. */
static bool field(const char *line, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ') && p[klen] == '=') {
			size_t n = strcspn(p + klen + 1, " ");

			if (n >= len)
				return false;
			memcpy(val, p + klen + 1, n);
			val[n] = '\0';
			return true;
		}
		p += klen;
	}
	return false;
}

static bool num(const char *line, const char *key, unsigned long *v)
{
	char buf[32], *end;

	if (!field(line, key, buf, sizeof(buf)) || !buf[0])
		return false;
	errno = 0;
	*v = strtoul(buf, &end, 0);
	return !*end && !errno;
}

static bool inum(const char *line, const char *key, int *v)
{
	unsigned long u;

	if (!num(line, key, &u) || u > 1UL << 30)
		return false;
	*v = (int)u;
	return true;
}

/* The message after a prefix of n bytes (dropped if it did not fit). */
static int vfail_after(char *err, size_t len, int n, const char *fmt,
		       va_list ap)
{
	if (n < 0 || (size_t)n >= len)
		n = 0;
	vsnprintf(err + n, len - n, fmt, ap);
	return -1;
}

static int fail(char *err, size_t len, const struct cursor *c, const char *fmt,
		...)
{
	va_list ap;
	int n = c ? snprintf(err, len, "line %lu: ", c->lineno) : 0;

	va_start(ap, fmt);
	vfail_after(err, len, n, fmt, ap);
	va_end(ap);
	return -1;
}

static int zone_by_name(const struct kr_trace *t, const char *name)
{
	for (int i = 0; i < t->nr_zones; i++) {
		if (!strcmp(t->zones[i].name, name))
			return i;
	}
	return -1;
}

static int parse_zone(struct kr_trace *t, const char *line)
{
	struct kr_zone *z;

	if (t->nr_zones >= KR_MAX_ZONES)
		return -1;
	z = &t->zones[t->nr_zones];
	if (!field(line, "zone", z->name, sizeof(z->name)) ||
	    !inum(line, "node", &z->node) || !num(line, "start", &z->start) ||
	    !num(line, "spanned", &z->spanned) ||
	    !num(line, "present", &z->present) || !num(line, "min", &z->min) ||
	    !num(line, "low", &z->low) || !num(line, "high", &z->high) ||
	    !inum(line, "batch", &z->batch) ||
	    !inum(line, "pcp_high", &z->pcp_high) ||
	    zone_by_name(t, z->name) >= 0)
		return -1;
	t->nr_zones++;
	return 0;
}

static bool grow(void **v, size_t n, size_t size)
{
	void *nv;

	if (n & (n - 1) && n) /* grows at powers of two */
		return true;
	nv = realloc(*v, (n ? 2 * n : 64) * size);
	if (!nv)
		return false;
	*v = nv;
	return true;
}

static int parse_block(struct kr_trace *t, const char *line, bool pcp)
{
	struct kr_block b = {0};
	char zname[16];
	unsigned long order = 0;
	int node;

	if (!field(line, "zone", zname, sizeof(zname)) ||
	    !inum(line, "node", &node) || node != 0 ||
	    !num(line, "pfn", &b.pfn) || (b.zone = zone_by_name(t, zname)) < 0)
		return -1;
	if (pcp) {
		if (!inum(line, "cpu", &b.cpu) || b.cpu >= t->nr_cpus)
			return -1;
		if (!grow((void **)&t->pcp, t->nr_pcp, sizeof(b)))
			return -1;
		t->pcp[t->nr_pcp++] = b;
		return 0;
	}
	if (!num(line, "order", &order) || order >= (unsigned long)t->max_order)
		return -1;
	b.order = order;
	if (!grow((void **)&t->free, t->nr_free, sizeof(b)))
		return -1;
	t->free[t->nr_free++] = b;
	return 0;
}

/* A result field: a number, or "none" with fail= saying why. */
static int parse_result(const char *line, const char *key, unsigned long *v,
			struct kr_event *e)
{
	char buf[32];

	if (!field(line, key, buf, sizeof(buf)))
		return -1;
	if (strcmp(buf, "none"))
		return num(line, key, v) ? 0 : -1;
	e->failed = true;
	if (!field(line, "fail", buf, sizeof(buf)))
		return -1;
	e->injected = !strcmp(buf, "injected");
	return 0;
}

/* Why the last parse_event() refused a line that is not damaged. */
static char why[256];

static int refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A name as the dump writes it, its \xHH escapes undone in place. */
static bool unescape_name(char *name)
{
	char *in = name, *out = name;

	while (*in) {
		int hi, lo;

		if (*in != '\\') {
			*out++ = *in++;
			continue;
		}
		if (in[1] != 'x' || (hi = hex_digit(in[2])) < 0 ||
		    (lo = hex_digit(in[3])) < 0 || !(hi | lo))
			return false;
		*out++ = (char)(hi << 4 | lo);
		in += 4;
	}
	*out = '\0';
	return true;
}

/* What mm/slab.c's name_ok() lets a cache be called. */
static bool name_is_word(const char *name)
{
	if (!*name)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '=')
			return false;
	}
	return true;
}

static int parse_cache_create(struct kr_trace *t, const char *line,
			      struct kr_event *e)
{
	struct kr_geometry g = {0};
	char rec[8];

	e->geo = -1;
	if (parse_result(line, "cache", &e->cache, e))
		return -1;
	if (field(line, "record", rec, sizeof(rec)))
		/* the guest's record pool was full: no name, no geometry */
		return strcmp(rec, "none") || strstr(line, " name=") ? -1 : 0;
	if (!field(line, "name", g.name, sizeof(g.name)) ||
	    !unescape_name(g.name))
		return -1;
	if (!e->failed && !name_is_word(g.name))
		return refuse("event %lu (cache_create): the cache name is "
			      "not one printable word without '='",
			      e->seq);
	if (!num(line, "object_size", &g.object_size) ||
	    !num(line, "size", &g.size) || !num(line, "align", &g.align) ||
	    !num(line, "order", &g.order) ||
	    !num(line, "objects", &g.objects) || !num(line, "flags", &g.flags))
		return -1;
	if (!grow((void **)&t->geo, t->nr_geo, sizeof(g)))
		return -1;
	e->geo = (long)t->nr_geo;
	t->geo[t->nr_geo++] = g;
	return 0;
}

/* The slab layer's events: which cache, which object. */
static int parse_cache_event(struct kr_trace *t, const char *line,
			     struct kr_event *e)
{
	if (!strcmp(e->op, "cache_create"))
		return parse_cache_create(t, line, e);
	if (strncmp(e->op, "cache_", 6))
		return 0;
	if (!num(line, "cache", &e->cache))
		return -1;
	if (!strcmp(e->op, "cache_alloc"))
		return num(line, "gfp", &e->gfp)
			       ? parse_result(line, "obj", &e->obj, e)
			       : -1;
	if (!strcmp(e->op, "cache_free"))
		return num(line, "obj", &e->obj) ? 0 : -1;
	return 0;
}

/*
 * After "SEQ DEPTH OP": fields " key=value", each key once. A value
 * with a space or an '=' in it (a cache name the guest should have
 * refused) shows as a stray or repeated key and the line is refused.
 */
static bool fields_well_formed(const char *p)
{
	char keys[24][16];
	int n = 0;

	while (*p) {
		const char *tok = p + 1, *eq;
		size_t len = strcspn(tok, " ");

		eq = memchr(tok, '=', len);
		if (*p != ' ' || !eq || eq == tok ||
		    (size_t)(eq - tok) >= sizeof(keys[0]) || n == 24 ||
		    memchr(eq + 1, '=', len - (eq + 1 - tok)))
			return false;
		for (int i = 0; i < n; i++) {
			if (strlen(keys[i]) == (size_t)(eq - tok) &&
			    !memcmp(keys[i], tok, eq - tok))
				return false;
		}
		memcpy(keys[n], tok, eq - tok);
		keys[n++][eq - tok] = '\0';
		p = tok + len;
	}
	return n > 0;
}

/* Events the replay cannot take as they are: it says which and why. */
static int unreplayable(const struct kr_event *e, const char *line)
{
	if (strstr(line, " aborted=1"))
		return refuse("event %lu (%s) was cut short by an oops "
			      "(aborted=1): what it changed is not known, so "
			      "the trace cannot be replayed past it",
			      e->seq, e->op);
	if (strstr(line, " open=1"))
		return refuse("event %lu (%s) had not returned when the trace "
			      "was dumped (open=1): its result is not known",
			      e->seq, e->op);
	if (strstr(line, " irq_inside=1"))
		return refuse("event %lu (%s): an interrupt recorded events "
			      "while it ran (irq_inside=1), and which of them "
			      "changed the free lists first is not recorded",
			      e->seq, e->op);
	return 0;
}

/* Depth and via against the events still open in the same context. */
static int link_parent(struct kr_trace *t, struct kr_event *e)
{
	int ctx = e->irq;
	const struct kr_event *p;

	if (e->depth >= 64 || e->depth > (unsigned int)t->top[ctx])
		return -1;
	t->open[ctx][e->depth] = (long)t->nr_ev;
	t->top[ctx] = (int)e->depth + 1;
	e->parent = e->depth ? t->open[ctx][e->depth - 1] : -1;
	if (!e->depth)
		return strcmp(e->via, "none") ? -1 : 0;
	p = &t->ev[e->parent];
	/* The guest keeps 8 open frames per context: deeper, via is that
	 * of the eighth. */
	return e->depth <= 8 && strcmp(e->via, p->op) ? -1 : 0;
}

/* The frame of a direct-map address, or ~0 if it is not one. */
static unsigned long frame_of(const struct kr_trace *t, unsigned long addr)
{
	return addr >= t->direct_map ? (addr - t->direct_map) / t->page_size
				     : ~0UL;
}

/*
 * What a kmalloc or kfree names, its nested slab or page event must
 * name too: a mismatch is a damaged or altered trace.
 */
static int agrees_with_parent(const struct kr_trace *t,
			      const struct kr_event *e)
{
	const struct kr_event *p = e->parent >= 0 ? &t->ev[e->parent] : NULL;

	if (!p || e->depth != p->depth + 1)
		return 0;
	if (!strcmp(p->op, "kfree") && !strcmp(e->op, "cache_free") &&
	    e->obj != p->obj)
		return refuse("event %lu (cache_free) frees object %#lx, the "
			      "kfree it is in (event %lu) object %#lx",
			      e->seq, e->obj, p->seq, p->obj);
	if (!strcmp(p->op, "kfree") && !strcmp(e->op, "page_free") &&
	    e->pfn != frame_of(t, p->obj))
		return refuse("event %lu (page_free) frees pfn %#lx, the "
			      "kfree it is in (event %lu) the block at %#lx",
			      e->seq, e->pfn, p->seq, p->obj);
	if (!strcmp(p->op, "kmalloc") && !strcmp(e->op, "cache_alloc") &&
	    (e->failed != p->failed || e->obj != p->obj))
		return refuse("event %lu (cache_alloc) returns another object "
			      "than the kmalloc it is in (event %lu)",
			      e->seq, p->seq);
	return 0;
}

/* The fields of the operations the replay reads. */
static int parse_fields(struct kr_trace *t, const char *line,
			struct kr_event *e)
{
	unsigned long v;

	if (!strcmp(e->op, "page_alloc") || !strcmp(e->op, "page_free")) {
		if (!num(line, "order", &v) || v >= (unsigned long)t->max_order)
			return -1;
		e->order = v;
		if (!strcmp(e->op, "page_free"))
			return num(line, "pfn", &e->pfn) ? 0 : -1;
		if (parse_result(line, "pfn", &e->pfn, e) ||
		    !num(line, "gfp", &e->gfp) ||
		    !inum(line, "node", &e->node) || e->node != 0)
			return -1;
		return 0;
	}
	if (!strcmp(e->op, "kmalloc"))
		return parse_result(line, "obj", &e->obj, e);
	if (!strcmp(e->op, "kfree"))
		return num(line, "obj", &e->obj) ? 0 : -1;
	return parse_cache_event(t, line, e);
}

/* "SEQ DEPTH OP via=... key=value ... caller=..." */
static int parse_event(struct kr_trace *t, const char *line)
{
	struct kr_event e = {0};
	int n = 0;

	if (sscanf(line, "%lu %u %15s%n", &e.seq, &e.depth, e.op, &n) != 3 ||
	    e.seq != t->nr_ev || !fields_well_formed(line + n) ||
	    !field(line, "via", e.via, sizeof(e.via)) ||
	    !strstr(line, " caller="))
		return -1;
	e.cold = strstr(line, " cold=1") != NULL;
	e.irq = strstr(line, " irq=1") != NULL;
	if (unreplayable(&e, line) || parse_fields(t, line, &e) ||
	    link_parent(t, &e) || agrees_with_parent(t, &e))
		return -1;
	if (!grow((void **)&t->ev, t->nr_ev, sizeof(e)))
		return -1;
	t->ev[t->nr_ev++] = e;
	return 0;
}

static int parse_begin(struct kr_trace *t, const char *line)
{
	unsigned long ps;
	char from[16];

	if (!inum(line, "version", &t->version))
		return -1;
	if (t->version != 2)
		return 0; /* check_header() says why */
	if (!field(line, "arch", t->arch, sizeof(t->arch)) ||
	    !num(line, "page_size", &ps) ||
	    !inum(line, "max_order", &t->max_order) ||
	    !inum(line, "nr_cpus", &t->nr_cpus) ||
	    !field(line, "from", from, sizeof(from)) ||
	    (strcmp(from, "boot") && strcmp(from, "shell")) ||
	    !num(line, "direct_map", &t->direct_map))
		return -1;
	t->page_size = ps;
	t->from_boot = !strcmp(from, "boot");
	return 0;
}

/* Where the trace proper starts: console noise may come first. */
static const char *find_begin(const char *text, size_t len)
{
	static const char tag[] = "kmemtrace-begin ";
	size_t n = sizeof(tag) - 1;

	for (size_t i = 0; i + n <= len; i++) {
		if (!memcmp(text + i, tag, n))
			return text + i;
	}
	return NULL;
}

static int check_header(const struct kr_trace *t, char *err, size_t len)
{
	if (t->version != 2)
		return fail(err, len, NULL,
			    "trace format version %d: this "
			    "program reads version 2",
			    t->version);
	if (t->page_size != PAGE_SIZE || t->max_order != MAX_ORDER ||
	    t->nr_cpus != NR_CPUS)
		return fail(err, len, NULL,
			    "the trace has page_size %lu, max_order %d, "
			    "nr_cpus %d; this build has %lu, %d, %d",
			    t->page_size, t->max_order, t->nr_cpus, PAGE_SIZE,
			    MAX_ORDER, NR_CPUS);
	return 0;
}

int kr_parse(const char *text, size_t len, struct kr_trace *t, char *err,
	     size_t errlen)
{
	const char *begin = find_begin(text, len);
	struct cursor c = {.end = text + len};
	bool ended = false, counted = false;
	int r = 0;

	memset(t, 0, sizeof(*t));
	why[0] = '\0';
	if (!begin)
		return fail(err, errlen, NULL, "no 'kmemtrace-begin' line");
	c.p = begin;
	if (!next_line(&c) || parse_begin(t, c.line))
		return fail(err, errlen, &c, "bad kmemtrace-begin line: %s",
			    c.line);
	if (check_header(t, err, errlen))
		return -1;
	while (!ended && !r && next_line(&c)) {
		const char *l = c.line;

		if (!strncmp(l, "cmdline", 7) && (!l[7] || l[7] == ' '))
			continue;
		if (!strncmp(l, "zone ", 5))
			r = parse_zone(t, l);
		else if (!strncmp(l, "free ", 5))
			r = parse_block(t, l, false);
		else if (!strncmp(l, "pcp ", 4))
			r = parse_block(t, l, true);
		else if (!strncmp(l, "events ", 7))
			r = !num(l, "count", &t->count) ||
					    !num(l, "lost", &t->lost) || counted
				    ? -1
				    : (counted = true, 0);
		else if (isdigit((unsigned char)l[0]) && counted)
			r = parse_event(t, l);
		else if (!strncmp(l, "kmemtrace-end ", 14))
			ended = true;
		else
			r = -1;
	}
	if (r && *why)
		return fail(err, errlen, &c, "%s", why);
	if (r)
		return fail(err, errlen, &c, "cannot read: %s", c.line);
	if (!ended)
		return fail(err, errlen, NULL,
			    "the trace has no "
			    "'kmemtrace-end' line: cut "
			    "short?");
	if (find_begin(c.p, c.end - c.p))
		return fail(err, errlen, NULL,
			    "the text holds more than one dump (another "
			    "'kmemtrace-begin' after line %lu): cut it to the "
			    "one to replay",
			    c.lineno);
	if (t->nr_ev != t->count)
		return fail(err, errlen, NULL,
			    "%zu events where the header "
			    "says %lu",
			    t->nr_ev, t->count);
	if (t->lost)
		return fail(err, errlen, NULL,
			    "the trace lost %lu events (its buffer was full): "
			    "it cannot be replayed; record with a larger "
			    "buffer",
			    t->lost);
	return 0;
}

void kr_free(struct kr_trace *t)
{
	free(t->free);
	free(t->pcp);
	free(t->ev);
	free(t->geo);
	memset(t, 0, sizeof(*t));
}

/* ---- the host machine ---- */

#define ARENA_ALIGN (4UL << 20)

static char *arena; /* the mapping; physical 0 is at host_phys_base */
static size_t arena_size;
static unsigned long guest_lo, guest_hi;

static int host_zone_index(const char *name)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (!strcmp(NODE_DATA(0)->node_zones[i].name, name))
			return i;
	}
	return -1;
}

static bool guest_span(const struct kr_trace *t)
{
	guest_lo = ~0UL;
	guest_hi = 0;
	for (int i = 0; i < t->nr_zones; i++) {
		const struct kr_zone *z = &t->zones[i];

		if (z->node != 0 || !z->spanned ||
		    z->start + z->spanned < z->start)
			return false;
		if (z->start < guest_lo)
			guest_lo = z->start;
		if (z->start + z->spanned > guest_hi)
			guest_hi = z->start + z->spanned;
	}
	return guest_hi > guest_lo && guest_hi < (1UL << 40) / PAGE_SIZE;
}

/*
 * Bootmem sees the guest's frames, all reserved, and the extra region
 * after them, the only memory it may give out: mem_map lands there.
 */
static int boot_host(const struct kr_trace *t)
{
	unsigned long pages = guest_hi - guest_lo;
	unsigned long extra = (pages + 4096) * 2 * 64 / PAGE_SIZE + 1024;
	unsigned long dma_end = guest_lo;
	int dma = zone_by_name(t, "DMA");

	if (arena)
		munmap(arena, arena_size);
	/* Physical 0 aligned like the kernel's direct map, which the slab
	 * allocator relies on to find a slab from an object (slab_start). */
	arena_size = (guest_hi + extra) * PAGE_SIZE + ARENA_ALIGN;
	arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		arena = NULL;
		return -1;
	}
	host_phys_base = (char *)ALIGN((unsigned long)arena, ARENA_ALIGN);
	if (dma >= 0)
		dma_end = t->zones[dma].start + t->zones[dma].spanned;
	bootmem_reset();
	bootmem_add_memory((phys_addr_t)guest_lo * PAGE_SIZE,
			   (phys_addr_t)(guest_hi + extra - guest_lo) *
				   PAGE_SIZE);
	reserve_bootmem((phys_addr_t)guest_lo * PAGE_SIZE,
			(phys_addr_t)pages * PAGE_SIZE, "guest frames");
	bootmem_set_limits((phys_addr_t)dma_end * PAGE_SIZE,
			   (phys_addr_t)(guest_hi + extra) * PAGE_SIZE);
	mem_init();
	return 0;
}

/* Every frame as the guest's zones see it before the snapshot goes in:
 * guest frames neither free nor known, the extra region reserved. */
static void reset_pages(void)
{
	for (unsigned long pfn = min_pfn; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		bool guest = pfn >= guest_lo && pfn < guest_hi;

		memset(p, 0, sizeof(*p));
		INIT_LIST_HEAD(&p->lru);
		if (!guest)
			SetPageReserved(p);
	}
}

static void reset_zone(struct zone *z)
{
	for (int o = 0; o < MAX_ORDER; o++) {
		INIT_LIST_HEAD(&z->free_area[o].free_list);
		z->free_area[o].nr_free = 0;
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		INIT_LIST_HEAD(&z->pageset[cpu].pcp.list);
		z->pageset[cpu].pcp.count = 0;
	}
	z->free_pages = z->nr_alloc = z->nr_free_calls = z->nr_failed = 0;
	z->zone_start_pfn = z->spanned_pages = z->present_pages = 0;
	z->pages_min = z->pages_low = z->pages_high = 0;
}

static void guest_zones(const struct kr_trace *t)
{
	pg_data_t *pg = NODE_DATA(0);
	int hm = zone_by_name(t, "HighMem");

	for (int i = 0; i < MAX_NR_ZONES; i++)
		reset_zone(&pg->node_zones[i]);
	pg->node_present_pages = 0;
	for (int i = 0; i < t->nr_zones; i++) {
		const struct kr_zone *g = &t->zones[i];
		struct zone *z = &pg->node_zones[host_zone_index(g->name)];

		z->zone_start_pfn = g->start;
		z->spanned_pages = g->spanned;
		z->present_pages = g->present;
		z->pages_min = g->min;
		z->pages_low = g->low;
		z->pages_high = g->high;
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			z->pageset[cpu].pcp.batch = g->batch;
			z->pageset[cpu].pcp.high = g->pcp_high;
		}
		pg->node_present_pages += g->present;
	}
	pg->node_start_pfn = guest_lo;
	pg->node_spanned_pages = guest_hi - guest_lo;
	/* mm_init.c's rule: from the highest zone allowed down. */
	for (int top = 0; top < MAX_NR_ZONES; top++) {
		struct zonelist *zl = &pg->node_zonelists[top];
		int n = 0;

		for (int z = top; z >= 0; z--) {
			if (populated_zone(&pg->node_zones[z]))
				zl->zones[n++] = &pg->node_zones[z];
		}
		zl->zones[n] = NULL;
	}
	nr_online_nodes = 1;
	max_low_pfn = hm >= 0 ? t->zones[hm].start : guest_hi;
	high_memory = __va((phys_addr_t)max_low_pfn * PAGE_SIZE);
}

static struct zone *zone_of(const struct kr_trace *t, int idx)
{
	return &NODE_DATA(0)->node_zones[host_zone_index(t->zones[idx].name)];
}

static bool in_zone(const struct zone *z, unsigned long pfn, unsigned int o)
{
	return pfn >= z->zone_start_pfn && !(pfn & ((1UL << o) - 1)) &&
	       pfn + (1UL << o) <= z->zone_start_pfn + z->spanned_pages;
}

static int load_snapshot(const struct kr_trace *t, char *err, size_t len)
{
	for (size_t i = 0; i < t->nr_free; i++) {
		const struct kr_block *b = &t->free[i];
		struct zone *z = zone_of(t, b->zone);
		struct page *p = pfn_to_page(b->pfn);

		if (!in_zone(z, b->pfn, b->order) || p->flags)
			return fail(err, len, NULL,
				    "snapshot: free block pfn %#lx order %u "
				    "is not a free aligned block of zone %s",
				    b->pfn, b->order, z->name);
		SetPageBuddy(p);
		p->private = b->order;
		list_add_tail(&p->lru, &z->free_area[b->order].free_list);
		z->free_area[b->order].nr_free++;
		z->free_pages += 1UL << b->order;
	}
	for (size_t i = 0; i < t->nr_pcp; i++) {
		const struct kr_block *b = &t->pcp[i];
		struct zone *z = zone_of(t, b->zone);
		struct per_cpu_pages *pcp = &z->pageset[b->cpu].pcp;
		struct page *p = pfn_to_page(b->pfn);

		if (!in_zone(z, b->pfn, 0) || p->flags)
			return fail(err, len, NULL,
				    "snapshot: per-CPU page pfn %#lx is not a "
				    "free page of zone %s",
				    b->pfn, z->name);
		SetPagePcp(p);
		list_add_tail(&p->lru, &pcp->list);
		pcp->count++;
	}
	return 0;
}

/* ---- the events ---- */

/*
 * An allocation that found too little memory asks the shrinkers; in the
 * guest the slab layer then freed empty slabs, recorded as page frees
 * nested in the allocation. Here a stand-in shrinker replays exactly
 * those, at the moment the allocator asks.
 */
static const struct kr_trace *cur;
static size_t cur_alloc, next_ev;
static int replay_err;
static char *err_buf;
static size_t err_len;

static int replay_free(const struct kr_event *e);

static bool full_mode;
static int diverged(const struct kr_event *e, const char *fmt, ...);

static unsigned long replay_shrink(unsigned long nr, gfp_t gfp)
{
	const struct kr_event *a = &cur->ev[cur_alloc];
	unsigned long pages = 0;

	if (full_mode) /* the replicas' own shrinker gives the pages back */
		return 0;
	while (!replay_err && next_ev < cur->nr_ev &&
	       cur->ev[next_ev].depth > a->depth) {
		const struct kr_event *e = &cur->ev[next_ev++];

		if (!strcmp(e->op, "page_free")) {
			replay_err = replay_free(e);
			pages += 1UL << e->order;
		}
	}
	return pages;
}

static struct shrinker replay_shrinker = {.shrink = replay_shrink};

static int diverged(const struct kr_event *e, const char *fmt, ...)
{
	va_list ap;
	int n = strncmp(e->op, "page_", 5)
			? snprintf(err_buf, err_len, "event %lu (%s): ", e->seq,
				   e->op)
			: snprintf(err_buf, err_len,
				   "event %lu (%s order %u): ", e->seq, e->op,
				   e->order);

	va_start(ap, fmt);
	vfail_after(err_buf, err_len, n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool guest_pfn(unsigned long pfn, unsigned int order)
{
	return pfn >= guest_lo && pfn + (1UL << order) <= guest_hi;
}

static int replay_alloc(const struct kr_event *e)
{
	struct page *page;

	if (e->injected) {
		kr_skipped_injected++;
		return 0;
	}
	host_log_clear();
	page = alloc_pages_node(e->node, (gfp_t)e->gfp, e->order);
	kr_replayed++;
	if (e->failed && page)
		return diverged(e, "the guest got nothing, the host pfn %#lx",
				page_to_pfn(page));
	if (!e->failed && !page)
		return diverged(e, "the guest got pfn %#lx, the host nothing",
				e->pfn);
	if (page && page_to_pfn(page) != e->pfn)
		return diverged(e, "the guest got pfn %#lx, the host %#lx",
				e->pfn, page_to_pfn(page));
	return 0;
}

/*
 * Does the block touch one the replay knows: a free block (buddy or
 * per-CPU, from the snapshot or freed since) or one allocated in the
 * trace, of any order, around it or inside it?
 */
static bool overlaps_known(unsigned long pfn, unsigned int order)
{
	const unsigned long free_bits = (1UL << PG_buddy) | (1UL << PG_pcp);

	for (unsigned long i = 0; i < (1UL << order); i++) {
		const struct page *p = pfn_to_page(pfn + i);

		if (p->_count || (p->flags & free_bits))
			return true;
	}
	for (unsigned int o = order + 1; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *h;

		if (head < guest_lo)
			break;
		h = pfn_to_page(head);
		if (h->private >= o && (h->_count || (h->flags & free_bits)))
			return true;
	}
	return false;
}

/*
 * The free of a block the trace never allocated. From boot there is no
 * such block: it is a divergence. From the shell it may have been
 * allocated before the trace began: if it lies wholly outside what
 * the replay knows, it is taken as allocated with the order it is
 * freed with; that is all page mode can check of it.
 */
static int adopt(const struct kr_event *e, struct page *page)
{
	if (full_mode)
		return diverged(e,
				"pfn %#lx was not allocated in the trace, "
				"which holds every allocation since boot",
				e->pfn);
	if (overlaps_known(e->pfn, e->order))
		return diverged(e,
				"pfn %#lx order %u overlaps a block that is "
				"free or was allocated in the trace",
				e->pfn, e->order);
	page->_count = 1;
	page->private = e->order;
	kr_adopted++;
	return 0;
}

static int replay_free(const struct kr_event *e)
{
	struct page *page;

	if (!guest_pfn(e->pfn, e->order))
		return diverged(e, "pfn %#lx is outside the guest's zones",
				e->pfn);
	page = pfn_to_page(e->pfn);
	/* A block the host knows goes to its own checks (double free,
	 * wrong order, a slab page freed raw). */
	if (!page->_count &&
	    !(page->flags & ((1UL << PG_buddy) | (1UL << PG_pcp))) &&
	    adopt(e, page))
		return -1;
	host_log_clear();
	if (e->order == 0 && e->cold)
		free_cold_page(page);
	else
		__free_pages(page, e->order);
	kr_replayed++;
	if (host_log_contains("Bad page free"))
		return diverged(e, "the host rejects the free of pfn %#lx: %s",
				e->pfn, host_log());
	return 0;
}

/* ---- full mode: the slab layer too ---- */

/*
 * A replica cache stands for the guest cache at address guest. A
 * destroyed one stays in the table (its address may come back for a
 * new cache) but is no longer looked up.
 */
struct replica {
	unsigned long guest;
	struct kmem_cache *s;
	bool dead;
};

static struct replica *replicas;
static size_t nr_replicas;

/*
 * The objects the trace allocated and has not freed, guest address to
 * guest cache: a cache_free must name one of them, of its own cache
 * (the guest records no free it refused). Open addressing; a freed
 * entry becomes a tombstone until the table grows.
 */
#define LIVE_EMPTY 0UL
#define LIVE_GONE  1UL /* no object is at address 1 */

struct live_obj {
	unsigned long obj, cache;
};

static struct live_obj *live;
static size_t live_cap, live_used; /* used: live entries and tombstones */

static size_t live_hash(unsigned long obj)
{
	return (size_t)((obj >> 2) * 0x9e3779b97f4a7c15ULL) & (live_cap - 1);
}

static struct live_obj *live_find(unsigned long obj)
{
	if (!live_cap)
		return NULL;
	for (size_t i = live_hash(obj);; i = (i + 1) & (live_cap - 1)) {
		if (live[i].obj == obj)
			return &live[i];
		if (live[i].obj == LIVE_EMPTY)
			return NULL;
	}
}

static void live_put(unsigned long obj, unsigned long cache)
{
	size_t i = live_hash(obj);

	while (live[i].obj != LIVE_EMPTY && live[i].obj != LIVE_GONE)
		i = (i + 1) & (live_cap - 1);
	live_used += live[i].obj == LIVE_EMPTY;
	live[i] = (struct live_obj){obj, cache};
}

static bool live_add(unsigned long obj, unsigned long cache)
{
	if ((live_used + 1) * 2 > live_cap) {
		struct live_obj *old = live;
		size_t n = live_cap;

		live_cap = n ? 2 * n : 4096;
		live = calloc(live_cap, sizeof(*live));
		if (!live) {
			live = old;
			live_cap = n;
			return false;
		}
		live_used = 0;
		for (size_t i = 0; i < n; i++) {
			if (old[i].obj > LIVE_GONE)
				live_put(old[i].obj, old[i].cache);
		}
		free(old);
	}
	live_put(obj, cache);
	return true;
}

static void live_forget(void)
{
	free(live);
	live = NULL;
	live_cap = live_used = 0;
}
static bool *consumed; /* guest events the replicas made again */
static struct kmemtrace_event *host_buf;

static struct replica *replica_of(unsigned long guest)
{
	for (size_t i = nr_replicas; i-- > 0;) {
		if (replicas[i].guest == guest && !replicas[i].dead)
			return &replicas[i];
	}
	return NULL;
}

/* Guest object address <-> host object: the same frame, the same offset. */
static void *host_obj(unsigned long obj)
{
	unsigned long pa = obj - cur->direct_map;

	if (obj < cur->direct_map || pa / PAGE_SIZE < guest_lo ||
	    pa / PAGE_SIZE >= guest_hi)
		return NULL;
	return host_phys_base + pa;
}

static unsigned long guest_obj(const void *p)
{
	return (unsigned long)((const char *)p - host_phys_base) +
	       cur->direct_map;
}

/* The events the host's slab layer and page allocator make by
 * themselves inside an operation, to be matched with the guest's. */
static bool made_by_host(const char *op)
{
	return !strcmp(op, "page_alloc") || !strcmp(op, "page_free") ||
	       !strcmp(op, "cache_shrink") || !strcmp(op, "drain");
}

static int host_differs(const struct kr_event *g,
			const struct kmemtrace_event *h)
{
	const struct replica *r;

	if (strcmp(kmemtrace_op_name(h->op), g->op))
		return diverged(g, "the replica did %s here",
				kmemtrace_op_name(h->op));
	if (!strcmp(g->op, "cache_shrink")) {
		r = replica_of(g->cache);
		if (!r || (unsigned long)r->s != h->ptr)
			return diverged(g,
					"the replica shrank %s, not cache "
					"%#lx",
					((struct kmem_cache *)h->ptr)->name,
					g->cache);
		return 0;
	}
	if (strcmp(g->op, "page_alloc") && strcmp(g->op, "page_free"))
		return 0;
	if (g->failed != !!(h->flags & KT_FAILED) || h->size != g->order ||
	    (!g->failed && h->ptr != g->pfn))
		return diverged(g,
				"the guest's slab layer %s pfn %#lx, the "
				"replica's %s order %lu pfn %#lx",
				g->failed ? "got nothing, not" : "used", g->pfn,
				kmemtrace_op_name(h->op), h->size,
				h->flags & KT_FAILED ? 0UL : h->ptr);
	kr_slab_pages++;
	return 0;
}

/*
 * The guest events nested in event i (same context, deeper) against
 * what the host recorded from host event h on. Nested events the host
 * does not make by itself (a cache_alloc inside cache_create, the
 * cache_free of a destroyed cache's struct) are skipped with their
 * subtree: the main loop replays them in turn.
 */
static int match_nested(size_t i, unsigned long h)
{
	const struct kr_event *e = &cur->ev[i];
	unsigned long end = kmemtrace_events();
	unsigned int skip_below = ~0U;

	if (kmemtrace_lost())
		return diverged(e, "the host's own trace buffer is full");
	for (size_t j = i + 1; j < cur->nr_ev; j++) {
		const struct kr_event *g = &cur->ev[j];

		if (g->irq != e->irq)
			continue;
		if (g->depth <= e->depth)
			break;
		if (g->depth > skip_below)
			continue;
		skip_below = ~0U;
		if (!made_by_host(g->op)) {
			skip_below = g->depth;
			continue;
		}
		if (h >= end)
			return diverged(g, "the replica did not do it");
		if (host_differs(g, kmemtrace_event(h++)))
			return -1;
		consumed[j] = true;
	}
	if (h < end) {
		const struct kmemtrace_event *x = kmemtrace_event(h);

		return diverged(e,
				"the replica also did %s order %lu pfn "
				"%#lx, which the guest did not",
				kmemtrace_op_name(x->op), x->size, x->ptr);
	}
	return 0;
}

static int replica_create(const struct kr_event *e)
{
	const struct kr_geometry *g;
	struct slab_geometry sg;
	struct kmem_cache *s;

	if (e->failed)
		return 0;
	if (e->geo < 0)
		return diverged(e,
				"cache %#lx has no name or geometry (the "
				"guest's record pool was full)",
				e->cache);
	g = &cur->geo[e->geo];
	sg = (struct slab_geometry){g->name,  g->object_size, g->size, g->align,
				    g->order, g->objects,     g->flags};
	if (!grow((void **)&replicas, nr_replicas, sizeof(*replicas)))
		return diverged(e, "out of memory");
	s = calloc(1, sizeof(*s));
	if (!s || kmem_cache_create_geometry(s, &sg)) {
		free(s);
		return diverged(e,
				"cache %s: slot %lu, order %lu, %lu objects "
				"cannot be built on this host",
				g->name, g->size, g->order, g->objects);
	}
	replicas[nr_replicas++] = (struct replica){e->cache, s, false};
	return 0;
}

static int replica_alloc(const struct kr_event *e, struct replica *r)
{
	void *p;

	if (e->injected) {
		kr_skipped_injected++;
		return 0;
	}
	p = kmem_cache_alloc(r->s, (gfp_t)e->gfp);
	if (!p != e->failed)
		return diverged(e, "the guest got %s, the replica %s",
				e->failed ? "nothing" : "an object",
				p ? "an object" : "nothing");
	if (p && guest_obj(p) != e->obj)
		return diverged(e,
				"the guest got object %#lx of %s, the "
				"replica the one at %#lx",
				e->obj, r->s->name, guest_obj(p));
	if (p && live_find(e->obj))
		return diverged(e, "object %#lx is already allocated", e->obj);
	if (p && !live_add(e->obj, e->cache))
		return diverged(e, "out of memory");
	return 0;
}

static int replica_free(const struct kr_event *e, struct replica *r)
{
	void *p = host_obj(e->obj);
	struct live_obj *l = live_find(e->obj);

	if (!p)
		return diverged(e, "object %#lx is outside the guest's frames",
				e->obj);
	if (!l || l->cache != e->cache)
		return diverged(e,
				"object %#lx is not an object of cache %#lx "
				"that the trace allocated and has not freed",
				e->obj, e->cache);
	l->obj = LIVE_GONE;
	kmem_cache_free(r->s, p);
	return 0;
}

/* After its shrink has been matched: the guest keeps a cache that still
 * has objects, and so does the replay. */
static void replica_destroyed(struct replica *r)
{
	if (!slab_active_objects(r->s) && !r->s->nr_slabs) {
		list_del(&r->s->list);
		r->dead = true;
	}
}

static int replay_cache_op(size_t i)
{
	const struct kr_event *e = &cur->ev[i];
	unsigned long h = kmemtrace_events() + 1;
	struct replica *r = NULL;
	int ret;

	if (!strcmp(e->op, "cache_create"))
		return replica_create(e) ?: match_nested(i, h - 1);
	r = replica_of(e->cache);
	if (!r)
		return diverged(e, "cache %#lx was not created in the trace",
				e->cache);
	host_log_clear();
	kr_slab_ops++;
	if (!strcmp(e->op, "cache_alloc")) {
		ret = replica_alloc(e, r);
	} else if (!strcmp(e->op, "cache_free")) {
		ret = replica_free(e, r);
	} else if (!strcmp(e->op, "cache_shrink")) {
		kmem_cache_shrink(r->s);
		ret = 0;
	} else {
		h--; /* no event of its own: its shrink is nested */
		kmem_cache_shrink(r->s);
		ret = 0;
	}
	/* The guest recorded only frees whose pointer passed these
	 * checks; a double free it reported, the replica reports too. */
	if (!ret && (host_log_contains("Invalid object pointer") ||
		     host_log_contains("Freelist Pointer check fails")))
		return diverged(e, "the replica's slab layer objects: %s",
				host_log());
	ret = ret ?: match_nested(i, h);
	if (!ret && !strcmp(e->op, "cache_destroy"))
		replica_destroyed(r);
	return ret;
}

static bool is_cache_op(const char *op)
{
	return !strcmp(op, "cache_create") || !strcmp(op, "cache_alloc") ||
	       !strcmp(op, "cache_free") || !strcmp(op, "cache_shrink") ||
	       !strcmp(op, "cache_destroy");
}

/* A page event the slab layer did not make: as in page mode, but what
 * the allocator does inside it (the shrinker) is checked too. */
static int replay_page_op(size_t i)
{
	const struct kr_event *e = &cur->ev[i];
	unsigned long h = kmemtrace_events() + 1;
	int ret;

	if (!strcmp(e->op, "page_alloc")) {
		if (e->injected) {
			kr_skipped_injected++;
			return 0;
		}
		ret = replay_alloc(e);
	} else if (!strcmp(e->op, "page_free")) {
		ret = replay_free(e);
	} else {
		drain_all_pages();
		ret = 0;
	}
	return ret ?: match_nested(i, h);
}

static void forget_replicas(void)
{
	for (size_t i = 0; i < nr_replicas; i++)
		free(replicas[i].s);
	free(replicas);
	replicas = NULL;
	nr_replicas = 0;
}

/* The host records what it does, to compare with the guest's nesting. */
static int start_host_trace(const struct kr_trace *t)
{
	size_t n = t->nr_free + t->nr_pcp + 4 * t->nr_ev + 4096;

	free(host_buf);
	host_buf = calloc(n, sizeof(*host_buf));
	consumed = realloc(consumed, t->nr_ev + 1);
	if (!host_buf || !consumed)
		return -1;
	memset(consumed, 0, t->nr_ev + 1);
	kmemtrace_set_buffer(host_buf, n * sizeof(*host_buf));
	return kmemtrace_start();
}

static int replay_full_events(const struct kr_trace *t)
{
	for (size_t i = 0; !replay_err && i < t->nr_ev; i++) {
		const char *op = t->ev[i].op;

		if (consumed[i])
			continue;
		if (is_cache_op(op))
			replay_err = replay_cache_op(i);
		else if (!strcmp(op, "page_alloc") ||
			 !strcmp(op, "page_free") || !strcmp(op, "drain"))
			replay_err = replay_page_op(i);
	}
	kmemtrace_stop();
	return replay_err;
}

static int replay(const struct kr_trace *t, bool full, char *err, size_t len)
{
	static bool registered;

	kr_replayed = kr_skipped_injected = kr_adopted = 0;
	kr_slab_ops = kr_slab_pages = 0;
	if (full && !t->from_boot)
		return fail(err, len, NULL,
			    "the trace started from the shell: the caches' "
			    "state before it is not in it, so the slab layer "
			    "cannot be replayed (page mode can)");
	if (!guest_span(t))
		return fail(err, len, NULL,
			    "the zones in the header make no "
			    "machine this program can build");
	if (boot_host(t))
		return fail(err, len, NULL, "no memory for the host arena");
	/* The host's zone names exist once mem_init() has run. */
	for (int i = 0; i < t->nr_zones; i++) {
		if (host_zone_index(t->zones[i].name) < 0)
			return fail(err, len, NULL, "unknown zone %s",
				    t->zones[i].name);
	}
	reset_pages();
	guest_zones(t);
	if (load_snapshot(t, err, len))
		return -1;
	/* The slab layer's set-up (its shrinker, once), then a list that
	 * holds the replicas only: slabinfo is theirs. */
	kmem_cache_init();
	INIT_LIST_HEAD(&slab_caches);
	forget_replicas();
	live_forget();
	if (!registered)
		register_shrinker(&replay_shrinker);
	registered = true;
	cur = t;
	err_buf = err;
	err_len = len;
	replay_err = 0;
	full_mode = full;
	if (full) {
		if (start_host_trace(t))
			return fail(err, len, NULL,
				    "no memory for the host's "
				    "trace");
		return replay_full_events(t);
	}
	for (next_ev = 0; !replay_err && next_ev < t->nr_ev;) {
		const struct kr_event *e = &t->ev[next_ev];

		cur_alloc = next_ev++;
		if (!strcmp(e->op, "page_alloc"))
			replay_err = replay_alloc(e);
		else if (!strcmp(e->op, "page_free"))
			replay_err = replay_free(e);
		else if (!strcmp(e->op, "drain"))
			drain_all_pages();
	}
	return replay_err;
}

int kr_replay_pages(const struct kr_trace *t, char *err, size_t len)
{
	return replay(t, false, err, len);
}

int kr_replay_full(const struct kr_trace *t, char *err, size_t len)
{
	return replay(t, true, err, len);
}
