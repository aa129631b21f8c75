#!/usr/bin/env bash
# tests/run.sh - every suite: unit (cmocka on lib/), command line and
# read replica (on the private cluster), SQL (pgTAP), API (cmocka against
# a live `participe serve` on a real PostgreSQL).
#
# Uses PARTICIPE_DATABASE_URL/PARTICIPE_MIGRATE_DATABASE_URL when set;
# otherwise the private cluster of deploy/pg.sh, in a fresh database
# "participe_test" so that `make run`'s demo database is left alone. Stops
# whatever it started, and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build/rel}
ROOT=$(pwd)
OUT=var/test
mkdir -p "$OUT"
started_pg=0
server_pid=
passed=0
failed=0

cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ "$started_pg" = 1 ]; then
		deploy/pg.sh stop >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT

# Adds a runner's counts from its "N passed, M failed" line.
count() {
	local line
	line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
	failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
}

echo "== unit tests"
tests/run-unit.sh $(find "$B/tests/unit" -maxdepth 1 -name "test_*" -type f -perm -u+x | sort) | tee "$OUT/unit.log" || true
count "$OUT/unit.log"

echo "== database"
if [ -z "${PARTICIPE_DATABASE_URL:-}" ]; then
	if ! deploy/pg.sh status >/dev/null 2>&1; then
		started_pg=1
	fi
	deploy/pg.sh start
	# shellcheck disable=SC1091
	. var/pg/env
	deploy/pg.sh psql -q -c 'DROP DATABASE IF EXISTS participe_test' \
		-c 'CREATE DATABASE participe_test OWNER participe_owner' >/dev/null
	deploy/pg.sh psql -q -d participe_test \
		-c 'REVOKE ALL ON SCHEMA public FROM PUBLIC' \
		-c 'ALTER SCHEMA public OWNER TO participe_owner' \
		-c 'CREATE EXTENSION IF NOT EXISTS pgtap' >/dev/null
	for v in PARTICIPE_DATABASE_URL PARTICIPE_MIGRATE_DATABASE_URL \
		PARTICIPE_PG_SUPERUSER_URL; do
		export "$v=${!v/\/participe\?//participe_test?}"
	done
	export PARTICIPE_TEST_PG_CTL="$ROOT/deploy/pg.sh"
fi
bin/participe migrate
bin/participe migrate | tail -1 # the second run must be a no-op
bin/participe seed-demo

if [ -n "${PARTICIPE_TEST_PG_CTL:-}" ]; then
	echo "== command-line tests"
	# tests/cli/test_metrics.sh leaves a closed month for the server's
	# job, which tests/api/test_metrics.c then checks
	export PARTICIPE_TEST_SNAPSHOT_JOB=1
	for t in tests/cli/test_*.sh; do
		"$t" | tee "$OUT/$(basename "$t").log" || true
		count "$OUT/$(basename "$t").log"
	done
	echo "== read replica (pg_basebackup -R)"
	tests/replica/test_replica.sh | tee "$OUT/replica.log" || true
	count "$OUT/replica.log"
fi

echo "== SQL tests (pgTAP)"
if ls tests/sql/*.sql >/dev/null 2>&1; then
	# pg_prove takes no URL; the private cluster's socket is trusted.
	if pg_prove --host "${PARTICIPE_PG_HOST:-${PGHOST:-}}" \
		--port "${PARTICIPE_PG_PORT:-${PGPORT:-5432}}" \
		--username "${PARTICIPE_TEST_PG_SUPERUSER:-postgres}" \
		--dbname "${PARTICIPE_TEST_DBNAME:-participe_test}" \
		tests/sql/*.sql >"$OUT/sql.log" 2>&1; then
		sql_ok=1
	else
		sql_ok=0
	fi
	cat "$OUT/sql.log"
	n=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' "$OUT/sql.log")
	nf=$(grep -cE '^# Failed test' "$OUT/sql.log" || true)
	if [ "$sql_ok" = 1 ]; then
		passed=$((passed + ${n:-0}))
	else
		passed=$((passed + ${n:-0} - nf))
		failed=$((failed + (nf > 0 ? nf : 1)))
	fi
fi

echo "== API tests"
rm -f "$OUT/port"
ADMIN_TOKEN=$(bin/participe admin create-platform-admin \
	test-admin@example.org "Test admin")
rm -f "$OUT"/asan.* "$OUT"/ubsan.* "$OUT/mailbox.jsonl"
# The ballot logs' signing key; a second server (the durability test)
# must sign with the same one.
export PARTICIPE_LOG_KEY_FILE="$ROOT/$OUT/log-key"
rm -f "$PARTICIPE_LOG_KEY_FILE"
# Sanitizer reports of the server (SANITIZE builds) go to files checked below.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$ROOT/$OUT/asan \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$ROOT/$OUT/ubsan \
	PARTICIPE_LISTEN=127.0.0.1:0 PARTICIPE_PORT_FILE="$OUT/port" \
	PARTICIPE_WORKERS=2 PARTICIPE_READ_TIMEOUT=2s \
	PARTICIPE_IDLE_TIMEOUT=5s PARTICIPE_MAX_BODY=64k \
	PARTICIPE_MAILBOX="$ROOT/$OUT/mailbox.jsonl" \
	PARTICIPE_TRUSTED_PROXIES=127.0.0.1 PARTICIPE_RESET_TTL=3s \
	PARTICIPE_LOG_KEY_FILE="$PARTICIPE_LOG_KEY_FILE" \
	PARTICIPE_TREE_HEAD_INTERVAL=200ms PARTICIPE_METRICS_SNAPSHOT_INTERVAL=1s \
	bin/participe serve 2>"$OUT/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
	[ -s "$OUT/port" ] && break
	sleep 0.1
done
if [ ! -s "$OUT/port" ]; then
	echo "server did not start:"
	cat "$OUT/server.log"
	exit 1
fi
export PARTICIPE_TEST_URL="http://127.0.0.1:$(cat "$OUT/port")"
# The port is bound before the database pools have connected: wait until
# the server is ready, so the first test does not meet a 503.
for _ in $(seq 1 100); do
	curl -fs -o /dev/null "$PARTICIPE_TEST_URL/readyz" && break
	sleep 0.1
done
export PARTICIPE_TEST_ADMIN_TOKEN="$ADMIN_TOKEN"
export PARTICIPE_TEST_MAX_BODY=65536
export PARTICIPE_TEST_READ_TIMEOUT_MS=2000
# Mail the server sends (links with tokens), and the reset links' lifetime.
export PARTICIPE_TEST_MAILBOX="$ROOT/$OUT/mailbox.jsonl"
export PARTICIPE_TEST_RESET_TTL_MS=3000
# Every response the API tests receive, for the contract check below.
export PARTICIPE_TEST_RECORD="$ROOT/$OUT/exchanges.jsonl"
# The CLI, for `participe verify` on exported elections.
export PARTICIPE_TEST_BIN="$ROOT/bin/participe"
rm -f "$PARTICIPE_TEST_RECORD"
for t in "$B"/tests/api/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	echo "-- $(basename "$t")"
	"$t" >"$OUT/$(basename "$t").log" 2>&1 || true
	cat "$OUT/$(basename "$t").log"
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' \
		"$OUT/$(basename "$t").log" | tail -1)
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' \
		"$OUT/$(basename "$t").log" | tail -1)
	if [ -z "$p" ] && [ -z "$f" ]; then
		echo "$(basename "$t"): crashed or printed no summary"
		failed=$((failed + 1))
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
done

echo "== graceful shutdown"
kill -TERM "$server_pid"
rc=0
for _ in $(seq 1 150); do
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
	echo "server did not stop within 15 s of SIGTERM"
	kill -KILL "$server_pid"
	failed=$((failed + 1))
else
	wait "$server_pid" || rc=$?
	server_pid=
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		echo "server exited 0 after SIGTERM"
	else
		echo "server exited $rc after SIGTERM"
		failed=$((failed + 1))
	fi
fi
echo "== contract (api-spec/openapi.yaml)"
# Lint, route table against the spec's paths, every recorded response
# against the spec, and the checkers' own self-test.
tests/contract/lint.sh 2>&1 | tee "$OUT/lint.log" || true
count "$OUT/lint.log"
bin/participe routes >"$OUT/routes.txt"
node tests/contract/routes.mjs api-spec/openapi.yaml "$OUT/routes.txt" \
	2>&1 | tee "$OUT/routes.log" || true
count "$OUT/routes.log"
node tests/contract/validate.mjs api-spec/openapi.yaml \
	"$PARTICIPE_TEST_RECORD" >"$OUT/contract.log" 2>&1 || true
grep -vE '^ok ' "$OUT/contract.log" | tail -40
count "$OUT/contract.log"
tests/contract/selftest.sh >"$OUT/selftest.log" 2>&1 || true
grep -vE '^ok ' "$OUT/selftest.log"
count "$OUT/selftest.log"

if compgen -G "$OUT/asan.*" >/dev/null || compgen -G "$OUT/ubsan.*" >/dev/null ||
	grep -qE 'runtime error:|Sanitizer' "$OUT/server.log"; then
	echo "sanitizer reports:"
	cat "$OUT"/asan.* "$OUT"/ubsan.* 2>/dev/null || true
	grep -E -A20 'runtime error:|Sanitizer' "$OUT/server.log" || true
	failed=$((failed + 1))
fi

echo
echo "total: $passed passed, $failed failed"
[ "$failed" = 0 ]
