#!/usr/bin/env bash
# tests/cli/test_migrate.sh - `participe migrate` on a scratch database:
# applies in order, records checksums, is a no-op when re-run, refuses a
# changed applied file and a badly named one, and leaves no trace of a
# failing migration. Needs the private cluster (deploy/pg.sh) and its env.
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

db=participe_migtest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db OWNER participe_owner" >/dev/null 2>&1
url=${PARTICIPE_MIGRATE_DATABASE_URL/\/participe_test\?//$db?}
url=${url/\/participe\?//$db?}
cp -r sql "$tmp/sql"
q() { psql -X -qAt "$url" -c "$1" 2>/dev/null; }
mig() { PARTICIPE_MIGRATE_DATABASE_URL=$url PARTICIPE_SQL_DIR=$tmp/sql \
	bin/participe migrate >"$tmp/out" 2>&1; }

mig
check "first run applies every migration" "[ $? = 0 ]"
n=$(ls "$tmp"/sql/migrations/*.sql | wc -l)
check "every migration is recorded" "[ \"$(q 'select count(*) from meta.migrations')\" = $n ]"
sum=$(sha256sum "$tmp/sql/migrations/0001_foundation.sql" | cut -d' ' -f1)
check "the checksum is the file's SHA-256" \
	"[ \"$(q "select checksum from meta.migrations where name='0001_foundation.sql'")\" = $sum ]"
mig
check "a second run succeeds" "[ $? = 0 ]"
check "a second run applies nothing" "grep -q '^migrate: 0 migrations applied' $tmp/out"

printf 'CREATE TABLE app.should_not_exist (i int);\nSELECT no_such_function();\n' \
	>"$tmp/sql/migrations/9998_broken.sql"
mig
check "a failing migration makes migrate fail" "[ $? != 0 ]"
check "the failure names the file" "grep -q 9998_broken.sql $tmp/out"
check "a failing migration leaves no table behind" \
	"[ \"$(q "select to_regclass('app.should_not_exist') is null")\" = t ]"
check "a failing migration is not recorded" \
	"[ \"$(q "select count(*) from meta.migrations where name='9998_broken.sql'")\" = 0 ]"
rm "$tmp/sql/migrations/9998_broken.sql"

echo '-- edited after the fact' >>"$tmp/sql/migrations/0001_foundation.sql"
mig
check "a changed applied migration is an error" "[ $? != 0 ]"
check "the error says the file was changed" "grep -q 'was changed after it was applied' $tmp/out"
cp sql/migrations/0001_foundation.sql "$tmp/sql/migrations/"

touch "$tmp/sql/migrations/12_bad-name.sql"
mig
check "a badly named migration is an error" "[ $? != 0 ] && grep -q 'is not named' $tmp/out"
rm "$tmp/sql/migrations/12_bad-name.sql"

PARTICIPE_MIGRATE_DATABASE_URL='postgresql:///nodb?host=/nonexistent' \
	PARTICIPE_DATABASE_URL= bin/participe migrate >"$tmp/out" 2>&1
check "an unreachable database is a clear error" "[ $? != 0 ] && grep -q 'cannot connect' $tmp/out"

deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
