#!/usr/bin/env bash
# What `#[migration]` and `migrations!()` cost at build time. Generates two throwaway crates
# in a temporary directory, each with 1,000 migration files under server/migrations/ (each
# creating a table with the schema builder), both depending on arte-core by path:
#
#   arte-probe   the files as an application writes them: `#[migration("…")]` on `up`,
#                `arte_core::migrations!();` in lib.rs
#   plain-probe  the same functions without arte's macros: no attribute, one `#[path] mod`
#                per file in lib.rs (the floor: what compiling the functions alone costs)
#
# and measures, for each: a clean `cargo build --release` of the crate alone (its
# dependencies already built), a clean debug build of the crate alone, and the debug
# rebuild after touching one migration file. Then the size of the macros' expansion per
# migration, from `-Zunpretty=expanded` (nightly-only: run on this stable toolchain with
# RUSTC_BOOTSTRAP=1, which unlocks it for this one measurement).
#
#   tests/bench/build_time.sh [--migrations 1000] [--target-dir DIR] [--keep] [--optimized-macros]
#
# --target-dir defaults to target/build-time in this repository (kept between runs, so only
# the first run builds the dependencies); --keep keeps the generated crates.
# --optimized-macros builds both crates with the README's setting for faster builds,
# `[profile.dev.build-override] opt-level = 3` (and the same for release), which compiles
# proc macros and their dependencies optimised (target/build-time-optimized by default).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
count=1000
target_dir="$repo/target/build-time"
keep=0
optimized=0
while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) count=$2; shift 2 ;;
    --target-dir) target_dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --optimized-macros)
      optimized=1
      [ "$target_dir" = "$repo/target/build-time" ] && target_dir="$repo/target/build-time-optimized"
      shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/arte-build-time.XXXXXX")
if [ "$keep" = 1 ]; then
  echo "(crates kept in $work)"
else
  trap 'rm -rf "$work"' EXIT
fi
export CARGO_TARGET_DIR="$target_dir"
export CARGO_TERM_COLOR=never

# One crate: $1 = name, $2 = arte|plain.
generate() {
  local name=$1 kind=$2 dir="$work/$1"
  mkdir -p "$dir/src" "$dir/server/migrations"
  cat > "$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
arte-core = { path = "$repo/arte-core" }
diesel = { version = "2.3", default-features = false }

[workspace]
EOF
  if [ "$optimized" = 1 ]; then
    cat >> "$dir/Cargo.toml" <<EOF

[profile.dev.build-override]
opt-level = 3

[profile.release.build-override]
opt-level = 3
EOF
  fi
  # The repository's lock file, so that both crates build the same dependency versions.
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
  cat > "$dir/build.rs" <<'EOF'
fn main() {
    println!("cargo:rerun-if-changed=server/migrations");
}
EOF
  if [ "$kind" = arte ]; then
    echo 'arte_core::migrations!();' > "$dir/src/lib.rs"
  else
    : > "$dir/src/lib.rs"
  fi
  local i hh mm file table attribute
  for ((i = 0; i < count; i++)); do
    printf -v hh '%02d' $(( i / 60 % 24 ))
    printf -v mm '%02d' $(( i % 60 ))
    printf -v table 't%05d' "$i"
    local day
    printf -v day '%02d' $(( 1 + i / 1440 ))
    file="2026_01_${day}_${hh}_${mm}_create_table_${table}"
    attribute="#[migration(\"$file\")]"
    [ "$kind" = arte ] || attribute=""
    cat > "$dir/server/migrations/$file.rs" <<EOF
use arte_core::prelude::*;

const TABLE: &str = "$table";

$attribute
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_column("name", "varchar(255)", |col| col.not_null())
        .add_column("body", "text", |col| col)
        .add_column("quantity", "integer", |col| col.not_null().default(0))
        .add_column("price", "decimal(10, 2)", |col| col.not_null().default(0))
        .add_column("created_at", "timestamp", |col| col.not_null().default_raw("CURRENT_TIMESTAMP"))
        .add_index(&["name"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
EOF
    if [ "$kind" = plain ]; then
      printf '#[path = "../server/migrations/%s.rs"]\npub mod m_%s;\n' "$file" "$table" >> "$dir/src/lib.rs"
    fi
  done
}

# Milliseconds that "$@" takes (its output goes to $work/log).
timed() {
  local started ended
  started=$(date +%s%N)
  "$@" >>"$work/log" 2>&1 || { echo "failed: $*" >&2; tail -30 "$work/log" >&2; exit 1; }
  ended=$(date +%s%N)
  echo $(( (ended - started) / 1000000 ))
}

seconds() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }'; }

generate arte-probe arte
generate plain-probe plain

declare -A ms
for name in plain-probe arte-probe; do
  manifest="$work/$name/Cargo.toml"
  echo "building $name's dependencies (once; kept in $target_dir)…" >&2
  timed cargo build --release --manifest-path "$manifest" >/dev/null
  timed cargo build --manifest-path "$manifest" >/dev/null
  echo "timing $name…" >&2
  cargo clean -q --release -p "$name" --manifest-path "$manifest"
  ms[release_clean:$name]=$(timed cargo build --release --manifest-path "$manifest")
  cargo clean -q -p "$name" --manifest-path "$manifest"
  ms[debug_clean:$name]=$(timed cargo build --manifest-path "$manifest")
  touch "$(ls "$work/$name/server/migrations/"*.rs | sed -n "$(( count / 2 + 1 ))p")"
  ms[debug_touch:$name]=$(timed cargo build --manifest-path "$manifest")
done

echo "### Build time: $count migrations in one crate"
echo
settings="the default profiles (proc macros compiled without optimisation)"
[ "$optimized" = 1 ] && settings="\`opt-level = 3\` in \`[profile.dev.build-override]\` and \`[profile.release.build-override]\` (proc macros compiled optimised)"
echo "$(date -u '+%Y-%m-%d'), $(nproc) cores, rustc $(rustc --version | cut -d' ' -f2); the crate alone, its dependencies already built; $settings."
echo
echo "| build | plain functions (floor) | \`#[migration]\` + \`migrations!()\` | × |"
echo "|---|--:|--:|--:|"
for row in "clean release build (cargo build --release):release_clean" \
           "clean debug build (cargo build):debug_clean" \
           "debug rebuild after touching one migration file:debug_touch"; do
  label=${row%%:*}
  key=${row##*:}
  plain=${ms[$key:plain-probe]}
  arte=${ms[$key:arte-probe]}
  echo "| $label | $(seconds "$plain") | $(seconds "$arte") | **$(ratio "$arte" "$plain")** |"
done
echo

# The expansion, with rustc's pretty-printer (nightly-only flag, unlocked on stable).
expand() {
  RUSTC_BOOTSTRAP=1 cargo rustc -q --lib --manifest-path "$work/$1/Cargo.toml" -- -Zunpretty=expanded 2>>"$work/log"
}
if expand arte-probe > "$work/arte.expanded.rs" && expand plain-probe > "$work/plain.expanded.rs"; then
  arte_lines=$(wc -l < "$work/arte.expanded.rs")
  plain_lines=$(wc -l < "$work/plain.expanded.rs")
  arte_bytes=$(wc -c < "$work/arte.expanded.rs")
  plain_bytes=$(wc -c < "$work/plain.expanded.rs")
  echo "#### What the macros expand to (rustc -Zunpretty=expanded, through RUSTC_BOOTSTRAP=1)"
  echo
  echo "| crate | expanded lines | expanded bytes |"
  echo "|---|--:|--:|"
  echo "| plain functions | $plain_lines | $plain_bytes |"
  echo "| \`#[migration]\` + \`migrations!()\` | $arte_lines | $arte_bytes |"
  echo "| difference per migration | $(( (arte_lines - plain_lines) / count )) | $(( (arte_bytes - plain_bytes) / count )) |"
  echo
  echo "One migration's expansion (the first module, as rustc prints it):"
  echo
  echo '```rust'
  awk '/^#\[path =/ { n++ } n == 1 { print } n == 2 { exit }' "$work/arte.expanded.rs"
  echo '```'
else
  echo "(the expansion could not be printed: see $work/log)"
fi
