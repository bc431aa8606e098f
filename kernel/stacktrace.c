/*
 * Walking the call chain through frame pointers, for backtraces. The
 * frame layout is the arch's (arch_unwind_frame); the walk, the bounds
 * on it and skipping the walker's own frames are the same everywhere.
 */
#include <pagoda/arch.h>
#include <pagoda/stacktrace.h>

int stack_walk_from(unsigned long fp, unsigned long *pcs, int max, int skip)
{
	unsigned long ra, next;
	int n = 0;

	while (n < max && arch_unwind_frame(fp, &ra, &next)) {
		if (!ra)
			break;
		if (skip > 0)
			skip--;
		else
			pcs[n++] = ra;
		if (next <= fp) /* the stack grows down: callers are higher */
			break;
		fp = next;
	}
	return n;
}

__noinline int stack_walk(unsigned long *pcs, int max, int skip)
{
	return stack_walk_from((unsigned long)__builtin_frame_address(0), pcs,
			       max, skip);
}
