#!/usr/bin/env bash
#
# tests/clusters/pg_standby.sh - a throwaway PostgreSQL 15 primary + hot standby on 127.0.0.1
#
# For test suites and CI. The primary streams WAL (physical replication, replication
# slot "arte_standby") to a read-only hot standby made with pg_basebackup. Both servers
# run as the postgres user via pg_ctl, with their data directories, unix socket
# directory and logs under one base directory. Nothing outside it is touched (the
# machine's own PostgreSQL on :5432 is left alone).
#
# Usage:
#   tests/clusters/pg_standby.sh start        # create the pair (or start whichever server is
#                                             # down), wait until the standby is streaming
#                                             # from the primary, print both URLs on stdout
#                                             # (primary first)
#   tests/clusters/pg_standby.sh stop         # stop both servers, delete the base directory
#                                             # (safe to call when nothing is running)
#   tests/clusters/pg_standby.sh status       # one line per server; exit 0 iff both are up
#                                             # and the standby is streaming, 3 otherwise
#   tests/clusters/pg_standby.sh urls         # print both URLs
#   tests/clusters/pg_standby.sh stop-node primary|standby    # kill -9 that server
#                                             # (postmaster and children), keep its data
#   tests/clusters/pg_standby.sh start-node primary|standby   # start it again (crash
#                                             # recovery; the standby resumes streaming)
#
# URLs (user postgres, no password, trust auth, over TCP):
#   postgres://postgres@127.0.0.1:15432/postgres   primary (read-write)
#   postgres://postgres@127.0.0.1:15433/postgres   standby (read-only, pg_is_in_recovery())
#   e.g. ARTE_TEST_POSTGRES_URL=$(tests/clusters/pg_standby.sh start | head -n1)
#
# Environment (all optional):
#   ARTE_PG_STANDBY_DIR / ARTE_CLUSTER_DIR  base directory (default /tmp/arte-pg-standby);
#                                           ARTE_PG_STANDBY_DIR wins, so one ARTE_CLUSTER_DIR
#                                           can't make this and galera.sh share a dir
#   ARTE_PG_PRIMARY_PORT                    primary port (default 15432)
#   ARTE_PG_STANDBY_PORT                    standby port (default 15433)
#   ARTE_CLUSTER_TIMEOUT                    seconds to wait for the servers (default 90)
#   ARTE_PG_BIN                             server binaries (default /usr/lib/postgresql/15/bin)
#
# Things tests must expect: replication is asynchronous (poll the standby for a row
# written on the primary); the standby rejects writes and DDL ("read-only transaction");
# advisory locks are per server (pg_advisory_lock on the standby is not blocked by the
# primary's).
#
# `start` with neither server running always builds a fresh pair (old data is deleted);
# use `start-node` to bring back a server stopped with `stop-node` with its data.
#
# Layout: $BASE/{primary,standby}/ (PGDATA), $BASE/{primary,standby}.log, $BASE/run/ (sockets)
# Progress and errors go to stderr; stdout carries only URLs / status lines.
# On a failed start the log tails are printed and the servers are left as they are for
# inspection; run `pg_standby.sh stop` to clean up. Inherited PG* environment variables
# are ignored.
#
# Runs as root (initdb/pg_ctl/pg_basebackup run as postgres via runuser; the base
# directory is owned by postgres) and installs postgresql-15 with apt-get if the binaries
# are missing. As a non-root user everything runs as that user.
# Invocations that change state are serialised with flock on this script file.

set -euo pipefail

PROG=pg_standby.sh
export PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# a caller's PGHOST/PGPORT/PGDATA/... must not redirect our tools
while read -r _v; do unset "$_v"; done < <(compgen -e -X '!PG*')
export PGCONNECT_TIMEOUT=3

BASE=${ARTE_PG_STANDBY_DIR:-${ARTE_CLUSTER_DIR:-/tmp/arte-pg-standby}}
TIMEOUT=${ARTE_CLUSTER_TIMEOUT:-90}
PGBIN=${ARTE_PG_BIN:-/usr/lib/postgresql/15/bin}
MARKER=.arte-pg-standby-cluster
SLOT=arte_standby
declare -A PORT=([primary]=${ARTE_PG_PRIMARY_PORT:-15432} [standby]=${ARTE_PG_STANDBY_PORT:-15433})

if [[ $EUID -eq 0 ]]; then RUN_USER=postgres; else RUN_USER=''; fi

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() {
    sed -n '/^# Usage:/,/^# URLs/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------- sanity checks

validate_config() {
    local p
    [[ $TIMEOUT =~ ^[0-9]+$ ]] || die "ARTE_CLUSTER_TIMEOUT must be a number of seconds, got '$TIMEOUT'"
    [[ $BASE == /* ]] || die "the base directory must be an absolute path, got '$BASE'"
    case "${BASE%/}" in
        '' | / | /tmp | /root | /home | /var | /usr | /etc | "${HOME:-/}") die "refusing to use '$BASE' as the base directory";;
    esac
    BASE=${BASE%/}
    for p in "${PORT[primary]}" "${PORT[standby]}"; do
        if [[ ! $p =~ ^[0-9]{1,5}$ ]] || ((10#$p < 1 || 10#$p > 65535)); then die "invalid port '$p'"; fi
    done
    [[ ${PORT[primary]} != "${PORT[standby]}" ]] || die "primary and standby ports must differ"
    # unix socket path: $BASE/run/.s.PGSQL.NNNNN must fit in 107 bytes
    ((${#BASE} + 22 < 108)) || die "base directory path too long for a unix socket: $BASE"
}

ensure_packages() {
    local b missing=0
    for b in initdb postgres pg_ctl pg_basebackup psql; do
        [[ -x $PGBIN/$b ]] || missing=1
    done
    if ((missing)); then
        if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 && [[ $PGBIN == /usr/lib/postgresql/15/bin ]]; then
            say "installing missing packages: postgresql-15 postgresql-client-15"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-client-15; } >&2 \
                || die "apt-get install postgresql-15 failed"
        fi
        for b in initdb postgres pg_ctl pg_basebackup psql; do
            [[ -x $PGBIN/$b ]] || die "$PGBIN/$b not found (set ARTE_PG_BIN or install postgresql-15)"
        done
    fi
    if [[ -n $RUN_USER ]]; then
        id -u "$RUN_USER" >/dev/null 2>&1 || die "user $RUN_USER does not exist"
        command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) not found"
    fi
}

lock() {
    exec 9<"${BASH_SOURCE[0]}"
    flock -w 600 9 || die "timed out waiting for another $PROG invocation to finish"
}

# ---------------------------------------------------------------- helpers

pgdata() { printf '%s/%s' "$BASE" "$1"; }
logf() { printf '%s/%s.log' "$BASE" "$1"; }
url() { printf 'postgres://postgres@127.0.0.1:%s/postgres' "${PORT[$1]}"; }

# as_pg CMD...: run a command as the database user, from inside the base directory
as_pg() {
    if [[ -n $RUN_USER ]]; then
        (cd "$BASE" && runuser -u "$RUN_USER" -- "$@") 9>&-
    else
        (cd "$BASE" && "$@") 9>&-
    fi
}

# psql_at NODE SQL: run SQL over TCP, unaligned tuples-only output
psql_at() {
    "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${PORT[$1]}" -U postgres -d postgres -c "$2"
}

pid_cmd_has() {
    local cmd
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
    [[ -n $cmd && $cmd == *"$2"* ]]
}

# node_pid NODE: print the postmaster pid of NODE if it is running
node_pid() {
    local pid
    pid=$(head -n1 "$(pgdata "$1")/postmaster.pid" 2>/dev/null | tr -dc '0-9') || return 1
    [[ -n $pid ]] && pid_cmd_has "$pid" "$(pgdata "$1")" && printf '%s\n' "$pid"
}

node_alive() { node_pid "$1" >/dev/null; }

children_of() {
    local p st fields
    for p in /proc/[0-9]*/stat; do
        { st=$(<"$p"); } 2>/dev/null || continue
        # /proc/PID/stat is "pid (comm) state ppid ..."; comm may contain spaces
        read -r -a fields <<<"${st##*) }"
        [[ ${fields[1]:-} == "$1" ]] || continue
        p=${p#/proc/}
        printf '%s\n' "${p%/stat}"
    done
    return 0
}

port_in_use() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# wait_gone SECS PID...: wait until none of the pids is alive (zombies count as gone)
wait_gone() {
    local secs=$1 p alive deadline
    shift
    deadline=$((SECONDS + secs))
    while :; do
        alive=0
        for p in "$@"; do
            [[ -r /proc/$p/cmdline && -n $(tr -d '\0' 2>/dev/null <"/proc/$p/cmdline") ]] && alive=1
        done
        ((alive == 0)) && return 0
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# give init a moment to reap exited processes so `pgrep` right after stop shows nothing
wait_reaped() {
    local secs=$1 p deadline
    shift
    deadline=$((SECONDS + secs))
    for p in "$@"; do
        while [[ -e /proc/$p ]] && ((SECONDS < deadline)); do sleep 0.1; done
    done
    return 0
}

print_logs() {
    local f
    for f in "$BASE/initdb.log" "$BASE/basebackup.log" "$(logf primary)" "$(logf standby)"; do
        [[ -s $f ]] || continue
        printf '\n----- %s (last 40 lines) -----\n' "$f" >&2
        tail -n 40 "$f" >&2
    done
    printf '\n' >&2
}

fail() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    print_logs
    say "the servers were left as they are for inspection; run '$PROG stop' to clean up"
    exit 1
}

ensure_marker_or_absent() {
    [[ -e $BASE ]] || return 0
    [[ -d $BASE ]] || die "$BASE exists and is not a directory"
    [[ -e $BASE/$MARKER ]] && return 0
    [[ -z $(ls -A "$BASE") ]] && return 0
    die "$BASE exists but was not created by $PROG (no $MARKER); refusing to touch it"
}

# kill_strays: kill leftover postgres / pg_basebackup processes that belong to $BASE
kill_strays() {
    local p comm pids=()
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        { read -r comm <"/proc/$p/comm"; } 2>/dev/null || continue
        case $comm in postgres | postmaster | pg_basebackup | pg_ctl) ;; *) continue;; esac
        if pid_cmd_has "$p" "$BASE/"; then
            pids+=("$p")
            mapfile -t -O "${#pids[@]}" pids < <(children_of "$p")
        fi
    done
    ((${#pids[@]})) || return 0
    say "killing leftover processes: ${pids[*]}"
    kill -9 "${pids[@]}" 2>/dev/null || true
    wait_gone 10 "${pids[@]}" || true
    wait_reaped 5 "${pids[@]}"
}

# ---------------------------------------------------------------- state queries

# primary_streaming: the primary sees the standby streaming
primary_streaming() {
    [[ $(psql_at primary "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$SLOT' AND state = 'streaming'" 2>/dev/null) -ge 1 ]]
}

standby_in_recovery() {
    [[ $(psql_at standby "SELECT pg_is_in_recovery()" 2>/dev/null) == t ]]
}

node_answers() {
    [[ $(psql_at "$1" "SELECT 1" 2>/dev/null) == 1 ]]
}

# wait_ready NODE...: wait until the listed servers answer; the standby must be in
# recovery and, when the primary runs, be streaming from it
wait_ready() {
    local n pending deadline=$((SECONDS + TIMEOUT))
    while :; do
        pending=()
        for n in "$@"; do
            node_alive "$n" || fail "the $n (port ${PORT[$n]}) is not running; see $(logf "$n")"
            if ! node_answers "$n"; then
                pending+=("$n answering")
            elif [[ $n == standby ]]; then
                standby_in_recovery || pending+=("standby in recovery")
                if node_alive primary && ! primary_streaming; then pending+=("standby streaming"); fi
            fi
        done
        ((${#pending[@]} == 0)) && return 0
        ((SECONDS < deadline)) || fail "timed out after ${TIMEOUT}s waiting for: ${pending[*]}"
        sleep 0.25
    done
}

# ---------------------------------------------------------------- setup

pg_start() { # NODE
    local n=$1 f pid
    f="$(pgdata "$n")/postmaster.pid"
    if [[ -f $f ]] && ! node_alive "$n"; then
        # left by kill -9: the server is dead, but while its pid is an unreaped zombie the
        # new postmaster would refuse to start ("lock file postmaster.pid already exists")
        pid=$(head -n1 "$f" | tr -dc '0-9')
        [[ -z $pid ]] || wait_reaped 5 "$pid"
        rm -f "$f"
    fi
    as_pg "$PGBIN/pg_ctl" -D "$(pgdata "$n")" -l "$(logf "$n")" -w -t "$TIMEOUT" start >/dev/null 2>&1 \
        || fail "pg_ctl start of the $n (port ${PORT[$n]}) failed"
}

init_primary() {
    local d locale=C
    d=$(pgdata primary)
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
    as_pg "$PGBIN/initdb" -D "$d" --auth=trust -U postgres -E UTF8 --locale="$locale" \
        --no-sync --no-instructions >"$BASE/initdb.log" 2>&1 || fail "initdb failed"
    cat >>"$d/postgresql.conf" <<EOF

# ---- added by tests/clusters/pg_standby.sh (throwaway test cluster) ----
listen_addresses = '127.0.0.1'
port = ${PORT[primary]}
unix_socket_directories = '$BASE/run'
cluster_name = 'arte_primary'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
hot_standby_feedback = on
shared_buffers = 32MB
fsync = off
log_line_prefix = '%m [%p] %q%u@%d '
timezone = 'Etc/UTC'
EOF
    cat >"$d/pg_hba.conf" <<EOF
# generated by tests/clusters/pg_standby.sh: trust everything local (test cluster only)
# TYPE  DATABASE     USER  ADDRESS        METHOD
local   all          all                  trust
local   replication  all                  trust
host    all          all   127.0.0.1/32   trust
host    replication  all   127.0.0.1/32   trust
EOF
    [[ -z $RUN_USER ]] || chown "$RUN_USER:" "$d/postgresql.conf" "$d/pg_hba.conf"
}

create_standby() {
    local d
    d=$(pgdata standby)
    rm -rf "$d"
    # a slot left over from an earlier standby would make pg_basebackup -C fail
    psql_at primary "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
        WHERE slot_name = '$SLOT' AND NOT active" >/dev/null 2>&1 || true
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "${PORT[primary]}" -U postgres -D "$d" \
        -R -X stream -C -S "$SLOT" --checkpoint=fast --no-sync >"$BASE/basebackup.log" 2>&1 \
        || fail "pg_basebackup from the primary failed"
    cat >>"$d/postgresql.conf" <<EOF

# ---- standby overrides (tests/clusters/pg_standby.sh) ----
port = ${PORT[standby]}
cluster_name = '$SLOT'
EOF
    [[ -z $RUN_USER ]] || chown "$RUN_USER:" "$d/postgresql.conf"
}

# ---------------------------------------------------------------- commands

print_urls() { url primary; printf '\n'; url standby; printf '\n'; }

cmd_start() {
    local t0=$SECONDS n p
    ensure_packages
    lock
    ensure_marker_or_absent
    if node_alive primary && node_alive standby && node_answers primary && standby_in_recovery && primary_streaming; then
        say "already running in $BASE"
        print_urls
        return 0
    fi
    if node_alive primary || node_alive standby; then
        say "partly running; starting what is down"
        if ! node_alive primary; then
            [[ -f $(pgdata primary)/PG_VERSION ]] || die "the primary's data is gone; use '$PROG stop' then '$PROG start'"
            say "starting the primary (port ${PORT[primary]})"
            pg_start primary
        fi
        wait_ready primary
        if ! node_alive standby; then
            if [[ ! -f $(pgdata standby)/standby.signal ]]; then
                say "re-creating the standby with pg_basebackup"
                create_standby
            fi
            say "starting the standby (port ${PORT[standby]})"
            pg_start standby
        fi
        wait_ready primary standby
        say "ready in $((SECONDS - t0))s"
        print_urls
        return 0
    fi

    # fresh pair
    kill_strays
    rm -rf "$BASE"
    for p in "${PORT[primary]}" "${PORT[standby]}"; do
        port_in_use "$p" && die "port $p on 127.0.0.1 is already in use (override with ARTE_PG_PRIMARY_PORT / ARTE_PG_STANDBY_PORT)"
    done
    mkdir -p "$BASE/run"
    : >"$BASE/$MARKER"
    chmod 755 "$BASE"
    chmod 700 "$BASE/run"
    if [[ -n $RUN_USER ]]; then
        chown -R "$RUN_USER:" "$BASE"
        runuser -u "$RUN_USER" -- test -w "$BASE" \
            || die "user $RUN_USER cannot write $BASE (is a parent directory not traversable?)"
    fi
    say "initdb + starting the primary (port ${PORT[primary]})"
    init_primary
    pg_start primary
    wait_ready primary
    say "pg_basebackup + starting the standby (port ${PORT[standby]})"
    create_standby
    pg_start standby
    wait_ready primary standby
    say "primary and streaming standby ready in $((SECONDS - t0))s (base dir $BASE)"
    print_urls
}

check_node_arg() {
    [[ ${1:-} == primary || ${1:-} == standby ]] || die "expected 'primary' or 'standby', got '${1:-}'"
}

cmd_stop_node() {
    local n=$1 pid pids
    check_node_arg "$n"
    lock
    if ! pid=$(node_pid "$n"); then
        say "the $n is not running"
        return 0
    fi
    mapfile -t pids < <(children_of "$pid")
    kill -9 "$pid" "${pids[@]}" 2>/dev/null || true
    wait_gone 10 "$pid" "${pids[@]}" || die "the $n (pid $pid) did not exit after SIGKILL"
    wait_reaped 5 "$pid" "${pids[@]}"
    say "killed the $n (postmaster pid $pid and ${#pids[@]} children)"
}

cmd_start_node() {
    local n=$1 t0=$SECONDS
    check_node_arg "$n"
    ensure_packages
    lock
    [[ -e $BASE/$MARKER ]] || die "no cluster in $BASE; run '$PROG start' first"
    if node_alive "$n"; then
        say "the $n is already running"
        return 0
    fi
    [[ -f $(pgdata "$n")/PG_VERSION ]] || die "the $n has no data directory; use '$PROG start'"
    # a postmaster.pid left by kill -9 is handled by the server itself
    pg_start "$n"
    wait_ready "$n"
    if [[ $n == primary ]] && node_alive standby; then wait_ready standby; fi
    say "the $n is up after $((SECONDS - t0))s"
}

cmd_stop() {
    local n pid pids=()
    lock
    if [[ ! -e $BASE ]]; then
        kill_strays
        say "nothing to stop ($BASE does not exist)"
        return 0
    fi
    ensure_marker_or_absent
    for n in standby primary; do
        pid=$(node_pid "$n") || continue
        pids+=("$pid")
        mapfile -t -O "${#pids[@]}" pids < <(children_of "$pid")
        say "stopping the $n (pid $pid)"
        if ! as_pg "$PGBIN/pg_ctl" -D "$(pgdata "$n")" -m fast -w -t 30 stop >/dev/null 2>&1; then
            say "pg_ctl stop of the $n failed; sending SIGKILL"
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    if ((${#pids[@]})); then
        if ! wait_gone 15 "${pids[@]}"; then
            kill -9 "${pids[@]}" 2>/dev/null || true
            wait_gone 10 "${pids[@]}" || die "could not kill ${pids[*]}"
        fi
        wait_reaped 5 "${pids[@]}"
    fi
    kill_strays
    rm -rf "$BASE"
    say "stopped; removed $BASE"
}

cmd_status() {
    local ok=0 rows recv
    if ! node_alive primary; then
        printf 'primary %s down\n' "$(url primary)"
    elif rows=$(psql_at primary "SELECT count(*) FILTER (WHERE state = 'streaming') FROM pg_stat_replication" 2>/dev/null); then
        printf 'primary %s up in_recovery=%s streaming_replicas=%s\n' "$(url primary)" \
            "$(psql_at primary 'SELECT pg_is_in_recovery()' 2>/dev/null)" "$rows"
        ok=$((ok + 1))
    else
        printf 'primary %s running but not answering\n' "$(url primary)"
    fi
    if ! node_alive standby; then
        printf 'standby %s down\n' "$(url standby)"
    elif recv=$(psql_at standby "SELECT CASE WHEN pg_is_in_recovery() THEN 't' ELSE 'f' END || ' wal_receiver=' || coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')" 2>/dev/null); then
        printf 'standby %s up in_recovery=%s\n' "$(url standby)" "$recv"
        [[ $recv == "t wal_receiver=streaming" ]] && ok=$((ok + 1))
    else
        printf 'standby %s running but not answering\n' "$(url standby)"
    fi
    ((ok == 2)) || return 3
}

main() {
    validate_config
    case ${1:-} in
        start) cmd_start;;
        stop) cmd_stop;;
        status) cmd_status;;
        urls) print_urls;;
        start-node) cmd_start_node "${2:-}";;
        stop-node) cmd_stop_node "${2:-}";;
        -h | --help | help) usage;;
        *) usage;;
    esac
}

main "$@"
