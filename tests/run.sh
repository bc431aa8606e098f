#!/usr/bin/env bash
# `make test`: the host tests, the boot tests, the gdb helpers' test,
# then one closing line with the totals of all three. Everything is
# built by make before this runs.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # the last "N passed, N failed" line of a log: prints "N N"
	grep -aE '(^|: )[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 |
		sed -E 's/^(.*[^0-9])?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

passed=0 failed=0 status=0
run() { # name command...
	local name=$1 rc p f
	shift
	echo "==== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	read -r p f < <(count "$log")
	if [ -z "${p:-}" ]; then
		echo "$name: printed no result (exit $rc)"
		p=0 f=1
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exit status $rc with no failed test"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" -eq 0 ] || status=1
}

run host tests/host/run.sh ${HOST_PROGS:?}
run boot python3 tests/boot/boottest.py "$@"
run gdb tests/gdb/run.sh "$@"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && exit "$status"
exit 1
