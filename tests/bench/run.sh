#!/usr/bin/env bash
# tests/bench/run.sh - load figures for the participe server (make bench).
#
# Prints figures and writes them to var/bench/results.json; asserts nothing.
# Exits 0 unless something could not be built or started at all.
# See tests/bench/README.md for what is measured and how to read it.
#
# Assumes bin/participe is built (make bench runs make first) and that
# deploy/pg.sh can start a private PostgreSQL (stopped again at the end if it
# was not already running).
#
# Settings (environment):
#   BENCH_DURATION     wrk duration per run            (default 10s)
#   BENCH_CONNECTIONS  wrk connections                 (default 64)
#   BENCH_THREADS      wrk threads                     (default 2)
#   BENCH_WARMUP       warm-up duration before each run (default 2s)
#   BENCH_WORKERS      workers of both servers         (default 2)
#   BENCH_IDLE_CONNS   idle keep-alive connections     (default 10000)
#   BENCH_IDLE_SECONDS how long they are held          (default 5)
#   BENCH_ROUNDS       rounds of the 4 wrk runs; the median round is
#                      reported, all are logged        (default 1)
# For testing this script itself (defaults are the real ones):
#   BENCH_PARTICIPE    server binary                   (bin/participe)
#   BENCH_PG_SCRIPT    PostgreSQL script               (deploy/pg.sh)
#   BENCH_PG_ENV       env file it writes              (var/pg/env)
#   BENCH_PG_KEEP=1    leave PostgreSQL running even if started here
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

HERE=tests/bench
OUT=var/bench
PARTICIPE=${BENCH_PARTICIPE:-bin/participe}
PG_SCRIPT=${BENCH_PG_SCRIPT:-deploy/pg.sh}
PG_ENV=${BENCH_PG_ENV:-var/pg/env}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2s}
WORKERS=${BENCH_WORKERS:-2}
IDLE_CONNS=${BENCH_IDLE_CONNS:-10000}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-1}
HOST=127.0.0.1

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# --- settings -------------------------------------------------------------

# wrk durations: N, Ns, Nm or Nh. Prints the number of seconds.
duration_seconds() {
	local d=$1
	[[ "$d" =~ ^([0-9]+)([smh]?)$ ]] || return 1
	local n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]}
	case "$u" in
	m) n=$((n * 60)) ;;
	h) n=$((n * 3600)) ;;
	esac
	((n >= 1 && n <= 3600)) || return 1
	printf '%d\n' "$n"
}
is_uint() { [[ "$1" =~ ^[0-9]+$ ]] && (($1 >= ${2:-0} && $1 <= ${3:-1000000})); }

DURATION_S=$(duration_seconds "$DURATION") ||
	die "BENCH_DURATION must be like 10s, 1m (1s..1h): $DURATION"
WARMUP_S=$(duration_seconds "$WARMUP") ||
	die "BENCH_WARMUP must be like 2s (1s..1h): $WARMUP"
is_uint "$CONNECTIONS" 1 20000 || die "BENCH_CONNECTIONS must be 1..20000"
is_uint "$THREADS" 1 64 || die "BENCH_THREADS must be 1..64"
((THREADS <= CONNECTIONS)) || THREADS=$CONNECTIONS
is_uint "$WORKERS" 1 64 || die "BENCH_WORKERS must be 1..64"
is_uint "$IDLE_CONNS" 0 100000 || die "BENCH_IDLE_CONNS must be 0..100000"
is_uint "$IDLE_SECONDS" 1 600 || die "BENCH_IDLE_SECONDS must be 1..600"
is_uint "$ROUNDS" 1 20 || die "BENCH_ROUNDS must be 1..20"

# --- cleanup: everything started here is stopped on exit ------------------

SERVER_PID=
MINIMAL_PID=
IDLE_PID=
PG_STARTED=0

# stop_pid NAME PID: SIGTERM, wait up to 15 s, then SIGKILL. Prints how it
# ended to stderr.
stop_pid() {
	local name=$1 pid=$2 i rc=0
	[[ -n "$pid" ]] || return 0
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || rc=$?
		log "$name (pid $pid) had already exited (status $rc)"
		return 0
	fi
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name (pid $pid) still running 15 s after SIGTERM: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || rc=$?
	log "$name stopped (exit status $rc)"
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	set +e
	stop_pid idle_conns "$IDLE_PID"
	stop_pid minimal_evhttp "$MINIMAL_PID"
	stop_pid participe "$SERVER_PID"
	if ((PG_STARTED)) && [[ "${BENCH_PG_KEEP:-0}" != 1 ]]; then
		"$PG_SCRIPT" stop >>"$OUT/pg.log" 2>&1 ||
			log "warning: $PG_SCRIPT stop failed (see $OUT/pg.log)"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers ---------------------------------------------------------------

# A port nobody listens on, outside the ephemeral range.
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
free_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 12000))
		if command -v ss >/dev/null 2>&1 &&
			[[ -n "$(ss -Htln "sport = :$p" 2>/dev/null)" ]]; then
			continue
		fi
		port_in_use "$p" && continue
		printf '%d\n' "$p"
		return 0
	done
	return 1
}

# wait_http NAME PID URL: until URL answers 2xx, PID dies, or 30 s pass.
wait_http() {
	local name=$1 pid=$2 url=$3 deadline=$((SECONDS + 30))
	while ((SECONDS < deadline)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			log "$name exited before answering $url"
			return 1
		fi
		if curl -fsS -o /dev/null -m 2 "$url" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	log "$name did not answer $url within 30 s"
	return 1
}

# die_with_log LOG MESSAGE: die, showing the end of LOG.
die_with_log() {
	if [[ -s "$1" ]]; then
		log "last lines of $1:"
		tail -n 15 "$1" | sed 's/^/    /' >&2
	fi
	die "$2"
}

# Resident memory in kB of PID and all its descendants (workers may be
# processes or threads; threads share the process' VmRSS).
rss_kb() {
	local root=$1
	ps -e -o pid=,ppid= 2>/dev/null | awk -v root="$root" '
		{ parent[$1] = $2; pids[NR] = $1 }
		END {
			print root
			for (i = 1; i <= NR; i++) {
				p = pids[i]
				for (q = parent[p]; q != "" && q > 1; q = parent[q])
					if (q == root) { print p; break }
			}
		}' | while read -r p; do
		awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true
	done | awk '{ s += $1 } END { print s + 0 }'
}

threads_of() { awk '/^Threads:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# field NAME LINE: the value of NAME=value in a "BENCH k=v ..." line.
field() {
	local name=$1 line=$2 kv
	for kv in $line; do
		if [[ "$kv" == "$name="* ]]; then
			printf '%s\n' "${kv#*=}"
			return 0
		fi
	done
	printf '\n'
}

# json_num V: V if it is a number, else null.
json_num() {
	if [[ "$1" =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then
		printf '%s' "$1"
	else
		printf 'null'
	fi
}

# --- tools and build ---------------------------------------------------------

for t in wrk curl cc pkg-config ps awk timeout; do
	command -v "$t" >/dev/null 2>&1 ||
		die "$t not found (make deps / deploy/install-deps.sh installs it)"
done
[[ -x "$PARTICIPE" ]] || die "$PARTICIPE not found or not executable: run make first"
[[ -x "$PG_SCRIPT" ]] || die "$PG_SCRIPT not found or not executable"

# A sanitizer build (make SANITIZE=...) is several times slower and bigger:
# its figures are flagged.
SANITIZED=false
if grep -qaE '__asan_init|__ubsan_handle|__tsan_init' "$PARTICIPE" 2>/dev/null; then
	SANITIZED=true
	log "warning: $PARTICIPE is a sanitizer build: its figures are not" \
		"representative (rebuild it without SANITIZE)"
fi

mkdir -p "$OUT"
rm -f "$OUT"/*.log "$OUT"/*.body "$OUT"/results.json

BENCH_CFLAGS="-O2 -std=c17 -Wall -Wextra -Werror"
EV_FLAGS=$(pkg-config --cflags --libs libevent libevent_pthreads) ||
	die "pkg-config does not know libevent / libevent_pthreads (libevent-dev)"
# shellcheck disable=SC2086
cc $BENCH_CFLAGS -o "$OUT/minimal_evhttp" "$HERE/minimal_evhttp.c" \
	$EV_FLAGS -lpthread || die "cannot build minimal_evhttp"
# shellcheck disable=SC2086
cc $BENCH_CFLAGS -o "$OUT/idle_conns" "$HERE/idle_conns.c" ||
	die "cannot build idle_conns"

# Both servers inherit this: 10000 idle connections need more than 1024 fds.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)
if [[ "$NOFILE" != unlimited ]] && ((NOFILE < IDLE_CONNS + 100)); then
	log "warning: open files limit is $NOFILE (hard limit); the server" \
		"may not accept $IDLE_CONNS idle connections"
fi

# --- PostgreSQL, schema and demo data ---------------------------------------

# A cluster that was already running (make run, another shell) is used and
# left running; one started here is stopped on exit.
if "$PG_SCRIPT" status >/dev/null 2>&1; then
	log "PostgreSQL already running: using it, leaving it running"
else
	log "starting PostgreSQL ($PG_SCRIPT start)"
	PG_STARTED=1
fi
"$PG_SCRIPT" start >>"$OUT/pg.log" 2>&1 ||
	die_with_log "$OUT/pg.log" "$PG_SCRIPT start failed"
[[ -r "$PG_ENV" ]] || die "$PG_SCRIPT start did not write $PG_ENV"
set -a
# shellcheck disable=SC1090
. "$PG_ENV"
set +a

log "migrate and seed-demo"
"$PARTICIPE" migrate >>"$OUT/setup.log" 2>&1 ||
	die_with_log "$OUT/setup.log" "$PARTICIPE migrate failed"
if ! "$PARTICIPE" seed-demo >>"$OUT/setup.log" 2>&1; then
	log "warning: $PARTICIPE seed-demo failed (see $OUT/setup.log);" \
		"going on with whatever data is there"
fi

# --- the two servers ---------------------------------------------------------

PORT=$(free_port) || die "no free port found"
log "starting participe on $HOST:$PORT ($WORKERS workers)"
PARTICIPE_LISTEN=$HOST:$PORT \
	PARTICIPE_WORKERS=$WORKERS \
	PARTICIPE_ACCESS_LOG=off \
	PARTICIPE_IDLE_TIMEOUT=120s \
	PARTICIPE_MAX_CONNECTIONS=20000 \
	"$PARTICIPE" serve >>"$OUT/participe.log" 2>&1 &
SERVER_PID=$!
wait_http participe "$SERVER_PID" "http://$HOST:$PORT/readyz" ||
	die_with_log "$OUT/participe.log" "participe did not become ready"

P_URL=http://$HOST:$PORT
# fetch PATH NAME: body into $OUT/NAME.body; prints "STATUS CONTENT-TYPE".
fetch() {
	curl -sS -m 10 -o "$OUT/$2.body" -w '%{http_code} %{content_type}' \
		"$P_URL$1" 2>>"$OUT/setup.log" || true
}
HEALTHZ_STATUS='' HEALTHZ_TYPE='' LIST_STATUS='' LIST_TYPE=''
read -r HEALTHZ_STATUS HEALTHZ_TYPE < <(fetch /healthz healthz) || true
read -r LIST_STATUS LIST_TYPE < <(fetch /v1/collectivities collectivities) || true
[[ "$HEALTHZ_STATUS" == 200 ]] ||
	die "GET /healthz on participe answered ${HEALTHZ_STATUS:-nothing}"
if [[ "$LIST_STATUS" != 200 ]]; then
	log "warning: GET /v1/collectivities on participe answered" \
		"${LIST_STATUS:-nothing}; benchmarking it anyway (minimal_evhttp" \
		"will answer 200 with that body)"
	[[ -f "$OUT/collectivities.body" ]] || : >"$OUT/collectivities.body"
fi
HEALTHZ_BYTES=$(wc -c <"$OUT/healthz.body")
LIST_BYTES=$(wc -c <"$OUT/collectivities.body")
log "bodies: /healthz $HEALTHZ_BYTES bytes ($HEALTHZ_TYPE)," \
	"/v1/collectivities $LIST_BYTES bytes ($LIST_TYPE)"

# participe's extra response headers (X-Request-Id, ...), to be sent by
# minimal_evhttp too with the same values, so both put the same bytes on the
# wire. Date, Content-Length and Content-Type it makes itself.
# extra_headers PATH OPTION: prints OPTION and "Name: value", NUL-separated.
extra_headers() {
	curl -sS -m 10 -D - -o /dev/null "$P_URL$1" 2>/dev/null | tr -d '\r' |
		awk -v opt="$2" 'NR > 1 && /:/ {
			n = tolower(substr($0, 1, index($0, ":") - 1))
			if (n ~ /^(date|content-length|content-type|connection|keep-alive|transfer-encoding)$/)
				next
			printf "%s%c%s%c", opt, 0, $0, 0
		}' || true
}
mapfile -d '' -t HEADER_ARGS < <(extra_headers /healthz --healthz-header;
	extra_headers /v1/collectivities --list-header)

MPORT=$(free_port) || die "no free port found"
log "starting minimal_evhttp on $HOST:$MPORT ($WORKERS workers)"
"$OUT/minimal_evhttp" -l "$HOST:$MPORT" -w "$WORKERS" \
	--healthz-body "$OUT/healthz.body" --healthz-type "${HEALTHZ_TYPE:-application/json}" \
	--list-body "$OUT/collectivities.body" --list-type "${LIST_TYPE:-application/json}" \
	"${HEADER_ARGS[@]}" \
	>>"$OUT/minimal.log" 2>&1 &
MINIMAL_PID=$!
M_URL=http://$HOST:$MPORT
wait_http minimal_evhttp "$MINIMAL_PID" "$M_URL/healthz" ||
	die_with_log "$OUT/minimal.log" "minimal_evhttp did not start"

# Same bytes from both? The bodies must be equal; the header sizes should be
# too (only their order differs): they are printed, the headers logged.
for ep in healthz v1/collectivities; do
	name=${ep##*/}
	curl -sS -m 10 -o "$OUT/$name.minimal.body" "$M_URL/$ep" 2>/dev/null || true
	if ! cmp -s "$OUT/$name.body" "$OUT/$name.minimal.body"; then
		log "warning: /$ep bodies differ between the servers"
	fi
	ph=$(curl -sS -m 10 -o /dev/null -w '%{size_header}' "$P_URL/$ep" 2>/dev/null || true)
	mh=$(curl -sS -m 10 -o /dev/null -w '%{size_header}' "$M_URL/$ep" 2>/dev/null || true)
	log "/$ep response headers: participe ${ph:-?} bytes," \
		"minimal_evhttp ${mh:-?} bytes (see $OUT/headers.log)"
	{
		echo "== participe /$ep"
		curl -sS -m 10 -D - -o /dev/null "$P_URL/$ep" || true
		echo "== minimal_evhttp /$ep"
		curl -sS -m 10 -D - -o /dev/null "$M_URL/$ep" || true
	} >>"$OUT/headers.log" 2>&1
done

# --- throughput and latency --------------------------------------------------

ENDPOINTS=(healthz collectivities)
declare -A PATH_OF=([healthz]=/healthz [collectivities]=/v1/collectivities)
declare -A URL_OF=([participe]=$P_URL [minimal]=$M_URL)
declare -A PID_OF=([participe]=$SERVER_PID [minimal]=$MINIMAL_PID)
SERVERS=(participe minimal)
declare -A RES    # RES[endpoint/server] = the median round's BENCH line
declare -A ROUND  # ROUND[endpoint/server/round] = that round's BENCH line
declare -A RPS_ALL # RPS_ALL[endpoint/server] = req/s of every round

# bench_one ENDPOINT SERVER ROUND: warm-up, then the measured wrk run.
bench_one() {
	local ep=$1 srv=$2 r=$3 url out
	url=${URL_OF[$srv]}${PATH_OF[$ep]}
	ROUND[$ep/$srv/$r]=
	if ! kill -0 "${PID_OF[$srv]}" 2>/dev/null; then
		log "$srv is not running: skipping $ep"
		return 0
	fi
	timeout -k 5 $((WARMUP_S + 30)) \
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" \
		"$url" >/dev/null 2>&1 || true
	out="$OUT/wrk.$ep.$srv.r$r.log"
	if ! timeout -k 5 $((DURATION_S + 60)) \
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" \
		--latency -s "$HERE/report.lua" "$url" >"$out" 2>&1; then
		log "warning: wrk failed on $srv $ep (see $out)"
	fi
	ROUND[$ep/$srv/$r]=$(grep -m1 '^BENCH ' "$out" || true)
	log "round $r: $ep $srv: $(field rps "${ROUND[$ep/$srv/$r]}") req/s"
}

log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up)," \
	"$ROUNDS round(s), on each endpoint and server;" \
	"$(nproc) CPUs shared by wrk and server"
for ((r = 1; r <= ROUNDS; r++)); do
	# Alternate which server goes first, so order effects even out.
	order=(participe minimal)
	((r % 2)) || order=(minimal participe)
	for ep in "${ENDPOINTS[@]}"; do
		for srv in "${order[@]}"; do
			bench_one "$ep" "$srv" "$r"
		done
	done
done

# Keep the round with the median req/s (the lower middle one if even).
for ep in "${ENDPOINTS[@]}"; do
	for srv in "${SERVERS[@]}"; do
		RES[$ep/$srv]=
		RPS_ALL[$ep/$srv]=
		ranked=()
		for ((r = 1; r <= ROUNDS; r++)); do
			line=${ROUND[$ep/$srv/$r]}
			[[ -n "$line" ]] || continue
			RPS_ALL[$ep/$srv]+="${RPS_ALL[$ep/$srv]:+ }$(field rps "$line")"
			ranked+=("$(field rps "$line") $r")
		done
		((${#ranked[@]} > 0)) || continue
		mapfile -t ranked < <(printf '%s\n' "${ranked[@]}" | sort -g)
		mid=${ranked[$(((${#ranked[@]} - 1) / 2))]}
		RES[$ep/$srv]=${ROUND[$ep/$srv/${mid#* }]}
	done
done

for srv in "${SERVERS[@]}"; do
	if ! kill -0 "${PID_OF[$srv]}" 2>/dev/null; then
		log "warning: $srv exited during the bench (see $OUT/$srv.log)"
	fi
done

# --- idle keep-alive connections --------------------------------------------

RSS_BEFORE=$(rss_kb "$SERVER_PID")
RSS_DURING=
IDLE_HEALTHZ=
IDLE_RESULT=
if ((IDLE_CONNS > 0)) && kill -0 "$SERVER_PID" 2>/dev/null; then
	log "idle: $IDLE_CONNS keep-alive connections held for ${IDLE_SECONDS}s"
	idle_out="$OUT/idle_conns.out"
	: >"$idle_out"
	timeout -k 5 $((IDLE_SECONDS + 150)) \
		"$OUT/idle_conns" -n "$IDLE_CONNS" -s "$IDLE_SECONDS" -t 120 \
		"$HOST:$PORT" >"$idle_out" 2>>"$OUT/idle_conns.log" &
	IDLE_PID=$!
	# Wait for the idle phase (setup is bounded by -t 120).
	for ((i = 0; i < 1300; i++)); do
		grep -q '^HOLDING ' "$idle_out" && break
		kill -0 "$IDLE_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q '^HOLDING ' "$idle_out"; then
		sleep 0.5 # let the workers settle
		RSS_DURING=$(rss_kb "$SERVER_PID")
		IDLE_HEALTHZ=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
			"$P_URL/healthz" 2>/dev/null || true)
	else
		log "warning: idle_conns never reached the idle phase" \
			"(see $OUT/idle_conns.log)"
	fi
	rc=0
	wait "$IDLE_PID" || rc=$?
	IDLE_PID=
	((rc == 0)) || log "warning: idle_conns exited with status $rc"
	IDLE_RESULT=$(grep -m1 '^RESULT ' "$idle_out" || true)
fi

# --- report ------------------------------------------------------------------

fmt_us() { # microseconds -> "1.23ms" / "850us"
	[[ -n "$1" ]] || {
		printf '%s' -
		return
	}
	awk -v u="$1" 'BEGIN { if (u >= 1000) printf "%.2fms", u / 1000;
		else printf "%dus", u }'
}

echo
echo "Participe bench: wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback," \
	"$WORKERS workers each, $(nproc) CPUs shared by wrk and server"
echo "  bodies: /healthz $HEALTHZ_BYTES bytes, /v1/collectivities $LIST_BYTES bytes"
if [[ "$SANITIZED" == true ]]; then
	echo "  WARNING: $PARTICIPE is a sanitizer build (ASan/UBSan): slower and" \
		"bigger than a release build; these figures are not representative"
fi
if ((ROUNDS > 1)); then
	echo "  $ROUNDS rounds, servers alternating first; each row is the median round"
else
	echo "  one round: differences of 10-25% can be run-to-run noise on a small" \
		"machine (BENCH_ROUNDS=3 reports medians)"
fi
echo
printf '%-16s %-16s %10s %9s %9s %9s %8s %s\n' \
	endpoint server req/s p50 p90 p99 non-2xx notes
for ep in "${ENDPOINTS[@]}"; do
	for srv in "${SERVERS[@]}"; do
		line=${RES[$ep/$srv]}
		name=$srv
		[[ "$srv" == minimal ]] && name="minimal evhttp"
		if [[ -z "$line" ]]; then
			printf '%-16s %-16s %10s %9s %9s %9s %8s %s\n' \
				"$ep" "$name" - - - - - "FAILED (no wrk result)"
			continue
		fi
		sockerr=$(($(field err_connect "$line") + $(field err_read "$line") +
			$(field err_write "$line") + $(field err_timeout "$line")))
		non2xx=$(field non2xx "$line")
		notes=
		((non2xx == 0)) || notes="ERRORS: $non2xx non-2xx responses"
		((sockerr == 0)) || notes="${notes:+$notes; }ERRORS: $sockerr socket errors"
		row=$(printf '%-16s %-16s %10.0f %9s %9s %9s %8s %s' \
			"$ep" "$name" "$(field rps "$line")" \
			"$(fmt_us "$(field p50_us "$line")")" \
			"$(fmt_us "$(field p90_us "$line")")" \
			"$(fmt_us "$(field p99_us "$line")")" \
			"$non2xx" "$notes")
		printf '%s\n' "${row% }"
	done
done
if ((ROUNDS > 1)); then
	echo
	echo "req/s of every round:"
	for ep in "${ENDPOINTS[@]}"; do
		for srv in "${SERVERS[@]}"; do
			printf '  %-16s %-10s %s\n' "$ep" "$srv" "${RPS_ALL[$ep/$srv]:--}"
		done
	done
fi
echo

declare -A RATIO
for ep in "${ENDPOINTS[@]}"; do
	p=$(field rps "${RES[$ep/participe]}")
	m=$(field rps "${RES[$ep/minimal]}")
	if [[ -n "$p" && -n "$m" ]]; then
		RATIO[$ep]=$(awk -v p="$p" -v m="$m" \
			'BEGIN { if (m > 0) printf "%.2f", p / m }')
		printf '%s: participe %.0f req/s vs minimal evhttp %.0f req/s = %s\n' \
			"$ep" "$p" "$m" "${RATIO[$ep]:-n/a}"
	else
		RATIO[$ep]=
		echo "$ep: ratio n/a (a run failed)"
	fi
done
echo

IDLE_USED=$(field used "$IDLE_RESULT")
IDLE_OPEN=$(field open_at_end "$IDLE_RESULT")
IDLE_CLOSED=$(field closed_by_peer "$IDLE_RESULT")
IDLE_FAILED=$(field failed "$IDLE_RESULT")
PER_CONN=
if ((IDLE_CONNS == 0)); then
	echo "idle connections: skipped (BENCH_IDLE_CONNS=0)"
elif [[ -n "$RSS_DURING" && -n "$IDLE_USED" ]] && ((IDLE_USED > 0)); then
	PER_CONN=$(((RSS_DURING - RSS_BEFORE) * 1024 / IDLE_USED))
	echo "idle keep-alive connections (participe, $WORKERS workers," \
		"threads: $(threads_of "$SERVER_PID")):"
	printf '  %-32s %9d kB\n' "RSS before" "$RSS_BEFORE"
	printf '  %-32s %9d kB  (+%d kB)\n' "RSS with $IDLE_USED idle connections" \
		"$RSS_DURING" "$((RSS_DURING - RSS_BEFORE))"
	printf '  %-32s %9d bytes\n' "per connection" "$PER_CONN"
	printf '  opened and used %s of %s; still open after %ss: %s' \
		"$IDLE_USED" "$IDLE_CONNS" "$IDLE_SECONDS" "${IDLE_OPEN:-?}"
	((${IDLE_CLOSED:-0} == 0)) || printf ', closed by server: %s' "$IDLE_CLOSED"
	((${IDLE_FAILED:-0} == 0)) || printf ', failed to open/use: %s' "$IDLE_FAILED"
	printf '\n'
	if [[ "$IDLE_HEALTHZ" == 200 ]]; then
		echo "  /healthz during it: 200 OK"
	else
		echo "  /healthz during it: FAILED (status ${IDLE_HEALTHZ:-none})"
	fi
elif [[ -z "$IDLE_RESULT" && -z "$RSS_DURING" ]] &&
	! kill -0 "$SERVER_PID" 2>/dev/null; then
	echo "idle connections: not run, participe is not running (see $OUT/participe.log)"
else
	echo "idle connections: FAILED (see $OUT/idle_conns.log)" \
		"${IDLE_RESULT:+- $IDLE_RESULT}"
fi

# --- results.json ------------------------------------------------------------

{
	printf '{\n'
	printf '  "generated_at": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf '  "commit": "%s",\n' "$(git rev-parse --short HEAD 2>/dev/null || echo none)"
	printf '  "cpus": %d,\n' "$(nproc)"
	printf '  "wrk": {"threads": %d, "connections": %d, "duration_s": %d, "warmup_s": %d},\n' \
		"$THREADS" "$CONNECTIONS" "$DURATION_S" "$WARMUP_S"
	printf '  "workers": %d,\n' "$WORKERS"
	printf '  "participe_sanitizer_build": %s,\n' "$SANITIZED"
	printf '  "rounds": %d,\n' "$ROUNDS"
	printf '  "body_bytes": {"healthz": %d, "collectivities": %d},\n' \
		"$HEALTHZ_BYTES" "$LIST_BYTES"
	printf '  "runs": [\n'
	sep=
	for ep in "${ENDPOINTS[@]}"; do
		for srv in "${SERVERS[@]}"; do
			line=${RES[$ep/$srv]}
			printf '%s    {"endpoint": "%s", "server": "%s", "ok": %s' \
				"$sep" "$ep" "$srv" "$([[ -n "$line" ]] && echo true || echo false)"
			for f in rps requests p50_us p90_us p99_us max_us mean_us \
				non2xx err_connect err_read err_write err_timeout; do
				printf ', "%s": %s' "$f" "$(json_num "$(field "$f" "$line")")"
			done
			rounds_json=
			for v in ${RPS_ALL[$ep/$srv]}; do
				rounds_json+="${rounds_json:+, }$(json_num "$v")"
			done
			printf ', "rps_rounds": [%s]}' "$rounds_json"
			sep=$',\n'
		done
	done
	printf '\n  ],\n'
	printf '  "ratio_rps_participe_over_minimal": {"healthz": %s, "collectivities": %s},\n' \
		"$(json_num "${RATIO[healthz]}")" "$(json_num "${RATIO[collectivities]}")"
	printf '  "idle": {"requested": %d, "held_s": %d, "used": %s, "open_at_end": %s,' \
		"$IDLE_CONNS" "$IDLE_SECONDS" "$(json_num "$IDLE_USED")" "$(json_num "$IDLE_OPEN")"
	printf ' "closed_by_server": %s, "failed": %s,' \
		"$(json_num "$IDLE_CLOSED")" "$(json_num "$IDLE_FAILED")"
	printf ' "rss_before_kb": %s, "rss_during_kb": %s, "bytes_per_conn": %s,' \
		"$(json_num "$RSS_BEFORE")" "$(json_num "$RSS_DURING")" "$(json_num "$PER_CONN")"
	printf ' "healthz_during": %s}\n' "$(json_num "$IDLE_HEALTHZ")"
	printf '}\n'
} >"$OUT/results.json"
echo
echo "results: $OUT/results.json (logs in $OUT/)"

# Stop everything now so their exit is reported before we finish.
stop_pid minimal_evhttp "$MINIMAL_PID"
MINIMAL_PID=
stop_pid participe "$SERVER_PID"
SERVER_PID=
