/*
 * The tree of physical address ranges behind /proc/iomem
 * (kernel/resource.c): RAM, what the kernel image occupies inside it,
 * firmware-reserved ranges and device registers, nested by containment.
 */
#ifndef PAGODA_RESOURCE_H
#define PAGODA_RESOURCE_H

#include <pagoda/types.h>

struct resource {
	phys_addr_t start;
	phys_addr_t end; /* inclusive, as in Linux */
	const char *name;
	struct resource *parent, *sibling, *child;
};

extern struct resource iomem_resource;

/* Insert new under root; -EBUSY if it overlaps a sibling, -EINVAL if it
 * does not fit inside root. */
int request_resource(struct resource *root, struct resource *new);
/*
 * Insert new at the deepest level where it fits; existing entries that
 * lie wholly inside new become its children. -EBUSY on a partial
 * overlap.
 */
int insert_resource(struct resource *root, struct resource *new);
int release_resource(struct resource *old);
/* A resource from a small static pool, inserted into iomem; NULL on
 * failure (reported). */
struct resource *iomem_add(phys_addr_t start, phys_addr_t size,
			   const char *name);
/* The innermost entry containing addr, or NULL. */
struct resource *iomem_lookup(phys_addr_t addr);

#endif
