/*
 * `selftest`: run the in-kernel test suites and print KTAP. Each suite
 * is one subtest; the closing line counts suites that passed and failed.
 * Each suite runs in an allocation generation of its own, and its last
 * result says whether it left anything allocated (mm/leaks.c).
 */
#include <pagoda/errno.h>
#include <pagoda/ktap.h>
#include <pagoda/page_owner.h>
#include <pagoda/printk.h>
#include <pagoda/shell.h>
#include <pagoda/string.h>

extern const struct selftest __start_pagoda_tests[];
extern const struct selftest __stop_pagoda_tests[];

void ktap_result(struct ktap *t, bool ok, const char *fmt, ...)
{
	char desc[160];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	t->n++;
	if (!ok)
		t->failed++;
	seq_printf(t->m, "    %s %d %s\n", ok ? "ok" : "not ok", t->n, desc);
	seq_flush(t->m);
}

void ktap_note(struct ktap *t, const char *fmt, ...)
{
	char text[160];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	seq_printf(t->m, "    # %s\n", text);
	seq_flush(t->m);
}

static bool run_suite(struct seq_file *m, const struct selftest *s, int idx)
{
	struct ktap t = {.m = m};
	unsigned long left;
	u32 gen;

	seq_printf(m, "    KTAP version 1\n    # Subtest: %s\n", s->name);
	seq_flush(m);
	gen = mm_generation_next();
	s->run(&t);
	left = leaks_since(m, gen, true);
	if (left)
		leaks_since(m, gen, false);
	ktap_result(&t, !left, "nothing left allocated (leaks since %u: %lu)",
		    gen, left);
	seq_printf(m, "    1..%d\n%s %d %s\n", t.n, t.failed ? "not ok" : "ok",
		   idx, s->name);
	return !t.failed && t.n > 0;
}

static int cmd_selftest(struct seq_file *m, int argc, char **argv)
{
	const char *want = argc > 1 ? argv[1] : "all";
	int n = 0, passed = 0, idx = 0;

	if (argc > 2)
		return shell_usage(m, "selftest");
	for (const struct selftest *s = __start_pagoda_tests;
	     s < __stop_pagoda_tests; s++)
		n += !strcmp(want, "all") || !strcmp(want, s->name);
	if (!n) {
		seq_printf(m, "selftest: no suite '%s'; there are:", want);
		for (const struct selftest *s = __start_pagoda_tests;
		     s < __stop_pagoda_tests; s++)
			seq_printf(m, " %s", s->name);
		seq_putc(m, '\n');
		return -ENOENT;
	}
	seq_printf(m, "KTAP version 1\n1..%d\n", n);
	for (const struct selftest *s = __start_pagoda_tests;
	     s < __stop_pagoda_tests; s++) {
		if (strcmp(want, "all") && strcmp(want, s->name))
			continue;
		passed += run_suite(m, s, ++idx);
	}
	seq_printf(m, "# selftest: %d passed, %d failed\n", passed, n - passed);
	return passed == n ? 0 : -EIO;
}
SHELL_COMMAND("selftest", "selftest [SUITE|all]",
	      "run in-kernel self-tests, printing KTAP", cmd_selftest);
