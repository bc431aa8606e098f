/*
 * bootmem: the allocator that exists before there is an allocator.
 *
 * Arch code feeds it the firmware's view of RAM (multiboot2 memory map,
 * device tree memory nodes) and reserves what is already in use: the
 * kernel image, the boot information, firmware regions. Early code then
 * takes memory from it (page tables for the direct map, the mem_map
 * array). When the buddy allocator starts, it walks the free ranges left
 * here and takes them over; bootmem then refuses to serve anyone.
 *
 * Two sorted arrays describe everything: "memory" (what exists) and
 * "reserved" (what is taken). Free memory is the difference, computed
 * on demand. Linux 2.6 used a bitmap with one bit per page; the region
 * form is what Linux later moved to (memblock), needs no memory of its
 * own, and is easier to print and to reason about.
 */
#include <pagoda/bootmem.h>
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/params.h>
#include <pagoda/resource.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/string.h>

struct region_array {
	int cnt;
	const char *what;
	struct bootmem_region r[BOOTMEM_MAX_REGIONS];
};

static struct region_array memory = { .what = "memory" };
static struct region_array reserved = { .what = "reserved" };
static phys_addr_t low_limit;
static phys_addr_t direct_limit = ~(phys_addr_t)0;
static bool retired;
static phys_addr_t mem_limit = ~(phys_addr_t)0;

/*
 * mem=SIZE: use at most SIZE bytes of RAM, counted in the order the
 * firmware lists it (lowest first on both machines), as Linux does.
 */
static int set_mem(const char *val)
{
	unsigned long long v;
	int err = val ? kstrtosize(val, &v) : -EINVAL;

	if (err)
		return err;
	if (v < (16ULL << 20))
		return -ERANGE;
	mem_limit = v;
	return 0;
}
early_param("mem", set_mem);

/*
 * highmem=SIZE: keep at least SIZE of RAM out of the direct map, so
 * ZONE_HIGHMEM exists (or grows) even on a machine whose RAM would all
 * fit below the direct-map limit. Linux's x86 option, on both arches.
 */
static phys_addr_t highmem_min;

static int set_highmem(const char *val)
{
	unsigned long long v;
	int err = val ? kstrtosize(val, &v) : -EINVAL;

	if (err)
		return err;
	highmem_min = ALIGN(v, PAGE_SIZE);
	return 0;
}
early_param("highmem", set_highmem);

/* Low memory keeps at least this much, whatever highmem= asks. */
#define LOWMEM_MIN (32ULL << 20)

phys_addr_t bootmem_lowmem_end(phys_addr_t arch_limit)
{
	const struct bootmem_region *first = bootmem_memory(0);
	const struct bootmem_region *last = bootmem_memory(memory.cnt - 1);
	phys_addr_t top, end;

	if (!first)
		return 0;
	top = last->base + last->size;
	end = min(top, arch_limit);
	if (highmem_min && top - first->base > highmem_min &&
	    top - highmem_min < end)
		end = max(top - highmem_min, first->base + LOWMEM_MIN);
	return ALIGN_DOWN(min(end, top), PAGE_SIZE);
}

static phys_addr_t region_end(const struct bootmem_region *r)
{
	return r->base + r->size;
}

static bool same_name(const char *a, const char *b)
{
	if (a == b)
		return true;
	return a && b && strcmp(a, b) == 0;
}

/* Regions fold together only with the same owner and NUMA node. */
static bool same_kind(const struct bootmem_region *r, const char *name,
		      int nid)
{
	return same_name(r->name, name) && r->nid == nid;
}

static void remove_at(struct region_array *a, int i)
{
	memmove(&a->r[i], &a->r[i + 1], (a->cnt - i - 1) * sizeof(a->r[0]));
	a->cnt--;
}

static void insert_at(struct region_array *a, int i, phys_addr_t base,
		      phys_addr_t size, const char *name, int nid)
{
	if (a->cnt == BOOTMEM_MAX_REGIONS)
		panic("bootmem: more than %d %s regions (adding %#llx+%#llx)\n",
		      BOOTMEM_MAX_REGIONS, a->what, (unsigned long long)base,
		      (unsigned long long)size);
	memmove(&a->r[i + 1], &a->r[i], (a->cnt - i) * sizeof(a->r[0]));
	a->r[i].base = base;
	a->r[i].size = size;
	a->r[i].name = name;
	a->r[i].nid = nid;
	a->cnt++;
}

/*
 * Merge region i with its right-hand neighbours while they touch or
 * overlap and carry the same name. In the memory array every region has
 * the same (NULL) name, so all overlaps fold into one.
 */
static void merge_right(struct region_array *a, int i)
{
	while (i + 1 < a->cnt) {
		struct bootmem_region *cur = &a->r[i], *next = &a->r[i + 1];

		if (next->base > region_end(cur) ||
		    !same_kind(cur, next->name, next->nid))
			break;
		if (region_end(next) > region_end(cur))
			cur->size = region_end(next) - cur->base;
		remove_at(a, i + 1);
	}
}

/* Grow a neighbour that touches [base, end) and has the same name. */
static bool merge_into_neighbour(struct region_array *a, int i,
				 phys_addr_t base, phys_addr_t end,
				 const char *name, int nid)
{
	struct bootmem_region *r;

	if (i > 0 && region_end(&a->r[i - 1]) >= base &&
	    same_kind(&a->r[i - 1], name, nid)) {
		r = &a->r[i - 1];
		if (end > region_end(r))
			r->size = end - r->base;
		merge_right(a, i - 1);
		return true;
	}
	if (i < a->cnt && a->r[i].base <= end && same_kind(&a->r[i], name, nid)) {
		r = &a->r[i];
		end = max(end, region_end(r));
		r->base = base;
		r->size = end - base;
		merge_right(a, i);
		return true;
	}
	return false;
}

/*
 * Insert keeping the array sorted by base, merging with neighbours of
 * the same name first, so a full array only refuses a truly new region.
 */
static void add_region(struct region_array *a, phys_addr_t base,
		       phys_addr_t size, const char *name, int nid)
{
	int i = 0;

	if (!size)
		return;
	if (base + size < base)
		size = ~(phys_addr_t)0 - base;
	while (i < a->cnt && a->r[i].base < base)
		i++;
	if (merge_into_neighbour(a, i, base, base + size, name, nid))
		return;
	insert_at(a, i, base, size, name, nid);
	merge_right(a, i);
}

void bootmem_add_memory(phys_addr_t base, phys_addr_t size)
{
	bootmem_add_memory_node(base, size, 0);
}

void bootmem_add_memory_node(phys_addr_t base, phys_addr_t size, int nid)
{
	phys_addr_t seen = bootmem_memory_bytes();

	if (seen >= mem_limit)
		return;
	size = min(size, mem_limit - seen);
	add_region(&memory, base, size, NULL, nid);
}

void bootmem_register_iomem(void)
{
	for (int i = 0; i < memory.cnt; i++)
		iomem_add(memory.r[i].base, memory.r[i].size, "System RAM");
}

void reserve_bootmem(phys_addr_t base, phys_addr_t size, const char *name)
{
	add_region(&reserved, base, size, name ? name : "reserved", 0);
}

/*
 * Cut [base, base+size) out of every reserved region it touches. A
 * region that sticks out on either side leaves its outer pieces behind,
 * re-inserted in order; the scan restarts because that reorders.
 */
void free_bootmem(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + size;
	int i = 0;

	while (i < reserved.cnt) {
		struct bootmem_region r = reserved.r[i];

		if (region_end(&r) <= base || r.base >= end) {
			i++;
			continue;
		}
		remove_at(&reserved, i);
		if (r.base < base)
			add_region(&reserved, r.base, base - r.base, r.name, 0);
		if (region_end(&r) > end)
			add_region(&reserved, end, region_end(&r) - end, r.name,
				   0);
		i = 0;
	}
}

void bootmem_set_limits(phys_addr_t low, phys_addr_t direct)
{
	low_limit = low;
	direct_limit = direct;
}

phys_addr_t bootmem_low_limit(void)
{
	return low_limit;
}

phys_addr_t bootmem_direct_limit(void)
{
	return direct_limit;
}

/*
 * The first free range at or after *cursor. Reserved regions may overlap
 * each other (a firmware region around a smaller named one), so "skip
 * past what covers start" repeats until nothing does.
 */
bool bootmem_next_free(u64 *cursor, phys_addr_t *start, phys_addr_t *end)
{
	for (int m = 0; m < memory.cnt; m++) {
		const struct bootmem_region *mr = &memory.r[m];
		phys_addr_t s = max(mr->base, (phys_addr_t)*cursor);
		phys_addr_t e = region_end(mr);
		bool moved = true;

		if (s >= e)
			continue;
		while (moved && s < e) {
			moved = false;
			for (int i = 0; i < reserved.cnt; i++) {
				const struct bootmem_region *r = &reserved.r[i];

				if (r->base <= s && region_end(r) > s) {
					s = region_end(r);
					moved = true;
				}
			}
		}
		if (s >= e)
			continue;
		for (int i = 0; i < reserved.cnt; i++) {
			if (reserved.r[i].base > s && reserved.r[i].base < e)
				e = reserved.r[i].base;
		}
		*start = s;
		*end = e;
		*cursor = e;
		return true;
	}
	return false;
}

phys_addr_t bootmem_alloc_phys(phys_addr_t size, phys_addr_t align,
			       phys_addr_t min, phys_addr_t max,
			       const char *name)
{
	phys_addr_t s, e;
	u64 cursor = min;

	if (retired) {
		printk(KERN_ERR "bootmem: allocation of %llu bytes after the "
				"page allocator took over memory; refused\n",
		       (unsigned long long)size);
		dump_stack();
		return 0;
	}
	if (!size || (align & (align - 1)))
		return 0;
	if (align < 8)
		align = 8;
	while (bootmem_next_free(&cursor, &s, &e)) {
		phys_addr_t cand = ALIGN(max(s, min), align);

		if (cand == 0)
			cand = align;
		if (cand < s || cand >= e || cand >= max)
			continue;
		if (size > min(e, max) - cand)
			continue;
		reserve_bootmem(cand, size, name ? name : "bootmem");
		return cand;
	}
	return 0;
}

static void *alloc_above(unsigned long size, unsigned long align,
			 phys_addr_t goal, const char *name)
{
	phys_addr_t pa = 0;

	if (goal < direct_limit)
		pa = bootmem_alloc_phys(size, align, goal, direct_limit, name);
	if (!pa)
		pa = bootmem_alloc_phys(size, align, 0, direct_limit, name);
	if (!pa)
		return NULL;
	memset(__va(pa), 0, size);
	return __va(pa);
}

void *__alloc_bootmem_nopanic(unsigned long size, unsigned long align,
			      phys_addr_t goal)
{
	return alloc_above(size, align, goal, NULL);
}

static __noreturn void bootmem_fail(unsigned long size, unsigned long align,
				    phys_addr_t limit, unsigned long caller)
{
	panic("bootmem: out of memory: %lu bytes (align %lu) below %#llx "
	      "for caller %pS; free: %llu bytes in all, largest range %llu "
	      "bytes\n",
	      size, align, (unsigned long long)limit, (void *)caller,
	      (unsigned long long)bootmem_free_bytes(),
	      (unsigned long long)bootmem_largest_free(limit));
}

void *__alloc_bootmem(unsigned long size, unsigned long align,
		      phys_addr_t goal)
{
	void *p = __alloc_bootmem_nopanic(size, align, goal);

	if (!p && !retired)
		bootmem_fail(size, align, direct_limit, _RET_IP_);
	return p;
}

void *alloc_bootmem_tagged(unsigned long size, unsigned long align,
			   const char *name)
{
	void *p = alloc_above(size, align, low_limit, name);

	if (!p && !retired)
		bootmem_fail(size, align, direct_limit, _RET_IP_);
	return p;
}

void *__alloc_bootmem_low(unsigned long size, unsigned long align)
{
	phys_addr_t limit = min(low_limit, direct_limit);
	phys_addr_t pa = bootmem_alloc_phys(size, align, 0, limit, NULL);

	if (!pa) {
		if (!retired)
			bootmem_fail(size, align, limit, _RET_IP_);
		return NULL;
	}
	memset(__va(pa), 0, size);
	return __va(pa);
}

phys_addr_t bootmem_memory_bytes(void)
{
	phys_addr_t sum = 0;

	for (int i = 0; i < memory.cnt; i++)
		sum += memory.r[i].size;
	return sum;
}

phys_addr_t bootmem_free_bytes(void)
{
	phys_addr_t s, e, sum = 0;
	u64 cursor = 0;

	while (bootmem_next_free(&cursor, &s, &e))
		sum += e - s;
	return sum;
}

phys_addr_t bootmem_largest_free(phys_addr_t below)
{
	phys_addr_t s, e, best = 0;
	u64 cursor = 0;

	while (bootmem_next_free(&cursor, &s, &e)) {
		e = min(e, below);
		if (e > s && e - s > best)
			best = e - s;
	}
	return best;
}

int bootmem_nr_memory(void)
{
	return memory.cnt;
}

int bootmem_nr_reserved(void)
{
	return reserved.cnt;
}

const struct bootmem_region *bootmem_memory(int idx)
{
	return idx >= 0 && idx < memory.cnt ? &memory.r[idx] : NULL;
}

const struct bootmem_region *bootmem_reserved(int idx)
{
	return idx >= 0 && idx < reserved.cnt ? &reserved.r[idx] : NULL;
}

bool bootmem_overlaps_memory(phys_addr_t start, phys_addr_t end)
{
	for (int i = 0; i < memory.cnt; i++) {
		const struct bootmem_region *r = &memory.r[i];

		if (start < r->base + r->size && r->base < end)
			return true;
	}
	return false;
}

void bootmem_retire(void)
{
	retired = true;
}

bool bootmem_retired(void)
{
	return retired;
}

void bootmem_reset(void)
{
	memory.cnt = 0;
	reserved.cnt = 0;
	mem_limit = ~(phys_addr_t)0;
	low_limit = 0;
	direct_limit = ~(phys_addr_t)0;
	retired = false;
}

/* Bootmem's two region lists, as it handed them over. */
static void bootmem_show(struct seq_file *m)
{
	seq_printf(m, "memory (%d regions, %llu KiB):\n", bootmem_nr_memory(),
		   (unsigned long long)(bootmem_memory_bytes() >> 10));
	for (int i = 0; i < bootmem_nr_memory(); i++) {
		const struct bootmem_region *r = bootmem_memory(i);

		seq_printf(m, "  %#012llx-%#012llx %10llu KiB\n",
			   (unsigned long long)r->base,
			   (unsigned long long)(r->base + r->size - 1),
			   (unsigned long long)(r->size >> 10));
	}
	seq_printf(m, "reserved (%d regions):\n", bootmem_nr_reserved());
	for (int i = 0; i < bootmem_nr_reserved(); i++) {
		const struct bootmem_region *r = bootmem_reserved(i);

		seq_printf(m, "  %#012llx-%#012llx %10llu KiB  %s\n",
			   (unsigned long long)r->base,
			   (unsigned long long)(r->base + r->size - 1),
			   (unsigned long long)((r->size + 1023) >> 10),
			   r->name);
	}
	seq_printf(m, "free: %llu KiB%s\n",
		   (unsigned long long)(bootmem_free_bytes() >> 10),
		   bootmem_retired() ? " (handed to the page allocator)" : "");
}
PROC_TABLE("bootmem", bootmem_show);
