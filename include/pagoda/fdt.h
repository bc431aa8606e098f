/*
 * A reader for flattened device trees (the .dtb blob the firmware hands
 * over on RISC-V). lib/fdt.c. Read-only, no allocation, and every access
 * is bounds-checked: a damaged blob gives errors, never a wild read.
 *
 * Nodes are named by their offset into the structure block, as in libfdt;
 * a negative value is an error (-EINVAL bad blob, -ENOENT not found).
 */
#ifndef PAGODA_FDT_H
#define PAGODA_FDT_H

#include <pagoda/types.h>

#define FDT_MAGIC 0xd00dfeed

struct fdt {
	const u8 *blob;
	u32 totalsize;
	u32 off_struct, size_struct;
	u32 off_strings, size_strings;
	u32 off_rsvmap;
};

/* Checks the header (magic, version >= 16, blocks inside totalsize). */
int fdt_init(struct fdt *fdt, const void *blob);
/* Total size from a blob's header without checking the rest (0 if no magic). */
u32 fdt_header_size(const void *blob);

/* Depth-first walk. Root is offset 0. Returns -ENOENT at the end. */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);

/* "/", "/chosen", "/soc/serial@10000000"; a unit address may be omitted
 * ("/memory" finds "memory@80000000"). */
int fdt_path_offset(const struct fdt *fdt, const char *path);
/* Full name, "memory@80000000"; "" for the root. */
const char *fdt_node_name(const struct fdt *fdt, int node);

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			int *len);
int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		    u32 *val);
/* A string property (checked to be NUL-terminated), or NULL. */
const char *fdt_getprop_str(const struct fdt *fdt, int node, const char *name);
bool fdt_node_is_compatible(const struct fdt *fdt, int node,
			    const char *compat);
/* Next node after @node (use -1 to start) that is compatible. */
int fdt_find_compatible(const struct fdt *fdt, int node, const char *compat);
/* True for nodes with device_type = "memory". */
bool fdt_node_is_memory(const struct fdt *fdt, int node);
/* "okay"/"ok" or no status property. */
bool fdt_node_is_enabled(const struct fdt *fdt, int node);

/* #address-cells and #size-cells a node gives its children (2 and 1 by
 * default, per the spec). */
u32 fdt_address_cells(const struct fdt *fdt, int node);
u32 fdt_size_cells(const struct fdt *fdt, int node);
/* The idx-th (address, size) pair of a node's reg property, read with
 * its parent's cell counts. 0, or -ENOENT when there is no such entry. */
int fdt_read_reg(const struct fdt *fdt, int node, int idx, u64 *addr,
		 u64 *size);

/* The memory reservation block: entry idx, or -ENOENT past the end. */
int fdt_get_mem_rsv(const struct fdt *fdt, int idx, u64 *addr, u64 *size);

#endif
