#!/usr/bin/env bash
# The contract query layer against the same operations written by hand with diesel, counted
# in instructions rather than timed: `tests/benches/query_layer.rs` (criterion's wall times,
# whose run-to-run spread on a shared machine is wider than the 3 % the layer is held to)
# also runs one side of one operation alone (`--probe OP SIDE CALLS`), and this runs each
# under valgrind's callgrind, counting only the calls made inside its `measured` function:
# CALLS operations on an in-memory SQLite database after as many uncounted ones (statements
# prepared, caches warm). The count does not move with the machine's load, but the same
# calls land on one of two counts from run to run (glibc's malloc takes one of two paths,
# about 2.5 % apart on `find`), so each side runs ROUNDS times, interleaved with the other,
# and the least count of each is compared.
#
# First it checks that both sides send the same statements (`--statements`: each operation
# once per side, as diesel's instrumentation sees them) and stops if they do not.
#
#   tests/bench/query_layer_instructions.sh [--calls 1000] [--rounds 5]
#
# Needs valgrind (`apt-get install valgrind`). About 2.5 min after the build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
calls=1000
rounds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) calls=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v valgrind > /dev/null || {
  echo "valgrind is not installed: install it (apt-get install valgrind) and run this again" >&2
  exit 2
}

cd "$repo"
bench=$(cargo bench -p arte-tests --bench query_layer --no-run 2>&1 \
  | sed -n 's/.*Executable [^(]*(\(.*\)).*/\1/p' | tail -n 1)
[ -x "$bench" ] || { echo "the query_layer benchmark did not build" >&2; exit 1; }

echo "== the statements each side sends"
"$bench" --statements

# Instructions counted inside `measured` for one side of one operation.
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*measured' \
    "$bench" --probe "$1" "$2" "$calls" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo
echo "== instructions per call, $calls calls each, least of $rounds runs (valgrind --tool=callgrind)"
echo
echo "| operation | diesel by hand | arte contract | × |"
echo "|---|--:|--:|--:|"
for op in create find update soft_delete; do
  hand=; arte=
  for _ in $(seq "$rounds"); do
    h=$(count "$op" hand); a=$(count "$op" arte)
    if [ -z "$hand" ] || [ "$h" -lt "$hand" ]; then hand=$h; fi
    if [ -z "$arte" ] || [ "$a" -lt "$arte" ]; then arte=$a; fi
  done
  awk -v op="$op" -v h="$hand" -v a="$arte" -v n="$calls" \
    'BEGIN { printf "| %s | %.0f | %.0f | **%.3f×** |\n", op, h / n, a / n, a / h }'
done
