"""Reading the kernel through gdb: the layer every helper stands on.

The helpers in this package print the same text as the kernel's own
tables, from the kernel's memory alone: gdb reads variables and
structures (the kernel is built with -g, so their layouts come from the
debug information) and nothing in the kernel is called. This module holds
what they share:

  - which architecture the ELF is for, and the few constants that are C
    macros (invisible to gdb) rather than variables;
  - finding a variable, including a static one whose name several files
    use (there are three `hash` arrays, say);
  - reading raw memory, walking a struct list_head, container_of;
  - the kernel's own spellings of %p and %pS, so that a pointer or a
    function name prints exactly as lib/vsprintf.c prints it.

Everything is read afresh on every command: the kernel may have run
between two commands, and the reads are cheap next to a human typing.
"""

import struct

import gdb

# ---------------------------------------------------------------------------
# The architecture, and the constants that are macros in the C headers.
# They mirror arch/<arch>/include/asm/page.h; anything the kernel keeps
# in a variable (high_memory, the vmalloc span, ...) is read instead.


class Arch:
    """What differs between the two kernels, as far as the helpers care."""

    def __init__(self, name, ptr_size, page_offset, pkmap_base):
        self.name = name  # "x86" or "riscv", as the Makefile names them
        self.ptr_size = ptr_size
        self.page_shift = 12
        self.page_size = 1 << self.page_shift
        self.page_offset = page_offset
        self.pkmap_base = pkmap_base
        self.mask = (1 << (8 * ptr_size)) - 1  # unsigned long arithmetic


X86 = Arch("x86", 4, 0xC0000000, 0xFF800000)
RISCV = Arch("riscv", 8, 0xFFFFFFD600000000, 0xFFFFFFC400000000)
RISCV_KERNEL_VIRT_BASE = 0xFFFFFFFF80000000


def arch():
    """The Arch of the program gdb is looking at, from the ELF's machine."""
    try:
        name = gdb.selected_inferior().architecture().name()
    except (gdb.error, RuntimeError):
        name = gdb.current_progspace().objfiles()[0].architecture().name()
    if name.startswith("i386") and "64" not in name:  # not i386:x86-64
        return X86
    if name.startswith("riscv"):
        return RISCV
    raise gdb.GdbError("pagoda: unknown architecture %r (not a Pagoda kernel?)" % name)


# ---------------------------------------------------------------------------
# Finding variables


def var(name, file=None):
    """The value of a kernel variable.

    With `file` (a path as the debug information spells it, like
    "mm/vmalloc.c"), the static variable of that file; without it, the
    global one, or else the first static one of that name.
    """
    if file is None:
        sym = gdb.lookup_global_symbol(name)
        if sym is not None:
            return sym.value()
    for sym in gdb.lookup_static_symbols(name):
        if file is None or sym.symtab.filename.endswith(file):
            return sym.value()
    raise gdb.GdbError("pagoda: no variable %s%s (is the kernel's ELF loaded?)"
                       % (name, " in " + file if file else ""))


def asm_ulong(name):
    """An unsigned long defined in assembly, which gdb knows only by its
    address (kallsyms_num, riscv's kernel_va_pa_offset)."""
    return int(gdb.parse_and_eval("*(unsigned long *)&%s" % name))


def address_of(name):
    """The address of any symbol, debug information or not."""
    return int(gdb.parse_and_eval("(unsigned long)&%s" % name))


# ---------------------------------------------------------------------------
# Memory


def inferior():
    return gdb.selected_inferior()


def read_bytes(addr, size):
    """size bytes at a kernel virtual address (through the current page
    tables, as the CPU would read them)."""
    if size == 0:
        return b""
    return inferior().read_memory(addr, size).tobytes()


def read_ulong(addr):
    a = arch()
    fmt = "<I" if a.ptr_size == 4 else "<Q"
    return struct.unpack(fmt, read_bytes(addr, a.ptr_size))[0]


def read_u32(addr):
    return struct.unpack("<I", read_bytes(addr, 4))[0]


def read_u64(addr):
    return struct.unpack("<Q", read_bytes(addr, 8))[0]


def ulong_array(addr, count):
    a = arch()
    fmt = "<%d%s" % (count, "I" if a.ptr_size == 4 else "Q")
    return list(struct.unpack(fmt, read_bytes(addr, count * a.ptr_size)))


def u(value):
    """A gdb.Value (integer or pointer) as a Python int, unsigned."""
    return int(value) & arch().mask


def cstring(value):
    """The text a char * or char[] holds, up to its NUL ("(null)" for a
    NULL pointer, as the kernel's %s prints it)."""
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR and u(value) == 0:
        return "(null)"
    return value.string(encoding="latin-1")


def array_len(value):
    """How many elements a C array has (a macro like MAX_ORDER, read
    from the array it sizes)."""
    t = value.type.strip_typedefs()
    lo, hi = t.range()
    return hi - lo + 1


# ---------------------------------------------------------------------------
# Lists


def container_of(ptr, type_name, member):
    """The struct type_name that has `member` at ptr (include/pagoda/list.h)."""
    t = gdb.lookup_type(type_name)
    offset = _field_offset(t, member)
    return gdb.Value(u(ptr) - offset).cast(t.pointer()).dereference()


def _field_offset(t, member):
    for f in t.strip_typedefs().fields():
        if f.name == member:
            return f.bitpos // 8
    raise gdb.GdbError("pagoda: %s has no member %s" % (t, member))


def list_entries(head, type_name, member, limit=1 << 20):
    """Each struct type_name on the list whose head is `head` (a struct
    list_head value), first to last, as list_for_each_entry visits them."""
    head_addr = u(head.address)
    node = head["next"]
    n = 0
    while u(node) != head_addr:
        if u(node) == 0:
            raise gdb.GdbError("pagoda: NULL in the list at %#x" % head_addr)
        n += 1
        if n > limit:
            raise gdb.GdbError("pagoda: the list at %#x does not end" % head_addr)
        yield container_of(node, type_name, member)
        node = node.dereference()["next"]


# ---------------------------------------------------------------------------
# The kernel's %p and %pS (lib/vsprintf.c, kernel/kallsyms.c)


def fmt_p(addr):
    """%p: "0x" and every hex digit of a pointer."""
    a = arch()
    return "0x%0*x" % (2 * a.ptr_size, addr & a.mask)


class Kallsyms:
    """The kernel's own function table (.kallsyms, made by
    tools/kallsyms.sh): %pS names what this table names, which is not
    quite what gdb's symbols would say (sizes run to the next symbol)."""

    def __init__(self):
        self.num = asm_ulong("kallsyms_num")
        self.addrs = ulong_array(address_of("kallsyms_addrs"), self.num)
        offsets_addr = address_of("kallsyms_offsets")
        self.offsets = list(struct.unpack("<%dI" % self.num,
                                          read_bytes(offsets_addr, 4 * self.num)))
        names_addr = address_of("kallsyms_names")
        size = (self.offsets[-1] + 256) if self.num else 0
        self.names = read_bytes(names_addr, size)
        self.text = address_of("_text")
        self.etext = address_of("_etext")

    def name_at(self, i):
        start = self.offsets[i]
        return self.names[start:self.names.index(b"\0", start)].decode("latin-1")

    def lookup(self, addr):
        """(name, offset, size) of the function holding addr, or None;
        the same binary search as kallsyms_lookup()."""
        if addr < self.text or addr >= self.etext:
            return None
        lo, hi, best = 0, self.num - 1, -1
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.addrs[mid] <= addr:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        if best < 0:
            return None
        end = self.addrs[best + 1] if best + 1 < self.num else self.etext
        return self.name_at(best), addr - self.addrs[best], end - self.addrs[best]


def fmt_pS(addr, syms):
    """%pS: "function+0xoff/0xsize", or %p when no function holds it."""
    hit = syms.lookup(addr)
    if hit is None:
        return fmt_p(addr)
    name, off, size = hit
    return "%s+%#x/%#x" % (name, off, size)
