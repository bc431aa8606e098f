/*
 * What the host benchmarks share: a monotonic clock in nanoseconds and
 * the median of a handful of repetitions.
 */
#ifndef PAGODA_BENCH_UTIL_H
#define PAGODA_BENCH_UTIL_H

#include <string.h>
#include <time.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The median of n <= 64 values (v is left as it was). */
static inline double median(const double *v, int n)
{
	double s[64];

	memcpy(s, v, n * sizeof(*v));
	for (int i = 1; i < n; i++) {
		for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
			double t = s[j];

			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	}
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

#endif
