"""Pages, frames, addresses and zones, as include/pagoda/mm.h and
mmzone.h define them, computed from the kernel's variables.

    pfn     physical address >> PAGE_SHIFT
    page    the address of its struct page: mem_map + (pfn - min_pfn)
    virt    the direct-mapped address of a low-memory frame,
            PAGE_OFFSET + physical (the riscv kernel image has its own
            offset, kernel_va_pa_offset, as __pa() knows)

Pages and addresses are plain Python ints here; commands and gdb
functions turn them into gdb values at the edge.
"""

import gdb

from . import core

# The page allocator's flag bits (include/pagoda/mm_types.h).
PAGE_FLAGS = [
    (0, "reserved"),
    (1, "buddy"),
    (2, "pcp"),
    (3, "slab"),
    (4, "tail"),
    (5, "kmalloc"),
    (6, "pgtable"),
]
PG_buddy, PG_pcp, PG_slab, PG_tail = 1, 2, 3, 4
ZONE_HIGHMEM = 2  # enum zone_type


def page_type():
    return gdb.lookup_type("struct page")


def page_size_bytes():
    return page_type().sizeof


def limits():
    """(mem_map, min_pfn, max_pfn, max_low_pfn) as ints."""
    return (core.u(core.var("mem_map")), int(core.var("min_pfn")),
            int(core.var("max_pfn")), int(core.var("max_low_pfn")))


def pfn_valid(pfn):
    _, lo, hi, _ = limits()
    return lo <= pfn < hi


def pfn_to_page(pfn):
    mem_map, lo, _, _ = limits()
    return (mem_map + (pfn - lo) * page_size_bytes()) & core.arch().mask


def page_to_pfn(page):
    mem_map, lo, _, _ = limits()
    return (page - mem_map) // page_size_bytes() + lo


def page_value(page):
    """The struct page at address `page`, as a gdb value."""
    return gdb.Value(page).cast(page_type().pointer()).dereference()


def is_struct_page(page):
    """Is `page` the address of an element of mem_map?"""
    mem_map, lo, hi, _ = limits()
    off = page - mem_map
    return 0 <= off < (hi - lo) * page_size_bytes() and off % page_size_bytes() == 0


def pa(addr):
    """__pa() of asm/page.h, for the direct map and (on riscv) the kernel
    image; meaningless for other addresses, as in C."""
    a = core.arch()
    if a is core.RISCV and addr >= core.RISCV_KERNEL_VIRT_BASE:
        return (addr - core.asm_ulong("kernel_va_pa_offset")) & a.mask
    return (addr - a.page_offset) & a.mask


def va(phys):
    """__va(): the direct-map address of a physical address."""
    a = core.arch()
    return (phys + a.page_offset) & a.mask


def high_memory():
    return core.u(core.var("high_memory"))


def in_direct_map(addr):
    """virt_addr_valid(): a direct-mapped address of a frame mem_map has."""
    _, lo, _, _ = limits()
    a = core.arch()
    return (va(lo << a.page_shift) <= addr < high_memory()
            and pfn_valid(pa(addr) >> a.page_shift))


def pkmap_slots():
    """(counts, pages): kmap's pkmap_count[] and pkmap_page[] (mm/kmap.c),
    one entry per slot of the pkmap window."""
    counts = core.var("pkmap_count", "mm/kmap.c")
    pages = core.var("pkmap_page", "mm/kmap.c")
    n = core.array_len(counts)
    raw = core.read_bytes(core.u(counts.address), 4 * n)
    return ([int.from_bytes(raw[4 * i:4 * i + 4], "little", signed=True) for i in range(n)],
            core.ulong_array(core.u(pages.address), n))


def kmap_address(page):
    """Where kmap() mapped a HIGHMEM page, or None: kmap_address()."""
    a = core.arch()
    counts, pages = pkmap_slots()
    for i, (count, p) in enumerate(zip(counts, pages)):
        if count and p == page:
            return a.pkmap_base + i * a.page_size
    return None


def page_address(page):
    """page_address(): the direct map for low memory, the pkmap slot for a
    kmapped HIGHMEM page, None for any other HIGHMEM page."""
    _, _, _, max_low = limits()
    pfn = page_to_pfn(page)
    if pfn >= max_low:
        return kmap_address(page)
    return va(pfn << core.arch().page_shift)


# ---------------------------------------------------------------------------
# Zones


def zones():
    """Every zone of every online node, populated or not, in the order
    for_each_zone() visits them (mm/mm_init.c: first_zone, next_zone)."""
    node_data = core.var("node_data")
    for nid in range(int(core.var("nr_online_nodes"))):
        node_zones = node_data[nid]["node_zones"]
        for i in range(core.array_len(node_zones)):
            yield node_zones[i]


def populated(z):
    return int(z["present_pages"]) != 0


def zone_idx(z):
    first = z["zone_pgdat"]["node_zones"][0].address
    return (core.u(z.address) - core.u(first)) // z.type.sizeof


def zone_nid(z):
    return int(z["zone_pgdat"]["node_id"])


def zone_name(z):
    return core.cstring(z["name"])


def nr_cpus(z):
    return core.array_len(z["pageset"])


def zone_pcp_pages(z):
    return sum(int(z["pageset"][cpu]["pcp"]["count"]) for cpu in range(nr_cpus(z)))


def page_zone(page):
    """The zone of a frame: the id cached in the top byte of flags, or
    the zone whose span holds it (page_zone() caches it on first use)."""
    p = page_value(page)
    a = core.arch()
    zid = core.u(p["flags"]) >> (8 * a.ptr_size - 8)
    if zid:
        node_data = core.var("node_data")
        nzones = core.array_len(node_data[0]["node_zones"])
        return node_data[(zid - 1) // nzones]["node_zones"][(zid - 1) % nzones]
    pfn = page_to_pfn(page)
    for z in zones():
        start = int(z["zone_start_pfn"])
        if start <= pfn < start + int(z["spanned_pages"]):
            return z
    return None
