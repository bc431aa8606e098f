#!/usr/bin/env bash
# Installs what Pagoda needs to build, boot, debug and test on Debian 12.
# Idempotent: checks each tool first and only calls apt-get when something is missing.
# Usage: tools/setup.sh [--check] [TOOL:PACKAGE ...]
#   --check only reports what is missing. TOOL:PACKAGE pairs are needed
#   too, this time: a target that wants more than the list below asks for
#   it so (make fuzz: clang and libFuzzer).
set -eu

# tool on PATH (or file) -> Debian package that provides it
needs=(
	"i686-linux-gnu-gcc:gcc-i686-linux-gnu"
	"riscv64-unknown-elf-gcc:gcc-riscv64-unknown-elf"
	"qemu-system-i386:qemu-system-x86"
	"qemu-system-riscv64:qemu-system-misc"
	"grub-mkrescue:grub-common"
	"/usr/lib/grub/i386-pc/modinfo.sh:grub-pc-bin"
	"xorriso:xorriso"
	"mformat:mtools"
	"/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin:opensbi"
	"gdb-multiarch:gdb-multiarch"
	"gcc:gcc"
	"make:make"
	"/usr/bin/python3:python3"
	"/usr/lib/python3/dist-packages/matplotlib/__init__.py:python3-matplotlib"
)

check_only=false
for arg in "$@"; do
	case "$arg" in
	--check) check_only=true ;;
	?*:?*) needs+=("$arg") ;;
	*)
		echo "setup: '$arg' is neither --check nor TOOL:PACKAGE" >&2
		exit 2
		;;
	esac
done

missing=()
for pair in "${needs[@]}"; do
	tool=${pair%%:*}
	pkg=${pair#*:}
	case "$tool" in
	/*) [ -e "$tool" ] && continue ;;
	*) command -v "$tool" >/dev/null 2>&1 && continue ;;
	esac
	case " ${missing[*]-} " in
	*" $pkg "*) ;;
	*) missing+=("$pkg") ;;
	esac
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if $check_only; then
	echo "missing packages: ${missing[*]}"
	exit 1
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
