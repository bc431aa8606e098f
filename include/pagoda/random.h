/*
 * Pseudo-random numbers (lib/random.c) for the kernel's experiments:
 * fault injection decides which allocations fail, `stress` picks its
 * next operation. Nothing here is for secrets. Each user keeps its own
 * state, seeded explicitly, so a run can be repeated exactly by giving
 * it the same seed.
 */
#ifndef PAGODA_RANDOM_H
#define PAGODA_RANDOM_H

#include <pagoda/types.h>

struct rnd_state {
	u64 s;
};

void prandom_seed_state(struct rnd_state *state, u64 seed);
u32 prandom_u32_state(struct rnd_state *state);
/* Uniform in [0, ceil): no bias from a plain modulo. ceil > 0. */
u32 prandom_u32_below(struct rnd_state *state, u32 ceil);

#endif
