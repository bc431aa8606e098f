/*
 * A tiny test harness for the host builds of lib/ and mm/.
 * Each test program defines tests with TEST(name) and ends with
 * TEST_MAIN(); it prints one TAP line per test and a closing
 * "N passed, N failed" line, and exits non-zero on any failure.
 */
#ifndef PAGODA_HOST_TEST_H
#define PAGODA_HOST_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct host_test {
	const char *name;
	void (*fn)(void);
};

extern int test_failed_checks;
void test_register(const char *name, void (*fn)(void));
int test_run_all(const char *program);

#define TEST(name)                                                     \
	static void test_##name(void);                                 \
	__attribute__((constructor)) static void test_reg_##name(void) \
	{                                                              \
		test_register(#name, test_##name);                     \
	}                                                              \
	static void test_##name(void)

#define TEST_MAIN()                                \
	int main(int argc, char **argv)            \
	{                                          \
		(void)argc;                        \
		return test_run_all(argv[0]);      \
	}

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",     \
				__FILE__, __LINE__, #cond);                \
			test_failed_checks++;                              \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		long long _a = (long long)(a), _b = (long long)(b);       \
		if (_a != _b) {                                            \
			fprintf(stderr,                                    \
				"  %s:%d: %s == %s failed: %lld != %lld "  \
				"(0x%llx != 0x%llx)\n",                    \
				__FILE__, __LINE__, #a, #b, _a, _b,        \
				(unsigned long long)_a,                    \
				(unsigned long long)_b);                   \
			test_failed_checks++;                              \
		}                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *_a = (a), *_b = (b);                           \
		if (!_a || !_b || strcmp(_a, _b) != 0) {                   \
			fprintf(stderr,                                    \
				"  %s:%d: %s == %s failed: \"%s\" != "    \
				"\"%s\"\n",                                \
				__FILE__, __LINE__, #a, #b,                \
				_a ? _a : "(null)", _b ? _b : "(null)");   \
			test_failed_checks++;                              \
		}                                                          \
	} while (0)

#endif
