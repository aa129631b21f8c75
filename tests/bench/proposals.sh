#!/usr/bin/env bash
# tests/bench/proposals.sh - proposal listings, search and comment threads on
# a realistic data set (make bench runs it last; alone: make bench-proposals).
#
# Seeds a database of its own (proposals_seed.sql: 10000 published proposals
# with French titles and bodies, 100000 supports from 2000 accounts spread
# unevenly, 10000 comments spread unevenly and one thread of 5000 comments of
# depths 1-3), VACUUM ANALYZE, starts the server and, for each request below,
# fetches it once with curl (200 and a non-empty array, or an error is
# printed), times the SQL function behind it in PostgreSQL as participe_app
# (auto_explain shows the plan of its main statement), then drives it with
# wrk. Prints figures, asserts nothing; figures go to var/bench/proposals.json.
#
# Settings: BENCH_PROPOSALS_DURATION (5s), BENCH_PROPOSALS_CONNECTIONS (8),
# BENCH_THREADS (2), BENCH_WORKERS (2), BENCH_PROPOSALS_SQL_RUNS (20 timed
# calls of each function, at most ~3 s each), BENCH_PROPOSALS_Q (jardin: the
# searched word), BENCH_PROPOSALS_KEEP_DB=1 keeps the database afterwards.
set -euo pipefail
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=var/bench
mkdir -p "$OUT"
DURATION=${BENCH_PROPOSALS_DURATION:-5s}
CONNS=${BENCH_PROPOSALS_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-2}
WORKERS=${BENCH_WORKERS:-2}
SQL_RUNS=${BENCH_PROPOSALS_SQL_RUNS:-20}
Q=${BENCH_PROPOSALS_Q:-jardin}
RARE=kiosque # in 1 proposal in 1000 (proposals_seed.sql)
KEEP_DB=${BENCH_PROPOSALS_KEEP_DB:-0}
PROPOSALS=10000 ACCOUNTS=2000 PER_ACCOUNT=50 OTHERS=10000 THREAD=5000
SLUG=bench-proposals
PID=be4c0000-0000-4000-8000-000000000001 # fixed by proposals_seed.sql
DB=participe_bench_proposals
CORES=$(nproc)
log() { printf 'bench-proposals: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

[[ "$DURATION" =~ ^[0-9]+[smh]?$ ]] || die "BENCH_PROPOSALS_DURATION: like 5s"
[[ "$CONNS" =~ ^[0-9]+$ && "$THREADS" =~ ^[0-9]+$ && "$SQL_RUNS" =~ ^[0-9]+$ ]] ||
	die "BENCH_PROPOSALS_CONNECTIONS, BENCH_THREADS, BENCH_PROPOSALS_SQL_RUNS: integers"
((SQL_RUNS >= 1 && THREADS >= 1 && CONNS >= THREADS)) || die "bad counts"
# The word goes into a URL, JSON and SQL: letters only.
[[ "$Q" =~ ^[[:alpha:]]+$ ]] || die "BENCH_PROPOSALS_Q: one word, letters only"
for tool in wrk curl psql; do
	command -v "$tool" >/dev/null || die "$tool is needed (make deps)"
done
[[ -x bin/participe ]] || die "bin/participe is not built (make)"

SERVER_PID=
PG_STARTED=0
DB_MADE=0
cleanup() {
	if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if ((DB_MADE)) && [[ "$KEEP_DB" != 1 ]]; then
		deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
	fi
	if ((PG_STARTED)); then deploy/pg.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
now_ms() { date +%s%3N; }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# --- database ---------------------------------------------------------------

if ! deploy/pg.sh status >/dev/null 2>&1; then PG_STARTED=1; fi
deploy/pg.sh start >/dev/null
# shellcheck disable=SC1091
. var/pg/env
deploy/pg.sh psql -q -c "DROP DATABASE IF EXISTS $DB" \
	-c "CREATE DATABASE $DB OWNER participe_owner" >/dev/null 2>&1
DB_MADE=1
deploy/pg.sh psql -q -d "$DB" -c 'REVOKE ALL ON SCHEMA public FROM PUBLIC' \
	-c 'ALTER SCHEMA public OWNER TO participe_owner' >/dev/null
export PARTICIPE_DATABASE_URL=${PARTICIPE_DATABASE_URL/\/participe\?//$DB?}
export PARTICIPE_MIGRATE_DATABASE_URL=${PARTICIPE_MIGRATE_DATABASE_URL/\/participe\?//$DB?}
SUPER_URL=${PARTICIPE_PG_SUPERUSER_URL/\/participe\?//$DB?}
bin/participe migrate >/dev/null

owner_psql() { psql -X -q -v ON_ERROR_STOP=1 "$PARTICIPE_MIGRATE_DATABASE_URL" "$@"; }

log "seeding $PROPOSALS proposals, $((ACCOUNTS * PER_ACCOUNT)) supports, $((OTHERS + THREAD)) comments"
t0=$(now_ms)
owner_psql -v proposals=$PROPOSALS -v accounts=$ACCOUNTS \
	-v per_account=$PER_ACCOUNT -v others=$OTHERS -v thread=$THREAD \
	-f tests/bench/proposals_seed.sql >/dev/null
seed_s=$(secs_since "$t0")
t0=$(now_ms)
# VACUUM as well as ANALYZE: sets the visibility map of the fresh tables.
owner_psql -c 'VACUUM (ANALYZE) app.accounts, app.members, app.processes,
	app.process_phases, app.proposals, app.supports, app.comments'
analyze_s=$(secs_since "$t0")

# Facts for the requests, read back as the owner inside the tenant.
facts=$(owner_psql -At -F ' ' <<SQL
BEGIN;
SELECT set_config('app.collectivity_id', id::text, true) IS NULL
FROM app.collectivities WHERE slug = '$SLUG' \\g /dev/null
SELECT p.id, (SELECT sort_key FROM app.comments c
		WHERE c.proposal_id = p.id ORDER BY sort_key
		OFFSET greatest(p.comments - 51, 0) LIMIT 1),
	(SELECT count(*) FROM app.proposals
		WHERE search @@ websearch_to_tsquery('french', '$Q')),
	(SELECT count(*) FROM app.proposals
		WHERE search @@ websearch_to_tsquery('french', '$RARE')),
	(SELECT count(*) FROM app.proposals), (SELECT count(*) FROM app.supports),
	(SELECT count(*) FROM app.comments), p.comments, p.supports
FROM app.proposals p ORDER BY p.comments DESC LIMIT 1;
COMMIT;
SQL
)
read -r TID DEEP_KEY Q_MATCHES RARE_MATCHES N_PROPOSALS N_SUPPORTS N_COMMENTS \
	N_THREAD THREAD_SUPPORTS <<<"$(grep -E '^[0-9a-f-]{36} ' <<<"$facts")"
[[ -n "${THREAD_SUPPORTS:-}" ]] || die "could not read the seeded data back: $facts"

# --- server -----------------------------------------------------------------

rm -f "$OUT/proposals.port"
PARTICIPE_LISTEN=127.0.0.1:0 PARTICIPE_PORT_FILE="$OUT/proposals.port" \
	PARTICIPE_WORKERS=$WORKERS PARTICIPE_ACCESS_LOG=off \
	bin/participe serve 2>"$OUT/proposals-server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [[ -s "$OUT/proposals.port" ]] && break; sleep 0.1; done
[[ -s "$OUT/proposals.port" ]] || die "the server did not start (see $OUT/proposals-server.log)"
URL="http://127.0.0.1:$(cat "$OUT/proposals.port")"
BASE=/v1/collectivities/$SLUG
LIST=$BASE/processes/$PID/proposals

# Items in a JSON array body (file $1); nothing if it is not one.
items() {
	psql -X -At "$PARTICIPE_DATABASE_URL" -v body="$(cat "$1")" 2>/dev/null <<'SQL' || true
SELECT CASE WHEN json_typeof(:'body'::json) = 'array'
	THEN json_array_length(:'body'::json) END;
SQL
}
pct() { # percent-encodes $1 for a query string
	local s=$1 i c out=
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case "$c" in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# A page a few hundred items in, by following the Link headers (3 x 100).
next="$LIST?sort=recent&limit=100"
for _ in 1 2 3; do
	link=$(curl -s -o /dev/null -D - "$URL$next" | tr -d '\r' |
		sed -n 's/^[Ll]ink: *<\([^>]*\)>; *rel="next".*/\1/p')
	[[ -n "$link" ]] || die "no Link header on GET $next"
	next=$link
done
LATER_AFTER=${next##*after=}  # percent-encoded, as the server wrote it
LATER_CURSOR=$(printf '%b' "${LATER_AFTER//%/\\x}")

# name | HTTP path | SQL function call (as the server makes it, anonymous)
# | intended index (a regular expression on the plan; "-": none can serve)
LIST_SQL="api.proposal_list(NULL, '$SLUG', '$PID'"
COMMENTS_SQL="api.comment_list(NULL, '$SLUG', 'proposal', '$TID', 50"
SCENARIOS=(
	"listing|$LIST?sort=recent&limit=20|$LIST_SQL, '{\"sort\": \"recent\"}', 20, NULL)|proposals_recent_idx"
	"later page (301-320)|$LIST?sort=recent&limit=20&after=$LATER_AFTER|$LIST_SQL, '{\"sort\": \"recent\"}', 20, '$LATER_CURSOR')|proposals_recent_idx"
	"search q=$Q|$LIST?q=$Q&limit=20|$LIST_SQL, '{\"q\": \"$Q\"}', 20, NULL)|proposals_search_idx"
	"search q=$RARE (rare)|$LIST?q=$RARE&limit=20|$LIST_SQL, '{\"q\": \"$RARE\"}', 20, NULL)|proposals_search_idx"
	"sort=supports|$LIST?sort=supports&limit=20|$LIST_SQL, '{\"sort\": \"supports\"}', 20, NULL)|proposals_supports_idx"
	"sort=random|$LIST?sort=random&seed=bench42&limit=20|$LIST_SQL, '{\"sort\": \"random\", \"seed\": \"bench42\"}', 20, NULL)|-"
	"comments, first page|$BASE/proposals/$TID/comments?limit=50|$COMMENTS_SQL, NULL)|comments_thread_idx"
	"comments, last page|$BASE/proposals/$TID/comments?limit=50&after=$(pct "$DEEP_KEY")|$COMMENTS_SQL, '$DEEP_KEY')|comments_thread_idx"
)

# --- one fetch each with curl -----------------------------------------------

declare -a NAME PATHQ CALL WANT ITEMS OK
failed=0
for i in "${!SCENARIOS[@]}"; do
	IFS='|' read -r NAME[i] PATHQ[i] CALL[i] WANT[i] <<<"${SCENARIOS[i]}"
	code=$(curl -s -o "$OUT/proposals-body.json" -w '%{http_code}' \
		--max-time 60 "$URL${PATHQ[i]}" || echo 000)
	n=$(items "$OUT/proposals-body.json")
	ITEMS[i]=${n:-0}
	if [[ "$code" == 200 && -n "$n" && "$n" -gt 0 ]]; then
		OK[i]=1
	else
		OK[i]=0
		failed=1
		printf 'bench-proposals: ERROR: GET %s -> HTTP %s, %s items; body: %.300s\n' \
			"${PATHQ[i]}" "$code" "${n:-no JSON array,}" \
			"$(cat "$OUT/proposals-body.json")" >&2
	fi
done

# --- database time: each function as participe_app ---------------------------
# One session, as the server's connections are: auto_explain loaded (by the
# superuser, then SET ROLE participe_app: row level security applies) but
# silent while a DO block times the calls (6 warm-up calls, so the plan cache
# has settled between custom and generic plans, then SQL_RUNS, each phase
# stopping after ~3 s); then one call logged with its plans.

sql_script() {
	cat <<'SQL'
LOAD 'auto_explain';
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_timing = on;
SET auto_explain.log_level = 'notice';
SET auto_explain.log_min_duration = -1;
SET ROLE participe_app;
\o /dev/null
SQL
	local i
	for i in "${!NAME[@]}"; do
		cat <<SQL
DO \$\$
DECLARE
	t0 timestamptz;
	d float8[] := '{}';
	start timestamptz := clock_timestamp();
BEGIN
	FOR w IN 1..6 LOOP
		PERFORM * FROM ${CALL[i]};
		EXIT WHEN clock_timestamp() - start > interval '3 s';
	END LOOP;
	start := clock_timestamp();
	FOR r IN 1..$SQL_RUNS LOOP
		t0 := clock_timestamp();
		PERFORM * FROM ${CALL[i]};
		d := d || extract(epoch FROM clock_timestamp() - t0) * 1000;
		EXIT WHEN clock_timestamp() - start > interval '3 s';
	END LOOP;
	RAISE NOTICE 'BENCHSQL % % % %', $i, cardinality(d),
		round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
			FROM unnest(d) x)::numeric, 3),
		round((SELECT min(x) FROM unnest(d) x)::numeric, 3);
END
\$\$;
DO \$\$ BEGIN RAISE NOTICE 'BENCHPLAN $i'; END \$\$;
RESET ROLE;
SET auto_explain.log_min_duration = 0;
SET ROLE participe_app;
SELECT * FROM ${CALL[i]};
RESET ROLE;
SET auto_explain.log_min_duration = -1;
SET ROLE participe_app;
SQL
	done
}
log "timing the SQL functions (as participe_app, up to $SQL_RUNS calls each)"
sql_script | psql -X "$SUPER_URL" >"$OUT/proposals-sql.log" 2>&1 || true
# BENCHSQL lines: index runs median min. Plans: the main statement (the
# one that starts with "SELECT array_agg(") of the logged call.
declare -a DB_RUNS DB_MED DB_MIN MAIN_MS PLAN INTENDED
while read -r _ i runs med min; do
	DB_RUNS[i]=$runs DB_MED[i]=$med DB_MIN[i]=$min
done < <(sed -n 's/.*NOTICE:  BENCHSQL /BENCHSQL /p' "$OUT/proposals-sql.log")
plans=$(awk '
	/BENCHPLAN [0-9]+/ { match($0, /BENCHPLAN [0-9]+/); cur = substr($0, RSTART + 10, RLENGTH - 10) }
	/NOTICE:/ { inblk = 0 }
	/NOTICE:  duration: / { inblk = 1; main = 0; dur = $0; sub(/.*duration: /, "", dur); sub(/ ms.*/, "", dur) }
	inblk && /^Query Text: SELECT array_agg\(/ { main = 1; scans = ""; hit = ""; jit = "" }
	inblk && main {
		line = $0
		while (match(line, /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)( Backward)?( using [a-z0-9_]+)? on [a-z_]+/)) {
			s = substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH)
			if (index(scans, s) == 0) scans = scans (scans == "" ? "" : ", ") s
		}
		if (hit == "" && match($0, /Buffers: shared hit=[0-9]+/)) hit = substr($0, RSTART + 20, RLENGTH - 20)
		if ($0 ~ /^JIT:/) jit = ", JIT"
		out[cur] = dur "|" scans "; " hit " buffers" jit
	}
	END { for (k in out) print k "|" out[k] }' "$OUT/proposals-sql.log")
while IFS='|' read -r i ms plan; do
	[[ -n "$i" ]] || continue
	MAIN_MS[i]=$ms PLAN[i]=$plan
done <<<"$plans"
for i in "${!NAME[@]}"; do
	if [[ "${WANT[i]}" == - ]]; then
		INTENDED[i]="none can serve it"
	elif [[ -z "${PLAN[i]:-}" ]]; then
		INTENDED[i]="?"
	elif grep -qE "using (${WANT[i]}) " <<<"${PLAN[i]}"; then
		INTENDED[i]=yes
	else
		INTENDED[i]=NO
	fi
done
grep -E '^(psql:.*)?ERROR:' "$OUT/proposals-sql.log" | sort -u | head -5 |
	sed 's/^/bench-proposals: SQL: /' >&2 || true

# --- wrk --------------------------------------------------------------------

field() { sed -nE "s/.* $2=([0-9.]+).*/\1/p" <<<"$1"; }
ms() { awk -v u="$1" 'BEGIN { if (u == "") print "-"; else printf "%.2f", u / 1000 }'; }
declare -a RPS P50 P90 P99 NON2XX ERRS
for i in "${!NAME[@]}"; do
	if ((!OK[i])); then continue; fi
	log "wrk -t$THREADS -c$CONNS -d$DURATION GET ${PATHQ[i]}"
	wrk -t"$THREADS" -c"$CONNS" -d1s --timeout 10s "$URL${PATHQ[i]}" >/dev/null 2>&1 || true
	res=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s \
		-s tests/bench/report.lua "$URL${PATHQ[i]}" | grep '^BENCH' || true)
	RPS[i]=$(field "$res" rps)
	P50[i]=$(ms "$(field "$res" p50_us)")
	P90[i]=$(ms "$(field "$res" p90_us)")
	P99[i]=$(ms "$(field "$res" p99_us)")
	NON2XX[i]=$(field "$res" non2xx)
	e=0
	for f in err_connect err_read err_write err_timeout; do
		v=$(field "$res" $f)
		e=$((e + ${v:-0}))
	done
	ERRS[i]=$e
	[[ -n "${RPS[i]}" ]] || log "wrk gave no figures for ${PATHQ[i]}"
done

# --- report -------------------------------------------------------------------

printf '\nProposals and comments (%s proposals, %s supports, %s comments, a thread of %s; %s cores shared by wrk, server and PostgreSQL; %s workers; wrk -t%s -c%s -d%s)\n' \
	"$N_PROPOSALS" "$N_SUPPORTS" "$N_COMMENTS" "$N_THREAD" "$CORES" "$WORKERS" \
	"$THREADS" "$CONNS" "$DURATION"
printf '  seeded in %s s, VACUUM ANALYZE %s s; q=%s matches %s proposals, q=%s %s; load average before: %s\n\n' \
	"$seed_s" "$analyze_s" "$Q" "$Q_MATCHES" "$RARE" "$RARE_MATCHES" "$LOAD_BEFORE"
printf '%-24s %5s %8s %8s %8s %8s %6s %9s %9s %6s  %s\n' request items req/s \
	p50_ms p90_ms p99_ms errors db_med_ms db_min_ms db/req "main statement (ms; scans; buffers)"
num() { if [[ -n "${1:-}" && "$1" != - ]]; then printf '%s' "$1"; else printf null; fi; }
json_rows=
for i in "${!NAME[@]}"; do
	errors=$(( ${NON2XX[i]:-0} + ${ERRS[i]:-0} ))
	# db/req: the function's median time over the machine's time per
	# request (cores / req/s): the share of the work that is the database's.
	share=$(awk -v d="${DB_MED[i]:-}" -v r="${RPS[i]:-}" -v c="$CORES" \
		'BEGIN { if (d == "" || r == "" || r == 0) print "-"; else printf "%.2f", d / (c * 1000 / r) }')
	if ((OK[i])); then items_s=${ITEMS[i]}; else items_s=ERROR; fi
	printf '%-24s %5s %8s %8s %8s %8s %6s %9s %9s %6s  %s (intended index: %s)\n' \
		"${NAME[i]}" "$items_s" "${RPS[i]:--}" "${P50[i]:--}" "${P90[i]:--}" \
		"${P99[i]:--}" "$( ((OK[i])) && echo "$errors" || echo -)" \
		"${DB_MED[i]:--}" "${DB_MIN[i]:--}" "$share" \
		"${MAIN_MS[i]:--}; ${PLAN[i]:--}" "${INTENDED[i]}"
	json_rows+=$(printf '%s\n    {"name": "%s", "path": "%s", "ok": %s, "items": %s, "rps": %s, "p50_ms": %s, "p90_ms": %s, "p99_ms": %s, "errors": %s, "db_runs": %s, "db_median_ms": %s, "db_min_ms": %s, "db_share": %s, "main_statement_ms": %s, "main_plan": "%s", "intended_index": "%s"}' \
		"${json_rows:+,}" "${NAME[i]}" "${PATHQ[i]}" \
		"$( ((OK[i])) && echo true || echo false)" "${ITEMS[i]}" \
		"$(num "${RPS[i]:-}")" "$(num "${P50[i]:-}")" "$(num "${P90[i]:-}")" \
		"$(num "${P99[i]:-}")" "$( ((OK[i])) && echo "$errors" || echo null)" \
		"$(num "${DB_RUNS[i]:-}")" "$(num "${DB_MED[i]:-}")" \
		"$(num "${DB_MIN[i]:-}")" "$(num "$share")" "$(num "${MAIN_MS[i]:-}")" \
		"${PLAN[i]:-}" "${INTENDED[i]}")
done
cat <<REPORT

  items: of the page fetched once with curl. db_med/db_min: api.proposal_list
  or api.comment_list as participe_app, median and best of ${SQL_RUNS} calls after
  6 warm-up calls (no HTTP). db/req: db_med / (cores / req/s), the share of the
  machine's time per request spent in that function. main statement: the
  plan auto_explain logged for the function's page query. Logs: $OUT/proposals-*.
REPORT
if grep -q '^search.*NO' <<<"$(for i in "${!NAME[@]}"; do echo "${NAME[i]} ${INTENDED[i]}"; done)"; then
	cat <<'NOTE'
  search: proposals_search_idx is not used. Row level security keeps
  operators that are not leakproof (tsvector @@ tsquery is not) out of index
  conditions, so the search walks the sort's index and tests each row:
  cheap for a common word, every proposal of the process for a rare one.
NOTE
fi
printf '{"proposals": %s, "supports": %s, "comments": %s, "thread": %s, "seed_s": %s, "analyze_s": %s, "q": "%s", "q_matches": %s, "rare_q": "%s", "rare_q_matches": %s, "load_before": "%s",\n "wrk": {"threads": %s, "connections": %s, "duration": "%s"}, "workers": %s, "cores": %s,\n "requests": [%s\n ]}\n' \
	"$N_PROPOSALS" "$N_SUPPORTS" "$N_COMMENTS" "$N_THREAD" "$seed_s" \
	"$analyze_s" "$Q" "$Q_MATCHES" "$RARE" "$RARE_MATCHES" "$LOAD_BEFORE" "$THREADS" "$CONNS" "$DURATION" \
	"$WORKERS" "$CORES" "$json_rows" >"$OUT/proposals.json"
if ((failed)); then
	log "some requests failed (above): their rows have no figures"
	exit 1
fi
