#!/usr/bin/env bash
# tests/bench/metrics.sh - latency of the national dashboard (make bench
# runs it; alone: make bench-metrics).
#
# Seeds 1,000 collectivities and 10 million participation acts
# (tests/bench/metrics_seed.sql loads them in bulk; the counters are then
# computed set-based, tests/bench/metrics_counters.sql, as the triggers
# keep them), publishes every period's snapshot (timed: the protection
# of one period across every collectivity and roll-up, lib/metricsnap.c),
# starts the server, and times GET
# /v1/metrics (ANCT's dashboard: 12 months, each roll-up, JSON and CSV,
# small cells withheld) and a collectivity's own figures, each
# BENCH_METRICS_RUNS times (default 7): prints the median and the
# slowest. Asserts nothing.
#
# Settings: BENCH_METRICS_SCALE (1.0: 10 million acts), BENCH_METRICS_RUNS,
# BENCH_METRICS_REUSE=1 (keep the acts of the last run: only recount and
# republish), BENCH_METRICS_REUSE=2 (keep its counters and snapshots too:
# only the reads; the snapshot figures are the last run's).
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=var/bench
mkdir -p "$OUT"
SCALE=${BENCH_METRICS_SCALE:-1.0}
RUNS=${BENCH_METRICS_RUNS:-7}
log() { printf 'bench-metrics: %s\n' "$*" >&2; }
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
if ! deploy/pg.sh status >/dev/null 2>&1; then PG_STARTED=1; fi
deploy/pg.sh start >/dev/null
# shellcheck disable=SC1091
. var/pg/env
DB=participe_bench_metrics
REUSE=${BENCH_METRICS_REUSE:-0}
if [[ "$REUSE" == 0 ]]; then
	deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $DB" \
		-c "CREATE DATABASE $DB OWNER participe_owner" >/dev/null
	deploy/pg.sh psql -q -d "$DB" -c 'REVOKE ALL ON SCHEMA public FROM PUBLIC' \
		-c 'ALTER SCHEMA public OWNER TO participe_owner' >/dev/null
fi
export PARTICIPE_DATABASE_URL=${PARTICIPE_DATABASE_URL/\/participe\?//$DB?}
export PARTICIPE_MIGRATE_DATABASE_URL=${PARTICIPE_MIGRATE_DATABASE_URL/\/participe\?//$DB?}
SUPER_URL=${PARTICIPE_PG_SUPERUSER_URL/\/participe\?//$DB?}
bin/participe migrate >/dev/null
t0=$(date +%s)
if [[ "$REUSE" == 0 ]]; then
	log "seeding 1,000 collectivities and $(awk -v s="$SCALE" 'BEGIN { printf "%.0f", s * 10e6 }') acts"
	psql -q -v ON_ERROR_STOP=1 -v acts_scale="$SCALE" "$SUPER_URL" \
		-f tests/bench/metrics_seed.sql
fi
t1=$(date +%s)
if [[ "$REUSE" != 2 ]]; then
	log "rebuilding the counters"
	psql -q -v ON_ERROR_STOP=1 "$SUPER_URL" -f tests/bench/metrics_counters.sql \
		>/dev/null
fi
t2=$(date +%s)
acts=$(psql -qAt "$SUPER_URL" -c "SELECT sum(acts) FROM app.metric_counts
	WHERE period = 'month' AND kind = 'any'
	  AND process_id = '00000000-0000-0000-0000-000000000000'")
rows=$(psql -qAt "$SUPER_URL" -c "SELECT count(*) FROM app.metric_counts")
# The public and national figures are the periods' snapshots
# (docs/suppression.md, "One pattern per period", "Weeks and months"):
# publish the dashboard's last BENCH_METRICS_MONTHS months (default 12;
# the current one early), each with the weeks whose Sunday is in it,
# protected across the 1,000 collectivities and every roll-up at once,
# as the server's job does once per closed month.
MONTHS=${BENCH_METRICS_MONTHS:-1}
t3=$(date +%s%N)
if [[ "$REUSE" != 2 ]]; then
	log "publishing the snapshots of $MONTHS months and their weeks"
	psql -q "$SUPER_URL" -c "DELETE FROM app.metric_snapshots" >/dev/null
	for i in $(seq 0 $((MONTHS - 1))); do
		bin/participe metrics publish --period month \
			--start "$(date -u -d "$(date -u +%Y-%m-01) -$i months" +%F)"
	done >"$OUT/metrics-publish.log"
fi
t4=$(date +%s%N)
# "N periods, median ms, slowest ms, median withheld" of lines for $1
snapstats() {
	grep "^published $1 " "$OUT/metrics-publish.log" |
		sed -E 's/.*: ([0-9]+) figures withheld, protected in ([0-9]+) ms/\2 \1/' |
		sort -n | awk '{ t[NR] = $1; w[NR] = $2 } END {
			printf "%3d blocks (a %s and its weeks): protection median %6d ms, slowest %6d ms", NR, p, t[int((NR + 1) / 2)], t[NR] }' p="$1"
}
TOKEN=$(bin/participe admin create-platform-admin bench-anct@example.org Bench)

rm -f "$OUT/metrics.port"
PARTICIPE_LISTEN=127.0.0.1:0 PARTICIPE_PORT_FILE="$OUT/metrics.port" \
	PARTICIPE_WORKERS=2 PARTICIPE_ACCESS_LOG=off \
	PARTICIPE_LOG_KEY_FILE="$OUT/log-key" \
	bin/participe serve 2>"$OUT/metrics-server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$OUT/metrics.port" ]] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$OUT/metrics.port")"
for _ in $(seq 1 100); do curl -fs -o /dev/null "$URL/readyz" && break; sleep 0.1; done

# PATH: "median ms  max ms  bytes" over RUNS runs (after one warm-up)
timeit() {
	curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL$1"
	for _ in $(seq 1 "$RUNS"); do
		curl -fs -o /dev/null -w '%{time_total} %{size_download}\n' \
			-H "Authorization: Bearer $TOKEN" "$URL$1"
	done | sort -n | awk '{ t[NR] = $1 * 1000; b = $2 }
		END { printf "%8.1f ms %8.1f ms %9d B", t[int((NR + 1) / 2)], t[NR], b }'
}
to=$(date -u +%Y-%m-01)
from=$(date -u -d "$to -11 months" +%Y-%m-01)
Q="period=month&from=$from&to=$to"
cat <<REPORT

National dashboard (GET /v1/metrics, 12 months, small cells withheld; $(nproc) cores, 2 workers)
  seeded: 1,000 collectivities, $acts acts ($((t1 - t0)) s), $rows counter rows ($((t2 - t1)) s to rebuild)
  snapshots: $(grep -c '^published' "$OUT/metrics-publish.log") months and their weeks in $(((t4 - t3) / 1000000000)) s (read, protected, stored: participe metrics publish)$( [[ "$REUSE" == 2 ]] && echo "; the last run's")
    $(snapstats month)
                                         median      slowest      body
REPORT
for by in all kind density qpv departement cohort collectivity; do
	printf '  by=%-14s JSON          %s\n' "$by" "$(timeit "/v1/metrics?by=$by&$Q")"
done
printf '  by=%-14s CSV           %s\n' collectivity "$(timeit "/v1/metrics?by=collectivity&$Q&format=csv")"
printf '  by=all weekly (4 weeks)   JSON    %s\n' "$(timeit "/v1/metrics?by=all&period=week&from=$(date -u -d '-3 weeks' +%F)")"
printf '  one collectivity (admin)  JSON    %s\n' "$(timeit "/v1/collectivities/col-1/metrics?$Q")"
