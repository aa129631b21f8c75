#!/usr/bin/env bash
# tests/bench/login.sh - login throughput next to the machine's Argon2id
# limit (make bench runs it after run.sh; alone: make bench-login).
#
# The limit is what the CPU can hash: pwhash_rate hashes with the server's
# cost on one thread (seconds per hash) and on every core at once; a server
# that does nothing but check passwords cannot log people in faster than
# cores / seconds-per-hash. The server is then driven with wrk POST
# /v1/sessions for 1000 seeded accounts (random account, random client
# address), and the ratio of the two is printed. Prints figures, asserts
# nothing.
#
# Settings: BENCH_LOGIN_DURATION (10s), BENCH_LOGIN_CONNECTIONS (16),
# BENCH_WORKERS (2), PARTICIPE_PWHASH_OPSLIMIT/MEMLIMIT (server defaults).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=var/bench
mkdir -p "$OUT"
DURATION=${BENCH_LOGIN_DURATION:-10s}
CONNS=${BENCH_LOGIN_CONNECTIONS:-16}
WORKERS=${BENCH_WORKERS:-2}
OPS=${PARTICIPE_PWHASH_OPSLIMIT:-2}
MEM=${PARTICIPE_PWHASH_MEMLIMIT:-67108864}
ACCOUNTS=1000
PASSWORD=bench-password-2026
CORES=$(nproc)
log() { printf 'bench-login: %s\n' "$*" >&2; }

SERVER_PID=
PG_STARTED=0
cleanup() {
	if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if ((PG_STARTED)); then deploy/pg.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

cc -O2 -o "$OUT/pwhash_rate" tests/bench/pwhash_rate.c \
	$(pkg-config --cflags --libs libsodium) -lpthread

log "measuring Argon2id (opslimit $OPS, memlimit $MEM) on 1 and $CORES threads"
one=$("$OUT/pwhash_rate" "$OPS" "$MEM" 5 1)
all=$("$OUT/pwhash_rate" "$OPS" "$MEM" 5 "$CORES")
field() { sed -nE "s/.* $2=([0-9.]+).*/\1/p" <<<"$1"; }
per_hash_ms=$(field "$one" per_hash_ms)
limit=$(awk -v c="$CORES" -v ms="$per_hash_ms" 'BEGIN { printf "%.1f", c / (ms / 1000) }')
measured_all=$(field "$all" rate)

if ! deploy/pg.sh status >/dev/null 2>&1; then PG_STARTED=1; fi
deploy/pg.sh start >/dev/null
# shellcheck disable=SC1091
. var/pg/env
DB=participe_bench_login
deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $DB" \
	-c "CREATE DATABASE $DB OWNER participe_owner" >/dev/null
deploy/pg.sh psql -q -d "$DB" -c 'REVOKE ALL ON SCHEMA public FROM PUBLIC' \
	-c 'ALTER SCHEMA public OWNER TO participe_owner' >/dev/null
export PARTICIPE_DATABASE_URL=${PARTICIPE_DATABASE_URL/\/participe\?//$DB?}
export PARTICIPE_MIGRATE_DATABASE_URL=${PARTICIPE_MIGRATE_DATABASE_URL/\/participe\?//$DB?}
bin/participe migrate >/dev/null
hash=$("$OUT/pwhash_rate" --hash "$OPS" "$MEM" "$PASSWORD")
deploy/pg.sh psql -q -d "$DB" -v hash="$hash" >/dev/null <<SQL
INSERT INTO app.accounts (email, display_name, password_hash, email_verified_at)
SELECT 'bench-' || i || '@example.org', 'Bench ' || i, :'hash', now()
FROM generate_series(1, $ACCOUNTS) i;
SQL

rm -f "$OUT/login.port"
PARTICIPE_LISTEN=127.0.0.1:0 PARTICIPE_PORT_FILE="$OUT/login.port" \
	PARTICIPE_WORKERS=$WORKERS PARTICIPE_ACCESS_LOG=off \
	PARTICIPE_TRUSTED_PROXIES=127.0.0.1 \
	PARTICIPE_PWHASH_OPSLIMIT=$OPS PARTICIPE_PWHASH_MEMLIMIT=$MEM \
	bin/participe serve 2>"$OUT/login-server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$OUT/login.port" ]] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$OUT/login.port")"
log "wrk -t2 -c$CONNS -d$DURATION POST /v1/sessions ($ACCOUNTS accounts)"
res=$(BENCH_LOGIN_ACCOUNTS=$ACCOUNTS BENCH_LOGIN_PASSWORD=$PASSWORD \
	wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 10s \
	-s tests/bench/login.lua "$URL" | grep '^LOGIN')
rps=$(field "$res" rps)
ms() { awk -v u="$(field "$res" "$1")" 'BEGIN { printf "%.1f ms", u / 1000 }'; }

cat <<REPORT

Login throughput (POST /v1/sessions, Argon2id opslimit $OPS memlimit $MEM, $CORES cores, $WORKERS workers, wrk on the same cores)
  one hash on one thread              $per_hash_ms ms
  Argon2id limit (cores / s per hash) $limit logins/s
  hashing on all $CORES cores at once      $measured_all hashes/s
  measured logins                     $rps logins/s  (p50 $(ms p50_us), p99 $(ms p99_us), non-2xx $(field "$res" non2xx))
  logins / limit                      $(awk -v a="$rps" -v b="$limit" 'BEGIN { printf "%.2f", a / b }')
REPORT
printf '{"per_hash_ms": %s, "limit_per_s": %s, "all_cores_per_s": %s, "logins_per_s": %s}\n' \
	"$per_hash_ms" "$limit" "$measured_all" "$rps" >"$OUT/login.json"
