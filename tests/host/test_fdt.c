/*
 * Host tests for lib/fdt.c, the flattened device tree reader.
 *
 * There is no dtc here, so a small builder below writes blobs by hand:
 * tags into a structure block, property names into a strings block, and
 * a memory reservation block, behind a version 17 header. The main tree
 * imitates what QEMU's virt machine plus OpenSBI hand a RISC-V kernel.
 * The last test damages that blob thousands of ways and walks each copy,
 * with every copy in its own exactly sized allocation so that ASan sees
 * any read outside the blob.
 */
#include <stdarg.h>
#include <stdint.h>

#include <pagoda/errno.h>
#include <pagoda/fdt.h>

#include "test.h"

#define T_BEGIN_NODE 1
#define T_END_NODE   2
#define T_PROP	     3
#define T_NOP	     4
#define T_END	     9

#define HDR_SIZE 40

/* ---- the builder ---- */

struct builder {
	uint8_t st[16384];
	size_t st_len;
	char strs[4096];
	size_t strs_len;
	uint64_t rsv[16][2];
	int nrsv;
	bool no_rsv_end;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, (uint32_t)v);
}

static struct builder *builder_new(void)
{
	struct builder *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	return b;
}

static void raw32(struct builder *b, uint32_t v)
{
	put32(b->st + b->st_len, v);
	b->st_len += 4;
}

static void raw_bytes(struct builder *b, const void *data, size_t len)
{
	memcpy(b->st + b->st_len, data, len);
	b->st_len += len;
	while (b->st_len % 4)
		b->st[b->st_len++] = 0;
}

static uint32_t string_off(struct builder *b, const char *name)
{
	size_t off = 0, n;

	while (off < b->strs_len) {
		if (!strcmp(b->strs + off, name))
			return off;
		off += strlen(b->strs + off) + 1;
	}
	n = strlen(name) + 1;
	memcpy(b->strs + b->strs_len, name, n);
	b->strs_len += n;
	return off;
}

static void begin_node(struct builder *b, const char *name)
{
	raw32(b, T_BEGIN_NODE);
	raw_bytes(b, name, strlen(name) + 1);
}

static void end_node(struct builder *b)
{
	raw32(b, T_END_NODE);
}

static void nop(struct builder *b)
{
	raw32(b, T_NOP);
}

static void prop(struct builder *b, const char *name, const void *data,
		 size_t len)
{
	raw32(b, T_PROP);
	raw32(b, len);
	raw32(b, string_off(b, name));
	raw_bytes(b, data, len);
}

static void prop_empty(struct builder *b, const char *name)
{
	prop(b, name, "", 0);
}

static void prop_str(struct builder *b, const char *name, const char *s)
{
	prop(b, name, s, strlen(s) + 1);
}

static void prop_u32(struct builder *b, const char *name, uint32_t v)
{
	uint8_t cell[4];

	put32(cell, v);
	prop(b, name, cell, 4);
}

/* prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x80000000) */
static void prop_cells(struct builder *b, const char *name, int n, ...)
{
	uint8_t cells[64];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		put32(cells + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	prop(b, name, cells, 4 * n);
}

static void rsv(struct builder *b, uint64_t addr, uint64_t size)
{
	b->rsv[b->nrsv][0] = addr;
	b->rsv[b->nrsv][1] = size;
	b->nrsv++;
}

/* Header, reservation block, structure block, strings block; frees @b. */
static uint8_t *finish(struct builder *b, size_t *lenp)
{
	size_t rsv_size = (b->nrsv + !b->no_rsv_end) * 16;
	size_t off_struct = HDR_SIZE + rsv_size;
	size_t off_strings = off_struct + b->st_len;
	size_t total = off_strings + b->strs_len;
	uint8_t *blob = calloc(1, total);

	if (!blob)
		abort();
	put32(blob + 0, FDT_MAGIC);
	put32(blob + 4, total);
	put32(blob + 8, off_struct);
	put32(blob + 12, off_strings);
	put32(blob + 16, HDR_SIZE);
	put32(blob + 20, 17);
	put32(blob + 24, 16);
	put32(blob + 28, 0);
	put32(blob + 32, b->strs_len);
	put32(blob + 36, b->st_len);
	for (int i = 0; i < b->nrsv; i++) {
		put64(blob + HDR_SIZE + 16 * i, b->rsv[i][0]);
		put64(blob + HDR_SIZE + 16 * i + 8, b->rsv[i][1]);
	}
	memcpy(blob + off_struct, b->st, b->st_len);
	memcpy(blob + off_strings, b->strs, b->strs_len);
	free(b);
	*lenp = total;
	return blob;
}

/* ---- the QEMU-virt-like tree ---- */

static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";

static void build_cpus(struct builder *b)
{
	begin_node(b, "cpus");
	prop_u32(b, "#address-cells", 1);
	prop_u32(b, "#size-cells", 0);
	prop_u32(b, "timebase-frequency", 10000000);
	begin_node(b, "cpu@0");
	prop_str(b, "device_type", "cpu");
	prop_cells(b, "reg", 1, 0);
	prop_str(b, "status", "okay");
	prop_str(b, "compatible", "riscv");
	prop_str(b, "riscv,isa", "rv64imafdch_zicsr_zifencei");
	begin_node(b, "interrupt-controller");
	prop_u32(b, "#interrupt-cells", 1);
	prop_empty(b, "interrupt-controller");
	prop_str(b, "compatible", "riscv,cpu-intc");
	end_node(b);
	end_node(b);
	begin_node(b, "cpu@1");
	prop_str(b, "device_type", "cpu");
	prop_cells(b, "reg", 1, 1);
	prop_str(b, "status", "ok");
	prop_str(b, "compatible", "riscv");
	end_node(b);
	begin_node(b, "cpu@2");
	prop_str(b, "device_type", "cpu");
	prop_cells(b, "reg", 1, 2);
	prop_str(b, "status", "fail");
	prop_str(b, "compatible", "riscv");
	end_node(b);
	end_node(b);
}

static void build_soc(struct builder *b)
{
	static const char unterminated[3] = {'a', 'b', 'c'};

	begin_node(b, "soc");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	prop_str(b, "compatible", "simple-bus");
	prop_empty(b, "ranges");
	begin_node(b, "rtc@101000");
	prop_cells(b, "interrupts", 1, 11);
	prop_cells(b, "reg", 4, 0, 0x101000, 0, 0x1000);
	prop_str(b, "compatible", "google,goldfish-rtc");
	end_node(b);
	begin_node(b, "serial@10000000");
	prop_cells(b, "interrupts", 1, 10);
	prop_u32(b, "clock-frequency", 0x384000);
	prop_cells(b, "reg", 4, 0, 0x10000000, 0, 0x100);
	prop_str(b, "compatible", "ns16550a");
	end_node(b);
	begin_node(b, "serial@10001000");
	prop_cells(b, "reg", 4, 0, 0x10001000, 0, 0x100);
	prop_str(b, "compatible", "ns16550a");
	prop_str(b, "status", "disabled");
	end_node(b);
	begin_node(b, "test@100000");
	prop(b, "compatible", test_compat, sizeof(test_compat));
	prop_cells(b, "reg", 4, 0, 0x100000, 0, 0x1000);
	end_node(b);
	begin_node(b, "bus32@20000000");
	prop_str(b, "compatible", "simple-bus");
	prop_u32(b, "#address-cells", 1);
	prop_u32(b, "#size-cells", 1);
	prop_cells(b, "ranges", 5, 0x20000000, 0, 0x20000000, 0, 0x100000);
	begin_node(b, "dev@20001000");
	prop_cells(b, "reg", 4, 0x20001000, 0x1000, 0x20003000, 0x100);
	prop_str(b, "compatible", "pagoda,dev32");
	end_node(b);
	end_node(b);
	begin_node(b, "weird");
	prop_u32(b, "#address-cells", 3);
	prop_u32(b, "#size-cells", 2);
	begin_node(b, "child@0");
	prop_cells(b, "reg", 5, 0, 0, 0, 0, 1);
	end_node(b);
	end_node(b);
	begin_node(b, "badreg@0");
	prop_cells(b, "reg", 3, 0, 0x1000, 0);
	end_node(b);
	begin_node(b, "strange");
	prop(b, "bad-string", unterminated, sizeof(unterminated));
	prop(b, "compatible", "good\0bad", 8);
	prop(b, "status", unterminated, sizeof(unterminated));
	prop(b, "fake", "\0\0\0\1x\0\0\0", 8);
	end_node(b);
	end_node(b);
}

static uint8_t *build_virt(size_t *len)
{
	struct builder *b = builder_new();

	rsv(b, 0x80000000, 0x40000);
	rsv(b, 0x188000000ull, 0x200000);
	begin_node(b, "");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	prop_str(b, "compatible", "riscv-virtio");
	prop_str(b, "model", "riscv-virtio,qemu");
	begin_node(b, "chosen");
	prop_str(b, "bootargs", "console=ttyS0 loglevel=8");
	prop_str(b, "stdout-path", "/soc/serial@10000000");
	end_node(b);
	begin_node(b, "memory@80000000");
	prop_str(b, "device_type", "memory");
	nop(b);
	prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x80000000);
	end_node(b);
	begin_node(b, "memory@100000000");
	prop_str(b, "device_type", "memory");
	prop_cells(b, "reg", 8, 1, 0, 0, 0x40000000, 2, 0, 0, 0x10000000);
	end_node(b);
	nop(b);
	begin_node(b, "reserved-memory");
	prop_u32(b, "#address-cells", 2);
	prop_u32(b, "#size-cells", 2);
	prop_empty(b, "ranges");
	begin_node(b, "mmode_resv0@80000000");
	prop_cells(b, "reg", 4, 0, 0x80000000, 0, 0x40000);
	prop_empty(b, "no-map");
	end_node(b);
	end_node(b);
	build_cpus(b);
	build_soc(b);
	end_node(b);
	raw32(b, T_END);
	return finish(b, len);
}

static const struct {
	const char *name;
	int depth;
} virt_nodes[] = {
	{"", 0},
	{"chosen", 1},
	{"memory@80000000", 1},
	{"memory@100000000", 1},
	{"reserved-memory", 1},
	{"mmode_resv0@80000000", 2},
	{"cpus", 1},
	{"cpu@0", 2},
	{"interrupt-controller", 3},
	{"cpu@1", 2},
	{"cpu@2", 2},
	{"soc", 1},
	{"rtc@101000", 2},
	{"serial@10000000", 2},
	{"serial@10001000", 2},
	{"test@100000", 2},
	{"bus32@20000000", 2},
	{"dev@20001000", 3},
	{"weird", 2},
	{"child@0", 3},
	{"badreg@0", 2},
	{"strange", 2},
};

#define NVIRT ((int)(sizeof(virt_nodes) / sizeof(virt_nodes[0])))

/* The virt blob, parsed; the caller frees *blobp. */
static struct fdt virt(uint8_t **blobp)
{
	struct fdt f;
	size_t len;

	*blobp = build_virt(&len);
	CHECK_EQ(fdt_init(&f, *blobp), 0);
	return f;
}

static int path(const struct fdt *f, const char *p)
{
	int node = fdt_path_offset(f, p);

	if (node < 0)
		fprintf(stderr, "  path %s: %d\n", p, node);
	return node;
}

/* ---- header ---- */

TEST(init_valid)
{
	uint8_t *blob;
	size_t len;
	struct fdt f;

	blob = build_virt(&len);
	CHECK_EQ(fdt_header_size(blob), len);
	CHECK_EQ(fdt_init(&f, blob), 0);
	CHECK(f.blob == blob);
	CHECK_EQ(f.totalsize, len);
	CHECK_EQ(f.off_rsvmap, HDR_SIZE);
	CHECK_EQ(f.off_struct, get32(blob + 8));
	CHECK_EQ(f.size_struct, get32(blob + 36));
	CHECK_EQ(f.off_strings, get32(blob + 12));
	CHECK_EQ(f.size_strings, get32(blob + 32));
	free(blob);
}

/* Patches one header field of a fresh virt blob; returns fdt_init(). */
static int init_patched(unsigned int field, uint32_t value)
{
	uint8_t *blob;
	size_t len;
	struct fdt f;
	int ret;

	blob = build_virt(&len);
	put32(blob + field, value);
	memset(&f, 0x5a, sizeof(f));
	ret = fdt_init(&f, blob);
	if (ret < 0) {
		/* A failed init leaves nothing that points into the blob. */
		CHECK(f.blob == NULL);
		CHECK_EQ(f.size_struct, 0);
		CHECK_EQ(fdt_next_node(&f, -1, NULL), -EINVAL);
		CHECK_EQ(fdt_path_offset(&f, "/"), -EINVAL);
		CHECK_EQ(fdt_get_mem_rsv(&f, 0, NULL, NULL), -EINVAL);
	}
	free(blob);
	return ret;
}

TEST(init_errors)
{
	uint8_t *blob;
	size_t len;
	struct fdt f;
	uint32_t st, ss, so, sso;

	CHECK_EQ(fdt_init(&f, NULL), -EINVAL);
	CHECK_EQ(fdt_init(NULL, "x"), -EINVAL);
	CHECK_EQ(fdt_header_size(NULL), 0);

	blob = build_virt(&len);
	st = get32(blob + 8);
	so = get32(blob + 12);
	ss = get32(blob + 36);
	sso = get32(blob + 32);
	free(blob);

	CHECK_EQ(init_patched(0, 0xd00dfeee), -EINVAL);
	CHECK_EQ(init_patched(4, 39), -EINVAL);
	CHECK_EQ(init_patched(4, 0), -EINVAL);
	CHECK_EQ(init_patched(4, (uint32_t)len - 1), -EINVAL);
	CHECK_EQ(init_patched(20, 15), -EINVAL);
	CHECK_EQ(init_patched(20, 1), -EINVAL);
	CHECK_EQ(init_patched(24, 18), -EINVAL);
	/* Structure block outside the blob, unaligned, or over the header. */
	CHECK_EQ(init_patched(8, (uint32_t)len), -EINVAL);
	CHECK_EQ(init_patched(8, 0xfffffffc), -EINVAL);
	CHECK_EQ(init_patched(8, st + 2), -EINVAL);
	CHECK_EQ(init_patched(8, 0), -EINVAL);
	CHECK_EQ(init_patched(36, ss + 4 + sso + 1), -EINVAL);
	CHECK_EQ(init_patched(36, 0xffffffff), -EINVAL);
	/* Structure block too small to hold the root's tag and name. */
	CHECK_EQ(init_patched(36, 4), -EINVAL);
	CHECK_EQ(init_patched(36, 0), -EINVAL);
	/* Strings block outside the blob. */
	CHECK_EQ(init_patched(12, so + 1), -EINVAL);
	CHECK_EQ(init_patched(12, 0xffffffff), -EINVAL);
	CHECK_EQ(init_patched(32, sso + 1), -EINVAL);
	CHECK_EQ(init_patched(32, 0xfffffff0), -EINVAL);
	CHECK_EQ(init_patched(12, 4), -EINVAL);
	/* Reservation block outside the blob or over the header. */
	CHECK_EQ(init_patched(16, (uint32_t)len + 8), -EINVAL);
	CHECK_EQ(init_patched(16, 8), -EINVAL);
	/* A structure block not starting with a node. */
	CHECK_EQ(init_patched(8, st + 4), -EINVAL);
	/* Harmless: a smaller strings block still inside, other versions. */
	CHECK_EQ(init_patched(24, 2), 0);
	CHECK_EQ(init_patched(20, 18), 0);
	CHECK_EQ(init_patched(28, 0xffffffff), 0);
}

TEST(header_size)
{
	uint8_t buf[8] = {0};

	CHECK_EQ(fdt_header_size(buf), 0);
	put32(buf, FDT_MAGIC);
	put32(buf + 4, 0x12345);
	CHECK_EQ(fdt_header_size(buf), 0x12345);
	/* The size alone is not a valid blob, and only 8 bytes are read. */
	put32(buf + 4, 8);
	{
		uint8_t *p = malloc(8);
		struct fdt f;

		memcpy(p, buf, 8);
		CHECK_EQ(fdt_header_size(p), 8);
		CHECK_EQ(fdt_init(&f, p), -EINVAL);
		free(p);
	}
}

TEST(version16)
{
	uint8_t *blob;
	size_t len;
	struct fdt f;
	const char *s;

	/* v16 has no size_dt_struct: the reader must not trust that field. */
	blob = build_virt(&len);
	put32(blob + 20, 16);
	put32(blob + 36, 0xffffffff);
	CHECK_EQ(fdt_init(&f, blob), 0);
	CHECK_EQ(f.size_struct, len - f.off_struct);
	s = fdt_getprop_str(&f, path(&f, "/chosen"), "bootargs");
	CHECK_STR(s, "console=ttyS0 loglevel=8");
	free(blob);
}

TEST(unaligned_blob)
{
	uint8_t *blob, *buf;
	size_t len;
	struct fdt f;
	u64 addr = 0, size = 0;
	u32 tb = 0;

	blob = build_virt(&len);
	buf = malloc(len + 3);
	for (int shift = 1; shift <= 3; shift++) {
		memcpy(buf + shift, blob, len);
		CHECK_EQ(fdt_init(&f, buf + shift), 0);
		CHECK_EQ(fdt_read_reg(&f, path(&f, "/memory@100000000"), 1,
				      &addr, &size),
			 0);
		CHECK_EQ(addr, 0x200000000ull);
		CHECK_EQ(size, 0x10000000);
		CHECK_EQ(fdt_getprop_u32(&f, path(&f, "/cpus"),
					 "timebase-frequency", &tb),
			 0);
		CHECK_EQ(tb, 10000000);
		CHECK_EQ(fdt_get_mem_rsv(&f, 1, &addr, &size), 0);
		CHECK_EQ(addr, 0x188000000ull);
	}
	free(buf);
	free(blob);
}

/* ---- walking ---- */

TEST(next_node_walk)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int node, depth = 99, i = 0, prev = -1;

	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth)) {
		if (i >= NVIRT)
			break;
		CHECK(node > prev);
		CHECK_STR(fdt_node_name(&f, node), virt_nodes[i].name);
		CHECK_EQ(depth, virt_nodes[i].depth);
		prev = node;
		i++;
	}
	CHECK_EQ(i, NVIRT);
	CHECK_EQ(node, -ENOENT);
	/* The walk works without a depth, and errors pass straight through. */
	CHECK_EQ(fdt_next_node(&f, -1, NULL), 0);
	CHECK(fdt_next_node(&f, 0, NULL) > 0);
	CHECK_EQ(fdt_next_node(&f, -ENOENT, &depth), -ENOENT);
	CHECK_EQ(fdt_next_node(&f, -EINVAL, NULL), -EINVAL);
	CHECK_EQ(fdt_next_node(&f, 2, NULL), -EINVAL);
	CHECK_EQ(fdt_next_node(&f, 4, NULL), -EINVAL);
	CHECK_EQ(fdt_next_node(&f, (int)f.size_struct, NULL), -EINVAL);
	CHECK_EQ(fdt_next_node(&f, 0x7ffffffc, NULL), -EINVAL);
	free(blob);
}

TEST(children_and_siblings)
{
	static const char *const root_children[] = {
		"chosen",
		"memory@80000000",
		"memory@100000000",
		"reserved-memory",
		"cpus",
		"soc",
	};
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int node, i = 0;

	for (node = fdt_first_child(&f, 0); node >= 0;
	     node = fdt_next_sibling(&f, node)) {
		if (i >= 6)
			break;
		CHECK_STR(fdt_node_name(&f, node), root_children[i]);
		CHECK_EQ(fdt_parent(&f, node), 0);
		i++;
	}
	CHECK_EQ(i, 6);
	CHECK_EQ(node, -ENOENT);

	node = fdt_first_child(&f, path(&f, "/cpus"));
	CHECK_STR(fdt_node_name(&f, node), "cpu@0");
	CHECK_STR(fdt_node_name(&f, fdt_first_child(&f, node)),
		  "interrupt-controller");
	node = fdt_next_sibling(&f, node);
	CHECK_STR(fdt_node_name(&f, node), "cpu@1");
	CHECK_EQ(fdt_first_child(&f, node), -ENOENT);
	node = fdt_next_sibling(&f, fdt_next_sibling(&f, node));
	CHECK_EQ(node, -ENOENT);

	CHECK_EQ(fdt_next_sibling(&f, 0), -ENOENT);
	CHECK_EQ(fdt_first_child(&f, path(&f, "/chosen")), -ENOENT);
	CHECK_EQ(fdt_first_child(&f, -ENOENT), -ENOENT);
	CHECK_EQ(fdt_next_sibling(&f, -EINVAL), -EINVAL);
	CHECK_EQ(fdt_first_child(&f, 1), -EINVAL);
	CHECK_EQ(fdt_next_sibling(&f, 8), -EINVAL);
	free(blob);
}

TEST(parent)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int soc = path(&f, "/soc");
	const uint8_t *fake;
	int len, fake_off;

	CHECK_EQ(fdt_parent(&f, path(&f, "/soc/serial@10000000")), soc);
	CHECK_EQ(fdt_parent(&f, path(&f, "/soc/bus32/dev")),
		 path(&f, "/soc/bus32"));
	CHECK_EQ(fdt_parent(&f, path(&f, "/cpus/cpu@0/interrupt-controller")),
		 path(&f, "/cpus/cpu@0"));
	/* The node after a subtree must not pick a parent inside it. */
	CHECK_EQ(fdt_parent(&f, path(&f, "/cpus/cpu@1")), path(&f, "/cpus"));
	CHECK_EQ(fdt_parent(&f, soc), 0);
	CHECK_EQ(fdt_parent(&f, 0), -ENOENT);
	CHECK_EQ(fdt_parent(&f, -ENOENT), -ENOENT);
	CHECK_EQ(fdt_parent(&f, 6), -EINVAL);
	CHECK_EQ(fdt_parent(&f, 0x7fffffff), -EINVAL);

	/* A property value that looks like a node is still not a node. */
	fake = fdt_getprop(&f, path(&f, "/soc/strange"), "fake", &len);
	CHECK(fake != NULL);
	fake_off = (int)(fake - (blob + f.off_struct));
	CHECK_STR(fdt_node_name(&f, fake_off), "x");
	CHECK_EQ(fdt_parent(&f, fake_off), -EINVAL);
	free(blob);
}

/* ---- lookups by path and name ---- */

TEST(path_offset)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int serial;

	CHECK_EQ(fdt_path_offset(&f, "/"), 0);
	CHECK_EQ(fdt_path_offset(&f, "//"), 0);
	CHECK_STR(fdt_node_name(&f, path(&f, "/chosen")), "chosen");
	serial = path(&f, "/soc/serial@10000000");
	CHECK_STR(fdt_node_name(&f, serial), "serial@10000000");
	/* Without a unit address, the first node of that name wins. */
	CHECK_EQ(path(&f, "/soc/serial"), serial);
	CHECK_STR(fdt_node_name(&f, path(&f, "/memory")), "memory@80000000");
	CHECK_STR(fdt_node_name(&f, path(&f, "/memory@100000000")),
		  "memory@100000000");
	CHECK_STR(fdt_node_name(&f, path(&f, "/soc/serial@10001000")),
		  "serial@10001000");
	CHECK_STR(fdt_node_name(&f, path(&f, "/cpus/cpu@1")), "cpu@1");
	CHECK_STR(fdt_node_name(&f, path(&f, "/reserved-memory/mmode_resv0")),
		  "mmode_resv0@80000000");
	CHECK_STR(fdt_node_name(&f, path(&f, "/soc/bus32@20000000/dev")),
		  "dev@20001000");
	/* Extra and trailing slashes are forgiven. */
	CHECK_EQ(path(&f, "/soc/"), path(&f, "/soc"));
	CHECK_EQ(path(&f, "//soc//serial@10000000"), serial);

	CHECK_EQ(fdt_path_offset(&f, "/nonexistent"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/soc/serial@1000"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/soc/serial@"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/memor"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/memory@8"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/chosen/bootargs"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/cpus/cpu@0/x"), -ENOENT);
	/* Only the root's children are searched, not the whole tree. */
	CHECK_EQ(fdt_path_offset(&f, "/serial@10000000"), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "chosen"), -EINVAL);
	CHECK_EQ(fdt_path_offset(&f, ""), -EINVAL);
	CHECK_EQ(fdt_path_offset(&f, NULL), -EINVAL);
	free(blob);
}

TEST(node_name)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);

	CHECK_STR(fdt_node_name(&f, 0), "");
	CHECK_STR(fdt_node_name(&f, path(&f, "/memory")), "memory@80000000");
	CHECK(fdt_node_name(&f, -ENOENT) == NULL);
	CHECK(fdt_node_name(&f, 3) == NULL);
	CHECK(fdt_node_name(&f, 4) == NULL);
	CHECK(fdt_node_name(&f, (int)f.size_struct - 4) == NULL);
	CHECK(fdt_node_name(&f, (int)f.size_struct) == NULL);
	free(blob);
}

/* ---- properties ---- */

TEST(getprop)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int chosen = path(&f, "/chosen");
	int resv = path(&f, "/reserved-memory/mmode_resv0@80000000");
	const char *s;
	const uint8_t *p;
	int len = 0;

	s = fdt_getprop(&f, chosen, "bootargs", &len);
	CHECK_STR(s, "console=ttyS0 loglevel=8");
	CHECK_EQ(len, strlen("console=ttyS0 loglevel=8") + 1);
	CHECK(fdt_getprop(&f, chosen, "bootargs", NULL) == s);

	/* Empty properties are present: a pointer and length 0. */
	CHECK(fdt_getprop(&f, resv, "no-map", &len) != NULL);
	CHECK_EQ(len, 0);
	CHECK(fdt_getprop(&f, path(&f, "/memory"), "no-map", &len) == NULL);
	CHECK_EQ(len, -ENOENT);

	/* Skips a NOP in the middle of the properties. */
	p = fdt_getprop(&f, path(&f, "/memory"), "reg", &len);
	CHECK(p != NULL);
	CHECK_EQ(len, 16);
	if (p)
		CHECK_EQ(get32(p + 4), 0x80000000);

	/* Only the node's own properties, never a child's. */
	CHECK(fdt_getprop(&f, path(&f, "/reserved-memory"), "no-map", &len) ==
	      NULL);
	CHECK_EQ(len, -ENOENT);
	CHECK(fdt_getprop(&f, 0, "bootargs", &len) == NULL);
	CHECK_EQ(len, -ENOENT);
	CHECK(fdt_getprop(&f, 0, "", &len) == NULL);
	CHECK(fdt_getprop(&f, chosen, "bootarg", &len) == NULL);

	CHECK(fdt_getprop(&f, 5, "bootargs", &len) == NULL);
	CHECK_EQ(len, -EINVAL);
	CHECK(fdt_getprop(&f, -ENOENT, "bootargs", &len) == NULL);
	CHECK_EQ(len, -ENOENT);
	CHECK(fdt_getprop(&f, chosen, NULL, &len) == NULL);
	CHECK_EQ(len, -EINVAL);
	free(blob);
}

TEST(getprop_u32)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	u32 v = 0;

	CHECK_EQ(fdt_getprop_u32(&f, path(&f, "/cpus"), "timebase-frequency",
				 &v),
		 0);
	CHECK_EQ(v, 10000000);
	CHECK_EQ(fdt_getprop_u32(&f, path(&f, "/soc/serial"), "clock-frequency",
				 &v),
		 0);
	CHECK_EQ(v, 0x384000);
	CHECK_EQ(fdt_getprop_u32(&f, path(&f, "/soc/serial"), "interrupts",
				 NULL),
		 0);
	v = 7;
	CHECK_EQ(fdt_getprop_u32(&f, 0, "timebase-frequency", &v), -ENOENT);
	CHECK_EQ(v, 7);
	/* Wrong sizes: 16 bytes, 0 bytes, a string. */
	CHECK_EQ(fdt_getprop_u32(&f, path(&f, "/memory"), "reg", &v), -EINVAL);
	CHECK_EQ(fdt_getprop_u32(&f, path(&f, "/soc"), "ranges", &v), -EINVAL);
	CHECK_EQ(fdt_getprop_u32(&f, 0, "model", &v), -EINVAL);
	CHECK_EQ(fdt_getprop_u32(&f, 1, "model", &v), -EINVAL);
	CHECK_EQ(v, 7);
	free(blob);
}

TEST(getprop_str)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int strange = path(&f, "/soc/strange");

	CHECK_STR(fdt_getprop_str(&f, path(&f, "/chosen"), "bootargs"),
		  "console=ttyS0 loglevel=8");
	CHECK_STR(fdt_getprop_str(&f, path(&f, "/chosen"), "stdout-path"),
		  "/soc/serial@10000000");
	CHECK_STR(fdt_getprop_str(&f, 0, "model"), "riscv-virtio,qemu");
	/* A string list gives its first string. */
	CHECK_STR(fdt_getprop_str(&f, path(&f, "/soc/test"), "compatible"),
		  "sifive,test1");
	CHECK(fdt_getprop_str(&f, strange, "bad-string") == NULL);
	CHECK(fdt_getprop_str(&f, path(&f, "/soc"), "ranges") == NULL);
	CHECK(fdt_getprop_str(&f, 0, "bootargs") == NULL);
	CHECK(fdt_getprop_str(&f, -EINVAL, "bootargs") == NULL);
	free(blob);
}

TEST(compatible)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int test = path(&f, "/soc/test@100000");
	int strange = path(&f, "/soc/strange");

	CHECK(fdt_node_is_compatible(&f, test, "sifive,test1"));
	CHECK(fdt_node_is_compatible(&f, test, "sifive,test0"));
	CHECK(fdt_node_is_compatible(&f, test, "syscon"));
	CHECK(!fdt_node_is_compatible(&f, test, "sifive,test"));
	CHECK(!fdt_node_is_compatible(&f, test, "syscon2"));
	CHECK(!fdt_node_is_compatible(&f, test, ""));
	CHECK(!fdt_node_is_compatible(&f, test, NULL));
	CHECK(fdt_node_is_compatible(&f, path(&f, "/soc/serial"), "ns16550a"));
	CHECK(!fdt_node_is_compatible(&f, path(&f, "/soc/serial"), "ns16550"));
	CHECK(!fdt_node_is_compatible(&f, path(&f, "/chosen"), "ns16550a"));
	CHECK(fdt_node_is_compatible(&f, 0, "riscv-virtio"));
	/* "good\0bad" without a final NUL: the complete entry still counts. */
	CHECK(fdt_node_is_compatible(&f, strange, "good"));
	CHECK(!fdt_node_is_compatible(&f, strange, "bad"));
	CHECK(!fdt_node_is_compatible(&f, strange, "ba"));
	CHECK(!fdt_node_is_compatible(&f, -ENOENT, "ns16550a"));
	CHECK(!fdt_node_is_compatible(&f, 12, "ns16550a"));
	free(blob);
}

TEST(find_compatible)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int node, n = 0;

	node = fdt_find_compatible(&f, -1, "ns16550a");
	CHECK_EQ(node, path(&f, "/soc/serial@10000000"));
	CHECK(fdt_node_is_enabled(&f, node));
	node = fdt_find_compatible(&f, node, "ns16550a");
	CHECK_EQ(node, path(&f, "/soc/serial@10001000"));
	CHECK(!fdt_node_is_enabled(&f, node));
	CHECK_EQ(fdt_find_compatible(&f, node, "ns16550a"), -ENOENT);

	for (node = fdt_find_compatible(&f, -1, "riscv"); node >= 0 && n < 10;
	     node = fdt_find_compatible(&f, node, "riscv"))
		n++;
	CHECK_EQ(n, 3);
	CHECK_EQ(fdt_find_compatible(&f, -1, "riscv-virtio"), 0);
	CHECK_EQ(fdt_find_compatible(&f, -1, "simple-bus"), path(&f, "/soc"));
	CHECK_EQ(fdt_find_compatible(&f, -1, "nothing"), -ENOENT);
	CHECK_EQ(fdt_find_compatible(&f, -ENOENT, "riscv"), -ENOENT);
	CHECK_EQ(fdt_find_compatible(&f, 7, "riscv"), -EINVAL);
	free(blob);
}

TEST(memory_nodes)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	int node, n = 0;

	for (node = fdt_next_node(&f, -1, NULL); node >= 0;
	     node = fdt_next_node(&f, node, NULL)) {
		if (fdt_node_is_memory(&f, node)) {
			CHECK(!strncmp(fdt_node_name(&f, node), "memory@", 7));
			n++;
		}
	}
	CHECK_EQ(n, 2);
	CHECK(!fdt_node_is_memory(&f, path(&f, "/cpus/cpu@0")));
	CHECK(!fdt_node_is_memory(&f, path(&f, "/reserved-memory")));
	CHECK(!fdt_node_is_memory(&f, 0));
	CHECK(!fdt_node_is_memory(&f, -ENOENT));
	free(blob);
}

TEST(enabled)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);

	CHECK(fdt_node_is_enabled(&f, 0));
	CHECK(fdt_node_is_enabled(&f, path(&f, "/soc/serial@10000000")));
	CHECK(fdt_node_is_enabled(&f, path(&f, "/cpus/cpu@0")));
	CHECK(fdt_node_is_enabled(&f, path(&f, "/cpus/cpu@1")));
	CHECK(!fdt_node_is_enabled(&f, path(&f, "/cpus/cpu@2")));
	CHECK(!fdt_node_is_enabled(&f, path(&f, "/soc/serial@10001000")));
	/* An unterminated status is not "okay". */
	CHECK(!fdt_node_is_enabled(&f, path(&f, "/soc/strange")));
	CHECK(!fdt_node_is_enabled(&f, -ENOENT));
	CHECK(!fdt_node_is_enabled(&f, -EINVAL));
	CHECK(!fdt_node_is_enabled(&f, 16));
	free(blob);
}

/* ---- addresses ---- */

TEST(cells)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);

	CHECK_EQ(fdt_address_cells(&f, 0), 2);
	CHECK_EQ(fdt_size_cells(&f, 0), 2);
	CHECK_EQ(fdt_address_cells(&f, path(&f, "/cpus")), 1);
	CHECK_EQ(fdt_size_cells(&f, path(&f, "/cpus")), 0);
	CHECK_EQ(fdt_address_cells(&f, path(&f, "/soc/bus32")), 1);
	CHECK_EQ(fdt_size_cells(&f, path(&f, "/soc/bus32")), 1);
	CHECK_EQ(fdt_address_cells(&f, path(&f, "/soc/weird")), 3);
	/* The spec's defaults where nothing is said. */
	CHECK_EQ(fdt_address_cells(&f, path(&f, "/chosen")), 2);
	CHECK_EQ(fdt_size_cells(&f, path(&f, "/chosen")), 1);
	CHECK_EQ(fdt_address_cells(&f, -ENOENT), 2);
	CHECK_EQ(fdt_size_cells(&f, -ENOENT), 1);
	free(blob);
}

TEST(read_reg)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	u64 a = 0, s = 0;
	int node;

	node = path(&f, "/memory@80000000");
	CHECK_EQ(fdt_read_reg(&f, node, 0, &a, &s), 0);
	CHECK_EQ(a, 0x80000000);
	CHECK_EQ(s, 0x80000000);
	CHECK_EQ(fdt_read_reg(&f, node, 1, &a, &s), -ENOENT);

	node = path(&f, "/memory@100000000");
	CHECK_EQ(fdt_read_reg(&f, node, 0, &a, &s), 0);
	CHECK_EQ(a, 0x100000000ull);
	CHECK_EQ(s, 0x40000000);
	CHECK_EQ(fdt_read_reg(&f, node, 1, &a, &s), 0);
	CHECK_EQ(a, 0x200000000ull);
	CHECK_EQ(s, 0x10000000);
	CHECK_EQ(fdt_read_reg(&f, node, 2, &a, &s), -ENOENT);
	CHECK_EQ(fdt_read_reg(&f, node, 0x7fffffff, &a, &s), -ENOENT);
	CHECK_EQ(fdt_read_reg(&f, node, -1, &a, &s), -EINVAL);
	CHECK_EQ(fdt_read_reg(&f, node, 1, NULL, NULL), 0);

	node = path(&f, "/reserved-memory/mmode_resv0@80000000");
	CHECK_EQ(fdt_read_reg(&f, node, 0, &a, &s), 0);
	CHECK_EQ(a, 0x80000000);
	CHECK_EQ(s, 0x40000);

	CHECK_EQ(fdt_read_reg(&f, path(&f, "/soc/serial"), 0, &a, &s), 0);
	CHECK_EQ(a, 0x10000000);
	CHECK_EQ(s, 0x100);

	/* One address cell and one size cell, from the parent bus32. */
	node = path(&f, "/soc/bus32/dev");
	CHECK_EQ(fdt_read_reg(&f, node, 1, &a, &s), 0);
	CHECK_EQ(a, 0x20003000);
	CHECK_EQ(s, 0x100);
	CHECK_EQ(fdt_read_reg(&f, node, 0, &a, &s), 0);
	CHECK_EQ(a, 0x20001000);
	CHECK_EQ(s, 0x1000);

	/* #size-cells 0 under /cpus: the size is 0. */
	s = 99;
	CHECK_EQ(fdt_read_reg(&f, path(&f, "/cpus/cpu@1"), 0, &a, &s), 0);
	CHECK_EQ(a, 1);
	CHECK_EQ(s, 0);

	/* Errors: no reg, 3 address cells, a reg of the wrong length. */
	CHECK_EQ(fdt_read_reg(&f, path(&f, "/chosen"), 0, &a, &s), -ENOENT);
	CHECK_EQ(fdt_read_reg(&f, path(&f, "/soc/weird/child"), 0, &a, &s),
		 -EINVAL);
	CHECK_EQ(fdt_read_reg(&f, path(&f, "/soc/badreg"), 0, &a, &s), -EINVAL);
	CHECK_EQ(fdt_read_reg(&f, -ENOENT, 0, &a, &s), -ENOENT);
	CHECK_EQ(fdt_read_reg(&f, 20, 0, &a, &s), -EINVAL);
	free(blob);
}

/* Small trees with one cell count or reg shape each. */
static uint8_t *build_cells_tree(int ac, int sc, const uint32_t *reg, int n,
				 size_t *len)
{
	struct builder *b = builder_new();
	uint8_t cells[64];

	begin_node(b, "");
	if (ac >= 0)
		prop_u32(b, "#address-cells", ac);
	if (sc >= 0)
		prop_u32(b, "#size-cells", sc);
	begin_node(b, "dev@0");
	for (int i = 0; i < n; i++)
		put32(cells + 4 * i, reg[i]);
	prop(b, "reg", cells, 4 * n);
	end_node(b);
	end_node(b);
	raw32(b, T_END);
	return finish(b, len);
}

static int reg_of(int ac, int sc, const uint32_t *reg, int n, u64 *a, u64 *s)
{
	uint8_t *blob;
	size_t len;
	struct fdt f;
	int ret;

	blob = build_cells_tree(ac, sc, reg, n, &len);
	CHECK_EQ(fdt_init(&f, blob), 0);
	ret = fdt_read_reg(&f, fdt_path_offset(&f, "/dev"), 0, a, s);
	free(blob);
	return ret;
}

TEST(read_reg_cell_counts)
{
	static const uint32_t reg[] = {0x11111111, 0x22222222, 0x33333333,
				       0x44444444};
	u64 a = 0, s = 0;

	/* No cell counts given: defaults 2 and 1. */
	CHECK_EQ(reg_of(-1, -1, reg, 3, &a, &s), 0);
	CHECK_EQ(a, 0x1111111122222222ull);
	CHECK_EQ(s, 0x33333333);
	CHECK_EQ(reg_of(1, 2, reg, 3, &a, &s), 0);
	CHECK_EQ(a, 0x11111111);
	CHECK_EQ(s, 0x2222222233333333ull);
	CHECK_EQ(reg_of(2, 2, reg, 4, &a, &s), 0);
	CHECK_EQ(a, 0x1111111122222222ull);
	CHECK_EQ(s, 0x3333333344444444ull);
	CHECK_EQ(reg_of(1, 0, reg, 1, &a, &s), 0);
	CHECK_EQ(a, 0x11111111);
	CHECK_EQ(s, 0);
	CHECK_EQ(reg_of(0, 1, reg, 1, &a, &s), -EINVAL);
	CHECK_EQ(reg_of(2, 3, reg, 4, &a, &s), -EINVAL);
	CHECK_EQ(reg_of(0x40000000, 0x40000000, reg, 4, &a, &s), -EINVAL);
	CHECK_EQ(reg_of(2, 1, reg, 4, &a, &s), -EINVAL);
	CHECK_EQ(reg_of(2, 1, reg, 0, &a, &s), -ENOENT);
}

/* ---- the memory reservation block ---- */

TEST(mem_rsv)
{
	uint8_t *blob;
	struct fdt f = virt(&blob);
	u64 a = 0, s = 0;

	CHECK_EQ(fdt_get_mem_rsv(&f, 0, &a, &s), 0);
	CHECK_EQ(a, 0x80000000);
	CHECK_EQ(s, 0x40000);
	CHECK_EQ(fdt_get_mem_rsv(&f, 1, &a, &s), 0);
	CHECK_EQ(a, 0x188000000ull);
	CHECK_EQ(s, 0x200000);
	CHECK_EQ(fdt_get_mem_rsv(&f, 2, &a, &s), -ENOENT);
	CHECK_EQ(fdt_get_mem_rsv(&f, 1000, &a, &s), -ENOENT);
	CHECK_EQ(fdt_get_mem_rsv(&f, 0x7fffffff, &a, &s), -ENOENT);
	CHECK_EQ(fdt_get_mem_rsv(&f, -1, &a, &s), -EINVAL);
	CHECK_EQ(fdt_get_mem_rsv(&f, 0, NULL, NULL), 0);
	free(blob);
}

static uint8_t *build_tiny(struct builder *b, size_t *len)
{
	begin_node(b, "");
	begin_node(b, "a");
	end_node(b);
	end_node(b);
	raw32(b, T_END);
	return finish(b, len);
}

TEST(mem_rsv_edges)
{
	struct builder *b;
	uint8_t *blob;
	size_t len;
	struct fdt f;
	u64 a, s;

	/* Empty: just the terminator. */
	blob = build_tiny(builder_new(), &len);
	CHECK_EQ(fdt_init(&f, blob), 0);
	CHECK_EQ(fdt_get_mem_rsv(&f, 0, &a, &s), -ENOENT);
	free(blob);

	/* An entry of size 0 is not the terminator; only (0, 0) is. */
	b = builder_new();
	rsv(b, 0x1000, 0);
	rsv(b, 0, 0x2000);
	blob = build_tiny(b, &len);
	CHECK_EQ(fdt_init(&f, blob), 0);
	CHECK_EQ(fdt_get_mem_rsv(&f, 1, &a, &s), 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(s, 0x2000);
	CHECK_EQ(fdt_get_mem_rsv(&f, 2, &a, &s), -ENOENT);
	free(blob);

	/* No terminator before the structure block: malformed. */
	b = builder_new();
	rsv(b, 0x1000, 0x1000);
	b->no_rsv_end = true;
	blob = build_tiny(b, &len);
	CHECK_EQ(fdt_init(&f, blob), -EINVAL);
	free(blob);

	/* Reservation block after the strings block, ending at totalsize. */
	b = builder_new();
	begin_node(b, "");
	end_node(b);
	raw32(b, T_END);
	blob = finish(b, &len);
	blob = realloc(blob, len + 32);
	put64(blob + len, 0xabc000);
	put64(blob + len + 8, 0x1000);
	put32(blob + 16, len);
	put32(blob + 4, len + 16);
	CHECK_EQ(fdt_init(&f, blob), -EINVAL);
	put64(blob + len + 16, 0);
	put64(blob + len + 24, 0);
	put32(blob + 4, len + 32);
	CHECK_EQ(fdt_init(&f, blob), 0);
	CHECK_EQ(fdt_get_mem_rsv(&f, 0, &a, &s), 0);
	CHECK_EQ(a, 0xabc000);
	CHECK_EQ(fdt_get_mem_rsv(&f, 1, &a, &s), -ENOENT);
	free(blob);
}

/* ---- hand-made malformed structure blocks ---- */

static int init_built(struct builder *b, struct fdt *f, uint8_t **blobp)
{
	size_t len;

	*blobp = finish(b, &len);
	return fdt_init(f, *blobp);
}

TEST(bad_names)
{
	struct builder *b;
	uint8_t *blob;
	struct fdt f;
	int len;

	/* The root's name runs to the end of the structure block. */
	b = builder_new();
	raw32(b, T_BEGIN_NODE);
	raw_bytes(b, "abcd", 4);
	CHECK_EQ(init_built(b, &f, &blob), -EINVAL);
	free(blob);

	/* A child's name runs into the end of the block. */
	b = builder_new();
	begin_node(b, "");
	raw32(b, T_BEGIN_NODE);
	raw_bytes(b, "abcdefgh", 8);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	CHECK_EQ(fdt_next_node(&f, 0, NULL), -EINVAL);
	CHECK_EQ(fdt_first_child(&f, 0), -EINVAL);
	CHECK(fdt_node_name(&f, 8) == NULL);
	free(blob);

	/* A property name past the strings block, or unterminated in it. */
	b = builder_new();
	begin_node(b, "");
	prop_u32(b, "x", 1);
	prop_u32(b, "last", 2);
	raw32(b, T_PROP);
	raw32(b, 0);
	raw32(b, 0x1000);
	end_node(b);
	raw32(b, T_END);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	CHECK(fdt_getprop(&f, 0, "x", &len) != NULL);
	CHECK(fdt_getprop(&f, 0, "nothere", &len) == NULL);
	CHECK_EQ(len, -EINVAL);
	/* Cut the NUL off "last", the final name in the strings block. */
	put32(blob + 32, get32(blob + 32) - 1);
	CHECK_EQ(fdt_init(&f, blob), 0);
	CHECK(fdt_getprop(&f, 0, "x", &len) != NULL);
	CHECK(fdt_getprop(&f, 0, "last", &len) == NULL);
	CHECK_EQ(len, -EINVAL);
	free(blob);
}

TEST(bad_props)
{
	struct builder *b;
	uint8_t *blob;
	struct fdt f;
	int len;

	/* A length running far past the block, in both ways it can wrap. */
	for (int i = 0; i < 3; i++) {
		static const uint32_t lens[] = {0xfffffff0, 0xffffffff, 64};

		b = builder_new();
		begin_node(b, "");
		raw32(b, T_PROP);
		raw32(b, lens[i]);
		raw32(b, string_off(b, "big"));
		begin_node(b, "child");
		end_node(b);
		end_node(b);
		raw32(b, T_END);
		CHECK_EQ(init_built(b, &f, &blob), 0);
		CHECK(fdt_getprop(&f, 0, "big", &len) == NULL);
		CHECK_EQ(len, -EINVAL);
		CHECK_EQ(fdt_next_node(&f, 0, NULL), -EINVAL);
		CHECK_EQ(fdt_first_child(&f, 0), -EINVAL);
		CHECK_EQ(fdt_path_offset(&f, "/child"), -EINVAL);
		CHECK(!fdt_node_is_enabled(&f, 0));
		free(blob);
	}

	/* A property cut short by the end of the block. */
	b = builder_new();
	begin_node(b, "");
	raw32(b, T_PROP);
	raw32(b, 0);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	CHECK(fdt_getprop(&f, 0, "x", &len) == NULL);
	CHECK_EQ(len, -EINVAL);
	free(blob);
}

TEST(bad_structure)
{
	struct builder *b;
	uint8_t *blob;
	struct fdt f;
	int depth, node, n;

	/* An unknown tag. */
	b = builder_new();
	begin_node(b, "");
	begin_node(b, "a");
	raw32(b, 7);
	end_node(b);
	end_node(b);
	raw32(b, T_END);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	node = fdt_path_offset(&f, "/a");
	CHECK(node > 0);
	CHECK_EQ(fdt_next_node(&f, node, NULL), -EINVAL);
	CHECK_EQ(fdt_next_sibling(&f, node), -EINVAL);
	CHECK_EQ(fdt_first_child(&f, node), -EINVAL);
	CHECK(fdt_getprop(&f, node, "x", &n) == NULL);
	CHECK_EQ(n, -EINVAL);
	free(blob);

	/* No FDT_END, and FDT_END before the nodes are closed. */
	b = builder_new();
	begin_node(b, "");
	begin_node(b, "a");
	end_node(b);
	end_node(b);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	node = fdt_next_node(&f, 0, NULL);
	CHECK(node > 0);
	CHECK_EQ(fdt_next_node(&f, node, NULL), -EINVAL);
	CHECK_EQ(fdt_next_sibling(&f, 0), -EINVAL);
	free(blob);

	b = builder_new();
	begin_node(b, "");
	begin_node(b, "a");
	raw32(b, T_END);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	node = fdt_path_offset(&f, "/a");
	CHECK_EQ(fdt_next_sibling(&f, node), -EINVAL);
	CHECK_EQ(fdt_next_sibling(&f, 0), -EINVAL);
	CHECK_EQ(fdt_next_node(&f, node, NULL), -ENOENT);
	CHECK_EQ(fdt_parent(&f, node), 0);
	free(blob);

	/* Extra FDT_END_NODEs: the walk still ends, depths go negative. */
	b = builder_new();
	begin_node(b, "");
	end_node(b);
	end_node(b);
	end_node(b);
	begin_node(b, "stray");
	end_node(b);
	raw32(b, T_END);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	depth = 5;
	node = fdt_next_node(&f, -1, &depth);
	CHECK_EQ(depth, 0);
	node = fdt_next_node(&f, node, &depth);
	CHECK(node > 0);
	CHECK_EQ(depth, -2);
	CHECK_STR(fdt_node_name(&f, node), "stray");
	CHECK_EQ(fdt_parent(&f, node), -EINVAL);
	CHECK_EQ(fdt_next_node(&f, node, &depth), -ENOENT);
	CHECK_EQ(fdt_path_offset(&f, "/stray"), -ENOENT);
	free(blob);

	/* Deep nesting is just a longer walk. */
	b = builder_new();
	for (int i = 0; i < 500; i++)
		begin_node(b, "d");
	for (int i = 0; i < 500; i++)
		end_node(b);
	raw32(b, T_END);
	CHECK_EQ(init_built(b, &f, &blob), 0);
	n = 0;
	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth))
		n++;
	CHECK_EQ(n, 500);
	CHECK_EQ(depth, 499);
	CHECK_EQ(fdt_parent(&f, 8 * 499), 8 * 498);
	free(blob);
}

/* ---- robustness against damaged blobs ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* Keeps the compiler from dropping reads that ASan should check. */
static volatile unsigned int sink;

static void touch(const void *p, int len)
{
	const uint8_t *b = p;

	for (int i = 0; i < len; i++)
		sink += b[i];
}

#define WALK_LIMIT 20000

static const char *const common_props[] = {
	"compatible",	  "reg",	 "status",   "device_type",
	"#address-cells", "#size-cells", "bootargs", "timebase-frequency",
	"no-map",	  "model",	 "ranges",   "x",
};

static const char *const common_paths[] = {
	"/",
	"/chosen",
	"/memory",
	"/memory@100000000",
	"/reserved-memory",
	"/reserved-memory/mmode_resv0",
	"/cpus",
	"/cpus/cpu@0",
	"/soc/serial@10000000",
	"/soc/bus32/dev",
	"/nothing/here",
};

/* Everything an arch layer might ask of one node. */
static void poke_node(const struct fdt *f, int node)
{
	const char *s;
	const void *p;
	u64 a, sz;
	u32 v;
	int len;

	s = fdt_node_name(f, node);
	if (s)
		sink += strlen(s);
	for (size_t i = 0; i < sizeof(common_props) / sizeof(*common_props);
	     i++) {
		p = fdt_getprop(f, node, common_props[i], &len);
		if (p)
			touch(p, len);
		s = fdt_getprop_str(f, node, common_props[i]);
		if (s)
			sink += strlen(s);
		sink += fdt_getprop_u32(f, node, common_props[i], &v);
	}
	sink += fdt_node_is_compatible(f, node, "ns16550a");
	sink += fdt_node_is_memory(f, node) + fdt_node_is_enabled(f, node);
	sink += fdt_address_cells(f, node) + fdt_size_cells(f, node);
	for (int i = 0; i < 3; i++)
		sink += fdt_read_reg(f, node, i, &a, &sz);
	sink += fdt_parent(f, node) + fdt_first_child(f, node) +
		fdt_next_sibling(f, node);
}

/* A full walk of one blob; false if some loop failed to end. */
static bool walk_all(const uint8_t *blob)
{
	struct fdt f;
	int node, prev, depth = 0, steps;
	u64 a, s;

	if (fdt_init(&f, blob) < 0)
		return true;
	steps = 0;
	prev = -1;
	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth)) {
		if (++steps > WALK_LIMIT || node <= prev)
			return false;
		prev = node;
		poke_node(&f, node);
	}
	steps = 0;
	for (node = fdt_first_child(&f, 0); node >= 0;
	     node = fdt_next_sibling(&f, node)) {
		if (++steps > WALK_LIMIT)
			return false;
	}
	for (size_t i = 0; i < sizeof(common_paths) / sizeof(*common_paths);
	     i++)
		poke_node(&f, fdt_path_offset(&f, common_paths[i]));
	steps = 0;
	for (node = fdt_find_compatible(&f, -1, "ns16550a"); node >= 0;
	     node = fdt_find_compatible(&f, node, "ns16550a")) {
		if (++steps > WALK_LIMIT)
			return false;
	}
	for (int i = 0; fdt_get_mem_rsv(&f, i, &a, &s) == 0; i++) {
		if (i > WALK_LIMIT)
			return false;
	}
	/* Arbitrary offsets must be refused or handled, never misread. */
	for (int i = 0; i < 8; i++)
		poke_node(&f, (int)rnd_below(f.size_struct + 16));
	return true;
}

static void mutate(uint8_t *b, size_t len)
{
	static const uint32_t tags[] = {1, 2, 3, 4, 9, 0, 7, 0xffffffff};
	uint32_t off = get32(b + 8), size = get32(b + 36), pos;

	switch (rnd_below(6)) {
	case 0: /* random bytes anywhere */
		for (int n = 1 + rnd_below(8); n; n--)
			b[rnd_below(len)] ^= 1u << rnd_below(8);
		break;
	case 1: /* a header field, from small nudges to anything */
		pos = 4 * (1 + rnd_below(9));
		if (rnd_below(2))
			put32(b + pos, get32(b + pos) + rnd_below(64) - 32);
		else if (rnd_below(2))
			put32(b + pos, rnd_below(len + 64));
		else
			put32(b + pos, rnd());
		break;
	case 2: /* a tag in the structure block */
		if (off < len && size >= 4 && off + size <= len) {
			pos = off + 4 * rnd_below(size / 4);
			put32(b + pos, tags[rnd_below(8)]);
		}
		break;
	case 3: /* a word that might be a property length or name offset */
		if (off < len && size >= 4 && off + size <= len) {
			pos = off + 4 * rnd_below(size / 4);
			put32(b + pos, rnd_below(2) ? rnd() : rnd_below(256));
		}
		break;
	case 4: /* strings block end, rarely its NULs */
		pos = get32(b + 12) + get32(b + 32) - 1;
		if (pos < len)
			b[pos] = 'A' + rnd_below(26);
		break;
	default: /* reservation entries */
		pos = HDR_SIZE + rnd_below(48);
		if (pos < len)
			b[pos] = rnd();
		break;
	}
}

/*
 * One damaged copy in an allocation exactly as long as its totalsize
 * claims: reads past that are the caller's fault, not the reader's.
 */
static uint8_t *damaged_copy(const uint8_t *orig, size_t len, size_t *outlen)
{
	size_t n = len, total;
	uint8_t *b;

	if (rnd_below(4) == 0)
		n = 8 + rnd_below(len - 8);
	b = malloc(len);
	memcpy(b, orig, len);
	for (int i = 1 + rnd_below(3); i; i--)
		mutate(b, len);
	if (n < len)
		put32(b + 4, n);
	total = get32(b + 4);
	if (get32(b) == FDT_MAGIC && total > n) {
		if (total > len + 4096) {
			put32(b + 4, n);
			total = n;
		}
		n = total;
	}
	b = realloc(b, n);
	for (size_t i = len; i < n; i++)
		b[i] = rnd();
	*outlen = n;
	return b;
}

TEST(damaged_blobs)
{
	uint8_t *orig, *b;
	size_t len, n;
	int bad = 0, parsed = 0;

	orig = build_virt(&len);
	CHECK(walk_all(orig));
	for (int i = 0; i < 5000; i++) {
		b = damaged_copy(orig, len, &n);
		if (!walk_all(b))
			bad++;
		{
			struct fdt f;

			parsed += fdt_init(&f, b) == 0;
		}
		free(b);
	}
	CHECK_EQ(bad, 0);
	/* Most copies should get past fdt_init, or little was tested. */
	CHECK(parsed > 2000);
	printf("# damaged blobs: %d of 5000 passed fdt_init\n", parsed);
	free(orig);
}

TEST_MAIN()
