/*
 * `misuse CLASS`: one deliberate misuse of a memory API, of a kind
 * drivers really get wrong, to watch the check that catches it.
 *
 * Each class makes its bad call from a function of its own, so the
 * report names it as the caller (misuse_page_double_free+0x...), then
 * undoes whatever it allocated the right way: the kernel carries on and
 * nothing leaks. The checks are in the allocators, not here; this file
 * only provokes them. docs/misuse.md lists the classes with a report
 * each and what Linux 2.6 does in the same case.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/io.h>
#include <pagoda/irqflags.h>
#include <pagoda/mm.h>
#include <pagoda/oops.h>
#include <pagoda/printk.h>
#include <pagoda/shell.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <pagoda/vmalloc.h>

#include "slab.h"

/* What the shell printed so far goes out before the kernel's report. */
static void say(struct seq_file *m, const char *fmt, ...) __printf(2, 3);

static void say(struct seq_file *m, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_printf(m, "misuse: %s\n", line);
	seq_flush(m);
}

static int no_memory(struct seq_file *m)
{
	say(m, "no memory to misuse; nothing done");
	return -ENOMEM;
}

/* ---- the page allocator ---- */

static __noinline int misuse_page_double_free(struct seq_file *m)
{
	unsigned long addr = __get_free_page(GFP_KERNEL);

	if (!addr)
		return no_memory(m);
	say(m, "free_page(%#lx) twice (pfn %#lx)", addr,
	    page_to_pfn(virt_to_page((void *)addr)));
	free_page(addr);
	free_page(addr); /* the misuse */
	return 0;
}

static __noinline int misuse_page_wrong_order(struct seq_file *m)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 2);

	if (!addr)
		return no_memory(m);
	say(m, "free_pages(%#lx, 1) of an order-2 block (pfn %#lx)", addr,
	    page_to_pfn(virt_to_page((void *)addr)));
	free_pages(addr, 1); /* the misuse */
	free_pages(addr, 2);
	return 0;
}

/* ---- the slab layer ---- */

static __noinline int misuse_slab_double_free(struct seq_file *m)
{
	void *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return no_memory(m);
	say(m, "kfree(%p) twice (kmalloc-64)", p);
	kfree(p);
	kfree(p); /* the misuse */
	return 0;
}

static __noinline int misuse_kfree_foreign(struct seq_file *m)
{
	unsigned long addr = __get_free_page(GFP_KERNEL);

	if (!addr)
		return no_memory(m);
	say(m, "kfree(%#lx), a page from __get_free_page", addr);
	kfree((void *)addr); /* the misuse */
	free_page(addr);
	return 0;
}

/*
 * The two slab debugging classes use kmalloc-48, the cache the boot
 * tests give red zones and poison (slub_debug=FZPU,kmalloc-48).
 */
static __noinline int misuse_use_after_free(struct seq_file *m)
{
	char *p = kmalloc(40, GFP_KERNEL);
	struct kmem_cache *s;
	unsigned long found;

	if (!p)
		return no_memory(m);
	s = virt_to_cache(p);
	say(m, "kfree(%p), then store NULL at %p (%s)", p, p + 16, s->name);
	kfree(p);
	/*
	 * Past the first word, where a cache without debugging keeps the
	 * free pointer: the write is lost then, but breaks nothing.
	 */
	*(void *volatile *)(p + 16) = NULL; /* the misuse */
	found = slab_check_all();
	if (s->flags & SLAB_POISON)
		say(m, "slabcheck found %lu problem%s (and repaired)", found,
		    found == 1 ? "" : "s");
	else
		say(m,
		    "not caught: %s does not poison free objects (boot "
		    "with slub_debug=P,%s)",
		    s->name, s->name);
	return 0;
}

static __noinline int misuse_redzone(struct seq_file *m)
{
	char *p = kmalloc(40, GFP_KERNEL);
	struct kmem_cache *s;

	if (!p)
		return no_memory(m);
	s = virt_to_cache(p);
	if (!(s->flags & SLAB_RED_ZONE)) {
		/* The next object starts right there: not done, not safe. */
		say(m,
		    "%s has no red zone, so a write past %p would land in "
		    "the next object unseen (boot with slub_debug=Z,%s); "
		    "not done",
		    s->name, p, s->name);
		kfree(p);
		return -ENODEV;
	}
	say(m, "write 1 byte at %p, just past the %lu bytes of %p (%s)",
	    p + ksize(p), ksize(p), p, s->name);
	p[ksize(p)] = 0; /* the misuse */
	kfree(p);
	return 0;
}

/* ---- vmalloc, kmap_atomic, ioremap ---- */

static __noinline int misuse_vfree_bad(struct seq_file *m)
{
	char *p = vmalloc(2 * PAGE_SIZE);

	if (!p)
		return no_memory(m);
	say(m, "vfree(%p), the second page of the area at %p", p + PAGE_SIZE,
	    p);
	vfree(p + PAGE_SIZE); /* the misuse */
	vfree(p);
	return 0;
}

/*
 * The fault is an oops. It is caught here rather than by the shell, so
 * that the area can still be freed afterwards.
 */
static __noinline int misuse_vmalloc_guard(struct seq_file *m)
{
	char *volatile p = vmalloc(PAGE_SIZE);
	struct arch_jmp_buf jb, *volatile shell_jb = NULL;

	if (!p)
		return no_memory(m);
	say(m, "write 1 byte at %p, just past the %lu bytes at %p",
	    p + PAGE_SIZE, PAGE_SIZE, p);
	if (arch_setjmp(&jb) == 0) {
		shell_jb = oops_set_recovery(&jb);
		((volatile char *)p)[PAGE_SIZE] = 1; /* the misuse */
		oops_set_recovery(shell_jb);
		say(m, "the write went through: no guard page");
	} else {
		oops_set_recovery(shell_jb);
		local_irq_enable();
		say(m, "the fault was caught; %p freed", p);
	}
	vfree(p);
	return 0;
}

static struct page *highmem_page(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);

	if (page && !PageHighMem(page)) {
		__free_page(page);
		return NULL;
	}
	return page;
}

static __noinline int misuse_kunmap_order(struct seq_file *m)
{
	struct page *p = highmem_page(), *q = highmem_page();
	void *a, *b;
	int ret = 0;

	if (!p || !q) {
		say(m, "no HIGHMEM page on this boot (try highmem=48M): a "
		       "low page is never mapped, so there is no order to "
		       "get wrong");
		ret = -ENODEV;
		goto out;
	}
	a = kmap_atomic(p, KM_USER0);
	b = kmap_atomic(q, KM_USER1);
	say(m,
	    "kmap_atomic: %p (KM_USER0), then %p (KM_USER1); "
	    "kunmap_atomic(%p) first",
	    a, b, a);
	kunmap_atomic(a, KM_USER0); /* the misuse: b is the last one */
	kunmap_atomic(b, KM_USER1);
	say(m, "both unmapped; preempt_count %lu", preempt_count());
out:
	if (p)
		__free_page(p);
	if (q)
		__free_page(q);
	return ret;
}

static __noinline int misuse_free_kmapped(struct seq_file *m)
{
	struct page *p = highmem_page();
	void *addr;

	if (!p) {
		say(m, "no HIGHMEM page on this boot (try highmem=48M): only "
		       "a HighMem page is kmapped into a pkmap slot");
		return -ENODEV;
	}
	addr = kmap(p);
	if (!addr) {
		__free_page(p);
		return no_memory(m);
	}
	say(m, "kmap(pfn %#lx) at %p, then __free_page() before kunmap",
	    page_to_pfn(p), addr);
	__free_page(p); /* the misuse: the mapping is still there */
	kunmap(p);
	__free_page(p);
	return 0;
}

static __noinline int misuse_iounmap_bad(struct seq_file *m)
{
	int n;
	const struct mmio_probe *probe = arch_mmio_probes(&n);
	phys_addr_t phys;
	void __iomem *cookie;

	if (!n) {
		say(m, "this machine lists no device to map");
		return -ENODEV;
	}
	phys = probe[0].phys;
	cookie = ioremap(phys, 4);
	if (!cookie)
		return no_memory(m);
	/* Never the case, but then the "bad" address would be a good one. */
	if (find_vm_area((void *)(unsigned long)(phys & PAGE_MASK))) {
		say(m, "%#llx is also a live area's address; nothing done",
		    (unsigned long long)phys);
		iounmap(cookie);
		return -EBUSY;
	}
	say(m, "iounmap(%p), a physical address: ioremap(%#llx, 4) returned %p",
	    (void *)(unsigned long)phys, (unsigned long long)phys,
	    (void *)cookie);
	iounmap((void __iomem *)(unsigned long)phys); /* the misuse */
	iounmap(cookie);
	return 0;
}

/* ---- an allocation that may sleep, in interrupt context ---- */

static void *volatile irq_object;
static volatile bool irq_done;

static __noinline void misuse_gfp_kernel_in_irq(void)
{
	void *p = kmalloc(64, GFP_KERNEL); /* the misuse */

	irq_object = p;
	kfree(p);
	irq_done = true;
}

static __noinline int misuse_gfp_in_irq(struct seq_file *m)
{
	unsigned long before = might_sleep_reports;

	say(m, "kmalloc(64, GFP_KERNEL) from the next timer interrupt");
	irq_done = false;
	irq_object = NULL;
	timer_once = misuse_gfp_kernel_in_irq;
	msleep(50);
	if (!irq_done) {
		timer_once = NULL;
		say(m, "the timer interrupt never came; nothing done");
		return -EIO;
	}
	say(m,
	    "in the interrupt it returned %p (freed there); %lu "
	    "might_sleep report%s",
	    irq_object, might_sleep_reports - before,
	    might_sleep_reports - before == 1 ? "" : "s");
	return 0;
}

/* ---- the command ---- */

static const struct {
	const char *name;
	const char *what;
	int (*fn)(struct seq_file *m);
} classes[] = {
	{"page-double-free", "free_page() twice on one page",
	 misuse_page_double_free},
	{"page-wrong-order", "free_pages() of an order-2 block as order 1",
	 misuse_page_wrong_order},
	{"slab-double-free", "kfree() twice on one object",
	 misuse_slab_double_free},
	{"kfree-foreign", "kfree() of a page from __get_free_page",
	 misuse_kfree_foreign},
	{"vfree-bad", "vfree() of an address inside an area", misuse_vfree_bad},
	{"use-after-free", "a write into a freed kmalloc-48 object",
	 misuse_use_after_free},
	{"redzone", "a write one byte past a kmalloc-48 object",
	 misuse_redzone},
	{"vmalloc-guard", "a write one byte past a vmalloc area",
	 misuse_vmalloc_guard},
	{"kunmap-order", "kunmap_atomic() of a mapping that is not the last",
	 misuse_kunmap_order},
	{"free-kmapped", "__free_page() of a HighMem page still kmapped",
	 misuse_free_kmapped},
	{"gfp-in-irq", "kmalloc(GFP_KERNEL) in an interrupt handler",
	 misuse_gfp_in_irq},
	{"iounmap-bad", "iounmap() of a physical address", misuse_iounmap_bad},
};

static int cmd_misuse(struct seq_file *m, int argc, char **argv)
{
	if (argc == 1) {
		seq_puts(m, "misuse CLASS: one deliberate misuse, reported by "
			    "the check that catches it\n");
		for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++)
			seq_printf(m, "  %-17s %s\n", classes[i].name,
				   classes[i].what);
		return 0;
	}
	if (argc != 2)
		return shell_usage(m, "misuse");
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++) {
		if (!strcmp(argv[1], classes[i].name))
			return classes[i].fn(m);
	}
	seq_printf(m, "misuse: no class '%s' (misuse alone lists them)\n",
		   argv[1]);
	return shell_usage(m, "misuse");
}
SHELL_COMMAND("misuse", "misuse [CLASS]",
	      "misuse a memory API on purpose and see it reported "
	      "(no CLASS: list them)",
	      cmd_misuse);
