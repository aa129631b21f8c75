#!/usr/bin/env bash
# tests/cli/test_roll.sh - `participe roll`: hashes a CSV roll into sorted,
# de-duplicated keyed hashes that match lib/roll.h's known answers
# (tests/unit/test_roll.c), whatever the CSV's quoting, line breaks, BOM,
# separator or column order; refuses bad rows and headers with the line
# number, and usage errors with status 2. Needs no database.
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
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
# The known answers of tests/unit/test_roll.c, sorted.
h_martin=018d9e96aefe687ed26e6b7c0ea5b74a92d8e6f358d6f11a9a1b2b5fec9f7159
h_floch=12d90d2a9c13b0eea7506b55a5447195d6b443d93d5e6a278a1e3bf6d2f55b5f
h_dupont=33cb7f48ae31662e7fb591c40dbab14ea4a1f16d227314b0fcae8b11cb7ec0b5
printf '%s\n' "$h_martin" "$h_floch" "$h_dupont" >"$tmp/want"

# Runs `participe roll ARGS...` with stdin from $in (when set).
roll() {
	"$bin" roll "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
same() { cmp -s "$tmp/out" "$tmp/want"; }

printf '%s\n' 'family_name,given_name,birth_date,postcode' \
	'Dupont,Jean,1980-02-29,75011' \
	'"  Le Floc’h-Éléonore ",Jean,1980-02-29,75011' \
	'Martin,Marie,2000-01-01,97411' \
	' DUPONT ,jean,1980-02-29,75011' >"$tmp/roll.csv"

roll hash "$key" "$tmp/roll.csv"
check "a roll file is hashed" "[ $rc = 0 ]"
check "the hashes are the known answers, sorted, without duplicates" same
check "nothing on stderr" "[ ! -s $tmp/err ]"

roll hash "$key" <"$tmp/roll.csv"
check "standard input is read when FILE is absent" "[ $rc = 0 ] && same"
roll hash "$key" - <"$tmp/roll.csv"
check "FILE - is standard input" "[ $rc = 0 ] && same"
cat "$tmp/roll.csv" | roll hash "$key" /dev/stdin
check "a pipe given as FILE is read" "[ $rc = 0 ] && same"

{
	printf '\xef\xbb\xbf'
	printf '%s\r\n' 'family_name,given_name,birth_date,postcode' \
		'"Dupont","Jean","1980-02-29","75011"' \
		'"  Le Floc’h-Éléonore ",Jean,1980-02-29,75011' \
		'"Martin",Marie,2000-01-01,"97411"'
} >"$tmp/crlf.csv"
roll hash "$key" "$tmp/crlf.csv"
check "BOM, CRLF and quoted fields give the same hashes" "[ $rc = 0 ] && same"

printf '%s\n' 'birth_date;postcode;given_name;family_name' \
	'1980-02-29;75011;Jean;Dupont' \
	'1980-02-29;75011;Jean;"  Le Floc’h-Éléonore "' \
	'2000-01-01;97411;Marie;Martin' >"$tmp/semi.csv"
roll hash "$key" "$tmp/semi.csv"
check "';' separators and any column order give the same hashes" \
	"[ $rc = 0 ] && same"

printf 'family_name,given_name,birth_date,postcode\n' >"$tmp/head.csv"
roll hash "$key" "$tmp/head.csv"
check "a header alone prints nothing" "[ $rc = 0 ] && [ ! -s $tmp/out ]"

other=$("$bin" roll new-key)
roll hash "$other" "$tmp/roll.csv"
check "another key gives other hashes" \
	"[ $rc = 0 ] && [ \$(wc -l <$tmp/out) = 3 ] && ! grep -qf $tmp/want $tmp/out"

# A bigger roll: 1000 people, each twice.
{
	echo 'family_name,given_name,birth_date,postcode'
	for i in $(seq 1 1000); do
		n=$(printf '%04d' "$i" | tr 0-9 A-J)
		echo "Nom$n,Prénom,1990-01-01,75001"
		echo "nom${n,,},PRENOM,1990-01-01,75001"
	done
} | sed 's/Nom/Nom /; s/nom/nom /' >"$tmp/big.csv"
roll hash "$key" "$tmp/big.csv"
check "1000 people written twice give 1000 sorted unique hashes" \
	"[ $rc = 0 ] && [ \$(wc -l <$tmp/out) = 1000 ] && sort -c -u $tmp/out && ! grep -qvE '^[0-9a-f]{64}$' $tmp/out"

bad() { # bad NAME EXPECTED-STDERR-REGEX CSV-LINES...
	local name=$1 re=$2
	shift 2
	printf '%s\n' "$@" >"$tmp/bad.csv"
	roll hash "$key" "$tmp/bad.csv"
	check "$name" "[ $rc = 1 ] && [ ! -s $tmp/out ] && grep -qE '$re' $tmp/err"
}
h='family_name,given_name,birth_date,postcode'
bad "an impossible date names its line" \
	'^roll: line 3: birth_date must be a real calendar date$' \
	"$h" 'Dupont,Jean,1980-02-29,75011' 'Dupont,Jean,1981-02-29,75011'
bad "every bad field of the row is named" \
	'^roll: line 2: family_name must contain only letters, spaces, hyphens and apostrophes; postcode must be exactly 5 digits$' \
	"$h" 'R2D2,Jean,1980-02-29,7501'
bad "an empty name is refused" \
	'^roll: line 2: given_name must contain at least one letter$' \
	"$h" 'Dupont,,1980-02-29,75011'
bad "a row with too few fields" \
	'^roll: line 2: expected 4 fields, found 3$' "$h" 'Dupont,Jean,1980-02-29'
bad "a row with too many fields" \
	'^roll: line 2: expected 4 fields, found 5$' "$h" 'Dupont,Jean,1980-02-29,75011,x'
bad "line numbers count the lines of multi-line fields" \
	'^roll: line 4: postcode must be exactly 5 digits$' \
	"$h" '"Du' 'pont",Jean,1980-02-29,75011' 'Martin,Marie,2000-01-01,x'
bad "an unterminated quote" '^roll: line 2: unterminated quoted field$' \
	"$h" '"Dupont,Jean,1980-02-29,75011'
bad "an unknown column" '^roll: line 1: unknown column "nom"' \
	'nom,given_name,birth_date,postcode'
bad "a missing column" '^roll: line 1: missing column "postcode"$' \
	'family_name,given_name,birth_date'
bad "a column twice" '^roll: line 1: column "given_name" appears twice$' \
	'family_name,given_name,birth_date,postcode,given_name'
printf '' >"$tmp/empty.csv"
roll hash "$key" "$tmp/empty.csv"
check "an empty file is an error" "[ $rc = 1 ] && grep -q 'missing header row' $tmp/err"
printf '%s\nDup\377nt,Jean,1980-02-29,75011\n' "$h" >"$tmp/bin.csv"
roll hash "$key" "$tmp/bin.csv"
check "invalid UTF-8 is an error" \
	"[ $rc = 1 ] && grep -q 'line 2: family_name must be valid UTF-8' $tmp/err"

roll hash "$key" "$tmp/no-such-file.csv"
check "a missing file is an error" "[ $rc = 1 ] && grep -q 'cannot open' $tmp/err"
roll
check "no subcommand is a usage error" "[ $rc = 2 ] && grep -q '^usage:' $tmp/err"
roll hash
check "no key is a usage error" "[ $rc = 2 ] && grep -q '^usage:' $tmp/err"
roll hash "${key%?}" "$tmp/roll.csv"
check "a short key is a usage error" "[ $rc = 2 ] && grep -q 'KEYHEX' $tmp/err"
roll hash "${key%?}x" "$tmp/roll.csv"
check "a non-hex key is a usage error" "[ $rc = 2 ] && grep -q 'KEYHEX' $tmp/err"
roll hash "$key" "$tmp/roll.csv" extra
check "an extra argument is a usage error" "[ $rc = 2 ]"
roll frobnicate
check "an unknown subcommand is a usage error" "[ $rc = 2 ]"
roll help
check "roll help prints the usage" "[ $rc = 0 ] && grep -q 'roll hash KEYHEX' $tmp/out"
roll new-key
k1=$(cat "$tmp/out")
roll new-key
check "new-key prints 64 hex digits, new each time" \
	"[ $rc = 0 ] && grep -qxE '[0-9a-f]{64}' $tmp/out && [ \"$k1\" != \"\$(cat $tmp/out)\" ]"

echo "roll: $pass passed, $fail failed"
[ "$fail" = 0 ]
