"""pg-dmesg: the kernel log, as the shell's `dmesg` prints it
(kernel/printk.c): the ring buffer log_buf from its oldest surviving
byte to log_end, the count of bytes ever written.
"""

from . import command, core


def dmesg():
    buf = core.var("log_buf", "kernel/printk.c")
    size = core.array_len(buf)
    end = core.u(core.var("log_end", "kernel/printk.c"))
    start = end - size if end > size else 0
    data = core.read_bytes(core.u(buf.address), size)
    if end > size:  # the ring has wrapped: oldest byte at end % size
        out = data[end % size:] + data[:end % size]
    else:
        out = data[start:end]
    return out.decode("latin-1")


class Dmesg(command.TableCommand):
    """The kernel log, as the shell's dmesg prints it.

Usage: pg-dmesg"""

    name = "pg-dmesg"

    def text(self):
        return dmesg()


def register():
    Dmesg()
