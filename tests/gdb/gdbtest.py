#!/usr/bin/env python3
"""The gdb helpers' test: their output must equal the kernel's own tables.

For each architecture this script boots Pagoda in QEMU with the serial
console on a pipe and QEMU's gdb stub on a Unix socket, and then:

  1. gives the allocators something to show (a vmalloc area, kmalloc
     objects, page blocks, one from HIGHMEM), typed at the shell;
  2. prints the tables through the shell: /proc/vmallocinfo first, then
     buddyinfo, zoneinfo, meminfo, slabinfo, kmapinfo, dmesg, the
     `layout`, and `pt` of addresses of every kind (the start of each
     region of the layout, vmalloc areas and their guard pages, a
     direct-map page);
  3. starts gdb-multiarch in batch mode (tests/gdb/at_stop.py), which
     connects, breaks on alloc_pages_node and continues; then types
     `alloc_pages 3`. gdb stops at the allocator's entry, runs every
     helper (pg-buddyinfo ... pg-dmesg, pg-pt), evaluates the conversion
     functions, finishes the allocation and detaches;
  4. compares: each helper's output with the shell's table, exactly (the
     serial line's CR before each LF aside); the conversions with the
     pfn, physical address and address the shell printed for the same
     pages.

Why the stop point shows the state the tables showed: between the last
table and the breakpoint, the kernel only idles at the prompt and reads
the typed line (interrupts on; the timer and the UART allocate nothing,
and the shell's line and output buffers are static), then runs
cmd_alloc_pages, which parses its arguments and calls
alloc_pages_node(): the breakpoint is on that call's first instruction,
before anything is taken from a list or counted. Printing the tables
changes nothing either, with one exception made harmless by the order:
/proc/vmallocinfo kmallocs an array to sort the areas (and frees it), so
it is printed first, and its own output does not depend on the slab
state. `dmesg` logs nothing and `pt` only reads. So every table printed
in step 2 must equal what the helpers compute at the stop, byte for
byte; meminfo and dmesg included (meminfo has no uptime line, and
nothing is logged in between, so no line is exempt).

Output: one line per check, `ok NAME` or `FAIL NAME: reason` (with the
first differing lines below a failure), then `N passed, N failed`. The
exit status is 0 only if nothing failed. Every wait has a timeout and
QEMU and gdb are killed at the end, whatever happened.

QEMU and gdb are started, read and written through tests/lib/qemu.py,
which the boot tests (tests/boot/boottest.py) use too.

Nothing is built here: `make test-gdb` builds the x86 ISO and the riscv
kernel, then runs tests/gdb/run.sh, which runs this script. By hand:

    python3 tests/gdb/gdbtest.py [--arch x86|riscv|all] [--mem 256M]
                                 [--cmdline "..."] [--timeout S] [--verbose]

Python 3.9 or later, standard library only.
"""

import argparse
import difflib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))
import qemu  # noqa: E402 (tests/lib/qemu.py: QEMU over pipes, shared with tests/boot)
from qemu import PROMPT, Proc, Shell, normalise  # noqa: E402

PAGE_SIZE = 4096

# QEMU, image and build command from tests/lib/qemu.py.
ARCHES = {
    "x86": dict(
        qemu.MACHINES["x86"],
        elf="build/x86/pagoda.elf",
        gdb_arch="i386",
        ptr_size=4,
    ),
    "riscv": dict(
        qemu.MACHINES["riscv"],
        elf="build/riscv/pagoda.elf",
        gdb_arch="riscv:rv64",
        ptr_size=8,
    ),
}

# The tables: the shell command that prints each, and the helper that
# must print the same. vmallocinfo comes first (see the docstring).
TABLES = [
    ("vmallocinfo", "cat /proc/vmallocinfo", "pg-vmallocinfo"),
    ("buddyinfo", "cat /proc/buddyinfo", "pg-buddyinfo"),
    ("zoneinfo", "cat /proc/zoneinfo", "pg-zoneinfo"),
    ("meminfo", "cat /proc/meminfo", "pg-meminfo"),
    ("slabinfo", "cat /proc/slabinfo", "pg-slabinfo"),
    ("kmapinfo", "cat /proc/kmapinfo", "pg-kmapinfo"),
    ("dmesg", "dmesg", "pg-dmesg"),
]

# Typed before the tables, so that they have something in them.
SETUP = [
    "vmalloc 20000",
    "kmalloc 100",
    "kmalloc 40",
    "alloc_pages 2",
    "alloc_pages 0",
    "alloc_pages 0 GFP_KERNEL|__GFP_HIGHMEM",
]
STOP_COMMAND = "alloc_pages 3"
BREAK_AT = "alloc_pages_node"

# "order 3: pfn 0x1234 phys 0x1234000 zone Normal node 0, at 0xc1234000"
# or "..., no kernel address (HIGHMEM)" (mm/page_alloc_cmd.c)
ALLOC_RE = re.compile(
    r"order (\d+): pfn (0x[0-9a-f]+) phys (0x[0-9a-f]+) zone (\w+) node (\d+), "
    r"(?:at (0x[0-9a-f]+)|(no kernel address))")
LAYOUT_RE = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) ", re.M)
VMALLOC_RE = re.compile(r"^(0x[0-9a-f]+)-(0x[0-9a-f]+) ", re.M)


# This architecture's run cannot go on (timeout, a process gone).
Abort = qemu.Aborted


# ---------------------------------------------------------------------------
# The checks of one architecture


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("ok %s" % name, flush=True)

    def fail(self, name, reason, detail=""):
        self.failed += 1
        print("FAIL %s: %s" % (name, reason), flush=True)
        for line in detail.rstrip("\n").split("\n") if detail else []:
            print("#   " + line)
        sys.stdout.flush()

    def check(self, name, cond, reason, detail=""):
        if cond:
            self.ok(name)
        else:
            self.fail(name, reason, detail)


def first_difference(want, got, context=3, limit=24):
    """A short unified diff: the shell's table against the helper's."""
    diff = list(difflib.unified_diff(want.split("\n"), got.split("\n"),
                                     "shell", "gdb helper", n=context, lineterm=""))
    if len(diff) > limit:
        diff = diff[:limit] + ["... (%d more diff lines)" % (len(diff) - limit)]
    return "\n".join(diff)


def compare(res, name, shell_text, helper_text):
    """Exact comparison; the helper's output ends with a newline where the
    shell's, cut at the prompt, does not."""
    got = helper_text[:-1] if helper_text.endswith("\n") else helper_text
    if got.startswith("ERROR: ") or "Traceback" in got:
        res.fail(name, "the helper failed", got)
    elif got == shell_text:
        res.ok(name)
    else:
        res.fail(name, "differs from the shell's output",
                 first_difference(shell_text, got))


def qemu_argv(arch, args, sock):
    return qemu.qemu_argv(arch, os.path.join(REPO, ARCHES[arch]["image"]), args.mem,
                          args.cmdline, ["-gdb", "unix:%s,server=on,wait=off" % sock])


def missing(arch):
    spec = ARCHES[arch]
    for tool in (spec["qemu"], "gdb-multiarch"):
        if not shutil.which(tool):
            return "%s is not installed (make setup installs it)" % tool
    for path in (spec["image"], spec["elf"]):
        if not os.path.isfile(os.path.join(REPO, path)):
            return "%s not found (build it with `%s`)" % (path, spec["build"])
    return None


def parse_alloc(text):
    """(pfn, phys, address or None, zone) from alloc_pages' line."""
    m = ALLOC_RE.search(text)
    if not m:
        raise Abort("alloc_pages printed no block: %r" % text)
    addr = int(m.group(6), 16) if m.group(6) else None
    return int(m.group(2), 16), int(m.group(3), 16), addr, m.group(4)


def pt_addresses(layout, vmallocinfo, lowmem_addr):
    """Addresses for `pt`, one of each kind: the first byte of every
    region in the layout (NULL page, user space, kernel image, direct map,
    vmalloc, pkmap, fixmap...), the first page and the guard page of every
    vmalloc area, and a direct-map page the shell allocated."""
    addrs = []
    for m in LAYOUT_RE.finditer(layout):
        addrs.append(int(m.group(1), 16))
    for m in VMALLOC_RE.finditer(vmallocinfo):
        start, end = int(m.group(1), 16), int(m.group(2), 16)
        addrs += [start, end - PAGE_SIZE]
    if lowmem_addr is not None:
        addrs.append(lowmem_addr + 0x123)
    seen = []
    for a in addrs:
        if a not in seen:
            seen.append(a)
    return seen


def gdb_errors(path):
    """What at_stop.py recorded as going wrong, if it got that far."""
    try:
        with open(path) as f:
            errors = json.load(f)["errors"]
    except (OSError, ValueError, KeyError):
        return ""
    return "".join("\n" + e.rstrip() for e in errors)


def run_arch(arch, args, res):
    spec = ARCHES[arch]
    why = missing(arch)
    if why:
        res.fail("%s boot" % arch, why)
        return
    tmp = tempfile.mkdtemp(prefix="pagoda-gdbtest-")
    if len(tmp) > 90:  # a Unix socket's path must fit in about 108 bytes
        shutil.rmtree(tmp)
        tmp = tempfile.mkdtemp(prefix="pagoda-gdbtest-", dir="/tmp")
    sock = os.path.join(tmp, "gdb.sock")
    shell = gdb = None
    t0 = time.monotonic()
    try:
        shell = Shell(qemu_argv(arch, args, sock), args.timeout, args.verbose, cwd=REPO)
        shell.wait_for(re.compile(re.escape(PROMPT)), 0, "the first prompt",
                       args.boot_timeout)
        res.ok("%s boot to the prompt (%.1fs)" % (arch, time.monotonic() - t0))

        setup_allocs = []
        for line in SETUP:
            out = shell.command(line)
            if line.startswith("alloc_pages"):
                setup_allocs.append((line, parse_alloc(out)))
        tables = {}
        for key, cmd, _ in TABLES:
            tables[key] = shell.command(cmd)
        layout = shell.command("layout")
        lowmem = next((a[2] for _, a in setup_allocs if a[2] is not None), None)
        addrs = pt_addresses(layout, tables["vmallocinfo"], lowmem)
        pts = {}
        for a in addrs:
            pts["%x" % a] = shell.command("pt %x" % a)

        # The plan for gdb: commands to run at the stop, expressions to
        # evaluate there and after the allocation returns.
        commands = [(key, helper) for key, _, helper in TABLES]
        commands += [("pt %x" % a, "pg-pt 0x%x" % a) for a in addrs]
        exprs = []
        for i, (_, (pfn, phys, addr, _)) in enumerate(setup_allocs):
            page = "$pfn_to_page(%#x)" % pfn
            exprs += [("%d.phys" % i, "$page_to_phys(%s)" % page),
                      ("%d.pfn" % i, "$page_to_pfn(%s)" % page),
                      ("%d.address" % i, "$page_address(%s)" % page)]
            if addr is not None:
                exprs += [("%d.virt_to_phys" % i, "$virt_to_phys(%#x)" % addr),
                          ("%d.virt_to_page" % i, "$virt_to_page(%#x)" % addr),
                          ("%d.page" % i, page),
                          ("%d.phys_to_virt" % i, "$phys_to_virt(%#x)" % phys)]
            commands.append(("page %d" % i, "pg-page pfn:%#x" % pfn))
        after = [("pfn", "$page_to_pfn($page)"), ("phys", "$page_to_phys($page)"),
                 ("address", "$page_address($page)"), ("page", "$page"),
                 ("pfn_to_page", "$pfn_to_page($page_to_pfn($page))"),
                 ("virt_to_page", "$virt_to_page($page_address($page))"),
                 ("virt_to_phys", "$virt_to_phys($page_address($page))"),
                 ("pg-page", "pg-page $page")]
        plan = {
            "gdb_arch": spec["gdb_arch"],
            "helpers": os.path.join(REPO, "tools/gdb/pagoda.py"),
            "socket": sock,
            "break": BREAK_AT,
            "commands": commands,
            "exprs": exprs,
            "after_finish": after,
            "out": os.path.join(tmp, "result.json"),
        }
        plan_path = os.path.join(tmp, "plan.json")
        with open(plan_path, "w") as f:
            json.dump(plan, f)

        env = dict(os.environ, PAGODA_GDBTEST_PLAN=plan_path)
        gdb = Proc(["gdb-multiarch", "-nx", "-q", "-batch",
                    "-x", os.path.join(REPO, "tests/gdb/at_stop.py"),
                    os.path.join(REPO, spec["elf"])],
                   args.timeout, args.verbose, "gdb", stdin=False, env=env, cwd=REPO)
        try:
            gdb.wait_for(re.compile(r"^@@ready", re.M), 0, "gdb to connect and break",
                         args.timeout)
        except Abort as e:
            raise Abort("%s%s" % (e, gdb_errors(plan["out"]))) from None
        start = len(shell.text)
        shell.send(STOP_COMMAND + "\r", args.timeout)
        gdb.wait_exit("running the helpers at the stop", args.gdb_timeout)
        try:
            with open(plan["out"]) as f:
                result = json.load(f)
        except (OSError, ValueError) as e:
            raise Abort("gdb left no result (%s); it printed:\n%s" % (e, gdb.text[-2000:]))
        if result["errors"]:
            res.fail("%s gdb session" % arch, "the gdb script failed",
                     "\n".join(result["errors"]) + "\ngdb printed:\n" + gdb.text[-1500:])
        # After the detach the command completes: its line, then the prompt.
        prompt = shell.wait_for(re.compile(re.escape(PROMPT)), start,
                                "the prompt after %r" % STOP_COMMAND, args.timeout)
        stop_alloc = parse_alloc(normalise(shell.text[start:prompt.start()]))

        stop = result.get("stop", {})
        res.check("%s stop at %s from cmd_alloc_pages" % (arch, BREAK_AT),
                  stop.get("function") == BREAK_AT and stop.get("caller") == "cmd_alloc_pages",
                  "stopped in %s called from %s" % (stop.get("function"), stop.get("caller")))
        helpers = result["commands"]
        missing_text = "ERROR: not run"
        for key, _, helper in TABLES:
            compare(res, "%s %s" % (arch, helper), tables[key],
                    helpers.get(key, missing_text))
        for a in addrs:
            compare(res, "%s pg-pt %x" % (arch, a), pts["%x" % a],
                    helpers.get("pt %x" % a, missing_text))
        check_conversions(arch, res, setup_allocs, result, helpers)
        check_stop_alloc(arch, res, stop_alloc, result["after_finish"])
        gdb.kill()
        gdb = None
    except Abort as e:
        detail = ""
        if shell:
            detail += "serial output, last lines:\n" + normalise(shell.text[-1200:])
        if gdb:
            detail += "\ngdb output, last lines:\n" + gdb.text[-1200:] + gdb.stderr_note()
        res.fail("%s run" % arch, str(e), detail)
    finally:
        for p in (gdb, shell):
            if p:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def check_conversions(arch, res, setup_allocs, result, helpers):
    """The functions at the stop, on the pages the shell allocated
    earlier: they must give the pfn, physical address and address the
    shell printed, and pg-page must describe an allocated block."""
    ex = result["exprs"]
    for i, (line, (pfn, phys, addr, zone)) in enumerate(setup_allocs):
        name = "%s conversions of %r" % (arch, line)
        problems = []

        def want(key, value):
            got = ex.get("%d.%s" % (i, key), "ERROR: missing")
            if got != "%#x" % value:
                problems.append("%s: gdb %s, shell %#x" % (key, got, value))

        want("pfn", pfn)
        want("phys", phys)
        want("address", addr if addr is not None else 0)
        if addr is not None:
            want("virt_to_phys", phys)
            want("phys_to_virt", addr)
            if ex.get("%d.virt_to_page" % i) != ex.get("%d.page" % i):
                problems.append("virt_to_page %s != pfn_to_page %s" % (
                    ex.get("%d.virt_to_page" % i), ex.get("%d.page" % i)))
        page_text = helpers.get("page %d" % i, "")
        order = int(line.split()[1])
        if not re.search(r"pfn %#x, phys %#x, zone %s, node 0\n" % (pfn, phys, zone), page_text):
            problems.append("pg-page's first line does not name pfn, phys and zone")
        if "allocated: an order-%d block" % order not in page_text:
            problems.append("pg-page does not say the block is allocated")
        if addr is None and "no kernel address" not in page_text:
            problems.append("pg-page gives a HIGHMEM page an address")
        width = 2 * ARCHES[arch]["ptr_size"]
        if addr is not None and "address 0x%0*x" % (width, addr) not in page_text:
            problems.append("pg-page does not give address %#x" % addr)
        res.check(name, not problems, "; ".join(problems), page_text)


def check_stop_alloc(arch, res, stop_alloc, after):
    """The block the stop's allocation returned ($page after `finish`),
    converted by the functions, against what the shell then printed."""
    pfn, phys, addr, zone = stop_alloc
    problems = []
    for key, value in (("pfn", pfn), ("phys", phys),
                       ("address", addr if addr is not None else 0)):
        if after.get(key) != "%#x" % value:
            problems.append("%s: gdb %s, shell %#x" % (key, after.get(key), value))
    if after.get("pfn_to_page") != after.get("page"):
        problems.append("pfn_to_page(page_to_pfn(page)) %s != page %s" % (
            after.get("pfn_to_page"), after.get("page")))
    if addr is not None:
        if after.get("virt_to_page") != after.get("page"):
            problems.append("virt_to_page %s != page %s" % (
                after.get("virt_to_page"), after.get("page")))
        if after.get("virt_to_phys") != "%#x" % phys:
            problems.append("virt_to_phys %s != phys %#x" % (
                after.get("virt_to_phys"), phys))
    text = after.get("pg-page", "")
    if "allocated: an order-3 block" not in text:
        problems.append("pg-page does not show the new order-3 block")
    res.check("%s conversions of the stop's own %r" % (arch, STOP_COMMAND),
              not problems, "; ".join(problems), text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", default="all", choices=["x86", "riscv", "all"])
    ap.add_argument("--mem", default="256M", help="QEMU -m (default 256M)")
    ap.add_argument("--cmdline", default="panic=-1 highmem=48M",
                    help="riscv kernel command line (x86's is in the ISO)")
    ap.add_argument("--timeout", type=float, default=60,
                    help="seconds for each command and gdb step (default 60)")
    ap.add_argument("--verbose", action="store_true", help="echo QEMU's and gdb's output")
    args = ap.parse_args()
    args.boot_timeout = max(args.timeout, 120)
    args.gdb_timeout = max(args.timeout, 180)

    # A SIGTERM (make killed, a CI timeout) still runs the cleanup.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    res = Results()
    arches = ["x86", "riscv"] if args.arch == "all" else [args.arch]
    for arch in arches:
        try:
            run_arch(arch, args, res)
        except Exception:
            res.fail("%s run" % arch, "the test script failed", traceback.format_exc())
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
