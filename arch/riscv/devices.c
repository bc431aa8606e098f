/*
 * QEMU virt's devices, reached through ioremap once it works: the
 * console UART moves from its boot-time alias in the direct map to an
 * ioremap mapping (and its input moves to an interrupt, through the
 * PLIC), the test device (power off with a status) likewise, and the
 * goldfish RTC gives wall-clock time. All are found in the
 * device tree and listed in /proc/iomem.
 */
#include <asm/page.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/io.h>
#include <pagoda/pgtable.h>
#include <pagoda/printk.h>
#include <pagoda/resource.h>
#include <pagoda/time.h>

static void __iomem *rtc;
/* Registers the ioremap self-test reads (arch_mmio_probes). */
static struct mmio_probe probes[2];
static int nr_probes;

/* The boot alias of a device page goes once ioremap maps it. */
static void drop_direct_alias(phys_addr_t phys)
{
	unsigned long va = (unsigned long)__va(phys & PAGE_MASK);

	if (arch_unmap_page(va))
		arch_flush_tlb_range(va, va + PAGE_SIZE);
}

static void uart_move(void)
{
	void __iomem *base;

	if (!uart_phys)
		return;
	base = ioremap(uart_phys, 0x100);
	if (!base)
		return;
	uart_remap((void *)base);
	/* An idle 16550: THRE and TEMT set in its line status register. */
	probes[nr_probes++] = (struct mmio_probe){ "UART line status", uart_phys,
						   5, 1, 0x60, 0x60, 0x60 };
	drop_direct_alias(uart_phys);
	pr_info("console: UART registers moved to %p\n", (void *)base);
}

static void test_dev_move(void)
{
	if (!test_dev_phys)
		return;
	test_dev = (void *)ioremap(test_dev_phys, 4);
	if (test_dev)
		drop_direct_alias(test_dev_phys);
}

static void rtc_init(void)
{
	phys_addr_t base;
	u64 size, secs;
	int node;
	unsigned int y, mo, d, h, mi, s;

	if (!find_device("google,goldfish-rtc", &base, &size, &node))
		return;
	rtc = ioremap(base, size);
	if (!rtc)
		return;
	iomem_add(base, size, "rtc");
	/* TIME_HIGH: nanoseconds >> 32 since 1970, past 2020 and not absurd. */
	probes[nr_probes++] = (struct mmio_probe){ "RTC time, high word", base,
						   4, 4, 0xffffffff, 367371,
						   0x7fffffff };
	if (arch_rtc_seconds(&secs) == 0) {
		seconds_to_civil(secs, &y, &mo, &d, &h, &mi, &s);
		pr_info("rtc: goldfish at %#llx: %04u-%02u-%02u %02u:%02u:%02u "
			"UTC\n",
			(unsigned long long)base, y, mo, d, h, mi, s);
	}
}

/* TIME_LOW latches TIME_HIGH: read it first. Nanoseconds since 1970. */
int arch_rtc_seconds(u64 *seconds)
{
	u64 ns;

	if (!rtc)
		return -ENODEV;
	ns = readl(rtc);
	ns |= (u64)readl(rtc + 4) << 32;
	*seconds = ns / 1000000000ULL;
	return 0;
}

const struct mmio_probe *arch_mmio_probes(int *count)
{
	*count = nr_probes;
	return probes;
}

void arch_devices_init(void)
{
	uart_move();
	uart_irq_init();
	test_dev_move();
	rtc_init();
}
