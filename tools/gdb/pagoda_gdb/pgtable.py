"""pg-pt: the page-table walk of an address, as the shell's `pt` prints
it (mm/pgtable.c), with each arch's entries decoded as its paging.c
decodes them:

  x86    i386 without PAE: a page directory (PDE) of 1024 entries, each
         a 4 MiB page (PS) or a page table of 1024 4 KiB entries (PTE)
  riscv  Sv39: three levels of 512 entries, L2 to L0; an entry with any
         of R, W, X set is a leaf (1 GiB at L2, 2 MiB at L1, 4 KiB at L0)

The walk starts from the kernel's own root (kernel_pgdir, kernel_pgd),
not from CR3 or satp, as the C code does; every table is read through
the direct map.
"""

import gdb

from . import core, mm


class Level:
    """One level of a walk: struct pt_level (include/pagoda/pgtable.h)."""

    def __init__(self, name, index, table, size):
        self.name, self.index, self.table, self.size = name, index, table, size
        self.entry = 0
        self.present = self.leaf = False
        self.flags = ""


# ---- x86 (arch/x86/paging.c) ----

X86_BITS = [(0x001, "present"), (0x002, "writable"), (0x004, "user"),
            (0x008, "write-through"), (0x010, "uncached"), (0x020, "accessed"),
            (0x040, "dirty"), (0x100, "global")]
X86_PS, X86_WRITE, X86_GLOBAL, X86_PRESENT = 0x080, 0x002, 0x100, 0x001


def x86_decode(lv, e, pde):
    lv.entry = e
    lv.present = bool(e & X86_PRESENT)
    names = []
    for bit, name in X86_BITS:
        if bit == X86_GLOBAL and pde and not (e & X86_PS):
            continue  # ignored in a directory entry
        if e & bit:
            names.append(name)
    lv.flags = " ".join(names)
    if not (e & X86_WRITE) and lv.present:
        lv.flags += " read-only"


def x86_pgdir():
    return core.u(core.var("kernel_pgdir"))


def x86_walk(va):
    pgdir = x86_pgdir()
    pde = core.read_u32(pgdir + 4 * (va >> 22))
    lv0 = Level("PDE", va >> 22, mm.pa(pgdir), 1 << 22)
    x86_decode(lv0, pde, True)
    lv0.leaf = lv0.present and bool(pde & X86_PS)
    if not lv0.present or lv0.leaf:
        return [lv0]
    lv1 = Level("PTE", (va >> 12) & 1023, pde & 0xFFFFF000, 1 << 12)
    x86_decode(lv1, core.read_u32(mm.va(pde & 0xFFFFF000) + 4 * lv1.index), False)
    lv1.leaf = lv1.present
    return [lv0, lv1]


def x86_virt_to_phys(va):
    pde = core.read_u32(x86_pgdir() + 4 * (va >> 22))
    if not pde & X86_PRESENT:
        return None
    if pde & X86_PS:
        return (pde & 0xFFC00000) | (va & ((1 << 22) - 1))
    pte = core.read_u32(mm.va(pde & 0xFFFFF000) + 4 * ((va >> 12) & 1023))
    if not pte & X86_PRESENT:
        return None
    return (pte & 0xFFFFF000) | (va & 0xFFF)


# ---- riscv (arch/riscv/paging.c) ----

RV_BITS = [(0x001, "V"), (0x002, "R"), (0x004, "W"), (0x008, "X"),
           (0x010, "U"), (0x020, "G"), (0x040, "A"), (0x080, "D")]
RV_V, RV_RWX = 0x001, 0x00E
U64 = (1 << 64) - 1


def rv_index(va, level):
    return (va >> (12 + 9 * level)) & 511


def rv_next_table(e):
    return mm.va(((e >> 10) << 12) & U64)


def rv_decode(lv, e):
    lv.entry = e
    lv.present = bool(e & RV_V)
    lv.leaf = lv.present and bool(e & RV_RWX)
    lv.flags = " ".join(name for bit, name in RV_BITS if e & bit)
    if lv.present and not lv.leaf:
        lv.flags += " (points to a table)"


def rv_walk(va):
    table = core.u(core.var("kernel_pgd"))
    levels = []
    for level in (2, 1, 0):
        lv = Level("L%d" % level, rv_index(va, level), mm.pa(table),
                   1 << (12 + 9 * level))
        e = core.read_u64(table + 8 * lv.index)
        rv_decode(lv, e)
        levels.append(lv)
        if not lv.present or lv.leaf:
            break
        table = rv_next_table(e)
    return levels


def rv_virt_to_phys(va):
    table = core.u(core.var("kernel_pgd"))
    for level in (2, 1, 0):
        e = core.read_u64(table + 8 * rv_index(va, level))
        if not e & RV_V:
            return None
        if e & RV_RWX:
            return ((((e >> 10) << 12) & U64) + (va & ((1 << (12 + 9 * level)) - 1))) & U64
        table = rv_next_table(e)
    return None


# ---- both ----


def walk(va):
    return x86_walk(va) if core.arch() is core.X86 else rv_walk(va)


def virt_to_phys(va):
    """arch_virt_to_phys(): the physical address va maps to, or None."""
    return x86_virt_to_phys(va) if core.arch() is core.X86 else rv_virt_to_phys(va)


def region_name(va):
    """layout_region_name() (kernel/layout.c): the named region of the
    virtual layout that holds va."""
    regions = core.var("regions", "kernel/layout.c")
    for i in range(int(core.var("nr_regions", "kernel/layout.c"))):
        r = regions[i]
        start, end = core.u(r["start"]), core.u(r["end"])
        if va >= start and (end == 0 or va < end):
            return core.cstring(r["name"])
    return "outside the layout"


def pt_text(va):
    a = core.arch()
    w = 2 * a.ptr_size
    va &= a.mask
    out = ["%0*x is in: %s\n" % (w, va, region_name(va))]
    for lv in walk(va):
        out.append("  %-3s[%3d] in table at %#x: %#0*x  %s\n" % (
            lv.name, lv.index, lv.table, w + 2, lv.entry,
            lv.flags if lv.present else "not present"))
        if lv.leaf:
            out.append("        maps %d KiB\n" % (lv.size >> 10))
    pa = virt_to_phys(va)
    if pa is not None:
        out.append("  -> physical %#x\n" % pa)
    else:
        out.append("  -> not mapped\n")
    return "".join(out)


class PageTable(gdb.Command):
    """Walk the kernel's page tables for a virtual address, as the shell's
pt command prints the walk: each level's table, index, entry and flags.

Usage: pg-pt ADDR
  ADDR   any gdb expression: pg-pt 0xc0100000, pg-pt &mem_map, pg-pt $sp"""

    def __init__(self):
        super().__init__("pg-pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: pg-pt ADDR")
        gdb.write(pt_text(core.u(gdb.parse_and_eval(arg))))


def register():
    PageTable()
