"""pg-meminfo: /proc/meminfo (mm/meminfo.c), recomputed from the zones,
the slab caches and the vmalloc area's free-space tree.

The figures that the kernel computes with a function are computed here
the same way: nr_free_pages() adds every zone's buddy and per-CPU pages,
nr_free_pagecache_pages() what lies above each zone's high watermark,
slab_pages() each cache's slabs, and VmallocChunk is the largest free
range, kept at the root of the range tree (lib/range_tree.c).
"""

from . import command, core, mm, slab

SLAB_RECLAIM_ACCOUNT = 0x00020000  # include/pagoda/slab.h


def meminfo_read():
    """struct meminfo as meminfo_read() fills it."""
    total = int(core.var("totalram_pages"))
    free = available = high_total = high_free = 0
    for z in mm.zones():
        f = int(z["free_pages"]) + mm.zone_pcp_pages(z)
        free += f
        if f > int(z["pages_high"]):
            available += f - int(z["pages_high"])
        if mm.zone_idx(z) == mm.ZONE_HIGHMEM:
            high_total += int(z["present_pages"])
            high_free += f
    return {
        "total": total,
        "free": free,
        "available": available,
        "high_total": min(high_total, total),
        "high_free": high_free,
    }


def slab_pages(reclaimable):
    pages = 0
    for s in slab.caches():
        if bool(int(s["flags"]) & SLAB_RECLAIM_ACCOUNT) == reclaimable:
            pages += int(s["nr_slabs"]) << int(s["order"])
    return pages


def vmalloc_figures():
    """(total, used, chunk) in bytes: vmalloc_total(), vmalloc_used(),
    vmalloc_chunk()."""
    tree = core.var("free_space", "mm/vmalloc.c")
    total = core.u(tree["span_end"]) - core.u(tree["span_start"])
    used = core.u(core.var("used_bytes", "mm/vmalloc.c"))
    root = tree["root"]
    chunk = core.u(root.dereference()["subtree_max"]) if core.u(root) else 0
    return total, used, chunk


def meminfo():
    a = core.arch()
    mi = meminfo_read()
    out = []

    def show_kb(name, pages):
        # C shifts an unsigned long: wrap as it would.
        out.append("%-16s%8d kB\n" % (name, (pages << (a.page_shift - 10)) & a.mask))

    reclaimable, unreclaimable = slab_pages(True), slab_pages(False)
    total, used, chunk = vmalloc_figures()
    show_kb("MemTotal:", mi["total"])
    show_kb("MemFree:", mi["free"])
    show_kb("MemAvailable:", mi["available"])
    show_kb("Buffers:", 0)
    show_kb("Cached:", 0)
    show_kb("SwapCached:", 0)
    show_kb("HighTotal:", mi["high_total"])
    show_kb("HighFree:", mi["high_free"])
    show_kb("LowTotal:", (mi["total"] - mi["high_total"]) & a.mask)
    show_kb("LowFree:", (mi["free"] - mi["high_free"]) & a.mask)
    show_kb("SwapTotal:", 0)
    show_kb("SwapFree:", 0)
    show_kb("Slab:", reclaimable + unreclaimable)
    show_kb("SReclaimable:", reclaimable)
    show_kb("SUnreclaim:", unreclaimable)
    show_kb("VmallocTotal:", total >> a.page_shift)
    show_kb("VmallocUsed:", used >> a.page_shift)
    show_kb("VmallocChunk:", chunk >> a.page_shift)
    return "".join(out)


class MemInfo(command.TableCommand):
    """Memory as a whole, as /proc/meminfo prints it.

Usage: pg-meminfo"""

    name = "pg-meminfo"

    def text(self):
        return meminfo()


def register():
    MemInfo()
