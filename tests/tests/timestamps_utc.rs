//! `DateTime<Utc>` fields on every backend: a contract's table, made as its generated
//! migration makes it (`timestamptz`), stores moments before 1970 and after 2038 and their
//! microseconds, and reads them back equal whatever the session's time zone. On MySQL and
//! MariaDB that column is a `datetime(6)` (a `timestamp` holds 1970–2038 only, whole
//! seconds), and the check accepts the `timestamp` of a table made before as well.

use arte_core::contract::check::check;
use arte_core::contract::{Generate, plan_migration};
use arte_core::prelude::*;
use arte_core::table;
use arte_core::{DatabaseUrl, Registry};
use arte_tests::{Kind, TestDb, ok, per_backend};
use chrono::{DateTime, TimeZone, Timelike, Utc};
use diesel::RunQueryDsl;

#[table(name = "events")]
pub struct EventRow {
    pub id: Generated<i64>,
    pub label: String,
    pub happened_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
}

/// A moment the database gives by default.
#[table(name = "stamps")]
pub struct StampRow {
    pub id: Generated<i64>,
    #[column(default_raw = "CURRENT_TIMESTAMP")]
    pub recorded_at: DateTime<Utc>,
}

per_backend!(
    moments_before_1970_after_2038_and_their_microseconds_round_trip,
    a_timestamp_column_made_before_the_change_still_passes_the_check,
    now_as_the_default_of_a_utc_moment_passes_the_check,
);

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, micros: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .and_then(|t| t.with_nanosecond(micros * 1_000))
        .unwrap_or_else(|| panic!("no such moment"))
}

/// 1960-01-01, 2040-03-04 05:06:07 and 2026-05-06 07:08:09.123456, in UTC.
fn moments() -> [(&'static str, DateTime<Utc>); 3] {
    [
        ("before 1970", utc(1960, 1, 1, 0, 0, 0, 0)),
        ("after 2038", utc(2040, 3, 4, 5, 6, 7, 0)),
        ("microseconds", utc(2026, 5, 6, 7, 8, 9, 123_456)),
    ]
}

/// Sets the session's time zone five hours east of UTC, where a database has one.
fn shift_the_session(db: &mut Db, kind: Kind) {
    let sql = match kind {
        Kind::Mysql => "SET time_zone = '+05:00'",
        Kind::Postgres => "SET TIME ZONE 'Asia/Karachi'",
        Kind::Sqlite => return,
    };
    ok(diesel::sql_query(sql)
        .execute(db.connection())
        .map(drop)
        .map_err(arte_core::Error::from));
}

/// Each row's label and moments, read back by the contract.
fn read_back(db: &mut Db, ids: &[i64]) -> Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)> {
    ids.iter()
        .map(|id| {
            let row = ok(EventRow::find(db.connection(), *id))
                .unwrap_or_else(|| panic!("row {id} is gone"));
            (row.label, row.happened_at, row.settled_at)
        })
        .collect()
}

fn moments_before_1970_after_2038_and_their_microseconds_round_trip(test: &TestDb) {
    // The migration `migration:make --from-contracts` writes for the contract.
    let database = ok(DatabaseUrl::parse(test.url()));
    let registry = ok(Registry::from_migrations([]));
    let plan = ok(plan_migration(
        &database,
        &registry,
        &[EventRow::contract()],
        &Generate::new("2026_01_01_00_00_create_table_events"),
    ));
    for line in [
        r#".add_column("happened_at", "timestamptz", |c| c.not_null())"#,
        r#".add_column("settled_at", "timestamptz", |c| c)"#,
    ] {
        assert!(plan.source.contains(line), "{line} in:\n{}", plan.source);
    }

    // Its statements, run here.
    let mut db = test.db();
    create_events(&mut db);
    let types: Vec<String> = test
        .columns("events")
        .into_iter()
        .filter(|c| c.name.ends_with("_at"))
        .map(|c| c.ty)
        .collect();
    let expected = match test.kind() {
        Kind::Sqlite => "timestamptz",
        Kind::Postgres => "timestamp with time zone",
        Kind::Mysql => "datetime(6)",
    };
    assert_eq!(types, [expected, expected]);

    let mut ids = Vec::new();
    let mut written = Vec::new();
    for (label, moment) in moments() {
        let new = NewEventRow {
            label: label.to_owned(),
            happened_at: moment,
            settled_at: Some(moment),
        };
        let created = ok(EventRow::create(db.connection(), &new));
        assert_eq!(
            (created.happened_at, created.settled_at),
            (moment, Some(moment)),
            "{label}: as created"
        );
        ids.push(created.id);
        written.push((label.to_owned(), moment, Some(moment)));
    }
    assert_eq!(read_back(&mut db, &ids), written);

    // Another session time zone reads the same moments.
    shift_the_session(&mut db, test.kind());
    assert_eq!(read_back(&mut db, &ids), written);

    // The database holds them as UTC's wall-clock time (text, for no driver to convert).
    if test.kind() == Kind::Mysql {
        assert_eq!(
            test.strings("SELECT CAST(happened_at AS CHAR) AS v FROM events ORDER BY id"),
            [
                "1960-01-01 00:00:00.000000",
                "2040-03-04 05:06:07.000000",
                "2026-05-06 07:08:09.123456",
            ]
        );
    }

    assert_eq!(ok(check(&mut db, &[EventRow::contract()])), []);
}

/// MySQL and MariaDB: the table as arte made it before `timestamptz` was a `datetime(6)`
/// there. Elsewhere the table is made as it always was.
fn a_timestamp_column_made_before_the_change_still_passes_the_check(test: &TestDb) {
    let mut db = test.db();
    if test.kind() == Kind::Mysql {
        test.execute(
            "CREATE TABLE `events` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, \
             `label` text NOT NULL, `happened_at` timestamp NOT NULL, \
             `settled_at` timestamp NULL)",
        );
        let types: Vec<String> = test.columns("events").into_iter().map(|c| c.ty).collect();
        assert_eq!(types, ["bigint(20)", "text", "timestamp", "timestamp"]);
    } else {
        create_events(&mut db);
    }
    assert_eq!(ok(check(&mut db, &[EventRow::contract()])), []);

    // A moment a `timestamp` holds still round-trips, stored as UTC.
    let moment = utc(2026, 5, 6, 7, 8, 9, 0);
    let created = ok(EventRow::create(
        db.connection(),
        &NewEventRow {
            label: "in range".to_owned(),
            happened_at: moment,
            settled_at: None,
        },
    ));
    assert_eq!(
        read_back(&mut db, &[created.id]),
        [("in range".to_owned(), moment, None)]
    );
    if test.kind() == Kind::Mysql {
        assert_eq!(
            test.strings("SELECT CAST(UNIX_TIMESTAMP(happened_at) AS CHAR) AS v FROM events"),
            [moment.timestamp().to_string()]
        );
    }
}

/// MariaDB writes a `datetime(6)` column's `CURRENT_TIMESTAMP` as `current_timestamp(6)`:
/// the same default.
fn now_as_the_default_of_a_utc_moment_passes_the_check(test: &TestDb) {
    let mut db = test.db();
    ok(db
        .schema()
        .create_table("stamps")
        .add_id_column()
        .add_column("recorded_at", "timestamptz", |c| {
            c.not_null().default_raw("CURRENT_TIMESTAMP")
        })
        .execute());
    assert_eq!(ok(check(&mut db, &[StampRow::contract()])), []);
}

/// The table of `EventRow`, as the schema builder makes it.
fn create_events(db: &mut Db) {
    ok(db
        .schema()
        .create_table("events")
        .add_id_column()
        .add_column("label", "text", |c| c.not_null())
        .add_column("happened_at", "timestamptz", |c| c.not_null())
        .add_column("settled_at", "timestamptz", |c| c)
        .execute());
}
