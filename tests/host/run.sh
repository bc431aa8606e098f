#!/usr/bin/env bash
# Runs the host test programs and sums their closing lines.
set -u
if [ "$#" -eq 0 ]; then
	# Nothing to run is a mistake in the caller (an empty HOST_PROGS), not
	# a pass: say so and fail, as a run with a failed test would.
	echo "host: no test programs given (usage: $0 PROGRAM...)"
	echo "host: 0 passed, 1 failed"
	exit 2
fi
passed=0 failed=0 broken=0
for prog in "$@"; do
	out=$("$prog" 2>&1)
	rc=$?
	echo "$out" | grep -v '^ok ' | grep -v '^1\.\.'
	line=$(echo "$out" | grep -E '^[a-z0-9_]+: [0-9]+ passed, [0-9]+ failed$' | tail -1)
	if [ -z "$line" ]; then
		echo "$prog: crashed or printed no result (exit $rc)"
		broken=$((broken + 1))
		continue
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && broken=$((broken + 1))
done
failed=$((failed + broken))
echo "host: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
