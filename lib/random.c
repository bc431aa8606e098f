/*
 * A small, fast pseudo-random generator: splitmix64. Each call adds a
 * fixed odd constant to a 64-bit counter and scrambles the result with
 * two xor-shift-multiply rounds. The counter walks through all 2^64
 * values before repeating, so any seed (zero included) gives a full
 * period, and the scrambling makes neighbouring counter values look
 * unrelated. That is all fault injection and `stress` need: cheap,
 * reproducible from a seed, and free of obvious patterns.
 */
#include <pagoda/random.h>

void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	state->s = seed;
}

u32 prandom_u32_state(struct rnd_state *state)
{
	u64 z = (state->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (u32)((z ^ (z >> 31)) >> 32);
}

/*
 * Lemire's multiply-shift maps 32 random bits onto [0, ceil); the few
 * low products that would make some results one more likely than
 * others are drawn again.
 */
u32 prandom_u32_below(struct rnd_state *state, u32 ceil)
{
	u64 m = (u64)prandom_u32_state(state) * ceil;
	u32 threshold;

	if ((u32)m < ceil) {
		threshold = -ceil % ceil;
		while ((u32)m < threshold)
			m = (u64)prandom_u32_state(state) * ceil;
	}
	return (u32)(m >> 32);
}
