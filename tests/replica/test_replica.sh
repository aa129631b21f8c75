#!/usr/bin/env bash
# tests/replica/test_replica.sh - reads marked QR in server/queries.h
# (metrics) are served by a real streaming replica, everything else by the
# primary. Makes a replica of the private cluster with pg_basebackup -R
# (under var/pg, on another port, sharing its socket directory), starts a
# second server with PARTICIPE_DATABASE_READ_URL pointing at it, and shows
# with replay paused that the metrics are the replica's (stale) while a
# join goes to the primary; then that the figure catches up once replay
# resumes, and that with the replica stopped metrics get 503 and /readyz
# says not ready while the primary still serves. Needs the private cluster
# of deploy/pg.sh (tests/run.sh sets PARTICIPE_TEST_PG_CTL); stops and
# removes whatever it started, even on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
RUN=$PARTICIPE_PG_HOST
PORT=$PARTICIPE_PG_PORT
DB=$(sed -E 's|^postgresql:///([^?]*).*|\1|' <<<"$PARTICIPE_DATABASE_URL")
tmp=$(mktemp -d)
rdata="$(cd var/pg && pwd -P)/replica-$$"
rport=
pid=

# PostgreSQL refuses to run as root: then the replica runs as the private
# cluster's user (deploy/pg.sh), from / (our directory may be closed to it).
# Whatever descriptors the postmaster inherits close when we stop it.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u participe -- "$@")
	else
		"$@"
	fi
}
primary() { psql -X -qAt "$PARTICIPE_PG_SUPERUSER_URL" -c "$1" 2>/dev/null; }
replica() {
	psql -X -qAt -h "$RUN" -p "$rport" -U "${2:-postgres}" -d "$DB" -c "$1"
}
# The hex BLAKE2b-256 of a bearer token, as the server stores it.
token_hash() { printf %s "$1" | b2sum -l 256 | cut -d' ' -f1; }
# Waits until the replica has replayed everything the primary has written.
caught_up() {
	local lsn
	lsn=$(primary 'SELECT pg_current_wal_lsn()')
	for _ in $(seq 1 100); do
		[ "$(replica "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && return
		sleep 0.05
	done
}
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	if [ -f "$rdata/postmaster.pid" ]; then
		as_pg "$PG_BINDIR/pg_ctl" stop -D "$rdata" -m immediate -w -s \
			>/dev/null 2>&1
	fi
	rm -rf "$rdata" "$tmp"
}
trap cleanup EXIT

started=$(date +%s%N)
# --- the replica ---------------------------------------------------------
mkdir -m 0700 "$rdata" && chown --reference="$RUN" "$rdata"
as_pg "$PG_BINDIR/pg_basebackup" -h "$RUN" -p "$PORT" -U postgres \
	-D "$rdata" -R -X stream -c fast >"$tmp/basebackup.log" 2>&1
check "pg_basebackup -R copies the primary" \
	"[ -f '$rdata/standby.signal' ] && grep -q primary_conninfo '$rdata/postgresql.auto.conf'"
for _ in 1 2 3 4 5; do
	rport=$((20000 + RANDOM % 12000))
	[ -e "$RUN/.s.PGSQL.$rport" ] && continue
	# participe.conf (deploy/pg.sh's, copied) keeps the socket directory.
	sed -i -E "s/^port = .*/port = $rport/" "$rdata/participe.conf"
	as_pg "$PG_BINDIR/pg_ctl" start -D "$rdata" -l "$rdata/log" -w -t 30 \
		-s >/dev/null 2>&1 && break
	rport=
done
check "the replica starts on port ${rport:-?}, in recovery" \
	"[ -n '$rport' ] && [ \"\$(replica 'SELECT pg_is_in_recovery()')\" = t ]"
if [ -z "$rport" ]; then
	tail -20 "$rdata/log" "$tmp/basebackup.log" 2>/dev/null
	echo "replica: $pass passed, $((fail + 1)) failed"
	exit 1
fi
check "the primary streams to it" \
	"[ \"\$(primary 'SELECT count(*) FROM pg_stat_replication')\" -ge 1 ]"

# --- a server reading from it --------------------------------------------
read_url=$(sed -E "s/([?&])port=[0-9]+/\\1port=$rport/" <<<"$PARTICIPE_DATABASE_URL")
PARTICIPE_DATABASE_READ_URL="$read_url" PARTICIPE_LISTEN=127.0.0.1:0 \
	PARTICIPE_PORT_FILE="$tmp/port" PARTICIPE_WORKERS=1 PARTICIPE_DB_POOL=2 \
	PARTICIPE_ACCESS_LOG=off PARTICIPE_TREE_HEAD_INTERVAL=60s \
	PARTICIPE_LOG_KEY_FILE="$tmp/log-key" bin/participe serve 2>"$tmp/log" &
pid=$!
for _ in $(seq 1 300); do [ -s "$tmp/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$tmp/port" 2>/dev/null)"
for _ in $(seq 1 300); do
	curl -fs -o /dev/null "$url/readyz" && break
	sleep 0.1
done
check "the server is ready with both pools" \
	"curl -fs -o /dev/null '$url/readyz'"

# call METHOD PATH TOKEN: status in $st, body in $tmp/body.
call() {
	st=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" "$url$2" \
		-H "Authorization: Bearer $3")
}
# The statements a pool has run (participe_db_queries_total).
queries() {
	curl -s "$url/metrics" |
		sed -nE "s/^participe_db_queries_total\\{pool=\"$1\"\\} ([0-9]+)$/\\1/p"
}
# new_accounts of the current month (the last row), from GET .../metrics:
# the figure as published, {"value":0} or, one person, withheld.
new_accounts() {
	call GET "/v1/collectivities/$slug/metrics" "$admin"
	[ "$st" = 200 ] && grep -oE '"new_accounts": *\{[^}]*\}' "$tmp/body" |
		tail -1 | sed -E 's/ //g'
}

admin=$(bin/participe admin create-platform-admin \
	"replica-admin-$$-$RANDOM@example.org" "Replica admin")
slug="replica-$$-$RANDOM"
st=$(curl -s -o "$tmp/body" -w '%{http_code}' -X POST "$url/v1/collectivities" \
	-H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
	-d "{\"slug\":\"$slug\",\"name\":\"Replica test\",\"kind\":\"departement\"}")
check "a collectivity is created (on the primary)" "[ $st = 201 ]"
# The replica has it once it has replayed that far.
for _ in $(seq 1 100); do
	call GET "/v1/collectivities/$slug/metrics" "$admin"
	[ "$st" = 200 ] && break
	sleep 0.1
done
check "its metrics answer 200 once the replica has it" "[ $st = 200 ]"

r0=$(queries read)
p0=$(queries primary)
for _ in 1 2 3; do call GET "/v1/collectivities/$slug/metrics" "$admin"; done
r1=$(queries read)
p1=$(queries primary)
check "three metrics requests run three statements on the read pool" \
	"[ $st = 200 ] && [ $((r1 - r0)) = 3 ]"
check "and none on the primary" "[ '$p1' = '$p0' ]"

# An idle session's touch would be an UPDATE, refused by a hot standby.
primary "UPDATE app.sessions SET last_seen_at = now() - interval '10 minutes'
	WHERE token_hash = decode('$(token_hash "$admin")', 'hex')" >/dev/null
caught_up
call GET "/v1/collectivities/$slug/metrics" "$admin"
check "a session idle for 10 minutes reads metrics from the replica" \
	"[ $st = 200 ]"

# --- stale while replay is paused ----------------------------------------
joiner=$(bin/participe admin create-platform-admin \
	"replica-joiner-$$-$RANDOM@example.org" "Replica joiner")
caught_up
n0=$(new_accounts)
body0=$(cat "$tmp/body")
replica 'SELECT pg_wal_replay_pause()' >/dev/null
for _ in $(seq 1 100); do
	[ "$(replica 'SELECT pg_get_wal_replay_pause_state()')" = paused ] && break
	sleep 0.05
done
check "replay is paused" \
	"[ \"\$(replica 'SELECT pg_get_wal_replay_pause_state()')\" = paused ]"
replica "SELECT * FROM api.member_join('$(token_hash "$joiner")', '$slug')" \
	participe_app >/dev/null 2>"$tmp/ro.err"
check "a join run on the replica itself is refused (read-only)" \
	"grep -q 'read-only transaction' '$tmp/ro.err'"
r0=$(queries read)
call POST "/v1/collectivities/$slug/members" "$joiner"
check "a new member joins (a write: it went to the primary)" \
	"[ $st = 201 ] && [ \"\$(queries read)\" = '$r0' ]"
check "the primary has the member" \
	"[ \"\$(primary \"SELECT count(*) FROM app.members m JOIN app.collectivities c ON c.id = m.collectivity_id WHERE c.slug = '$slug'\")\" = 1 ]"
n1=$(new_accounts)
check "the metrics still show no new account (the stale replica)" \
	"[ '$n0' = '\"new_accounts\":{\"value\":0}' ] && [ '$n1' = '$n0' ] && [ \"\$(cat '$tmp/body')\" = '$body0' ]"
replica 'SELECT pg_wal_replay_resume()' >/dev/null
for _ in $(seq 1 100); do
	n2=$(new_accounts)
	[ "$n2" != "$n0" ] && break
	sleep 0.1
done
check "once replay resumes they show the new member (one person: withheld)" \
	"[ '$n2' = '\"new_accounts\":{\"value\":null,\"suppressed\":true}' ]"

# --- the replica down ----------------------------------------------------
as_pg "$PG_BINDIR/pg_ctl" stop -D "$rdata" -m fast -w -s >/dev/null 2>&1
call GET "/v1/collectivities/$slug/metrics" "$admin"
check "with the replica stopped, metrics get 503 (no fallback)" \
	"[ $st = 503 ] && grep -qE '\"status\": *503' '$tmp/body'"
st=$(curl -s -o "$tmp/body" -w '%{http_code}' "$url/readyz")
check "/readyz says not ready, naming the replica" \
	"[ $st = 503 ] && grep -q 'read replica' '$tmp/body'"
call GET "/v1/me" "$admin"
check "the primary still serves the rest" "[ $st = 200 ]"

kill -TERM "$pid" && wait "$pid"
rc=$?
pid=
check "the server exits 0 on SIGTERM" "[ $rc = 0 ]"
echo "replica test took $((($(date +%s%N) - started) / 1000000)) ms"
echo "replica: $pass passed, $fail failed"
[ "$fail" = 0 ]
