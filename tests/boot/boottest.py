#!/usr/bin/env python3
"""Boot tests for Pagoda: boot the kernel in QEMU and talk to its shell.

For every architecture and memory size asked for, this script starts QEMU
with the kernel's serial console on QEMU's stdin/stdout, waits for the
shell prompt, types commands and checks what the kernel answers: the
memory map in /proc/iomem, the command line, error messages, /proc, dmesg,
the timer, line editing, a long pasted line, a burst of random input, a
recovered fault and poweroff. Every expectation comes from the boot's own parameters (the -m
size, the command line the kernel was given), never from a figure copied
from an earlier run.

QEMU is started and its serial line read and written by tests/lib/qemu.py,
which the gdb helpers' test (tests/gdb/gdbtest.py) uses too.

Nothing is built here. `make test-boot` builds the x86 ISO and the RISC-V
kernel and then runs this script; by hand, run `make iso` and/or
`make ARCH=riscv kernel` first. The x86 command line is the one baked into
the ISO (`make iso CMDLINE="..."`); this script reads it back from
build/x86/iso/boot/grub/grub.cfg. RISC-V gets its command line from QEMU's
-append, including a random token, so the cmdline check is a real one.

Run from the repository root:

    python3 tests/boot/boottest.py                    # x86 and riscv, 128M and 2G
    python3 tests/boot/boottest.py --arch x86         # one architecture
    python3 tests/boot/boottest.py --arch riscv --mem 256M --verbose

Output: one line per check, `ok N - ...` or `not ok N - ...`, with the
reason and the serial lines that matter on `#` lines below a failure; then
a table of boot times (reported, never checked); then one line
`N passed, N failed`. The exit status is 0 only if nothing failed.

Python 3.9 or later, standard library only.
"""

import argparse
import copy
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))
import qemu  # noqa: E402 (tests/lib/qemu.py: QEMU over pipes, shared with tests/gdb)
from qemu import PROMPT, PROMPT_RE, normalise, printable  # noqa: E402,F401

GRUB_CFG = "build/x86/iso/boot/grub/grub.cfg"

BANNER_RE = re.compile(r"Pagoda[^\n]*starting")

GiB = 1 << 30

# What differs between the architectures (QEMU, image and build command
# from tests/lib/qemu.py).
ARCHES = {
    "x86": dict(
        qemu.MACHINES["x86"],
        name="i386",  # what the kernel calls its arch
        poweroff_status=1,  # isa-debug-exit: (code << 1) | 1
    ),
    "riscv": dict(
        qemu.MACHINES["riscv"],
        name="riscv64",
        poweroff_status=0,  # SBI system reset: QEMU exits with 0
    ),
}
RISCV_RAM_BASE = 0x80000000  # where QEMU's virt machine puts RAM


# ---------------------------------------------------------------------------
# Small helpers


def parse_size(text):
    """QEMU's -m syntax: "128M", "2G", "512K"; a bare number means MiB."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)[bB]?\s*", text)
    if not m:
        raise ValueError("bad memory size %r" % text)
    shift = {"": 20, "k": 10, "m": 20, "g": 30, "t": 40}[m.group(2).lower()]
    return int(float(m.group(1)) * (1 << shift))


def kernel_size_param(text):
    """The kernel's own size syntax (mem=64M); a bare number is bytes."""
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", text)
    if not m:
        return None
    shift = {"": 0, "k": 10, "m": 20, "g": 30}[m.group(2).lower()]
    return int(m.group(1)) << shift


def grub_join(words):
    """The command line GRUB hands a multiboot kernel for these words.

    GRUB's script parser splits the line like a shell (quotes removed);
    grub_create_loader_cmdline() then joins the words with single spaces,
    puts a backslash before \\ ' and ", and double-quotes any word that
    holds a space.
    """
    parts = []
    for w in words:
        escaped = re.sub(r"([\\'\"])", r"\\\1", w)
        parts.append('"%s"' % escaped if " " in w else escaped)
    return " ".join(parts)


def x86_cmdline(grub_cfg=GRUB_CFG):
    """The command line baked into the ISO, from the grub.cfg it was built with."""
    path = os.path.join(REPO, grub_cfg)
    with open(path) as f:
        for line in f:
            words = shlex.split(line, comments=True)
            if words and words[0] in ("multiboot2", "multiboot"):
                return grub_join(words[2:])  # after the kernel's path
    raise ValueError("%s has no multiboot2 line" % grub_cfg)


# ---------------------------------------------------------------------------
# Talking to QEMU


# The boot cannot go on (timeout, QEMU gone); later checks are not run.
BootAborted = qemu.Aborted


class CheckFailed(Exception):
    """One check's expectation did not hold; the boot goes on."""

    def __init__(self, reason, output=""):
        super().__init__(reason)
        self.reason = reason
        self.output = output


class Qemu(qemu.Shell):
    """A running QEMU whose serial console is our pipe (tests/lib/qemu.py:
    text, pump, pause, wait_for, time_at, send, command, wait_exit, kill,
    tail)."""

    def __init__(self, argv, timeout, verbose):
        super().__init__(argv, timeout, verbose)


# ---------------------------------------------------------------------------
# One boot: its parameters and what it measured


class Boot:
    """One (arch, mem) pair: how to start it and what to expect."""

    def __init__(self, arch, mem, extra_cmdline):
        spec = ARCHES[arch]
        self.arch = arch
        self.mem = mem
        self.mem_bytes = parse_size(mem)
        self.arch_name = spec["name"]
        self.poweroff_status = spec["poweroff_status"]
        self.qemu = spec["qemu"]
        self.image = os.path.join(REPO, spec["image"])
        self.build_hint = spec["build"]
        self.first_line_s = None
        self.prompt_s = None
        self.cmdline = None
        self.problem = None  # why it cannot start, if it cannot
        self.memmap_dumps = []  # (bytes, seconds) of each memmap --dump
        if arch == "x86":
            try:
                self.cmdline = x86_cmdline()
            except (OSError, ValueError) as e:
                self.problem = "cannot learn the ISO's command line: %s" % e
        else:
            token = secrets.token_hex(8)
            self.cmdline = "panic=-1 boottest.token=%s" % token
            if extra_cmdline:
                self.cmdline += " " + extra_cmdline

    def label(self):
        return "%s %s" % (self.arch, self.mem)

    def argv(self):
        return qemu.qemu_argv(self.arch, self.image, self.mem, self.cmdline)

    def missing(self):
        """Why this boot cannot be started, or None."""
        if self.problem:
            return self.problem
        if not shutil.which(self.qemu):
            return "%s is not installed (not found on PATH)" % self.qemu
        if not os.path.isfile(self.image):
            return "%s not found (build it with `%s`)" % (
                os.path.relpath(self.image, REPO), self.build_hint)
        return None

    def ram_limit(self):
        """How much RAM the kernel may report: -m, or less with mem=.

        On x86 only RAM below 4 GiB counts: a non-PAE i386 kernel cannot
        address the rest. QEMU's pc machine keeps all of -m below 4 GiB
        when it is under 3.5 GiB; from 3.5 GiB on it puts 3 GiB below and
        the remainder above 4 GiB.
        """
        limit = self.mem_bytes
        if self.arch == "x86" and limit >= 3 * GiB + GiB // 2:
            limit = 3 * GiB
        for word in self.cmdline.split():
            if word.startswith("mem="):
                size = kernel_size_param(word[4:])
                if size:
                    limit = min(limit, size)
        return limit

    def ram_window(self):
        """The physical range QEMU's RAM can lie in: [lo, hi)."""
        if self.arch == "riscv":
            return RISCV_RAM_BASE, RISCV_RAM_BASE + self.mem_bytes
        return 0, 4 * GiB  # see ram_limit(): x86 counts only RAM below 4 GiB


# ---------------------------------------------------------------------------
# The checks. Each takes the boot and its QEMU, returns on success and
# raises CheckFailed (this check failed) or BootAborted (nothing more can
# be checked on this boot).


def check_boot(boot, q):
    banner = q.wait_for(BANNER_RE, 0, "the banner line (Pagoda ... starting)")
    line_start = q.text.rfind("\n", 0, banner.start()) + 1
    boot.first_line_s = q.time_at(line_start)
    prompt = q.wait_for(PROMPT_RE, banner.end(), "the first prompt")
    boot.prompt_s = q.time_at(prompt.start())
    line = normalise(q.text[line_start : banner.end()])
    if not re.search(r"\b%s\b" % re.escape(boot.arch_name), line):
        raise CheckFailed("the banner does not name %s" % boot.arch_name, line)


class Resource:
    """One line of /proc/iomem, with the lines nested under it."""

    def __init__(self, start, end, name, parent):
        self.start, self.end, self.name, self.parent = start, end, name, parent
        self.children = []

    def __repr__(self):
        return "%08x-%08x : %s" % (self.start, self.end, self.name)

    def size(self):
        return self.end - self.start + 1

    def ancestors(self):
        r = self.parent
        while r:
            yield r
            r = r.parent


IOMEM_LINE = re.compile(r"( *)([0-9a-f]+)-([0-9a-f]+) : (.+)")


def parse_iomem(text):
    """The iomem table as a tree; returns (top-level list, every entry)."""
    top, everything, stack = [], [], []
    for line in text.split("\n"):
        m = IOMEM_LINE.fullmatch(line)
        if not m:
            raise CheckFailed("cannot parse iomem line %r" % line, text)
        indent = len(m.group(1))
        depth = indent // 2
        if indent % 2 or depth > len(stack):
            raise CheckFailed("bad indentation in %r" % line, text)
        del stack[depth:]
        parent = stack[-1] if stack else None
        r = Resource(int(m.group(2), 16), int(m.group(3), 16), m.group(4), parent)
        (parent.children if parent else top).append(r)
        everything.append(r)
        stack.append(r)
    return top, everything


def iomem_tree_problems(top, everything):
    """Ranges well formed, children inside parents, siblings sorted apart."""
    problems = []
    for r in everything:
        if r.end < r.start:
            problems.append("%r ends before it starts" % r)
        if r.parent and not (r.parent.start <= r.start and r.end <= r.parent.end):
            problems.append("%r is not inside its parent %r" % (r, r.parent))
    for siblings in [top] + [r.children for r in everything]:
        for a, b in zip(siblings, siblings[1:]):
            if a.end >= b.start:
                problems.append("%r and %r are unsorted or overlap" % (a, b))
    return problems


def iomem_ram_problems(boot, top, everything):
    """System RAM adds up to -m, lies where QEMU puts RAM, holds the kernel."""
    problems = []
    ram = [r for r in top if r.name == "System RAM"]
    total = sum(r.size() for r in ram)
    limit = boot.ram_limit()
    low = limit - limit // 50  # firmware and QEMU keep up to 2%
    if not low <= total <= limit:
        problems.append(
            "top-level System RAM totals %d bytes (%.2f MiB); expected %d..%d"
            % (total, total / (1 << 20), low, limit)
        )
    lo, hi = boot.ram_window()
    for r in ram:
        if r.start < lo or r.end >= hi:
            problems.append("%r lies outside the RAM QEMU gives [%#x, %#x)" % (r, lo, hi))
    for name in ("Kernel code", "Kernel data", "Kernel bss"):
        found = [r for r in everything if r.name == name]
        if not found:
            problems.append("no %r entry" % name)
        for r in found:
            if not any(a.name == "System RAM" for a in r.ancestors()):
                problems.append("%r is not nested inside System RAM" % r)
    return problems


def check_iomem(boot, q):
    text = q.command("cat /proc/iomem")
    top, everything = parse_iomem(text)
    problems = iomem_tree_problems(top, everything)
    problems += iomem_ram_problems(boot, top, everything)
    if problems:
        raise CheckFailed("; ".join(problems), text)


def check_cmdline(boot, q):
    out = q.command("cmdline")
    if out != boot.cmdline:
        raise CheckFailed("expected %r, got %r" % (boot.cmdline, out), out)


def check_unknown_command(boot, q):
    word = "frob" + secrets.token_hex(3)
    out = q.command(word)
    if not any(l.startswith(word + ": command not found") for l in out.split("\n")):
        raise CheckFailed("no '%s: command not found' line" % word, out)


def check_prompt_in_output(boot, q):
    """A command that prints the prompt's text: the commands after it
    must still get their own output, not the one before."""
    out = q.command('echo "%s" done' % PROMPT)
    if out != PROMPT + " done":
        raise CheckFailed("echo printed %r, not %r" % (out, PROMPT + " done"), q.tail(5))
    for word in ("first-after", "second-after"):
        got = q.command("echo %s" % word)
        if got != word:
            raise CheckFailed("'echo %s' returned %r: the shell's output is out of step"
                              % (word, got), q.tail(8))


def check_bad_arguments(boot, q):
    problems = []
    out = q.command("peek zz")
    lines = out.split("\n")
    if not any(l.startswith("usage:") for l in lines):
        problems.append("'peek zz' printed no usage: line")
    if "peek: error -EINVAL" not in lines:
        problems.append("'peek zz' printed no 'peek: error -EINVAL' line")
    out2 = q.command("cat /proc/nonexistent")
    if "No such file or directory" not in out2:
        problems.append("'cat /proc/nonexistent' did not say No such file or directory")
    if problems:
        raise CheckFailed("; ".join(problems), out + "\n" + out2)


# Arguments no command accepts: junk, out-of-range numbers, missing files,
# an over-long word. Commands whose job is to take any text are left out.
BAD_ARGS = ["zz!", "-1 99999999999999999999999", "/dev/nonexistent 0x 7 zz=zz " + "x" * 200]
ANY_TEXT_OK = {"echo"}


def shell_commands(q):
    names = [m.group(1) for m in re.finditer(r"^  (\S+)", q.command("help"), re.M)]
    if len(names) < 20:
        raise CheckFailed("help lists only %d commands" % len(names))
    return names


def check_every_command_bad_args(boot, q):
    """Every command, given arguments it cannot take, explains itself
    (a usage line or an error) and the shell goes on, with no oops."""
    problems = []
    names = shell_commands(q)
    start = len(q.text)  # after help, which mentions BUG() and panic()
    for name in names:
        if name in ANY_TEXT_OK:
            continue
        for args in BAD_ARGS:
            out = q.command("%s %s" % (name, args))
            # A usage line, or a line where the command names itself.
            if not re.search(r"^(usage|%s): " % re.escape(name), out, re.M):
                problems.append("'%s %s' printed no error: %r" % (name, args[:20], out[:60]))
                break
    if re.search(r"Oops|BUG|Kernel panic|WARNING|Call Trace", q.text[start:]):
        problems.append("an oops, BUG or WARNING was printed")
    if "pagoda" not in q.command("echo pagoda"):
        problems.append("the shell no longer answers")
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(30))


def check_proc(boot, q):
    out = q.command("ls /proc")
    missing = {"iomem", "bootmem", "uptime", "version", "cmdline"} - set(out.split())
    if missing:
        raise CheckFailed("ls /proc lacks %s" % ", ".join(sorted(missing)), out)
    version = q.command("cat /proc/version")
    if boot.arch_name not in version:
        raise CheckFailed("/proc/version does not name %s" % boot.arch_name, version)
    # Every table must print at every memory size: data kept from boot
    # (the device tree, say) may lie outside the direct map at 2G.
    for name in out.split():
        text = q.command("cat /proc/%s" % name)
        if "oops" in text or "killed by" in text or "error" in text:
            raise CheckFailed("cat /proc/%s failed" % name, text)


def check_dmesg(boot, q):
    out = q.command("dmesg")
    lines = out.split("\n")
    problems = []
    if not any(BANNER_RE.search(l) and boot.arch_name in l for l in lines):
        problems.append("no banner line naming %s" % boot.arch_name)
    logged = [l.partition("Command line: ")[2] for l in lines if "Command line:" in l]
    if boot.cmdline not in logged:
        problems.append("no 'Command line: %s' line (found %r)" % (boot.cmdline, logged))
    if problems:
        raise CheckFailed("; ".join(problems), "\n".join(lines[:40]))


def uptime_seconds(text):
    try:
        return float(text.split()[0])
    except (IndexError, ValueError):
        raise CheckFailed("cannot read /proc/uptime: %r" % text, text) from None


def check_timer(boot, q):
    first = uptime_seconds(q.command("cat /proc/uptime"))
    q.pause(1.5)
    second = uptime_seconds(q.command("cat /proc/uptime"))
    if not second > first:
        raise CheckFailed(
            "uptime did not grow over 1.5 s of wall time: %s then %s" % (first, second))


def check_line_editing(boot, q):
    problems = []
    out = q.command("echo abcX\x7fd")  # DEL (backspace) erases the X
    if out != "abcd":
        problems.append("backspace: expected 'abcd', got %r" % out)
    out = q.command("\x1b[A")  # up arrow: the last line again
    if out != "abcd":
        problems.append("history (up arrow): expected 'abcd', got %r" % out)
    out = q.command("upti\t")  # Tab completes the command name
    if not out.startswith("up "):
        problems.append("Tab completion of 'upti': expected 'up ...', got %r" % out)
    if problems:
        raise CheckFailed("; ".join(problems))


CONSOLE_LINE = 4096  # bytes typed at once: 256 times a 16550's FIFO
LINE_KEPT = 255  # what the shell's line buffer holds


def check_console_input(boot, q):
    """A 4 KiB line written in one go, as a paste would: the shell must
    echo the first 255 characters exactly and ring the bell once for every
    one past its buffer, so that every byte arrived, in order, none twice;
    and `echo` prints the words it kept. The rate is reported, not
    checked."""
    rng = random.Random(secrets.randbits(32))
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    line = "echo " + "".join(rng.choice(alphabet) for _ in range(CONSOLE_LINE - 5))
    start = len(q.text)
    t0 = time.monotonic()
    q.send(line + "\r")
    enter = q.wait_for(re.compile(r"\r?\n"), start, "the end of the 4 KiB line")
    took = time.monotonic() - t0
    prompt = q.wait_for(PROMPT_RE, enter.end(), "the prompt after the 4 KiB line")
    echoed = q.text[start:enter.start()]
    out = normalise(q.text[enter.end() : prompt.start()]).rstrip("\n")
    print("# %s: console input: %d bytes in %.2f s (%.0f bytes/s)"
          % (boot.label(), len(line) + 1, took, (len(line) + 1) / took))
    problems = []
    kept = echoed[:LINE_KEPT]
    if kept != line[:LINE_KEPT]:
        at = next((i for i, (a, b) in enumerate(zip(kept, line)) if a != b), len(kept))
        problems.append("the echo differs from what was typed at byte %d: %r, typed %r"
                        % (at, kept[at : at + 20], line[at : at + 20]))
    bells = echoed[LINE_KEPT:]
    if bells != "\a" * (len(line) - LINE_KEPT):
        problems.append("%d bytes past the buffer, but %d bells and %d other characters echoed"
                        % (len(line) - LINE_KEPT, bells.count("\a"),
                           len(bells) - bells.count("\a")))
    if out != line[5:LINE_KEPT]:
        problems.append("echo printed %r..., not the %d characters kept"
                        % (out[:40], LINE_KEPT - 5))
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(5))


FUZZ_SECONDS = 3
# Commands the fuzz never types: they stop or crash the machine on
# purpose, read or write memory at an address, free by address, keep
# what they allocate, change state later checks rely on (fault injection,
# the console log level, the scull drivers' parameters), or run for long.
FUZZ_DENY = {
    "poweroff", "crash", "peek", "poke", "readl", "writel", "free_pages", "kfree",
    "vfree", "iounmap", "ioremap", "alloc_pages", "kmalloc", "vmalloc", "kmap", "kunmap", "failslab",
    "fail_page_alloc", "dmesg", "ioctl", "selftest", "scullbench", "stress",
}
FUZZ_WORDS = ["-l", "-n", "-c", "-k", "-m", "seq", "random", "0xaa", "all", "4K", "16K",
              "1000", "512", "0", "-1", "if=/dev/scull0", "of=/dev/scull1", "bs=512",
              "count=3", "skip=1", "seek=2", "GFP_KERNEL", "x=y", '"two words"', '"', ">",
              ">>", "pfn:0x100"]
FUZZ_KEYS = ["\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b[H", "\x1b[F", "\x1b[3~",
             "\x1b[1~", "\x1b[4~", "\x1bOH", "\x1bOF", "\x7f", "\x08", "\x01", "\x05",
             "\x0b", "\x15", "\x04", "\x0c", "\x03"]
FUZZ_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7f))
# A kernel message (timestamped) that must never appear, or an oops.
FUZZ_BAD = re.compile(r"^\[\s*\d+\.\d+\] .*(BUG|Oops|WARNING|Call Trace|sleeping function)"
                      r"|Kernel panic|killed by an oops", re.M)


def fuzz_word(rng, procs, devs):
    pick = rng.randrange(9)
    if pick == 0:
        return str(rng.randrange(10))
    if pick == 1:
        return str(rng.randrange(100000))
    if pick == 2:
        return "0x%x" % rng.getrandbits(rng.choice([4, 8, 16]))
    if pick == 3:
        return "/proc/" + rng.choice(procs)
    if pick == 4:
        return "/dev/" + rng.choice(devs)
    if pick == 5:
        return "x" * rng.randrange(60, 120)
    if pick == 6:
        return "".join(rng.choice(FUZZ_PRINTABLE) for _ in range(rng.randrange(1, 13)))
    return rng.choice(FUZZ_WORDS)


def fuzz_command(rng, names, procs, devs):
    """A command the shell knows, with random arguments, perhaps redirected."""
    words = [rng.choice(names)]
    words += [fuzz_word(rng, procs, devs) for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 5]))]
    if rng.random() < 0.1:
        words += [rng.choice([">", ">>"]), "/dev/" + rng.choice(devs)]
    while len(" ".join(words)) > 200:  # the line buffer holds 255
        words.pop(1)
    return " ".join(words)


def fuzz_noise(rng, slow):
    """Bytes that are not a command: raw bytes (control characters too,
    but no Tab, which could complete a command name), keys and escape
    sequences mixed with text, or a line longer than the shell's buffer.
    Where the console reads slowly (one that polls once per timer tick
    reads about 200 bytes a second), short pieces and no long lines, so
    that commands get their turn."""
    pick = rng.randrange(5 if slow else 6)
    if pick < 3:
        size = rng.randrange(4, 17) if slow else rng.randrange(8, 65)
        return bytes(b for b in (rng.getrandbits(8) for _ in range(size)) if b != 0x09)
    if pick < 5:
        out = []
        for _ in range(rng.randrange(1, 4 if slow else 9)):
            k = rng.randrange(4)
            if k == 0:
                out.append(rng.choice(FUZZ_KEYS))
            elif k == 1:  # an unknown CSI or SS3 sequence, or a lone ESC
                out.append(rng.choice(["\x1b[", "\x1bO", "\x1b"]) +
                           "".join(rng.choice("0123456789;") for _ in range(rng.randrange(6))) +
                           chr(rng.randrange(0x20, 0x7f)))
            else:
                out.append("".join(rng.choice(FUZZ_PRINTABLE) for _ in range(rng.randrange(1, 8))))
        return ("".join(out) + rng.choice(["", "\r"])).encode("latin-1")
    line = "".join(rng.choice(FUZZ_PRINTABLE + " ") for _ in range(rng.randrange(260, 700)))
    return (line + "\r").encode("latin-1")


def fuzz_quiet(q, quiet=0.02, most=5.0):
    """Wait until the serial output has been still for `quiet` seconds."""
    end, seen = time.monotonic() + most, len(q.text)
    while time.monotonic() < end:
        q.pump(quiet)
        if len(q.text) == seen:
            return
        seen = len(q.text)


def fuzz_sync(q, token):
    """^C twice (the first may only end an escape sequence the noise
    began), then a marker line; wait until it is echoed back: all typed
    before has been read. The x86 console drops what arrives while its
    256-byte ring is full (a command running, a long line redrawn), so a
    marker may be lost: then another is typed, waiting longer each time."""
    for attempt, wait in enumerate((2, 5, 10, 20, 30)):
        marker = "%s-%d" % (token, attempt)
        fuzz_quiet(q)
        mark = len(q.text)
        q.send("\x03\x03echo %s\r" % marker)
        try:
            done = q.wait_for(re.compile(r"\n%s\r?\n" % marker), mark, "'%s'" % marker,
                              timeout=wait)
        except BootAborted:
            if q.eof or q.exited():
                raise
            continue
        q.wait_for(PROMPT_RE, done.end(), "the prompt after '%s'" % marker)
        return
    raise CheckFailed("the shell did not echo 5 marker lines in a row", q.tail(40))


def empty_sculls(q):
    for v in SCULL_VARIANTS:
        q.command("truncate /dev/%s1" % v)


def check_fuzz(boot, q):
    """For a few seconds: random bytes, keys and escape sequences, lines
    longer than the buffer, and commands the shell knows with random
    arguments (all but FUZZ_DENY). Then the prompt answers, a line cut
    at the buffer's end still runs, slabcheck finds nothing, no oops,
    BUG or WARNING was printed, and with the scull devices emptied
    every page and slab object is back."""
    seed = random.SystemRandom().randrange(1 << 32)
    rng = random.Random(seed)
    print("# %s: fuzz seed %d" % (boot.label(), seed))
    names = [n for n in shell_commands(q) if n not in FUZZ_DENY]
    procs = q.command("ls /proc").split()
    # The devices it names: not /dev/zero, which never ends (cat would
    # print 1 MiB), and of scull only devices 1, the fewer to empty after.
    wanted = {"null"} | {"%s1" % v for v in SCULL_VARIANTS}
    devs = [d for d in q.command("ls /dev").split() if d in wanted]
    t0 = time.monotonic()
    for i in range(32):  # the up arrow then recalls nothing typed before
        q.command("echo fuzz-history-%d" % i)
    slow = time.monotonic() - t0 > 0.5  # 32 short lines took that long
    empty_sculls(q)
    mem0, slab0 = settled_memfree(q), settled_slab(q)
    start = len(q.text)
    commands = noise = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < FUZZ_SECONDS:
        if rng.random() < 0.4:
            data = ("\x03\x03%s\r" % fuzz_command(rng, names, procs, devs)).encode()
            commands += 1
        else:
            data = fuzz_noise(rng, slow)
            noise += len(data)
        q.send(data)
        if b"\r" in data:  # it may have started a command: let it finish
            fuzz_sync(q, "fuzz-sync-%d" % (commands + noise))
    fuzz_sync(q, "fuzz-done-%d" % seed)
    took = time.monotonic() - t0
    problems = []
    out = q.command("echo " + "b" * 600)  # rings the bell past 255 characters
    if out != "b" * 250:
        problems.append("an over-long 'echo' line printed %r" % out[:80])
    if q.command("echo ok-after-fuzz") != "ok-after-fuzz":
        problems.append("the shell does not answer 'echo' any more")
    check = q.command("slabcheck")
    if check != "slabcheck: 0 problems found (and repaired)":
        problems.append("slabcheck: %r" % check)
    after = normalise(q.text[start:])
    bad = FUZZ_BAD.search(after)
    if bad:
        problems.append("%r was printed" % bad.group(0)[:80])
    empty_sculls(q)
    problems += memory_lost(mem0, slab0, settled_memfree(q), settled_slab(q))
    print("# %s: fuzz: %d commands and %d bytes of noise in %.1f s"
          % (boot.label(), commands, noise, took))
    if problems:
        where = bad.start() if bad else len(after)
        raise CheckFailed("; ".join(problems) + " (fuzz seed %d)" % seed,
                          printable(after[max(0, where - 1500) : where + 500]))


def check_fault(boot, q):
    out = q.command("peek 0")
    problems = []
    if "NULL pointer dereference" not in out and "page fault" not in out:
        problems.append("no 'NULL pointer dereference' or 'page fault' in the report")
    for text in ("NULL page", "Call Trace:", "killed by an oops"):
        if text not in out:
            problems.append("no %r" % text)
    alive = q.command("echo still-alive")
    if alive != "still-alive":
        problems.append("after the oops, 'echo still-alive' printed %r" % alive)
    if problems:
        raise CheckFailed("; ".join(problems), out)


def parse_zoneinfo(text):
    """{(node, zone): {"free":..., "present":..., "spanned":..., "start_pfn":...}}"""
    zones, cur = {}, None
    for line in text.split("\n"):
        m = re.match(r"Node (\d+), zone\s+(\S+)$", line.strip())
        if m:
            cur = zones.setdefault((int(m.group(1)), m.group(2)), {})
            continue
        m = re.match(r"\s*(pages free|present|spanned|start_pfn:)\s+(\d+)$", line)
        if m and cur is not None:
            cur[m.group(1).replace("pages ", "").rstrip(":")] = int(m.group(2))
    return zones


def parse_buddyinfo(text):
    """{(node, zone): [free blocks per order]}"""
    out = {}
    for line in text.split("\n"):
        m = re.match(r"Node (\d+), zone\s+(\S+)\s+([\d\s]+)$", line.strip())
        if m:
            out[(int(m.group(1)), m.group(2))] = [int(x) for x in m.group(3).split()]
    return out


def highmem_param(boot):
    for word in boot.cmdline.split():
        if word.startswith("highmem="):
            return kernel_size_param(word[8:])
    return None


def check_zones(boot, q):
    """All three zones exist and add up to the RAM -m gave."""
    zinfo = q.command("cat /proc/zoneinfo")
    binfo = q.command("cat /proc/buddyinfo")
    zones, buddy = parse_zoneinfo(zinfo), parse_buddyinfo(binfo)
    problems = []
    names = {name for _, name in zones}
    # HighMem exists when RAM outgrows the direct map (896 MiB on both
    # arches by default) or highmem= asks for it.
    wanted = ["DMA", "Normal"]
    if highmem_param(boot) or boot.ram_limit() > 1 * GiB:
        wanted.append("HighMem")
    for want in wanted:
        if want not in names:
            problems.append("no %s zone in /proc/zoneinfo" % want)
    if set(zones) != set(buddy):
        problems.append("zoneinfo zones %s differ from buddyinfo's %s"
                        % (sorted(zones), sorted(buddy)))
    page = 4096
    present = sum(z.get("present", 0) for z in zones.values()) * page
    limit = boot.ram_limit()
    if not limit * 0.98 <= present <= limit:
        problems.append("zones hold %d bytes of RAM; -m gives %d" % (present, limit))
    for key, z in zones.items():
        name = key[1]
        if name == "DMA" and z.get("present", 0) * page > 16 << 20:
            problems.append("ZONE_DMA has %d pages: more than 16 MiB" % z["present"])
        counted = sum(n << o for o, n in enumerate(buddy.get(key, [])))
        if counted != z.get("free"):
            problems.append("%s: buddyinfo counts %d free pages, zoneinfo %s"
                            % (name, counted, z.get("free")))
    high = highmem_param(boot)
    hz = [z for (n, name), z in zones.items() if name == "HighMem"]
    if high and hz and hz[0].get("present", 0) * page < high:
        problems.append("HighMem has %d pages; highmem= asked for %d bytes"
                        % (hz[0]["present"], high))
    if problems:
        raise CheckFailed("; ".join(problems), zinfo + "\n" + binfo)


def parse_meminfo(text):
    out = {}
    for line in text.split("\n"):
        m = re.match(r"(\w+):\s+(\d+) kB$", line.strip())
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def procps_free(meminfo_text):
    """What procps `free -k` says of this meminfo, or None if it cannot
    be run here (it reads /proc/meminfo only: bind-mount a copy over it
    in a private mount namespace)."""
    if not shutil.which("unshare") or not shutil.which("free"):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".meminfo", delete=False) as f:
        f.write(meminfo_text + "\n")
        path = f.name
    try:
        r = subprocess.run(["unshare", "-m", "sh", "-c",
                            'mount --bind "$0" /proc/meminfo && free -k', path],
                           capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    finally:
        os.unlink(path)
    if r.returncode != 0:
        return None
    for line in r.stdout.split("\n"):
        if line.startswith("Mem:"):
            return [int(x) for x in line.split()[1:]]
    return None


def check_meminfo(boot, q):
    text = q.command("cat /proc/meminfo")
    mi = parse_meminfo(text)
    problems = []
    for key in ("MemTotal", "MemFree", "MemAvailable", "HighTotal", "HighFree",
                "LowTotal", "LowFree"):
        if key not in mi:
            problems.append("no %s" % key)
    if problems:
        raise CheckFailed("; ".join(problems), text)
    if mi["LowTotal"] + mi["HighTotal"] != mi["MemTotal"]:
        problems.append("LowTotal + HighTotal != MemTotal")
    if mi["LowFree"] + mi["HighFree"] != mi["MemFree"]:
        problems.append("LowFree + HighFree != MemFree")
    if not mi["MemAvailable"] <= mi["MemFree"] <= mi["MemTotal"]:
        problems.append("not MemAvailable <= MemFree <= MemTotal")
    if mi["MemTotal"] * 1024 > boot.ram_limit():
        problems.append("MemTotal is more than -m")
    mem = procps_free(text)
    if mem is None:
        print("# %s: procps free could not be run against this meminfo here" % boot.label())
    elif mem[0] != mi["MemTotal"] or mem[2] != mi["MemFree"]:
        problems.append("procps free reads total %d free %d; meminfo says %d, %d"
                        % (mem[0], mem[2], mi["MemTotal"], mi["MemFree"]))
    if problems:
        raise CheckFailed("; ".join(problems), text)


def memfree(q):
    return parse_meminfo(q.command("cat /proc/meminfo")).get("MemFree")


def check_page_misuse(boot, q):
    """free_pages from the shell takes only what the shell's alloc_pages
    handed out, with its order: the rest is refused before the allocator
    sees it, and nothing changes."""
    problems = []
    before = memfree(q)
    out = q.command("alloc_pages 1")
    m = re.search(r"free_pages (\S+) 1", out)
    if not m:
        raise CheckFailed("alloc_pages 1 did not say how to free it", out)
    addr = m.group(1)
    foreign = "free_pages: %s was not allocated by the shell's alloc_pages"
    cases = [("free_pages %s 0" % addr, "free_pages: %s was allocated as order 1, not 0" % addr),
             ("free_pages %s 1" % addr, None),
             ("free_pages %s 1" % addr, foreign % addr),
             ("free_pages 12345 0", foreign % "12345")]
    for line, expect in cases:
        got = q.command(line)
        if expect and expect not in got:
            problems.append("%r did not say %r: %r" % (line, expect, got))
        if not expect and got:
            problems.append("%r (a correct free) printed %r" % (line, got))
        if "Bad page" in got:
            problems.append("%r reached the allocator's checks" % line)
    after = memfree(q)
    if before != after:
        problems.append("MemFree %s before, %s after" % (before, after))
    if q.command("echo still-here") != "still-here":
        problems.append("the shell did not answer afterwards")
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(40))


def check_selftest(boot, q):
    out = q.command("selftest all")
    bad = [l for l in out.split("\n") if l.strip().startswith("not ok")]
    for suite in ("page_alloc", "slab", "mempool", "pgtable", "vmalloc", "highmem",
                  "ioremap"):
        if not re.search(r"^ok \d+ %s$" % suite, out, re.M):
            bad.append("no 'ok N %s'" % suite)
    # Every suite ends by checking it left nothing allocated.
    clean = len(re.findall(r"^    ok \d+ nothing left allocated", out, re.M))
    if clean < 7:
        bad.append("only %d suites checked for leaks" % clean)
    if bad or not re.search(r"^# selftest: \d+ passed, 0 failed$", out, re.M):
        raise CheckFailed("; ".join(l.strip() for l in bad) or "no clean closing line", out)


SLABINFO_ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)"
                          r" : tunables\s+\d+\s+\d+\s+\d+ : slabdata\s+(\d+)\s+(\d+)\s+\d+$")


def parse_slabinfo(text):
    """{name: (active_objs, num_objs, objsize, objperslab, pagesperslab, slabs)}"""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "slabinfo - version: 2.1":
        raise CheckFailed("the first line is not 'slabinfo - version: 2.1'", text)
    rows = {}
    for line in lines[2:]:
        m = SLABINFO_ROW.match(line.strip())
        if not m:
            raise CheckFailed("a row does not parse: %r" % line, text)
        v = [int(x) for x in m.groups()[1:]]
        rows[m.group(1)] = (v[0], v[1], v[2], v[3], v[4], v[6])
    return rows


def procps_reads(path_in_proc, text, argv):
    """Run a procps tool against a copy of a guest table (see procps_free)."""
    if not shutil.which("unshare") or not shutil.which(argv[0]):
        return None
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(text + "\n")
        path = f.name
    try:
        r = subprocess.run(["unshare", "-m", "sh", "-c",
                            'mount --bind "$0" "$1" && shift && exec "$@"',
                            path, path_in_proc] + argv,
                           capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    finally:
        os.unlink(path)
    return r.stdout if r.returncode == 0 else None


def check_slabinfo(boot, q):
    """slabinfo follows allocations made from the shell, and procps reads it."""
    before = parse_slabinfo(q.command("cat /proc/slabinfo"))
    addrs = []
    for _ in range(3):
        out = q.command("kmalloc 100")
        m = re.match(r"(0x[0-9a-f]+): 100 bytes in kmalloc-128", out)
        if not m:
            raise CheckFailed("kmalloc 100 did not come from kmalloc-128", out)
        addrs.append(m.group(1))
    text = q.command("cat /proc/slabinfo")
    during = parse_slabinfo(text)
    for a in addrs:
        q.command("kfree %s" % a[2:])
    after = parse_slabinfo(q.command("cat /proc/slabinfo"))
    problems = []
    name = "kmalloc-128"
    if during[name][0] != before[name][0] + 3:
        problems.append("%s active objects %d -> %d after 3 kmallocs"
                        % (name, before[name][0], during[name][0]))
    if after[name][0] != before[name][0]:
        problems.append("%s active objects %d after kfree, %d before"
                        % (name, after[name][0], before[name][0]))
    for cache, v in during.items():
        active, total, size, per, pages, slabs = v
        if active > total or total != slabs * per or per * size > pages * 4096:
            problems.append("%s: inconsistent row %s" % (cache, v))
    top = procps_reads("/proc/slabinfo", text, ["slabtop", "-o", "-s", "c"])
    if top is None:
        print("# %s: procps slabtop could not be run here" % boot.label())
    elif not re.search(r"^\s*\d+\s+\d+\s+\d+%\s+\S+\s+\d+\s+\d+\s+\S+\s+kmalloc-128\s*$",
                       top, re.M):
        problems.append("slabtop does not list kmalloc-128")
    if problems:
        raise CheckFailed("; ".join(problems), text)


def check_slab_misuse(boot, q):
    """kfree from the shell takes only what its kmalloc returned: a second
    kfree, a junk pointer and a neighbouring object are refused; the shell
    goes on."""
    out = q.command("kmalloc 64")
    m = re.match(r"0x([0-9a-f]+):", out)
    if not m:
        raise CheckFailed("kmalloc 64 printed no address", out)
    addr = m.group(1)
    problems = []
    # The next slot of the slab: someone else's object, or free; either
    # way not the shell's to free.
    neighbour = "%x" % (int(addr, 16) + 64)
    q.command("kfree %s" % addr)
    for line in ("kfree %s" % addr, "kfree 1234", "kfree %s" % neighbour):
        got = q.command(line)
        want = "kfree: %s was not allocated by the shell's kmalloc" % line.split()[1]
        if want not in got:
            problems.append("%r did not say %r: %r" % (line, want, got))
        if re.search(r"BUG|Object already free|Invalid object pointer", got):
            problems.append("%r reached the slab's checks" % line)
    again = q.command("kmalloc 64")
    if not again.startswith("0x"):
        problems.append("kmalloc after the bad frees failed: %r" % again)
    else:
        q.command("kfree %s" % again.split(":")[0][2:])
    if "kmalloc-48" in boot.cmdline:
        problems += debug_cache_damage(q)
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(60))


def debug_cache_damage(q):
    """With slub_debug on kmalloc-48: a write past the end and a write
    after free, each done with poke, must be reported and repaired."""
    problems = []
    out = q.command("kmalloc 40")
    m = re.match(r"0x([0-9a-f]+): 40 bytes in kmalloc-48 \(ksize (\d+)\)", out)
    if not m:
        return ["kmalloc 40 did not come from kmalloc-48: %r" % out]
    addr, size = int(m.group(1), 16), int(m.group(2))
    q.command("poke %x 0" % (addr + size))  # the first byte past the object
    if "BUG kmalloc-48: Right Redzone overwritten" not in q.command("kfree %x" % addr):
        problems.append("a write past the end was not reported")
    q.command("poke %x 1" % (addr + 3))
    got = q.command("kmalloc 40")
    if "BUG kmalloc-48: Poison overwritten" not in got:
        problems.append("a write after free was not reported")
    m = re.search(r"^0x([0-9a-f]+): 40 bytes", got, re.M)
    if m:
        q.command("kfree %s" % m.group(1))
    if not re.search(r"slabcheck: 0 problems", q.command("slabcheck")):
        problems.append("slabcheck still finds damage after the repairs")
    return problems


def check_vmalloc_guard(boot, q):
    """One byte past a vmalloc area faults in its guard page, the report
    names the area, and vfree takes it out of vmallocinfo."""
    out = q.command("vmalloc 5000")
    m = re.match(r"0x([0-9a-f]+): 5000 bytes, guard page at 0x([0-9a-f]+)", out)
    if not m:
        raise CheckFailed("vmalloc 5000 printed no address", out)
    addr, guard = m.group(1), m.group(2)
    report = q.command("peek %s 1" % guard)
    problems = []
    if not re.search(r"is the guard page after the area 0x0*%s" % addr.lstrip("0"), report):
        problems.append("the fault report does not name the area's guard page")
    if "killed by an oops" not in report:
        problems.append("the peek was not stopped by an oops")
    # An area's line starts with its address (another's may end with it).
    line = re.compile(r"^0x0*%s-" % addr.lstrip("0"), re.M)
    if not line.search(q.command("cat /proc/vmallocinfo")):
        problems.append("the area is missing from vmallocinfo")
    q.command("vfree %s" % addr)
    if line.search(q.command("cat /proc/vmallocinfo")):
        problems.append("the area is still in vmallocinfo after vfree")
    if q.command("echo still-here") != "still-here":
        problems.append("the shell did not answer afterwards")
    if problems:
        raise CheckFailed("; ".join(problems), report)


# ---------------------------------------------------------------------------
# `misuse CLASS`: one deliberate misuse per class. Each check runs one
# class and looks for the report of the code that catches it (its kind,
# the address the class printed, and the class's own function named as
# the caller), then checks that the shell still answers and that every
# page and object is back (MemFree and slab objects, settled).

HEXNUM = r"0x[0-9a-f]+"


def hex_re(value):
    """An address as printk prints it (%p pads with zeros, %#lx does not)."""
    return r"0x0*%x\b" % value


def misuse_says(out, pattern, cls):
    """The values the class's own `misuse: ...` line gives, as ints."""
    m = re.search(r"^misuse: " + pattern, out, re.M)
    if not m:
        raise CheckFailed("`misuse %s` did not say what it does (/%s/)" % (cls, pattern), out)
    return [int(g, 16) if g.startswith("0x") else int(g) if g else None
            for g in m.groups()]


def missing(out, wanted):
    """The (pattern, what) pairs of wanted whose pattern is not in out."""
    return ["no %s" % what for pattern, what in wanted if not re.search(pattern, out, re.M)]


def expect_page_double_free(boot, q, out):
    addr, pfn = misuse_says(out, r"free_page\((%s)\) twice \(pfn (%s)\)" % (HEXNUM, HEXNUM),
                            "page-double-free")
    return missing(out, [
        (r"BUG: Bad page free: double free: (the page is already free|inside a free order-\d+ block at pfn %s)$" % HEXNUM,
         "double free report"),
        (r"pfn %s \(phys %s\), order 0, freed by misuse_page_double_free\+0x"
         % (hex_re(pfn), hex_re(pfn << 12)), "pfn, order 0 and the caller"),
        (r"the free was ignored", "'the free was ignored'"),
    ])


def expect_page_wrong_order(boot, q, out):
    addr, pfn = misuse_says(out, r"free_pages\((%s), 1\) of an order-2 block \(pfn (%s)\)"
                            % (HEXNUM, HEXNUM), "page-wrong-order")
    return missing(out, [
        (r"BUG: Bad page free: wrong order: allocated as order 2, freed as order 1$",
         "wrong order report"),
        (r"pfn %s \(phys %s\), order 1, freed by misuse_page_wrong_order\+0x"
         % (hex_re(pfn), hex_re(pfn << 12)), "pfn, order 1 and the caller"),
    ])


def expect_slab_double_free(boot, q, out):
    (obj,) = misuse_says(out, r"kfree\((%s)\) twice \(kmalloc-64\)" % HEXNUM, "slab-double-free")
    return missing(out, [
        (r"BUG kmalloc-64: Object already free$", "'Object already free' report"),
        (r"INFO: %s, from misuse_slab_double_free\+0x" % hex_re(obj), "the object and the caller"),
        (r"FIX kmalloc-64: ignored", "FIX line"),
    ])


def expect_kfree_foreign(boot, q, out):
    (addr,) = misuse_says(out, r"kfree\((%s)\), a page from __get_free_page" % HEXNUM,
                          "kfree-foreign")
    return missing(out, [
        (r"BUG kfree: Invalid object pointer %s$" % hex_re(addr), "'Invalid object pointer' report"),
        (r"INFO: freed by misuse_kfree_foreign\+0x\S+; the pointer is not in any slab$",
         "the caller and 'not in any slab'"),
    ])


def vmalloc_area_listed(q, addr):
    return re.search(r"^%s-" % hex_re(addr), q.command("cat /proc/vmallocinfo"), re.M)


def expect_vfree_bad(boot, q, out):
    inside, start = misuse_says(out, r"vfree\((%s)\), the second page of the area at (%s)"
                                % (HEXNUM, HEXNUM), "vfree-bad")
    problems = missing(out, [
        (r"BUG: vfree\(%s\) from misuse_vfree_bad\+0x\S+: not the start of a vmalloc area; "
         r"ignored$" % hex_re(inside), "vfree report with the address and the caller"),
    ])
    if vmalloc_area_listed(q, start):
        problems.append("the area is still in /proc/vmallocinfo")
    return problems


def slub_debug_48(boot):
    return "kmalloc-48" in boot.cmdline


def expect_use_after_free(boot, q, out):
    obj, at = misuse_says(out, r"kfree\((%s)\), then store NULL at (%s) \(kmalloc-48\)"
                          % (HEXNUM, HEXNUM), "use-after-free")
    if not slub_debug_48(boot):
        return missing(out, [(r"^misuse: not caught: kmalloc-48 does not poison", "'not caught'")])
    problems = missing(out, [
        (r"BUG kmalloc-48: Poison overwritten$", "'Poison overwritten' report"),
        (r"INFO: %s-%s @offset=\d+\. First byte 0x0 instead of 0x6b$" % (hex_re(at), HEXNUM),
         "the damaged bytes"),
        (r"INFO: Object %s @offset" % hex_re(obj), "the object"),
        (r"INFO: Freed in misuse_use_after_free\+0x", "who freed it"),
        (r"FIX kmalloc-48: Restoring Poison", "FIX line"),
        (r"^misuse: slabcheck found 1 problem \(and repaired\)$", "'slabcheck found 1 problem'"),
    ])
    if not re.search(r"slabcheck: 0 problems", q.command("slabcheck")):
        problems.append("slabcheck still finds damage after the repair")
    return problems


def expect_redzone(boot, q, out):
    if not slub_debug_48(boot):
        return missing(out, [(r"^misuse: kmalloc-48 has no red zone.*not done$", "'not done'")])
    at, size, obj = misuse_says(out, r"write 1 byte at (%s), just past the (\d+) bytes of (%s) "
                                r"\(kmalloc-48\)" % (HEXNUM, HEXNUM), "redzone")
    problems = missing(out, [
        (r"BUG kmalloc-48: Right Redzone overwritten$", "'Right Redzone overwritten' report"),
        (r"INFO: %s-%s @offset=\d+\. First byte 0x0 instead of 0xcc$" % (hex_re(at), hex_re(at)),
         "the damaged byte"),
        (r"INFO: Object %s @offset" % hex_re(obj), "the object"),
        (r"INFO: Allocated in misuse_redzone\+0x", "who allocated it"),
        (r"\] misuse_redzone\+0x", "the caller in the call trace"),
        (r"FIX kmalloc-48: Restoring Right Redzone", "FIX line"),
    ])
    if size != 48:
        problems.append("the object is %d bytes, not 48" % size)
    if not re.search(r"slabcheck: 0 problems", q.command("slabcheck")):
        problems.append("slabcheck still finds damage after the repair")
    return problems


def expect_vmalloc_guard(boot, q, out):
    at, size, start = misuse_says(out, r"write 1 byte at (%s), just past the (\d+) bytes at (%s)"
                                  % (HEXNUM, HEXNUM), "vmalloc-guard")
    problems = missing(out, [
        (r"BUG: unable to handle page fault for address: 0*%x$" % at, "the page fault"),
        (r"#PF: supervisor write access in kernel mode", "'supervisor write access'"),
        (r"vmalloc: %s is the guard page after the area %s-%s \(4096 bytes\), 0 bytes past its "
         r"end; allocated by misuse_vmalloc_guard\+0x" % (hex_re(at), hex_re(start), hex_re(at)),
         "the guard page, the area and its caller"),
        (r"\] misuse_vmalloc_guard\+0x", "the faulting function in the call trace"),
        (r"^misuse: the fault was caught; %s freed$" % hex_re(start), "'the fault was caught'"),
    ])
    if "killed by an oops" in out:
        problems.append("the command itself was killed")
    if vmalloc_area_listed(q, start):
        problems.append("the area is still in /proc/vmallocinfo")
    return problems


def has_highmem(boot):
    return bool(highmem_param(boot)) or boot.ram_limit() > 1 * GiB


def expect_kunmap_order(boot, q, out):
    if not has_highmem(boot):
        return missing(out, [(r"^misuse: no HIGHMEM page", "'no HIGHMEM page'")])
    a, b, first = misuse_says(out, r"kmap_atomic: (%s) \(KM_USER0\), then (%s) \(KM_USER1\); "
                              r"kunmap_atomic\((%s)\) first" % (HEXNUM, HEXNUM, HEXNUM),
                              "kunmap-order")
    problems = missing(out, [
        (r"BUG: kunmap_atomic\(%s, 1\) from misuse_kunmap_order\+0x\S+ out of order: the last "
         r"mapping is %s \(type 2\); unmapped all the same$" % (hex_re(a), hex_re(b)),
         "the out-of-order report with both addresses and the caller"),
        (r"^misuse: both unmapped; preempt_count 0$", "'preempt_count 0'"),
    ])
    kmaps = q.command("cat /proc/kmapinfo")
    if not re.search(r"^cpu 0 atomic:$", kmaps, re.M):
        problems.append("an atomic slot is still mapped: %r" % kmaps)
    return problems


def expect_free_kmapped(boot, q, out):
    if not has_highmem(boot):
        return missing(out, [(r"^misuse: no HIGHMEM page", "'no HIGHMEM page'")])
    pfn, addr = misuse_says(out, r"kmap\(pfn (%s)\) at (%s), then __free_page\(\) before kunmap"
                            % (HEXNUM, HEXNUM), "free-kmapped")
    problems = missing(out, [
        (r"BUG: Bad page free: pfn %s is still kmapped: kunmap it first$" % hex_re(pfn),
         "the bad free report naming the kmapped pfn"),
        (r"pfn %s \(phys %s\), order 0, freed by misuse_free_kmapped\+0x"
         % (hex_re(pfn), hex_re(pfn << 12)), "pfn, order 0 and the caller"),
        (r"the free was ignored", "'the free was ignored'"),
    ])
    if re.search(r"^\s+slot\s+\d+ %s pfn" % hex_re(addr), q.command("cat /proc/kmapinfo"), re.M):
        problems.append("the pkmap slot at %#x is still in use" % addr)
    return problems


def expect_gfp_in_irq(boot, q, out):
    misuse_says(out, r"kmalloc\(64, GFP_KERNEL\) from the next timer interrupt()", "gfp-in-irq")
    problems = missing(out, [
        (r"BUG: sleeping function called from invalid context at mm/\S+\.c:\d+$",
         "the might_sleep report"),
        (r"in_atomic\(\): 1, irqs_disabled\(\): \d, in_irq\(\): 1$", "'in_irq(): 1'"),
        (r"\] misuse_gfp_kernel_in_irq\+0x", "the interrupt handler in the call trace"),
        (r"\] timer_tick\+0x", "timer_tick in the call trace"),
    ])
    # One report from the slab layer; one more from the page allocator
    # when the cache had to grow (settled_memfree shrank it).
    m = re.search(r"^misuse: in the interrupt it returned %s \(freed there\); (\d+) might_sleep "
                  r"reports?$" % HEXNUM, out, re.M)
    if not m or not 1 <= int(m.group(1)) <= 2:
        problems.append("not one or two might_sleep reports, or no allocation")
    return problems


def expect_iounmap_bad(boot, q, out):
    phys, phys2, cookie = misuse_says(out, r"iounmap\((%s)\), a physical address: "
                                      r"ioremap\((%s), 4\) returned (%s)"
                                      % (HEXNUM, HEXNUM, HEXNUM), "iounmap-bad")
    problems = missing(out, [
        (r"BUG: iounmap\(%s\) from misuse_iounmap_bad\+0x\S+: not an address ioremap returned; "
         r"ignored$" % hex_re(phys), "the iounmap report with the address and the caller"),
    ])
    if vmalloc_area_listed(q, cookie & ~0xfff):
        problems.append("the real mapping is still in /proc/vmallocinfo")
    return problems


def misuse_check(cls, expect):
    def check(boot, q):
        mem0 = settled_memfree(q)
        slab0 = settled_slab(q)
        out = q.command("misuse %s" % cls)
        problems = expect(boot, q, out)
        if q.command("echo still-here") != "still-here":
            problems.append("the shell did not answer afterwards")
        mem1 = settled_memfree(q)
        problems += memory_lost(mem0, slab0, mem1, settled_slab(q))
        if problems:
            raise CheckFailed("; ".join(problems), out)
    return check


MISUSE_CLASSES = [
    ("page-double-free", "a page freed twice", expect_page_double_free),
    ("page-wrong-order", "free_pages with the wrong order", expect_page_wrong_order),
    ("slab-double-free", "an object freed twice", expect_slab_double_free),
    ("kfree-foreign", "kfree of a page", expect_kfree_foreign),
    ("vfree-bad", "vfree inside an area", expect_vfree_bad),
    ("use-after-free", "a write after kfree", expect_use_after_free),
    ("redzone", "a write past an object", expect_redzone),
    ("vmalloc-guard", "a write into a guard page", expect_vmalloc_guard),
    ("kunmap-order", "kunmap_atomic out of order", expect_kunmap_order),
    ("free-kmapped", "a page freed while kmapped", expect_free_kmapped),
    ("gfp-in-irq", "GFP_KERNEL in an interrupt", expect_gfp_in_irq),
    ("iounmap-bad", "iounmap of a physical address", expect_iounmap_bad),
]


def check_misuse_list(boot, q):
    """`misuse` alone lists every class the checks below run."""
    out = q.command("misuse")
    listed = re.findall(r"^  (\S+)\s", out, re.M)
    wanted = [c[0] for c in MISUSE_CLASSES]
    if listed != wanted:
        raise CheckFailed("misuse lists %s, expected %s" % (listed, wanted), out)


def iomem_start(q, name):
    m = re.search(r"^([0-9a-f]+)-[0-9a-f]+ : %s$" % name, q.command("cat /proc/iomem"), re.M)
    return int(m.group(1), 16) if m else None


def mapped_at(q, line):
    out = q.command(line)
    m = re.search(r"mapped at (0x[0-9a-f]+)", out)
    if not m:
        raise CheckFailed("%r printed %r" % (line, out))
    return int(m.group(1), 16)


def register(q, addr):
    return int(q.command("readl %x" % addr).split()[-1], 16)


def check_plic_unhandled(boot, q):
    """riscv: the goldfish RTC's line, which has no handler, is enabled
    in this hart's PLIC context by hand and the RTC's alarm fired twice:
    the kernel reports the line once, turns its enable bit off, and the
    shell answers throughout."""
    plic, rtc = iomem_start(q, "plic"), iomem_start(q, "rtc")
    ctx = re.search(r"plic: at \S+, hart \d+ is context (\d+)", q.command("dmesg"))
    if plic is None or rtc is None or not ctx:
        raise CheckFailed("no plic or rtc in /proc/iomem, or no plic line in dmesg")
    line = 11  # QEMU virt's RTC_IRQ
    p = mapped_at(q, "ioremap %x 12K" % plic)
    r = mapped_at(q, "ioremap %x 4K" % rtc)
    enable = p + 0x2000 + 0x80 * int(ctx.group(1)) + 4 * (line // 32)
    q.command("writel %x 1" % (p + 4 * line))  # priority
    q.command("writel %x %#x" % (enable, register(q, enable) | 1 << line % 32))
    problems = []
    for attempt in range(2):
        low, high = register(q, r), register(q, r + 4)  # TIME_LOW latches TIME_HIGH
        q.command("writel %x %#x" % (r + 0xc, high))  # an alarm already due
        q.command("writel %x %#x" % (r + 0x8, low))
        q.command("writel %x 1" % (r + 0x10))  # IRQ_ENABLED
        q.pause(0.1)
        if q.command("echo alarm-%d" % attempt) != "alarm-%d" % attempt:
            problems.append("the shell did not answer after alarm %d" % attempt)
        q.command("writel %x 1" % (r + 0x1c))  # CLEAR_INTERRUPT
    q.command("writel %x 0" % (r + 0x10))
    reports = re.findall(r"plic: irq %d has no handler: disabled$" % line, q.command("dmesg"), re.M)
    if len(reports) != 1:
        problems.append("%d 'plic: irq %d has no handler: disabled' reports, want 1"
                        % (len(reports), line))
    if register(q, enable) & 1 << line % 32:
        problems.append("irq %d is still enabled in context %s" % (line, ctx.group(1)))
    for a in (p, r):
        q.command("iounmap %x" % a)
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(20))


def check_devices(boot, q):
    """/dev lists its devices, redirection works and errors are clean,
    and an endless device cannot hang cat."""
    problems = []
    listing = q.command("ls -l /dev")
    for name in ("null", "zero"):
        if not re.search(r"^crw-rw-rw-\s+\d+,\s+\d+ %s$" % name, listing, re.M):
            problems.append("ls -l /dev has no %s" % name)
    if q.command("echo gone > /dev/null") != "":
        problems.append("echo > /dev/null printed something")
    if "-ENOENT" not in q.command("echo x > /dev/nowhere"):
        problems.append("a redirection to a missing device gave no -ENOENT")
    # The prompt coming back (q.command waits for it, with a timeout) is
    # the check: /dev/zero never ends, cat must stop by itself.
    if q.command("cat /dev/zero > /dev/null") != "":
        problems.append("cat /dev/zero > /dev/null printed something")
    if q.command("echo still-here") != "still-here":
        problems.append("the shell did not answer afterwards")
    if problems:
        raise CheckFailed("; ".join(problems), listing)


SCULL_VARIANTS = ("scull", "scullc", "scullp", "scullv", "scullh", "scullm")


def check_scull(boot, q):
    """Every scull variant keeps what is written to it (write, append,
    read back), its /proc table shows the size, and a write-only open
    (a > redirection) trims it again."""
    problems = []
    for v in SCULL_VARIANTS:
        dev = "/dev/%s0" % v
        word = "%s-%s" % (v, secrets.token_hex(4))
        q.command("echo %s > %s" % (word, dev))
        q.command("echo more >> %s" % dev)
        got = q.command("cat %s" % dev)
        if got != "%s\nmore" % word:
            problems.append("%s read back %r" % (dev, got[:80]))
        table = q.command("cat /proc/%smem" % v)
        want = len(word) + 1 + len("more") + 1
        if not re.search(r"^Device 0: qset \d+, (q|order) \d+, sz %d$" % want, table, re.M):
            problems.append("/proc/%smem does not show sz %d" % (v, want))
        q.command("echo > %s" % dev)  # trims, then writes one newline
        if not re.search(r"^Device 0: qset \d+, (q|order) \d+, sz 1$",
                         q.command("cat /proc/%smem" % v), re.M):
            problems.append("%s was not trimmed by a > redirection" % dev)
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(30))


def settled_memfree(q):
    """MemFree with the slab caches shrunk and the per-CPU lists drained."""
    q.command("slabshrink")
    q.command("drain")
    return memfree(q)


def layout_ranges(q, name_re):
    """[(start, end)] of the `layout` rows whose name matches."""
    out = []
    for m in re.finditer(r"^([0-9a-f]+)-([0-9a-f]+)\s+\d+ \S+\s+(.*)$", q.command("layout"), re.M):
        if re.match(name_re, m.group(3)) and "no RAM" not in m.group(3):
            out.append((int(m.group(1), 16), int(m.group(2), 16)))
    return out


def scull_table_problems(v, text, size, regions, highmem_pfn):
    """What is wrong with /proc/<v>mem's device 0 holding size bytes:
    its header, its number of quanta, where they live."""
    m = re.search(r"^Device 0: qset (\d+), (q|order) (\d+), sz (\d+)$", text, re.M)
    if not m:
        return ["no 'Device 0' header"]
    qbytes = int(m.group(3)) if m.group(2) == "q" else 4096 << int(m.group(3))
    dev0 = text[m.end():].split("\nDevice ")[0]
    quanta = re.findall(r"^\s+\d+: (pfn )?0x([0-9a-f]+)$", dev0, re.M)
    qset = int(m.group(1))
    total = -(-size // qbytes)
    items = len(re.findall(r"^  item at ", dev0, re.M))
    problems = []
    if int(m.group(4)) != size:
        problems.append("sz %s, want %d" % (m.group(4), size))
    # As LDD3's table does, only the last item's quanta are listed.
    if items != -(-total // qset) or len(quanta) != total - (items - 1) * qset:
        problems.append("%d items and %d quanta listed for %d quanta of %d "
                        "bytes, %d per item" % (items, len(quanta), total, qbytes, qset))
    for is_pfn, hexval in quanta:
        a = int(hexval, 16)
        if is_pfn and highmem_pfn is not None and a < highmem_pfn:
            problems.append("pfn %#x is below HighMem (%#x)" % (a, highmem_pfn))
            break
        if not is_pfn and not any(lo <= a <= hi for lo, hi in regions):
            problems.append("%#x is outside %s" % (a, [(hex(lo), hex(hi)) for lo, hi in regions]))
            break
    return problems


def check_scull_4m(boot, q):
    """4 MiB of a known pattern through every variant keeps its CRC-32;
    each /proc/scull*mem shows the size, one line per quantum, each in
    the variant's region (direct map, vmalloc area, HighMem pfns); and
    truncating them all gives every page and slab object back."""
    problems = []
    for v in SCULL_VARIANTS:  # start from empty devices
        q.command("truncate /dev/%s0" % v)
    before, slab_before = settled_memfree(q), settled_slab(q)[0]
    out = q.command("fill /dev/scull0 4M random")
    m = re.search(r"4194304 bytes written, crc32 ([0-9a-f]{8})", out)
    if not m:
        raise CheckFailed("fill printed no CRC", out)
    crc = m.group(1)
    for v in SCULL_VARIANTS[1:]:
        q.command("cp /dev/scull0 /dev/%s0" % v)
    direct = layout_ranges(q, r"direct map")
    where = {"scullv": layout_ranges(q, r"vmalloc area")}
    high = [z for (n, name), z in parse_zoneinfo(q.command("cat /proc/zoneinfo")).items()
            if name == "HighMem" and z.get("present")]
    highmem_pfn = min(z["start_pfn"] for z in high) if high else None
    for v in SCULL_VARIANTS:
        got = q.command("cksum /dev/%s0" % v)
        if not got.startswith("%s 4194304 /dev/%s0" % (crc, v)):
            problems.append("%s0: %r, want crc %s" % (v, got[:40], crc))
        table = q.command("cat /proc/%smem" % v)
        problems += ["/proc/%smem: %s" % (v, p) for p in scull_table_problems(
            v, table, 4 << 20, where.get(v, direct), highmem_pfn)]
    for v in SCULL_VARIANTS:
        q.command("truncate /dev/%s0" % v)
    after, slab_after = settled_memfree(q), settled_slab(q)[0]
    if after != before:
        problems.append("MemFree %s kB before, %s kB after truncating" % (before, after))
    changed = slab_changes(slab_before, slab_after)
    if changed:
        problems.append("slab objects not back after truncating: %s" % ", ".join(changed))
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(30))


# ---------------------------------------------------------------------------
# memmap --dump: every page frame, checked against the kernel's own tables

MEMMAP_TOOLS = os.path.join(REPO, "tools", "memmap")
# The PNG needs Debian's matplotlib, which another python3 on PATH may lack.
DEBIAN_PYTHON = "/usr/bin/python3"


def memmap_png_module():
    """tools/memmap/memmap_png.py; its parser is standard library only."""
    if MEMMAP_TOOLS not in sys.path:
        sys.path.insert(0, MEMMAP_TOOLS)
    import memmap_png
    return memmap_png


def take_memmap_dump(q, boot):
    """`memmap --dump`, parsed; the time and size go into the report."""
    start = time.monotonic()
    text = q.command("memmap --dump")
    seconds = time.monotonic() - start
    png = memmap_png_module()
    try:
        d = png.parse(text)
    except png.DumpError as e:
        raise CheckFailed("memmap --dump: %s" % e, text[-2000:])
    boot.memmap_dumps.append((len(text) + 1, seconds))
    d["text"] = text
    return d


def dump_zone_kinds(d):
    """{zone name: {kind: pages}} from a parsed dump (node 0 names)."""
    return {k: v for k, v in memmap_png_module().figures(d).items()
            if k not in ("Total", "outside zones")}


def kernel_page_tables(q):
    """What the kernel's tables say, for comparing with a dump."""
    zinfo = q.command("cat /proc/zoneinfo")
    zones = parse_zoneinfo(zinfo)
    pcp = {}
    for m in re.finditer(r"^Node (\d+), zone\s+(\S+)$(.*?)(?=^Node |\Z)",
                         zinfo, re.M | re.S):
        n = re.search(r"^\s+nr_pcp_pages\s+(\d+)$", m.group(3), re.M)
        pcp[m.group(2)] = int(n.group(1)) if n else None
    buddy = parse_buddyinfo(q.command("cat /proc/buddyinfo"))
    slab_rows = parse_slabinfo(q.command("cat /proc/slabinfo"))
    meminfo = parse_meminfo(q.command("cat /proc/meminfo"))
    vm = q.command("cat /proc/vmallocinfo")
    return {
        "zones": {name: z for (_, name), z in zones.items()},
        "pcp": pcp,
        "buddy": {name: sum(n << o for o, n in enumerate(b))
                  for (_, name), b in buddy.items()},
        "buddy_blocks": {name: list(b) for (_, name), b in buddy.items()},
        "slabinfo_pages": sum(v[4] * v[5] for v in slab_rows.values()),
        "meminfo_slab_kb": meminfo.get("Slab"),
        "vmalloc_pages": sum(int(x) for x in re.findall(r" pages=(\d+)", vm)),
    }


def settled_dump(q, boot, tries=3):
    """A dump with the kernel's tables read just before and just after
    it; tries again if the tables moved meanwhile."""
    for _ in range(tries):
        before = kernel_page_tables(q)
        d = take_memmap_dump(q, boot)
        if kernel_page_tables(q) == before:
            return d, before
    raise CheckFailed("the kernel's tables changed across every one of %d dumps" % tries)


def dump_free_blocks(d):
    """({zone name: [free blocks per order]}, problems): the dump's free
    runs cut into blocks of their order; every block must start on a
    boundary of its order, so a run must too and hold whole blocks."""
    blocks, problems = {}, []
    for _, name, start, end in d["zones"]:
        counts = blocks.setdefault(name, [])
        for pfn, count, kind, order in d["runs"]:
            if kind != "free" or not start <= pfn < end:
                continue
            size = 1 << order
            if pfn % size or count % size:
                problems.append("%s: free run at pfn %#x of %d frames is not whole "
                                "order-%d blocks on their boundaries" % (name, pfn, count, order))
            counts.extend([0] * (order + 1 - len(counts)))
            counts[order] += count >> order
    return blocks, problems


def free_block_problems(d, t):
    """The dump's free blocks per zone and order against buddyinfo's."""
    blocks, problems = dump_free_blocks(d)
    for name, counts in blocks.items():
        want = t["buddy_blocks"].get(name)
        if want is None:
            continue  # a zone buddyinfo lacks is reported with the zones
        got = counts + [0] * (len(want) - len(counts))
        if got != want:
            problems.append("%s: free blocks per order in the dump %s, buddyinfo %s"
                            % (name, got, want))
    return problems


def memmap_dump_problems(d, t):
    """Where a dump and the kernel's tables disagree."""
    problems = free_block_problems(d, t)
    kinds = dump_zone_kinds(d)
    page = d["page_size"]
    for nid, name, start, end in d["zones"]:
        z = t["zones"].get(name, {})
        k = kinds.get(name, {})
        ram = sum(n for kind, n in k.items() if kind != "hole")
        if (z.get("start_pfn"), z.get("spanned")) != (start, end - start):
            problems.append("%s: the dump spans pfn %#x-%#x, zoneinfo start_pfn %s spanned %s"
                            % (name, start, end, z.get("start_pfn"), z.get("spanned")))
        if ram != z.get("present"):
            problems.append("%s: %d RAM frames in the dump, zoneinfo present %s"
                            % (name, ram, z.get("present")))
        if k.get("free", 0) != t["buddy"].get(name):
            problems.append("%s: %d free pages in the dump, buddyinfo counts %s"
                            % (name, k.get("free", 0), t["buddy"].get(name)))
        if k.get("pcp", 0) != t["pcp"].get(name):
            problems.append("%s: %d per-CPU pages in the dump, zoneinfo nr_pcp_pages %s"
                            % (name, k.get("pcp", 0), t["pcp"].get(name)))
        if k.get("free", 0) + k.get("pcp", 0) != z.get("free", 0) + (t["pcp"].get(name) or 0):
            problems.append("%s: free + per-CPU pages differ from zoneinfo's" % name)
    if set(kinds) != set(t["zones"]):
        problems.append("the dump's zones %s, zoneinfo's %s" % (sorted(kinds), sorted(t["zones"])))
    total = d["totals"]
    if total.get("slab", 0) != t["slabinfo_pages"]:
        problems.append("%d slab pages in the dump, slabinfo's slabs hold %d"
                        % (total.get("slab", 0), t["slabinfo_pages"]))
    if t["meminfo_slab_kb"] is None or total.get("slab", 0) * page != t["meminfo_slab_kb"] * 1024:
        problems.append("%d slab pages in the dump, meminfo Slab: %s kB"
                        % (total.get("slab", 0), t["meminfo_slab_kb"]))
    if total.get("vmalloc", 0) != t["vmalloc_pages"]:
        problems.append("%d vmalloc pages in the dump, vmallocinfo's pages= add up to %d"
                        % (total.get("vmalloc", 0), t["vmalloc_pages"]))
    if total.get("orphan"):
        problems.append("%d frames belong to nothing" % total["orphan"])
    return problems


def png_problems(path, width, height):
    """Is path a whole PNG of width x height? Every chunk's CRC is checked
    and the image data must inflate to exactly height rows."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return ["%s is not a PNG (signature)" % path]
    pos, chunks, idat = 8, [], b""
    while pos + 12 <= len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        crc = int.from_bytes(data[pos + 8 + n:pos + 12 + n], "big")
        if len(body) != n or zlib.crc32(kind + body) != crc:
            return ["%s: chunk %r is cut short or fails its CRC" % (path, kind)]
        chunks.append(kind)
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if not chunks or chunks[0] != b"IHDR" or chunks[-1] != b"IEND" or pos != len(data):
        return ["%s: chunks %s, want IHDR first and IEND last" % (path, chunks)]
    w, h = int.from_bytes(ihdr[0:4], "big"), int.from_bytes(ihdr[4:8], "big")
    depth, colour = ihdr[8], ihdr[9]
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if (w, h) != (width, height):
        return ["%s is %dx%d; the tool said %dx%d" % (path, w, h, width, height)]
    if depth != 8 or not channels:
        return ["%s: bit depth %d, colour type %d" % (path, depth, colour)]
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        return ["%s: the image data does not inflate: %s" % (path, e)]
    if len(raw) != h * (1 + w * channels):
        return ["%s: %d bytes of image data for %dx%d" % (path, len(raw), w, h)]
    return []


def draw_memmap(d, name):
    """Run the PNG tool on a dump the way a user would; returns problems."""
    tool = os.path.join(MEMMAP_TOOLS, "memmap_png.py")
    if not os.path.exists(DEBIAN_PYTHON):
        return ["%s is missing: run tools/setup.sh" % DEBIAN_PYTHON]
    with tempfile.TemporaryDirectory() as tmp:
        dump, png = os.path.join(tmp, name + ".dump"), os.path.join(tmp, name + ".png")
        with open(dump, "w") as f:
            f.write(d["text"] + "\n")
        r = subprocess.run([DEBIAN_PYTHON, tool, dump, png],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            return ["memmap_png.py failed (exit %d): %s" % (
                r.returncode, (r.stderr.strip() or r.stdout.strip())[-400:])]
        m = re.search(r": (\d+)x(\d+) pixels$", r.stdout.strip())
        if not m:
            return ["memmap_png.py did not say the picture's size: %r" % r.stdout[-200:]]
        return png_problems(png, int(m.group(1)), int(m.group(2)))


def check_memmap_dump(boot, q):
    """Every frame once, and the dump's figures are the kernel's: free
    blocks per zone and order are buddyinfo's (each on a boundary of its
    order), per-CPU pages zoneinfo's, RAM frames
    zoneinfo's present, slab pages slabinfo's and meminfo's, vmalloc
    pages vmallocinfo's; the PNG tool draws it."""
    d, tables = settled_dump(q, boot)
    problems = memmap_dump_problems(d, tables)
    if d["arch"] != boot.arch_name:
        problems.append("the dump says arch %s" % d["arch"])
    ram = sum(n for _, n, kind, _ in d["runs"] if kind != "hole")
    limit = boot.ram_limit() // d["page_size"]
    if not limit * 0.98 <= ram <= limit:
        problems.append("%d RAM frames in the dump; -m gives %d" % (ram, limit))
    problems += draw_memmap(d, "boot")
    if problems:
        raise CheckFailed("; ".join(problems), d["text"][-1500:])


def scull_kind_problems(d0, d1, d2, size):
    """What the scullp and scullv writes moved, and whether it came back."""
    pages = size // d0["page_size"]
    t0, t1, t2 = d0["totals"], d1["totals"], d2["totals"]
    high0 = dump_zone_kinds(d0).get("HighMem", {}).get("page", 0)
    high1 = dump_zone_kinds(d1).get("HighMem", {}).get("page", 0)
    problems = []
    for kind, who in (("page", "scullp"), ("vmalloc", "scullv")):
        grew = t1.get(kind, 0) - t0.get(kind, 0)
        if grew != pages:
            problems.append("%s pages grew by %d writing %d bytes through %s; want %d"
                            % (kind, grew, size, who, pages))
        if t2.get(kind, 0) != t0.get(kind, 0):
            problems.append("%s pages %d before, %d after truncating"
                            % (kind, t0.get(kind, 0), t2.get(kind, 0)))
    if high1 != high0:
        problems.append("HighMem holds %d alloc_pages pages before and %d with "
                        "scullp's: GFP_KERNEL must not land there" % (high0, high1))
    free = [t.get("free", 0) + t.get("pcp", 0) for t in (t0, t1, t2)]
    if free[0] - free[1] < 2 * pages:
        problems.append("free pages fell by %d only, for %d written" % (free[0] - free[1], 2 * pages))
    for kind in ("kmalloc", "pkmap", "orphan"):
        if t2.get(kind, 0) != t0.get(kind, 0):
            problems.append("%s pages %d before, %d after" % (kind, t0.get(kind, 0), t2.get(kind, 0)))
    return problems


def check_memmap_kmap(boot, q):
    """A HighMem page the shell kmapped is a one-frame pkmap run in the
    dump while it is held; free_pages refuses its block until kunmap; then
    it is freed and no pkmap run is left."""
    if not has_highmem(boot):
        return
    out = q.command("alloc_pages 0 GFP_HIGHUSER")
    m = re.search(r"pfn (0x[0-9a-f]+) .*zone HighMem", out)
    if not m:
        raise CheckFailed("alloc_pages 0 GFP_HIGHUSER gave no HighMem page", out)
    pfn = int(m.group(1), 16)
    problems = []
    mapped = q.command("kmap %#x" % pfn)
    if not re.match(r"pfn %s mapped at 0x[0-9a-f]+ \(pkmap\)$" % hex_re(pfn), mapped):
        problems.append("kmap %#x printed %r" % (pfn, mapped))
    held = take_memmap_dump(q, boot)
    runs = [(p, n) for p, n, kind, _ in held["runs"] if kind == "pkmap"]
    if (pfn, 1) not in runs:
        problems.append("with pfn %#x kmapped the dump's pkmap runs are %s" % (pfn, runs))
    refused = q.command("free_pages pfn:%#x 0" % pfn)
    if "free_pages: pfn %#x is kmapped: kunmap %#x first" % (pfn, pfn) not in refused:
        problems.append("free_pages of the kmapped block printed %r" % refused)
    for line in ("kunmap %#x" % pfn, "free_pages pfn:%#x 0" % pfn):
        got = q.command(line)
        if got:
            problems.append("%r printed %r" % (line, got))
    after = take_memmap_dump(q, boot)
    left = [(p, n) for p, n, kind, _ in after["runs"] if kind == "pkmap"]
    if left:
        problems.append("after kunmap and free_pages the dump still has pkmap runs %s" % left)
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(20))


def check_shell_frees_own(boot, q):
    """vfree, iounmap and kunmap refuse what the shell did not allocate
    (a boot-time ioremap from vmallocinfo, junk, a second free), naming
    themselves and the allocation command; the allocator never sees it."""
    problems = []
    boot_io = re.search(r"^(0x[0-9a-f]+)-\S+\s+\d+ .*\bioremap\b",
                        q.command("cat /proc/vmallocinfo"), re.M)
    out = q.command("vmalloc 4K")
    v = re.match(r"(0x[0-9a-f]+):", out)
    if not v:
        raise CheckFailed("vmalloc 4K printed no address", out)
    cases = [("vfree %s" % v.group(1), None),
             ("vfree %s" % v.group(1),
              "vfree: %s was not allocated by the shell's vmalloc" % v.group(1)),
             ("vfree 1234", "vfree: 1234 was not allocated by the shell's vmalloc"),
             ("iounmap 1234", "iounmap: 1234 was not allocated by the shell's ioremap"),
             ("kunmap 1234", "kunmap: 1234 was not allocated by the shell's kmap")]
    if boot_io:
        cases.append(("iounmap %s" % boot_io.group(1),
                      "iounmap: %s was not allocated by the shell's ioremap" % boot_io.group(1)))
    for line, want in cases:
        got = q.command(line)
        if want is None and got:
            problems.append("%r (a correct free) printed %r" % (line, got))
        if want and want not in got:
            problems.append("%r did not say %r: %r" % (line, want, got))
        if re.search(r"BUG", got):
            problems.append("%r reached the allocator's checks" % line)
    if boot_io and not re.search(r"^%s-" % boot_io.group(1), q.command("cat /proc/vmallocinfo"), re.M):
        problems.append("the boot-time ioremap at %s is gone" % boot_io.group(1))
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(20))


def check_memmap_scull(boot, q):
    """4 MiB through scullp shows as alloc_pages pages, through scullv as
    vmalloc pages (checked against the tables again), both go back to
    free on truncation; the PNG tool draws the full state."""
    size = 4 << 20
    for v in ("scullp", "scullv"):
        q.command("truncate /dev/%s0" % v)
    q.command("slabshrink")
    q.command("drain")
    d0, _ = settled_dump(q, boot)
    for v in ("scullp", "scullv"):
        out = q.command("fill /dev/%s0 4M random" % v)
        if "%d bytes written" % size not in out:
            raise CheckFailed("fill /dev/%s0 4M: %r" % (v, out[:200]))
    d1, tables = settled_dump(q, boot)
    problems = ["with 4 MiB in scullp and scullv: " + p for p in memmap_dump_problems(d1, tables)]
    problems += draw_memmap(d1, "scull")
    for v in ("scullp", "scullv"):
        q.command("truncate /dev/%s0" % v)
    q.command("slabshrink")
    q.command("drain")
    d2, _ = settled_dump(q, boot)
    problems += scull_kind_problems(d0, d1, d2, size)
    if problems:
        raise CheckFailed("; ".join(problems),
                          "totals before %s\nwith data %s\nafter %s"
                          % (d0["totals"], d1["totals"], d2["totals"]))


def settled_slab(q):
    """({cache: active objects}, pages held by slabs), taken after
    settled_memfree()."""
    rows = parse_slabinfo(q.command("cat /proc/slabinfo"))
    return ({k: v[0] for k, v in rows.items()},
            sum(v[4] * v[5] for v in rows.values()))


def memory_lost(mem0, slab0, mem1, slab1):
    """Problems between two settled states. Every object must be back;
    pages may still be missing from MemFree only if slabs hold them (a
    mempool's reserve refilled by frees can end up spread over one more
    slab than before: the same objects, not a leak)."""
    problems = ["slab objects not back: " + ", ".join(slab_changes(slab0[0], slab1[0]))] \
        if slab_changes(slab0[0], slab1[0]) else []
    page_kb = 4
    if mem0 - mem1 != (slab1[1] - slab0[1]) * page_kb:
        problems.append("MemFree %d kB before, %d kB after, slabs hold %+d kB"
                        % (mem0, mem1, (slab1[1] - slab0[1]) * page_kb))
    return problems


def slab_changes(before, after):
    """Caches whose active object count differs, as 'name a->b'."""
    return ["%s %s->%s" % (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)]


_FILL_RANDOM = None


def fill_random_bytes():
    """The 4 MiB `fill ... random` writes: xorshift32 from its fixed seed."""
    global _FILL_RANDOM
    if _FILL_RANDOM is None:
        r, mask = 0x2545F491, 0xFFFFFFFF
        out = bytearray(4 << 20)
        for i in range(len(out)):
            r ^= (r << 13) & mask
            r ^= r >> 17
            r ^= (r << 5) & mask
            out[i] = r & 0xFF
        _FILL_RANDOM = bytes(out)
    return _FILL_RANDOM


FAULT_SETTINGS = "1,10,0,-1"  # every call a candidate, 10% fail, no limit


def injected_failures(q, cmd):
    m = re.search(r"^failures\s+(\d+)$", q.command(cmd), re.M)
    return int(m.group(1)) if m else None


def check_fault_injection(boot, q):
    """With 10% of slab and page allocations failing, cp of 4 MiB through
    every variant ends with the full data or a clean -ENOMEM; what the
    destination holds is exactly the prefix cp reports; truncating gives
    back every page and slab object."""
    problems = []
    data = fill_random_bytes()
    start = len(q.text)
    for seed, v in enumerate(SCULL_VARIANTS, 1):
        src, dst = "/dev/%s0" % v, "/dev/%s1" % v
        q.command("truncate %s" % src)
        q.command("truncate %s" % dst)
        mem0, slab0 = settled_memfree(q), settled_slab(q)
        q.command("fill %s 4M random" % src)
        q.command("failslab reset seed=%d %s" % (seed, FAULT_SETTINGS))
        q.command("fail_page_alloc reset seed=%d %s" % (seed, FAULT_SETTINGS))
        out = q.command("cp %s %s" % (src, dst))
        # Turning injection off must itself survive injection: retry.
        for cmd in ("failslab off", "fail_page_alloc off"):
            for _ in range(5):
                if "error" not in q.command(cmd):
                    break
        fs = injected_failures(q, "failslab")
        fp = injected_failures(q, "fail_page_alloc")
        m = re.search(r"^(\d+) bytes copied", out, re.M)
        copied = int(m.group(1)) if m else 0
        clean = copied == len(data) and "error" not in out
        if not clean and not re.search(r"^cp: (write: )?(error )?-ENOMEM", out, re.M):
            problems.append("%s: neither all data nor -ENOMEM: %r" % (v, out[-200:]))
        want = "%08x %d %s" % (zlib.crc32(data[:copied]), copied, dst)
        got = q.command("cksum %s" % dst)
        if not got.startswith(want):
            problems.append("%s: cp reports %d bytes, cksum %r, want %r"
                            % (v, copied, got[:40], want))
        print("# %s: %s; %s failslab and %s fail_page_alloc failures injected"
              % (v, "all copied" if clean else "stopped after %d bytes" % copied, fs, fp))
        q.command("truncate %s" % src)
        q.command("truncate %s" % dst)
        mem1, slab1 = settled_memfree(q), settled_slab(q)
        problems += ["%s: %s" % (v, p) for p in memory_lost(mem0, slab0, mem1, slab1)]
        if not fs and not fp:
            problems.append("%s: no failure was injected" % v)
    if re.search(r"BUG|Oops|WARNING", q.text[start:]):
        problems.append("a BUG, WARNING or oops was printed")
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(40))


def check_memory_pressure(boot, q):
    """Filling scullp devices until the page allocator runs dry: the write
    that cannot get a page fails with -ENOMEM, everything written before
    it (on that device and the others) reads back intact, and truncating
    gives every page back."""
    if boot.mem_bytes > (256 << 20):
        print("# %s: needs -m 256M or less to run dry (skipped)" % boot.label())
        return
    devs = ["/dev/scullp%d" % i for i in range(4)]
    start = len(q.text)
    for d in devs:
        q.command("truncate %s" % d)
    mem0, slab0 = settled_memfree(q), settled_slab(q)
    written, full_crc, failed_at = {}, {}, None
    for d in devs:
        out = q.command("fill %s 64M seq" % d)
        m = re.search(r"^(\d+) bytes written, crc32 ([0-9a-f]{8})", out, re.M)
        if not m:
            raise CheckFailed("fill %s printed no result" % d, out)
        written[d], full_crc[d] = int(m.group(1)), m.group(2)
        if written[d] < 64 << 20:
            if "fill: write: -ENOMEM after %d bytes" % written[d] not in out:
                raise CheckFailed("%s stopped short without -ENOMEM" % d, out)
            failed_at = d
            break
    if not failed_at:
        raise CheckFailed("256 MiB of scullp quanta fitted in -m %s" % boot.mem)
    problems = []
    seq = bytes(range(256)) * (1 << 18)  # 64 MiB of the seq pattern
    for d in written:
        want = "%08x %d %s" % (zlib.crc32(seq[:written[d]]), written[d], d)
        got = q.command("cksum %s" % d)
        if not got.startswith(want) or not want.startswith(full_crc[d]):
            problems.append("%s: %r, want %r" % (d, got[:40], want))
    if not re.search(r"page allocation failure|cannot allocate a new slab", q.text[start:]):
        problems.append("the failed allocation was not reported")
    for d in devs:
        q.command("truncate %s" % d)
    problems += memory_lost(mem0, slab0, settled_memfree(q), settled_slab(q))
    print("# %s: ran dry in %s after %d MiB in all" % (
        boot.label(), failed_at, sum(written.values()) >> 20))
    if problems:
        raise CheckFailed("; ".join(problems), q.tail(40))


BENCH_ROW = re.compile(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\d+)\s+(-?\d+)\s+"
                       r"(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(\d+\.\d\d)$")


def check_scullbench(boot, q):
    """scullbench copies through all six variants and its table adds up:
    the quanta cover the data, page-based variants use a page per 4 KiB,
    kmalloc's 4000-byte quanta waste more than whole pages do, nothing
    is reported, and every page comes back."""
    size = 1 << 20
    before = settled_memfree(q)
    out = q.command("scullbench 1M")
    rows = {m.group(1): m.groups() for m in map(BENCH_ROW.match, out.split("\n")) if m}
    problems = []
    if list(rows) != list(SCULL_VARIANTS):
        raise CheckFailed("rows for %s, want %s" % (list(rows), list(SCULL_VARIANTS)), out)
    for v, r in rows.items():
        quantum, quanta, pages = int(r[1]), int(r[2]), int(r[7])
        waste = float(r[10])
        if quanta != -(-size // quantum):
            problems.append("%s: %d quanta of %d bytes for 1 MiB" % (v, quanta, quantum))
        if v in ("scullp", "scullh", "scullv") and pages < size // 4096:
            problems.append("%s: %d pages for 1 MiB of whole pages" % (v, pages))
        if v in ("scullp", "scullh") and waste >= float(rows["scull"][10]):
            problems.append("%s wastes %.2f%%, not less than scull's %s%%"
                            % (v, waste, rows["scull"][10]))
    if re.search(r"^scullbench: \w+: ", out, re.M):
        problems.append("a variant reported a problem")
    after = settled_memfree(q)
    if after != before:
        problems.append("MemFree %d kB before, %d kB after" % (before, after))
    if problems:
        raise CheckFailed("; ".join(problems), out)


def check_leaks(boot, q):
    """Allocations made after `leaks mark` are listed under the command
    that made them, page_owner names the holder of a page, and freeing
    them empties the list."""
    gen = re.search(r"generation (\d+)", q.command("leaks mark"))
    if not gen:
        raise CheckFailed("leaks mark printed no generation")
    gen = int(gen.group(1))
    a = re.search(r"pfn (0x[0-9a-f]+) .*\n  free it with: (free_pages \S+ 1)",
                  q.command("alloc_pages 1"))
    v = re.search(r"^(0x[0-9a-f]+): 10000 bytes", q.command("vmalloc 10000"), re.M)
    if not a or not v:
        raise CheckFailed("alloc_pages or vmalloc failed", q.tail(10))
    out = q.command("leaks since %d" % gen)
    problems = []
    for want in (r"^\s+1\s+8192  pages\s+cmd_alloc_pages\+",
                 r"^\s+3\s+12288  vmalloc\s+cmd_vmalloc\+",
                 # 4, or more where slub_debug=U tracks vmalloc's vm_struct
                 r"^([4-9]|\d\d+) allocations still held since generation %d$" % gen):
        if not re.search(want, out, re.M):
            problems.append("leaks since: no line like %r" % want)
    owner = q.command("page_owner %s" % a.group(1))
    if not re.search(r"order-1 block .* generation %d\n  allocated by cmd_alloc_pages\+" % gen,
                     owner):
        problems.append("page_owner: %r" % owner)
    q.command(a.group(2))
    q.command("vfree %s" % v.group(1)[2:])
    out2 = q.command("leaks since %d" % gen)
    if "0 allocations still held" not in out2:
        problems.append("after freeing: %r" % out2)
    if problems:
        raise CheckFailed("; ".join(problems), out + "\n" + owner + "\n" + out2)


STRESS_SECONDS = 5
STRESS_OVERTIME = 60  # stress waits this long past SECONDS for memory to run out
STRESS_KIND = re.compile(r"^(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)$")
STRESS_SCULL = re.compile(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")


def stress_tables(out):
    """The two tables of stress's output: {allocator: (ok, failed, freed)}
    and {variant: (writes, failed, reads, truncates, KiB)}."""
    kinds, scull, table = {}, {}, None
    for line in out.split("\n"):
        if line.startswith("allocator "):
            table = kinds
        elif line.startswith("scull devices "):
            table = scull
        elif line.startswith("stress: "):
            table = None
        elif table is kinds and STRESS_KIND.match(line):
            m = STRESS_KIND.match(line)
            kinds[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
        elif table is scull and STRESS_SCULL.match(line):
            m = STRESS_SCULL.match(line)
            scull[m.group(1)] = tuple(int(x) for x in m.groups()[1:])
    return kinds, scull


def stress_summary_problems(out, highmem):
    """What stress's own summary lines say went wrong, or did not happen.
    HighMem pages are mapped only when there are any."""
    problems = []
    m = re.search(r"out of memory (\d+) times", out)
    if not m or int(m.group(1)) < 1:
        problems.append("memory never ran out")
    m = re.search(r"checked (\d+) allocations and (\d+) scull reads: (\d+) corrupted; "
                  r"slabcheck (\d+) times: (\d+) problems", out)
    if not m:
        problems.append("no 'checked ... corrupted' line")
    elif int(m.group(1)) == 0 or int(m.group(2)) == 0 or int(m.group(4)) == 0:
        problems.append("nothing was checked: %r" % m.group(0))
    elif int(m.group(3)) or int(m.group(5)):
        problems.append(m.group(0))
    m = re.search(r"mapped for the checks: (\d+) by kmap_atomic, (\d+) by kmap_local; "
                  r"mempool reserve used (\d+) times", out)
    used = [int(x) for x in m.groups()] if m else []
    if not used or not used[2] or highmem and 0 in used[:2] or not highmem and any(used[:2]):
        problems.append("with%s HighMem: %r" % ("" if highmem else "out",
                                                m.group(0) if m else "no kmap line"))
    if not re.search(r"^stress: PASS: ", out, re.M):
        problems.append("no PASS line")
    return problems


def check_stress(boot, q):
    """`stress` for a few seconds, with a seed printed here: every
    allocator and scull variant did work, memory ran out and some
    allocations failed, every one that succeeded was freed, nothing was
    corrupted or reported, and by /proc/meminfo, /proc/slabinfo and
    /proc/vmallocinfo memory is back as it was."""
    seed = random.SystemRandom().randrange(1, 1 << 32)
    print("# %s: stress %d %d" % (boot.label(), STRESS_SECONDS, seed))
    mem0, slab0 = settled_memfree(q), settled_slab(q)
    vm0 = q.command("cat /proc/vmallocinfo")
    highmem = parse_meminfo(q.command("cat /proc/meminfo")).get("HighTotal", 0) > 0
    start = len(q.text)
    saved, q.timeout = q.timeout, max(q.timeout, STRESS_SECONDS + STRESS_OVERTIME + 60)
    t0 = time.monotonic()
    try:
        out = q.command("stress %d %d" % (STRESS_SECONDS, seed))
    finally:
        q.timeout = saved
    took = time.monotonic() - t0
    kinds, scull = stress_tables(out)
    problems = stress_summary_problems(out, highmem)
    if len(kinds) < 10:
        problems.append("only %d allocator rows" % len(kinds))
    for name, (ok, failed, freed) in kinds.items():
        if ok == 0 or freed != ok:
            problems.append("%s: %d ok, %d freed" % (name, ok, freed))
    if not sum(failed for _, failed, _ in kinds.values()):
        problems.append("no allocation failed")
    if sorted(scull) != sorted(SCULL_VARIANTS):
        problems.append("scull rows for %s" % sorted(scull))
    for v, (writes, failed, reads, truncates, kib) in scull.items():
        if not (writes and reads and truncates and kib):
            problems.append("%s: %d writes, %d reads, %d truncates" % (v, writes, reads, truncates))
    problems += memory_lost(mem0, slab0, settled_memfree(q), settled_slab(q))
    if q.command("cat /proc/vmallocinfo") != vm0:
        problems.append("/proc/vmallocinfo differs from before")
    text = normalise(q.text[start:])
    if re.search(r"BUG|Oops|WARNING|Kernel panic|killed by an oops|sleeping function", text):
        problems.append("a BUG, WARNING or oops was printed")
    if re.search(r"^\[[ \d.]+\] stress: ", text, re.M):
        problems.append("stress reported a problem")
    m = re.search(r"out of memory (\d+) times", out)
    print("# %s: stress ran %.1f s, out of memory %s times, %d allocator failures"
          % (boot.label(), took, m.group(1) if m else "?",
             sum(f for _, f, _ in kinds.values())))
    if problems:
        raise CheckFailed("; ".join(problems), out)


def check_poweroff(boot, q):
    q.send("poweroff\r")
    status = q.wait_exit("poweroff")
    if status != boot.poweroff_status:
        raise CheckFailed("QEMU exited with status %s, expected %d"
                          % (status, boot.poweroff_status), q.tail(5))


# ---------------------------------------------------------------------------
# kmemtrace: a trace recorded in the guest, replayed on the host by
# build/host/kmemreplay, must lead to the guest's own buddyinfo
# (docs/kmemtrace.md). The check boots its own QEMU with kmemtrace= on the
# command line: x86 from the second ISO `make iso-trace` builds.

KMEMREPLAY = "build/host/kmemreplay"
TRACE_ISO = "build/x86/trace/pagoda.iso"
TRACE_GRUB_CFG = "build/x86/trace/iso/boot/grub/grub.cfg"
TRACE_EVENTS = 262144  # the riscv option; the ISO's comes from the Makefile
TRACE_EVENT_RE = re.compile(r"^(\d+) (\d+) (\w+) via=(\w+)(.*)$", re.M)
TRACE_END_RE = re.compile(r"^kmemtrace-end events=(\d+) lost=(\d+)$", re.M)
BUDDY_ROW_RE = re.compile(r"^Node \d+, zone +\S+(?: +\d+)+ *$", re.M)
SLABINFO_HEAD = "slabinfo - version: 2.1"


def traced_boot(boot):
    """A copy of boot that records a kmemtrace from its start."""
    tb = copy.copy(boot)
    if boot.arch == "x86":
        tb.image = os.path.join(REPO, TRACE_ISO)
        try:
            tb.cmdline = x86_cmdline(TRACE_GRUB_CFG)
        except (OSError, ValueError) as e:
            raise CheckFailed("no traced ISO (build it with `make iso-trace`): %s" % e)
    else:
        tb.cmdline = "%s kmemtrace=%d slab_owner" % (boot.cmdline, TRACE_EVENTS)
    if "kmemtrace=" not in tb.cmdline or "slab_owner" not in tb.cmdline.split():
        raise CheckFailed("the traced boot's command line lacks kmemtrace= or slab_owner: %r"
                          % tb.cmdline)
    why_not = tb.missing()
    if why_not:
        raise CheckFailed(why_not)
    return tb


def buddy_rows(text):
    return [" ".join(m.group(0).split()) for m in BUDDY_ROW_RE.finditer(text)]


def slabinfo_lines(text):
    """The slabinfo table in text, from its version line to its last
    cache row, each line with its line ending and trailing blanks cut."""
    lines = [l.rstrip() for l in text.replace("\r", "").split("\n")]
    if SLABINFO_HEAD not in lines:
        return []
    lines = lines[lines.index(SLABINFO_HEAD):]
    n = 2
    while n < len(lines) and " : slabdata " in lines[n]:
        n += 1
    return lines[:n]


def kmemreplay(dump):
    """Run the host replay on a dump: (exit status, stdout, stderr)."""
    exe = os.path.join(REPO, KMEMREPLAY)
    if not os.access(exe, os.X_OK):
        raise CheckFailed("%s not found (build it with `make %s`)" % (KMEMREPLAY, KMEMREPLAY))
    with tempfile.NamedTemporaryFile("w", suffix=".kmemtrace") as f:
        f.write(dump)
        f.flush()
        r = subprocess.run([exe, f.name], capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def tamper_problems(what, dump, events, op, key):
    """The middle successful `op` event of the dump with its `key`
    address changed: the replay must fail and name that event."""
    hits = [e for e in events if e[2] == op and (" %s=0x" % key) in e[4]]
    if not hits:
        return ["%s: no successful %s to tamper with" % (what, op)]
    seq, rest = hits[len(hits) // 2][0], hits[len(hits) // 2][4]
    val = int(re.search(r" %s=(0x[0-9a-f]+)" % key, rest).group(1), 16)
    if op == "page_alloc":
        order = int(re.search(r"order=(\d+)", rest).group(1))
        new = val ^ (1 << (order + 1))
    else:
        new = val ^ 0x1000  # the same offset in another frame
    bad = re.sub(r"^(%s \d+ %s .* %s=)0x[0-9a-f]+" % (seq, op, key),
                 lambda m: m.group(1) + hex(new), dump, count=1, flags=re.M)
    rc, _, err = kmemreplay(bad)
    if rc == 0 or ("event %s " % seq) not in err:
        return ["%s: with event %s's %s changed the replay did not report it (exit %d: %s)"
                % (what, seq, key, rc, err.strip()[:200])]
    return []


def replay_refuses(what, bad, seq, change):
    """The replay of the altered dump bad must fail naming event seq."""
    rc, _, err = kmemreplay(bad)
    if rc == 0 or ("event %s " % seq) not in err:
        return ["%s: with event %s's %s the replay did not report it (exit %d: %s)"
                % (what, seq, change, rc, err.strip()[:200])]
    return []


def with_field(dump, seq, op, key, value):
    return re.sub(r"^(%s \d+ %s .*? %s=)0x[0-9a-f]+" % (seq, op, key),
                  lambda m: m.group(1) + hex(value), dump, count=1, flags=re.M)


def free_tamper_problems(what, dump, events):
    """A trace from boot holds every block and object it frees: a
    page_free moved to a frame the kernel never gave out (the first
    frame of the first zone, firmware's), and a kfree's cache_free moved
    to another live object of its cache, must both be reported."""
    problems = []
    frees = [e for e in events if e[2] == "page_free" and e[1] == "0"
             and " order=0 " in e[4]]
    first = re.search(r"^zone node=0 zone=\S+ start=(0x[0-9a-f]+) ", dump, re.M)
    if not frees or not first:
        return ["%s: no order-0 page_free or zone line to tamper with" % what]
    seq = frees[len(frees) // 2][0]
    pfn = int(first.group(1), 16)
    problems += replay_refuses(what, with_field(dump, seq, "page_free", "pfn", pfn),
                               seq, "pfn moved to %#x" % pfn)
    # Objects live at each point, by cache; the first kfree's cache_free
    # in the second half whose cache has another one.
    live = {}
    target = None
    for i, e in enumerate(events):
        m = re.search(r" cache=(0x[0-9a-f]+)(?: gfp=\S+)? obj=(0x[0-9a-f]+)", e[4])
        if not m:
            continue
        objs = live.setdefault(m.group(1), set())
        if e[2] == "cache_alloc":
            objs.add(m.group(2))
        elif e[2] == "cache_free":
            others = objs - {m.group(2)}
            if (target is None and e[3] == "kfree" and i > len(events) // 2
                    and others):
                target = (e[0], min(others))
            objs.discard(m.group(2))
    if not target:
        return problems + ["%s: no kfree'd object with another live one in its cache" % what]
    seq, other = target
    problems += replay_refuses(what, with_field(dump, seq, "cache_free", "obj", int(other, 16)),
                               seq, "object changed to the live %s" % other)
    return problems


def trace_dump_problems(what, dump, guest_buddy, guest_slab=None):
    """The dump is whole, replays without divergence to the guest's
    buddyinfo (and, for a trace from boot, its slabinfo), and a replay of
    the same dump with one frame (or one object) changed fails at that
    event."""
    end = TRACE_END_RE.search(dump)
    events = TRACE_EVENT_RE.findall(dump)
    if not end or "kmemtrace-begin " not in dump:
        return ["%s: the dump has no kmemtrace-begin/end lines" % what]
    if int(end.group(2)):
        return ["%s: %s events lost" % (what, end.group(2))]
    if int(end.group(1)) != len(events):
        return ["%s: %d event lines, the end line says %s" % (what, len(events), end.group(1))]
    want = buddy_rows(guest_buddy)
    rc, out, err = kmemreplay(dump)
    if rc != 0:
        return ["%s: the replay failed: %s" % (what, err.strip()[:300])]
    if buddy_rows(out) != want or not want:
        return ["%s: replayed buddyinfo %r, the guest's %r" % (what, buddy_rows(out), want)]
    if guest_slab is None:
        if slabinfo_lines(out) or "slabinfo is not available" not in err:
            return ["%s: a trace from the shell, yet the replay printed a slabinfo"
                    " or did not say it cannot" % what]
        return tamper_problems(what, dump, events, "page_alloc", "pfn")
    want = slabinfo_lines(guest_slab)
    got = slabinfo_lines(out)
    if got != want or len(want) < 3:
        diff = [(g, w) for g, w in zip(got, want) if g != w][:2]
        return ["%s: replayed slabinfo differs from the guest's (%d lines, %d; first: %r)"
                % (what, len(got), len(want), diff or (got[-1:], want[-1:]))]
    return (tamper_problems(what, dump, events, "page_alloc", "pfn") +
            tamper_problems(what, dump, events, "cache_alloc", "obj") +
            free_tamper_problems(what, dump, events))


def boot_buffer_problems(tq):
    """`trace start EVENTS` reuses the kmemtrace= buffer when it is big
    enough (no vmalloc area for it); a larger start takes one from
    vmalloc, and the status says the boot buffer lies unused; a smaller
    start again goes back to it and gives the vmalloc area back."""
    problems = []
    boot_events = int(re.search(r"kmemtrace=(\d+)", tq.command("cmdline")).group(1))

    def vmalloc_areas():
        return set(l.strip() for l in tq.command("cat /proc/vmallocinfo").splitlines())

    before = vmalloc_areas()

    def trace_areas():
        return sorted(vmalloc_areas() - before)

    out = tq.command("trace start 16384")
    if not out.startswith("trace: recording, 0 events, buffer 16384 records") or trace_areas():
        problems.append("trace start 16384 after a boot trace did not reuse the boot buffer: %r %r"
                        % (out[:120], trace_areas()))
    out = tq.command("trace start %d" % (boot_events + 1))
    if "boot buffer (%d records) is unused" % boot_events not in out or len(trace_areas()) != 1:
        problems.append("trace start %d: %r, vmalloc areas %r"
                        % (boot_events + 1, out[:300], trace_areas()))
    out = tq.command("trace start 32768")
    if "unused" in out or trace_areas():
        problems.append("trace start 32768 did not go back to the boot buffer: %r %r"
                        % (out[:200], trace_areas()))
    tq.command("trace stop")
    return problems


OWNER_KMALLOC_RE = re.compile(r"^(0x[0-9a-f]+): (\d+) bytes in (\S+) \(ksize (\d+)\)", re.M)


def slab_owner_problems(tq):
    """On the traced boot, which has slab_owner: objects kmalloc'ed from
    the shell after `leaks mark` are listed under cmd_kmalloc with the
    mark's generation, whether their cache has the owner record or (for
    slub_debug=U's kmalloc-48) the alloc track; kfree takes them off."""
    gen = re.search(r"generation (\d+)", tq.command("leaks mark"))
    if not gen:
        return ["slab_owner: leaks mark printed no generation"]
    gen = int(gen.group(1))
    held = {}  # cache: [count, bytes]
    addrs = []
    for size in (20, 100, 100, 40, 1000):
        out = tq.command("kmalloc %d" % size)
        m = OWNER_KMALLOC_RE.search(out)
        if not m:
            return ["slab_owner: kmalloc %d: %r" % (size, out[:120])]
        addrs.append(m.group(1))
        h = held.setdefault(m.group(3), [0, 0])
        h[0] += 1
        h[1] += int(m.group(4))
    problems = []
    if "kmalloc-48" not in held:
        problems.append("slab_owner: kmalloc 40 did not come from kmalloc-48 (the U cache)")
    out = tq.command("leaks since %d" % gen)
    for cache, (count, nbytes) in held.items():
        want = r"^\s+%d\s+%d  %s\s+cmd_kmalloc\+" % (count, nbytes, re.escape(cache))
        if not re.search(want, out, re.M):
            problems.append("slab_owner: leaks since %d has no line like %r: %r"
                            % (gen, want, out[:600]))
    out = tq.command("leaks since %d" % (gen + 1))
    if "cmd_kmalloc" in out:
        problems.append("slab_owner: objects of generation %d listed since %d: %r"
                        % (gen, gen + 1, out[:300]))
    for a in addrs:
        tq.command("kfree %s" % a[2:])
    out = tq.command("leaks since %d" % gen)
    if "cmd_kmalloc" in out:
        problems.append("slab_owner: kfree'd objects still listed: %r" % out[:300])
    return problems


def check_kmemtrace(boot, q):
    """Boot with kmemtrace=, write and read back 300 KiB through scull,
    scullp and scullv and truncate them (kmalloc, pages, vmalloc and
    their frees), dump the trace and replay it on the host: the same
    buddyinfo and slabinfo as the guest's. Then a trace started from the
    shell in mid-run replays from its header snapshot alone the same way,
    at the page level. The traced boot has slab_owner too: its owner
    check runs last (slab_owner_problems)."""
    tb = traced_boot(boot)
    tq = Qemu(tb.argv(), q.timeout, q.verbose)
    problems = []
    try:
        tq.wait_for(PROMPT_RE, 0, "the traced boot's prompt")
        status = tq.command("trace")
        if not status.startswith("trace: recording, "):
            raise CheckFailed("kmemtrace= given, but the trace is not recording", status)
        out = tq.command("fill /dev/scull0 300K random")
        crc = re.search(r"307200 bytes written, crc32 ([0-9a-f]{8})", out)
        if not crc:
            raise CheckFailed("fill printed no CRC", out)
        for v in ("scullp", "scullv"):
            tq.command("cp /dev/scull0 /dev/%s0" % v)
        for v in ("scull", "scullp", "scullv"):
            got = tq.command("cksum /dev/%s0" % v)
            if not got.startswith(crc.group(1)):
                problems.append("%s0 reads back %r, want crc %s" % (v, got[:40], crc.group(1)))
            tq.command("truncate /dev/%s0" % v)
        # Nothing allocates between the end of the trace and the tables.
        tq.command("trace stop")
        buddy = tq.command("cat /proc/buddyinfo")
        slab = tq.command("cat /proc/slabinfo")
        dump = tq.command("trace dump")
        events = TRACE_EVENT_RE.findall(dump)
        ops = {e[2] for e in events}
        for op in ("page_alloc", "page_free", "cache_alloc", "cache_free", "kmalloc",
                   "kfree", "vmalloc", "vfree", "init", "cache_create"):
            if op not in ops:
                problems.append("boot trace: no %s event" % op)
        for via in ("vmalloc", "cache_alloc"):
            if not any(e[2] == "page_alloc" and e[3] == via for e in events):
                problems.append("boot trace: no page_alloc via %s" % via)
        if any(e[1] == "0" and e[3] != "none" for e in events):
            problems.append("boot trace: a depth-0 event with a via")
        if "from=boot " not in dump:
            problems.append("boot trace: the header does not say from=boot")
        problems += trace_dump_problems("boot trace", dump, buddy, slab)

        problems += boot_buffer_problems(tq)

        # From the shell, in mid-run: the snapshot carries the state.
        tq.command("fill /dev/scullv0 64K seq")
        out = tq.command("trace start")
        if not out.startswith("trace: recording, 0 events"):
            problems.append("trace start: %r" % out[:80])
        tq.command("fill /dev/scullp0 200K seq")
        tq.command("truncate /dev/scullv0")
        tq.command("drain")
        tq.command("truncate /dev/scullp0")
        tq.command("trace stop")
        buddy = tq.command("cat /proc/buddyinfo")
        problems += trace_dump_problems("shell trace", tq.command("trace dump"), buddy)
        problems += slab_owner_problems(tq)
        if re.search(r"Oops|BUG|Kernel panic|WARNING|Call Trace", tq.text):
            problems.append("an oops, BUG or WARNING was printed")
    finally:
        tq.kill()
    if problems:
        raise CheckFailed("; ".join(problems), tq.tail(20))


# In the order they run. The fuzz runs before the fault on purpose: random
# bytes can recall history (up arrow), and recalling `peek 0` or a dmesg
# that holds an oops would spoil the "no oops after the fuzz" check.
CHECKS = [
    ("prompt reached, banner names the arch", check_boot),
    ("/proc/iomem matches -m", check_iomem),
    ("three zones in zoneinfo/buddyinfo add up to -m", check_zones),
    ("/proc/meminfo is consistent and procps free reads it", check_meminfo),
    ("cmdline prints the command line", check_cmdline),
    ("unknown command: command not found", check_unknown_command),
    ("a command printing the prompt does not confuse the next ones",
     check_prompt_in_output),
    ("bad arguments: usage and error", check_bad_arguments),
    ("every command rejects bad arguments cleanly", check_every_command_bad_args),
    ("ls /proc, /proc/version, and every /proc table prints", check_proc),
    ("dmesg holds banner and command line", check_dmesg),
    ("free_pages frees only the shell's own blocks, with their order", check_page_misuse),
    ("/proc/slabinfo follows kmalloc/kfree; slabtop reads it", check_slabinfo),
    ("kfree frees only what the shell's kmalloc returned", check_slab_misuse),
    ("vfree, iounmap and kunmap free only the shell's own", check_shell_frees_own),
    ("a vmalloc guard page fault names its area", check_vmalloc_guard),
    ("misuse lists its classes", check_misuse_list),
] + [
    ("misuse %s (%s): reported with its caller, the kernel carries on, nothing leaks"
     % (cls, what), misuse_check(cls, expect))
    for cls, what, expect in MISUSE_CLASSES
] + [
    ("riscv: a PLIC line with no handler is disabled and reported once",
     check_plic_unhandled),
    ("/dev, redirection and an endless device", check_devices),
    ("every scull variant keeps what is written to it", check_scull),
    ("4 MiB through every variant keeps its CRC; truncate frees it all",
     check_scull_4m),
    ("memmap --dump: every frame once, figures match the kernel's tables; PNG drawn",
     check_memmap_dump),
    ("memmap --dump: a page held by kmap shows as pkmap, and free_pages waits for kunmap",
     check_memmap_kmap),
    ("memmap --dump: scullp and scullv pages move kinds and come back; PNG drawn",
     check_memmap_scull),
    ("scullbench: six variants, and the table adds up", check_scullbench),
    ("leaks since a generation, page_owner of a page", check_leaks),
    ("kmemtrace from boot and from the shell replays to the guest's buddyinfo and slabinfo",
     check_kmemtrace),
    ("out of memory: the write fails, earlier data stays intact",
     check_memory_pressure),
    ("10% of allocations failing: cp through every variant stays sound",
     check_fault_injection),
    ("selftest all (page_alloc, slab, mempool, pgtable, vmalloc, highmem, ioremap), no leaks",
     check_selftest),
    ("stress: every allocator out of memory and back, all of it returned",
     check_stress),
    ("the timer runs (/proc/uptime grows)", check_timer),
    ("line editing: backspace, history, Tab", check_line_editing),
    ("console input: a 4 KiB line typed at once arrives whole and in order",
     check_console_input),
    ("fuzz: %d s of random input and commands, then the shell answers, nothing leaked"
     % FUZZ_SECONDS, check_fuzz),
    ("survives a NULL pointer oops (peek 0)", check_fault),
    ("poweroff exits QEMU", check_poweroff),
]


# ---------------------------------------------------------------------------
# Reporting and the main loop


class Report:
    """Numbers the checks, prints `ok`/`not ok` lines and counts them."""

    def __init__(self, verbose):
        self.verbose = verbose  # serial text is interleaved: start lines afresh
        self.n = 0
        self.passed = 0
        self.failed = 0

    def result(self, boot, what, reason=None, output=""):
        self.n += 1
        if self.verbose:
            print()
        if reason is None:
            self.passed += 1
            print("ok %d - %s: %s" % (self.n, boot.label(), what))
        else:
            self.failed += 1
            print("not ok %d - %s: %s: %s" % (self.n, boot.label(), what, reason))
            for line in printable(output).split("\n") if output else []:
                if len(line) > 200:
                    line = line[:200] + "..."
                print("#   " + line)
        sys.stdout.flush()


def run_boot(boot, opts, report):
    """Start QEMU for one boot, run every check, always kill QEMU."""
    why_not = boot.missing()
    q = None
    print("# %s: command line %r" % (boot.label(), boot.cmdline))
    try:
        if not why_not:
            print("# " + " ".join(shlex.quote(a) for a in boot.argv()))
            sys.stdout.flush()
            try:
                q = Qemu(boot.argv(), opts.timeout, opts.verbose)
            except OSError as e:
                why_not = "cannot start %s: %s" % (boot.qemu, e)
        for what, check in CHECKS:
            if (opts.only and check is not check_boot
                    and not re.search(opts.only, what)):
                continue
            # "riscv: ..." or "x86: ...": a check of one architecture only.
            arch_only = what.split(":")[0]
            if arch_only in ARCHES and arch_only != boot.arch:
                continue
            if why_not:
                report.result(boot, what, "not run: " + why_not)
                continue
            try:
                check(boot, q)
                report.result(boot, what)
            except CheckFailed as e:
                report.result(boot, what, e.reason, e.output)
            except BootAborted as e:
                report.result(boot, what, str(e), q.tail(30))
                why_not = "the boot was aborted (%s)" % e
                q.kill()
            except Exception as e:  # a bug in this script: report, go on
                report.result(boot, what, "internal error: %r" % e, traceback.format_exc())
    finally:
        if q:
            q.kill()


def fmt_seconds(s):
    return "%.2f" % s if s is not None else "-"


def print_summary(boots, report):
    print()
    print("Boot times in wall seconds from QEMU start (reported, not checked):")
    print("%-6s %-6s %11s %9s %19s" % ("arch", "mem", "first line", "prompt", "prompt/first line"))
    for b in boots:
        ratio = "-"
        if b.first_line_s and b.prompt_s is not None:
            ratio = "%.2f" % (b.prompt_s / b.first_line_s)
        print("%-6s %-6s %11s %9s %19s" % (b.arch, b.mem, fmt_seconds(b.first_line_s),
                                          fmt_seconds(b.prompt_s), ratio))
    if any(b.memmap_dumps for b in boots):
        print("memmap --dump over the serial line (reported, not checked):")
        print("%-6s %-6s %6s %12s %12s" % ("arch", "mem", "dumps", "max bytes", "max seconds"))
        for b in boots:
            if b.memmap_dumps:
                print("%-6s %-6s %6d %12d %12.2f" % (
                    b.arch, b.mem, len(b.memmap_dumps), max(n for n, _ in b.memmap_dumps),
                    max(t for _, t in b.memmap_dumps)))
    print("%d passed, %d failed" % (report.passed, report.failed))


def parse_args():
    p = argparse.ArgumentParser(description="Boot Pagoda in QEMU and check its shell.")
    p.add_argument("--arch", choices=["x86", "riscv", "all"], default="all")
    p.add_argument("--mem", default="128M,2G",
                   help="comma-separated QEMU -m sizes, one boot each (default 128M,2G)")
    p.add_argument("--timeout", type=float, default=60,
                   help="seconds allowed for each wait (default 60)")
    p.add_argument("--verbose", action="store_true", help="echo the serial traffic")
    p.add_argument("--cmdline", default="",
                   help="extra kernel parameters (riscv; x86 takes its line "
                        "from the ISO: make iso CMDLINE=...)")
    p.add_argument("--only", metavar="REGEX",
                   help="run only the checks whose title matches (and the "
                        "boot itself), to work on one")
    opts = p.parse_args()
    opts.mems = [m.strip() for m in opts.mem.split(",") if m.strip()]
    for m in opts.mems:
        try:
            parse_size(m)
        except ValueError as e:
            p.error(str(e))
    return opts


def main():
    opts = parse_args()
    # Ctrl-C and SIGTERM unwind through run_boot's `finally`, which kills
    # QEMU. (SIGINT is set explicitly: a shell's background job starts
    # with it ignored.)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    archs = ["x86", "riscv"] if opts.arch == "all" else [opts.arch]
    if "x86" in archs and opts.cmdline:
        print("# note: --cmdline applies to riscv only; x86 uses the ISO's "
              "line (make iso CMDLINE=...)")
    boots = [Boot(a, m, opts.cmdline) for a in archs for m in opts.mems]
    report = Report(opts.verbose)
    try:
        for boot in boots:
            run_boot(boot, opts, report)
    except KeyboardInterrupt:
        print("\ninterrupted")
        print_summary(boots, report)
        return 130
    print_summary(boots, report)
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
