/*
 * Host tests for kernel/resource.c, the tree of physical address ranges
 * behind /proc/iomem.
 *
 * request_resource(), insert_resource() and release_resource() are run
 * on local roots: nesting, adoption of existing entries by a covering
 * one, -EBUSY on partial overlaps, -EINVAL for ranges outside the root or
 * backwards, sibling order whatever the insertion order. After every
 * change the tree is checked whole (parents, containment, order, no
 * overlaps) and compared with the expected shape. Then iomem_add() builds
 * a realistic x86 map in shuffled order, iomem_lookup() must find the
 * innermost entry, and /proc/iomem must print exactly Linux's table,
 * including RAM above 4 GiB.
 */
#include <pagoda/errno.h>
#include <pagoda/proc.h>
#include <pagoda/resource.h>
#include <pagoda/seq_file.h>

#include "shim.h"
#include "test.h"

extern const struct proc_table __start_pagoda_proc[], __stop_pagoda_proc[];

#define RES(s, e, n) ((struct resource){.start = (s), .end = (e), .name = (n)})

/* ---- checking a tree ---- */

/* Every child of r: parent set, inside r, sorted, no overlaps. */
static bool tree_ok(const struct resource *r)
{
	const struct resource *prev = NULL;

	for (const struct resource *c = r->child; c; c = c->sibling) {
		if (c->parent != r || c->start > c->end ||
		    c->start < r->start || c->end > r->end) {
			fprintf(stderr, "  bad entry %s under %s\n", c->name,
				r->name);
			return false;
		}
		if (prev && prev->end >= c->start) {
			fprintf(stderr, "  %s and %s out of order\n",
				prev->name, c->name);
			return false;
		}
		if (!tree_ok(c))
			return false;
		prev = c;
	}
	return true;
}

/* The shape of the tree below r: "a(b,c),d". */
static void shape_of(const struct resource *r, char *buf, size_t size)
{
	size_t n = strlen(buf);

	for (const struct resource *c = r->child; c; c = c->sibling) {
		n += snprintf(buf + n, size - n, "%s%s",
			      c == r->child ? "" : ",", c->name);
		if (c->child) {
			n += snprintf(buf + n, size - n, "(");
			shape_of(c, buf, size);
			n = strlen(buf);
			n += snprintf(buf + n, size - n, ")");
		}
		if (n >= size)
			return;
	}
}

static const char *shape(const struct resource *r)
{
	static char buf[2048];

	buf[0] = '\0';
	CHECK(tree_ok(r));
	shape_of(r, buf, sizeof(buf));
	return buf;
}

static u64 rng = 42;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void shuffle(int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rnd() % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
}

/* ---- request_resource ---- */

TEST(request_nests_and_refuses_overlaps)
{
	struct resource root = RES(0, 0xffffffff, "root");
	struct resource ram = RES(0x100000, 0x7fffffff, "ram");
	struct resource code = RES(0x1000000, 0x15fffff, "code");
	struct resource data = RES(0x1600000, 0x17fffff, "data");
	struct resource other = RES(0x1200000, 0x12fffff, "other");
	struct resource rom = RES(0xf0000, 0xfffff, "rom");

	CHECK_EQ(request_resource(&root, &ram), 0);
	CHECK_EQ(request_resource(&ram, &code), 0);
	CHECK(code.parent == &ram);
	CHECK(ram.parent == &root);
	/* Touching is not overlapping. */
	CHECK_EQ(request_resource(&ram, &data), 0);
	CHECK_EQ(request_resource(&root, &rom), 0);
	CHECK_STR(shape(&root), "rom,ram(code,data)");
	/* request_resource does not descend: inside RAM is a conflict. */
	CHECK_EQ(request_resource(&root, &other), -EBUSY);
	/* ... and so is a range overlapping code inside RAM. */
	CHECK_EQ(request_resource(&ram, &other), -EBUSY);
	other = RES(0x15fffff, 0x1600000, "other");
	CHECK_EQ(request_resource(&ram, &other), -EBUSY);
	other = RES(0x1000000, 0x15fffff, "other"); /* identical to code */
	CHECK_EQ(request_resource(&ram, &other), -EBUSY);
	other = RES(0x0, 0x100000, "other"); /* last byte in RAM */
	CHECK_EQ(request_resource(&root, &other), -EBUSY);
	CHECK(other.parent == NULL);
	CHECK_STR(shape(&root), "rom,ram(code,data)");
	/* Exactly at RAM's ends is fine; one past is outside. */
	other = RES(0x7ffff000, 0x7fffffff, "top");
	CHECK_EQ(request_resource(&ram, &other), 0);
	CHECK_STR(shape(&root), "rom,ram(code,data,top)");
}

TEST(request_rejects_outside_and_backwards)
{
	struct resource root = RES(0x1000, 0x1fff, "root");
	struct resource r = RES(0x0fff, 0x1000, "r");

	CHECK_EQ(request_resource(&root, &r), -EINVAL);
	r = RES(0x1fff, 0x2000, "r");
	CHECK_EQ(request_resource(&root, &r), -EINVAL);
	r = RES(0x0, 0xffffff, "r");
	CHECK_EQ(request_resource(&root, &r), -EINVAL);
	r = RES(0x1800, 0x17ff, "r");
	CHECK_EQ(request_resource(&root, &r), -EINVAL);
	CHECK_EQ(insert_resource(&root, &r), -EINVAL);
	r = RES(0x2000, 0x2fff, "r");
	CHECK_EQ(insert_resource(&root, &r), -EINVAL);
	CHECK(root.child == NULL);
	/* All of the root, and a single byte, are ranges too. */
	r = RES(0x1000, 0x1fff, "all");
	CHECK_EQ(request_resource(&root, &r), 0);
	CHECK_EQ(release_resource(&r), 0);
	r = RES(0x1800, 0x1800, "byte");
	CHECK_EQ(request_resource(&root, &r), 0);
	CHECK_STR(shape(&root), "byte");
}

TEST(siblings_sorted_whatever_the_order)
{
	static char names[16][16];
	struct resource root = RES(0, 0xffff, "root");
	struct resource r[16];
	int order[16], failed = test_failed_checks;

	for (int i = 0; i < 16; i++)
		snprintf(names[i], sizeof(names[i]), "r%d", i);
	for (int round = 0; round < 200; round++) {
		bool insert = round & 1;
		const struct resource *c;
		int n = 0;

		root.child = NULL;
		for (int i = 0; i < 16; i++) {
			/* Ranges of varying size, some adjacent, in order. */
			phys_addr_t s = i * 0x1000 + (i % 3) * 0x100;

			r[i] = RES(s, s + 0x7ff + (i % 4) * 0x200, names[i]);
			order[i] = i;
		}
		shuffle(order, 16);
		for (int i = 0; i < 16; i++) {
			int err =
				insert ? insert_resource(&root, &r[order[i]])
				       : request_resource(&root, &r[order[i]]);

			CHECK_EQ(err, 0);
		}
		CHECK(tree_ok(&root));
		for (c = root.child; c; c = c->sibling, n++) {
			if (c != &r[n]) {
				CHECK(c == &r[n]);
				break;
			}
		}
		CHECK_EQ(n, 16);
		if (test_failed_checks != failed)
			break;
	}
}

/* ---- insert_resource ---- */

TEST(insert_descends_to_the_deepest_fit)
{
	struct resource root = RES(0, 0xffffffff, "root");
	struct resource ram = RES(0x100000, 0x7fffffff, "ram");
	struct resource code = RES(0x1000000, 0x15fffff, "code");
	struct resource data = RES(0x1600000, 0x17fffff, "data");
	struct resource bss = RES(0x1a00000, 0x1bfffff, "bss");
	struct resource pci = RES(0xc0000000, 0xfebfffff, "pci");
	struct resource dev = RES(0xfd000000, 0xfdffffff, "dev");
	struct resource bar = RES(0xfd000000, 0xfd0fffff, "bar");

	CHECK_EQ(insert_resource(&root, &ram), 0);
	CHECK_EQ(insert_resource(&root, &pci), 0);
	CHECK_EQ(insert_resource(&root, &code), 0);
	CHECK_EQ(insert_resource(&root, &bss), 0);
	CHECK_EQ(insert_resource(&root, &data), 0);
	CHECK(code.parent == &ram && data.parent == &ram);
	CHECK_EQ(insert_resource(&root, &dev), 0);
	CHECK_EQ(insert_resource(&root, &bar), 0);
	CHECK(bar.parent == &dev);
	CHECK_STR(shape(&root), "ram(code,data,bss),pci(dev(bar))");
}

TEST(insert_adopts_what_it_covers)
{
	struct resource root = RES(0, 0xffffffff, "root");
	struct resource ram = RES(0x100000, 0x7fffffff, "ram");
	struct resource image = RES(0x1000000, 0x1bfffff, "image");
	struct resource code = RES(0x1000000, 0x15fffff, "code");
	struct resource data = RES(0x1600000, 0x17fffff, "data");
	struct resource bss = RES(0x1a00000, 0x1bfffff, "bss");
	struct resource low = RES(0x1000, 0x9ffff, "low");

	/* Children first, then what holds them. */
	CHECK_EQ(insert_resource(&root, &bss), 0);
	CHECK_EQ(insert_resource(&root, &code), 0);
	CHECK_EQ(insert_resource(&root, &low), 0);
	CHECK_EQ(insert_resource(&root, &data), 0);
	CHECK_STR(shape(&root), "low,code,data,bss");
	CHECK_EQ(insert_resource(&root, &ram), 0);
	CHECK_STR(shape(&root), "low,ram(code,data,bss)");
	CHECK(code.parent == &ram && bss.parent == &ram);
	/* A level in between: adopts within RAM, leaves low alone. */
	CHECK_EQ(insert_resource(&root, &image), 0);
	CHECK_STR(shape(&root), "low,ram(image(code,data,bss))");
	CHECK(image.parent == &ram);
	CHECK(code.parent == &image && data.parent == &image);
}

TEST(insert_identical_range_becomes_parent)
{
	struct resource root = RES(0, 0xffff, "root");
	struct resource a = RES(0x1000, 0x1fff, "a");
	struct resource b = RES(0x1000, 0x1fff, "b");
	struct resource c = RES(0x1000, 0x1fff, "c");

	CHECK_EQ(insert_resource(&root, &a), 0);
	CHECK_EQ(insert_resource(&root, &b), 0);
	CHECK_STR(shape(&root), "b(a)");
	CHECK_EQ(insert_resource(&root, &c), 0);
	CHECK_STR(shape(&root), "c(b(a))");
	/* request_resource, by contrast, refuses it. */
	{
		struct resource d = RES(0x1000, 0x1fff, "d");

		CHECK_EQ(request_resource(&root, &d), -EBUSY);
	}
}

TEST(insert_partial_overlap_is_busy)
{
	struct resource root = RES(0, 0xffffffff, "root");
	struct resource ram = RES(0x100000, 0x7fffffff, "ram");
	struct resource code = RES(0x1000000, 0x15fffff, "code");
	struct resource data = RES(0x1600000, 0x17fffff, "data");
	struct resource x = RES(0x1500000, 0x1cfffff, "x");
	char before[2048];

	CHECK_EQ(insert_resource(&root, &ram), 0);
	CHECK_EQ(insert_resource(&root, &code), 0);
	CHECK_EQ(insert_resource(&root, &data), 0);
	snprintf(before, sizeof(before), "%s", shape(&root));
	CHECK_STR(before, "ram(code,data)");
	/* Covers data, cuts code: nothing may change. */
	CHECK_EQ(insert_resource(&root, &x), -EBUSY);
	CHECK_STR(shape(&root), before);
	CHECK(x.parent == NULL);
	/* Across RAM's end. */
	x = RES(0x7ff00000, 0x80ffffff, "x");
	CHECK_EQ(insert_resource(&root, &x), -EBUSY);
	/* Across RAM's start. */
	x = RES(0x0, 0x100000, "x");
	CHECK_EQ(insert_resource(&root, &x), -EBUSY);
	/* Covers code and data, and ends inside nothing: fine. */
	x = RES(0x1000000, 0x1cfffff, "x");
	CHECK_EQ(insert_resource(&root, &x), 0);
	CHECK_STR(shape(&root), "ram(x(code,data))");
	/* Adjacent on both sides, inside RAM, touches nothing: a sibling. */
	{
		struct resource y = RES(0x1d00000, 0x1dfffff, "y");
		struct resource z = RES(0xfff000, 0xffffff, "z");

		CHECK_EQ(insert_resource(&root, &y), 0);
		CHECK_EQ(insert_resource(&root, &z), 0);
		CHECK_STR(shape(&root), "ram(z,x(code,data),y)");
	}
}

/* ---- release_resource ---- */

TEST(release_unlinks)
{
	struct resource root = RES(0, 0xffff, "root");
	struct resource a = RES(0x1000, 0x1fff, "a");
	struct resource b = RES(0x2000, 0x2fff, "b");
	struct resource c = RES(0x3000, 0x3fff, "c");
	struct resource b1 = RES(0x2100, 0x21ff, "b1");
	struct resource b2 = RES(0x2200, 0x22ff, "b2");

	CHECK_EQ(request_resource(&root, &c), 0);
	CHECK_EQ(request_resource(&root, &a), 0);
	CHECK_EQ(request_resource(&root, &b), 0);
	CHECK_EQ(request_resource(&b, &b2), 0);
	CHECK_EQ(request_resource(&b, &b1), 0);
	CHECK_STR(shape(&root), "a,b(b1,b2),c");
	/* A leaf in the middle of a list. */
	CHECK_EQ(release_resource(&b1), 0);
	CHECK(b1.parent == NULL && b1.sibling == NULL);
	CHECK_STR(shape(&root), "a,b(b2),c");
	CHECK_EQ(release_resource(&b1), -EINVAL);
	/* The first and the last. */
	CHECK_EQ(release_resource(&a), 0);
	CHECK_STR(shape(&root), "b(b2),c");
	CHECK_EQ(release_resource(&c), 0);
	CHECK_STR(shape(&root), "b(b2)");
	/* Its range is free again. */
	CHECK_EQ(request_resource(&root, &a), 0);
	CHECK_STR(shape(&root), "a,b(b2)");
	/* An entry with children takes them out of the tree with it. */
	CHECK_EQ(release_resource(&b), 0);
	CHECK_STR(shape(&root), "a");
	CHECK(b2.parent == &b);
	b1 = RES(0x2100, 0x21ff, "b1");
	CHECK_EQ(request_resource(&root, &b1), 0);
	CHECK_STR(shape(&root), "a,b1");
	/* Never inserted. */
	{
		struct resource never = RES(0x5000, 0x5fff, "never");

		CHECK_EQ(release_resource(&never), -EINVAL);
		/* Claims a parent that does not list it. */
		never.parent = &root;
		CHECK_EQ(release_resource(&never), -EINVAL);
		CHECK_STR(shape(&root), "a,b1");
	}
}

/* ---- iomem: a realistic PC map ---- */

struct map_entry {
	phys_addr_t start, end;
	int depth;
	const char *name;
};

/*
 * A QEMU PC with 7 GiB of RAM, in /proc/iomem order. An entry with the
 * same range as the one above it is a claim on that one (a driver's on
 * its device's registers): those are requested below it once the rest
 * is in, since an identical range inserted later would become the parent.
 */
static const struct map_entry pc_map[] = {
	{0x00000000, 0x00000fff, 0, "Reserved"},
	{0x00001000, 0x0009fbff, 0, "System RAM"},
	{0x0009fc00, 0x0009ffff, 0, "Reserved"},
	{0x000a0000, 0x000bffff, 0, "PCI Bus 0000:00"},
	{0x000c0000, 0x000c99ff, 0, "Video ROM"},
	{0x000ca000, 0x000cadff, 0, "Adapter ROM"},
	{0x000f0000, 0x000fffff, 0, "Reserved"},
	{0x000f0000, 0x000fffff, 1, "System ROM"},
	{0x00100000, 0xbffdffff, 0, "System RAM"},
	{0x01000000, 0x01e03ac6, 1, "Kernel code"},
	{0x02000000, 0x0262bfff, 1, "Kernel rodata"},
	{0x02800000, 0x02a2b27f, 1, "Kernel data"},
	{0x02f5e000, 0x033fffff, 1, "Kernel bss"},
	{0xbffe0000, 0xbfffffff, 0, "Reserved"},
	{0xc0000000, 0xfebfffff, 0, "PCI Bus 0000:00"},
	{0xfd000000, 0xfdffffff, 1, "0000:00:02.0"},
	{0xfd000000, 0xfdffffff, 2, "bochs-drm"},
	{0xfeb00000, 0xfeb7ffff, 1, "0000:00:03.0"},
	{0xfeb80000, 0xfeb9ffff, 1, "0000:00:03.0"},
	{0xfebf0000, 0xfebf0fff, 1, "0000:00:02.0"},
	{0xfebf0000, 0xfebf0fff, 2, "bochs-drm"},
	{0xfec00000, 0xfec003ff, 0, "IOAPIC 0"},
	{0xfed00000, 0xfed003ff, 0, "HPET 0"},
	{0xfee00000, 0xfee00fff, 0, "Local APIC"},
	{0xfffc0000, 0xffffffff, 0, "Reserved"},
	{0x100000000ULL, 0x23fffffffULL, 0, "System RAM"},
	{0x240000000ULL, 0x2bfffffffULL, 0, "PCI Bus 0000:00"},
};

#define NMAP ARRAY_SIZE(pc_map)

static struct resource claims[4];
static struct resource *added[NMAP];

static const char *proc_iomem(void)
{
	const char *text = host_proc_show("iomem");

	CHECK(text != NULL); /* the table exists and fits the buffer */
	return text ? text : "";
}

/* iomem_resource back to empty (the pool behind iomem_add stays used). */
static void iomem_clear(void)
{
	iomem_resource.child = NULL;
	host_log_clear();
}

static bool is_claim(size_t i)
{
	return i > 0 && pc_map[i].start == pc_map[i - 1].start &&
	       pc_map[i].end == pc_map[i - 1].end;
}

/* The map through iomem_add() in shuffled order; the claims last. */
static void build_pc_map(void)
{
	int order[NMAP], n = 0, d = 0;

	iomem_clear();
	for (size_t i = 0; i < NMAP; i++) {
		if (!is_claim(i))
			order[n++] = i;
	}
	shuffle(order, n);
	for (int i = 0; i < n; i++) {
		const struct map_entry *e = &pc_map[order[i]];

		added[order[i]] =
			iomem_add(e->start, e->end - e->start + 1, e->name);
		CHECK(added[order[i]] != NULL);
	}
	for (size_t i = 0; i < NMAP; i++) {
		const struct map_entry *e = &pc_map[i];

		if (!is_claim(i))
			continue;
		claims[d] = RES(e->start, e->end, e->name);
		CHECK(added[i - 1] != NULL);
		if (added[i - 1])
			CHECK_EQ(request_resource(added[i - 1], &claims[d]), 0);
		added[i] = &claims[d++];
	}
	CHECK(tree_ok(&iomem_resource));
}

static const char *expected_iomem(void)
{
	static char buf[8192];
	size_t n = 0;

	for (size_t i = 0; i < NMAP; i++)
		n += snprintf(buf + n, sizeof(buf) - n,
			      "%*s%08llx-%08llx : %s\n", pc_map[i].depth * 2,
			      "", (unsigned long long)pc_map[i].start,
			      (unsigned long long)pc_map[i].end,
			      pc_map[i].name);
	return buf;
}

TEST(proc_iomem_pc_map)
{
	const char *text;

	/* A few orders: iomem_add()'s pool has 256 entries in all. */
	for (int round = 0, failed = test_failed_checks; round < 5; round++) {
		build_pc_map();
		CHECK_STR(proc_iomem(), expected_iomem());
		if (test_failed_checks != failed)
			break;
	}
	/* Spot checks that do not go through the table above. */
	text = proc_iomem();
	CHECK(strstr(text, "00000000-00000fff : Reserved\n") == text);
	CHECK(strstr(text, "\n00100000-bffdffff : System RAM\n"
			      "  01000000-01e03ac6 : Kernel code\n") != NULL);
	CHECK(strstr(text, "\n  fd000000-fdffffff : 0000:00:02.0\n"
			      "    fd000000-fdffffff : bochs-drm\n") != NULL);
	CHECK(strstr(text,
		     "\nfffc0000-ffffffff : Reserved\n"
		     "100000000-23fffffff : System RAM\n"
		     "240000000-2bfffffff : PCI Bus 0000:00\n") != NULL);
	iomem_clear();
	CHECK_STR(proc_iomem(), "");
}

TEST(iomem_lookup_finds_innermost)
{
	static const struct {
		phys_addr_t addr;
		const char *name; /* NULL: nothing there */
		phys_addr_t start;
	} cases[] = {
		{0x0, "Reserved", 0x0},
		{0xfff, "Reserved", 0x0},
		{0x1000, "System RAM", 0x1000},
		{0x9fbff, "System RAM", 0x1000},
		{0x9fc00, "Reserved", 0x9fc00},
		{0xc9a00, NULL, 0},
		{0xf8000, "System ROM", 0xf0000},
		{0xfffff, "System ROM", 0xf0000},
		{0x100000, "System RAM", 0x100000},
		{0x1000000, "Kernel code", 0x1000000},
		{0x1e03ac6, "Kernel code", 0x1000000},
		{0x1e03ac7, "System RAM", 0x100000},
		{0x2a2b27f, "Kernel data", 0x2800000},
		{0x3400000, "System RAM", 0x100000},
		{0xbffdffff, "System RAM", 0x100000},
		{0xbffe0000, "Reserved", 0xbffe0000},
		{0xc0000000, "PCI Bus 0000:00", 0xc0000000},
		{0xfd800000, "bochs-drm", 0xfd000000},
		{0xfeb7ffff, "0000:00:03.0", 0xfeb00000},
		{0xfeb80000, "0000:00:03.0", 0xfeb80000},
		{0xfebf0abc, "bochs-drm", 0xfebf0000},
		{0xfebf1000, "PCI Bus 0000:00", 0xc0000000},
		{0xfec00000, "IOAPIC 0", 0xfec00000},
		{0xfec00400, NULL, 0},
		{0xfee00fff, "Local APIC", 0xfee00000},
		{0xffffffff, "Reserved", 0xfffc0000},
		{0x100000000ULL, "System RAM", 0x100000000ULL},
		{0x23fffffffULL, "System RAM", 0x100000000ULL},
		{0x2bfffffffULL, "PCI Bus 0000:00", 0x240000000ULL},
		{0x2c0000000ULL, NULL, 0},
		{~(phys_addr_t)0, NULL, 0},
	};

	build_pc_map();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct resource *r = iomem_lookup(cases[i].addr);

		if (!cases[i].name) {
			if (r)
				fprintf(stderr, "  %#llx: found %s\n",
					(unsigned long long)cases[i].addr,
					r->name);
			CHECK(r == NULL);
			continue;
		}
		CHECK(r != NULL);
		if (!r) {
			fprintf(stderr, "  %#llx: nothing\n",
				(unsigned long long)cases[i].addr);
			continue;
		}
		CHECK_STR(r->name, cases[i].name);
		CHECK_EQ(r->start, cases[i].start);
	}
	iomem_clear();
	CHECK(iomem_lookup(0x1000) == NULL);
}

TEST(iomem_add_failures_leave_map_alone)
{
	char before[8192];

	build_pc_map();
	snprintf(before, sizeof(before), "%s", proc_iomem());
	host_log_clear();
	/* Straddles the end of low RAM and the Reserved range after it. */
	CHECK(iomem_add(0x9f000, 0x2000, "bad") == NULL);
	CHECK(host_log_contains("iomem: cannot add bad 0x9f000-0xa0fff "
				"(error -16)"));
	/* Cuts Kernel code inside RAM. */
	CHECK(iomem_add(0x1e00000, 0x100000, "bad2") == NULL);
	CHECK(host_log_contains("cannot add bad2"));
	/* Wraps past the top of the address space. */
	CHECK(iomem_add(~(phys_addr_t)0 - 0xfff, 0x2000, "wrap") == NULL);
	CHECK(host_log_contains("cannot add wrap"));
	CHECK(host_log_contains("(error -22)"));
	/* Nothing at all. */
	host_log_clear();
	CHECK(iomem_add(0x2c0000000ULL, 0, "empty") == NULL);
	CHECK_STR(proc_iomem(), before);
	/* A good one after the failures still goes in, at the right depth. */
	{
		struct resource *r = iomem_add(0xfee01000, 0x1000, "late");

		CHECK(r != NULL);
		CHECK(r && r->parent == &iomem_resource);
		r = iomem_add(0x2a00000, 0x1000, "in data");
		CHECK(r != NULL);
		CHECK(r && r->parent &&
		      strcmp(r->parent->name, "Kernel data") == 0);
		CHECK(iomem_lookup(0x2a00800) == r);
	}
	/* The top byte of the address space is a range like any other. */
	CHECK(iomem_add(~(phys_addr_t)0 - 0xfff, 0x1000, "top") != NULL);
	CHECK(iomem_lookup(~(phys_addr_t)0) != NULL);
	CHECK(strstr(proc_iomem(),
		     "fffffffffffff000-ffffffffffffffff : top\n") != NULL);
	iomem_clear();
}

/* Last: uses up what is left of iomem_add()'s pool. */
TEST(iomem_pool_runs_out_cleanly)
{
	struct resource *r = NULL;
	int n;

	iomem_clear();
	for (n = 0; n < 300; n++) {
		r = iomem_add(0x300000000ULL + 0x1000 * (phys_addr_t)n, 0x1000,
			      "filler");
		if (!r)
			break;
	}
	CHECK(r == NULL);
	CHECK(n > 0 && n < 256);
	CHECK(host_log_contains("iomem: no room to record filler"));
	/* What went in is intact and in order. */
	CHECK(tree_ok(&iomem_resource));
	CHECK(iomem_lookup(0x300000000ULL + 0x1000 * (phys_addr_t)(n - 1)) !=
	      NULL);
	CHECK(iomem_lookup(0x300000000ULL + 0x1000 * (phys_addr_t)n) == NULL);
	iomem_clear();
}

TEST_MAIN()
