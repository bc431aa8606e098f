/*
 * The PC's memory-mapped devices, reached through ioremap: the local
 * APIC (its address comes from the IA32_APIC_BASE MSR), the I/O APIC and
 * the HPET (at their standard addresses, checked by what they answer).
 * The HPET's counter, of known period, measures the TSC's rate; the
 * APICs are identified and listed. Each goes into /proc/iomem.
 */
#include <asm/page.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
#include <pagoda/io.h>
#include <pagoda/printk.h>
#include <pagoda/resource.h>

#define MSR_APIC_BASE 0x1b
#define IOAPIC_PHYS 0xfec00000
#define HPET_PHYS 0xfed00000
#define HPET_CAP 0x000	   /* capabilities: vendor, period in fs */
#define HPET_CONFIG 0x010  /* bit 0: the counter runs */
#define HPET_COUNTER 0x0f0

static void __iomem *hpet;
static u32 hpet_period_fs;
void __iomem *lapic;
/* Registers the ioremap self-test reads (arch_mmio_probes). */
static struct mmio_probe probes[2];
static int nr_probes;

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static void lapic_init(void)
{
	phys_addr_t base = rdmsr(MSR_APIC_BASE) & 0xfffff000;
	u32 version;

	lapic = ioremap(base, PAGE_SIZE);
	if (!lapic)
		return;
	/* An integrated local APIC's version is 0x1X. */
	probes[nr_probes++] = (struct mmio_probe){ "local APIC version", base,
						   0x30, 4, 0xff, 0x10, 0x1f };
	version = readl(lapic + 0x30);
	iomem_add(base, PAGE_SIZE, "Local APIC");
	pr_info("lapic: at %#llx, id %u, version %#x, %u LVT entries\n",
		(unsigned long long)base, readl(lapic + 0x20) >> 24,
		version & 0xff, ((version >> 16) & 0xff) + 1);
}

static void ioapic_init(void)
{
	void __iomem *io = ioremap(IOAPIC_PHYS, 0x20);
	u32 version;

	if (!io)
		return;
	writel(1, io); /* select the version register */
	version = readl(io + 0x10);
	if ((version & 0xff) == 0xff || version == 0) {
		iounmap(io);
		return;
	}
	iomem_add(IOAPIC_PHYS, PAGE_SIZE, "IOAPIC 0");
	pr_info("ioapic: at %#x, version %#x, %u redirection entries\n",
		IOAPIC_PHYS, version & 0xff, ((version >> 16) & 0xff) + 1);
	iounmap(io);
}

/* A period of 0 or above 100 ns is not an HPET (the spec's limits). */
static void hpet_init(void)
{
	u32 cap_lo, period;

	hpet = ioremap(HPET_PHYS, 0x400);
	if (!hpet)
		return;
	cap_lo = readl(hpet + HPET_CAP);
	period = readl(hpet + HPET_CAP + 4);
	if (!period || period > 100000000 || cap_lo == 0xffffffff) {
		iounmap(hpet);
		hpet = NULL;
		return;
	}
	hpet_period_fs = period;
	/* The spec: a period of at most 100 ns, in femtoseconds. */
	probes[nr_probes++] = (struct mmio_probe){ "HPET period", HPET_PHYS,
						   HPET_CAP + 4, 4, 0xffffffff,
						   1, 100000000 };
	writel(readl(hpet + HPET_CONFIG) | 1, hpet + HPET_CONFIG);
	iomem_add(HPET_PHYS, 0x400, "HPET 0");
	pr_info("hpet: at %#x, vendor %#x, %u timers, %u.%03u MHz\n",
		HPET_PHYS, cap_lo >> 16, ((cap_lo >> 8) & 0x1f) + 1,
		(u32)(1000000000ULL / period), (u32)(1000000000000ULL / period %
						     1000));
}

/* TSC ticks over 10 ms of HPET counter; 0 without an HPET. */
u64 hpet_measure_tsc_hz(void)
{
	u64 ticks = 10000000000000ULL / hpet_period_fs; /* 10 ms in fs */
	u32 start;
	u64 t0, t1;

	if (!hpet)
		return 0;
	start = readl(hpet + HPET_COUNTER);
	t0 = rdtsc();
	while ((u32)(readl(hpet + HPET_COUNTER) - start) < ticks)
		;
	t1 = rdtsc();
	return (t1 - t0) * 100;
}

const struct mmio_probe *arch_mmio_probes(int *count)
{
	*count = nr_probes;
	return probes;
}

void arch_devices_init(void)
{
	lapic_init();
	ioapic_init();
	hpet_init();
}
