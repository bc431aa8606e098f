/*
 * The fake physical memory the allocator tests boot on (tests/host/arena.c).
 */
#ifndef PAGODA_HOST_ARENA_H
#define PAGODA_HOST_ARENA_H

#include <stddef.h>

/*
 * An arena of `size` bytes (allocated once, 4 MiB aligned) becomes
 * physical memory 0..size: filled with garbage so that zeroing is really
 * tested, given to a reset bootmem as RAM, its first MiB reserved as
 * "firmware". The caller sets the zone limits and calls mem_init().
 */
char *host_arena_boot(size_t size);

#endif
