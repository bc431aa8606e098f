"""Driving QEMU and other child processes over pipes, for the test scripts.

Shared by the boot tests (tests/boot/boottest.py) and the gdb helpers'
test (tests/gdb/gdbtest.py): how QEMU is started for each architecture,
and a process whose output is read as it comes, without blocking, into
one growing string that the tests search with regular expressions. A
Shell is such a process with Pagoda's shell on its serial line: type a
line, get the output up to the next prompt.

Every wait has a timeout; a wait that cannot end (a timeout, the process
gone) raises Aborted, with the reason and the last line the process wrote
on stderr. kill() always ends the process, and its whole process group.

Python 3.9 or later, standard library only.
"""

import bisect
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

PROMPT = "pagoda> "
PROMPT_RE = re.compile(re.escape(PROMPT))

# How each architecture is booted: the QEMU binary, the image (relative
# to the repository) and the command that builds it.
MACHINES = {
    "x86": {
        "qemu": "qemu-system-i386",
        "image": "build/x86/pagoda.iso",
        "build": "make iso",
    },
    "riscv": {
        "qemu": "qemu-system-riscv64",
        "image": "build/riscv/pagoda.elf",
        "build": "make ARCH=riscv kernel",
    },
}


def qemu_argv(arch, image, mem, cmdline, extra=()):
    """QEMU's command line: no display, the serial console on stdio, no
    monitor, no reboot, and the machine's exit device. `cmdline` is the
    riscv kernel's -append (x86's is in the ISO); `extra` goes after the
    common options (-gdb ...)."""
    spec = MACHINES[arch]
    common = ["-m", mem, "-display", "none", "-serial", "stdio",
              "-monitor", "none", "-no-reboot"] + list(extra)
    if arch == "x86":
        return [spec["qemu"], "-cdrom", image] + common + [
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    return [spec["qemu"], "-machine", "virt", "-bios", "default",
            "-kernel", image] + common + ["-append", cmdline]


class Aborted(Exception):
    """A wait that cannot end: a timeout, or the process gone."""


def normalise(text):
    """Serial output as plain lines: CR LF -> LF, stray CRs dropped."""
    return text.replace("\r\n", "\n").replace("\r", "")


def printable(text):
    """Escape control characters so they cannot upset the terminal."""
    out = []
    for ch in text:
        if ch == "\n" or ch == "\t" or " " <= ch <= "~":
            out.append(ch)
        elif ch != "\r":
            out.append("\\x%02x" % ord(ch))
    return "".join(out)


class Proc:
    """A child process with its stdout on a pipe, read without blocking.

    Everything received is kept in self.text (bytes decoded as Latin-1, so
    one character per byte), with the time each chunk arrived, so a match
    in the text can be turned into "seconds after the start". stdin is a
    pipe when `stdin` is true (else /dev/null). `timeout` is the default
    for every wait; `label` names the process in messages.
    """

    def __init__(self, argv, timeout, verbose, label="QEMU", stdin=True,
                 env=None, cwd=None):
        self.timeout = timeout
        self.verbose = verbose
        self.label = label
        self.text = ""
        self.chunk_offsets = []  # where in self.text each chunk read starts
        self.chunk_times = []  # and when it arrived (seconds since start)
        self.eof = False
        self.stderr = tempfile.TemporaryFile()
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            cwd=cwd,
            start_new_session=True,  # Ctrl-C reaches us, and we kill it
        )
        self.out = self.proc.stdout.fileno()
        os.set_blocking(self.out, False)
        self.inp = None
        if stdin:
            self.inp = self.proc.stdin.fileno()
            os.set_blocking(self.inp, False)

    # -- reading --

    def _take(self, data):
        chunk = data.decode("latin-1")
        self.chunk_offsets.append(len(self.text))
        self.chunk_times.append(time.monotonic() - self.start)
        self.text += chunk
        if self.verbose:
            sys.stdout.write(printable(chunk))
            sys.stdout.flush()

    def _read(self):
        try:
            data = os.read(self.out, 65536)
        except BlockingIOError:
            return
        if data:
            self._take(data)
        else:
            self.eof = True

    def pump(self, wait):
        """Read whatever the process has written, waiting up to `wait` seconds."""
        if self.eof:
            time.sleep(wait)
            return
        ready, _, _ = select.select([self.out], [], [], wait)
        if ready:
            self._read()

    def pause(self, seconds):
        """Sleep on the host, still reading the output."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.pump(min(0.1, end - time.monotonic()))

    def exited(self):
        return self.proc.poll() is not None

    def wait_for(self, pattern, start, what, timeout=None):
        """The first match of regex `pattern` in the text after `start`."""
        timeout = timeout or self.timeout
        deadline = time.monotonic() + timeout
        while True:
            m = pattern.search(self.text, start)
            if m:
                return m
            if self.eof or self.exited():
                self.pump(0.2)  # what it wrote just before it went
                m = pattern.search(self.text, start)
                if m:
                    return m
                raise Aborted("%s exited (status %s) while waiting for %s%s"
                              % (self.label, self.proc.poll(), what, self.stderr_note()))
            left = deadline - time.monotonic()
            if left <= 0:
                raise Aborted("timed out after %gs waiting for %s" % (timeout, what))
            self.pump(min(0.2, left))

    def time_at(self, offset):
        """Seconds from the start to the arrival of the byte at `offset`."""
        i = bisect.bisect_right(self.chunk_offsets, offset) - 1
        return self.chunk_times[max(i, 0)]

    # -- writing --

    def send(self, data, timeout=None):
        """Write to the input, reading output meanwhile so the process never stalls."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        deadline = time.monotonic() + (timeout or self.timeout)
        while data:
            if time.monotonic() > deadline:
                raise Aborted("timed out writing to %s's input" % self.label)
            if self.exited():
                raise Aborted("%s exited (status %s) before reading its input%s"
                              % (self.label, self.proc.poll(), self.stderr_note()))
            readable = [] if self.eof else [self.out]
            r, w, _ = select.select(readable, [self.inp], [], 0.1)
            if r:
                self._read()
            if w:
                try:
                    n = os.write(self.inp, data)
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    raise Aborted("%s closed its input" % self.label) from None
                data = data[n:]

    # -- the end --

    def wait_exit(self, what, timeout=None):
        """Wait for the process to exit by itself; return its exit status."""
        timeout = timeout or self.timeout
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                raise Aborted("%s did not exit within %gs after %s"
                              % (self.label, timeout, what))
            self.pump(0.1)
        while not self.eof:  # the last words before it went
            self.pump(0.1)
            if not select.select([self.out], [], [], 0)[0]:
                break
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                if f:
                    f.close()
            except OSError:
                pass
        self.stderr.close()

    def stderr_note(self):
        """The last line the process wrote on stderr, as "; QEMU said: ..."."""
        try:
            self.stderr.seek(0)
            err = self.stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return "; %s said: %s" % (self.label, err.splitlines()[-1]) if err else ""

    def tail(self, n=30):
        """The last n lines of output, for a failure report."""
        lines = printable(normalise(self.text)).rstrip("\n").split("\n")
        if lines == [""]:
            return "(no serial output at all)"
        return "last %d lines of serial output:\n" % min(n, len(lines)) + "\n".join(lines[-n:])


class Shell(Proc):
    """QEMU with Pagoda's shell on its serial line, on our pipes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.syncs = 0
        self.nonce = "%04x" % (os.getpid() & 0xffff)

    def command(self, line, what=None, timeout=None):
        """Type `line` and Enter; return the output up to the next prompt.

        The shell echoes what is typed, then prints CR LF when Enter is
        read; the command's output follows, then the prompt. What is
        returned is the text in between, as plain lines, without the
        final newline.

        A command may print the prompt's text itself (`echo "pagoda> "`),
        so the first prompt seen proves nothing. Right behind the line a
        unique marker is typed and dropped with ^C: the shell reads it
        only once the command is over, echoes it after the real prompt,
        and keeps nothing of it (^C lines stay out of the history). The
        output ends at the last prompt before that echo.
        """
        start = len(self.text)
        what = what or "the output of %r" % line
        self.syncs += 1
        marker = "#%s.%d" % (self.nonce, self.syncs)
        self.send(line + "\r" + marker + "\x03")
        enter = self.wait_for(re.compile(r"\n"), start, what, timeout)
        mark = self.wait_for(re.compile(re.escape(marker + "^C") + r"\r?\n"), enter.end(),
                             "the prompt after %r" % line, timeout)
        end = self.text.rfind(PROMPT, enter.end(), mark.start())
        if end < 0:
            raise Aborted("no prompt before the marker typed after %r" % line)
        self.wait_for(PROMPT_RE, mark.end(), "the prompt after %r" % line, timeout)
        out = normalise(self.text[enter.end() : end])
        return out[:-1] if out.endswith("\n") else out
