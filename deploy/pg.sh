#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for Participe development and tests.
#
#   deploy/pg.sh start|stop|restart|status|env|psql [args]|destroy
#
# Layout (relative to the repository root, the parent of this script's dir):
#   var/pg/data                 data directory (mode 0700)
#   var/pg/run                  unix socket directory
#   var/pg/log/postgresql.log   server log
#   var/pg/env                  sh-sourceable environment (see write_env)
#
# Authentication: trust on the unix socket (any local user may connect as any
# role: this is a private dev/test cluster, never a production one),
# scram-sha-256 on 127.0.0.1 (roles have no password unless a test sets one).
# Replication connections are allowed the same way (local socket, 127.0.0.1).
# The superuser is always named "postgres", whatever the OS user.
#
# Running as root: PostgreSQL refuses to run as root, so initdb, pg_ctl and the
# server run as the unprivileged system user "participe" (created if missing).
# That user must be able to reach var/pg. When it cannot traverse the path to
# the repository (e.g. a checkout under a 0700 home directory), or when the
# socket path would exceed the unix socket path limit (~107 bytes) or hold
# characters unsafe in postgresql.conf (as root or not), the whole
# cluster lives in /tmp/participe-pg-<hash of the repo path> instead and var/pg
# is a symlink to it, so every var/pg/... path keeps working. The socket path
# written to var/pg/env is then the physical /tmp one.
#
# Exit codes: 0 ok; 1 error; 2 usage; status: 0 running, 3 not running.
set -euo pipefail

umask 022

die() {
    printf 'pg: error: %s\n' "$*" >&2
    exit 1
}
say() { printf 'pg: %s\n' "$*" >&2; }

usage() {
    echo "usage: deploy/pg.sh start|stop|restart|status|env|psql [args]|destroy" >&2
    exit 2
}

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
VAR="$ROOT/var"
PGBASE="$VAR/pg"
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
LOCKFILE="$VAR/.pg.lock"
TMP_FALLBACK="/tmp/participe-pg-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
PG_OS_USER=participe

# Connection settings from the caller's environment must not redirect our own
# pg_ctl/psql calls to another server.
unset PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGOPTIONS PGPASSWORD PGPASSFILE

if [[ "$(id -u)" -eq 0 ]]; then IS_ROOT=1; else IS_ROOT=0; fi

# Paths below var/pg, set by set_paths once var/pg exists. BASE is the
# physical directory behind var/pg (the /tmp fallback when var/pg is a link).
BASE="" DATA="" RUN="" LOGDIR="" LOGFILE="" ENVFILE=""
set_paths() {
    BASE=$(cd -- "$PGBASE" && pwd -P)
    DATA="$BASE/data"
    RUN="$BASE/run"
    LOGDIR="$BASE/log"
    LOGFILE="$LOGDIR/postgresql.log"
    ENVFILE="$BASE/env"
}

# Run a command as the OS user owning the cluster, from / (the caller's
# directory may be unreadable to it), with no file descriptor open beyond
# 0-2: a postmaster started from here must not inherit, and keep open for its
# whole life, our flock (fd 9) nor any pipe of whoever called us (a test
# harness waiting for EOF on it would hang).
as_pg() {
    (
        cd /
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            if [[ "$fd" =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-"; fi
        done
        if ((IS_ROOT)); then
            exec runuser -u "$PG_OS_USER" -- "$@"
        else
            exec "$@"
        fi
    )
}

pg_ctl() { as_pg "$PG_BINDIR/pg_ctl" "$@"; }

check_binaries() {
    local b
    for b in initdb pg_ctl postgres psql pg_isready; do
        [[ -x "$PG_BINDIR/$b" ]] ||
            die "$PG_BINDIR/$b not found (run deploy/install-deps.sh, or set PG_BINDIR)"
    done
}

ensure_os_user() {
    ((IS_ROOT)) || return 0
    getent passwd "$PG_OS_USER" >/dev/null && return 0
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER" ||
        die "could not create system user $PG_OS_USER"
    say "created system user $PG_OS_USER (PostgreSQL does not run as root)"
}

# chown to the cluster's OS user when root (no-op otherwise).
own() {
    if ((IS_ROOT)); then chown "$PG_OS_USER:" "$@"; fi
}

# Does var/pg exist (as a directory, or a symlink to one)?
have_cluster_dir() { [[ -d "$PGBASE" ]]; }

# Why var/pg cannot be a plain directory (empty if it can).
fallback_reason() {
    local sock="$VAR/pg/run/.s.PGSQL.65535"
    if ((${#sock} > 107)); then
        echo "the socket path under $ROOT would exceed the unix socket limit"
    elif [[ ! "$ROOT" =~ ^[A-Za-z0-9/._+~@:=-]+$ ]]; then
        echo "the path $ROOT has characters unsafe in PostgreSQL settings"
    elif ((IS_ROOT)) && ! runuser -u "$PG_OS_USER" -- test -x "$VAR"; then
        echo "user $PG_OS_USER cannot traverse $VAR"
    fi
}

# Create the /tmp fallback directory, refusing one that is not ours.
make_tmp_dir() {
    local dir=$1 owner
    mkdir -m 0755 -- "$dir" 2>/dev/null || true
    [[ -d "$dir" && ! -L "$dir" ]] || die "cannot create directory $dir"
    owner=$(stat -c %U -- "$dir")
    if [[ "$owner" != "$(id -un)" ]] && ! { ((IS_ROOT)) && [[ "$owner" == "$PG_OS_USER" ]]; }; then
        die "$dir exists and belongs to $owner; remove it"
    fi
}

# Create var/pg (or the /tmp fallback and the var/pg symlink) and its
# subdirectories with the right owners and modes. Idempotent.
ensure_layout() {
    local reason target d
    if [[ -L "$PGBASE" && ! -e "$PGBASE" ]]; then
        # Dangling symlink: the /tmp fallback was wiped (reboot): start afresh.
        target=$(readlink -- "$PGBASE")
        [[ "$target" == /tmp/participe-pg-* ]] || die "$PGBASE is a dangling symlink to $target"
        make_tmp_dir "$target"
    elif [[ ! -e "$PGBASE" ]]; then
        reason=$(fallback_reason)
        if [[ -n "$reason" ]]; then
            make_tmp_dir "$TMP_FALLBACK"
            ln -s -- "$TMP_FALLBACK" "$PGBASE"
            say "$reason: the cluster lives in $TMP_FALLBACK (var/pg is a symlink to it)"
        else
            mkdir -m 0755 -- "$PGBASE"
        fi
    fi
    have_cluster_dir || die "$PGBASE is not a directory"
    set_paths
    if ((IS_ROOT)); then
        own "$BASE"
        runuser -u "$PG_OS_USER" -- test -x "$BASE" ||
            die "user $PG_OS_USER cannot reach $BASE; run 'deploy/pg.sh destroy' and start again"
    else
        [[ -O "$BASE" ]] ||
            die "$BASE belongs to another user (created as root?); run 'deploy/pg.sh destroy' as that user"
    fi
    for d in "$RUN" "$LOGDIR"; do
        [[ -d "$d" ]] || mkdir -m 0755 -- "$d"
    done
    [[ -d "$DATA" ]] || mkdir -m 0700 -- "$DATA"
    chmod 0700 "$DATA"
    own "$RUN" "$LOGDIR" "$DATA"
    if [[ -e "$LOGFILE" ]]; then own "$LOGFILE"; fi
}

# ---------------------------------------------------------------- processes

# Is $1 the pid of a live process (not a zombie: a killed postmaster lingers
# as one until reaped)?
pid_alive() {
    local stat
    [[ "$1" =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # the state letter follows "pid (comm) "
    [[ "${stat:0:1}" != [ZX] ]]
}

# Is $1 the pid of a live PostgreSQL process?
pid_is_postgres() {
    pid_alive "$1" && [[ "$(cat "/proc/$1/comm" 2>/dev/null || true)" == postgres ]]
}

# PID of our postmaster if it is running, from postmaster.pid. The pid file of
# a crashed server may name a dead process or, pids being reused (container
# restarts), an unrelated live one. The postmaster's working directory is its
# data directory, which identifies it; when /proc does not let us see that
# (another user's process), a live "postgres" process is taken as ours.
running_pid() {
    local pid cwd
    [[ -n "$DATA" && -f "$DATA/postmaster.pid" ]] || return 1
    pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
    pid_alive "$pid" || return 1
    if cwd=$(readlink -- "/proc/$pid/cwd" 2>/dev/null); then
        [[ "$cwd" == "$DATA" ]] || return 1
    else
        pid_is_postgres "$pid" || return 1
    fi
    echo "$pid"
}

is_running() {
    local port rc=0
    if [[ -n "$DATA" && -d "$DATA" && ! -x "$DATA" ]]; then
        # Another user's cluster (e.g. root's, run as participe): its data
        # directory is closed to us, so ask the server itself. pg_isready:
        # 0 accepting, 1 rejecting (starting up or shutting down), 2 no answer.
        port=$(saved_port)
        [[ -n "$port" ]] || return 1
        "$PG_BINDIR/pg_isready" -q -h "$RUN" -p "$port" -t 5 || rc=$?
        ((rc == 0 || rc == 1))
        return
    fi
    running_pid >/dev/null
}

# Our server is known not to be running. A postmaster.pid naming a dead
# process is dealt with by the postmaster itself (which also checks that no
# orphaned backend still uses the old shared memory), so leave it. One naming
# a live process (pid reused after a crash or a container restart) or a
# zombie (a killed postmaster not reaped yet) would make it refuse to start:
# give a zombie 10 s to be reaped (its backends exit meanwhile), then remove
# the file.
clear_stale_pidfile() {
    local f="$DATA/postmaster.pid" pid i
    [[ -f "$f" ]] || return 0
    pid=$(head -n 1 "$f" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ && -e "/proc/$pid" ]] || return 0
    for ((i = 0; i < 100; i++)); do
        pid_alive "$pid" && break
        [[ -e "/proc/$pid" ]] || return 0
        sleep 0.1
    done
    say "removing stale postmaster.pid (pid $pid is not this cluster's server)"
    rm -f -- "$f"
}

# ---------------------------------------------------------------- ports

# Can a server listen on 127.0.0.1:$1? Tried for real the way the postmaster
# does it (bind with SO_REUSEADDR, listen) with perl (perl-base is Essential
# in Debian): `ss -ltn` misses ports held by client sockets, e.g. TIME-WAIT
# ones left by a load test, which make the postmaster's bind fail too.
tcp_port_free() {
    local port=$1
    if command -v perl >/dev/null 2>&1; then
        perl -MSocket -e '
            socket(my $s, PF_INET, SOCK_STREAM, 0) or exit 2;
            setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1) or exit 2;
            bind($s, pack_sockaddr_in($ARGV[0], inet_aton("127.0.0.1"))) or exit 1;
            listen($s, 1) or exit 1;
            exit 0;' "$port"
    elif command -v ss >/dev/null 2>&1; then
        [[ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]]
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        return 1
    fi
}

# Is port $1 taken (TCP), or its socket lock in our run dir held by a live
# server (e.g. a test's replica sharing the socket directory)? A socket lock
# left by a crashed server is removed.
port_in_use() {
    local port=$1 lock pid
    lock="$RUN/.s.PGSQL.$port.lock"
    if [[ -n "$RUN" && -f "$lock" ]]; then
        pid=$(head -n 1 "$lock" 2>/dev/null || true)
        if pid_is_postgres "$pid"; then return 0; fi
        rm -f -- "$lock" "$RUN/.s.PGSQL.$port"
    fi
    if tcp_port_free "$port"; then return 1; fi
    return 0
}

# A random free port in 20000-60000, outside the kernel's ephemeral range
# (ip_local_port_range, usually 32768-60999) when that leaves enough room:
# there any outgoing connection may take the port at any time.
pick_port() {
    local i port lo=20000 hi=60000 elo=0 ehi=0 span
    if [[ -r /proc/sys/net/ipv4/ip_local_port_range ]]; then
        read -r elo ehi </proc/sys/net/ipv4/ip_local_port_range || true
    fi
    if [[ "$elo" =~ ^[0-9]+$ && "$ehi" =~ ^[0-9]+$ ]]; then
        if ((elo - lo >= 2000)); then
            hi=$((elo - 1 < hi ? elo - 1 : hi))
        elif ((hi - ehi >= 2000)); then
            lo=$((ehi + 1))
        fi
    fi
    span=$((hi - lo + 1))
    for ((i = 0; i < 100; i++)); do
        port=$((lo + (RANDOM * 32768 + RANDOM) % span))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    die "could not find a free TCP port in $lo-$hi"
}

# The port this cluster was last configured with (empty if none).
saved_port() {
    local p=""
    if [[ -f "$ENVFILE" ]]; then
        p=$(sed -n 's/^export PARTICIPE_PG_PORT=\([0-9][0-9]*\)$/\1/p' "$ENVFILE" | tail -n 1)
    fi
    if [[ -z "$p" && -f "$DATA/participe.conf" ]]; then
        p=$(sed -n 's/^port = \([0-9][0-9]*\)$/\1/p' "$DATA/participe.conf" | tail -n 1)
    fi
    echo "$p"
}

# ---------------------------------------------------------------- config

write_pg_file() { # path mode: content on stdin
    local path=$1 mode=$2 tmp
    tmp=$(mktemp -- "$path.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    own "$tmp"
    mv -f -- "$tmp" "$path"
}

write_config() {
    local port=$1
    write_pg_file "$DATA/participe.conf" 0600 <<EOF
# Written by deploy/pg.sh on every start: edits are lost (use ALTER SYSTEM).
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN'
max_connections = 200
shared_buffers = 128MB
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_senders = 5
logging_collector = off
log_destination = 'stderr'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

write_hba() {
    write_pg_file "$DATA/pg_hba.conf" 0600 <<'EOF'
# Written by deploy/pg.sh: private dev/test cluster.
# TYPE  DATABASE     USER  ADDRESS        METHOD
local   all          all                  trust
host    all          all   127.0.0.1/32   scram-sha-256
local   replication  all                  trust
host    replication  all   127.0.0.1/32   scram-sha-256
EOF
}

# Quote a value for sh: always, or (sh_quote) only when not plainly safe.
sh_quote_always() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
sh_quote() {
    if [[ "$1" =~ ^[A-Za-z0-9/._+:=@%-]+$ ]]; then
        printf '%s' "$1"
    else
        sh_quote_always "$1"
    fi
}

# Percent-encode a value for a libpq URI query parameter.
uri_encode() {
    local s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case "$c" in
        [A-Za-z0-9/._~-]) out+=$c ;;
        *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

# var/pg/env: what clients need, sourceable by sh (and `eval`).
write_env() {
    local port=$1 base tmp
    base="postgresql:///participe?host=$(uri_encode "$RUN")&port=$port&user="
    tmp=$(mktemp -- "$ENVFILE.XXXXXX")
    {
        printf 'export PARTICIPE_DATABASE_URL=%s\n' "$(sh_quote_always "${base}participe_app")"
        printf 'export PARTICIPE_MIGRATE_DATABASE_URL=%s\n' "$(sh_quote_always "${base}participe_owner")"
        printf 'export PARTICIPE_PG_SUPERUSER_URL=%s\n' "$(sh_quote_always "${base}postgres")"
        printf 'export PARTICIPE_PG_PORT=%s\n' "$port"
        printf 'export PARTICIPE_PG_HOST=%s\n' "$(sh_quote "$RUN")"
    } >"$tmp"
    chmod 0644 "$tmp"
    mv -f -- "$tmp" "$ENVFILE"
}

# psql as the cluster superuser: psql_super PORT DBNAME [psql args...]
psql_super() {
    local port=$1 db=$2
    shift 2
    "$PG_BINDIR/psql" -X -h "$RUN" -p "$port" -U postgres -d "$db" "$@"
}

# ---------------------------------------------------------------- actions

init_cluster() {
    local locale=C
    if locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8'; then locale=C.UTF-8; fi
    # A data dir without PG_VERSION is a half-done initdb: start over.
    find "$DATA" -mindepth 1 -delete
    rm -f -- "$BASE/bootstrapped"
    if ! as_pg "$PG_BINDIR/initdb" -D "$DATA" --username=postgres --encoding=UTF8 \
        --locale="$locale" --auth-local=trust --auth-host=scram-sha-256 \
        --no-instructions >"$LOGDIR/initdb.log" 2>&1; then
        tail -n 20 "$LOGDIR/initdb.log" >&2 || true
        die "initdb failed (see $LOGDIR/initdb.log)"
    fi
    printf "\n# Participe settings (port, socket, logging, replication)\ninclude 'participe.conf'\n" |
        as_pg tee -a "$DATA/postgresql.conf" >/dev/null
    write_hba
    say "created a new cluster in $DATA"
}

# Roles, database, schema rights. Idempotent; runs until it has succeeded once
# (the marker file), so a start interrupted half-way completes it next time.
bootstrap() {
    local port=$1
    if ! psql_super "$port" postgres -q -v ON_ERROR_STOP=1 >/dev/null <<'EOF'; then
SELECT 'CREATE ROLE participe_owner LOGIN NOSUPERUSER CREATEROLE'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'participe_owner') \gexec
SELECT 'CREATE ROLE participe_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'participe_app') \gexec
SELECT 'CREATE DATABASE participe OWNER participe_owner ENCODING ''UTF8'' TEMPLATE template0'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'participe') \gexec
\connect participe
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO participe_owner;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
EOF
        die "creating the roles and database failed (see $LOGFILE)"
    fi
    : >"$BASE/bootstrapped"
}

# Start the server (configured by write_config). Returns 10 when its port
# was taken meanwhile (checked free, but another process bound it since).
start_server() {
    local before=0
    if [[ -f "$LOGFILE" ]]; then before=$(wc -l <"$LOGFILE"); fi
    if pg_ctl start -D "$DATA" -l "$LOGFILE" -w -t 60 -s >/dev/null 2>&1; then
        return 0
    fi
    if tail -n "+$((before + 1))" "$LOGFILE" 2>/dev/null |
        grep -q 'could not bind\|Address already in use\|could not create any TCP/IP sockets'; then
        return 10
    fi
    tail -n "+$((before + 1))" "$LOGFILE" 2>/dev/null | tail -n 20 >&2 || true
    die "PostgreSQL did not start (see $LOGFILE)"
}

report_running() { say "running on port $1 (socket $RUN)"; }

cmd_start() {
    local fresh=0 port tries rc
    ensure_layout
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
        init_cluster
        fresh=1
    fi
    port=$(saved_port)
    if is_running; then
        [[ -n "$port" ]] || die "a server is running but its port is unknown; run 'deploy/pg.sh restart'"
        if [[ ! -f "$ENVFILE" ]]; then write_env "$port"; fi
        if [[ ! -f "$BASE/bootstrapped" ]]; then bootstrap "$port"; fi
        report_running "$port"
        return 0
    fi
    if [[ -z "$port" ]] || port_in_use "$port"; then
        if [[ -n "$port" ]] && ((!fresh)); then say "saved port $port is taken, choosing another one"; fi
        port=$(pick_port)
    fi
    for ((tries = 1; ; tries++)); do
        rc=0
        clear_stale_pidfile
        write_config "$port"
        start_server || rc=$?
        ((rc == 0)) && break
        ((tries < 5)) || die "could not bind a free port after $tries tries"
        say "port $port was taken meanwhile, choosing another one"
        port=$(pick_port)
    done
    write_env "$port"
    if [[ ! -f "$BASE/bootstrapped" ]]; then bootstrap "$port"; fi
    report_running "$port"
}

cmd_stop() {
    if ! have_cluster_dir; then
        say "not running (no cluster)"
        return 0
    fi
    set_paths
    if ! is_running; then
        say "not running"
        return 0
    fi
    pg_ctl stop -D "$DATA" -m fast -w -t 60 -s >/dev/null || die "pg_ctl stop failed (see $LOGFILE)"
    say "stopped"
}

cmd_restart() {
    local port
    if have_cluster_dir; then set_paths; fi
    if [[ -z "$DATA" ]] || ! is_running; then
        cmd_start
        return
    fi
    ensure_layout
    port=$(saved_port)
    [[ -n "$port" ]] || die "cannot tell the running server's port"
    write_config "$port"
    if ! pg_ctl restart -D "$DATA" -l "$LOGFILE" -m fast -w -t 60 -s >/dev/null 2>&1; then
        tail -n 20 "$LOGFILE" >&2 || true
        die "pg_ctl restart failed (see $LOGFILE)"
    fi
    # pg_ctl -w returns once the server accepts connections; double-check.
    "$PG_BINDIR/pg_isready" -q -h "$RUN" -p "$port" -t 30 ||
        die "the server does not accept connections after restart (see $LOGFILE)"
    report_running "$port"
}

cmd_status() {
    local port
    if have_cluster_dir; then
        set_paths
        if is_running; then
            port=$(saved_port)
            report_running "${port:-?}"
            return 0
        fi
    fi
    say "not running"
    return 3
}

require_env() {
    have_cluster_dir || die "no cluster; run 'deploy/pg.sh start'"
    set_paths
    [[ -f "$ENVFILE" ]] || die "no $ENVFILE; run 'deploy/pg.sh start'"
}

cmd_env() {
    require_env
    cat -- "$ENVFILE"
}

cmd_psql() {
    local port
    require_env
    is_running || die "not running; run 'deploy/pg.sh start'"
    port=$(saved_port)
    psql_super "$port" participe "$@"
}

cmd_destroy() {
    local target="" d
    if have_cluster_dir; then cmd_stop; fi
    if [[ -L "$PGBASE" ]]; then target=$(readlink -- "$PGBASE"); fi
    if [[ -e "$PGBASE" || -L "$PGBASE" ]]; then rm -rf -- "$PGBASE"; fi
    # The /tmp fallback (also an orphaned one whose var/pg link is gone).
    for d in "$target" "$TMP_FALLBACK"; do
        [[ -n "$d" && "$d" == /tmp/participe-pg-* && -d "$d" && ! -L "$d" ]] || continue
        DATA="$d/data"
        if is_running; then pg_ctl stop -D "$DATA" -m fast -w -t 60 -s >/dev/null || true; fi
        rm -rf -- "$d"
    done
    rm -f -- "$LOCKFILE"
    rmdir -- "$VAR" 2>/dev/null || true # only if nothing else lives there
    say "destroyed"
}

# ---------------------------------------------------------------- main

[[ $# -ge 1 ]] || usage
cmd=$1
shift
case "$cmd" in
start | stop | restart | destroy)
    [[ $# -eq 0 ]] || usage
    check_binaries
    if [[ "$cmd" == start || "$cmd" == restart ]]; then
        ensure_os_user
        if [[ ! -d "$VAR" ]]; then
            mkdir -m 0755 -- "$VAR" 2>/dev/null || [[ -d "$VAR" ]] || die "cannot create $VAR"
        fi
    fi
    if [[ -d "$VAR" ]]; then
        [[ -w "$VAR" ]] || die "$VAR is not writable by $(id -un) (a cluster made by root?): run this as its owner"
        # Serialize concurrent invocations (parallel make targets, tests).
        exec 9>>"$LOCKFILE"
        flock -w 120 9 || die "timed out waiting for another deploy/pg.sh ($LOCKFILE)"
    fi
    "cmd_$cmd"
    ;;
status | env)
    [[ $# -eq 0 ]] || usage
    "cmd_$cmd"
    ;;
psql)
    check_binaries
    cmd_psql "$@"
    ;;
*) usage ;;
esac
