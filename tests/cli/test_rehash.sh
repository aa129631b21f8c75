#!/usr/bin/env bash
# tests/cli/test_rehash.sh - a password hash made with other Argon2id
# parameters is replaced at the next successful login: a second server with
# PARTICIPE_PWHASH_OPSLIMIT=3 logs in an account whose hash has t=2, and the
# stored hash then has t=3 and still verifies. Runs on the test database.
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
q() { psql -X -qAt "$PARTICIPE_MIGRATE_DATABASE_URL" -c "$1" 2>/dev/null; }
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The demo's hash of "demo-resident-2026" (t=2, 64 MiB) for a new account.
email="rehash-$$-$RANDOM@example.org"
q "INSERT INTO app.accounts (email, display_name, password_hash)
   SELECT '$email', 'Rehash', password_hash FROM app.accounts
   WHERE email = 'camille@example.org'" >/dev/null
check "the account starts with a t=2 hash" \
	"q \"select password_hash from app.accounts where email = '$email'\" | grep -q 't=2,'"

PARTICIPE_LISTEN=127.0.0.1:0 PARTICIPE_PORT_FILE="$tmp/port" \
	PARTICIPE_WORKERS=1 PARTICIPE_ACCESS_LOG=off \
	PARTICIPE_PWHASH_OPSLIMIT=3 bin/participe serve 2>"$tmp/log" &
pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port" 2>/dev/null)"
# Ready once the database pool answers (slower under sanitizers).
for _ in $(seq 1 300); do
	curl -fs -o /dev/null "$url/readyz" && break
	sleep 0.1
done
login() {
	curl -s -o /dev/null -w '%{http_code}' -X POST "$url/v1/sessions" \
		-H 'Content-Type: application/json' \
		-d "{\"email\":\"$email\",\"password\":\"$1\"}"
}
check "a wrong password does not rehash" \
	"[ \"$(login wrong-password-here)\" = 401 ] && q \"select password_hash from app.accounts where email = '$email'\" | grep -q 't=2,'"
check "login with the server at opslimit 3 succeeds" \
	"[ \"$(login demo-resident-2026)\" = 201 ]"
check "the stored hash was replaced by a t=3 one" \
	"q \"select password_hash from app.accounts where email = '$email'\" | grep -q '^\$argon2id\$v=19\$m=65536,t=3,'"
check "the new hash still logs in" \
	"[ \"$(login demo-resident-2026)\" = 201 ]"

q "DELETE FROM app.accounts WHERE email = '$email'" >/dev/null
echo "rehash: $pass passed, $fail failed"
[ "$fail" = 0 ]
