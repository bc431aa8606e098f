/*
 * In-kernel self-tests (kernel/selftest.c), reporting in KTAP, the
 * format Linux's kselftest and KUnit print. A suite is a function
 * registered with SELFTEST() beside the code it tests; `selftest NAME`
 * in the shell runs it.
 */
#ifndef PAGODA_KTAP_H
#define PAGODA_KTAP_H

#include <pagoda/seq_file.h>

struct ktap {
	struct seq_file *m;
	int n;
	int failed;
};

/* One result line: "ok N description" or "not ok N description". */
void ktap_result(struct ktap *t, bool ok, const char *fmt, ...)
	__printf(3, 4);
/* A "# ..." diagnostic line. */
void ktap_note(struct ktap *t, const char *fmt, ...) __printf(2, 3);

struct selftest {
	const char *name;
	void (*run)(struct ktap *t);
};

#define SELFTEST(tname, fn)                                                 \
	static const struct selftest __selftest_##fn __used                  \
		__section("pagoda_tests") __aligned(sizeof(void *)) = {      \
			.name = tname,                                       \
			.run = fn,                                           \
		}

#endif
