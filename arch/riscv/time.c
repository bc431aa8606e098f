/*
 * The RISC-V clock: the time CSR counts at the device tree's
 * timebase-frequency; the SBI timer raises a supervisor timer interrupt
 * when it passes a deadline, which is re-armed one tick ahead each time.
 */
#include <asm/csr.h>
#include <asm/riscv.h>
#include <pagoda/arch.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>

u64 timebase_hz;
static u64 next_deadline;

void timer_interrupt(void)
{
	u64 step = timebase_hz / HZ, now = rdtime();

	/* Catch up without a burst of ticks after a long stall. */
	next_deadline += step;
	if (next_deadline <= now)
		next_deadline = now + step;
	sbi_set_timer(next_deadline);
	timer_tick();
}

void time_init(void)
{
	if (!timebase_hz) {
		pr_warn("time: no timebase-frequency in the device tree; "
			"assuming 10 MHz\n");
		timebase_hz = 10000000;
	}
	next_deadline = rdtime() + timebase_hz / HZ;
	sbi_set_timer(next_deadline);
	csr_set(sie, SIE_STIE);
	pr_info("time: SBI timer at %d Hz, timebase %llu Hz\n", HZ,
		(unsigned long long)timebase_hz);
}

u64 arch_cycles(void)
{
	return rdtime();
}

u64 arch_cycles_hz(void)
{
	return timebase_hz;
}

/* Readable from S-mode because the firmware sets mcounteren.IR. */
bool arch_instret(u64 *count)
{
	*count = csr_read(instret);
	return true;
}
