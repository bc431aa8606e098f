/*
 * The runner behind tests/host/test.h: runs every registered test,
 * prints TAP, then the closing count line.
 */
#include "test.h"

int test_failed_checks;

static struct host_test tests[256];
static int ntests;

void test_register(const char *name, void (*fn)(void))
{
	if (ntests == (int)(sizeof(tests) / sizeof(tests[0]))) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

int test_run_all(const char *program)
{
	int passed = 0, failed = 0;
	const char *base = strrchr(program, '/');

	base = base ? base + 1 : program;
	printf("# %s\n1..%d\n", base, ntests);
	for (int i = 0; i < ntests; i++) {
		int before = test_failed_checks;

		tests[i].fn();
		if (test_failed_checks == before) {
			printf("ok %d - %s\n", i + 1, tests[i].name);
			passed++;
		} else {
			printf("not ok %d - %s\n", i + 1, tests[i].name);
			failed++;
		}
	}
	printf("%s: %d passed, %d failed\n", base, passed, failed);
	return failed ? 1 : 0;
}
