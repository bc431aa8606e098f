"""pg-slabinfo: /proc/slabinfo (mm/slab.c), and pg-slab: one cache
inside out.

The active-object count is what the kernel computes in
slab_active_objects(): every object of every slab, less the free ones on
the partial slabs (counted in struct page: objects - inuse) and those on
each CPU's free list. The CPU free lists are chains of obfuscated
pointers (each stored as next ^ cache->random ^ the slot's address), so
they are decoded and walked here exactly as count_chain() walks them,
stopping at the first link that does not land on an object slot.
"""

import gdb

from . import command, core, mm

SLAB_FREELIST_NONE = 0xFFFF  # mm/slab.h


def caches():
    """Every kmem_cache on slab_caches, in list order."""
    return core.list_entries(core.var("slab_caches"), "struct kmem_cache", "list")


def nr_cpus(s):
    return core.array_len(s["cpu"])


def slab_base(page):
    """The direct-mapped address of a slab's first object."""
    a = core.arch()
    return mm.va(mm.page_to_pfn(page) << a.page_shift)


def get_freepointer(s, obj):
    slot = (obj + int(s["offset"])) & core.arch().mask
    return core.read_ulong(slot) ^ core.u(s["random"]) ^ slot


def valid_object(s, page, p):
    base = slab_base(page)
    off = (p - base) & core.arch().mask
    return p >= base and off % int(s["size"]) == 0 and off // int(s["size"]) < int(s["objects"])


def chain(s, page, obj):
    """The objects of a CPU free list, as count_chain() follows it."""
    out = []
    while obj and len(out) < int(s["objects"]) and valid_object(s, page, obj):
        out.append(obj)
        obj = get_freepointer(s, obj)
    return out


def partial_pages(s):
    return core.list_entries(s["partial"], "struct page", "lru")


def active_objects(s):
    free = 0
    for page in partial_pages(s):
        free += int(s["objects"]) - int(page["slab"]["inuse"])
    for cpu in range(nr_cpus(s)):
        c = s["cpu"][cpu]
        if core.u(c["page"]):
            free += len(chain(s, core.u(c["page"]), core.u(c["freelist"])))
    return (int(s["nr_slabs"]) * int(s["objects"]) - free) & core.arch().mask


def slabinfo():
    out = ["slabinfo - version: 2.1\n",
           "# name            <active_objs> <num_objs> <objsize> "
           "<objperslab> <pagesperslab> : tunables <limit> "
           "<batchcount> <sharedfactor> : slabdata <active_slabs> "
           "<num_slabs> <sharedavail>\n"]
    for s in caches():
        nr_slabs = int(s["nr_slabs"])
        out.append("%-17s %6d %6d %6d %4d %4d" % (
            core.cstring(s["name"]), active_objects(s),
            nr_slabs * int(s["objects"]), int(s["size"]), int(s["objects"]),
            1 << int(s["order"])))
        out.append(" : tunables %4d %4d %4d" % (0, 0, 0))
        out.append(" : slabdata %6d %6d %6d\n" % (nr_slabs, nr_slabs, 0))
    return "".join(out)


class SlabInfo(command.TableCommand):
    """Slab caches, as /proc/slabinfo prints them (version 2.1).

Usage: pg-slabinfo"""

    name = "pg-slabinfo"

    def text(self):
        return slabinfo()


# ---------------------------------------------------------------------------
# pg-slab: one cache, its CPU slab and free list, its partial slabs


def find_cache(arg):
    """A cache by name ("kmalloc-64") or by an expression giving a
    struct kmem_cache pointer."""
    for s in caches():
        if core.cstring(s["name"]) == arg:
            return s
    try:
        v = gdb.parse_and_eval(arg)
    except gdb.error:
        raise gdb.GdbError("pg-slab: no cache named %r (pg-slabinfo lists them)" % arg)
    t = gdb.lookup_type("struct kmem_cache").pointer()
    return v.cast(t).dereference()


def describe_slab_page(s, page):
    """One line for a slab's struct page: page->slab.inuse and the index
    of the first object on the slab's own free list."""
    p = mm.page_value(page)
    inuse = int(p["slab"]["inuse"])
    fl = int(p["slab"]["freelist"])
    first = "none" if fl == SLAB_FREELIST_NONE else "#%d at %s" % (
        fl, core.fmt_p(slab_base(page) + fl * int(s["size"])))
    text = "page %s pfn %#x objects at %s: inuse %d of %d, first free %s" % (
        core.fmt_p(page), mm.page_to_pfn(page), core.fmt_p(slab_base(page)),
        inuse, int(s["objects"]), first)
    for cpu in range(nr_cpus(s)):
        if core.u(s["cpu"][cpu]["page"]) == page:
            # activate_slab() counts every object as handed to the CPU;
            # which are free is the CPU free list's business.
            text += " (cpu %d's slab: its free objects are on the CPU free list)" % cpu
    return text


def cache_text(s, show=16):
    name = core.cstring(s["name"])
    out = ["kmem_cache %s at %s\n" % (name, core.fmt_p(core.u(s.address)))]
    out.append("  object %d bytes in a %d-byte slot; %d objects per slab of "
               "%d page(s) (order %d)\n" % (
                   int(s["object_size"]), int(s["size"]), int(s["objects"]),
                   1 << int(s["order"]), int(s["order"])))
    out.append("  free pointer at +%d, stored as next ^ %s ^ its own address\n"
               % (int(s["offset"]), core.fmt_p(core.u(s["random"]))))
    out.append("  flags %#x, %d slab(s), %d on the partial list\n" % (
        core.u(s["flags"]), int(s["nr_slabs"]), int(s["nr_partial"])))
    for cpu in range(nr_cpus(s)):
        c = s["cpu"][cpu]
        page = core.u(c["page"])
        if not page:
            out.append("  cpu %d: no CPU slab\n" % cpu)
            continue
        objs = chain(s, page, core.u(c["freelist"]))
        out.append("  cpu %d: %s\n" % (cpu, describe_slab_page(s, page)))
        out.append("    CPU free list: %d object(s)%s\n" % (
            len(objs), ":" if objs else ""))
        for i in range(0, min(len(objs), show), 4):
            out.append("     " + "".join(" " + core.fmt_p(o) for o in objs[i:i + 4]) + "\n")
        if len(objs) > show:
            out.append("      ... %d more\n" % (len(objs) - show))
    for title, head in (("partial", s["partial"]), ("full", s["full"])):
        pages = list(core.list_entries(head, "struct page", "lru"))
        out.append("  %s: %d slab(s)\n" % (title, len(pages)))
        for page in pages[:show]:
            out.append("    %s\n" % describe_slab_page(s, core.u(page.address)))
        if len(pages) > show:
            out.append("    ... %d more\n" % (len(pages) - show))
    return "".join(out)


class Slab(gdb.Command):
    """One slab cache inside out: its sizes, the CPU slab and the objects on
the CPU's free list (decoded), the partial and full slabs.

Usage: pg-slab NAME|EXPR
  NAME   a cache name as pg-slabinfo lists it, e.g. kmalloc-64
  EXPR   an expression giving a struct kmem_cache *"""

    def __init__(self):
        super().__init__("pg-slab", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        if not arg:
            raise gdb.GdbError("usage: pg-slab NAME|EXPR")
        gdb.write(cache_text(find_cache(arg)))


def register():
    SlabInfo()
    Slab()
