#!/usr/bin/env bash
# Builds the libFuzzer drivers against lib/*.c (with clang, not the gcc
# archive) into build/fuzz/ and runs each for FUZZ_SECONDS (default 20).
#
#   tests/fuzz/run.sh                 every driver
#   tests/fuzz/run.sh route jsonv     some of them
#   FUZZ_SECONDS=300 tests/fuzz/run.sh    (FUZZ_MAX_LEN: input cap, 8192)
#
# Seeds come from tests/fuzz/corpus/<driver>/ (read only); what the fuzzer
# learns goes to build/fuzz/corpus/<driver>/, crash inputs to
# build/fuzz/artifacts/<driver>/. Reproduce one with
#   build/fuzz/fuzz_<driver> build/fuzz/artifacts/<driver>/crash-...
# Exits non-zero if a driver fails to build or a fuzzer finds a crash.
set -u

cd "$(dirname "$0")/../.." || exit 2

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
CC=${FUZZ_CC:-clang}
OUT=build/fuzz
CFLAGS=(-g -O1 "-fsanitize=fuzzer,address,undefined"
	-fno-sanitize-recover=undefined -std=c17 -D_GNU_SOURCE -Ilib
	-pthread -Wall -Wextra)
LIBS="$(pkg-config --cflags --libs jansson libsodium 2>/dev/null || echo -ljansson -lsodium) -lgmp"

if [ "$#" -gt 0 ]; then
	drivers=("$@")
else
	drivers=()
	for f in tests/fuzz/fuzz_*.c; do
		d=${f#tests/fuzz/fuzz_}
		drivers+=("${d%.c}")
	done
fi

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found (apt-get install clang)" >&2
	exit 2
fi

mkdir -p "$OUT"
failed=()
for d in "${drivers[@]}"; do
	src=tests/fuzz/fuzz_$d.c
	bin=$OUT/fuzz_$d
	if [ ! -f "$src" ]; then
		echo "fuzz: no driver $src" >&2
		failed+=("$d (no driver)")
		continue
	fi
	echo "==> building $bin"
	# shellcheck disable=SC2086 # LIBS is a word list
	if ! "$CC" "${CFLAGS[@]}" -o "$bin" "$src" lib/*.c $LIBS -lm; then
		failed+=("$d (build)")
		continue
	fi

	corpus=$OUT/corpus/$d
	artifacts=$OUT/artifacts/$d/
	mkdir -p "$corpus" "$artifacts"
	seeds=()
	[ -d "tests/fuzz/corpus/$d" ] && seeds=("tests/fuzz/corpus/$d")

	echo "==> fuzzing $d for ${FUZZ_SECONDS}s"
	log=$OUT/fuzz_$d.log
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-max_len="${FUZZ_MAX_LEN:-8192}" -print_final_stats=1 \
		-artifact_prefix="$artifacts" "$corpus" "${seeds[@]}" \
		>"$log" 2>&1
	rc=$?
	# The tail has the verdict; a crash report has the stack above it.
	if [ "$rc" -ne 0 ]; then
		grep -aE -A40 'ERROR: |invariant failed|runtime error' "$log" |
			head -n 60 | grep -q . ||
			tail -n 30 "$log"
		grep -aE -A40 'ERROR: |invariant failed|runtime error' "$log" |
			head -n 60
		echo "fuzz: $d FAILED (exit $rc); input(s) in $artifacts:" >&2
		ls -1 "$artifacts" >&2
		failed+=("$d")
	else
		grep -aE '^(#[0-9]+.*DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' \
			"$log"
		echo "fuzz: $d ok ($(find "$corpus" -type f | wc -l) corpus entries)"
	fi
done

if [ "${#failed[@]}" -gt 0 ]; then
	echo "fuzz: failed: ${failed[*]}" >&2
	exit 1
fi
echo "fuzz: all ${#drivers[@]} drivers ran ${FUZZ_SECONDS}s without a crash"
