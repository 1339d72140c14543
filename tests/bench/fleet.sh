#!/usr/bin/env bash
# A fleet of databases migrated at once: the example application's migrations applied with
# `migration:latest` to 200 SQLite databases and to 50 PostgreSQL databases, with
# `--jobs 1` and with `--jobs 4`, fresh databases each time. Prints a Markdown table of
# wall times (medians) and the speed-up. Nothing here is a test: it never fails on a
# number.
#
#   tests/bench/fleet.sh                    # 200 SQLite + 50 PostgreSQL, 3 repetitions
#   tests/bench/fleet.sh --sqlite 50 --postgres 10 --reps 1 --jobs 1,2,4
#
# Server: ARTE_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
# Every database is created for one run (arte_fleet_<pid>_<n>) and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

sqlite=200
postgres=50
reps=3
jobs=1,4
while [ $# -gt 0 ]; do
  case "$1" in
    --sqlite) sqlite=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

admin=${ARTE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${admin%/*}
cargo build --release -q -p arte-example --features postgres
bin=$PWD/target/release/arte-example
work=$(mktemp -d)
created=()
cleanup() {
  for db in "${created[@]}"; do
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The URLs of one fresh fleet, one per line, in $work/urls.
fresh() {
  local kind=$1 count=$2 i
  : >"$work/urls"
  rm -rf "$work/files" && mkdir -p "$work/files"
  for ((i = 0; i < count; i++)); do
    if [ "$kind" = sqlite ]; then
      echo "sqlite://$work/files/tenant_$i.sqlite" >>"$work/urls"
    else
      local db="arte_fleet_$$_${#created[@]}"
      psql -q "$admin" -c "CREATE DATABASE $db" >/dev/null
      created+=("$db")
      echo "$server/$db" >>"$work/urls"
    fi
  done
}

drop_fleet() {
  local db
  for db in "${created[@]}"; do
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null
  done
  created=()
}

# Seconds of one `migration:latest` over the fleet in $work/urls.
timed() {
  local args=() url start end
  while read -r url; do args+=(--database-url "$url"); done <"$work/urls"
  start=$(date +%s.%N)
  (cd "$work" && "$bin" migration:latest -q --jobs "$1" "${args[@]}")
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "Fleet benchmark, $(date -u +%Y-%m-%d), $(nproc) cores: the example's migrations by \`migration:latest\`; medians of $reps."
echo
echo "| fleet | --jobs | wall time | per database | speed-up |"
echo "| --- | ---: | ---: | ---: | ---: |"
for kind in sqlite postgres; do
  count=$([ "$kind" = sqlite ] && echo "$sqlite" || echo "$postgres")
  [ "$count" -gt 0 ] || continue
  base=
  for j in ${jobs//,/ }; do
    times=()
    for ((r = 0; r < reps; r++)); do
      fresh "$kind" "$count"
      times+=("$(timed "$j")")
      [ "$kind" = postgres ] && drop_fleet
    done
    t=$(printf '%s\n' "${times[@]}" | median)
    [ -n "$base" ] || base=$t
    label=$([ "$kind" = sqlite ] && echo "$count SQLite files" || echo "$count PostgreSQL databases")
    printf '| %s | %s | %.2f s | %.1f ms | ×%.2f |\n' "$label" "$j" "$t" \
      "$(echo "$t * 1000 / $count" | bc -l)" "$(echo "$base / $t" | bc -l)"
  done
done
