/*
 * `selftest highmem`: kmap, kmap_atomic and kmap_local on real HIGHMEM
 * pages, the last one from inside the timer interrupt.
 */
#include <pagoda/hardirq.h>
#include <pagoda/highmem.h>
#include <pagoda/ktap.h>
#include <pagoda/string.h>
#include <pagoda/time.h>

static struct page *high_page(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);

	if (p && !PageHighMem(p)) {
		__free_page(p);
		return NULL;
	}
	return p;
}

static void test_kmap(struct ktap *t, struct page *p)
{
	char *a = kmap(p), *b = kmap(p), *at;

	ktap_result(t, a && a == b && page_address(p) == a,
		    "kmap gives a page one slot, shared (%p)", a);
	if (!a)
		return;
	strlcpy(a, "written through kmap", 32);
	at = kmap_atomic(p, KM_USER1);
	ktap_result(t, at != a && !strcmp(at, "written through kmap"),
		    "a second mapping (kmap_atomic) reads it back");
	kunmap_atomic(at, KM_USER1);
	kunmap(p);
	ktap_result(t, page_address(p) == a, "one kunmap: still mapped");
	kunmap(p);
	ktap_result(t, page_address(p) == NULL, "the last kunmap unmaps it");
}

static void test_local(struct ktap *t, struct page *p, struct page *q)
{
	char *a = kmap_local_page(p), *b = kmap_local_page(q);

	ktap_result(t, a && b && a != b, "kmap_local nests");
	ktap_note(t, "an out-of-order kunmap_local follows: it is reported");
	kunmap_local(a); /* wrong: b is on top */
	kunmap_local(b);
	kunmap_local(a);
	ktap_result(t, preempt_count() == 0,
		    "after the right order everything is undone");
}

static void test_atomic_sleep(struct ktap *t, struct page *p)
{
	unsigned long before = might_sleep_reports;
	void *a = kmap_atomic(p, KM_USER0);
	struct page *q = alloc_page(GFP_KERNEL);

	kunmap_atomic(a, KM_USER0);
	ktap_result(t, might_sleep_reports == before + 1,
		    "GFP_KERNEL under kmap_atomic is reported");
	if (q)
		__free_page(q);
}

static volatile int irq_result;

/* In the timer interrupt: an atomic allocation and an atomic mapping. */
static void from_irq(void)
{
	struct page *p = alloc_page(GFP_ATOMIC | __GFP_HIGHMEM);
	u32 *v;

	if (!p) {
		irq_result = -1;
		return;
	}
	v = kmap_atomic(p, KM_IRQ0);
	v[0] = 0xc0ffee;
	irq_result = in_irq() && v[0] == 0xc0ffee ? 1 : -2;
	kunmap_atomic(v, KM_IRQ0);
	__free_page(p);
}

static void test_irq(struct ktap *t)
{
	irq_result = 0;
	timer_once = from_irq;
	msleep(50);
	ktap_result(t, irq_result == 1,
		    "kmap_atomic and GFP_ATOMIC work in the timer interrupt "
		    "(%d)",
		    irq_result);
}

static void test_full(struct ktap *t)
{
	static struct page *pages[LAST_PKMAP + 1];
	int mapped = 0, got = 0;

	for (int i = 0; i <= LAST_PKMAP; i++) {
		pages[i] = high_page();
		got += pages[i] != NULL;
	}
	if (got <= LAST_PKMAP) {
		ktap_note(t, "only %d HIGHMEM pages: the full-window case is "
			     "not run", got);
	} else {
		for (int i = 0; i <= LAST_PKMAP; i++)
			mapped += kmap(pages[i]) != NULL;
		ktap_result(t, mapped == LAST_PKMAP,
			    "with all %d slots taken kmap says so and returns "
			    "NULL",
			    LAST_PKMAP);
		for (int i = 0; i < LAST_PKMAP; i++)
			kunmap(pages[i]);
	}
	for (int i = 0; i <= LAST_PKMAP; i++)
		if (pages[i])
			__free_page(pages[i]);
}

static void highmem_selftest(struct ktap *t)
{
	struct page *p = high_page(), *q = high_page();

	if (!p || !q) {
		ktap_note(t, "no HIGHMEM on this boot (try highmem=48M)");
		ktap_result(t, true, "nothing to map");
	} else {
		test_kmap(t, p);
		test_local(t, p, q);
		test_atomic_sleep(t, p);
		test_full(t);
	}
	test_irq(t);
	if (p)
		__free_page(p);
	if (q)
		__free_page(q);
}
SELFTEST("highmem", highmem_selftest);
