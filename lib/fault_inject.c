/*
 * Fault injection: the decision shared by failslab and fail_page_alloc.
 *
 * Code that allocates must cope with NULL, but in a healthy machine it
 * almost never sees one, so its error paths go untested. Failing
 * allocations on purpose (a fraction of them, every n-th, only after the
 * first so many bytes, at most so many times) walks those paths. Each
 * attribute draws from its own seeded generator: the same settings
 * before the same commands fail the same allocations, which is what
 * makes a failure found this way reproducible.
 */
#include <pagoda/bug.h>
#include <pagoda/errno.h>
#include <pagoda/fault_inject.h>
#include <pagoda/irqflags.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

static void report(struct fault_attr *attr, size_t size, unsigned long caller)
{
	if (!attr->verbose)
		return;
	printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure: %s, %zu "
			   "bytes, caller %pS\n",
	       attr->name, size, (void *)caller);
	if (attr->verbose > 1)
		dump_stack();
}

static bool decide(struct fault_attr *attr, size_t size)
{
	if (!fault_attr_armed(attr))
		return false;
	attr->calls++;
	if (attr->space > 0 && (unsigned long)attr->space > size) {
		attr->space -= size;
		return false;
	}
	if (attr->interval > 1 && ++attr->count % attr->interval)
		return false;
	if (prandom_u32_below(&attr->rnd, 100) >= attr->probability)
		return false;
	if (attr->times > 0)
		attr->times--;
	attr->failures++;
	return true;
}

bool should_fail(struct fault_attr *attr, size_t size, unsigned long caller)
{
	unsigned long flags;
	bool fail;

	/* An interrupt handler may allocate between our reads and writes. */
	local_irq_save(flags);
	fail = decide(attr, size);
	local_irq_restore(flags);
	if (fail)
		report(attr, size, caller);
	return fail;
}

/* A decimal long, "-1" included. */
static int parse_long(const char *s, long *res)
{
	unsigned long v;
	bool neg = *s == '-';

	if (kstrtoul(s + neg, 10, &v) || v > ~0UL >> 1)
		return -EINVAL;
	*res = neg ? -(long)v : (long)v;
	return 0;
}

static void reseed(struct fault_attr *attr)
{
	prandom_seed_state(&attr->rnd, attr->seed);
	attr->count = 0;
}

/* Counters to zero and the draws from the start: a run can be repeated. */
static void reset(struct fault_attr *attr)
{
	attr->calls = 0;
	attr->failures = 0;
	reseed(attr);
}

int fault_attr_parse(struct fault_attr *attr, const char *str)
{
	long v[4];
	char buf[64], *p = buf, *comma;
	int i;

	if (!str || strlcpy(buf, str, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		comma = strchr(p, ',');
		if ((comma == NULL) != (i == 3))
			return -EINVAL;
		if (comma)
			*comma++ = '\0';
		if (parse_long(p, &v[i]))
			return -EINVAL;
		p = comma; /* NULL after the last field */
	}
	if (v[0] < 0 || v[1] < 0 || v[1] > 100 || v[3] < -1)
		return -EINVAL;
	attr->interval = v[0];
	attr->probability = v[1];
	attr->space = v[2];
	attr->times = v[3];
	reseed(attr);
	return 0;
}

int fault_attr_set(struct fault_attr *attr, const char *key, const char *val)
{
	unsigned long long seed;
	unsigned long u;
	long l;

	if (!strcmp(key, "seed")) {
		if (kstrtoull(val, 0, &seed))
			return -EINVAL;
		attr->seed = seed;
		reseed(attr);
		return 0;
	}
	if (!strcmp(key, "times") || !strcmp(key, "space")) {
		if (parse_long(val, &l) || l < -1 || (key[0] == 's' && l < 0))
			return -EINVAL;
		*(key[0] == 't' ? &attr->times : &attr->space) = l;
		return 0;
	}
	if (strcmp(key, "probability") && strcmp(key, "interval") &&
	    strcmp(key, "verbose"))
		return -ENOENT;
	if (kstrtoul(val, 10, &u) || (key[0] == 'p' && u > 100) ||
	    (key[0] == 'v' && u > 2))
		return -EINVAL;
	if (key[0] == 'p')
		attr->probability = u;
	else if (key[0] == 'i')
		attr->interval = u;
	else
		attr->verbose = u;
	return 0;
}

void fault_attr_show(struct seq_file *m, const struct fault_attr *attr)
{
	seq_printf(m, "%-18s %lu\n", "probability", attr->probability);
	seq_printf(m, "%-18s %lu\n", "interval", attr->interval);
	seq_printf(m, "%-18s %ld\n", "times", attr->times);
	seq_printf(m, "%-18s %ld\n", "space", attr->space);
	seq_printf(m, "%-18s %lu\n", "verbose", attr->verbose);
	seq_printf(m, "%-18s %llu\n", "seed", (unsigned long long)attr->seed);
}

static void show_counters(struct seq_file *m, const struct fault_attr *attr)
{
	seq_printf(m, "%-18s %s\n", "armed",
		   fault_attr_armed(attr) ? "yes" : "no");
	seq_printf(m, "%-18s %lu\n", "calls", attr->calls);
	seq_printf(m, "%-18s %lu\n", "failures", attr->failures);
}

static int set_one(struct seq_file *m, struct fault_attr *attr, char *arg,
		   fault_extra_fn extra)
{
	char *eq = strchr(arg, '=');
	int err;

	if (!eq)
		return -EINVAL;
	*eq = '\0';
	err = fault_attr_set(attr, arg, eq + 1);
	if (err == -ENOENT && extra)
		err = extra(m, arg, eq + 1);
	*eq = '=';
	return err;
}

/*
 * The settings go to a copy first, so a bad argument leaves the common
 * knobs as they were (the user's own are checked one by one).
 */
int fault_attr_command(struct seq_file *m, struct fault_attr *attr, int argc,
		       char **argv, fault_extra_fn extra)
{
	struct fault_attr new = *attr;
	unsigned long flags;
	int i, err;

	for (i = 1; i < argc; i++) {
		err = 0;
		if (!strcmp(argv[i], "off"))
			new.probability = 0;
		else if (!strcmp(argv[i], "reset"))
			reset(&new);
		else if (strchr(argv[i], ','))
			err = fault_attr_parse(&new, argv[i]);
		else
			err = set_one(m, &new, argv[i], extra);
		if (err == -ENOENT) {
			seq_printf(m, "%s: no knob named in '%s'\n", attr->name,
				   argv[i]);
			return -EINVAL;
		}
		if (err) {
			seq_printf(m,
				   "%s: bad setting '%s' (KEY=VALUE, or "
				   "interval,probability,space,times)\n",
				   attr->name, argv[i]);
			return -EINVAL;
		}
	}
	local_irq_save(flags);
	*attr = new;
	local_irq_restore(flags);
	if (argc == 1) {
		fault_attr_show(m, attr);
		if (extra)
			extra(m, NULL, NULL); /* shows the user's own knobs */
		show_counters(m, attr);
	}
	return 0;
}
