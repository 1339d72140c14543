#!/usr/bin/env bash
# arte's migration benchmarks against the floor (the same DDL through plain diesel), per
# backend and N, then `migration:status` as a whole process. Prints Markdown tables.
#
#   tests/bench/run.sh                                   # the full run (BENCHMARKS.md)
#   tests/bench/run.sh --n 100 --backends sqlite --reps 3 --no-process   # a quick look
#
# Options (defaults in brackets):
#   --n LIST            migration counts [100,1000,10000]
#   --backends LIST     sqlite,sqlite-tmpfs,postgres,mysql [all four]
#   --reps K            repetitions for N <= 1,000 [5]; medians are reported
#   --reps-large K      repetitions for N > 1,000 [1]
#   --mysql-reps K      repetitions on MySQL/MariaDB at every N [as --reps / --reps-large]
#   --mysql-max-n N     larger N are skipped on MySQL/MariaDB [1000]
#   --down-max K        time only the first K of the N `down(1)` calls at larger N: each
#                       call is a whole operation, so 10,000 of them make the run long [1000]
#   --spawns K          spawns of each program for the process comparison [30]
#   --no-process        skip the process comparison
#   --output FILE       also write everything printed to FILE
#
# Servers: ARTE_TEST_POSTGRES_URL, ARTE_TEST_MYSQL_URL (defaults as in the test suites).
# Every database is created fresh (arte_bench_<pid>_<n>) and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

n=100,1000,10000
backends=sqlite,sqlite-tmpfs,postgres,mysql
reps=5
reps_large=1
mysql_reps=
mysql_max_n=1000
down_max=1000
spawns=30
process=1
output=

while [ $# -gt 0 ]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --reps-large) reps_large=$2; shift 2 ;;
    --mysql-reps) mysql_reps=$2; shift 2 ;;
    --mysql-max-n) mysql_max_n=$2; shift 2 ;;
    --down-max) down_max=$2; shift 2 ;;
    --spawns) spawns=$2; shift 2 ;;
    --no-process) process=0; shift ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -n "$output" ]; then
  exec > >(tee "$output")
fi

# Release builds, every backend compiled into both binaries, so that both load the same
# client libraries.
cargo build --release -q -p arte-tests --features postgres,mysql --bin arte-bench
cargo build --release -q -p arte-example --features postgres,mysql --bin arte-example
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bench="$target_dir/release/arte-bench"
example="$target_dir/release/arte-example"

echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(uname -sr)"
echo
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  git diff --quiet HEAD -- arte-core arte-macros arte-cli || commit="$commit (with uncommitted changes to arte)"
else
  commit="(not a git checkout)"
fi
echo "commit $commit; rustc $(rustc --version | cut -d' ' -f2)"
echo

started=$(date +%s)
"$bench" migrations --n "$n" --backends "$backends" --reps "$reps" \
  --reps-large "$reps_large" ${mysql_reps:+--mysql-reps "$mysql_reps"} --mysql-max-n "$mysql_max_n" --down-max "$down_max"
if [ "$process" = 1 ]; then
  "$bench" status-process --example-bin "$example" --backends "$backends" --spawns "$spawns"
fi
echo "(run.sh took $(( $(date +%s) - started )) s after building.)"
