"""pg-vmallocinfo: /proc/vmallocinfo (mm/vmalloc.c).

Live areas sit in a hash table keyed by address (mm/vmalloc.c's static
`hash`); the table lists them in address order, with the caller as %pS
names it, which is the kernel's own function table (core.Kallsyms).
"""

import gdb

from . import command, core

VM_IOREMAP, VM_ALLOC, VM_MAP = 0x1, 0x2, 0x4  # include/pagoda/vmalloc.h


def areas():
    """Every live vm_struct, in address order."""
    table = core.var("hash", "mm/vmalloc.c")
    heads = core.ulong_array(core.u(table.address), core.array_len(table))
    found = []
    for h in heads:
        a = h
        while a:
            v = gdb.Value(a).cast(gdb.lookup_type("struct vm_struct").pointer()).dereference()
            found.append(v)
            a = core.u(v["hash_next"])
    found.sort(key=lambda v: core.u(v["addr"]))
    return found


def vmallocinfo():
    syms = core.Kallsyms()
    out = []
    for a in areas():
        addr, size = core.u(a["addr"]), core.u(a["size"])
        line = "%s-%s %7d %s" % (core.fmt_p(addr), core.fmt_p(addr + size), size,
                                 core.fmt_pS(core.u(a["caller"]), syms))
        if int(a["nr_pages"]):
            line += " pages=%d" % int(a["nr_pages"])
        flags = core.u(a["flags"])
        if flags & VM_IOREMAP:
            line += " phys=%x ioremap" % int(a["phys_addr"])
        if flags & VM_ALLOC:
            line += " vmalloc"
        if flags & VM_MAP:
            line += " vmap"
        out.append(line + "\n")
    return "".join(out)


class VmallocInfo(command.TableCommand):
    """The vmalloc area's live mappings, as /proc/vmallocinfo prints them.

Usage: pg-vmallocinfo"""

    name = "pg-vmallocinfo"

    def text(self):
        return vmallocinfo()


def register():
    VmallocInfo()
