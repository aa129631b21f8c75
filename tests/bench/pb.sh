#!/usr/bin/env bash
# tests/bench/pb.sh - participatory-budget outcome rules on the largest
# Pabulib election of tests/data/pabulib (make bench runs it; alone: make
# bench-pb).
#
# Times `participe pb tally FILE --rule RULE` for greedy, mes and mes-add1
# (cost and card utilities), each the mean of BENCH_PB_RUNS runs (default
# 5): the rule alone (--time: the instance in memory, ballots grouped,
# outcome computed) and the whole command (wall time: reading and parsing
# the file, printing). The reference
# implementation (pabutools, Python) takes minutes on some files. Prints
# figures, asserts nothing; they also go to var/bench/pb.json.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=var/bench
mkdir -p "$OUT"
RUNS=${BENCH_PB_RUNS:-5}
BIN=bin/participe
[[ -x "$BIN" ]] || {
	echo "bench-pb: $BIN not built" >&2
	exit 1
}

# The largest .pb file.
FILE=$(ls -S tests/data/pabulib/*.pb | head -1)
voters=$(grep -a -m1 '^num_votes;' "$FILE" | cut -d';' -f2 | tr -d '\r')
echo "bench-pb: $(basename "$FILE") ($voters voters), mean of $RUNS runs"
printf '%-26s %9s %9s  %s\n' rule "rule ms" "total ms" outcome
json="{\"file\":\"$(basename "$FILE")\",\"runs\":$RUNS,\"ms\":{"
sep=
for rule in "greedy" "greedy-no-skip" "mes" "mes --utility card" \
	"mes-add1" "mes-add1 --utility card"; do
	# shellcheck disable=SC2086
	"$BIN" pb tally "$FILE" --rule $rule >"$OUT/pb.out"
	: >"$OUT/pb.time"
	start=$(date +%s%N)
	for ((i = 0; i < RUNS; i++)); do
		# shellcheck disable=SC2086
		"$BIN" pb tally "$FILE" --rule $rule --time >/dev/null 2>>"$OUT/pb.time"
	done
	end=$(date +%s%N)
	ms=$(awk -v d=$((end - start)) -v n="$RUNS" 'BEGIN { printf "%.1f", d / n / 1e6 }')
	rms=$(awk '{ s += $(NF - 1) } END { printf "%.2f", s / NR }' "$OUT/pb.time")
	printf '%-26s %9s %9s  %s\n' "$rule" "$rms" "$ms" "$(grep '^spent' "$OUT/pb.out")"
	json+="$sep\"$rule\":{\"rule\":$rms,\"total\":$ms}"
	sep=,
done
echo "$json}}" >"$OUT/pb.json"
