#!/usr/bin/env bash
# The crash suite, soaked: many more kills than CI's 20 per backend.
#
#   tests/crash/soak.sh --trials 500                # every backend the build includes
#   tests/crash/soak.sh --trials 200 --backend mysql
#   ARTE_CRASH_SEED=123 tests/crash/soak.sh ...      # replay one sequence of kill times
#
# Needs the PostgreSQL and MariaDB servers of the README's test command (the defaults, or
# ARTE_TEST_POSTGRES_URL / ARTE_TEST_MYSQL_URL).
set -euo pipefail
cd "$(dirname "$0")/../.."
trials=100
backend=""
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials="$2"; shift 2 ;;
    --backend) backend="$2::"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
ARTE_CRASH_TRIALS="$trials" cargo test --all-features -p arte-tests --test crash -- \
  --nocapture --test-threads 1 "${backend}killed_migrations"
