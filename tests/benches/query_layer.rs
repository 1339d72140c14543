//! The contract query layer (`#[table]`: `Item::create`, `find`, `update`, `soft_delete`)
//! against the same operations written by hand with diesel, on in-memory SQLite through the
//! same `AnyConnection`, so that only the layer differs. Criterion prints each measurement;
//! at the end this prints arte / by hand per operation, from the samples criterion took.
//!
//! `cargo bench -p arte-tests --bench query_layer`

use arte_core::AnyConnection;
use arte_core::prelude::*;
use arte_core::table;
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

/// The same table, row, insert and changeset declared by hand, as a diesel user writes them.
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
        items::table.find(id).select(selection()).first(conn)
    }

    pub fn find(conn: &mut arte_core::AnyConnection, id: i64) -> QueryResult<Option<Row>> {
        items::table
            .find(id)
            .filter(items::deleted_at.is_null())
            .select(selection())
            .first(conn)
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
            .first(conn)
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

/// Inserts `count` rows through arte (the same rows either way) and returns their keys.
fn seed(conn: &mut AnyConnection, count: u64) -> Vec<i64> {
    (0..count)
        .map(|i| Item::create(conn, &new_item(i)).expect("seeding a row").id)
        .collect()
}

/// Per-iteration times of every sample criterion took, per (operation, side).
type Recorded = Arc<Mutex<BTreeMap<(&'static str, &'static str), Vec<Duration>>>>;

const ARTE: &str = "arte contract";
const HAND: &str = "diesel by hand";

fn record(recorded: &Recorded, op: &'static str, side: &'static str, total: Duration, iters: u64) {
    let per = total / u32::try_from(iters.max(1)).unwrap_or(u32::MAX);
    if let Ok(mut map) = recorded.lock() {
        map.entry((op, side)).or_default().push(per);
    }
}

/// Benchmarks `op` on both sides: `arte` and `hand` get a fresh database seeded with
/// `iters` rows and run `iters` operations on it; only the operations are timed.
fn pair(
    c: &mut Criterion,
    recorded: &Recorded,
    op: &'static str,
    arte: fn(&mut AnyConnection, &[i64], u64),
    hand: fn(&mut AnyConnection, &[i64], u64),
    seeded: bool,
) {
    let mut group = c.benchmark_group(op);
    for (side, work) in [(ARTE, arte), (HAND, hand)] {
        let recorded = recorded.clone();
        group.bench_function(BenchmarkId::from_parameter(side), move |b| {
            b.iter_custom(|iters| {
                let mut conn = database();
                let keys = if seeded {
                    seed(&mut conn, iters)
                } else {
                    Vec::new()
                };
                let started = Instant::now();
                work(&mut conn, &keys, iters);
                let total = started.elapsed();
                record(&recorded, op, side, total, iters);
                total
            })
        });
    }
    group.finish();
}

fn main() {
    let recorded: Recorded = Arc::default();
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    pair(
        &mut c,
        &recorded,
        "create",
        |conn, _, iters| {
            for i in 0..iters {
                let item = Item::create(conn, &new_item(i)).expect("Item::create");
                std::hint::black_box(item);
            }
        },
        |conn, _, iters| {
            for i in 0..iters {
                let row = by_hand::create(conn, &new_row(i)).expect("create by hand");
                std::hint::black_box(row);
            }
        },
        false,
    );
    pair(
        &mut c,
        &recorded,
        "find",
        |conn, keys, _| {
            for &key in keys {
                let item = Item::find(conn, key).expect("Item::find");
                assert!(item.is_some(), "the seeded row is found");
                std::hint::black_box(item);
            }
        },
        |conn, keys, _| {
            for &key in keys {
                let row = by_hand::find(conn, key).expect("find by hand");
                assert!(row.is_some(), "the seeded row is found");
                std::hint::black_box(row);
            }
        },
        true,
    );
    pair(
        &mut c,
        &recorded,
        "update",
        |conn, keys, _| {
            for (i, &key) in keys.iter().enumerate() {
                let changes = ItemChanges {
                    quantity: Some(i32::try_from(i % 1000).unwrap_or(0)),
                    ..ItemChanges::default()
                };
                let item = Item::update(conn, key, &changes).expect("Item::update");
                assert!(item.is_some(), "the seeded row is updated");
                std::hint::black_box(item);
            }
        },
        |conn, keys, _| {
            for (i, &key) in keys.iter().enumerate() {
                let changes = by_hand::Changes {
                    quantity: Some(i32::try_from(i % 1000).unwrap_or(0)),
                    ..by_hand::Changes::default()
                };
                let row = by_hand::update(conn, key, &changes).expect("update by hand");
                assert!(row.is_some(), "the seeded row is updated");
                std::hint::black_box(row);
            }
        },
        true,
    );
    pair(
        &mut c,
        &recorded,
        "soft_delete",
        |conn, keys, _| {
            for &key in keys {
                let done = Item::soft_delete(conn, key).expect("Item::soft_delete");
                assert!(done, "the seeded row is soft-deleted");
            }
        },
        |conn, keys, _| {
            for &key in keys {
                let done = by_hand::soft_delete(conn, key).expect("soft_delete by hand");
                assert!(done, "the seeded row is soft-deleted");
            }
        },
        true,
    );

    c.final_summary();
    print_ratios(&recorded);
}

/// The median of each side's per-iteration times (warm-up samples included; the median
/// discounts them), and arte / by hand.
fn print_ratios(recorded: &Recorded) {
    let Ok(map) = recorded.lock() else {
        return;
    };
    let median = |op: &'static str, side: &'static str| -> Option<Duration> {
        let mut samples = map.get(&(op, side))?.clone();
        samples.sort();
        samples.get(samples.len() / 2).copied()
    };
    println!("\n| operation | diesel by hand | arte contract | × |");
    println!("|---|--:|--:|--:|");
    for op in ["create", "find", "update", "soft_delete"] {
        if let (Some(hand), Some(arte)) = (median(op, HAND), median(op, ARTE)) {
            println!(
                "| {op} | {:.2} µs | {:.2} µs | **{:.2}×** |",
                hand.as_secs_f64() * 1e6,
                arte.as_secs_f64() * 1e6,
                arte.as_secs_f64() / hand.as_secs_f64()
            );
        }
    }
}
