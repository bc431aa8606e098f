/*
 * vmalloc: virtually contiguous memory built from scattered pages.
 *
 * The vmalloc area [VMALLOC_START, VMALLOC_END) is handed out in page
 * multiples. Free space is a range tree (lib/range_tree.c): the lowest
 * range that fits is found in O(log n) however many areas are live.
 * Every area is one page longer than asked and that last page is never
 * mapped: running off the end of a vmalloc buffer faults at once, and
 * the fault report names the area (vmalloc_describe).
 *
 *   VMALLOC_START                                          VMALLOC_END
 *   | area A | g | area B      | g |    free    | area C | g |  free   |
 *     pages from anywhere in RAM, mapped side by side; g = guard page
 *
 * Live areas are found by address through a hash table, so vfree costs
 * the same with ten areas or ten thousand. vmalloc may sleep (it takes
 * pages with GFP_KERNEL): it is for process context only, as in Linux.
 */
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/kmemtrace.h>
#include <pagoda/mm.h>
#include <pagoda/page_owner.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/range_tree.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>

#define HASH_BITS 10
#define GUARD PAGE_SIZE

static struct range_tree free_space;
static struct kmem_cache *node_cache;
/* A node lent by the area being freed: giving space back never fails. */
static struct range_node *spare_node;
static struct vm_struct *hash[1 << HASH_BITS];
static unsigned long nr_areas, used_bytes;

static struct range_node *node_alloc(void *ctx)
{
	struct range_node *n = spare_node;

	if (n) {
		spare_node = NULL;
		return n;
	}
	return kmem_cache_alloc(node_cache, GFP_KERNEL | __GFP_NOWARN);
}

static void node_free(struct range_node *n, void *ctx)
{
	kmem_cache_free(node_cache, n);
}

static unsigned int hash_of(unsigned long addr)
{
	return ((addr >> PAGE_SHIFT) * 0x9e3779b9UL) >> 7 &
	       ((1 << HASH_BITS) - 1);
}

static void hash_add(struct vm_struct *area)
{
	unsigned int h = hash_of(area->addr);

	area->hash_next = hash[h];
	hash[h] = area;
	nr_areas++;
	used_bytes += area->size;
}

static struct vm_struct *hash_remove(unsigned long addr)
{
	struct vm_struct **p = &hash[hash_of(addr)];

	for (; *p; p = &(*p)->hash_next) {
		struct vm_struct *area = *p;

		if (area->addr == addr) {
			*p = area->hash_next;
			nr_areas--;
			used_bytes -= area->size;
			return area;
		}
	}
	return NULL;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vm_struct *area = hash[hash_of((unsigned long)addr)];

	while (area && area->addr != (unsigned long)addr)
		area = area->hash_next;
	return area;
}

bool is_vmalloc_addr(const void *addr)
{
	return (unsigned long)addr >= VMALLOC_START &&
	       (unsigned long)addr < VMALLOC_END;
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     unsigned long caller)
{
	struct vm_struct *area;
	unsigned long addr;

	size = ALIGN(size, PAGE_SIZE);
	if (!size || size + GUARD < size)
		return NULL;
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;
	/* Freeing needs a node when the range touches no free one: keep it. */
	area->spare = kmem_cache_alloc(node_cache, GFP_KERNEL);
	if (!area->spare ||
	    range_alloc(&free_space, size + GUARD, PAGE_SIZE, &addr)) {
		if (area->spare)
			kmem_cache_free(node_cache, area->spare);
		kfree(area);
		return NULL;
	}
	area->addr = addr;
	area->size = size + GUARD;
	area->flags = flags;
	area->caller = caller;
	hash_add(area);
	return area;
}

static void unmap_area(struct vm_struct *area)
{
	unsigned long end = area->addr + area->size - GUARD;

	for (unsigned long va = area->addr; va < end; va += PAGE_SIZE)
		arch_unmap_page(va);
	arch_flush_tlb_range(area->addr, end);
}

struct vm_struct *remove_vm_area(const void *addr)
{
	struct vm_struct *area = hash_remove((unsigned long)addr);

	if (!area)
		return NULL;
	unmap_area(area);
	spare_node = area->spare;
	area->spare = NULL;
	if (range_free(&free_space, area->addr, area->size))
		printk(KERN_ERR "vmalloc: the range %#lx+%#lx of a live area "
				"was already free\n",
		       area->addr, area->size);
	if (spare_node) { /* the free merged: the node was not needed */
		kmem_cache_free(node_cache, spare_node);
		spare_node = NULL;
	}
	return area;
}

void free_vm_area(struct vm_struct *area)
{
	if (area->spare)
		kmem_cache_free(node_cache, area->spare);
	kfree(area->pages);
	kfree(area);
}

static void free_pages_of(struct vm_struct *area)
{
	for (unsigned int i = 0; i < area->nr_pages; i++)
		__free_page(area->pages[i]);
}

/*
 * Take the pages one by one and map each as it comes. They may come from
 * HIGHMEM, unless the caller asked for ZONE_DMA.
 */
static int populate(struct vm_struct *area, gfp_t gfp, pgprot_t prot)
{
	gfp_t page_gfp = gfp & __GFP_DMA ? gfp : gfp | __GFP_HIGHMEM;

	for (unsigned int i = 0; i < area->nr_pages; i++) {
		struct page *page = alloc_page(page_gfp);

		if (!page)
			return -ENOMEM;
		/* Its owner is whoever called vmalloc, not this loop. */
		set_page_owner_kind(page, area->caller, PO_VMALLOC);
		area->pages[i] = page;
		if (arch_map_page(area->addr + i * PAGE_SIZE,
				  page_to_phys(page), prot, gfp)) {
			__free_page(page);
			area->pages[i] = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void *__vmalloc_caller(unsigned long size, gfp_t gfp, pgprot_t prot,
			      unsigned long caller);

static void *vmalloc_caller(unsigned long size, gfp_t gfp, pgprot_t prot,
			    unsigned long caller)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_VMALLOC, caller);
	void *addr;

	if (likely(!kt))
		return __vmalloc_caller(size, gfp, prot, caller);
	kt->size = size;
	kt->gfp = gfp;
	addr = __vmalloc_caller(size, gfp, prot, caller);
	kmemtrace_result(kt, (unsigned long)addr);
	kmemtrace_end(kt);
	return addr;
}

static void *__vmalloc_caller(unsigned long size, gfp_t gfp, pgprot_t prot,
			      unsigned long caller)
{
	struct vm_struct *area;
	unsigned int nr;

	size = ALIGN(size, PAGE_SIZE);
	if (!size || size >> PAGE_SHIFT > totalram_pages) {
		if (!(gfp & __GFP_NOWARN))
			printk(KERN_WARNING "vmalloc: %lu bytes from %pS: %s\n",
			       size, (void *)caller,
			       size ? "more than all of RAM" : "nothing asked");
		return NULL;
	}
	might_sleep_if(gfp & __GFP_WAIT);
	nr = size >> PAGE_SHIFT;
	area = get_vm_area_caller(size, VM_ALLOC, caller);
	if (!area)
		goto fail;
	area->pages = kcalloc(nr, sizeof(struct page *), gfp & ~__GFP_ZERO);
	if (!area->pages || (area->nr_pages = nr, populate(area, gfp, prot))) {
		remove_vm_area((void *)area->addr);
		for (unsigned int i = 0; area->pages && i < nr; i++)
			if (area->pages[i])
				__free_page(area->pages[i]);
		free_vm_area(area);
		goto fail;
	}
	/* __GFP_ZERO reached alloc_page: every page came zeroed. */
	return (void *)area->addr;
fail:
	if (!(gfp & __GFP_NOWARN))
		printk(KERN_WARNING "vmalloc: allocation of %lu bytes failed "
				    "(from %pS)\n",
		       size, (void *)caller);
	return NULL;
}

void *__vmalloc(unsigned long size, gfp_t gfp, pgprot_t prot)
{
	return vmalloc_caller(size, gfp, prot, _RET_IP_);
}

void *vmalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL, PAGE_KERNEL, _RET_IP_);
}

void *vzalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL,
			      _RET_IP_);
}

static void bad_free(const char *fn, const void *addr, unsigned long caller)
{
	printk(KERN_ERR "BUG: %s(%p) from %pS: not the start of a %s area; "
			"ignored\n",
	       fn, addr, (void *)caller,
	       !strcmp(fn, "vfree") ? "vmalloc" : "vmap");
	dump_stack();
}

static void __vfree(const void *addr, unsigned long caller)
{
	struct vm_struct *area;

	area = find_vm_area(addr);
	if (!area || !(area->flags & VM_ALLOC)) {
		bad_free("vfree", addr, caller);
		return;
	}
	remove_vm_area(addr);
	free_pages_of(area);
	free_vm_area(area);
}

void vfree(const void *addr)
{
	struct kmemtrace_event *kt;

	if (!addr)
		return;
	kt = kmemtrace_begin(KT_VFREE, _RET_IP_);
	if (kt)
		kt->ptr = (unsigned long)addr;
	__vfree(addr, _RET_IP_);
	kmemtrace_end(kt);
}

static void *__vmap(struct page **pages, unsigned int count, pgprot_t prot,
		    unsigned long caller);

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_VMAP, _RET_IP_);
	void *addr;

	if (kt)
		kt->size = (unsigned long)count << PAGE_SHIFT;
	addr = __vmap(pages, count, prot, _RET_IP_);
	kmemtrace_result(kt, (unsigned long)addr);
	kmemtrace_end(kt);
	return addr;
}

static void *__vmap(struct page **pages, unsigned int count, pgprot_t prot,
		    unsigned long caller)
{
	struct vm_struct *area;

	if (!count || count > totalram_pages)
		return NULL;
	area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, VM_MAP,
				  caller);
	if (!area)
		return NULL;
	area->nr_pages = count;
	for (unsigned int i = 0; i < count; i++) {
		if (arch_map_page(area->addr + i * PAGE_SIZE,
				  page_to_phys(pages[i]), prot, GFP_KERNEL)) {
			remove_vm_area((void *)area->addr);
			free_vm_area(area);
			return NULL;
		}
	}
	return (void *)area->addr;
}

static void __vunmap(const void *addr, unsigned long caller)
{
	struct vm_struct *area = find_vm_area(addr);

	if (!area || !(area->flags & VM_MAP)) {
		bad_free("vunmap", addr, caller);
		return;
	}
	remove_vm_area(addr);
	free_vm_area(area);
}

void vunmap(const void *addr)
{
	struct kmemtrace_event *kt = kmemtrace_begin(KT_VUNMAP, _RET_IP_);

	if (kt)
		kt->ptr = (unsigned long)addr;
	__vunmap(addr, _RET_IP_);
	kmemtrace_end(kt);
}

struct page *vmalloc_to_page(const void *addr)
{
	phys_addr_t pa;

	if (!is_vmalloc_addr(addr) ||
	    arch_virt_to_phys((unsigned long)addr, &pa))
		return NULL;
	return pfn_valid(pa >> PAGE_SHIFT) ? pfn_to_page(pa >> PAGE_SHIFT) :
					     NULL;
}

/* The live area whose span (guard included) holds addr: a slow walk,
 * for fault reports only. */
static struct vm_struct *area_containing(unsigned long addr)
{
	for (unsigned int h = 0; h < ARRAY_SIZE(hash); h++) {
		for (struct vm_struct *a = hash[h]; a; a = a->hash_next) {
			if (addr >= a->addr && addr - a->addr < a->size)
				return a;
		}
	}
	return NULL;
}

void vmalloc_describe(unsigned long addr)
{
	struct vm_struct *a;

	if (!is_vmalloc_addr((void *)addr))
		return;
	a = area_containing(addr);
	if (!a) {
		printk(KERN_EMERG "vmalloc: %p is in no vmalloc area (free "
				  "space)\n",
		       (void *)addr);
		return;
	}
	if (addr >= a->addr + a->size - GUARD)
		printk(KERN_EMERG "vmalloc: %p is the guard page after the "
				  "area %p-%p (%lu bytes), %lu bytes past its "
				  "end; allocated by %pS\n",
		       (void *)addr, (void *)a->addr,
		       (void *)(a->addr + a->size - GUARD), a->size - GUARD,
		       addr - (a->addr + a->size - GUARD), (void *)a->caller);
	else
		printk(KERN_EMERG "vmalloc: %p is inside the area %p-%p "
				  "(%lu bytes) from %pS, but not mapped\n",
		       (void *)addr, (void *)a->addr,
		       (void *)(a->addr + a->size - GUARD), a->size - GUARD,
		       (void *)a->caller);
}

unsigned long vmalloc_total(void)
{
	return VMALLOC_END - VMALLOC_START;
}

unsigned long vmalloc_used(void)
{
	return used_bytes;
}

unsigned long vmalloc_chunk(void)
{
	return range_tree_largest(&free_space);
}

/* In address order: live areas are gathered, then sorted. */
static void sort_areas(struct vm_struct **v, unsigned long n)
{
	/* Shell sort: a few thousand areas sort quickly, with no recursion. */
	for (unsigned long gap = n / 2; gap; gap /= 2) {
		for (unsigned long i = gap; i < n; i++) {
			struct vm_struct *t = v[i];
			unsigned long j = i;

			for (; j >= gap && v[j - gap]->addr > t->addr; j -= gap)
				v[j] = v[j - gap];
			v[j] = t;
		}
	}
}

static void show_area(struct seq_file *m, const struct vm_struct *a)
{
	seq_printf(m, "%p-%p %7lu %pS", (void *)a->addr,
		   (void *)(a->addr + a->size), a->size, (void *)a->caller);
	if (a->nr_pages)
		seq_printf(m, " pages=%u", a->nr_pages);
	if (a->flags & VM_IOREMAP)
		seq_printf(m, " phys=%llx ioremap",
			   (unsigned long long)a->phys_addr);
	if (a->flags & VM_ALLOC)
		seq_puts(m, " vmalloc");
	if (a->flags & VM_MAP)
		seq_puts(m, " vmap");
	seq_putc(m, '\n');
}

static void vmallocinfo_show(struct seq_file *m)
{
	unsigned long n = 0;
	struct vm_struct **v = kmalloc(nr_areas * sizeof(*v) + 1,
				       GFP_KERNEL | __GFP_NOWARN);

	if (!v) {
		seq_puts(m, "vmallocinfo: no memory to sort the areas\n");
		return;
	}
	for (unsigned int h = 0; h < ARRAY_SIZE(hash); h++)
		for (struct vm_struct *a = hash[h]; a; a = a->hash_next)
			v[n++] = a;
	sort_areas(v, n);
	for (unsigned long i = 0; i < n; i++)
		show_area(m, v[i]);
	kfree(v);
}
PROC_TABLE("vmallocinfo", vmallocinfo_show);

void vmalloc_init(void)
{
	node_cache = kmem_cache_create("vmap_area", sizeof(struct range_node),
				       0, SLAB_PANIC, NULL);
	if (range_tree_init(&free_space, VMALLOC_START, VMALLOC_END,
			    node_alloc, node_free, NULL))
		panic("vmalloc: cannot set up the free ranges of %#lx-%#lx\n",
		      (unsigned long)VMALLOC_START, (unsigned long)VMALLOC_END);
}
