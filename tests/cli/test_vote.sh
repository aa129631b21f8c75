#!/usr/bin/env bash
# tests/cli/test_vote.sh - `participe cred`, `participe ballot` and
# `participe verify` offline: credentials generated from a roll (file
# modes, contents, sorted keys, never overwriting), deterministic key
# pairs, signed ballots and refused choices, and verification of an export
# built independently from docs/protocol.md (tests/cli/vote_export.mjs,
# Node's crypto) as it is and tampered with. Needs no database.
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
eid=0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5
eid2=0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e6
code_re='^[1-9A-HJ-NP-Za-km-z]{4}(-[1-9A-HJ-NP-Za-km-z]{4}){5}$'

# Runs `participe ARGS...`; output in $tmp/out and $tmp/err, status in $rc.
run() {
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# --- cred generate -------------------------------------------------------
printf '%s\n' 'family_name,given_name,email' \
	'Dupont,Jean,jean@example.org' \
	'"Le Floc’h, dit ""Yann""",Yann,yann@example.org' \
	'Martin,Marie,' \
	'Durand,Paul,paul@example.org' \
	'Petit,Léa,lea@example.org' >"$tmp/roll.csv"
run cred generate --election "$eid" --roll "$tmp/roll.csv" \
	--private "$tmp/codes.csv" --public "$tmp/keys.txt"
check "cred generate succeeds" "[ $rc = 0 ] && [ ! -s $tmp/out ]"
check "it reports the count on stderr" "grep -q '^cred: 5 credentials' $tmp/err"
check "the private file is mode 0600" "[ \$(stat -c %a $tmp/codes.csv) = 600 ]"
check "the private file has the header plus code" \
	"[ \"\$(head -1 $tmp/codes.csv)\" = 'family_name,given_name,email,code' ]"
check "the private file has one line per person" "[ \$(wc -l <$tmp/codes.csv) = 6 ]"
check "every row keeps its fields, quoting included" \
	"[ \"\$(cut -d, -f1-3 <<<\"\$(sed -n 2p $tmp/codes.csv)\")\" = 'Dupont,Jean,jean@example.org' ] &&
	 grep -q '^\"Le Floc’h, dit \"\"Yann\"\"\",Yann,yann@example.org,' $tmp/codes.csv &&
	 grep -q '^Martin,Marie,,' $tmp/codes.csv && grep -q '^Petit,Léa,lea@example.org,' $tmp/codes.csv"
tail -n +2 "$tmp/codes.csv" | sed -E 's/.*,//' >"$tmp/codes"
check "every code is 6 groups of 4 base58 characters" \
	"[ \$(grep -cE '$code_re' $tmp/codes) = 5 ]"
check "the codes differ" "[ \$(sort -u $tmp/codes | wc -l) = 5 ]"
check "the public file has 5 lowercase hex keys" \
	"[ \$(wc -l <$tmp/keys.txt) = 5 ] && ! grep -qvE '^[0-9a-f]{64}$' $tmp/keys.txt"
check "the public keys are sorted and unique" "LC_ALL=C sort -c -u $tmp/keys.txt"
# Each code's key pair is one of the public keys, and all of them.
: >"$tmp/derived"
while read -r code; do
	"$bin" cred keypair --election "$eid" --code "$code" |
		sed -E 's/.*"public_key":"([0-9a-f]{64})".*/\1/' >>"$tmp/derived"
done <"$tmp/codes"
check "the codes give exactly the public keys" \
	"LC_ALL=C sort $tmp/derived | cmp -s - $tmp/keys.txt"
check "the public file has nothing of the roll" \
	"! grep -qiE 'dupont|martin|example' $tmp/keys.txt"

cp "$tmp/codes.csv" "$tmp/codes.keep"
run cred generate --election "$eid" --roll "$tmp/roll.csv" \
	--private "$tmp/codes.csv" --public "$tmp/keys2.txt"
check "an existing private file is never overwritten" \
	"[ $rc = 1 ] && grep -q 'never overwritten' $tmp/err && cmp -s $tmp/codes.csv $tmp/codes.keep && [ ! -e $tmp/keys2.txt ]"
run cred generate --election "$eid" --roll "$tmp/roll.csv" \
	--private "$tmp/codes2.csv" --public "$tmp/keys.txt"
check "nor an existing public file (and nothing is left behind)" \
	"[ $rc = 1 ] && [ ! -e $tmp/codes2.csv ]"

printf '%s\r\n' 'nom;prenom' 'Dupont;Jean' 'Martin;Marie' >"$tmp/semi.csv"
run cred generate --election "$eid" --roll "$tmp/semi.csv" \
	--private "$tmp/semi-codes.csv" --public "$tmp/semi-keys.txt"
check "a ';' roll keeps its separator" \
	"[ $rc = 0 ] && [ \"\$(head -1 $tmp/semi-codes.csv)\" = 'nom;prenom;code' ] && grep -qE '^Dupont;Jean;[1-9A-Za-z-]{29}$' $tmp/semi-codes.csv"

gen_bad() { # gen_bad NAME STATUS STDERR-REGEX ROLL-LINES...
	local name=$1 want=$2 re=$3
	shift 3
	rm -f "$tmp/b-codes.csv" "$tmp/b-keys.txt"
	printf '%s\n' "$@" >"$tmp/bad.csv"
	run cred generate --election "$eid" --roll "$tmp/bad.csv" \
		--private "$tmp/b-codes.csv" --public "$tmp/b-keys.txt"
	check "$name" "[ $rc = $want ] && grep -qE '$re' $tmp/err && [ ! -e $tmp/b-codes.csv ] && [ ! -e $tmp/b-keys.txt ]"
}
gen_bad "a row with too few fields is refused" 1 \
	'^cred: line 3: expected 2 fields, found 1$' 'a,b' '1,2' '3'
gen_bad "a roll with a code column is refused" 1 \
	'already has a column "code"' 'name,code' 'x,y'
gen_bad "an unterminated quote is refused" 1 \
	'^cred: line 2: unterminated quoted field$' 'a,b' '"x,y'
: >"$tmp/empty.csv"
run cred generate --election "$eid" --roll "$tmp/empty.csv" \
	--private "$tmp/e-codes.csv" --public "$tmp/e-keys.txt"
check "an empty roll is refused" "[ $rc = 1 ] && grep -q 'missing header row' $tmp/err"
run cred generate --election "$eid" --roll "$tmp/nope.csv" \
	--private "$tmp/n-codes.csv" --public "$tmp/n-keys.txt"
check "a missing roll is an error" "[ $rc = 1 ] && grep -q 'cannot open' $tmp/err && [ ! -e $tmp/n-codes.csv ]"
run cred generate --election "${eid^^}" --roll "$tmp/roll.csv" \
	--private "$tmp/u-codes.csv" --public "$tmp/u-keys.txt"
check "an upper-case election id is a usage error" "[ $rc = 2 ] && [ ! -e $tmp/u-codes.csv ]"
run cred generate --election "$eid" --roll "$tmp/roll.csv" --private "$tmp/m.csv"
check "a missing option is a usage error" "[ $rc = 2 ] && grep -q -- '--public is required' $tmp/err"
run cred generate --election "$eid" --roll "$tmp/roll.csv" --private "$tmp/m.csv" \
	--public "$tmp/m.txt" --frobnicate 1
check "an unknown option is a usage error" "[ $rc = 2 ] && [ ! -e $tmp/m.csv ]"

# --- cred keypair --------------------------------------------------------
code=$(head -1 "$tmp/codes")
run cred keypair --election "$eid" --code "$code"
kp=$(cat "$tmp/out")
check "keypair prints the public and secret keys" \
	"[ $rc = 0 ] && grep -qxE '\\{\"public_key\":\"[0-9a-f]{64}\",\"secret_key\":\"[0-9a-f]{128}\"\\}' $tmp/out"
run cred keypair --election "$eid" --code "$code"
check "keypair is deterministic" "[ \"\$(cat $tmp/out)\" = '$kp' ]"
run cred keypair --election "$eid" --code " $(tr -d - <<<"$code" | sed 's/..../& /g') "
check "dashes and spaces in the code do not matter" "[ \"\$(cat $tmp/out)\" = '$kp' ]"
run cred keypair --election "$eid2" --code "$code"
check "another election gives another key" "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" != '$kp' ]"
pk=$(sed -E 's/.*"public_key":"([0-9a-f]{64})".*/\1/' <<<"$kp")
sk=$(sed -E 's/.*"secret_key":"([0-9a-f]{128})".*/\1/' <<<"$kp")
check "the secret key ends with the public key" "[ '${sk:64}' = '$pk' ]"
run cred keypair --election "$eid" --code "0${code:1}"
check "a code with a 0 is a usage error" "[ $rc = 2 ] && grep -q 'base58' $tmp/err"
run cred keypair --election "$eid" --code "${code%?}"
check "a short code is a usage error" "[ $rc = 2 ]"
run cred help
check "cred help prints the usage" "[ $rc = 0 ] && grep -q 'cred generate --election' $tmp/out"
run cred
check "cred alone is a usage error" "[ $rc = 2 ] && grep -q '^usage:' $tmp/err"

# --- ballot sign ---------------------------------------------------------
logkey=$("$bin" cred keypair --election "$eid" --code "$(sed -n 2p "$tmp/codes")" |
	sed -E 's/.*"public_key":"([0-9a-f]{64})".*/\1/')
printf '%s' '{"closes_at":"2027-01-31T18:00:00Z","collectivity":"11111111-2222-4333-8444-555555555555","collectivity_slug":"bourg-en-lys","credentials":"authority","election":"'"$eid"'","log_key":"'"$logkey"'","opens_at":"2027-01-10T08:00:00Z","process":"66666666-7777-4888-9999-aaaaaaaaaaaa","questions":[{"id":"maire","options":[{"id":"a","label":"A"},{"id":"b","label":"B"}],"rule":{"kind":"single"},"text":"Qui ?"},{"id":"projets","options":[{"id":"parc","label":"Parc"},{"id":"piste","label":"Piste"},{"id":"ecole","label":"Ecole"}],"rule":{"kind":"approval","max":2,"min":1},"text":"Quoi ?"}],"revote":true,"title":"Test","version":1}' >"$tmp/desc.json"
sign() { run ballot sign --descriptor "$tmp/desc.json" "$@"; }
ballot_re='^\{"ballot":"([0-9a-f]{2})+","signature":"[0-9a-f]{128}"\}$'
sign --code "$code" --seq 1 --choice '["a",["piste","parc"]]'
b1=$(cat "$tmp/out")
check "ballot sign prints the body to POST, the tracker apart" \
	"[ $rc = 0 ] && grep -qxE '$ballot_re' $tmp/out && grep -qxE 'tracker: [0-9a-f]{64}' $tmp/err"
check "the ballot holds the voter's key" "grep -q '$pk' $tmp/out"
sign --secret-key "$sk" --seq 1 --choice '["a",["parc","piste"]]'
check "the secret key signs the same ballot (options in any order)" \
	"[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = '$b1' ]"
printf '\n' >>"$tmp/desc.json"
sign --code "$code" --seq 1 --choice '[["a"],["parc","piste"]]'
check "a newline after the descriptor is ignored; [\"a\"] is \"a\"" \
	"[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = '$b1' ]"
if command -v node >/dev/null 2>&1; then
	node -e 'const fs=require("fs");const d=fs.readFileSync(process.argv[1],"utf8").trim();fs.writeFileSync(process.argv[2],JSON.stringify({id:"x",descriptor:d,fingerprint:"f"}))' "$tmp/desc.json" "$tmp/election.json"
	run ballot sign --descriptor "$tmp/election.json" --code "$code" --seq 1 --choice '[["a"],["parc","piste"]]'
	check "the election as the API answers it is read for its descriptor" \
		"[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = '$b1' ]"
fi
sign --code "$code" --seq 2 --choice '["a",["parc","piste"]]'
check "another sequence number, another ballot" \
	"[ $rc = 0 ] && grep -qxE '$ballot_re' $tmp/out && [ \"\$(cat $tmp/out)\" != '$b1' ]"
if command -v node >/dev/null 2>&1; then
	check "the output is JSON whose ballot has the protocol's tag" \
		"node -e 'const o=JSON.parse(process.argv[1]);process.exit(Buffer.from(o.ballot,\"hex\").subarray(4,23).toString()===\"participe/ballot/v1\"?0:1)' '$b1'"
fi
sign --code "$code" --seq 1 --choice '["a",["parc","piste","ecole"]]'
check "a choice the rule refuses exits 2 and says why" \
	"[ $rc = 2 ] && [ ! -s $tmp/out ] && grep -q 'invalid choice: question projets: 3 options chosen, at most 2 allowed' $tmp/err"
sign --code "$code" --seq 1 --choice '["d",["parc"]]'
check "an unknown option exits 2" "[ $rc = 2 ] && grep -q 'unknown option \"d\"' $tmp/err"
sign --code "$code" --seq 1 --choice '["a"]'
check "a missing question exits 2" "[ $rc = 2 ] && grep -q 'the choice has 1 elements' $tmp/err"
sign --code "$code" --seq 1 --choice '["a",'
check "a choice that is not JSON exits 2" "[ $rc = 2 ] && grep -q 'not JSON' $tmp/err"
sign --code "$code" --seq 0 --choice '["a",["parc"]]'
check "sequence number 0 exits 2" "[ $rc = 2 ] && grep -q -- '--seq' $tmp/err"
sign --code "$code" --seq 1x --choice '["a",["parc"]]'
check "a sequence number that is not a number exits 2" "[ $rc = 2 ]"
sign --code "$code" --secret-key "$sk" --seq 1 --choice '["a",["parc"]]'
check "--code and --secret-key together exit 2" "[ $rc = 2 ]"
sign --seq 1 --choice '["a",["parc"]]'
check "no key at all exits 2" "[ $rc = 2 ]"
sign --secret-key "${sk:0:64}$(printf '%064d' 0)" --seq 1 --choice '["a",["parc"]]'
check "an inconsistent secret key exits 2" "[ $rc = 2 ] && grep -q 'not a key pair' $tmp/err"
printf '{"version":2}' >"$tmp/bad-desc.json"
run ballot sign --descriptor "$tmp/bad-desc.json" --code "$code" --seq 1 --choice '[]'
check "an invalid descriptor is an error" "[ $rc = 1 ] && grep -q 'descriptor' $tmp/err"
run ballot help
check "ballot help prints the usage" "[ $rc = 0 ] && grep -q 'ballot sign --descriptor' $tmp/out"
run ballot frobnicate
check "an unknown ballot subcommand is a usage error" "[ $rc = 2 ]"

# --- verify --------------------------------------------------------------
run verify
check "verify without a file is a usage error" "[ $rc = 2 ] && grep -q '^usage:' $tmp/err"
run verify a b
check "verify with two files is a usage error" "[ $rc = 2 ]"
run verify help
check "verify help prints the usage" "[ $rc = 0 ] && grep -q 'participe verify FILE' $tmp/out"
run verify "$tmp/nope.json"
check "a missing export is an error" "[ $rc = 1 ] && grep -q 'cannot open' $tmp/err"
printf '{"log":' >"$tmp/x.json"
run verify "$tmp/x.json"
check "an export that is not JSON fails" "[ $rc = 1 ] && grep -q '^verify: FAILED: the export is not JSON' $tmp/err"
printf '{}' >"$tmp/x.json"
run verify "$tmp/x.json"
check "an empty object fails" "[ $rc = 1 ] && grep -q '^verify: FAILED: the export has no descriptor' $tmp/err"

if command -v node >/dev/null 2>&1; then
	node tests/cli/vote_export.mjs "$tmp/export.json" "$tmp/result.txt"
	run verify "$tmp/export.json"
	check "an export made independently from docs/protocol.md verifies" \
		"[ $rc = 0 ] && [ \"\$(head -1 $tmp/out)\" = 'ok: 7 entries, 5 ballots, 4 counted, 4 credentials, 5 tree heads' ]"
	check "and the result is the independent one, byte for byte" \
		"tail -n +2 $tmp/out | cmp -s - $tmp/result.txt"
	run verify - <"$tmp/export.json"
	check "verify - reads standard input" "[ $rc = 0 ] && grep -q '^ok: 7 entries' $tmp/out"
	tampered() { # tampered WHAT STDERR-REGEX
		node tests/cli/vote_export.mjs "$tmp/t.json" "$tmp/t.txt" "$1"
		run verify "$tmp/t.json"
		check "a tampered export fails: $1" \
			"[ $rc = 1 ] && [ ! -s $tmp/out ] && grep -qE '^verify: FAILED: $2' $tmp/err"
	}
	tampered entry 'entry 2: '
	tampered signature 'entry 4: ballot signature does not verify'
	tampered root 'tree head 1: signature does not verify'
	tampered head-signature 'tree head 2: signature does not verify'
	tampered result 'the published result is not the recomputed one'
	tampered removed 'entry 5 closes with 5 ballot entries, the log has 4'
	tampered credential 'the credential list has 3 keys, the opening entry 4'
else
	echo "ok - # SKIP node not found: no independent export to verify"
fi

echo "vote: $pass passed, $fail failed"
[ "$fail" = 0 ]
