/*
 * A reader for flattened device trees.
 *
 * On RISC-V the firmware (OpenSBI) hands the kernel a device tree blob
 * at boot, and it is the only description of the machine there is. The
 * arch code uses this reader to find the memory nodes, the children of
 * /reserved-memory (OpenSBI's own region is one; newer OpenSBI marks it
 * no-map, v1.1 does not, so every child must be kept out of the
 * allocator), the bootargs in /chosen, the UART (compatible "ns16550a")
 * and the timebase-frequency under /cpus.
 *
 * The blob is not trusted. Every read is checked against the sizes in
 * its header, names and string properties must end inside their block,
 * and every walk moves strictly forward through the structure block, so
 * a damaged blob gives negative errors, never a wild read or an endless
 * loop. The one thing taken on faith is that the header's totalsize
 * bytes really are there: the API has no other length to go by.
 *
 * Values are big-endian and read a byte at a time, so it never matters
 * how the blob happens to be aligned in memory.
 *
 * Offsets: a node is named by the offset of its FDT_BEGIN_NODE tag in
 * the structure block. fdt_next_node() starts at the root when given -1
 * (setting *depth to 0) and then adds the change in depth to *depth.
 * Other negative node values are errors and are passed back unchanged,
 * so a failed lookup can be handed straight on.
 */
#include <pagoda/compiler.h>
#include <pagoda/errno.h>
#include <pagoda/fdt.h>
#include <pagoda/string.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9

/* Byte offsets of the header's fields, all big-endian u32s. */
#define HDR_MAGIC	 0
#define HDR_TOTALSIZE	 4
#define HDR_OFF_STRUCT	 8
#define HDR_OFF_STRINGS	 12
#define HDR_OFF_RSVMAP	 16
#define HDR_VERSION	 20
#define HDR_LAST_COMP	 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT	 36

/* Version 17 added size_dt_struct; 16 is the oldest with today's layout. */
#define HDR_V16_SIZE	36
#define HDR_V17_SIZE	40
#define FDT_MIN_VERSION 16
#define FDT_OUR_VERSION 17

#define RSV_ENTRY_SIZE 16

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 be64(const u8 *p)
{
	return (u64)be32(p) << 32 | be32(p + 4);
}

static u32 hdr(const void *blob, u32 field)
{
	return be32((const u8 *)blob + field);
}

static const u8 *struct_ptr(const struct fdt *fdt, u32 off)
{
	return fdt->blob + fdt->off_struct + off;
}

u32 fdt_header_size(const void *blob)
{
	if (!blob || hdr(blob, HDR_MAGIC) != FDT_MAGIC)
		return 0;
	return hdr(blob, HDR_TOTALSIZE);
}

/*
 * The tag at @off in the structure block; *next is set to the offset of
 * the tag after it. Everything the tag covers is checked to lie inside
 * the block, and *next > off always, which is what makes every walk in
 * this file finite.
 */
static int next_tag(const struct fdt *fdt, u32 off, u32 *next)
{
	const u8 *p;
	u32 avail, len;
	u64 end;

	if (off % 4 || (u64)off + 4 > fdt->size_struct)
		return -EINVAL;
	p = struct_ptr(fdt, off);
	avail = fdt->size_struct - off - 4;
	switch (be32(p)) {
	case FDT_BEGIN_NODE:
		len = strnlen((const char *)p + 4, avail);
		if (len == avail)
			return -EINVAL;
		end = (u64)off + 4 + len + 1;
		break;
	case FDT_PROP:
		if (avail < 8)
			return -EINVAL;
		end = (u64)off + 12 + be32(p + 4);
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		end = (u64)off + 4;
		break;
	default:
		return -EINVAL;
	}
	end = ALIGN(end, 4);
	if (end > fdt->size_struct)
		return -EINVAL;
	*next = (u32)end;
	return (int)be32(p);
}

/*
 * Checks that @node is the start of a node and returns the offset just
 * past its name, where its properties begin.
 */
static int node_body(const struct fdt *fdt, int node)
{
	u32 next;

	if (node < 0)
		return node;
	if (next_tag(fdt, (u32)node, &next) != FDT_BEGIN_NODE)
		return -EINVAL;
	return (int)next;
}

/* The offset of the first tag at or after @off that is not a property. */
static int skip_props(const struct fdt *fdt, int off, int *tag)
{
	u32 next;
	int t;

	for (;;) {
		t = next_tag(fdt, (u32)off, &next);
		if (t < 0)
			return t;
		if (t != FDT_PROP && t != FDT_NOP) {
			*tag = t;
			return off;
		}
		off = (int)next;
	}
}

/* The offset just past @node's FDT_END_NODE. */
static int node_end(const struct fdt *fdt, int node)
{
	int off = node_body(fdt, node);
	int depth = 1;
	int tag;
	u32 next;

	while (off >= 0 && depth > 0) {
		tag = next_tag(fdt, (u32)off, &next);
		if (tag < 0)
			return tag;
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE)
			depth--;
		else if (tag == FDT_END)
			return -EINVAL;
		off = (int)next;
	}
	return off;
}

static int rsv_entry(const struct fdt *fdt, u32 end, int idx, u64 *addr,
		     u64 *size)
{
	u64 off = fdt->off_rsvmap + (u64)idx * RSV_ENTRY_SIZE;

	if (off + RSV_ENTRY_SIZE > end)
		return -EINVAL;
	*addr = be64(fdt->blob + off);
	*size = be64(fdt->blob + off + 8);
	return *addr || *size ? 0 : -ENOENT;
}

/* The reservation block has no size: it runs up to the next block. */
static u32 rsvmap_end(const struct fdt *fdt)
{
	u32 end = fdt->totalsize;

	if (fdt->off_struct > fdt->off_rsvmap)
		end = min(end, fdt->off_struct);
	if (fdt->off_strings > fdt->off_rsvmap)
		end = min(end, fdt->off_strings);
	return end;
}

int fdt_get_mem_rsv(const struct fdt *fdt, int idx, u64 *addr, u64 *size)
{
	u32 end = rsvmap_end(fdt);
	u64 a, s;
	int i, ret;

	if (idx < 0)
		return -EINVAL;
	/* An earlier terminator ends the list, so every entry is looked at. */
	for (i = 0;; i++) {
		ret = rsv_entry(fdt, end, i, &a, &s);
		if (ret < 0)
			return ret;
		if (i == idx)
			break;
	}
	if (addr)
		*addr = a;
	if (size)
		*size = s;
	return 0;
}

static bool block_fits(u32 off, u32 size, u32 hsize, u32 total)
{
	return off >= hsize && (u64)off + size <= total;
}

static int check_blob(struct fdt *f, const u8 *b, u32 version)
{
	u32 hsize = version >= FDT_OUR_VERSION ? HDR_V17_SIZE : HDR_V16_SIZE;
	u32 next;
	u64 a, s;
	int i, ret;

	if (f->off_struct % 4 || f->off_struct >= f->totalsize)
		return -EINVAL;
	/* Before v17 the structure block's size was not recorded. */
	if (version >= FDT_OUR_VERSION)
		f->size_struct = hdr(b, HDR_SIZE_STRUCT);
	else
		f->size_struct = f->totalsize - f->off_struct;
	if (!block_fits(f->off_struct, f->size_struct, hsize, f->totalsize) ||
	    !block_fits(f->off_strings, f->size_strings, hsize, f->totalsize) ||
	    !block_fits(f->off_rsvmap, 0, hsize, f->totalsize))
		return -EINVAL;
	/* The whole API names the root as offset 0, so it must come first. */
	if (next_tag(f, 0, &next) != FDT_BEGIN_NODE)
		return -EINVAL;
	for (i = 0;; i++) {
		ret = rsv_entry(f, rsvmap_end(f), i, &a, &s);
		if (ret == -ENOENT)
			return 0;
		if (ret < 0)
			return ret;
	}
}

int fdt_init(struct fdt *fdt, const void *blob)
{
	struct fdt f = {0};
	u32 version;
	int ret;

	if (!fdt)
		return -EINVAL;
	*fdt = f;
	if (!fdt_header_size(blob))
		return -EINVAL;
	f.blob = blob;
	f.totalsize = hdr(blob, HDR_TOTALSIZE);
	/*
	 * Only magic and totalsize are known to be there until totalsize
	 * says the rest is; offsets are handed out as int, hence the cap.
	 */
	if (f.totalsize < HDR_V17_SIZE || f.totalsize > INT32_MAX)
		return -EINVAL;
	/* last_comp_version > 17 would mean a v17 reader cannot follow it. */
	version = hdr(blob, HDR_VERSION);
	if (version < FDT_MIN_VERSION ||
	    hdr(blob, HDR_LAST_COMP) > FDT_OUR_VERSION)
		return -EINVAL;
	f.off_struct = hdr(blob, HDR_OFF_STRUCT);
	f.off_strings = hdr(blob, HDR_OFF_STRINGS);
	f.size_strings = hdr(blob, HDR_SIZE_STRINGS);
	f.off_rsvmap = hdr(blob, HDR_OFF_RSVMAP);
	ret = check_blob(&f, blob, version);
	if (ret < 0)
		return ret;
	*fdt = f;
	return 0;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int off, tag, delta = 1;
	u32 next;

	if (node == -1) {
		if (next_tag(fdt, 0, &next) != FDT_BEGIN_NODE)
			return -EINVAL;
		if (depth)
			*depth = 0;
		return 0;
	}
	off = node_body(fdt, node);
	if (off < 0)
		return off;
	/* delta: where the next node sits relative to @node's depth. */
	for (;; off = (int)next) {
		tag = next_tag(fdt, (u32)off, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth)
				*depth += delta;
			return off;
		case FDT_END_NODE:
			delta--;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		case FDT_END:
			return -ENOENT;
		default:
			return tag;
		}
	}
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	int off = node_body(fdt, node);
	int tag = 0;

	if (off < 0)
		return off;
	off = skip_props(fdt, off, &tag);
	if (off < 0)
		return off;
	if (tag == FDT_BEGIN_NODE)
		return off;
	return tag == FDT_END_NODE ? -ENOENT : -EINVAL;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	int off = node_end(fdt, node);
	int tag = 0;

	if (off < 0)
		return off;
	off = skip_props(fdt, off, &tag);
	if (off < 0)
		return off;
	if (tag == FDT_BEGIN_NODE)
		return off;
	/* The parent's FDT_END_NODE, or FDT_END after the root. */
	return -ENOENT;
}

/* How deep @node is: the blob has no parent links, so walk from the root. */
static int node_depth(const struct fdt *fdt, int node, int *depth)
{
	int n;

	*depth = 0;
	n = 0;
	while (n >= 0 && n < node)
		n = fdt_next_node(fdt, n, depth);
	if (n == node)
		return 0;
	/* Walked past it: @node was a lookalike inside some property. */
	return n < 0 && n != -ENOENT ? n : -EINVAL;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int off = node_body(fdt, node);
	int n, depth, target, parent = -EINVAL;

	if (off < 0)
		return off;
	if (node == 0)
		return -ENOENT;
	off = node_depth(fdt, node, &target);
	if (off < 0)
		return off;
	/* Only stray nodes after the root's end can be this shallow. */
	if (target < 1)
		return -EINVAL;
	/* The parent is the last node one level up before @node. */
	depth = 0;
	for (n = 0; n >= 0 && n < node; n = fdt_next_node(fdt, n, &depth)) {
		if (depth == target - 1)
			parent = n;
	}
	return parent;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	if (node_body(fdt, node) < 0)
		return NULL;
	return (const char *)struct_ptr(fdt, (u32)node + 4);
}

/*
 * Does node name @name match the @len bytes of path component @comp?
 * "memory" matches "memory@80000000", but "memory@0" only itself.
 */
static bool name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len))
		return false;
	if (name[len] == '\0')
		return true;
	return name[len] == '@' && !memchr(comp, '@', len);
}

static int find_child(const struct fdt *fdt, int parent, const char *comp,
		      size_t len)
{
	int n;

	for (n = fdt_first_child(fdt, parent); n >= 0;
	     n = fdt_next_sibling(fdt, n)) {
		if (name_matches(fdt_node_name(fdt, n), comp, len))
			return n;
	}
	return n;
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	const char *slash;
	size_t len;
	int node = 0;

	if (!path || path[0] != '/' || node_body(fdt, 0) < 0)
		return -EINVAL;
	for (;;) {
		while (*path == '/')
			path++;
		if (!*path)
			return node;
		slash = strchr(path, '/');
		len = slash ? (size_t)(slash - path) : strlen(path);
		node = find_child(fdt, node, path, len);
		if (node < 0)
			return node;
		path += len;
	}
}

/* A property's name from the strings block, if it ends inside the block. */
static const char *string_at(const struct fdt *fdt, u32 off)
{
	const char *s;
	u32 avail;

	if (off >= fdt->size_strings)
		return NULL;
	s = (const char *)fdt->blob + fdt->off_strings + off;
	avail = fdt->size_strings - off;
	return strnlen(s, avail) < avail ? s : NULL;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			int *len)
{
	int off = node_body(fdt, node);
	int tag, err;
	const char *pname;
	const u8 *p;
	u32 next;

	if (!name)
		off = -EINVAL;
	for (err = off; off >= 0; off = (int)next) {
		tag = next_tag(fdt, (u32)off, &next);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP) {
			if (tag == FDT_BEGIN_NODE || tag == FDT_END_NODE)
				err = -ENOENT;
			else
				err = tag < 0 ? tag : -EINVAL;
			break;
		}
		p = struct_ptr(fdt, (u32)off);
		pname = string_at(fdt, be32(p + 8));
		if (!pname) {
			err = -EINVAL;
			break;
		}
		if (!strcmp(pname, name)) {
			/* next_tag() checked it fits, and blocks are < 2G. */
			if (len)
				*len = (int)be32(p + 4);
			return p + 12;
		}
	}
	if (len)
		*len = err;
	return NULL;
}

int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, u32 *val)
{
	const u8 *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return len;
	if (len != 4)
		return -EINVAL;
	if (val)
		*val = be32(p);
	return 0;
}

/* @len bytes at @s hold at least one complete string. */
static bool has_string(const char *s, int len)
{
	return len > 0 && strnlen(s, (size_t)len) < (size_t)len;
}

const char *fdt_getprop_str(const struct fdt *fdt, int node, const char *name)
{
	const char *s;
	int len;

	s = fdt_getprop(fdt, node, name, &len);
	return s && has_string(s, len) ? s : NULL;
}

bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	const char *s;
	size_t n;
	int len;

	s = fdt_getprop(fdt, node, "compatible", &len);
	if (!s || !compat)
		return false;
	/* A list of strings, most specific first; each must be complete. */
	while (has_string(s, len)) {
		if (!strcmp(s, compat))
			return true;
		n = strlen(s) + 1;
		s += n;
		len -= (int)n;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *fdt, int node, const char *compat)
{
	for (;;) {
		node = fdt_next_node(fdt, node, NULL);
		if (node < 0 || fdt_node_is_compatible(fdt, node, compat))
			return node;
	}
}

bool fdt_node_is_memory(const struct fdt *fdt, int node)
{
	const char *type = fdt_getprop_str(fdt, node, "device_type");

	return type && !strcmp(type, "memory");
}

bool fdt_node_is_enabled(const struct fdt *fdt, int node)
{
	const char *status;
	int len;

	if (node_body(fdt, node) < 0)
		return false;
	status = fdt_getprop(fdt, node, "status", &len);
	if (!status)
		return len == -ENOENT;
	if (!has_string(status, len))
		return false;
	return !strcmp(status, "okay") || !strcmp(status, "ok");
}

u32 fdt_address_cells(const struct fdt *fdt, int node)
{
	u32 cells = 2;

	/* Left alone unless the property is there and one cell long. */
	fdt_getprop_u32(fdt, node, "#address-cells", &cells);
	return cells;
}

u32 fdt_size_cells(const struct fdt *fdt, int node)
{
	u32 cells = 1;

	fdt_getprop_u32(fdt, node, "#size-cells", &cells);
	return cells;
}

static u64 read_cells(const u8 *p, u32 cells)
{
	u64 v = 0;

	while (cells--) {
		v = v << 32 | be32(p);
		p += 4;
	}
	return v;
}

int fdt_read_reg(const struct fdt *fdt, int node, int idx, u64 *addr, u64 *size)
{
	u32 ac = 2, sc = 1, stride;
	const u8 *reg;
	int len, parent;

	if (idx < 0)
		return -EINVAL;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len;
	/* The root has no parent; the spec's defaults apply to it. */
	parent = fdt_parent(fdt, node);
	if (parent >= 0) {
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
	} else if (parent != -ENOENT) {
		return parent;
	}
	if (ac < 1 || ac > 2 || sc > 2)
		return -EINVAL;
	stride = (ac + sc) * 4;
	if ((u32)len % stride)
		return -EINVAL;
	if ((u32)idx >= (u32)len / stride)
		return -ENOENT;
	reg += (u32)idx * stride;
	if (addr)
		*addr = read_cells(reg, ac);
	if (size)
		*size = read_cells(reg + ac * 4, sc);
	return 0;
}
