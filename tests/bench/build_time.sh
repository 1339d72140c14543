#!/usr/bin/env bash
# What `#[migration]` and `migrations!()` cost at build time. Generates throwaway crates in a
# temporary directory, each with 1,000 migrations, and measures them one after the other:
#
#   arte-probe    the migration files as an application writes them: `#[migration("…")]` on
#                 `up`, `arte_core::migrations!();` in lib.rs (arte-core by path)
#   plain-probe   the same functions without arte's macros: no attribute, one `#[path] mod`
#                 per file in lib.rs (the floor: what compiling the functions alone costs)
#   diesel-probe  the same migrations as diesel writes them, `up.sql` and `down.sql` in one
#                 directory each, compiled in by diesel_migrations' `embed_migrations!`
#                 (the reference the performance targets name; from crates.io)
#
# For each: a clean `cargo build --release` of the crate alone (its dependencies already
# built), a clean debug build of the crate alone, and the debug rebuild after touching one
# migration file; wall time and CPU time (user + system, which other work on the machine
# moves less). Then the size of the macros' expansion per migration, from
# `-Zunpretty=expanded` (nightly-only: run on this stable toolchain with RUSTC_BOOTSTRAP=1,
# which unlocks it for this one measurement).
#
#   tests/bench/build_time.sh [--migrations 1000] [--body builder|sql] [--target-dir DIR]
#                             [--keep] [--optimized-macros]
#
# --body: what each migration's Rust function does. `builder` (the default): creates its
# table with the schema builder (a six-column table and an index; `down` drops it). `sql`:
# runs the same two statements as text through `db.execute`, the Rust form of diesel's SQL
# files (the diesel crate holds that SQL whichever body is chosen).
# --target-dir defaults to target/build-time in this repository (kept between runs, so only
# the first run builds the dependencies); --keep keeps the generated crates.
# --optimized-macros builds the crates with the README's setting for faster builds,
# `[profile.dev.build-override] opt-level = 3` (and the same for release), which compiles
# proc macros and their dependencies optimised (target/build-time-optimized by default).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
count=1000
body=builder
target_dir="$repo/target/build-time"
keep=0
optimized=0
while [ $# -gt 0 ]; do
  case "$1" in
    --migrations) count=$2; shift 2 ;;
    --body)
      body=$2
      case "$body" in builder|sql) ;; *) echo "--body takes builder or sql, not $body" >&2; exit 2 ;; esac
      shift 2 ;;
    --target-dir) target_dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --optimized-macros)
      optimized=1
      [ "$target_dir" = "$repo/target/build-time" ] && target_dir="$repo/target/build-time-optimized"
      shift ;;
    -h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# One crate: $1 = name, $2 = arte|plain|diesel.
generate() {
  local name=$1 kind=$2 dir="$work/$1"
  mkdir -p "$dir/src"
  local dependency="arte-core = { path = \"$repo/arte-core\" }"
  [ "$kind" = diesel ] && dependency='diesel_migrations = "2.3"'
  cat > "$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$dependency
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
  # The repository's lock file, so that the crates build the same dependency versions
  # (cargo adds diesel_migrations to the diesel crate's copy).
  cp "$repo/Cargo.lock" "$dir/Cargo.lock"
  # What the README's build.rs watches (arte's macro warns when a directory is missing).
  local watched='println!("cargo:rerun-if-changed=server/migrations");
    println!("cargo:rerun-if-changed=modules");'
  [ "$kind" = diesel ] && watched='println!("cargo:rerun-if-changed=migrations");'
  cat > "$dir/build.rs" <<EOF
fn main() {
    $watched
}
EOF
  case "$kind" in
    arte) echo 'arte_core::migrations!();' > "$dir/src/lib.rs" ;;
    plain) : > "$dir/src/lib.rs" ;;
    diesel)
      cat > "$dir/src/lib.rs" <<'EOF'
use diesel_migrations::{EmbeddedMigrations, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");
EOF
      ;;
  esac
  local i hh mm day table name create index drop attribute
  for ((i = 0; i < count; i++)); do
    printf -v hh '%02d' $(( i / 60 % 24 ))
    printf -v mm '%02d' $(( i % 60 ))
    printf -v day '%02d' $(( 1 + i / 1440 ))
    printf -v table 't%05d' "$i"
    name="2026_01_${day}_${hh}_${mm}_create_table_${table}"
    # The statements arte's schema builder renders for SQLite.
    create="CREATE TABLE \"$table\" (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"name\" varchar(255) NOT NULL, \"body\" text, \"quantity\" integer NOT NULL DEFAULT 0, \"price\" decimal(10, 2) NOT NULL DEFAULT 0, \"created_at\" timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    index="CREATE INDEX \"${table}_name_index\" ON \"$table\" (\"name\")"
    drop="DROP TABLE \"$table\""
    if [ "$kind" = diesel ]; then
      mkdir -p "$dir/migrations/2026-01-${day}-${hh}${mm}00_create_table_${table}"
      printf '%s;\n%s;\n' "$create" "$index" > "$dir/migrations/2026-01-${day}-${hh}${mm}00_create_table_${table}/up.sql"
      printf '%s;\n' "$drop" > "$dir/migrations/2026-01-${day}-${hh}${mm}00_create_table_${table}/down.sql"
      continue
    fi
    mkdir -p "$dir/server/migrations"
    attribute="#[migration(\"$name\")]"
    [ "$kind" = arte ] || attribute=""
    if [ "$body" = builder ]; then
      cat > "$dir/server/migrations/$name.rs" <<EOF
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
    else
      cat > "$dir/server/migrations/$name.rs" <<EOF
use arte_core::prelude::*;

$attribute
pub fn up(db: &mut Db) -> Result<()> {
    db.execute(r#"$create"#)?;
    db.execute(r#"$index"#)
}

pub fn down(db: &mut Db) -> Result<()> {
    db.execute(r#"$drop"#)
}
EOF
    fi
    if [ "$kind" = plain ]; then
      printf '#[path = "../server/migrations/%s.rs"]\npub mod m_%s;\n' "$name" "$table" >> "$dir/src/lib.rs"
    fi
  done
}

# "wall_ms cpu_ms" of "$@" (CPU: user + system of it and its children; its output goes to
# $work/log).
timed() {
  local TIMEFORMAT='%3R %3U %3S' times
  if ! times=$( { time "$@" >>"$work/log" 2>&1; } 2>&1 ); then
    echo "failed: $*" >&2
    tail -30 "$work/log" >&2
    exit 1
  fi
  awk -v t="$times" 'BEGIN { split(t, f, " "); printf "%d %d", f[1] * 1000, (f[2] + f[3]) * 1000 }'
}

seconds() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }'; }

generate arte-probe arte
generate plain-probe plain
generate diesel-probe diesel

declare -A ms
for name in plain-probe diesel-probe arte-probe; do
  manifest="$work/$name/Cargo.toml"
  echo "building $name's dependencies (once; kept in $target_dir)…" >&2
  timed cargo build --release --manifest-path "$manifest" >/dev/null
  timed cargo build --manifest-path "$manifest" >/dev/null
  echo "timing $name…" >&2
  cargo clean -q --release -p "$name" --manifest-path "$manifest"
  ms[release_clean:$name]=$(timed cargo build --release --manifest-path "$manifest")
  cargo clean -q -p "$name" --manifest-path "$manifest"
  ms[debug_clean:$name]=$(timed cargo build --manifest-path "$manifest")
  if [ "$name" = diesel-probe ]; then
    touch "$(ls -d "$work/$name/migrations/"*/ | sed -n "$(( count / 2 + 1 ))p")up.sql"
  else
    touch "$(ls "$work/$name/server/migrations/"*.rs | sed -n "$(( count / 2 + 1 ))p")"
  fi
  ms[debug_touch:$name]=$(timed cargo build --manifest-path "$manifest")
done

echo "### Build time: $count migrations in one crate"
echo
settings="the default profiles (proc macros compiled without optimisation)"
[ "$optimized" = 1 ] && settings="\`opt-level = 3\` in \`[profile.dev.build-override]\` and \`[profile.release.build-override]\` (proc macros compiled optimised)"
what="creates its table with the schema builder"
[ "$body" = sql ] && what="runs its two statements as text through \`db.execute\`"
echo "$(date -u '+%Y-%m-%d'), $(nproc) cores, rustc $(rustc --version | cut -d' ' -f2); the crate alone, its dependencies already built; $settings. Each Rust migration $what; diesel's are \`up.sql\` and \`down.sql\` files holding the same SQL. Wall time, then CPU time (user + system) in brackets; × is arte's against each, in wall time (CPU time)."
echo
echo "| build | plain functions (floor) | diesel_migrations \`embed_migrations!\` | \`#[migration]\` + \`migrations!()\` | × plain functions | × diesel |"
echo "|---|--:|--:|--:|--:|--:|"
for row in "clean release build (cargo build --release):release_clean" \
           "clean debug build (cargo build):debug_clean" \
           "debug rebuild after touching one migration file:debug_touch"; do
  label=${row%%:*}
  key=${row##*:}
  read -r plain plain_cpu <<< "${ms[$key:plain-probe]}"
  read -r diesel diesel_cpu <<< "${ms[$key:diesel-probe]}"
  read -r arte arte_cpu <<< "${ms[$key:arte-probe]}"
  echo "| $label | $(seconds "$plain") ($(seconds "$plain_cpu")) | $(seconds "$diesel") ($(seconds "$diesel_cpu")) | $(seconds "$arte") ($(seconds "$arte_cpu")) | **$(ratio "$arte" "$plain")** ($(ratio "$arte_cpu" "$plain_cpu")) | **$(ratio "$arte" "$diesel")** ($(ratio "$arte_cpu" "$diesel_cpu")) |"
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
