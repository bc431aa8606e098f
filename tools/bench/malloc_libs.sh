#!/bin/sh
# Which of jemalloc and mimalloc bench_slab can link against, for the
# comparison with glibc's malloc (tools/bench/bench.mk runs this).
#
#   tools/bench/malloc_libs.sh FILE
#
# A library that is missing is installed with apt-get (Debian's
# libjemalloc-dev, libmimalloc-dev) when we are root and apt-get exists,
# saying so; otherwise it is left out, and the benchmark says so in its
# output. BENCH_NO_INSTALL=1: never install.
#
# Writes the -l options to FILE, rewriting it only when they change, so
# that make relinks the benchmark only then.

out=$1
cc=${BENCH_CC:-cc}
libs="jemalloc mimalloc"

have() {
	p=$($cc -print-file-name="lib$1.so")
	[ "$p" != "lib$1.so" ] && [ -e "$p" ]
}

missing=
for lib in $libs; do
	have "$lib" || missing="$missing lib$lib-dev"
done

if [ -n "$missing" ]; then
	if [ -n "$BENCH_NO_INSTALL" ]; then
		echo "bench: not installed:$missing (BENCH_NO_INSTALL is set)"
	elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing$missing for the malloc comparison:"
		echo "  apt-get install -y$missing"
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		if ! apt-get install -y -q $missing; then
			echo "  apt-get update, then again"
			apt-get update -q &&
				apt-get install -y -q $missing ||
				echo "bench: apt-get could not install$missing"
		fi
	else
		echo "bench: not installed:$missing; cannot install them here" \
			"(not root, or no apt-get). As root:" \
			"apt-get install$missing"
	fi
fi

flags=
for lib in $libs; do
	if have "$lib"; then
		flags="$flags -l$lib"
	else
		echo "bench: lib$lib.so not found: $lib is left out of the" \
			"comparison"
	fi
done

mkdir -p "$(dirname "$out")"
echo "$flags" >"$out.tmp"
if cmp -s "$out.tmp" "$out"; then
	rm -f "$out.tmp"
else
	mv "$out.tmp" "$out"
fi
