#!/usr/bin/env bash
# tests/cli/test_pb.sh - `participe pb tally` on Pabulib files: text and
# --json outputs against tests/data/pabulib/expected.json, the options,
# and refusals (a bad file: exit 1 with FILE:LINE; usage: exit 2). Needs
# no database.
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=bin/participe
data=tests/data/pabulib
expected=$data/expected.json

# Runs `participe ARGS...`; output in $tmp/out and $tmp/err, status in $rc.
run() {
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# The expected value of FILE RULE FIELD, as compact JSON.
want() {
	node -e 'const e = require(process.argv[1]);
		const v = e[process.argv[2]].outcomes[process.argv[3]][process.argv[4]];
		console.log(JSON.stringify(v));' "$(pwd)/$expected" "$1" "$2" "$3"
}

# The field of the --json output in $tmp/out, as compact JSON.
got() {
	node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		console.log(JSON.stringify(o[process.argv[2]]));' "$tmp/out" "$1"
}

# --- --json against expected.json ------------------------------------------
for case in "Poland_Gdynia_2020.pb|greedy-no-skip" \
	"Poland_Gdynia_2020.pb|mes-add1" \
	"Poland_Gdynia_2020.pb|mes-add1 --utility card" \
	"Netherlands_Assen_2024.pb|mes-add1" \
	"Netherlands_Amsterdam_523.pb|mes --utility card" \
	"Poland_Czestochowa_2024_Grabowka.pb|greedy-score" \
	"Poland_Swiecie_2023.pb|greedy"; do
	file=${case%%|*}
	rule=${case#*|}
	# shellcheck disable=SC2086
	run pb tally "$data/$file" --rule $rule --json
	check "$file $rule: exit 0" "[ $rc = 0 ]"
	check "$file $rule: selection in order" "[ \"\$(got selected)\" = \"\$(want $file '$rule' order)\" ]"
	check "$file $rule: cost" "[ \"\$(got cost)\" = \"\$(want $file '$rule' cost)\" ]"
	if [ "${rule%% *}" = mes-add1 ]; then
		check "$file $rule: steps" "[ \"\$(got steps)\" = \"\$(want $file '$rule' steps)\" ]"
		check "$file $rule: per-voter budget" \
			"[ \"\$(got per_voter_budget)\" = \"\$(want $file '$rule' final_per_voter_budget)\" ]"
	fi
done
run pb tally "$data/Poland_Gdynia_2020.pb" --rule greedy --json
check "json names rule, utility, tie and budget" \
	"[ \"\$(got rule)\$(got utility)\$(got tie)\$(got budget)\" = '\"greedy\"\"cost\"\"id\"1500000' ]"
check "json has null steps for greedy, and project details" \
	"[ \"\$(got steps)\" = null ] && grep -q '\"projects\":\[{\"id\":\"2\",\"cost\":1000000,\"votes\":10810,\"name\":\"Zakup' $tmp/out"

# --- text ----------------------------------------------------------------
run pb tally "$data/Poland_Gdynia_2020.pb" --rule mes-add1
check "text: one line per project in order, then the money" \
	"[ \"\$(awk '{print \$1}' $tmp/out | head -2 | tr '\n' ' ')\" = '2 13 ' ] &&
	 grep -qx 'spent 1300000 of 1500000, left 200000' $tmp/out &&
	 grep -qx 'per-voter budget 3530475/27073 after 75 +1 steps' $tmp/out"
check "text: a project line has id, cost, votes and name" \
	"head -1 $tmp/out | grep -qE '^2 +1000000 +10810  Zakup'"
run pb tally "$data/Netherlands_Assen_2024.pb" --rule greedy
check "text: greedy on Assen" \
	"[ \"\$(awk '{print \$1}' $tmp/out | head -7 | tr '\n' ' ')\" = '3 9 8 11 2 13 14 ' ] &&
	 grep -qx 'spent 99200 of 100000, left 800' $tmp/out"
run pb tally - --rule greedy <"$data/Netherlands_Assen_2024.pb"
check "- reads standard input" "[ $rc = 0 ] && grep -qx 'spent 99200 of 100000, left 800' $tmp/out"

# --- options -------------------------------------------------------------
run pb tally "$data/Poland_Gdynia_2020.pb" --rule greedy-no-skip --min-votes 0 --json
check "--min-votes overrides the file's threshold" "[ \"\$(got selected)\" = '[\"2\"]' ] && [ \"\$(got cost)\" = 1000000 ]"
run pb tally "$data/Netherlands_Assen_2024.pb" --rule greedy --tie cost,votes,id --json
check "--tie cost,votes,id puts the cheaper of equal votes first" \
	"[ \"\$(got tie)\" = '\"cost,votes,id\"' ] && [ \"\$(got selected)\" = '[\"3\",\"9\",\"8\",\"2\",\"11\",\"13\",\"14\"]' ]"

# --- refusals ------------------------------------------------------------
sed 's/^42190;1;/42190;0;/' "$data/Netherlands_Amsterdam_588.pb" >"$tmp/zero.pb"
run pb tally "$tmp/zero.pb" --rule greedy
check "a cost of 0 exits 1 with FILE:LINE" \
	"[ $rc = 1 ] && grep -qx \"$tmp/zero.pb:23: cost '0' of project '42190' is not a positive integer\" $tmp/err && [ ! -s $tmp/out ]"
printf 'META\r\nkey;value\r\nbudget;10\r\nPROJECTS\r\nproject_id;cost\r\n1;5\r\nVOTES\r\nvoter_id;vote\r\nv1;1,7\r\n' >"$tmp/unknown.pb"
run pb tally "$tmp/unknown.pb" --rule mes
check "a vote naming an unknown project exits 1 with FILE:LINE" \
	"[ $rc = 1 ] && grep -qx \"$tmp/unknown.pb:9: vote names unknown project '7'\" $tmp/err"
head -c 0 /dev/null >"$tmp/empty.pb"
run pb tally "$tmp/empty.pb" --rule mes
check "an empty file exits 1" "[ $rc = 1 ] && grep -qx \"$tmp/empty.pb:1: empty file\" $tmp/err"
run pb tally "$tmp/none.pb" --rule mes
check "a missing file exits 1" "[ $rc = 1 ] && grep -q 'cannot open' $tmp/err"
run pb tally "$data/Netherlands_Assen_2024.pb"
check "no --rule is a usage error" "[ $rc = 2 ] && grep -q '^usage: participe pb tally' $tmp/err"
run pb tally "$data/Netherlands_Assen_2024.pb" --rule stv
check "an unknown rule is a usage error" "[ $rc = 2 ] && grep -q 'unknown rule' $tmp/err"
run pb tally "$data/Netherlands_Assen_2024.pb" --rule mes --utility joy
check "an unknown utility is a usage error" "[ $rc = 2 ]"
run pb tally "$data/Netherlands_Assen_2024.pb" --rule mes --tie cost,cost
check "a bad tie order is a usage error" "[ $rc = 2 ] && grep -q 'bad tie order' $tmp/err"
run pb tally --rule mes
check "no file is a usage error" "[ $rc = 2 ]"
run pb frobnicate
check "an unknown pb subcommand is a usage error" "[ $rc = 2 ] && grep -q '^usage: participe pb tally' $tmp/err"
run pb help
check "pb help lists tally" "[ $rc = 0 ] && grep -q 'participe pb tally FILE.pb --rule RULE' $tmp/out"

echo "cli-pb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
