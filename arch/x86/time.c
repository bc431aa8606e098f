/*
 * The x86 clock: the 8253/8254 PIT ticks at HZ on IRQ 0, and the TSC
 * gives fine-grained time, its rate measured against PIT channel 2 once
 * at boot.
 */
#include <asm/io.h>
#include <asm/x86.h>
#include <pagoda/arch.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>

#define PIT_HZ 1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61

static u64 tsc_hz;

static void pit_irq(int irq)
{
	timer_tick();
}

/* Count TSC cycles across a 10 ms one-shot on PIT channel 2. */
static u64 calibrate_tsc(void)
{
	u16 count = PIT_HZ / 100;
	u64 t0, t1;
	u32 spins = 0;

	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0); /* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	while (!(inb(PORT_B) & 0x20) && ++spins < 100000000)
		;
	t1 = rdtsc();
	return (t1 - t0) * 100;
}

void time_init(void)
{
	u16 div = PIT_HZ / HZ;

	/* The HPET's period is exact; the PIT loop is the fallback. */
	tsc_hz = hpet_measure_tsc_hz();
	if (tsc_hz)
		pr_info("time: TSC measured against the HPET\n");
	else
		tsc_hz = calibrate_tsc();
	outb(PIT_CMD, 0x34); /* channel 0, lo/hi byte, rate generator */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	irq_register(IRQ_TIMER, pit_irq);
	pr_info("time: PIT at %d Hz, TSC %llu.%03llu MHz\n", HZ,
		tsc_hz / 1000000, (tsc_hz / 1000) % 1000);
}

u64 arch_cycles(void)
{
	return rdtsc();
}

u64 arch_cycles_hz(void)
{
	return tsc_hz;
}

/*
 * Only a performance-monitoring counter counts instructions here, and
 * QEMU's TCG has none; under -icount the TSC itself advances once per
 * instruction (shift=0).
 */
bool arch_instret(u64 *count)
{
	*count = 0;
	return false;
}
