#!/usr/bin/env bash
# tests/cli/test_admin.sh - `participe admin`: a platform administrator's
# token, national roles (anct) given and taken, refusals. Runs on the test
# database (PARTICIPE_MIGRATE_DATABASE_URL, migrated by tests/run.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
q() { psql -X -qAt "$PARTICIPE_MIGRATE_DATABASE_URL" -c "$1" 2>/dev/null; }

email="cli-admin-$$-$RANDOM@example.org"
tok=$(bin/participe admin create-platform-admin "$email" "CLI admin")
check "create-platform-admin prints a 43-character token" \
	"[[ \"$tok\" =~ ^[A-Za-z0-9_-]{43}$ ]]"
check "the account is a platform administrator" \
	"[ \"$(q "select is_platform_admin from app.accounts where email = '$email'")\" = t ]"
check "only the token's hash is stored" \
	"[ \"$(q "select count(*) from app.sessions s join app.accounts a on a.id = s.account_id where a.email = '$email' and length(s.token_hash) = 32")\" = 1 ]"
bin/participe admin grant-anct "$email" >/dev/null
check "grant-anct succeeds" "[ $? = 0 ]"
check "the account has the anct role" \
	"[ \"$(q "select is_anct from app.accounts where email = '$email'")\" = t ]"
bin/participe admin revoke-anct "${email^^}" >/dev/null
check "revoke-anct succeeds (e-mail case-insensitive)" "[ $? = 0 ]"
check "the anct role is gone" \
	"[ \"$(q "select is_anct from app.accounts where email = '$email'")\" = f ]"
bin/participe admin grant-anct "nobody-$$@example.org" >/dev/null 2>&1
check "grant-anct of an unknown e-mail fails" "[ $? = 1 ]"
bin/participe admin revoke-platform-admin "$email" >/dev/null
check "revoke-platform-admin succeeds" \
	"[ \"$(q "select is_platform_admin from app.accounts where email = '$email'")\" = f ]"
bin/participe admin frobnicate x >/dev/null 2>&1
check "an unknown subcommand is a usage error (2)" "[ $? = 2 ]"
bin/participe admin >/dev/null 2>&1
check "no arguments is a usage error (2)" "[ $? = 2 ]"

echo "admin: $pass passed, $fail failed"
[ "$fail" = 0 ]
