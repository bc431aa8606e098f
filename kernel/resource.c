/*
 * Physical address ranges as a tree, printed as /proc/iomem.
 *
 * Arch code adds one "System RAM" entry per usable RAM range and the
 * firmware's reserved ranges; the kernel image's code, data and bss are
 * inserted beneath the RAM that holds them; drivers add their registers.
 * Children are kept sorted and never overlap, so printing the tree in
 * order gives Linux's indented table.
 */
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include <pagoda/proc.h>
#include <pagoda/resource.h>

struct resource iomem_resource = {
	.start = 0,
	.end = ~(phys_addr_t)0,
	.name = "PCI mem",
};

#define POOL_SIZE 256
static struct resource pool[POOL_SIZE];
static int pool_used;

static bool overlaps(const struct resource *a, const struct resource *b)
{
	return a->start <= b->end && b->start <= a->end;
}

static bool contains(const struct resource *outer, const struct resource *in)
{
	return outer->start <= in->start && in->end <= outer->end;
}

/* Link new into root's sorted child list; caller checked for conflicts. */
static void link_child(struct resource *root, struct resource *new)
{
	struct resource **p = &root->child;

	while (*p && (*p)->start < new->start)
		p = &(*p)->sibling;
	new->sibling = *p;
	new->parent = root;
	*p = new;
}

int request_resource(struct resource *root, struct resource *new)
{
	if (new->end < new->start || !contains(root, new))
		return -EINVAL;
	for (struct resource *c = root->child; c; c = c->sibling) {
		if (overlaps(c, new))
			return -EBUSY;
	}
	new->child = NULL;
	link_child(root, new);
	return 0;
}

int insert_resource(struct resource *root, struct resource *new)
{
	struct resource **p, *c;

	if (new->end < new->start || !contains(root, new))
		return -EINVAL;
	/* Descend into a child that holds new entirely. */
	for (c = root->child; c; c = c->sibling) {
		if (contains(c, new) &&
		    !(c->start == new->start && c->end == new->end))
			return insert_resource(c, new);
		if (overlaps(c, new) && !contains(new, c))
			return -EBUSY;
	}
	/* Adopt the children that new covers. */
	new->child = NULL;
	p = &root->child;
	while ((c = *p)) {
		if (contains(new, c)) {
			*p = c->sibling;
			c->sibling = NULL;
			link_child(new, c);
		} else {
			p = &c->sibling;
		}
	}
	link_child(root, new);
	return 0;
}

int release_resource(struct resource *old)
{
	struct resource **p;

	if (!old->parent)
		return -EINVAL;
	for (p = &old->parent->child; *p; p = &(*p)->sibling) {
		if (*p == old) {
			*p = old->sibling;
			old->parent = NULL;
			old->sibling = NULL;
			return 0;
		}
	}
	return -EINVAL;
}

struct resource *iomem_add(phys_addr_t start, phys_addr_t size,
			   const char *name)
{
	struct resource *r;
	int err;

	if (!size)
		return NULL;
	if (pool_used == POOL_SIZE) {
		pr_err("iomem: no room to record %s\n", name);
		return NULL;
	}
	r = &pool[pool_used];
	r->start = start;
	r->end = start + size - 1;
	r->name = name;
	r->parent = r->sibling = r->child = NULL;
	err = insert_resource(&iomem_resource, r);
	if (err) {
		pr_err("iomem: cannot add %s %#llx-%#llx (error %d)\n", name,
		       (unsigned long long)r->start,
		       (unsigned long long)r->end, err);
		return NULL;
	}
	pool_used++;
	return r;
}

struct resource *iomem_lookup(phys_addr_t addr)
{
	struct resource *r = &iomem_resource, *c;

	for (c = r->child; c;) {
		if (c->start <= addr && addr <= c->end) {
			r = c;
			c = c->child;
		} else {
			c = c->sibling;
		}
	}
	return r == &iomem_resource ? NULL : r;
}

static void show_level(struct seq_file *m, const struct resource *r,
		       int depth)
{
	for (; r; r = r->sibling) {
		seq_printf(m, "%*s%0*llx-%0*llx : %s\n", depth * 2, "", 8,
			   (unsigned long long)r->start, 8,
			   (unsigned long long)r->end, r->name);
		show_level(m, r->child, depth + 1);
	}
}

static void iomem_show(struct seq_file *m)
{
	show_level(m, iomem_resource.child, 0);
}
PROC_TABLE("iomem", iomem_show);
