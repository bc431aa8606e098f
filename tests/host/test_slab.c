/*
 * Host tests of the slab allocator, kmalloc and mempools.
 */
#include <pagoda/bootmem.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <stdlib.h>
#include "shim.h"
#include "test.h"

#define ARENA (64UL << 20)

static void boot(void)
{
	static char *arena;

	if (!arena)
		arena = aligned_alloc(1 << 22, ARENA);
	host_phys_base = arena;
	bootmem_reset();
	bootmem_add_memory(0, ARENA);
	reserve_bootmem(0, 1 << 20, "firmware");
	bootmem_set_limits(16UL << 20, 48UL << 20);
	mem_init();
	kmem_cache_init();
	kmalloc_init();
}

TEST(kmalloc_smoke)
{
	void *p;

	boot();
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(ksize(p), 128);
	kfree(p);
}

TEST_MAIN()
