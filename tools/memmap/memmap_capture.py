#!/usr/bin/env python3
"""Boot Pagoda headless, run shell commands, and save `memmap --dump`.

The QEMU driver is the boot test's (tests/boot/boottest.py: Boot builds
the QEMU command line for an architecture and memory size, Qemu types
into the serial console and reads the answers), so this script only
says what to type. With --png the dump is drawn at once by
memmap_png.py, which needs Debian's matplotlib: run this with
/usr/bin/python3 (`make memmap-png` does).

    /usr/bin/python3 tools/memmap/memmap_capture.py --arch riscv --mem 128M \\
        --run "fill /dev/scullp0 4M random" --out build/memmap/after.dump \\
        --png build/memmap/after.png

Nothing is built here: `make iso` or `make ARCH=riscv kernel` first.
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "boot"))

import boottest  # noqa: E402  (the path is set just above)


def capture(q, command="memmap --dump"):
    """Run the dump command; return (text, seconds, bytes on the wire)."""
    start = time.monotonic()
    text = q.command(command)
    return text, time.monotonic() - start, len(text.encode("latin-1"))


def boot_and_dump(arch, mem, commands, cmdline="", timeout=300, verbose=False):
    """Boot, wait for the prompt, run commands, dump; always stop QEMU.

    Returns (dump text, seconds the dump took, outputs of the commands).
    """
    boot = boottest.Boot(arch, mem, cmdline)
    why = boot.missing()
    if why:
        raise SystemExit("memmap_capture: cannot boot %s: %s" % (boot.label(), why))
    q = boottest.Qemu(boot.argv(), timeout, verbose)
    try:
        q.wait_for(boottest.PROMPT_RE, 0, "the first prompt")
        outputs = [q.command(c) for c in commands]
        text, seconds, _ = capture(q)
        q.send("poweroff\r")
        try:
            q.wait_exit("poweroff")
        except boottest.BootAborted:
            pass
        return text, seconds, outputs
    finally:
        q.kill()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=sorted(boottest.ARCHES), default="x86")
    p.add_argument("--mem", default="128M", help="QEMU -m (default 128M)")
    p.add_argument("--cmdline", default="",
                   help="extra kernel parameters (riscv; x86 reads the ISO's)")
    p.add_argument("--run", action="append", default=[], metavar="COMMAND",
                   help="a shell command to run before the dump (repeatable)")
    p.add_argument("--script", default="", metavar="'CMD; CMD'",
                   help="more commands, separated by semicolons (after --run's)")
    p.add_argument("--out", required=True, help="where to write the dump")
    p.add_argument("--png", help="also draw it here (memmap_png.py)")
    p.add_argument("--title", help="the picture's title")
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--verbose", action="store_true", help="echo the serial traffic")
    opts = p.parse_args()
    opts.run += [c.strip() for c in opts.script.split(";") if c.strip()]

    text, seconds, outputs = boot_and_dump(opts.arch, opts.mem, opts.run,
                                           opts.cmdline, opts.timeout, opts.verbose)
    for cmd, out in zip(opts.run, outputs):
        print("pagoda> %s\n%s" % (cmd, out))
    os.makedirs(os.path.dirname(os.path.abspath(opts.out)), exist_ok=True)
    with open(opts.out, "w") as f:
        f.write(text + "\n")
    print("%s: %d bytes, %d lines, %.2f s over the serial line"
          % (opts.out, len(text) + 1, text.count("\n") + 1, seconds))
    if opts.png:
        import memmap_png

        dump = memmap_png.parse(text)
        try:
            info = memmap_png.draw(dump, opts.png, title=opts.title)
        except ImportError as e:
            raise SystemExit("memmap_capture: %s: matplotlib is missing. Run "
                             "tools/setup.sh and run this with /usr/bin/python3 "
                             "(the dump is saved in %s)." % (e, opts.out))
        print("%s: %dx%d pixels" % (opts.png, info["width"], info["height"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
