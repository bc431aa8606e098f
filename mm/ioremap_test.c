/*
 * `selftest ioremap`: device registers read what the devices define,
 * through fresh mappings; RAM is refused; the offset inside a page is
 * kept; iounmap takes exactly what ioremap gave and nothing else.
 */
#include <pagoda/arch.h>
#include <pagoda/io.h>
#include <pagoda/ktap.h>
#include <pagoda/mm.h>
#include <pagoda/vmalloc.h>

static void test_probes(struct ktap *t)
{
	int n;
	const struct mmio_probe *p = arch_mmio_probes(&n);

	for (int i = 0; i < n; i++) {
		void __iomem *reg = ioremap(p[i].phys + p[i].offset, 4);
		u32 v = !reg		 ? 0 :
			p[i].width == 1 ? readb(reg) & p[i].mask :
					   readl(reg) & p[i].mask;

		ktap_result(t, reg && v >= p[i].min && v <= p[i].max,
			    "%s at %#llx reads %#x (expected %#x..%#x)",
			    p[i].what,
			    (unsigned long long)(p[i].phys + p[i].offset), v,
			    p[i].min, p[i].max);
		if (reg)
			iounmap(reg);
	}
	if (!n)
		ktap_note(t, "this machine listed no device to probe");
}

static void test_rules(struct ktap *t)
{
	int n;
	const struct mmio_probe *p = arch_mmio_probes(&n);
	unsigned long used = vmalloc_used();
	struct page *ram = alloc_page(GFP_KERNEL);
	void __iomem *a;

	ktap_note(t, "an ioremap of RAM and a bad iounmap follow: both are "
		     "reported");
	ktap_result(t, ram && !ioremap(page_to_phys(ram), PAGE_SIZE),
		    "ioremap of RAM is refused");
	if (ram)
		__free_page(ram);
	if (!n)
		return;
	a = ioremap(p[0].phys + 0x10, 8);
	ktap_result(t, a && ((unsigned long)a & (PAGE_SIZE - 1)) == 0x10,
		    "the offset inside the page is kept (%p)", (void *)a);
	ktap_result(t, ioremap_addr_ok(a, 8) && !ioremap_addr_ok(a, PAGE_SIZE),
		    "readl/writel accept addresses inside the mapping only");
	iounmap((void __iomem *)((char *)a + PAGE_SIZE * 4));
	ktap_result(t, vmalloc_used() == used + 2 * PAGE_SIZE,
		    "iounmap of an address ioremap did not give changes "
		    "nothing");
	iounmap(a);
	ktap_result(t, vmalloc_used() == used,
		    "iounmap removes the mapping and its guard page");
}

static void ioremap_selftest(struct ktap *t)
{
	test_probes(t);
	test_rules(t);
}
SELFTEST("ioremap", ioremap_selftest);
