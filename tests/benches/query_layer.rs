//! The contract query layer (`#[table]`: `Item::create`, `find`, `update`, `soft_delete`)
//! against the same operations written by hand with diesel, on in-memory SQLite through the
//! same `AnyConnection`, so that only the layer differs. Criterion prints each measurement;
//! at the end this prints arte / by hand per operation, from the samples criterion took.
//!
//! `cargo bench -p arte-tests --bench query_layer`
//!
//! Two more modes, which criterion does not see:
//! - `query_layer --statements`: each operation once per side, and the statements each sent
//!   (diesel's instrumentation); exits 1 if the two sides' differ. CI runs it (`cargo test
//!   -p arte-tests --bench query_layer -- --statements`).
//! - `query_layer --probe OP SIDE CALLS`: one side of one operation, for
//!   `tests/bench/query_layer_instructions.sh`, which counts its instructions under
//!   callgrind.

use arte_core::AnyConnection;
use arte_core::prelude::*;
use arte_core::table;
use arte_tests::statements;
use criterion::{BenchmarkId, Criterion};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
    pub quantity: i32,
}

/// The same table, row, insert and changeset declared by hand, as a diesel user writes them,
/// and the same queries: a lookup by key reads its row with `get_result`, not `first`, whose
/// bound `LIMIT ?` SQLite compiles again at every execution (the contract avoids it too).
mod by_hand {
    use chrono::NaiveDateTime;
    use diesel::prelude::*;

    diesel::table! {
        items (id) {
            id -> BigInt,
            name -> Text,
            description -> Nullable<Text>,
            quantity -> Integer,
            created_at -> Timestamp,
            updated_at -> Timestamp,
            deleted_at -> Nullable<Timestamp>,
        }
    }

    /// Every column is loaded, as the contract's row loads them; the benchmark reads none.
    #[derive(Debug, Queryable, Selectable)]
    #[diesel(table_name = items)]
    #[allow(dead_code)]
    pub struct Row {
        pub id: i64,
        pub name: String,
        pub description: Option<String>,
        pub quantity: i32,
        pub created_at: NaiveDateTime,
        pub updated_at: NaiveDateTime,
        pub deleted_at: Option<NaiveDateTime>,
    }

    #[derive(Debug, Clone, Insertable)]
    #[diesel(table_name = items)]
    pub struct NewRow {
        pub name: String,
        pub description: Option<String>,
        pub quantity: i32,
    }

    #[derive(Debug, Clone, Default, AsChangeset)]
    #[diesel(table_name = items)]
    pub struct Changes {
        pub name: Option<String>,
        pub description: Option<Option<String>>,
        pub quantity: Option<i32>,
    }

    fn now() -> NaiveDateTime {
        chrono::Utc::now().naive_utc()
    }

    fn selection() -> diesel::dsl::AsSelect<Row, arte_core::MultiBackend> {
        <Row as SelectableHelper<arte_core::MultiBackend>>::as_select()
    }

    pub fn create(conn: &mut arte_core::AnyConnection, new: &NewRow) -> QueryResult<Row> {
        let now = now();
        diesel::insert_into(items::table)
            .values((
                new.clone(),
                items::created_at.eq(now),
                items::updated_at.eq(now),
            ))
            .execute(conn)?;
        let id: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "last_insert_rowid()",
        ))
        .get_result(conn)?;
        items::table.find(id).select(selection()).get_result(conn)
    }

    pub fn find(conn: &mut arte_core::AnyConnection, id: i64) -> QueryResult<Option<Row>> {
        items::table
            .find(id)
            .filter(items::deleted_at.is_null())
            .select(selection())
            .get_result(conn)
            .optional()
    }

    pub fn update(
        conn: &mut arte_core::AnyConnection,
        id: i64,
        changes: &Changes,
    ) -> QueryResult<Option<Row>> {
        let changed = diesel::update(items::table.find(id).filter(items::deleted_at.is_null()))
            .set((changes.clone(), items::updated_at.eq(now())))
            .execute(conn)?;
        if changed == 0 {
            return Ok(None);
        }
        items::table
            .find(id)
            .select(selection())
            .get_result(conn)
            .optional()
    }

    pub fn soft_delete(conn: &mut arte_core::AnyConnection, id: i64) -> QueryResult<bool> {
        let now = now();
        let changed = diesel::update(items::table.find(id).filter(items::deleted_at.is_null()))
            .set((items::deleted_at.eq(Some(now)), items::updated_at.eq(now)))
            .execute(conn)?;
        Ok(changed > 0)
    }
}

const CREATE_TABLE: &str = "CREATE TABLE items (
    id integer PRIMARY KEY AUTOINCREMENT,
    name varchar(255) NOT NULL,
    description text,
    quantity integer NOT NULL DEFAULT 0,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL,
    deleted_at timestamp
)";

/// A new in-memory database with the table, the same for both sides.
fn database() -> AnyConnection {
    let mut conn =
        AnyConnection::connect("sqlite::memory:").expect("arte opens an in-memory SQLite");
    conn.batch_execute(CREATE_TABLE)
        .expect("the benchmark's table is valid SQLite");
    conn
}

fn new_item(i: u64) -> NewItem {
    NewItem {
        name: format!("item {i}"),
        description: Some("a thing".into()),
        quantity: 1,
    }
}

fn new_row(i: u64) -> by_hand::NewRow {
    by_hand::NewRow {
        name: format!("item {i}"),
        description: Some("a thing".into()),
        quantity: 1,
    }
}

/// A new database (see [`database`]) with `count` rows inserted through arte if `seeded`
/// (the same rows for both sides), and their keys.
fn seeded_database(seeded: bool, count: u64) -> (AnyConnection, Vec<i64>) {
    let mut conn = database();
    let keys = if seeded {
        (0..count)
            .map(|i| {
                Item::create(&mut conn, &new_item(i))
                    .expect("seeding a row")
                    .id
            })
            .collect()
    } else {
        Vec::new()
    };
    (conn, keys)
}

/// Per-iteration times of both sides in every sample criterion took, per operation:
/// (arte, by hand).
type Recorded = Arc<Mutex<BTreeMap<&'static str, Vec<(Duration, Duration)>>>>;

const ARTE: &str = "arte contract";
const HAND: &str = "diesel by hand";

/// `iters` calls of `work` on a fresh database (seeded with a row per call if `seeded`);
/// only the calls are timed. The time per call.
fn timed(work: Operation, seeded: bool, iters: u64) -> Duration {
    let (mut conn, keys) = seeded_database(seeded, iters);
    let started = Instant::now();
    work(&mut conn, &keys, iters);
    started.elapsed() / u32::try_from(iters.max(1)).unwrap_or(u32::MAX)
}

/// Benchmarks `op` on both sides. Whichever side criterion measures, every sample runs
/// both, one after the other and each on its own fresh database, the side that goes first
/// alternating from sample to sample: run one side's samples after the other's, the side
/// run second came out up to 1.8× faster on this machine whichever it was. Criterion reports
/// its side; [`print_ratios`] compares the two sides of each sample.
fn pair(
    c: &mut Criterion,
    recorded: &Recorded,
    op: &'static str,
    arte: Operation,
    hand: Operation,
    seeded: bool,
) {
    let mut group = c.benchmark_group(op);
    let mut arte_first = true;
    for side in [ARTE, HAND] {
        group.bench_function(BenchmarkId::from_parameter(side), |b| {
            b.iter_custom(|iters| {
                let (arte_took, hand_took) = if arte_first {
                    let a = timed(arte, seeded, iters);
                    (a, timed(hand, seeded, iters))
                } else {
                    let h = timed(hand, seeded, iters);
                    (timed(arte, seeded, iters), h)
                };
                arte_first = !arte_first;
                if let Ok(mut map) = recorded.lock() {
                    map.entry(op).or_default().push((arte_took, hand_took));
                }
                let per = if side == ARTE { arte_took } else { hand_took };
                per * u32::try_from(iters).unwrap_or(u32::MAX)
            })
        });
    }
    group.finish();
}

/// The operations both sides run, `iters` times each: named and never inlined, so that a
/// profile of `tests/bench/query_layer_instructions.sh`'s runs names each.
type Operation = fn(&mut AnyConnection, &[i64], u64);

/// (name, arte's side, the side by hand, whether the database is seeded with a row per call).
const OPERATIONS: [(&str, Operation, Operation, bool); 4] = [
    ("create", create_arte, create_hand, false),
    ("find", find_arte, find_hand, true),
    ("update", update_arte, update_hand, true),
    ("soft_delete", soft_delete_arte, soft_delete_hand, true),
];

#[inline(never)]
fn create_arte(conn: &mut AnyConnection, _: &[i64], iters: u64) {
    for i in 0..iters {
        let item = Item::create(conn, &new_item(i)).expect("Item::create");
        std::hint::black_box(item);
    }
}

#[inline(never)]
fn create_hand(conn: &mut AnyConnection, _: &[i64], iters: u64) {
    for i in 0..iters {
        let row = by_hand::create(conn, &new_row(i)).expect("create by hand");
        std::hint::black_box(row);
    }
}

#[inline(never)]
fn find_arte(conn: &mut AnyConnection, keys: &[i64], _: u64) {
    for &key in keys {
        let item = Item::find(conn, key).expect("Item::find");
        assert!(item.is_some(), "the seeded row is found");
        std::hint::black_box(item);
    }
}

#[inline(never)]
fn find_hand(conn: &mut AnyConnection, keys: &[i64], _: u64) {
    for &key in keys {
        let row = by_hand::find(conn, key).expect("find by hand");
        assert!(row.is_some(), "the seeded row is found");
        std::hint::black_box(row);
    }
}

#[inline(never)]
fn update_arte(conn: &mut AnyConnection, keys: &[i64], _: u64) {
    for (i, &key) in keys.iter().enumerate() {
        let changes = ItemChanges {
            quantity: Some(i32::try_from(i % 1000).unwrap_or(0)),
            ..ItemChanges::default()
        };
        let item = Item::update(conn, key, &changes).expect("Item::update");
        assert!(item.is_some(), "the seeded row is updated");
        std::hint::black_box(item);
    }
}

#[inline(never)]
fn update_hand(conn: &mut AnyConnection, keys: &[i64], _: u64) {
    for (i, &key) in keys.iter().enumerate() {
        let changes = by_hand::Changes {
            quantity: Some(i32::try_from(i % 1000).unwrap_or(0)),
            ..by_hand::Changes::default()
        };
        let row = by_hand::update(conn, key, &changes).expect("update by hand");
        assert!(row.is_some(), "the seeded row is updated");
        std::hint::black_box(row);
    }
}

#[inline(never)]
fn soft_delete_arte(conn: &mut AnyConnection, keys: &[i64], _: u64) {
    for &key in keys {
        let done = Item::soft_delete(conn, key).expect("Item::soft_delete");
        assert!(done, "the seeded row is soft-deleted");
    }
}

#[inline(never)]
fn soft_delete_hand(conn: &mut AnyConnection, keys: &[i64], _: u64) {
    for &key in keys {
        let done = by_hand::soft_delete(conn, key).expect("soft_delete by hand");
        assert!(done, "the seeded row is soft-deleted");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--probe") => return probe(&args[1..]),
        Some("--statements") => return statements(),
        _ => {}
    }
    let recorded: Recorded = Arc::default();
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for (op, arte, hand, seeded) in OPERATIONS {
        pair(&mut c, &recorded, op, arte, hand, seeded);
    }
    c.final_summary();
    print_ratios(&recorded);
}

/// `query_layer --probe OP SIDE CALLS`: one side of one operation, `CALLS` times as a
/// warm-up, then `CALLS` times inside [`measured`], which callgrind's `--toggle-collect`
/// counts alone (`tests/bench/query_layer_instructions.sh`).
fn probe(args: &[String]) {
    let chosen = (|| {
        let (op, side, calls) = (args.first()?, args.get(1)?, args.get(2)?);
        let &(_, arte, hand, seeded) = OPERATIONS.iter().find(|(name, ..)| name == op)?;
        let work = match side.as_str() {
            "arte" => arte,
            "hand" => hand,
            _ => return None,
        };
        Some((op, side, work, seeded, calls.parse::<u64>().ok()?))
    })();
    let Some((op, side, work, seeded, calls)) = chosen else {
        eprintln!("usage: query_layer --probe create|find|update|soft_delete arte|hand CALLS");
        std::process::exit(2);
    };
    let (mut conn, keys) = seeded_database(seeded, 2 * calls);
    let (warm, measure) = keys.split_at(keys.len() / 2);
    work(&mut conn, warm, calls);
    let started = Instant::now();
    measured(work, &mut conn, measure, calls);
    let took = started.elapsed();
    println!(
        "{op} {side}: {calls} calls in {:.2} ms, {:.2} µs a call",
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / calls.max(1) as f64
    );
}

/// The calls callgrind counts.
#[inline(never)]
fn measured(work: Operation, conn: &mut AnyConnection, keys: &[i64], calls: u64) {
    work(conn, keys, calls);
}

/// `query_layer --statements`: each operation once per side on a fresh database, the
/// statements each sends as diesel's instrumentation sees them; exits 1 if they differ.
fn statements() {
    let mut same = true;
    for (op, arte, hand, seeded) in OPERATIONS {
        let sent = [arte, hand].map(|work| {
            let (mut conn, keys) = seeded_database(seeded, 1);
            let seen = statements::record(&mut conn);
            work(&mut conn, &keys, 1);
            statements::taken(&seen)
        });
        let [arte, hand] = sent;
        println!(
            "{op}: {}",
            if arte == hand {
                "the same statements"
            } else {
                "different statements"
            }
        );
        for (a, h) in arte.iter().zip(&hand) {
            println!("  arte: {a}");
            if a != h {
                println!("  hand: {h}");
            }
        }
        if arte.len() != hand.len() {
            println!(
                "  arte sent {} statements, by hand {}",
                arte.len(),
                hand.len()
            );
        }
        same &= arte == hand;
    }
    if !same {
        std::process::exit(1);
    }
}

/// The median of each side's per-call times over every sample (warm-up samples included;
/// the median discounts them), and the median of arte / by hand within each sample.
fn print_ratios(recorded: &Recorded) {
    let Ok(map) = recorded.lock() else {
        return;
    };
    let median = |mut values: Vec<f64>| -> Option<f64> {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied()
    };
    println!("\n| operation | diesel by hand | arte contract | × (median of each sample's) |");
    println!("|---|--:|--:|--:|");
    for (op, ..) in OPERATIONS {
        let Some(samples) = map.get(op) else {
            continue;
        };
        let arte = median(samples.iter().map(|s| s.0.as_secs_f64()).collect());
        let hand = median(samples.iter().map(|s| s.1.as_secs_f64()).collect());
        let ratio = median(
            samples
                .iter()
                .map(|s| s.0.as_secs_f64() / s.1.as_secs_f64().max(f64::MIN_POSITIVE))
                .collect(),
        );
        if let (Some(arte), Some(hand), Some(ratio)) = (arte, hand, ratio) {
            println!(
                "| {op} | {:.2} µs | {:.2} µs | **{ratio:.2}×** |",
                hand * 1e6,
                arte * 1e6
            );
        }
    }
}
