#!/usr/bin/env bash
# Runs each cmocka unit-test binary given as an argument, shows its output,
# and ends with exactly one summary line:
#
#   unit: N passed, M failed
#
# N and M count test cases, from cmocka's "[  PASSED  ] N test(s)." and
# "[  FAILED  ] M test(s)" lines. A binary that crashes, times out, is
# missing, or exits non-zero without reporting a failed case (an ASan or
# LeakSanitizer report, say) counts as one failed case, so the line never
# says "0 failed" for a failing run. Exits non-zero when any binary failed.
# Arguments ending in .d, .o, .gcda or .gcno (build by-products that a
# test_* glob picks up) are skipped.
#
# UNIT_TIMEOUT (seconds, default 300) bounds each binary.
set -u

timeout_s=${UNIT_TIMEOUT:-300}
passed=0
failed=0
bad_bins=()

if [ "$#" -eq 0 ]; then
	echo "run-unit.sh: no test binaries given" >&2
	echo "unit: 0 passed, 0 failed"
	exit 2
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# No stdbuf here: its LD_PRELOAD breaks ASan-instrumented binaries. cmocka
# writes to both stdout and stderr, so lines may interleave oddly.
runner=()
if command -v timeout >/dev/null 2>&1; then
	runner+=(timeout -k 10 "$timeout_s")
fi

for bin in "$@"; do
	# A glob such as build/rel/tests/unit/test_* also matches the
	# compiler's dependency files: not tests, skip them.
	case $bin in
	*.d | *.o | *.gcda | *.gcno)
		continue
		;;
	esac
	echo "==> $bin"
	if [ ! -x "$bin" ] || [ -d "$bin" ]; then
		echo "run-unit.sh: $bin: not an executable file" >&2
		failed=$((failed + 1))
		bad_bins+=("$bin (missing)")
		continue
	fi
	# Plain cmocka output whatever the environment asks for.
	CMOCKA_MESSAGE_OUTPUT=stdout "${runner[@]}" "$bin" >"$out" 2>&1
	rc=$?
	cat "$out"

	# The counts may share a line with other output (stdout and stderr
	# interleave), so match them anywhere rather than anchored.
	p=$(grep -aoE '\[  PASSED  \] [0-9]+ test\(s\)' "$out" |
		grep -oE '[0-9]+' | tail -n 1)
	f=$(grep -aoE '\[  FAILED  \] [0-9]+ test\(s\)' "$out" |
		grep -oE '[0-9]+' | tail -n 1)
	p=${p:-0}
	f=${f:-0}

	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed, timed out, leaked under ASan, or no summary at all.
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			why="timed out after ${timeout_s}s"
		elif [ "$rc" -gt 128 ]; then
			why="killed by signal $((rc - 128))"
		else
			why="exit status $rc"
		fi
		echo "run-unit.sh: $bin: $why without a failed test case" >&2
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; then
		# Should not happen with cmocka; trust the reported failures.
		rc=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ]; then
		bad_bins+=("$bin")
	fi
done

if [ "${#bad_bins[@]}" -gt 0 ]; then
	echo
	echo "failing binaries:"
	printf '  %s\n' "${bad_bins[@]}"
fi
echo "unit: $passed passed, $failed failed"
[ "${#bad_bins[@]}" -eq 0 ]
