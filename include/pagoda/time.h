/*
 * Kernel time (kernel/time.c): a tick counter driven by the arch's
 * periodic timer, and uptime derived from it.
 */
#ifndef PAGODA_TIME_H
#define PAGODA_TIME_H

#include <pagoda/types.h>

#define HZ 100

extern volatile unsigned long jiffies;

/* Called by the arch's timer interrupt, HZ times a second. */
void timer_tick(void);
/* A function the next tick runs once, in interrupt context. */
extern void (*volatile timer_once)(void);
/* Nanoseconds since boot from the cycle counter (0 before it is known). */
u64 uptime_ns(void);
/* Sleep until the next interrupt, counting the time as idle; arch_idle()
 * says why callers that checked for work first call it with interrupts off. */
void cpu_idle_once(void);
/* Take "now" as time zero for uptime_ns(). */
void time_mark_boot(void);
/* Calendar date and time (UTC) to seconds since 1970, and back. */
u64 civil_to_seconds(unsigned int year, unsigned int month, unsigned int day,
		     unsigned int hour, unsigned int min, unsigned int sec);
void seconds_to_civil(u64 seconds, unsigned int *year, unsigned int *month,
		      unsigned int *day, unsigned int *hour, unsigned int *min,
		      unsigned int *sec);
/* Wait, with interrupts on; returns early only if the tick stops. */
void msleep(unsigned int ms);

#endif
