#!/usr/bin/python3
"""Draw a `memmap --dump` from Pagoda as a PNG: physical memory, one cell
per page frame.

Each zone is a band of rows; every row holds the same number of frames,
counted from frame 0, so a row's first address is round and a buddy block
no larger than a row lies within one row; a larger block fills whole rows
(with 256-frame rows an order-10 block is four). A cell's colour says what its frame is doing:
free blocks are green, darker the higher their order; allocated pages
have one colour per owner (slab, alloc_pages, kmalloc, vmalloc, page
tables, kmapped); reserved frames say who reserved them. The table on
the right counts each zone's pages per kind.

    /usr/bin/python3 tools/memmap/memmap_png.py DUMP PNG [--title TEXT]

The dump format is described in docs/memmap.md (and at the top of
mm/memmap_dump.c). The picture needs matplotlib from Debian
(python3-matplotlib, which tools/setup.sh installs): run this with
/usr/bin/python3, not another python3 that may be first on PATH. The
output is deterministic: the same dump gives the same bytes.
"""

import argparse
import sys

FORMAT_VERSION = 1

# The kinds mm/page_kind.c knows, in the legend's order, with a colour
# and what they mean. Free blocks and reserved frames are split further
# below (by order, by who reserved them).
KINDS = [
    ("free", None, "free, in the buddy lists (darker: higher order)"),
    ("pcp", "#d9ef8b", "free, on a per-CPU list"),
    ("slab", "#984ea3", "slab (kmem_cache, kmalloc)"),
    ("page", "#e41a1c", "alloc_pages"),
    ("kmalloc", "#ff7f00", "kmalloc too big for a cache"),
    ("vmalloc", "#377eb8", "vmalloc area pages"),
    ("pgtable", "#a65628", "page tables"),
    ("pkmap", "#f781bf", "kmapped HighMem (pkmap slot)"),
    ("reserved", None, "reserved (by bootmem's label)"),
    ("orphan", "#ffff00", "RAM owned by nothing (a bug)"),
    ("hole", "#e6e6e6", "not RAM (hole)"),
]
KIND_NAMES = [k for k, _, _ in KINDS]

# Reserved frames by bootmem's label; any other label is "other".
RESERVED = [
    ("Kernel_image", "#1a1a1a", "reserved: kernel image"),
    ("mem_map", "#5a5a5a", "reserved: mem_map"),
    ("page_owner", "#8c8c8c", "reserved: page_owner records"),
    ("page_tables", "#6b3410", "reserved: page tables from boot"),
    (None, "#b3b3b3", "reserved: firmware, boot data, other"),
]
OUTSIDE = "#ffffff"  # cells of a band's first or last row outside the zone
MAX_ORDER = 11


class DumpError(ValueError):
    """The text is not a complete, consistent memmap dump."""


def parse(text):
    """Read a dump; check that every frame is there exactly once and that
    the kernel's totals agree. Returns a dict:
    arch, page_size, pfns (first, end), zones [(nid, name, start, end)],
    runs [(pfn, count, kind, arg)] with arg an int order for free runs,
    the reservation's label for reserved ones, None otherwise."""
    lines = [l.strip() for l in text.replace("\r", "").split("\n")]
    lines = [l for l in lines if l]
    if not lines or lines[0] != "memmap-dump %d" % FORMAT_VERSION:
        raise DumpError("the first line is not 'memmap-dump %d'" % FORMAT_VERSION)
    d = {"zones": [], "runs": [], "totals": {}}
    i = 1
    try:
        while i < len(lines) and lines[i] != "runs":
            w = lines[i].split()
            if w[0] == "arch" and len(w) == 2:
                d["arch"] = w[1]
            elif w[0] == "page_size" and len(w) == 2:
                d["page_size"] = int(w[1])
            elif w[0] == "pfns" and len(w) == 3:
                d["pfns"] = (int(w[1], 16), int(w[2], 16))
            elif w[0] == "zone" and len(w) == 5:
                d["zones"].append((int(w[1]), w[2], int(w[3], 16), int(w[4], 16)))
            else:
                raise DumpError("unknown header line %r" % lines[i])
            i += 1
        for key in ("arch", "page_size", "pfns"):
            if key not in d:
                raise DumpError("the header has no %r line" % key)
        i += 1
        expect = d["pfns"][0]
        while i < len(lines) and not lines[i].startswith(("total ", "end ")):
            w = lines[i].split()
            if len(w) < 3 or w[2] not in KIND_NAMES:
                raise DumpError("bad run line %r" % lines[i])
            pfn, count, kind = int(w[0], 16), int(w[1]), w[2]
            if pfn != expect or count <= 0:
                raise DumpError("run %r: expected one starting at pfn %x"
                                % (lines[i], expect))
            arg = None
            if kind == "free":
                arg = int(w[3])
                if not 0 <= arg < MAX_ORDER:
                    raise DumpError("run %r: order out of range" % lines[i])
            elif kind == "reserved":
                arg = w[3]
            d["runs"].append((pfn, count, kind, arg))
            expect = pfn + count
            i += 1
        while i < len(lines) and lines[i].startswith("total "):
            w = lines[i].split()
            d["totals"][w[1]] = int(w[2])
            i += 1
        if i >= len(lines) or not lines[i].startswith("end "):
            raise DumpError("no 'end' line: the dump is cut short")
        w = lines[i].split()
        end_runs, end_frames = int(w[1]), int(w[2])
    except (IndexError, ValueError) as e:
        if isinstance(e, DumpError):
            raise
        raise DumpError("cannot parse line %r: %s" % (lines[min(i, len(lines) - 1)], e))
    lo, hi = d["pfns"]
    if expect != hi:
        raise DumpError("the runs end at pfn %x, not at %x" % (expect, hi))
    if end_runs != len(d["runs"]) or end_frames != hi - lo:
        raise DumpError("'end %d %d' but %d runs of %d frames were read"
                        % (end_runs, end_frames, len(d["runs"]), hi - lo))
    counted = {}
    for _, count, kind, _ in d["runs"]:
        counted[kind] = counted.get(kind, 0) + count
    if counted != d["totals"]:
        raise DumpError("the totals %s differ from the runs' %s" % (d["totals"], counted))
    return d


def zone_of(zones, pfn):
    for z in zones:
        if z[2] <= pfn < z[3]:
            return z
    return None


def figures(d):
    """{zone label: {kind: pages}}, zones in address order, then 'Total'."""
    out = {}
    for nid, name, start, end in d["zones"]:
        out["%s" % name if nid == 0 else "%d:%s" % (nid, name)] = {}
    out["outside zones"] = {}
    for pfn, count, kind, _ in d["runs"]:
        z = zone_of(d["zones"], pfn)
        key = ("outside zones" if z is None else
               z[1] if z[0] == 0 else "%d:%s" % (z[0], z[1]))
        out[key][kind] = out[key].get(kind, 0) + count
    if not out["outside zones"]:
        del out["outside zones"]
    total = {}
    for row in out.values():
        for k, n in row.items():
            total[k] = total.get(k, 0) + n
    out["Total"] = total
    return out


def geometry(frames):
    """Frames per row and pixels per cell: 1024 px wide rows of 1, 2 or 4
    MiB (with 4 KiB pages), so 128 MiB and 2 GiB both come out about
    512 px tall."""
    row = 256 if frames <= 65536 else 512 if frames <= 262144 else 1024
    return row, 1024 // row


def size_str(nbytes):
    for unit, shift in (("GiB", 30), ("MiB", 20)):
        if nbytes >= 1 << shift and nbytes % (1 << shift) == 0:
            return "%d %s" % (nbytes >> shift, unit)
    if nbytes >= 1 << 20:
        return "%.1f MiB" % (nbytes / (1 << 20))
    return "%d KiB" % (nbytes >> 10)


def colour_table():
    """The RGB colours: free by order, reserved by label, and the rest."""
    from matplotlib import cm, colors

    rgb = {k: colors.to_rgb(c) for k, c, _ in KINDS if c}
    greens = cm.get_cmap("Greens")
    free = [greens(0.25 + 0.5 * o / (MAX_ORDER - 1))[:3] for o in range(MAX_ORDER)]
    reserved = {label: colors.to_rgb(c) for label, c, _ in RESERVED}
    return rgb, free, reserved, colors.to_rgb(OUTSIDE)


def band_image(d, zone, row, colours):
    """The cells of one zone, rows of `row` frames from a round pfn."""
    import numpy as np

    rgb, free, reserved, outside = colours
    free_light = [tuple(c + (1 - c) * 0.18 for c in f) for f in free]
    _, _, start, end = zone
    first = start - start % row
    rows = -(-(end - first) // row)
    img = np.empty((rows * row, 3))
    img[:] = outside
    for pfn, count, kind, arg in d["runs"]:
        lo, hi = max(pfn, start), min(pfn + count, end)
        if lo >= hi:
            continue
        if kind == "free":
            # Every other block a shade lighter, so that neighbouring
            # blocks of one order show as blocks, not as one stripe.
            idx = np.arange(lo, hi)
            odd = ((idx >> arg) & 1).astype(bool)[:, None]
            img[lo - first:hi - first] = np.where(odd, free_light[arg], free[arg])
            continue
        if kind == "reserved":
            c = reserved.get(arg, reserved[None])
        else:
            c = rgb[kind]
        img[lo - first:hi - first] = c
    return img.reshape(rows, row, 3), first, rows


def figures_text(d):
    """The side table: pages per kind and zone, kinds in legend order."""
    fig = figures(d)
    cols = list(fig)
    width = max(8, max(len(c) for c in cols) + 1)
    lines = ["pages    " + "".join("%*s" % (width, c) for c in cols)]
    for kind in KIND_NAMES:
        if any(fig[c].get(kind) for c in cols):
            lines.append("%-9s" % kind + "".join(
                "%*d" % (width, fig[c].get(kind, 0)) for c in cols))
    lines.append("%-9s" % "all" + "".join(
        "%*d" % (width, sum(fig[c].values())) for c in cols))
    return "\n".join(lines)


def legend_entries(d, colours):
    rgb, free, reserved, _ = colours
    used = {kind for _, _, kind, _ in d["runs"]}
    labels = {arg for _, _, kind, arg in d["runs"] if kind == "reserved"}
    known = {label for label, _, _ in RESERVED if label}
    out = []
    for kind, _, meaning in KINDS:
        if kind == "free":
            orders = sorted({arg for _, _, k, arg in d["runs"] if k == "free"})
            for o in (orders[0], orders[-1]) if orders else ():
                out.append((free[o], "free block of order %d" % o))
        elif kind == "reserved":
            for label, _, text in RESERVED:
                if label in labels or (label is None and labels - known):
                    out.append((reserved[label], text))
        elif kind in used or kind in ("slab", "page", "vmalloc", "pgtable"):
            out.append((rgb[kind], meaning))
    return out


def draw(d, path, title=None):
    """Write the PNG; returns {"width": px, "height": px}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    colours = colour_table()
    lo, hi = d["pfns"]
    ram = sum(c for _, c, k, _ in d["runs"] if k != "hole")
    row, scale = geometry(hi - lo)
    page = d["page_size"]
    bands = [band_image(d, z, row, colours) + (z,) for z in d["zones"]]

    dpi = 100
    label_h, gap, top, bottom = 18, 10, 56, 12
    left, right = 96, 380
    img_w = row * scale
    heights = [rows * scale for _, _, rows, _ in bands]
    height = top + sum(label_h + h + gap for h in heights) + bottom
    width = left + img_w + right
    fig = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    fig.patch.set_facecolor("white")

    def frac(x, y, w, h):  # pixels from the top left -> figure fractions
        return [x / width, 1 - (y + h) / height, w / width, h / height]

    if title is None:
        title = "Pagoda %s: %s of RAM" % (d["arch"], size_str(ram * page))
    fig.text(8 / width, 1 - 8 / height, title, va="top", ha="left",
             fontsize=13, weight="bold")
    fig.text(8 / width, 1 - 30 / height,
             "one cell = one %s page frame; one row = %d frames (%s)"
             % (size_str(page), row, size_str(row * page)),
             va="top", ha="left", fontsize=9)

    y = top
    for (img, first, rows, zone), h in zip(bands, heights):
        nid, name, start, end = zone
        fig.text(left / width, 1 - (y + 2) / height,
                 "Node %d %s  [mem %#010x-%#010x]  %s"
                 % (nid, name, start * page, end * page - 1,
                    size_str((end - start) * page)),
                 va="top", ha="left", fontsize=9, weight="bold")
        y += label_h
        ax = fig.add_axes(frac(left, y, img_w, h))
        ax.imshow(img, interpolation="nearest", aspect="auto",
                  extent=(0, row, rows, 0))
        # Small zones get one address, big ones four.
        step = max(1, rows // 4) if h >= 48 else rows
        ticks = list(range(0, rows, step))
        ax.set_yticks(ticks)
        ax.set_yticklabels(["%#010x" % ((first + t * row) * page) for t in ticks],
                           fontsize=7, family="monospace")
        ax.set_xticks([])
        for s in ax.spines.values():
            s.set_linewidth(0.5)
        y += h + gap

    handles = [Patch(facecolor=c, edgecolor="#404040", linewidth=0.4, label=t)
               for c, t in legend_entries(d, colours)]
    x0 = (left + img_w + 16) / width
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x0, 1 - top / height),
               fontsize=8, frameon=False, handlelength=1.4, borderaxespad=0,
               labelspacing=0.5)
    # An entry is 1.5 lines of 8 pt at 100 dpi: about 17 px.
    fig.text(x0, 1 - (top + 16 + 17 * len(handles)) / height, figures_text(d),
             va="top", ha="left", fontsize=7.5, family="monospace")
    fig.savefig(path, dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return {"width": width, "height": height}


def main():
    p = argparse.ArgumentParser(description="Draw a `memmap --dump` as a PNG.")
    p.add_argument("dump", help="the dump, as the shell printed it")
    p.add_argument("png", help="where to write the picture")
    p.add_argument("--title", help="the title (default: arch and RAM size)")
    opts = p.parse_args()
    try:
        import matplotlib  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as e:
        print("memmap_png: %s: matplotlib is missing. Run tools/setup.sh (it "
              "installs Debian's python3-matplotlib) and run this with "
              "/usr/bin/python3." % e, file=sys.stderr)
        return 2
    try:
        with open(opts.dump, encoding="latin-1") as f:
            d = parse(f.read())
    except (OSError, DumpError) as e:
        print("memmap_png: %s: %s" % (opts.dump, e), file=sys.stderr)
        return 1
    info = draw(d, opts.png, opts.title)
    print("%s: %dx%d pixels" % (opts.png, info["width"], info["height"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
