"""Pages, frames and addresses from the gdb prompt:

  pg-page ADDR|pfn:N     one frame's struct page, decoded: what the page
                         is doing (free in the buddy lists, on a per-CPU
                         list, allocated, a slab, a page table, ...)
  pg-freelist ZONE ORDER|pcp
                         the blocks on one free list of a zone, to watch
                         a buddy split or merge
  $pfn_to_page(pfn) $page_to_pfn(page) $page_to_phys(page)
  $page_address(page) $virt_to_page(addr) $virt_to_phys(addr)
  $phys_to_virt(phys)    the conversions of include/pagoda/mm.h, as gdb
                         convenience functions usable in any expression

An address that is not in the direct map (vmalloc, pkmap, fixmap) is
translated through the kernel's page tables, so $virt_to_phys and
pg-page work on those too, where C's __pa() would not.
"""

import gdb

from . import core, mm, pgtable, slab

PG_NAMES = dict(mm.PAGE_FLAGS)


def phys_type():
    return gdb.lookup_type("phys_addr_t")


def page_ptr(page):
    return gdb.Value(page).cast(mm.page_type().pointer())


def virt_to_phys(va):
    """Physical address of a kernel virtual address, or None if unmapped:
    __pa() for the direct map and the kernel image, the page tables for
    everything else."""
    a = core.arch()
    if mm.in_direct_map(va) or (a is core.RISCV and va >= core.RISCV_KERNEL_VIRT_BASE):
        return mm.pa(va)
    if a is core.X86 and a.page_offset <= va < mm.high_memory():
        return mm.pa(va)  # the direct map's holes are mapped too
    return pgtable.virt_to_phys(va)


def page_of_arg(arg):
    """(page, note) for pg-page's argument: "pfn:N", a struct page *, the
    address of a struct page, or a kernel address inside a frame."""
    arg = arg.strip()
    if arg.startswith("pfn:"):
        pfn = core.u(gdb.parse_and_eval(arg[4:]))
        if not mm.pfn_valid(pfn):
            raise gdb.GdbError("pg-page: pfn %#x is not RAM this kernel manages" % pfn)
        return mm.pfn_to_page(pfn), None
    v = gdb.parse_and_eval(arg)
    t = v.type.strip_typedefs()
    addr = core.u(v)
    if t.code == gdb.TYPE_CODE_PTR and t.target().strip_typedefs().tag == "page":
        if not mm.is_struct_page(addr):
            raise gdb.GdbError("pg-page: %s is not an element of mem_map" % core.fmt_p(addr))
        return addr, None
    if mm.is_struct_page(addr):
        return addr, None
    pa = virt_to_phys(addr)
    if pa is None:
        raise gdb.GdbError("pg-page: %s is not mapped (for a frame number, "
                           "write pfn:N)" % core.fmt_p(addr))
    pfn = pa >> core.arch().page_shift
    if not mm.pfn_valid(pfn):
        raise gdb.GdbError("pg-page: %s maps physical %#x, which mem_map does not "
                           "describe (a device?)" % (core.fmt_p(addr), pa))
    return mm.pfn_to_page(pfn), "%s is at offset %#x of this frame; it is in: %s" % (
        core.fmt_p(addr), pa & (core.arch().page_size - 1), pgtable.region_name(addr))


def containing_block(pfn):
    """(head pfn, order, free?) of a block that holds pfn without
    starting at it, as mm/page_alloc.c's containing_block() finds it."""
    for o in range(1, 11):
        head = pfn & ~((1 << o) - 1)
        if not mm.pfn_valid(head):
            break
        hp = mm.page_value(mm.pfn_to_page(head))
        if core.u(hp["private"]) < o:
            continue
        flags = core.u(hp["flags"])
        if flags & (1 << mm.PG_buddy) or int(hp["_count"]) > 0:
            return head, core.u(hp["private"]), bool(flags & (1 << mm.PG_buddy))
    return None


def state_lines(page):
    """What the page is doing, from its flags and fields (the table at the
    top of include/pagoda/mm_types.h)."""
    p = mm.page_value(page)
    pfn = mm.page_to_pfn(page)
    flags = core.u(p["flags"])
    private = core.u(p["private"])
    count = int(p["_count"])

    def has(bit):
        return bool(flags & (1 << bit))

    def block(order, start=pfn):
        if order == 0:
            return "pfn %#x" % start
        return "pfns %#x-%#x" % (start, start + (1 << order) - 1)

    if has(0):
        return ["reserved: never given to the page allocator"]
    if has(mm.PG_buddy):
        return ["free: heads an order-%d block in the buddy lists (%s)" % (private, block(private))]
    if has(mm.PG_pcp):
        return ["free: on a per-CPU hot/cold list (order 0)"]
    if has(mm.PG_slab):
        s = gdb.Value(private).cast(gdb.lookup_type("struct kmem_cache").pointer()).dereference()
        return ["slab of cache %s (%s)" % (core.cstring(s["name"]), core.fmt_p(private)),
                slab.describe_slab_page(s, page)]
    if has(mm.PG_tail):
        head = mm.page_value(private)
        s = gdb.Value(core.u(head["private"])).cast(
            gdb.lookup_type("struct kmem_cache").pointer()).dereference()
        return ["a later page of the slab whose first page is %s (pfn %#x, cache %s)" % (
            core.fmt_p(private), mm.page_to_pfn(private), core.cstring(s["name"]))]
    lines = []
    if count > 0:
        lines.append("allocated: an order-%d block (%s), %d reference%s" % (
            private, block(private), count, "" if count == 1 else "s"))
    if has(5):
        lines.append("a kmalloc block too big for the caches")
    if has(6):
        lines.append("a page table with %d entries in use" % int(p["_mapcount"]))
    if count <= 0 and not lines:
        hit = containing_block(pfn)
        if hit:
            head, order, free = hit
            lines.append("inside the %s order-%d block at pfn %#x (%s)" % (
                "free" if free else "allocated", order, head, block(order, head)))
        else:
            lines.append("not allocated, and in no free block")
    return lines


def page_text(page, note=None):
    a = core.arch()
    p = mm.page_value(page)
    pfn = mm.page_to_pfn(page)
    z = mm.page_zone(page)
    where = "zone %s, node %d" % (mm.zone_name(z), mm.zone_nid(z)) if z is not None else "no zone"
    out = ["struct page %s: pfn %#x, phys %#x, %s\n" % (
        core.fmt_p(page), pfn, pfn << a.page_shift, where)]
    flags = core.u(p["flags"])
    names = [name for bit, name in mm.PAGE_FLAGS if flags & (1 << bit)]
    zid = flags >> (8 * a.ptr_size - 8)
    if flags & (1 << mm.PG_slab):  # the union holds slab.inuse/freelist
        last = "slab.inuse %d, slab.freelist %d" % (int(p["slab"]["inuse"]),
                                                   int(p["slab"]["freelist"]))
    else:
        last = "_mapcount %d" % int(p["_mapcount"])
    out.append("  flags %#x [%s]%s, _count %d, private %#x, %s\n" % (
        flags, " ".join(names), " zone id %d" % zid if zid else "",
        int(p["_count"]), core.u(p["private"]), last))
    for line in state_lines(page):
        out.append("  " + line + "\n")
    addr = mm.page_address(page)
    if addr is not None:
        kind = "pkmap (kmap)" if pfn >= mm.limits()[3] else "direct map"
        out.append("  address %s (%s)\n" % (core.fmt_p(addr), kind))
    else:
        out.append("  no kernel address: HIGHMEM, not kmapped\n")
    if note:
        out.append("  " + note + "\n")
    return "".join(out)


class Page(gdb.Command):
    """Decode one frame's struct page: its pfn, physical address, zone,
flags, what it is doing and its kernel address.

Usage: pg-page pfn:N | EXPR
  pfn:N   a frame number, e.g. pg-page pfn:0x1234
  EXPR    a struct page * (pg-page page), the address of a struct page,
          or any mapped kernel address: the frame that holds it"""

    def __init__(self):
        super().__init__("pg-page", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: pg-page pfn:N | EXPR")
        page, note = page_of_arg(arg)
        gdb.write(page_text(page, note))


class FreeList(gdb.Command):
    """List the blocks on one free list of a zone: the buddy list of an
order, or the per-CPU list (order-0 pages, hot first).

Usage: pg-freelist ZONE ORDER|pcp [MAX]
  ZONE   DMA, Normal or HighMem (as pg-buddyinfo names them)
  MAX    how many blocks to print (default 16); the count is always given"""

    def __init__(self):
        super().__init__("pg-freelist", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        words = arg.split()
        if len(words) not in (2, 3):
            raise gdb.GdbError("usage: pg-freelist ZONE ORDER|pcp [MAX]")
        limit = int(words[2], 0) if len(words) == 3 else 16
        found = False
        for z in mm.zones():
            if mm.zone_name(z).lower() != words[0].lower():
                continue
            found = True
            gdb.write(freelist_text(z, words[1], limit))
        if not found:
            raise gdb.GdbError("pg-freelist: no zone %r" % words[0])


def freelist_text(z, which, limit):
    if which == "pcp":
        heads = [(cpu, z["pageset"][cpu]["pcp"]["list"]) for cpu in range(mm.nr_cpus(z))]
        order = 0
    else:
        order = int(which, 0)
        fa = z["free_area"]
        if not 0 <= order <= fa.type.range()[1]:
            raise gdb.GdbError("pg-freelist: order must be 0..%d" % fa.type.range()[1])
        heads = [(None, fa[order]["free_list"])]
    out = []
    for cpu, head in heads:
        pages = list(core.list_entries(head, "struct page", "lru"))
        title = ("cpu %d per-CPU list" % cpu) if cpu is not None else (
            "free_area[%d] (nr_free %d)" % (order, int(z["free_area"][order]["nr_free"])))
        out.append("Node %d, zone %s, %s: %d block%s of %d page%s\n" % (
            mm.zone_nid(z), mm.zone_name(z), title, len(pages),
            "" if len(pages) == 1 else "s", 1 << order, "" if order == 0 else "s"))
        for page in pages[:limit]:
            addr = core.u(page.address)
            pfn = mm.page_to_pfn(addr)
            last = " - %#x" % (pfn + (1 << order) - 1) if order else ""
            out.append("  page %s  pfn %#x%s\n" % (core.fmt_p(addr), pfn, last))
        if len(pages) > limit:
            out.append("  ... %d more\n" % (len(pages) - limit))
    return "".join(out)


# ---------------------------------------------------------------------------
# Convenience functions


class _Function(gdb.Function):
    fn_name = None

    def __init__(self):
        super().__init__(self.fn_name)


class PfnToPage(_Function):
    """$pfn_to_page(PFN): the struct page * of a frame."""
    fn_name = "pfn_to_page"

    def invoke(self, pfn):
        return page_ptr(mm.pfn_to_page(core.u(pfn)))


class PageToPfn(_Function):
    """$page_to_pfn(PAGE): the frame number of a struct page *."""
    fn_name = "page_to_pfn"

    def invoke(self, page):
        return gdb.Value(mm.page_to_pfn(core.u(page))).cast(gdb.lookup_type("unsigned long"))


class PageToPhys(_Function):
    """$page_to_phys(PAGE): the physical address of a struct page's frame."""
    fn_name = "page_to_phys"

    def invoke(self, page):
        pa = mm.page_to_pfn(core.u(page)) << core.arch().page_shift
        return gdb.Value(pa).cast(phys_type())


class PageAddress(_Function):
    """$page_address(PAGE): the kernel address of a frame (direct map, or
its kmap slot), 0 for a HIGHMEM page that is not kmapped."""
    fn_name = "page_address"

    def invoke(self, page):
        addr = mm.page_address(core.u(page))
        return gdb.Value(addr or 0).cast(gdb.lookup_type("void").pointer())


class VirtToPage(_Function):
    """$virt_to_page(ADDR): the struct page * of the frame that holds a
mapped kernel address (direct map, kernel image, vmalloc, kmap...)."""
    fn_name = "virt_to_page"

    def invoke(self, addr):
        pa = virt_to_phys(core.u(addr))
        if pa is None:
            raise gdb.GdbError("%s is not mapped" % core.fmt_p(core.u(addr)))
        return page_ptr(mm.pfn_to_page(pa >> core.arch().page_shift))


class VirtToPhys(_Function):
    """$virt_to_phys(ADDR): the physical address of a mapped kernel
address: __pa() in the direct map, the page tables elsewhere."""
    fn_name = "virt_to_phys"

    def invoke(self, addr):
        pa = virt_to_phys(core.u(addr))
        if pa is None:
            raise gdb.GdbError("%s is not mapped" % core.fmt_p(core.u(addr)))
        return gdb.Value(pa).cast(phys_type())


class PhysToVirt(_Function):
    """$phys_to_virt(PHYS): __va(), the direct-map address of a physical
address (meaningful for low memory only)."""
    fn_name = "phys_to_virt"

    def invoke(self, pa):
        return gdb.Value(mm.va(core.u(pa))).cast(gdb.lookup_type("void").pointer())


def register():
    Page()
    FreeList()
    for cls in (PfnToPage, PageToPfn, PageToPhys, PageAddress, VirtToPage,
                VirtToPhys, PhysToVirt):
        cls()
