/*
 * Fault injection (lib/fault_inject.c): make chosen allocations fail on
 * purpose, to see whether the code above them copes. Two users, as in
 * Linux: failslab (mm/failslab.c) and fail_page_alloc
 * (mm/fail_page_alloc.c), each set by a boot option
 *
 *	failslab=<interval>,<probability>,<space>,<times>
 *
 * and at run time by a shell command of the same name with Linux's
 * debugfs knob names (`failslab probability=10 times=-1`).
 *
 * A call is failed when all of these hold, checked in this order:
 *  - times is not 0 (-1 means no limit; each failure uses one up);
 *  - space is used up (it is a number of bytes let through first);
 *  - this is the interval-th call since the last one counted;
 *  - a random draw below 100 falls under probability (a percentage).
 */
#ifndef PAGODA_FAULT_INJECT_H
#define PAGODA_FAULT_INJECT_H

#include <pagoda/random.h>
#include <pagoda/seq_file.h>
#include <pagoda/types.h>

struct fault_attr {
	const char *name;
	unsigned long probability; /* percent, 0..100; 0 disables */
	unsigned long interval; /* 1 (or 0): every call is a candidate */
	long times; /* failures left; -1: unlimited */
	long space; /* bytes to let through before failing */
	unsigned long verbose; /* 0 quiet, 1 a line, 2 a line and stack */
	u64 seed;
	struct rnd_state rnd;
	unsigned long count; /* candidates seen, for interval */
	unsigned long calls; /* allocations examined while armed */
	unsigned long failures;
};

/* Linux's defaults: armed by a probability, one failure, a line each. */
#define FAULT_ATTR_INITIALIZER(n)                                     \
	{                                                             \
		.name = (n), .interval = 1, .times = 1, .verbose = 1, \
		.seed = 1, .rnd = {1},                                \
	}

static inline bool fault_attr_armed(const struct fault_attr *attr)
{
	return attr->probability && attr->times;
}

/*
 * Decide one allocation of size bytes (the order's bytes for pages) made
 * by caller; true means fail it. Reports the failure as verbose says.
 */
bool should_fail(struct fault_attr *attr, size_t size, unsigned long caller);

/* "<interval>,<probability>,<space>,<times>": 0 or -EINVAL. */
int fault_attr_parse(struct fault_attr *attr, const char *str);
/*
 * Set one knob by name (probability, interval, times, space, verbose,
 * seed): 0, -EINVAL for a bad value, -ENOENT for a name it does not
 * know (the caller may know it: failslab's cache, say).
 */
int fault_attr_set(struct fault_attr *attr, const char *key, const char *val);
/* The knobs and counters, one "name value" per line. */
void fault_attr_show(struct seq_file *m, const struct fault_attr *attr);

/*
 * The shell command both users share: no arguments shows, `off`
 * disarms, `reset` zeroes the counters, an argument with commas is the
 * boot option's form, KEY=VAL sets a knob (extra handles the user's
 * own knobs, returning -ENOENT for names it does not know either; with
 * a NULL key it prints them to m).
 */
typedef int (*fault_extra_fn)(struct seq_file *m, const char *key,
			      const char *val);
int fault_attr_command(struct seq_file *m, struct fault_attr *attr, int argc,
		       char **argv, fault_extra_fn extra);

#endif
