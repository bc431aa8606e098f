/*
 * kmemtrace (mm/kmemtrace.c): a record of every page, slab and vmalloc
 * allocation and free, in the order they happened, for replaying off
 * the machine (tools/kmemtrace/, docs/kmemtrace.md).
 *
 * Each allocator entry point brackets its work with kmemtrace_begin()
 * and kmemtrace_end(). begin takes the next slot of the buffer at once,
 * so a call that another recorded call makes (the slab layer asking the
 * buddy allocator for a slab page) gets a later slot and a depth one
 * greater: depth 0 is what code outside mm/ asked for. When nothing is
 * recording, begin is one predictable branch and returns NULL.
 */
#ifndef PAGODA_KMEMTRACE_H
#define PAGODA_KMEMTRACE_H

#include <pagoda/compiler.h>
#include <pagoda/seq_file.h>
#include <pagoda/types.h>

enum kmemtrace_op {
	KT_NONE,
	KT_PAGE_ALLOC, /* size: order, ptr: pfn, arg: node | zone << 8 */
	KT_PAGE_FREE, /* size: order, ptr: pfn, arg: zone << 8 */
	KT_DRAIN, /* drain_all_pages() */
	KT_CACHE_CREATE, /* aux: its kmemtrace_cache record, ptr: the cache */
	KT_CACHE_DESTROY, /* ptr: the cache */
	KT_CACHE_SHRINK, /* ptr: the cache */
	KT_CACHE_ALLOC, /* arg: the cache, gfp, ptr: the object */
	KT_CACHE_FREE, /* arg: the cache, ptr: the object */
	KT_KMALLOC, /* size, gfp, ptr: the object */
	KT_KFREE, /* ptr: the object */
	KT_VMALLOC, /* size, gfp, ptr: the address */
	KT_VFREE, /* ptr: the address */
	KT_VMAP, /* size, ptr: the address */
	KT_VUNMAP, /* ptr: the address */
	KT_IOREMAP, /* size, arg: physical address, ptr: the address */
	KT_IOUNMAP, /* ptr: the address */
	KT_PGTABLE_ALLOC, /* gfp, ptr: the table */
	KT_PGTABLE_FREE, /* ptr: the table */
	KT_INIT, /* arg: which (enum kmemtrace_init) */
	KT_NR_OPS,
	/* Header records, written when a trace starts, before any event. */
	KT_SNAP_FREE = KT_NR_OPS, /* a free block: ptr pfn, size order */
	KT_SNAP_PCP, /* a page on a per-CPU list: ptr pfn, arg cpu */
};

enum kmemtrace_init {
	KT_INIT_KMEM_CACHE,
	KT_INIT_KMALLOC,
	KT_INIT_VMALLOC,
};

#define KT_FAILED   0x01 /* the allocation returned nothing */
#define KT_INJECTED 0x02 /* ... because fault injection said so */
#define KT_COLD	    0x04 /* a page freed cold (tail of the per-CPU list) */
#define KT_IRQ	    0x08 /* in interrupt context */
#define KT_OPEN	    0x10 /* begun, not yet ended */
#define KT_ABORTED    0x20 /* never ended: an oops unwound out of it */
#define KT_REJECTED   0x40 /* a free the allocator refused: not an event */
#define KT_IRQ_INSIDE 0x80 /* an interrupt recorded events while it ran */

/* The buffer sizes `kmemtrace=` and `trace start` accept, in records. */
#define KMEMTRACE_MIN_EVENTS 1024UL
#define KMEMTRACE_MAX_EVENTS (64UL << 20)

struct zone;

struct kmemtrace_event {
	u8 op, depth, via, flags;
	u32 gfp;
	unsigned long caller;
	unsigned long ptr;
	unsigned long size;
	unsigned long arg;
	unsigned long aux; /* cache_create: its kmemtrace_cache record */
};

/*
 * What a cache_create records: the name and request, then the geometry
 * the cache got, which a replay on another machine (other word size,
 * other debug options) cannot work out again and must copy.
 */
struct kmemtrace_cache {
	char name[32];
	u32 object_size; /* bytes asked for */
	u32 size; /* bytes per slot */
	u32 align, order, objects; /* objects per slab of 2^order pages */
	u32 flags;
};

/* Nonzero while recording or while full (then only counting losses). */
extern int kmemtrace_active;

struct kmemtrace_event *__kmemtrace_begin(enum kmemtrace_op op,
					  unsigned long caller);
void __kmemtrace_end(struct kmemtrace_event *e);
void __kmemtrace_injected(void);
void __kmemtrace_rejected(void);

static __always_inline struct kmemtrace_event *
kmemtrace_begin(enum kmemtrace_op op, unsigned long caller)
{
	if (likely(!kmemtrace_active))
		return NULL;
	return __kmemtrace_begin(op, caller);
}

static __always_inline void kmemtrace_end(struct kmemtrace_event *e)
{
	if (unlikely(e))
		__kmemtrace_end(e);
}

/* The allocation being recorded failed on purpose (fault injection). */
static __always_inline void kmemtrace_injected(void)
{
	if (unlikely(kmemtrace_active))
		__kmemtrace_injected();
}

/*
 * The free being recorded was refused (double free, foreign pointer):
 * it changed nothing, so it and the kfree around it leave the trace.
 */
static __always_inline void kmemtrace_rejected(void)
{
	if (unlikely(kmemtrace_active))
		__kmemtrace_rejected();
}

/* An event's zone field: node | zone index << 8. */
unsigned long kmemtrace_zone_arg(const struct zone *z);

/*
 * The oops recovery jumped out of the calls the task had begun: close
 * them as aborted and start the task's depth again from 0.
 */
void kmemtrace_unwind(void);

/* Fill in the result of an allocation: NULL/0 marks it failed. */
static inline void kmemtrace_result(struct kmemtrace_event *e,
				    unsigned long ptr)
{
	if (!e)
		return;
	e->ptr = ptr;
	if (!ptr)
		e->flags |= KT_FAILED;
}

/* Boot: reserve the buffer from bootmem (from mem_init, before bootmem
 * retires) and start recording once the buddy lists are full. */
void kmemtrace_boot_reserve(void);
void kmemtrace_boot_start(void);
/* The buffer kmemtrace= took from bootmem (NULL if none), and its size:
 * it cannot be given back, so the shell reuses it. */
void *kmemtrace_boot_buffer(unsigned long *bytes);

/* A record for the cache_create event e (NULL if none is left); the
 * trace keeps it, as the cache may be gone when the trace is printed. */
struct kmemtrace_cache *kmemtrace_keep_cache(struct kmemtrace_event *e);

/* Give the recorder a buffer; it keeps it until another is given. */
void kmemtrace_set_buffer(void *buf, unsigned long bytes);
unsigned long kmemtrace_capacity(void);
/* Records of the buffer the header snapshot takes. */
unsigned long kmemtrace_snapshot_records(void);
/* Start afresh: header snapshot of the buddy state, then events. */
int kmemtrace_start(void);
/* The same, at boot before kmem_cache_init(): the dump says from=boot. */
int kmemtrace_start_boot(void);
void kmemtrace_stop(void);
void kmemtrace_clear(void);
bool kmemtrace_recording(void);
unsigned long kmemtrace_events(void);
/* Event seq of the trace (0 is the first after the snapshot), or NULL. */
const struct kmemtrace_event *kmemtrace_event(unsigned long seq);
unsigned long kmemtrace_lost(void);

/* The whole trace in the text format of docs/kmemtrace.md. */
void kmemtrace_dump(struct seq_file *m, const char *arch, const char *cmdline);
const char *kmemtrace_op_name(unsigned int op);

#endif
