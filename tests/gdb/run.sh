#!/usr/bin/env bash
# `make test-gdb`: the gdb helpers (tools/gdb/) against the kernel's own
# tables, on both architectures. make has built the x86 ISO and the riscv
# kernel; arguments go to gdbtest.py (--arch, --mem, --cmdline, --verbose).
set -u
cd "$(dirname "$0")/../.."
exec python3 tests/gdb/gdbtest.py "$@"
