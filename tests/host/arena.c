/*
 * The arena behind host_phys_base for the allocator tests: the same
 * start for every test that boots bootmem, the page allocator and what
 * sits on them.
 */
#include <pagoda/bootmem.h>
#include <pagoda/string.h>
#include <stdlib.h>

#include "arena.h"

char *host_arena_boot(size_t size)
{
	static char *arena;
	static size_t arena_size;

	if (arena && arena_size != size) {
		free(arena);
		arena = NULL;
	}
	if (!arena) {
		arena = aligned_alloc(4UL << 20, size);
		if (!arena)
			abort();
		arena_size = size;
	}
	host_phys_base = arena;
	memset(arena, 0x3c, size);
	bootmem_reset();
	bootmem_add_memory(0, size);
	reserve_bootmem(0, 1 << 20, "firmware");
	return arena;
}
