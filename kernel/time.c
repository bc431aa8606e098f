/*
 * Time since boot. The arch timer calls timer_tick() HZ times a second;
 * jiffies counts those ticks. Finer time comes from the arch's cycle
 * counter. Ticks that arrive while the CPU idles are counted apart, which
 * gives /proc/uptime its second column.
 */
#include <pagoda/arch.h>
#include <pagoda/irqflags.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/time.h>

volatile unsigned long jiffies;
static unsigned long idle_jiffies;
static u64 boot_cycles;
static bool cpu_idling;

void timer_tick(void)
{
	jiffies++;
	if (cpu_idling)
		idle_jiffies++;
}

void time_mark_boot(void)
{
	boot_cycles = arch_cycles();
}

u64 uptime_ns(void)
{
	u64 hz = arch_cycles_hz();
	u64 c = arch_cycles() - boot_cycles;

	if (!hz)
		return 0;
	/* Split to keep c * 1e9 from overflowing. */
	return c / hz * 1000000000ULL + (c % hz) * 1000000000ULL / hz;
}

void cpu_idle_once(void)
{
	cpu_idling = true;
	arch_idle();
	cpu_idling = false;
}

void msleep(unsigned int ms)
{
	unsigned long end = jiffies + (ms * HZ + 999) / 1000;
	unsigned long last = jiffies;
	unsigned int stalls = 0;

	while ((long)(jiffies - end) < 0 && stalls < 1000) {
		cpu_idle_once();
		stalls = jiffies == last ? stalls + 1 : 0;
		last = jiffies;
	}
}

static void uptime_show(struct seq_file *m)
{
	unsigned long j = jiffies, idle = idle_jiffies;

	seq_printf(m, "%lu.%02lu %lu.%02lu\n", j / HZ, j % HZ * 100 / HZ,
		   idle / HZ, idle % HZ * 100 / HZ);
}
PROC_TABLE("uptime", uptime_show);

static int cmd_uptime(struct seq_file *out, int argc, char **argv)
{
	unsigned long j = jiffies;
	u64 ns = uptime_ns();

	if (argc != 1)
		return shell_usage(out, "uptime");
	seq_printf(out, "up %lu.%02lu s (%lu ticks at %d Hz; %llu.%06llu s "
			"by the cycle counter)\n",
		   j / HZ, j % HZ * 100 / HZ, j, HZ, ns / 1000000000ULL,
		   (ns / 1000) % 1000000);
	return 0;
}
SHELL_COMMAND("uptime", "uptime", "time since boot", cmd_uptime);
