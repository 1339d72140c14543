//! What arte sends to the database around a migration, statement by statement, as the
//! connection's instrumentation sees it: the migration's own statements and as little
//! else as the guarantees allow. Each extra statement is named here with what it is for.

use arte_core::prelude::*;
use arte_core::{Migration, Registry, State};
use arte_tests::named::{create, drop};
use arte_tests::orphans::{delete_the_parent, drop_the_parent, nothing, parents_and_children};
use arte_tests::statements::taken;
use arte_tests::{Kind, TestDb, ok, per_backend};
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

per_backend!(
    applying_sends_the_migrations_statements_and_one_row_each,
    rolling_back_sends_the_migrations_statements_and_one_delete_each,
    a_kept_migrations_table_is_not_read_again_until_something_writes,
    status_after_an_operation_reads_the_table_again_only_once_it_was_written,
    rows_orphaned_through_the_connection_are_still_refused,
    a_referenced_table_dropped_through_the_connection_is_still_refused,
    a_schema_statement_half_done_fails_its_migration_even_if_its_error_is_ignored,
);

/// The tests that need a server's mark to stay still between two operations (PostgreSQL's
/// snapshot and MariaDB's transaction counter, which any write on the server moves) run
/// alone among this file's tests; the others run beside one another. cargo runs the other
/// test binaries before or after this one, not beside it.
static SERVER: RwLock<()> = RwLock::new(());

fn alone() -> RwLockWriteGuard<'static, ()> {
    SERVER.write().unwrap_or_else(PoisonError::into_inner)
}

fn beside_others() -> RwLockReadGuard<'static, ()> {
    SERVER.read().unwrap_or_else(PoisonError::into_inner)
}

const A: &str = "2026_01_01_00_00_create_a";
const B: &str = "2026_01_02_00_00_create_b";
const C: &str = "2026_01_03_00_00_create_c";

fn migrator(db: &TestDb, names: &[&'static str]) -> Migrator {
    let migrations = names
        .iter()
        .map(|name| &*Box::leak(Box::new(Migration::new(name, create, Some(drop)))));
    let registry = ok(Registry::from_migrations(migrations));
    match Db::connect(db.url()) {
        Ok(connection) => Migrator::with_registry(connection, registry),
        Err(error) => panic!("cannot connect to {}: {error}", db.url()),
    }
}

/// Records every statement the migrator's connection sends from here on.
fn record(migrator: &mut Migrator) -> Arc<Mutex<Vec<String>>> {
    arte_tests::statements::record(migrator.db().connection())
}

/// The statements of one operation that are not the operation's own work: the lock, its
/// release, the one read of the migrations table (or of its stamp, when the migrator kept
/// it from its last operation, and again as the operation ends), and SQLite's foreign keys
/// turned off and on (once per operation, never per migration).
fn is_per_operation(sql: &str) -> bool {
    sql.contains("LOCK")
        || sql.contains("lock(")
        || sql.contains("@arte_galera")
        || sql.starts_with("PRAGMA")
        || sql.contains("pragma_database_list")
        || is_read_of_the_table(sql)
        || is_stamp(sql)
}

/// The read of the migrations table's rows (`repository.rs`).
fn is_read_of_the_table(sql: &str) -> bool {
    sql.starts_with("SELECT id, name, module, batch, checksum")
}

/// How many of `statements` read the migrations table's rows.
fn reads_of_the_table(statements: &[String]) -> usize {
    statements
        .iter()
        .filter(|s| is_read_of_the_table(s))
        .count()
}

/// The read of the migrations table's stamp (on SQLite, after an operation of the same
/// connection, its data version alone; on MariaDB, InnoDB's transaction counter), or of
/// PostgreSQL's quiet mark (`ledger.rs`).
fn is_stamp(sql: &str) -> bool {
    sql.contains("pragma_data_version")
        || sql == DATA_VERSION
        || sql.starts_with("CHECKSUM TABLE")
        || sql.contains("Innodb_max_trx_id")
        || sql.contains("txid_current_snapshot")
}

/// SQLite's stamp where only other connections can have moved it.
const DATA_VERSION: &str = "PRAGMA data_version";

/// `SELECT total_changes(), …`: SQLite's counters, read after each migration to see
/// whether it may have broken a foreign key (the check itself reads every table).
const MARKS: &str = "SELECT total_changes(), schema_version FROM pragma_schema_version";

fn applying_sends_the_migrations_statements_and_one_row_each(db: &TestDb) {
    let _server = beside_others();
    ok(migrator(db, &[A]).latest(&Filter::all()));
    let mut migrator = migrator(db, &[A, B, C]);
    let seen = record(&mut migrator);
    ok(migrator.latest(&Filter::all()));
    let statements = taken(&seen);
    assert_eq!(
        reads_of_the_table(&statements),
        1,
        "one read of the migrations table: {statements:#?}"
    );
    let work: Vec<&str> = statements
        .iter()
        .map(String::as_str)
        .filter(|s| !is_per_operation(s))
        .collect();
    let q = |name: &str| match db.kind() {
        Kind::Mysql => format!("`{name}`"),
        _ => format!("\"{name}\""),
    };
    let ledger = |name: &str| match db.kind() {
        Kind::Postgres => format!("\"{name}\""),
        _ => format!("`{name}`"),
    };
    let create = |t: &str| match db.kind() {
        Kind::Sqlite => format!(
            "CREATE TABLE {} (\"id\" integer PRIMARY KEY AUTOINCREMENT NOT NULL, \"name\" varchar(255) NOT NULL)",
            q(t)
        ),
        Kind::Postgres => format!(
            "CREATE TABLE {} (\"id\" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \"name\" varchar(255) NOT NULL)",
            q(t)
        ),
        Kind::Mysql => format!(
            "CREATE TABLE {} (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `name` varchar(255) NOT NULL)",
            q(t)
        ),
    };
    let index = |t: &str| {
        format!(
            "CREATE INDEX {} ON {} ({})",
            q(&format!("{t}_name_index")),
            q(t),
            q("name")
        )
    };
    let placeholders = |n: usize| -> String {
        (1..=n)
            .map(|i| match db.kind() {
                Kind::Postgres => format!("${i}"),
                _ => "?".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let insert = format!(
        "INSERT INTO {} (name, module, batch, executed_at, duration_us, checksum, state, statements, pending) VALUES ({})",
        ledger("migrations"),
        placeholders(9)
    );
    let p = |i: usize| match db.kind() {
        Kind::Postgres => format!("${i}"),
        _ => "?".to_owned(),
    };
    let journal = format!(
        "UPDATE {} SET state = {}, statements = {}, pending = {}, error = {} WHERE module = {} AND name = {}",
        ledger("migrations"),
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6)
    );
    let complete = format!(
        "UPDATE {} SET state = 'applied', statements = NULL, pending = NULL, error = NULL, executed_at = {}, duration_us = {} WHERE module = {} AND name = {}",
        ledger("migrations"),
        p(1),
        p(2),
        p(3),
        p(4)
    );
    let mut expected: Vec<String> = Vec::new();
    if db.kind() == Kind::Sqlite {
        expected.push("BEGIN IMMEDIATE".into());
    }
    for t in ["t_b", "t_c"] {
        match db.kind() {
            // The floor's BEGIN, DDL, DDL, COMMIT, and the migration's row. SQLite: what
            // each migration ran went through `Db` and cannot break a key, so no check and
            // no read of the counters, but after the last migration, whose counters tell
            // the stamp the operation keeps.
            Kind::Sqlite => {
                if t == "t_c" {
                    expected.push("BEGIN IMMEDIATE".into());
                }
                expected.extend([create(t), index(t)]);
                if t == "t_c" {
                    expected.push(MARKS.into());
                }
                expected.extend([insert.clone(), "COMMIT".into()]);
            }
            Kind::Postgres => expected.extend([
                "BEGIN".into(),
                create(t),
                index(t),
                insert.clone(),
                "COMMIT".into(),
            ]),
            // DDL commits by itself: the row is written with the first statement (and
            // committed by it), each later statement is written to it before it runs, and
            // the row is marked applied at the end.
            Kind::Mysql => expected.extend([
                "BEGIN".into(),
                insert.clone(),
                create(t),
                journal.clone(),
                index(t),
                complete.clone(),
                "COMMIT".into(),
            ]),
        }
    }
    assert_eq!(work, expected);
}

fn rolling_back_sends_the_migrations_statements_and_one_delete_each(db: &TestDb) {
    let _server = beside_others();
    ok(migrator(db, &[A, B, C]).latest(&Filter::all()));
    let mut migrator = migrator(db, &[A, B, C]);
    let seen = record(&mut migrator);
    ok(migrator.down(1, &Filter::all()));
    let statements = taken(&seen);
    let work: Vec<&str> = statements
        .iter()
        .map(String::as_str)
        .filter(|s| !is_per_operation(s))
        .collect();
    let (q, ledger, p) = match db.kind() {
        Kind::Sqlite => ("\"", "`", "?"),
        Kind::Postgres => ("\"", "\"", "$"),
        Kind::Mysql => ("`", "`", "?"),
    };
    let n = |i: usize| {
        if p == "$" {
            format!("${i}")
        } else {
            "?".to_owned()
        }
    };
    let drop = format!("DROP TABLE {q}t_c{q}");
    let delete = format!(
        "DELETE FROM {ledger}migrations{ledger} WHERE module = {} AND name = {}",
        n(1),
        n(2)
    );
    let expected: Vec<String> = match db.kind() {
        // The table is looked at before it is dropped: an empty table's drop cannot break a
        // foreign key, so no check follows; the counters are read after the (last)
        // migration only.
        Kind::Sqlite => vec![
            "BEGIN IMMEDIATE".into(),
            format!("SELECT 1 AS one FROM {q}t_c{q} LIMIT 1"),
            drop,
            MARKS.into(),
            delete,
            "COMMIT".into(),
        ],
        Kind::Postgres => vec!["BEGIN".into(), drop, delete, "COMMIT".into()],
        Kind::Mysql => vec![
            "BEGIN".into(),
            format!(
                "UPDATE {ledger}migrations{ledger} SET state = ?, statements = ?, pending = ?, error = ? WHERE module = ? AND name = ?"
            ),
            drop,
            delete,
            "COMMIT".into(),
        ],
    };
    assert_eq!(work, expected);
}

/// The statements of the first try that `attempt` accepts (`Ok`). A check that
/// PostgreSQL's quiet mark or MariaDB's transaction counter stays still is tried up to 5
/// times there: both are the server's, so another test's write meanwhile moves them (and
/// the table is read, as it should be then). Once on SQLite. Panics with the last try's
/// statements.
fn tried(
    db: &TestDb,
    what: &str,
    mut attempt: impl FnMut() -> Result<Vec<String>, Vec<String>>,
) -> Vec<String> {
    let tries = if db.kind() == Kind::Sqlite { 1 } else { 5 };
    let mut last = Vec::new();
    for _ in 0..tries {
        match attempt() {
            Ok(statements) => return statements,
            Err(statements) => last = statements,
        }
    }
    panic!("{what}, {tries} time(s): {last:#?}")
}

/// An operation that follows another on the same migrator reads no row of the migrations
/// table: only the stamp, or PostgreSQL's quiet mark, as it starts and as it ends (SQLite's
/// stamp as it ends is told from the counters it follows). Once something else was written
/// it reads the table again: on PostgreSQL and MariaDB anything at all (the mark, and
/// InnoDB's transaction counter, are the server's), on SQLite anything in the database file.
fn a_kept_migrations_table_is_not_read_again_until_something_writes(db: &TestDb) {
    let _server = alone();
    ok(migrator(db, &[A, B, C]).latest(&Filter::all()));
    let mut migrator = migrator(db, &[A, B, C]);
    let seen = record(&mut migrator);
    ok(migrator.down(1, &Filter::all()));
    assert_eq!(
        reads_of_the_table(&taken(&seen)),
        1,
        "the first operation reads the table"
    );
    let statements = tried(
        db,
        "a follow-up `down(1)` read the migrations table",
        || {
            ok(migrator.down(1, &Filter::all()));
            let statements = taken(&seen);
            if reads_of_the_table(&statements) == 0 {
                return Ok(statements);
            }
            // The server's mark moved under another test: the migration back, and again.
            ok(migrator.up(1, &Filter::all()));
            taken(&seen);
            Err(statements)
        },
    );
    // SQLite's stamp holds the connection's counters: the operation follows them through
    // the migration (read once, after it) and keeps the stamp they make with the data
    // version it began with, without reading it again; the next operation of the same
    // connection, which ran nothing in between, reads the data version alone and starts
    // from the counters kept.
    let (stamps, marks) = match db.kind() {
        Kind::Sqlite => (1, 1),
        Kind::Postgres | Kind::Mysql => (2, 0),
    };
    if db.kind() == Kind::Sqlite {
        assert_eq!(
            statements.iter().filter(|s| *s == DATA_VERSION).count(),
            1,
            "{statements:#?}"
        );
    }
    assert_eq!(
        statements.iter().filter(|s| is_stamp(s)).count(),
        stamps,
        "the stamp or mark as the operation starts (and, but on SQLite, as it ends): {statements:#?}"
    );
    assert_eq!(
        statements.iter().filter(|s| *s == MARKS).count(),
        marks,
        "{statements:#?}"
    );
    db.execute("CREATE TABLE t_elsewhere (id integer)");
    ok(migrator.up(1, &Filter::all()));
    assert_eq!(reads_of_the_table(&taken(&seen)), 1);
    assert_eq!(
        ok(migrator.list(&Filter::all()))
            .iter()
            .map(|m| m.state == State::Applied)
            .collect::<Vec<_>>(),
        [true, true, false]
    );
}

#[derive(diesel::QueryableByName)]
struct ForeignKeys {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    foreign_keys: i32,
}

/// Whether the migrator's own connection enforces foreign keys (SQLite).
fn foreign_keys_on(migrator: &mut Migrator) -> bool {
    let rows: Vec<ForeignKeys> = ok(diesel::RunQueryDsl::load(
        diesel::sql_query("PRAGMA foreign_keys"),
        migrator.db().connection(),
    )
    .map_err(arte_core::Error::Database));
    rows.first().is_some_and(|row| row.foreign_keys != 0)
}

/// SQLite: foreign keys the last operation turned off stay off for the next one, which
/// neither asks about them nor turns them off and on (each turn would expire every
/// statement the connection keeps compiled); they are turned back on before the
/// connection is handed out (`Migrator::db`). Turned off through it, they are asked about
/// by the next operation, and left off. (SQLite's alone: a server database made for it and dropped would
/// move PostgreSQL's quiet mark under the other tests of this file.)
#[test]
fn foreign_keys_turned_off_through_the_migrators_connection_stay_off() {
    let db = &TestDb::new(
        Kind::Sqlite,
        "foreign_keys_turned_off_through_the_migrators_connection_stay_off",
    );
    ok(migrator(db, &[A, B, C]).latest(&Filter::all()));
    let mut migrator = migrator(db, &[A, B, C]);
    let seen = record(&mut migrator);
    ok(migrator.down(1, &Filter::all()));
    let asked = |statements: &[String]| {
        statements
            .iter()
            .filter(|s| *s == "PRAGMA foreign_keys")
            .count()
    };
    assert_eq!(asked(&taken(&seen)), 1, "the first operation asks");
    ok(migrator.down(1, &Filter::all()));
    let statements = taken(&seen);
    assert_eq!(asked(&statements), 0, "{statements:#?}");
    assert!(
        !statements
            .iter()
            .any(|s| s.starts_with("PRAGMA foreign_keys")),
        "left off by the operation before: {statements:#?}"
    );
    assert!(
        foreign_keys_on(&mut migrator),
        "turned back on for the connection handed out"
    );
    assert_eq!(
        taken(&seen),
        ["PRAGMA foreign_keys = ON", "PRAGMA foreign_keys"],
        "turned on once, then the test's question"
    );
    ok(migrator.down(1, &Filter::all()));
    let statements = taken(&seen);
    assert_eq!(
        asked(&statements),
        1,
        "asked again after the connection was handed out: {statements:#?}"
    );
    ok(migrator.up(1, &Filter::all()));
    taken(&seen);
    assert!(foreign_keys_on(&mut migrator));
    ok(migrator.db().execute("PRAGMA foreign_keys = OFF"));
    ok(migrator.up(1, &Filter::all()));
    assert_eq!(
        asked(&taken(&seen)),
        2,
        "asked by the operation (and by this test)"
    );
    assert!(
        !foreign_keys_on(&mut migrator),
        "the user's choice stands after the operation"
    );
}

/// Status on a migrator whose last operation kept the table reads only the stamp or mark,
/// and takes no lock; once another connection wrote the table it reads it again and
/// shows what was written.
fn status_after_an_operation_reads_the_table_again_only_once_it_was_written(db: &TestDb) {
    let _server = alone();
    let mut migrator = migrator(db, &[A, B, C]);
    ok(migrator.up(2, &Filter::all()));
    let seen = record(&mut migrator);
    let states = |migrator: &mut Migrator| {
        ok(migrator.list(&Filter::all()))
            .iter()
            .map(|m| m.state)
            .collect::<Vec<_>>()
    };
    for _ in 0..2 {
        let statements = tried(db, "a status read more than the stamp or mark", || {
            assert_eq!(
                states(&mut migrator),
                [State::Applied, State::Applied, State::Pending]
            );
            let statements = taken(&seen);
            if statements.len() == 1 {
                return Ok(statements);
            }
            // The server's mark moved under another test, and the status that read the
            // table keeps nothing: an operation keeps it again.
            ok(migrator.down(1, &Filter::all()));
            ok(migrator.up(1, &Filter::all()));
            taken(&seen);
            Err(statements)
        });
        assert!(
            is_stamp(&statements[0]),
            "the stamp or mark alone: {statements:#?}"
        );
    }
    db.execute(&format!("DELETE FROM migrations WHERE name = '{B}'"));
    assert_eq!(
        states(&mut migrator),
        [State::Applied, State::Pending, State::Pending]
    );
    let statements = taken(&seen);
    assert_eq!(reads_of_the_table(&statements), 1, "{statements:#?}");
    assert!(
        !statements
            .iter()
            .any(|s| s.contains("LOCK") || s.contains("lock(")),
        "{statements:#?}"
    );
    assert_eq!(
        states(&mut migrator),
        [State::Applied, State::Pending, State::Pending],
    );
    assert_eq!(
        reads_of_the_table(&taken(&seen)),
        1,
        "a status that read the table keeps nothing: the next one reads it too"
    );
}

// -- The foreign-key check is spared only where nothing could break a key.

/// Between A and B, and after B: migrations that only create a table through the builder,
/// whose counters are not read (`runner.rs`), so that B starts from counters not known and
/// is not the last.
const X: &str = "2026_01_01_00_30_create_x";

fn with(db: &TestDb, second: fn(&mut Db) -> Result<()>) -> (Migrator, String) {
    let migrations: [&'static Migration; 4] = [
        Box::leak(Box::new(Migration::new(
            A,
            parents_and_children,
            Some(nothing),
        ))),
        Box::leak(Box::new(Migration::new(X, create, Some(drop)))),
        Box::leak(Box::new(Migration::new(B, second, Some(nothing)))),
        Box::leak(Box::new(Migration::new(C, create, Some(drop)))),
    ];
    let registry = ok(Registry::from_migrations(migrations));
    let mut migrator = match Db::connect(db.url()) {
        Ok(connection) => Migrator::with_registry(connection, registry),
        Err(error) => panic!("cannot connect to {}: {error}", db.url()),
    };
    let message = arte_tests::refused(migrator.latest(&Filter::all()));
    (migrator, message)
}

fn recorded(db: &TestDb) -> Vec<String> {
    db.strings("SELECT name AS v FROM migrations ORDER BY id")
}

/// `message` refuses migration B for the row it left pointing at nothing (the whole
/// sentence where SQLite's check says which), and only A and X are recorded.
fn refused_for_the_orphan(db: &TestDb, message: &str) {
    let head = format!("migration `{B}` of core failed while migrating: ");
    assert!(message.starts_with(&head), "{message}");
    if db.kind() == Kind::Sqlite {
        assert_eq!(
            message,
            format!(
                "{head}rows would be left pointing at nothing: `fk_children` row 1 -> `fk_parents`; delete or fix them in the same migration"
            )
        );
    }
    assert_eq!(recorded(db), [A, X]);
}

fn rows_orphaned_through_the_connection_are_still_refused(db: &TestDb) {
    let _server = beside_others();
    let (_, message) = with(db, delete_the_parent);
    refused_for_the_orphan(db, &message);
    assert_eq!(db.count("fk_parents"), 1, "the parent is still there");
}

fn a_referenced_table_dropped_through_the_connection_is_still_refused(db: &TestDb) {
    let _server = beside_others();
    // `Db` never saw the statement; on SQLite the schema's version moved all the same.
    let (_, message) = with(db, drop_the_parent);
    refused_for_the_orphan(db, &message);
    assert!(db.tables().contains(&"fk_parents".to_owned()));
}

fn half_done(db: &mut Db) -> Result<()> {
    // An index of the name the builder gives `half_x`'s index, on another table: the
    // builder's CREATE TABLE succeeds and its CREATE INDEX fails.
    db.execute("CREATE TABLE half_other (name varchar(255))")?;
    db.execute("CREATE INDEX half_x_name_index ON half_other (name)")?;
    let ignored = db
        .schema()
        .create_table("half_x")
        .add_id_column()
        .add_column("name", "varchar(255)", |c| c.not_null())
        .add_index(&["name"])
        .execute();
    assert!(ignored.is_err() || db.backend() == arte_core::Backend::Mysql);
    Ok(())
}

fn a_schema_statement_half_done_fails_its_migration_even_if_its_error_is_ignored(db: &TestDb) {
    let _server = beside_others();
    let migration: &'static Migration =
        Box::leak(Box::new(Migration::new(A, half_done, Some(nothing))));
    let registry = ok(Registry::from_migrations([migration]));
    let mut migrator = match Db::connect(db.url()) {
        Ok(connection) => Migrator::with_registry(connection, registry),
        Err(error) => panic!("cannot connect to {}: {error}", db.url()),
    };
    let result = migrator.latest(&Filter::all());
    match db.kind() {
        Kind::Sqlite | Kind::Postgres => {
            let message = arte_tests::refused(result);
            assert!(
                message.starts_with(&format!("migration `{A}` of core failed while migrating: ")),
                "{message}"
            );
            assert!(
                message.ends_with("; the statement had partly taken effect and the migration carried on past its error, so the whole migration was rolled back"),
                "{message}"
            );
            assert_eq!(db.tables(), ["migrations"], "nothing of it stays");
        }
        // Index names are per table on MySQL, and its statements commit by themselves.
        Kind::Mysql => {
            ok(result);
            assert_eq!(db.tables(), ["half_other", "half_x", "migrations"]);
        }
    }
}
