#!/usr/bin/env bash
#
# tests/clusters/galera.sh - a throwaway 3-node MariaDB Galera Cluster on 127.0.0.1
#
# For test suites and CI. Every node is its own `mariadbd` process with its own data
# directory, unix socket, pid file and log under one base directory. Nothing outside
# the base directory is touched (the machine's own MariaDB on :3306 is left alone).
#
# Usage:
#   tests/clusters/galera.sh start          # create + bootstrap the cluster (or start the
#                                           # nodes that are down); waits until all 3 nodes
#                                           # are Synced with wsrep_cluster_size=3 and prints
#                                           # one client URL per node on stdout
#   tests/clusters/galera.sh stop           # stop every node, delete the base directory
#                                           # (safe to call when nothing is running)
#   tests/clusters/galera.sh status         # one line per node; exit 0 iff all 3 are up
#                                           # and Synced, 3 otherwise
#   tests/clusters/galera.sh urls           # print the 3 client URLs
#   tests/clusters/galera.sh stop-node N    # kill -9 node N (1..3), keep its data, wait
#                                           # until the survivors have evicted it
#   tests/clusters/galera.sh start-node N   # restart node N; it rejoins (IST/SST) and the
#                                           # command returns once every running node
#                                           # reports the new cluster size
#
# URLs (user root, EMPTY password, over TCP):
#   mysql://root@127.0.0.1:13306/mysql   node1
#   mysql://root@127.0.0.1:13307/mysql   node2
#   mysql://root@127.0.0.1:13308/mysql   node3
#   e.g. ARTE_TEST_MYSQL_URL=$(tests/clusters/galera.sh start | head -n1)
#
# Environment (all optional):
#   ARTE_GALERA_DIR / ARTE_CLUSTER_DIR   base directory (default /tmp/arte-galera);
#                                        ARTE_GALERA_DIR wins, so one ARTE_CLUSTER_DIR
#                                        can't make this and pg_standby.sh share a dir
#   ARTE_GALERA_PORT_{1,2,3}             client ports        (13306 13307 13308)
#   ARTE_GALERA_WSREP_PORT_{1,2,3}       galera group ports  (14567 14568 14569)
#   ARTE_GALERA_IST_PORT_{1,2,3}         IST receive ports   (14577 14578 14579)
#   ARTE_GALERA_SST_PORT_{1,2,3}         rsync SST ports     (14444 14445 14446)
#   ARTE_CLUSTER_TIMEOUT                 seconds to wait for the cluster (default 90)
#   ARTE_GALERA_NO_WAIT=1                stop-node returns right after the kill
#   ARTE_MARIADBD, ARTE_GALERA_PROVIDER  override /usr/sbin/mariadbd and
#                                        /usr/lib/galera/libgalera_smm.so
#
# Things tests must expect from Galera (observed with MariaDB 10.11 / galera-4 26.4):
#   - GET_LOCK() is node-local: a lock held on node1 does not block the same name on node2.
#   - AUTO_INCREMENT values step by the cluster size (wsrep_auto_increment_control).
#   - only InnoDB tables replicate; tables need a primary key; DDL runs as TOI on all nodes.
#   - a node killed with kill -9 stays in the survivors' view for ~3-6 s (evs timeouts).
#   - @@wsrep_on reads 1.
#
# `start` with no node running always builds a fresh cluster (old data is deleted); use
# `start-node N` to bring back nodes stopped with `stop-node` with their data.
#
# Layout: $BASE/nodeN/{my.cnf,data/,mysqld.sock,mariadbd.pid,launch.pid,mariadbd.log}
# Progress and errors go to stderr; stdout carries only URLs / status lines.
# On a failed start the log tails are printed and the nodes are left as they are for
# inspection; run `galera.sh stop` to clean up.
#
# Runs as root (mariadbd is started with --user=mysql, node directories are owned by
# mysql) and installs galera-4, rsync and mariadb-server with apt-get when missing.
# As a non-root user it runs mariadbd as that user, but cannot install packages.
# Invocations that change state are serialised with flock on this script file.

set -euo pipefail

PROG=galera.sh
export PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

BASE=${ARTE_GALERA_DIR:-${ARTE_CLUSTER_DIR:-/tmp/arte-galera}}
TIMEOUT=${ARTE_CLUSTER_TIMEOUT:-90}
MARIADBD=${ARTE_MARIADBD:-/usr/sbin/mariadbd}
PROVIDER=${ARTE_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
CLUSTER_NAME=arte_galera
MARKER=.arte-galera-cluster
NODES=(1 2 3)

PORT=('' "${ARTE_GALERA_PORT_1:-13306}" "${ARTE_GALERA_PORT_2:-13307}" "${ARTE_GALERA_PORT_3:-13308}")
WSREP_PORT=('' "${ARTE_GALERA_WSREP_PORT_1:-14567}" "${ARTE_GALERA_WSREP_PORT_2:-14568}" "${ARTE_GALERA_WSREP_PORT_3:-14569}")
IST_PORT=('' "${ARTE_GALERA_IST_PORT_1:-14577}" "${ARTE_GALERA_IST_PORT_2:-14578}" "${ARTE_GALERA_IST_PORT_3:-14579}")
SST_PORT=('' "${ARTE_GALERA_SST_PORT_1:-14444}" "${ARTE_GALERA_SST_PORT_2:-14445}" "${ARTE_GALERA_SST_PORT_3:-14446}")

if [[ $EUID -eq 0 ]]; then RUN_USER=mysql; else RUN_USER=''; fi

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() {
    sed -n '/^# Usage:/,/^# URLs/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------- sanity checks

validate_config() {
    local p all=() seen=' '
    [[ $TIMEOUT =~ ^[0-9]+$ ]] || die "ARTE_CLUSTER_TIMEOUT must be a number of seconds, got '$TIMEOUT'"
    [[ $BASE == /* ]] || die "the base directory must be an absolute path, got '$BASE'"
    case "${BASE%/}" in
        '' | / | /tmp | /root | /home | /var | /usr | /etc | "${HOME:-/}") die "refusing to use '$BASE' as the base directory";;
    esac
    BASE=${BASE%/}
    all=("${PORT[@]:1}" "${WSREP_PORT[@]:1}" "${IST_PORT[@]:1}" "${SST_PORT[@]:1}")
    for p in "${all[@]}"; do
        if [[ ! $p =~ ^[0-9]{1,5}$ ]] || ((10#$p < 1 || 10#$p > 65535)); then die "invalid port '$p'"; fi
        [[ $seen == *" $p "* ]] && die "port $p is configured twice"
        seen+="$p "
    done
    # unix socket paths are limited to 107 bytes
    ((${#BASE} + 20 < 108)) || die "base directory path too long for a unix socket: $BASE"
}

ensure_packages() {
    local missing=() p
    if command -v dpkg-query >/dev/null 2>&1; then
        for p in galera-4 rsync mariadb-server mariadb-client; do
            dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
        done
        # the rsync SST script needs ss (iproute2) or lsof
        command -v ss >/dev/null 2>&1 || command -v lsof >/dev/null 2>&1 || missing+=(iproute2)
        if ((${#missing[@]})); then
            [[ $EUID -eq 0 ]] || die "missing packages: ${missing[*]} (install them as root)"
            say "installing missing packages: ${missing[*]}"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 \
                || die "apt-get install ${missing[*]} failed"
        fi
    fi
    [[ -x $MARIADBD ]] || die "$MARIADBD not found (package mariadb-server-core)"
    [[ -e $PROVIDER ]] || die "galera provider $PROVIDER not found (package galera-4)"
    for p in mariadb mariadb-admin mariadb-install-db wsrep_sst_rsync rsync; do
        command -v "$p" >/dev/null 2>&1 || die "'$p' not found in PATH"
    done
}

lock() {
    exec 9<"${BASH_SOURCE[0]}"
    flock -w 600 9 || die "timed out waiting for another $PROG invocation to finish"
}

# ---------------------------------------------------------------- helpers

ndir() { printf '%s/node%s' "$BASE" "$1"; }
cnf() { printf '%s/node%s/my.cnf' "$BASE" "$1"; }
datadir() { printf '%s/node%s/data' "$BASE" "$1"; }
logf() { printf '%s/node%s/mariadbd.log' "$BASE" "$1"; }
url() { printf 'mysql://root@127.0.0.1:%s/mysql' "${PORT[$1]}"; }

# pid_cmd_has PID STRING: PID is alive (not a zombie) and its command line contains STRING
pid_cmd_has() {
    local cmd
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
    [[ -n $cmd && $cmd == *"$2"* ]]
}

# node_pid N: print the pid of node N's mariadbd if it is running
node_pid() {
    local f pid
    for f in "$(ndir "$1")/mariadbd.pid" "$(ndir "$1")/launch.pid"; do
        [[ -r $f ]] || continue
        pid=$(head -n1 "$f" 2>/dev/null | tr -dc '0-9')
        if [[ -n $pid ]] && pid_cmd_has "$pid" "$(cnf "$1")"; then
            printf '%s\n' "$pid"
            return 0
        fi
    done
    return 1
}

node_alive() { node_pid "$1" >/dev/null; }

alive_nodes() {
    local n out=()
    for n in "${NODES[@]}"; do node_alive "$n" && out+=("$n"); done
    printf '%s\n' "${out[*]:-}"
}

sql() {
    local n=$1
    shift
    mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "${PORT[$n]}" -u root \
        --connect-timeout=2 -N -B -e "$*"
}

# node_state N: fill W_SIZE W_READY W_STATE W_STATUS from node N; fails if it doesn't answer
node_state() {
    local out k v
    W_SIZE='' W_READY='' W_STATE='' W_STATUS=''
    out=$(sql "$1" "SHOW GLOBAL STATUS WHERE Variable_name IN
        ('wsrep_cluster_size','wsrep_ready','wsrep_local_state_comment','wsrep_cluster_status')" 2>/dev/null) || return 1
    while IFS=$'\t' read -r k v; do
        case $k in
            wsrep_cluster_size) W_SIZE=$v;;
            wsrep_ready) W_READY=$v;;
            wsrep_local_state_comment) W_STATE=$v;;
            wsrep_cluster_status) W_STATUS=$v;;
        esac
    done <<<"$out"
    [[ -n $W_SIZE ]]
}

node_synced() { # N SIZE
    node_state "$1" && [[ $W_READY == ON && $W_STATE == Synced && $W_STATUS == Primary && $W_SIZE == "$2" ]]
}

port_in_use() { # PORT
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

print_logs() {
    local n f
    for n in "${NODES[@]}"; do
        for f in "$(ndir "$n")/install-db.log" "$(logf "$n")"; do
            [[ -s $f ]] || continue
            printf '\n----- %s (last 40 lines) -----\n' "$f" >&2
            tail -n 40 "$f" >&2
        done
    done
    printf '\n' >&2
}

fail() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    print_logs
    say "the cluster was left as it is for inspection; run '$PROG stop' to clean up"
    exit 1
}

# wait_synced SIZE N...: wait until every listed node is Synced/Primary with cluster size SIZE
wait_synced() {
    local size=$1 n pending deadline=$((SECONDS + TIMEOUT))
    shift
    while :; do
        pending=()
        for n in "$@"; do
            node_alive "$n" || fail "node$n (port ${PORT[$n]}) exited during startup"
            node_synced "$n" "$size" || pending+=("node$n")
        done
        ((${#pending[@]} == 0)) && return 0
        ((SECONDS < deadline)) || fail "timed out after ${TIMEOUT}s waiting for ${pending[*]} to be Synced with wsrep_cluster_size=$size"
        sleep 0.25
    done
}

# wait_size SIZE N...: wait until every listed node reports wsrep_cluster_size=SIZE
wait_size() {
    local size=$1 n pending deadline=$((SECONDS + TIMEOUT))
    shift
    while :; do
        pending=()
        for n in "$@"; do
            node_alive "$n" || continue
            node_state "$n" && [[ $W_SIZE == "$size" ]] || pending+=("node$n")
        done
        ((${#pending[@]} == 0)) && return 0
        ((SECONDS < deadline)) || fail "timed out after ${TIMEOUT}s waiting for ${pending[*]} to report wsrep_cluster_size=$size"
        sleep 0.25
    done
}

# ---------------------------------------------------------------- node setup

write_cnf() {
    local n=$1 gcomm
    gcomm="gcomm://127.0.0.1:${WSREP_PORT[1]},127.0.0.1:${WSREP_PORT[2]},127.0.0.1:${WSREP_PORT[3]}"
    cat >"$(cnf "$n")" <<EOF
# generated by tests/clusters/galera.sh - node$n of a throwaway test cluster
[client]
port = ${PORT[$n]}
socket = $(ndir "$n")/mysqld.sock

[mysqld]
${RUN_USER:+user = $RUN_USER}
datadir = $(datadir "$n")
socket = $(ndir "$n")/mysqld.sock
pid-file = $(ndir "$n")/mariadbd.pid
log-error = $(logf "$n")
port = ${PORT[$n]}
bind-address = 127.0.0.1
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 16M
innodb_flush_log_at_trx_commit = 2

binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2

wsrep_on = ON
wsrep_provider = $PROVIDER
wsrep_cluster_name = $CLUSTER_NAME
wsrep_cluster_address = $gcomm
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:${WSREP_PORT[$n]}
wsrep_node_incoming_address = 127.0.0.1:${PORT[$n]}
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:${SST_PORT[$n]}
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:${WSREP_PORT[$n]};ist.recv_addr=127.0.0.1:${IST_PORT[$n]};gcache.size=32M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
EOF
    chmod 644 "$(cnf "$n")"
}

# init_node N INSTALL_DB: create node N's directory (and system tables if INSTALL_DB=1)
init_node() {
    local n=$1 d
    d=$(ndir "$n")
    mkdir -p "$d/data"
    write_cnf "$n"
    : >"$(logf "$n")"
    [[ -z $RUN_USER ]] || chown -R "$RUN_USER:$RUN_USER" "$d"
    chmod 750 "$d"
    if [[ -n $RUN_USER ]] && ! runuser -u "$RUN_USER" -- test -w "$d/data"; then
        die "user $RUN_USER cannot write $d/data (is a parent of $BASE not traversable?)"
    fi
    if [[ $2 == 1 ]]; then
        mariadb-install-db --no-defaults --datadir="$(datadir "$n")" ${RUN_USER:+--user=$RUN_USER} \
            --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
            --innodb-log-file-size=16M >"$d/install-db.log" 2>&1 \
            || fail "mariadb-install-db failed for node$n"
    fi
}

# launch N BOOTSTRAP: start node N's mariadbd in the background (detached, own session)
launch() {
    local n=$1 extra=()
    [[ $2 == 1 ]] && extra=(--wsrep-new-cluster)
    [[ -e $(logf "$n") ]] || { : >"$(logf "$n")"; [[ -z $RUN_USER ]] || chown "$RUN_USER:$RUN_USER" "$(logf "$n")"; }
    rm -f "$(ndir "$n")/mariadbd.pid" "$(ndir "$n")/launch.pid"
    printf '\n===== %s: %s node%s%s =====\n' "$(date '+%F %T')" "$PROG" "$n" \
        "${extra:+ (bootstrap)}" >>"$(logf "$n")"
    setsid "$MARIADBD" --defaults-file="$(cnf "$n")" "${extra[@]}" \
        </dev/null >>"$(logf "$n")" 2>&1 9>&- &
    printf '%s\n' "$!" >"$(ndir "$n")/launch.pid"
}

set_safe_to_bootstrap() {
    local g
    g="$(datadir "$1")/grastate.dat"
    [[ -f $g ]] && sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$g"
    return 0
}

ensure_marker_or_absent() {
    [[ -e $BASE ]] || return 0
    [[ -d $BASE ]] || die "$BASE exists and is not a directory"
    [[ -e $BASE/$MARKER ]] && return 0
    [[ -z $(ls -A "$BASE") ]] && return 0
    die "$BASE exists but was not created by $PROG (no $MARKER); refusing to touch it"
}

# kill_strays: kill leftover mariadbd / rsync (SST) processes that belong to $BASE
kill_strays() {
    local p comm pids=()
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        { read -r comm <"/proc/$p/comm"; } 2>/dev/null || continue
        case $comm in mariadbd | mysqld | rsync | wsrep_sst_rsyn*) ;; *) continue;; esac
        pid_cmd_has "$p" "$BASE/" && pids+=("$p")
    done
    ((${#pids[@]})) || return 0
    say "killing leftover processes: ${pids[*]}"
    kill -9 "${pids[@]}" 2>/dev/null || true
    wait_gone 10 "${pids[@]}" || true
}

# wait_gone SECS PID...: wait until none of the pids is alive
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

# wait_reaped SECS PID...: give init a moment to reap the exited (zombie) processes so
# that `pgrep` right after `stop` shows nothing; never fails
wait_reaped() {
    local secs=$1 p deadline
    shift
    deadline=$((SECONDS + secs))
    for p in "$@"; do
        while [[ -e /proc/$p ]] && ((SECONDS < deadline)); do sleep 0.1; done
    done
    return 0
}

# ---------------------------------------------------------------- commands

print_urls() {
    local n
    for n in "${NODES[@]}"; do url "$n"; printf '\n'; done
}

cmd_start() {
    local t0=$SECONDS n alive
    ensure_packages
    lock
    ensure_marker_or_absent
    alive=$(alive_nodes)
    if [[ $alive == "1 2 3" ]] && node_synced 1 3 && node_synced 2 3 && node_synced 3 3; then
        say "already running (3 nodes Synced) in $BASE"
        print_urls
        return 0
    fi
    if [[ -n $alive ]]; then
        say "cluster partly running (nodes: $alive); starting the others"
        for n in "${NODES[@]}"; do
            node_alive "$n" || start_node "$n"
        done
        wait_synced 3 "${NODES[@]}"
        say "cluster ready in $((SECONDS - t0))s"
        print_urls
        return 0
    fi

    # fresh cluster
    kill_strays
    rm -rf "$BASE"
    for n in "${PORT[@]:1}" "${WSREP_PORT[@]:1}" "${IST_PORT[@]:1}" "${SST_PORT[@]:1}"; do
        port_in_use "$n" && die "port $n on 127.0.0.1 is already in use (override with ARTE_GALERA_*PORT_N)"
    done
    mkdir -p "$BASE"
    chmod 755 "$BASE"
    : >"$BASE/$MARKER"
    for n in "${NODES[@]}"; do
        # nodes 2 and 3 start with an empty data dir and receive node1's via rsync SST
        if [[ $n == 1 ]]; then init_node "$n" 1; else init_node "$n" 0; fi
    done
    say "bootstrapping node1 (port ${PORT[1]})"
    launch 1 1
    wait_synced 1 1
    # joiners one after the other: measured as fast as starting both at once, and
    # each SST then has a free donor
    say "joining node2 (port ${PORT[2]})"
    launch 2 0
    wait_synced 2 1 2
    say "joining node3 (port ${PORT[3]})"
    launch 3 0
    wait_synced 3 "${NODES[@]}"
    say "cluster ready in $((SECONDS - t0))s (base dir $BASE)"
    print_urls
}

# start_node N: start node N, joining the running nodes (or bootstrapping if none runs)
start_node() {
    local n=$1 m others=() primary=''
    for m in "${NODES[@]}"; do
        [[ $m == "$n" ]] && continue
        node_alive "$m" || continue
        others+=("$m")
        [[ -z $primary ]] && node_state "$m" && [[ $W_STATUS == Primary ]] && primary=$m
    done
    if ((${#others[@]})); then
        if [[ -z $primary ]]; then
            m=${others[0]}
            say "no primary component among the running nodes (${others[*]}); forcing one on node$m (pc.bootstrap)"
            sql "$m" "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'" \
                || fail "could not set pc.bootstrap on node$m"
        fi
        [[ -d $(datadir "$n") ]] || init_node "$n" 0
        write_cnf "$n"
        say "starting node$n (port ${PORT[$n]}), joining node(s) ${others[*]}"
        launch "$n" 0
    else
        if [[ ! -d $(datadir "$n")/mysql ]]; then
            die "no node is running and node$n has no data to bootstrap from; use '$PROG stop' then '$PROG start'"
        fi
        write_cnf "$n"
        set_safe_to_bootstrap "$n"
        say "no other node is running; bootstrapping a new cluster from node$n (port ${PORT[$n]})"
        launch "$n" 1
    fi
}

check_node_arg() {
    [[ ${1:-} =~ ^[123]$ ]] || die "expected a node number 1, 2 or 3, got '${1:-}'"
}

cmd_start_node() {
    local n=$1 t0=$SECONDS alive
    check_node_arg "$n"
    ensure_packages
    lock
    [[ -e $BASE/$MARKER ]] || die "no cluster in $BASE; run '$PROG start' first"
    if node_alive "$n"; then
        say "node$n is already running"
        return 0
    fi
    start_node "$n"
    read -r -a alive <<<"$(alive_nodes)"
    wait_synced "${#alive[@]}" "${alive[@]}"
    say "node$n is up and Synced after $((SECONDS - t0))s; wsrep_cluster_size=${#alive[@]}"
}

cmd_stop_node() {
    local n=$1 pid t0=$SECONDS alive rpid
    check_node_arg "$n"
    lock
    if ! pid=$(node_pid "$n"); then
        say "node$n is not running"
        return 0
    fi
    kill -9 "$pid" 2>/dev/null || true
    # a joiner killed during SST leaves its rsync daemon behind
    rpid=$(cat "$(datadir "$n")/rsync_sst.pid" 2>/dev/null || true)
    if [[ -n $rpid ]] && pid_cmd_has "$rpid" "$BASE/"; then kill -9 "$rpid" 2>/dev/null || true; fi
    wait_gone 10 "$pid" || die "node$n (pid $pid) did not exit after SIGKILL"
    wait_reaped 5 "$pid"
    say "killed node$n (pid $pid)"
    [[ ${ARTE_GALERA_NO_WAIT:-0} == 1 ]] && return 0
    read -r -a alive <<<"$(alive_nodes)"
    ((${#alive[@]})) || return 0
    wait_size "${#alive[@]}" "${alive[@]}"
    say "survivors (node ${alive[*]}) report wsrep_cluster_size=${#alive[@]} after $((SECONDS - t0))s"
}

cmd_stop() {
    local n pid pids=() jobs_=()
    lock
    if [[ ! -e $BASE ]]; then
        kill_strays
        say "nothing to stop ($BASE does not exist)"
        return 0
    fi
    ensure_marker_or_absent
    for n in "${NODES[@]}"; do
        pid=$(node_pid "$n") || continue
        pids+=("$pid")
        say "stopping node$n (pid $pid)"
        (timeout 30 mariadb-admin --no-defaults --protocol=TCP -h 127.0.0.1 -P "${PORT[$n]}" -u root \
            --connect-timeout=2 shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true) 9>&- &
        jobs_+=("$!")
    done
    ((${#jobs_[@]} == 0)) || wait "${jobs_[@]}" || true
    if ((${#pids[@]})) && ! wait_gone 30 "${pids[@]}"; then
        say "some nodes did not shut down in time; sending SIGKILL"
        kill -9 "${pids[@]}" 2>/dev/null || true
        wait_gone 10 "${pids[@]}" || die "could not kill ${pids[*]}"
    fi
    kill_strays
    ((${#pids[@]} == 0)) || wait_reaped 5 "${pids[@]}"
    rm -rf "$BASE"
    say "stopped; removed $BASE"
}

cmd_status() {
    local n ok=0
    for n in "${NODES[@]}"; do
        if ! node_alive "$n"; then
            printf 'node%s %s down\n' "$n" "$(url "$n")"
        elif node_state "$n"; then
            printf 'node%s %s wsrep_cluster_size=%s wsrep_ready=%s state=%s status=%s\n' \
                "$n" "$(url "$n")" "$W_SIZE" "$W_READY" "$W_STATE" "$W_STATUS"
            [[ $W_READY == ON && $W_STATE == Synced && $W_SIZE == 3 ]] && ok=$((ok + 1))
        else
            printf 'node%s %s running but not answering (starting or joining)\n' "$n" "$(url "$n")"
        fi
    done
    ((ok == 3)) || return 3
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
