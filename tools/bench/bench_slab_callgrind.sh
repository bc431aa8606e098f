#!/bin/sh
# Instructions (callgrind's Ir) per alloc+free pair of bench_slab, every
# allocator and cell in one valgrind run (tools/bench/bench.mk runs this).
#
#   tools/bench/bench_slab_callgrind.sh PROG OUTDIR PAIRS
#
# Only instructions inside bench_measured() are counted
# (--toggle-collect), and callgrind dumps its counters after every call
# (--dump-after): dump N is the cost of the Nth measurement, which the
# program names on its Nth output line. The dumps stay in
# OUTDIR/callgrind.out.slab.N for callgrind_annotate.

prog=$1
dir=$2
pairs=$3
base=$dir/callgrind.out.slab

if ! command -v valgrind >/dev/null 2>&1; then
	echo "bench-slab-callgrind: valgrind is not installed; skipped" \
		"(apt-get install valgrind)"
	exit 0
fi
rm -f "$base" "$base".[0-9]*
valgrind --tool=callgrind -q --callgrind-out-file="$base" \
	--toggle-collect=bench_measured --dump-after=bench_measured \
	"$prog" --callgrind --count="$pairs" >"$dir/callgrind.slab.txt" ||
	exit 1

n=0
while read -r tag pat size alloc word count; do
	if [ "$tag" != measured ] || [ "$word" != pairs ]; then
		continue
	fi
	n=$((n + 1))
	ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$base.$n")
	if [ -z "$ir" ]; then
		echo "bench-slab-callgrind: no result in $base.$n" >&2
		exit 1
	fi
	echo "$pat $size $alloc $ir $count"
done <"$dir/callgrind.slab.txt" >"$dir/callgrind.slab.ir"
echo "callgrind: instructions (Ir) per alloc+free pair, about $pairs" \
	"pairs per cell"
awk '
function flush() {
	if (cell == "")
		return
	best = 0
	for (i = 3; i <= 5; i++)
		if (names[i] in v && (best == 0 || v[names[i]] < best)) {
			best = v[names[i]]
			who = names[i]
		}
	line = sprintf("  %-5s %5s", pat, size)
	for (i = 1; i <= 7; i++) {
		if (names[i] in v)
			line = line sprintf(" %8.1f", v[names[i]])
		else
			line = line sprintf(" %8s", "-")
	}
	printf "%s  %-8s %6.2f %6.2f\n", line, who,
		v["cache"] / best, v["kmalloc"] / best
	delete v
}
BEGIN {
	split("cache kmalloc glibc jemalloc mimalloc cache-raw kmalloc-raw",
		names, " ")
	printf "  %-5s %5s %8s %8s %8s %8s %8s %8s %8s  %-8s %6s %6s\n", "",
		"size", "cache", "kmalloc", "glibc", "jemalloc", "mimalloc",
		"cache", "kmalloc", "best", "cache/", "kmal/"
	printf "  %-5s %5s %8s %8s %8s %8s %8s %8s %8s  %-8s %6s %6s\n", "",
		"", "", "", "", "", "", "raw", "raw", "of 3", "best", "best"
}
{
	if ($1 " " $2 != cell) {
		flush()
		cell = $1 " " $2
		pat = $1
		size = $2
	}
	v[$3] = $4 / $5
}
END {
	flush()
	print "(pair: alloc, free, repeat; batch: 1000 allocs, then 1000" \
		" frees; raw: the object never written;"
	print " profiles in '"$base"'.N)"
}' "$dir/callgrind.slab.ir"
