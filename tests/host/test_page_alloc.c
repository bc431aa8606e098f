/*
 * Host tests of the zoned buddy allocator (mm/page_alloc.c, mm/mm_init.c)
 * on a fake physical memory arena.
 */
#include <pagoda/bootmem.h>
#include <pagoda/mm.h>
#include <stdlib.h>
#include "shim.h"
#include "test.h"

#define ARENA (64UL << 20)

static void boot_allocator(void)
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
}

TEST(boots_with_three_zones)
{
	boot_allocator();
	CHECK_EQ(NODE_DATA(0)->node_zones[ZONE_DMA].present_pages, 4096);
	CHECK_EQ(NODE_DATA(0)->node_zones[ZONE_NORMAL].present_pages, 8192);
	CHECK_EQ(NODE_DATA(0)->node_zones[ZONE_HIGHMEM].present_pages, 4096);
	CHECK_EQ(nr_free_pages(), totalram_pages);
}

TEST_MAIN()
