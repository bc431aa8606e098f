"""pg-kmapinfo: /proc/kmapinfo (mm/kmap.c), Pagoda's own table of the
three ways to map a HIGHMEM page: kmap's pkmap slots with their use
counts, kmap_atomic's fixmap slot per (CPU, km_type), and each CPU's
kmap_local stack.
"""

from . import command, core, mm


def kmapinfo():
    a = core.arch()
    counts, pages = mm.pkmap_slots()
    n = len(counts)
    used = sum(1 for c in counts if c)
    out = ["pkmap: %d of %d slots in use at %s\n" % (used, n, core.fmt_p(a.pkmap_base))]
    for i in range(n):
        if counts[i]:
            out.append("  slot %4d %s pfn %#x count %d\n" % (
                i, core.fmt_p(a.pkmap_base + i * a.page_size),
                mm.page_to_pfn(pages[i]), counts[i]))
    names_v = core.var("km_names", "mm/kmap.c")
    km_type_nr = core.array_len(names_v)
    names = [core.cstring(names_v[t]) for t in range(km_type_nr)]
    slots_v = core.var("kmap_atomic_addr")
    slots = core.ulong_array(core.u(slots_v.address), core.array_len(slots_v))
    stacks = core.var("local_stacks", "mm/kmap.c")
    for cpu in range(core.array_len(stacks)):
        st = stacks[cpu]
        line = "cpu %d atomic:" % cpu
        for t in range(km_type_nr):
            addr = slots[t + km_type_nr * cpu]
            if addr:
                line += " %s=%s" % (names[t], core.fmt_p(addr))
        top = int(st["top"])
        line += "\ncpu %d local: %d deep" % (cpu, top)
        for d in range(top):
            line += " %s(pfn %#x)" % (core.fmt_p(core.u(st["addr"][d])),
                                      mm.page_to_pfn(core.u(st["page"][d])))
        out.append(line + "\n")
    return "".join(out)


class KmapInfo(command.TableCommand):
    """kmap, kmap_atomic and kmap_local mappings, as /proc/kmapinfo prints
them.

Usage: pg-kmapinfo"""

    name = "pg-kmapinfo"

    def text(self):
        return kmapinfo()


def register():
    KmapInfo()
