/*
 * Host tests for lib/fault_inject.c and lib/random.c.
 *
 * The decision is checked against a model written from the rule as
 * documented (times, then space, then interval, then probability), over
 * many random settings and call sizes; the model draws from its own copy
 * of the generator only when the rule says a draw is made, so any
 * mismatch in order or in when a draw happens shows. Then the things a
 * user relies on: the failure rate matches the probability, `times`
 * bounds the failures, `reset` repeats a run, and bad settings change
 * nothing.
 */
#include <pagoda/errno.h>
#include <pagoda/fault_inject.h>

#include "shim.h"
#include "test.h"

struct model {
	unsigned long probability, interval, count;
	long times, space;
	struct rnd_state rnd;
};

static bool model_fails(struct model *m, size_t size)
{
	if (!m->probability || !m->times)
		return false;
	if (m->space > 0 && (size_t)m->space > size) {
		m->space -= (long)size;
		return false;
	}
	if (m->interval > 1) {
		m->count++;
		if (m->count % m->interval != 0)
			return false;
	}
	if (prandom_u32_below(&m->rnd, 100) >= m->probability)
		return false;
	if (m->times != -1)
		m->times--;
	return true;
}

/* Run the shell form of a command line ("t probability=5 times=1"). */
static int command(struct seq_file *m, struct fault_attr *a, const char *line)
{
	static char buf[256];
	char *argv[16];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *p = strtok(buf, " "); p && argc < 15; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	return fault_attr_command(m, a, argc, argv, NULL);
}

TEST(matches_the_model)
{
	struct rnd_state pick;
	unsigned long mismatches = 0, failures = 0;

	prandom_seed_state(&pick, 42);
	for (int round = 0; round < 400; round++) {
		struct fault_attr a = FAULT_ATTR_INITIALIZER("t");
		struct model m = {0};

		a.verbose = 0;
		m.probability = a.probability = prandom_u32_below(&pick, 101);
		m.interval = a.interval = prandom_u32_below(&pick, 6);
		m.times = a.times = (long)prandom_u32_below(&pick, 8) - 1;
		m.space = a.space = prandom_u32_below(&pick, 3)
					    ? 0
					    : prandom_u32_below(&pick, 50000);
		a.seed = round;
		prandom_seed_state(&a.rnd, round);
		prandom_seed_state(&m.rnd, round);
		for (int i = 0; i < 300; i++) {
			size_t size = 1 + prandom_u32_below(&pick, 8192);
			bool want = model_fails(&m, size);

			mismatches += should_fail(&a, size, 0) != want;
			failures += want;
		}
		CHECK_EQ(a.times, m.times);
		CHECK_EQ(a.space, m.space);
	}
	CHECK_EQ(mismatches, 0);
	CHECK(failures > 1000); /* the model was not trivially "never" */
}

TEST(rate_follows_probability)
{
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t");
	unsigned long n = 200000, got = 0;

	a.verbose = 0;
	CHECK_EQ(fault_attr_parse(&a, "1,10,0,-1"), 0);
	for (unsigned long i = 0; i < n; i++)
		got += should_fail(&a, 64, 0);
	/* 10% of 200000 is 20000, sd about 134: allow 5 sd either way. */
	CHECK(got > 19330 && got < 20670);
	CHECK_EQ(a.failures, got);
	CHECK_EQ(a.calls, n);
	CHECK_EQ(a.times, -1);
}

TEST(interval_and_times)
{
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t");
	int fails[12], n = 0;

	a.verbose = 0;
	CHECK_EQ(fault_attr_parse(&a, "3,100,0,2"), 0);
	for (int i = 1; i <= 12; i++)
		if (should_fail(&a, 8, 0))
			fails[n++] = i;
	CHECK_EQ(n, 2);
	CHECK_EQ(fails[0], 3);
	CHECK_EQ(fails[1], 6);
	CHECK(!fault_attr_armed(&a));
}

TEST(space_lets_bytes_through_first)
{
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t");
	int first = 0;

	a.verbose = 0;
	CHECK_EQ(fault_attr_parse(&a, "1,100,4096,-1"), 0);
	for (int i = 1; i <= 10 && !first; i++)
		if (should_fail(&a, 1000, 0))
			first = i;
	/* 4096 bytes pass as four 1000-byte calls (96 left <= 1000). */
	CHECK_EQ(first, 5);
}

TEST(reset_repeats_the_run)
{
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t");
	struct seq_file m;
	char buf[256], first[200], second[200];

	seq_init(&m, buf, sizeof(buf), NULL);
	a.verbose = 0;
	CHECK_EQ(fault_attr_parse(&a, "1,30,0,-1"), 0);
	for (int i = 0; i < 200; i++)
		first[i] = should_fail(&a, 16, 0);
	CHECK_EQ(command(&m, &a, "t reset"), 0);
	CHECK_EQ(a.calls, 0);
	for (int i = 0; i < 200; i++)
		second[i] = should_fail(&a, 16, 0);
	CHECK(memcmp(first, second, sizeof(first)) == 0);
}

TEST(bad_settings_change_nothing)
{
	static const char *const bad[] = {
		"1,10,0",      "1,101,0,-1", "a,1,1,1",	     "1,10,0,-2",
		"1,10,0,-1,5", ",,,",	     "1,10,-0x1,-1", "",
	};
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t"), before;
	struct seq_file m;
	char buf[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(fault_attr_parse(&a, bad[i]), -EINVAL);
	CHECK_EQ(fault_attr_parse(&a, NULL), -EINVAL);
	CHECK_EQ(a.probability, 0);
	CHECK_EQ(a.times, 1);

	seq_init(&m, buf, sizeof(buf), NULL);
	CHECK_EQ(fault_attr_parse(&a, "2,5,0,7"), 0);
	before = a;
	CHECK_EQ(command(&m, &a, "t probability=50 nosuch=1"), -EINVAL);
	CHECK_EQ(command(&m, &a, "t times=-3"), -EINVAL);
	CHECK_EQ(command(&m, &a, "t verbose=3"), -EINVAL);
	CHECK_EQ(command(&m, &a, "t probability"), -EINVAL);
	CHECK_EQ(command(&m, &a, "t probability=x"), -EINVAL);
	CHECK(memcmp(&a, &before, sizeof(a)) == 0);
	buf[m.count] = '\0';
	CHECK(strstr(buf, "no knob named in 'nosuch=1'") != NULL);
}

TEST(show_and_set_by_name)
{
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t");
	struct seq_file m;
	char buf[512];

	seq_init(&m, buf, sizeof(buf), NULL);
	CHECK_EQ(command(&m, &a,
			 "t probability=25 interval=4 times=-1 "
			 "space=100 verbose=0 seed=9"),
		 0);
	CHECK_EQ(m.count, 0); /* setting is silent */
	CHECK_EQ(command(&m, &a, "t"), 0);
	buf[m.count] = '\0';
	CHECK(strstr(buf, "probability        25\n") != NULL);
	CHECK(strstr(buf, "interval           4\n") != NULL);
	CHECK(strstr(buf, "times              -1\n") != NULL);
	CHECK(strstr(buf, "space              100\n") != NULL);
	CHECK(strstr(buf, "seed               9\n") != NULL);
	CHECK(strstr(buf, "armed              yes\n") != NULL);
}

TEST(verbose_reports_the_caller)
{
	struct fault_attr a = FAULT_ATTR_INITIALIZER("t");

	host_log_clear();
	CHECK_EQ(fault_attr_parse(&a, "1,100,0,1"), 0);
	CHECK(should_fail(&a, 123, 0));
	CHECK(host_log_contains("FAULT_INJECTION: forcing a failure: t, "
				"123 bytes"));
	host_log_clear();
	CHECK(!should_fail(&a, 123, 0)); /* times used up: quiet */
	CHECK(!host_log_contains("FAULT_INJECTION"));
}

TEST(random_below_is_in_range_and_even)
{
	struct rnd_state r;
	unsigned long hist[7] = {0};

	prandom_seed_state(&r, 0); /* zero is a fine seed */
	for (int i = 0; i < 70000; i++) {
		u32 v = prandom_u32_below(&r, 7);

		CHECK(v < 7);
		if (v < 7)
			hist[v]++;
	}
	/* 10000 expected per bucket, sd about 93. */
	for (int i = 0; i < 7; i++)
		CHECK(hist[i] > 9500 && hist[i] < 10500);
	CHECK_EQ(prandom_u32_below(&r, 1), 0);
}

TEST(same_seed_same_numbers)
{
	struct rnd_state a, b;
	int differ = 0;

	prandom_seed_state(&a, 7);
	prandom_seed_state(&b, 7);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(prandom_u32_state(&a), prandom_u32_state(&b));
	prandom_seed_state(&b, 8);
	for (int i = 0; i < 10; i++)
		differ += prandom_u32_state(&a) != prandom_u32_state(&b);
	CHECK(differ >= 9);
}

TEST_MAIN();
