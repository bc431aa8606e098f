/*
 * kmap and kmap_local: the other two ways to reach a HIGHMEM page
 * (kmap_atomic is in mm/highmem.c).
 *
 * kmap maps a page into one of LAST_PKMAP slots of the pkmap window and
 * counts its users, so that two kmaps of a page share a slot and the
 * last kunmap frees it. kmap_local_page takes fixmap slots above the
 * km_type ones as a per-CPU stack: no type to choose, but mappings must
 * be undone in reverse order. /proc/kmapinfo shows all three kinds.
 */
#include <pagoda/arch.h>
#include <pagoda/bug.h>
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/irqflags.h>
#include <pagoda/pgtable.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>

extern void *kmap_atomic_addr[NR_CPUS * KM_TYPE_NR];
#define slot_addr kmap_atomic_addr

static struct page *pkmap_page[LAST_PKMAP];
static int pkmap_count[LAST_PKMAP];
static unsigned int last_pkmap;

static unsigned long pkmap_addr(unsigned int slot)
{
	return PKMAP_BASE + slot * PAGE_SIZE;
}

static int pkmap_slot_of(const struct page *page)
{
	for (int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] && pkmap_page[i] == page)
			return i;
	}
	return -1;
}

void *kmap_address(const struct page *page)
{
	int slot = pkmap_slot_of(page);

	return slot < 0 ? NULL : (void *)pkmap_addr(slot);
}

void *kmap(struct page *page)
{
	unsigned long flags;
	int slot;

	might_sleep();
	if (!PageHighMem(page))
		return page_address(page);
	local_irq_save(flags);
	slot = pkmap_slot_of(page);
	if (slot < 0) {
		for (int n = 0; n < LAST_PKMAP; n++) {
			unsigned int i = (last_pkmap + n) % LAST_PKMAP;

			if (!pkmap_count[i]) {
				slot = i;
				break;
			}
		}
		if (slot < 0) {
			local_irq_restore(flags);
			printk(KERN_ERR "kmap: all %d pkmap slots are in use; "
					"%pS gets NULL instead of waiting\n",
			       LAST_PKMAP, (void *)_RET_IP_);
			return NULL;
		}
		if (arch_map_page(pkmap_addr(slot), page_to_phys(page),
				  PAGE_KERNEL, GFP_ATOMIC)) {
			local_irq_restore(flags);
			printk(KERN_ERR "kmap: no page for the pkmap table\n");
			return NULL;
		}
		pkmap_page[slot] = page;
		SetPagePkmap(page); /* for memmap: a walk of mem_map sees it */
		last_pkmap = slot + 1;
	}
	pkmap_count[slot]++;
	local_irq_restore(flags);
	return (void *)pkmap_addr(slot);
}

void kunmap(struct page *page)
{
	unsigned long flags;
	int slot;

	if (!PageHighMem(page))
		return;
	local_irq_save(flags);
	slot = pkmap_slot_of(page);
	if (slot < 0) {
		local_irq_restore(flags);
		printk(KERN_ERR "BUG: kunmap of pfn %#lx from %pS: the page is "
				"not kmapped; ignored\n",
		       page_to_pfn(page), (void *)_RET_IP_);
		return;
	}
	if (--pkmap_count[slot] == 0) {
		arch_unmap_page(pkmap_addr(slot));
		arch_flush_tlb_range(pkmap_addr(slot),
				     pkmap_addr(slot) + PAGE_SIZE);
		ClearPagePkmap(page);
		pkmap_page[slot] = NULL;
	}
	local_irq_restore(flags);
}

/* ---- kmap_local: a per-CPU stack of fixmap slots ---- */

#define LOCAL_SLOTS (FIXADDR_PAGES / NR_CPUS - KM_TYPE_NR)

struct local_stack {
	int top;
	void *addr[LOCAL_SLOTS];
	struct page *page[LOCAL_SLOTS];
};
static struct local_stack local_stacks[NR_CPUS];

static unsigned int local_slot(int depth)
{
	return NR_CPUS * KM_TYPE_NR + smp_processor_id() * LOCAL_SLOTS + depth;
}

void *kmap_local_page(struct page *page)
{
	struct local_stack *st;
	void *addr;

	preempt_disable();
	if (!PageHighMem(page))
		return page_address(page);
	st = &local_stacks[smp_processor_id()];
	if (st->top == LOCAL_SLOTS) {
		printk(KERN_ERR "BUG: kmap_local_page nested more than %d deep, "
				"from %pS\n",
		       LOCAL_SLOTS, (void *)_RET_IP_);
		preempt_enable();
		return NULL;
	}
	addr = arch_kmap_slot(local_slot(st->top), page_to_phys(page));
	st->addr[st->top] = addr;
	st->page[st->top] = page;
	st->top++;
	return addr;
}

void kunmap_local(void *addr)
{
	struct local_stack *st = &local_stacks[smp_processor_id()];

	if ((char *)addr >= (char *)__va((phys_addr_t)min_pfn << PAGE_SHIFT) &&
	    (char *)addr < (char *)high_memory) {
		preempt_enable();
		return;
	}
	if (!st->top || st->addr[st->top - 1] != addr) {
		printk(KERN_ERR "BUG: kunmap_local(%p) from %pS out of order: "
				"the last mapping is %p; ignored\n",
		       addr, (void *)_RET_IP_,
		       st->top ? st->addr[st->top - 1] : NULL);
		return;
	}
	st->top--;
	arch_kunmap_slot(local_slot(st->top));
	st->addr[st->top] = NULL;
	st->page[st->top] = NULL;
	preempt_enable();
}

/* ---- /proc/kmapinfo: our own table ---- */

static const char *const km_names[KM_TYPE_NR] = {
	"KM_BOUNCE_READ", "KM_USER0", "KM_USER1", "KM_PTE0", "KM_PTE1",
	"KM_IRQ0", "KM_IRQ1", "KM_SOFTIRQ0", "KM_SOFTIRQ1",
};

static void kmapinfo_show(struct seq_file *m)
{
	int used = 0;

	for (int i = 0; i < LAST_PKMAP; i++)
		used += pkmap_count[i] != 0;
	seq_printf(m, "pkmap: %d of %d slots in use at %p\n", used, LAST_PKMAP,
		   (void *)PKMAP_BASE);
	for (int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i])
			seq_printf(m, "  slot %4d %p pfn %#lx count %d\n", i,
				   (void *)pkmap_addr(i),
				   page_to_pfn(pkmap_page[i]), pkmap_count[i]);
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct local_stack *st = &local_stacks[cpu];

		seq_printf(m, "cpu %d atomic:", cpu);
		for (int t = 0; t < KM_TYPE_NR; t++) {
			void *a = slot_addr[t + KM_TYPE_NR * cpu];

			if (a)
				seq_printf(m, " %s=%p", km_names[t], a);
		}
		seq_printf(m, "\ncpu %d local: %d deep", cpu, st->top);
		for (int d = 0; d < st->top; d++)
			seq_printf(m, " %p(pfn %#lx)", st->addr[d],
				   page_to_pfn(st->page[d]));
		seq_putc(m, '\n');
	}
}
PROC_TABLE("kmapinfo", kmapinfo_show);
