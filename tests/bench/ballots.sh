#!/usr/bin/env bash
# tests/bench/ballots.sh - signed ballots per second next to PostgreSQL's
# durable single-row INSERT transactions per second (make bench runs it;
# alone: make bench-ballots).
#
# An election of one approval question gets BENCH_BALLOTS_N credentials;
# as many ballots are signed in advance (tests/bench/ballot_gen.c), then
# wrk POSTs them with BENCH_BALLOTS_CONNECTIONS connections: each one is
# decoded, its Ed25519 signature and rule checked on the task pool, and
# appended to the Merkle log in batches (one transaction, one fsync per
# batch) before its receipt is signed and sent. pgbench then runs
# single-row INSERT transactions (synchronous_commit on, fsync on: what a
# one-commit-per-ballot design would pay) with the same number of
# connections on the same cluster. Prints both and their ratio; asserts
# nothing.
#
# Settings: BENCH_BALLOTS_N (80000), BENCH_BALLOTS_DURATION (8s),
# BENCH_BALLOTS_CONNECTIONS (32), BENCH_WORKERS (2).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=var/bench
mkdir -p "$OUT"
N=${BENCH_BALLOTS_N:-80000}
DURATION=${BENCH_BALLOTS_DURATION:-8s}
CONNS=${BENCH_BALLOTS_CONNECTIONS:-32}
WORKERS=${BENCH_WORKERS:-2}
B=build/rel
log() { printf 'bench-ballots: %s\n' "$*" >&2; }

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

make --no-print-directory -s "$B/libparticipe.a"
cc -O2 -Ilib -o "$OUT/ballot_gen" tests/bench/ballot_gen.c "$B/libparticipe.a" \
	$(pkg-config --cflags --libs jansson libsodium) -lgmp -lpthread -lm

if ! deploy/pg.sh status >/dev/null 2>&1; then PG_STARTED=1; fi
deploy/pg.sh start >/dev/null
# shellcheck disable=SC1091
. var/pg/env
DB=participe_bench_ballots
deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $DB" \
	-c "CREATE DATABASE $DB OWNER participe_owner" >/dev/null
deploy/pg.sh psql -q -d "$DB" -c 'REVOKE ALL ON SCHEMA public FROM PUBLIC' \
	-c 'ALTER SCHEMA public OWNER TO participe_owner' >/dev/null
export PARTICIPE_DATABASE_URL=${PARTICIPE_DATABASE_URL/\/participe\?//$DB?}
export PARTICIPE_MIGRATE_DATABASE_URL=${PARTICIPE_MIGRATE_DATABASE_URL/\/participe\?//$DB?}
SUPER_URL=${PARTICIPE_PG_SUPERUSER_URL/\/participe\?//$DB?}
bin/participe migrate >/dev/null
bin/participe seed-demo >/dev/null
TOKEN=$(bin/participe admin create-platform-admin bench-admin@example.org Bench)

rm -f "$OUT/ballots.port"
PARTICIPE_LISTEN=127.0.0.1:0 PARTICIPE_PORT_FILE="$OUT/ballots.port" \
	PARTICIPE_WORKERS=$WORKERS PARTICIPE_ACCESS_LOG=off \
	PARTICIPE_LOG_KEY_FILE="$OUT/log-key" PARTICIPE_MAX_BODY=2m \
	bin/participe serve 2>"$OUT/ballots-server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$OUT/ballots.port" ]] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$OUT/ballots.port")"
for _ in $(seq 1 100); do curl -fs -o /dev/null "$URL/readyz" && break; sleep 0.1; done
C=$URL/v1/collectivities/bourg-en-lys
api() { # METHOD PATH [BODY-FILE]: the response body; fails on >= 400
	curl -fsS -X "$1" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' ${3:+--data-binary @"$3"} "$C$2"
}
id_of() { grep -o '"id" *: *"[^"]*"' | head -1 | sed -E 's/.*"([^"]*)"$/\1/'; }
now() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

cat >"$OUT/process.json" <<JSON
{"title":"Bench","description":"Benchmark","status":"published",
 "phases":[{"kind":"vote","starts_at":"$(now '-1 day')","ends_at":"$(now '+30 days')"}]}
JSON
PID=$(api POST /processes "$OUT/process.json" | id_of)
cat >"$OUT/election.json" <<JSON
{"title":"Bench","credential_mode":"authority","revote":true,
 "questions":[{"id":"q","text":"Which?","rule":{"kind":"approval","min":1,"max":2},
  "options":[{"id":"a","label":"A"},{"id":"b","label":"B"},{"id":"c","label":"C"}]}]}
JSON
EID=$(api POST "/processes/$PID/elections" "$OUT/election.json" | id_of)
log "election $EID: $N credentials, $N pre-signed ballots"
rm -rf "$OUT/keys" && mkdir -p "$OUT/keys"
"$OUT/ballot_gen" keys "$N" "$OUT/keys"
for f in "$OUT"/keys/keys-*.json; do api POST "/elections/$EID/credentials" "$f" >/dev/null; done
api POST "/elections/$EID/open" >"$OUT/open.json"
"$OUT/ballot_gen" ballots "$OUT/open.json" "$N" "$OUT/ballots.txt"

log "wrk -t2 -c$CONNS -d$DURATION POST .../ballots"
res=$(BENCH_BALLOTS_PATH="/v1/collectivities/bourg-en-lys/elections/$EID/ballots" \
	BENCH_BALLOTS_FILE="$OUT/ballots.txt" BENCH_BALLOTS_THREADS=2 \
	wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 10s \
	-s tests/bench/ballots.lua "$URL" | grep '^BALLOTS')
field() { sed -nE "s/.* $2=([0-9.]+).*/\1/p" <<<"$1"; }
bps=$(field "$res" rps)
created=$(field "$res" created)
ms() { awk -v u="$(field "$res" "$1")" 'BEGIN { printf "%.1f ms", u / 1000 }'; }
size=$(curl -fs "$C/elections/$EID" | grep -o '"tree_size" *: *[0-9]*' | grep -o '[0-9]*$')
metric() { curl -fs "$URL/metrics" | sed -nE "s/^$1 ([0-9]+)$/\1/p"; }
batches=$(metric participe_ballot_batches_total)
appended=$(metric participe_ballots_appended_total)
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=

log "pgbench -c$CONNS -j2 -T${DURATION%s}: durable single-row INSERT transactions"
psql -q "$SUPER_URL" -c 'CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL)'
echo "INSERT INTO bench_insert (payload) VALUES (repeat('x', 300));" >"$OUT/insert.sql"
tps=$(pgbench -n -c "$CONNS" -j 2 -T "${DURATION%s}" -f "$OUT/insert.sql" "$SUPER_URL" 2>/dev/null |
	sed -nE 's/^tps = ([0-9.]+).*/\1/p')

cat <<REPORT

Ballot casting (POST .../ballots: decode, Ed25519 verify, rule, batched Merkle append, signed receipt; $(nproc) cores, $WORKERS workers, $CONNS connections, wrk and PostgreSQL on the same cores)
  ballots accepted                    $created in $DURATION (log size after: $size entries)
  ballots per second                  $bps  (p50 $(ms p50_us), p99 $(ms p99_us))
  append transactions                 $batches, $(awk -v a="$appended" -v b="$batches" 'BEGIN { printf "%.1f", b ? a / b : 0 }') ballots each on average
  pgbench single-row INSERT tps       $tps  (synchronous_commit on, fsync on)
  ballots/s / INSERT tps              $(awk -v a="$bps" -v b="$tps" 'BEGIN { printf "%.2f", a / b }')
REPORT
printf '{"ballots_per_s": %s, "insert_tps": %s}\n' "$bps" "$tps" >"$OUT/ballots.json"
