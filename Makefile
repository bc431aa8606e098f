# Pagoda: a bare-metal teaching kernel about memory.
# `make help` lists the targets. ARCH=x86|riscv picks the architecture
# for kernel builds; run-*, debug-*, gdb-* name it themselves.

ARCH ?= x86
MEM ?= 2G
CMDLINE ?=
QEMU_OPTS ?=
GDB_PORT ?= 1234
V ?= 0

ifeq ($(ARCH),x86)
CROSS_COMPILE ?= i686-linux-gnu-
ARCH_CFLAGS := -m32 -march=i686 -mgeneral-regs-only -fno-pie
ARCH_LDFLAGS := -m32 -no-pie
LIBGCC := -lgcc
PTRSIZE := 4
else ifeq ($(ARCH),riscv)
CROSS_COMPILE ?= riscv64-unknown-elf-
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-mno-relax -fno-pie
ARCH_LDFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -Wl,--no-relax
# The multilib that matches the ABI (without the extension suffixes).
LIBGCC = $(shell $(CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name)
PTRSIZE := 8
else
$(error ARCH must be x86 or riscv)
endif

CC := $(CROSS_COMPILE)gcc
NM := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy

BUILD := build/$(ARCH)
KERNEL := $(BUILD)/pagoda.elf

CFLAGS := -std=c11 -ffreestanding -fno-stack-protector -fno-pic \
	-fno-common -fno-strict-aliasing -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -O2 -g -Wall -Wextra \
	-Wno-unused-parameter -Wmissing-prototypes -Iinclude \
	-Iarch/$(ARCH)/include -MMD -MP $(ARCH_CFLAGS)
LDFLAGS := -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack \
	-Wl,-z,max-page-size=4096 -T linker/$(ARCH).ld $(ARCH_LDFLAGS)

SRCS := $(wildcard kernel/*.c mm/*.c lib/*.c drivers/*/*.c) \
	$(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S)
OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(SRCS)))

ifeq ($(V),0)
Q := @
say = @printf '  %-8s %s\n' $(1) $(2);
else
Q :=
say =
endif

.PHONY: all kernel iso iso-trace run run-x86 run-riscv debug-x86 debug-riscv \
	gdb-x86 gdb-riscv test test-boot test-gdb setup clean help format \
	memmap-png memmap-docs

all: kernel

help:
	@echo 'Pagoda make targets:'
	@echo '  run-x86 / run-riscv     build and boot in QEMU, shell on this terminal'
	@echo '                          (quit: type poweroff, or Ctrl-A X)'
	@echo '  debug-x86 / debug-riscv boot with QEMU waiting for gdb on port $(GDB_PORT)'
	@echo '  gdb-x86 / gdb-riscv     start gdb-multiarch on the kernel and connect'
	@echo '  test                    host unit tests, then boot tests of both archs'
	@echo '  test-host               only the host unit tests (ASan, UBSan)'
	@echo '  test-boot               only the boot tests'
	@echo '  test-gdb                the gdb helpers (tools/gdb) against the /proc tables'
	@echo '  kernel                  build $(BUILD)/pagoda.elf for ARCH=$(ARCH)'
	@echo '  iso                     the GRUB multiboot2 ISO (x86)'
	@echo '  iso-trace               the same with kmemtrace= and slab_owner on its command line'
	@echo '  replay TRACE=file       replay a kmemtrace dump on the host (docs/kmemtrace.md)'
	@echo '  bench                   host benchmarks of the allocators (not run by test)'
	@echo '  memmap-png              boot ARCH headless, run MEMMAP_RUN, draw memmap --dump'
	@echo '                          as build/memmap/ARCH-MEM.png (docs/memmap.md)'
	@echo '  memmap-docs             redraw docs/images/memmap-*.png, both archs'
	@echo '  bench-page, bench-slab  one of them; bench-callgrind: instruction counts'
	@echo '  setup                   install missing tools with apt (done on demand)'
	@echo '  format                  clang-format the C sources'
	@echo '  clean                   remove build/'
	@echo 'Variables: ARCH=x86|riscv MEM=2G CMDLINE="..." QEMU_OPTS="..." V=1'

setup:
	@tools/setup.sh

kernel: $(KERNEL)

$(BUILD)/%.o: %.c | setup
	$(call say,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S | setup
	$(call say,AS,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# Two links: the first gives the function addresses, which become the
# symbol table for backtraces; the table sits after .text, so the second
# link moves no function. The cmp proves it.
$(KERNEL): $(OBJS) linker/$(ARCH).ld tools/kallsyms.sh
	$(call say,LD,$@)
	$(Q)tools/kallsyms.sh $(NM) - $(PTRSIZE) >$(BUILD)/kallsyms0.S
	$(Q)$(CC) $(CFLAGS) -c $(BUILD)/kallsyms0.S -o $(BUILD)/kallsyms0.o
	$(Q)$(CC) $(LDFLAGS) -o $@.tmp $(OBJS) $(BUILD)/kallsyms0.o $(LIBGCC)
	$(Q)tools/kallsyms.sh $(NM) $@.tmp $(PTRSIZE) >$(BUILD)/kallsyms.S
	$(Q)$(CC) $(CFLAGS) -c $(BUILD)/kallsyms.S -o $(BUILD)/kallsyms.o
	$(Q)$(CC) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/kallsyms.o $(LIBGCC)
	$(Q)tools/kallsyms.sh $(NM) $@ $(PTRSIZE) | cmp -s - $(BUILD)/kallsyms.S \
		|| { echo "kallsyms: functions moved between links" >&2; exit 1; }
	$(Q)rm -f $@.tmp

# ---- x86: a GRUB rescue ISO around the kernel ----

ISO := build/x86/pagoda.iso
# A second ISO whose command line records a kmemtrace from boot, for the
# boot test of the trace and its replay (it cannot pass -append to GRUB).
TRACE_ISO := build/x86/trace/pagoda.iso
KMEMTRACE_EVENTS := 262144

# $(call iso_rules,ISO,COMMAND LINE): the ISO and its grub.cfg, in the
# ISO's folder. The command line is baked into grub.cfg: rewrite it only
# when it changes, so the ISO is rebuilt only then.
define iso_rules
$(dir $(1))iso/boot/grub/grub.cfg: FORCE
	@mkdir -p $$(dir $$@)
	@printf 'set timeout=0\nset default=0\nmenuentry "Pagoda" {\n\tmultiboot2 /boot/pagoda.elf %s\n\tboot\n}\n' \
		'$(2)' >$$@.new
	@cmp -s $$@.new $$@ && rm $$@.new || mv $$@.new $$@

$(1): build/x86/pagoda.elf $(dir $(1))iso/boot/grub/grub.cfg
	$$(call say,ISO,$$@)
	$$(Q)cp build/x86/pagoda.elf $(dir $(1))iso/boot/pagoda.elf
	$$(Q)grub-mkrescue -o $$@ $(dir $(1))iso >/dev/null 2>&1 || \
		grub-mkrescue -o $$@ $(dir $(1))iso
endef
$(eval $(call iso_rules,$(ISO),$(CMDLINE)))
$(eval $(call iso_rules,$(TRACE_ISO),$(CMDLINE) kmemtrace=$(KMEMTRACE_EVENTS) slab_owner))

iso:
	$(Q)$(MAKE) --no-print-directory ARCH=x86 $(ISO)

iso-trace:
	$(Q)$(MAKE) --no-print-directory ARCH=x86 $(TRACE_ISO)

FORCE:

QEMU_X86 = qemu-system-i386 -cdrom $(ISO) -m $(MEM) -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_OPTS)
QEMU_RISCV = qemu-system-riscv64 -machine virt -bios default -m $(MEM) \
	-kernel build/riscv/pagoda.elf -nographic -no-reboot \
	-append '$(CMDLINE)' $(QEMU_OPTS)

# poweroff exits QEMU with status 1 on x86 (isa-debug-exit reports
# (code << 1) | 1), so 1 counts as a clean exit there.
run-x86: setup
	$(Q)$(MAKE) --no-print-directory iso
	$(QEMU_X86) || [ $$? -eq 1 ]

run-riscv: setup
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
	$(QEMU_RISCV)

run: run-$(ARCH)

debug-x86: setup
	$(Q)$(MAKE) --no-print-directory iso
	@echo "QEMU waits for gdb on port $(GDB_PORT): run 'make gdb-x86' in another terminal (docs/debugging.md)"
	$(QEMU_X86) -S -gdb tcp::$(GDB_PORT) || [ $$? -eq 1 ]

debug-riscv: setup
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
	@echo "QEMU waits for gdb on port $(GDB_PORT): run 'make gdb-riscv' in another terminal (docs/debugging.md)"
	$(QEMU_RISCV) -S -gdb tcp::$(GDB_PORT)

# The helpers (tools/gdb/pagoda.py: pg-buddyinfo, pg-pt, ...) load before
# the connection, so they are there from the first prompt.
gdb-x86: setup
	gdb-multiarch -q build/x86/pagoda.elf -ex 'set architecture i386' \
		-ex 'source tools/gdb/pagoda.py' -ex 'target remote :$(GDB_PORT)'

gdb-riscv: setup
	gdb-multiarch -q build/riscv/pagoda.elf -ex 'set architecture riscv:rv64' \
		-ex 'source tools/gdb/pagoda.py' -ex 'target remote :$(GDB_PORT)'

# ---- tests ----

include tests/host/host.mk
# kmemreplay: a kmemtrace dump replayed on the host (`make replay`).
include tools/kmemtrace/kmemtrace.mk
# Host benchmarks (`make bench`); not part of `make test`.
-include tools/bench/bench.mk
# libFuzzer over the allocators (`make fuzz`); not part of `make test`.
include tests/fuzz/fuzz.mk

# The boot tests' command line: panics power off, highmem= makes
# ZONE_HIGHMEM exist even at -m 128M (at 2G it is there anyway), and one
# kmalloc cache gets red zones and poison for the slab misuse checks.
TEST_CMDLINE := panic=-1 highmem=48M slub_debug=FZPU,kmalloc-48

test: setup
	$(Q)$(MAKE) --no-print-directory $(HOST_PROGS)
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="$(TEST_CMDLINE)"
	$(Q)$(MAKE) --no-print-directory iso-trace CMDLINE="$(TEST_CMDLINE)"
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
	$(Q)$(MAKE) --no-print-directory $(KMEMREPLAY)
	$(Q)HOST_PROGS="$(HOST_PROGS)" tests/run.sh --cmdline "$(TEST_CMDLINE)"

test-boot: setup
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="$(TEST_CMDLINE)"
	$(Q)$(MAKE) --no-print-directory iso-trace CMDLINE="$(TEST_CMDLINE)"
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
	$(Q)$(MAKE) --no-print-directory $(KMEMREPLAY)
	$(Q)python3 tests/boot/boottest.py --cmdline "$(TEST_CMDLINE)"

# The gdb helpers against the kernel's tables, with the kernel stopped in
# the allocator (tests/gdb/gdbtest.py says how); both architectures.
test-gdb: setup
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="$(TEST_CMDLINE)"
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
	$(Q)tests/gdb/run.sh --cmdline "$(TEST_CMDLINE)"

# ---- pictures of physical memory (tools/memmap, docs/memmap.md) ----

# Commands typed before the dump, separated by semicolons.
MEMMAP_RUN ?=
MEMMAP_OUT ?= build/memmap/$(ARCH)-$(MEM)
# Debian's python3: the one with python3-matplotlib (tools/setup.sh).
HOST_PYTHON := /usr/bin/python3
MEMMAP_CAPTURE = $(HOST_PYTHON) tools/memmap/memmap_capture.py

memmap-png: setup
ifeq ($(ARCH),x86)
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="$(CMDLINE)"
else
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
endif
	$(Q)$(MEMMAP_CAPTURE) --arch $(ARCH) --mem $(MEM) --cmdline "$(CMDLINE)" \
		--script "$(MEMMAP_RUN)" --out $(MEMMAP_OUT).dump --png $(MEMMAP_OUT).png

# The pictures in docs/memmap.md: 128 MiB with a HighMem zone, after boot
# and after 4 MiB went through scull, scullp and scullv.
DOCS_CMDLINE := highmem=48M
SCULL_RUN := fill /dev/scull0 4M random; cp /dev/scull0 /dev/scullp0; \
	cp /dev/scull0 /dev/scullv0

memmap-docs: setup
	$(Q)$(MAKE) --no-print-directory iso CMDLINE="$(DOCS_CMDLINE)"
	$(Q)$(MAKE) --no-print-directory ARCH=riscv kernel
	$(Q)for a in x86 riscv; do \
		$(MEMMAP_CAPTURE) --arch $$a --mem 128M --cmdline "$(DOCS_CMDLINE)" \
			--out build/memmap/$$a-boot.dump --png docs/images/memmap-$$a-boot.png \
			--title "Pagoda $$a, 128 MiB, after boot" && \
		$(MEMMAP_CAPTURE) --arch $$a --mem 128M --cmdline "$(DOCS_CMDLINE)" \
			--script "$(SCULL_RUN)" --out build/memmap/$$a-scull.dump \
			--png docs/images/memmap-$$a-scull.png \
			--title "Pagoda $$a, 128 MiB, 4 MiB each in scull, scullp, scullv" || exit 1; \
	done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(OBJS:.o=.d)
