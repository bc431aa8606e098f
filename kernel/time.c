/*
 * Time since boot. The arch timer calls timer_tick() HZ times a second;
 * jiffies counts those ticks. Finer time comes from the arch's cycle
 * counter. Ticks that arrive while the CPU idles are counted apart, which
 * gives /proc/uptime its second column.
 */
#include <pagoda/arch.h>
#include <pagoda/errno.h>
#include <pagoda/irqflags.h>
#include <pagoda/proc.h>
#include <pagoda/shell.h>
#include <pagoda/time.h>

volatile unsigned long jiffies;
static unsigned long idle_jiffies;
static u64 boot_cycles;
static bool cpu_idling;

/* Run once from the next tick, in interrupt context (self-tests). */
void (*volatile timer_once)(void);

void timer_tick(void)
{
	void (*fn)(void) = timer_once;

	jiffies++;
	if (fn) {
		timer_once = NULL;
		fn();
	}
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

/*
 * Days since 1970-01-01 of a Gregorian date, counting years from March
 * so that the leap day falls at the end of the "year" (the usual
 * civil-calendar arithmetic, exact for every date after 1970).
 */
static u64 days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (u64)era * 146097 + doe - 719468;
}

u64 civil_to_seconds(unsigned int year, unsigned int month, unsigned int day,
		     unsigned int hour, unsigned int min, unsigned int sec)
{
	return days_from_civil(year, month, day) * 86400 + hour * 3600 +
	       min * 60 + sec;
}

void seconds_to_civil(u64 seconds, unsigned int *year, unsigned int *month,
		      unsigned int *day, unsigned int *hour, unsigned int *min,
		      unsigned int *sec)
{
	u64 z = seconds / 86400 + 719468;
	unsigned int era = z / 146097, doe = z - (u64)era * 146097;
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (*month <= 2);
	*hour = seconds % 86400 / 3600;
	*min = seconds % 3600 / 60;
	*sec = seconds % 60;
}

static int cmd_date(struct seq_file *out, int argc, char **argv)
{
	unsigned int y, mo, d, h, mi, s;
	u64 secs;

	if (argc != 1)
		return shell_usage(out, "date");
	if (arch_rtc_seconds(&secs)) {
		seq_puts(out, "date: this machine has no real-time clock\n");
		return -ENODEV;
	}
	seconds_to_civil(secs, &y, &mo, &d, &h, &mi, &s);
	seq_printf(out, "%04u-%02u-%02u %02u:%02u:%02u UTC\n", y, mo, d, h, mi,
		   s);
	return 0;
}
SHELL_COMMAND("date", "date", "the date and time from the RTC", cmd_date);
