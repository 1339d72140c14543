//! Integrity on SQLite, PostgreSQL and MySQL/MariaDB: the history is checked before every
//! run, a panic is a failure and not a crash, the lock waits with a limit and names its
//! holder, reading takes no lock and creates nothing, and bad rows and names are refused
//! in a sentence.

use arte_core::prelude::*;
use arte_core::{Direction, Migration, OutOfOrder, Registry, State};
use arte_tests::{Kind, TestDb, ok, per_backend, refused};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

per_backend!(
    a_pending_migration_older_than_the_newest_applied_runs_and_is_announced_under_allow,
    a_pending_migration_older_than_the_newest_applied_is_refused_under_error,
    a_panic_in_a_migration_is_a_failure_that_releases_the_lock_and_keeps_the_connection,
    a_panic_after_ddl_on_mysql_is_recorded_as_failed_with_what_took_effect,
    a_ddl_statement_that_fails_on_mysql_has_committed_the_rows_before_it_and_says_so,
    a_pretended_run_waits_for_the_locks_of_what_it_touches_no_longer_than_the_lock_timeout,
    the_lock_waits_with_a_limit_and_names_its_holder,
    a_lock_whose_holder_is_gone_is_free_at_once,
    status_takes_no_lock_and_creates_nothing,
    an_unreadable_row_names_the_table_the_row_and_the_column,
    the_migrations_table_name_is_checked_before_anything_touches_the_database,
    a_migrations_table_name_of_63_characters_works,
    a_panic_in_a_listener_goes_on_after_the_lock_is_released,
    status_works_for_a_role_that_may_only_read,
    a_migration_outside_a_transaction_runs_statements_that_cannot_be_in_one,
    a_failing_migration_outside_a_transaction_is_recorded_with_what_took_effect,
    a_migrator_sees_what_another_connection_wrote_between_its_operations,
    a_migrator_sees_what_its_own_connection_wrote_between_its_operations,
    rows_are_taken_in_the_order_they_were_written_wherever_the_table_keeps_them,
);

/// A table per migration, named after the migration's last word.
fn create(db: &mut Db) -> Result<()> {
    let name = db.migration_name().unwrap_or_default();
    let table = name.rsplit('_').next().unwrap_or("t").to_owned();
    db.schema()
        .create_table(&format!("t_{table}"))
        .add_id_column()
        .execute()
}

fn drop(db: &mut Db) -> Result<()> {
    let name = db.migration_name().unwrap_or_default();
    let table = name.rsplit('_').next().unwrap_or("t").to_owned();
    db.schema().drop_table(&format!("t_{table}")).execute()
}

fn registry(names: &[&'static str]) -> Registry {
    let migrations = names
        .iter()
        .map(|name| &*Box::leak(Box::new(Migration::new(name, create, Some(drop)))));
    ok(Registry::from_migrations(migrations))
}

fn migrator(db: &TestDb, registry: Registry) -> Migrator {
    match Db::connect(db.url()) {
        Ok(connection) => Migrator::with_registry(connection, registry),
        Err(error) => panic!("cannot connect to {}: {error}", db.url()),
    }
}

const A: &str = "2026_01_01_00_00_create_a";
const B: &str = "2026_01_02_00_00_create_b";
const C: &str = "2026_01_03_00_00_create_c";

fn a_pending_migration_older_than_the_newest_applied_runs_and_is_announced_under_allow(
    db: &TestDb,
) {
    ok(migrator(db, registry(&[A, C])).latest(&Filter::all()));
    let mut merged = migrator(db, registry(&[A, B, C]));
    let announced = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&announced);
    merged.listen(move |event| {
        if let Event::OutOfOrder { migrations } = event
            && let Ok(mut log) = log.lock()
        {
            log.extend(migrations.iter().map(|m| m.name.clone()));
        }
        Ok(())
    });
    let report = ok(merged.latest(&Filter::all()));
    assert_eq!(report.steps.len(), 1);
    assert_eq!(report.steps[0].name, B);
    assert_eq!(announced.lock().map(|l| l.clone()).unwrap_or_default(), [B]);
    assert_eq!(db.tables(), ["migrations", "t_a", "t_b", "t_c"]);
}

fn a_pending_migration_older_than_the_newest_applied_is_refused_under_error(db: &TestDb) {
    ok(migrator(db, registry(&[A, C])).latest(&Filter::all()));
    let mut strict = migrator(db, registry(&[A, B, C])).out_of_order(OutOfOrder::Error);
    assert_eq!(
        refused(strict.latest(&Filter::all())),
        "the migrations table disagrees with the code, so nothing was run: migration `2026_01_02_00_00_create_b` of core is pending but older than `2026_01_03_00_00_create_c`, the newest applied of core, and the out-of-order policy is `error`; set it to `allow` to run it"
    );
    assert_eq!(db.tables(), ["migrations", "t_a", "t_c"]);
}

fn boom(_: &mut Db) -> Result<()> {
    panic!("boom: the data was not what this migration expected")
}

fn ddl_then_boom(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("t_half")
        .add_id_column()
        .execute()?;
    panic!("boom after a table")
}

fn a_panic_in_a_migration_is_a_failure_that_releases_the_lock_and_keeps_the_connection(
    db: &TestDb,
) {
    static PANICKY: Migration = Migration::new("2026_01_02_00_00_panics", boom, None);
    let migrations: Vec<&'static Migration> = vec![
        Box::leak(Box::new(Migration::new(A, create, Some(drop)))),
        &PANICKY,
    ];
    let mut migrator = migrator(db, ok(Registry::from_migrations(migrations)));
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let message = refused(migrator.latest(&Filter::all()));
    std::panic::set_hook(quiet);
    assert_eq!(
        message,
        "migration `2026_01_02_00_00_panics` of core panicked: boom: the data was not what this migration expected"
    );
    // The connection is usable and the lock free: another migrator gets it at once.
    let states: Vec<State> = ok(migrator.list(&Filter::all()))
        .iter()
        .map(|s| s.state)
        .collect();
    assert_eq!(states, [State::Applied, State::Pending]);
    let started = Instant::now();
    let mut other = self::migrator(db, registry(&[A])).lock_timeout(Duration::from_secs(5));
    assert!(ok(other.latest(&Filter::all())).steps.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the lock was free"
    );
    assert_eq!(db.tables(), ["migrations", "t_a"]);
}

fn a_panic_after_ddl_on_mysql_is_recorded_as_failed_with_what_took_effect(db: &TestDb) {
    static HALF: Migration = Migration::new("2026_01_02_00_00_half", ddl_then_boom, None);
    let mut migrator = migrator(db, ok(Registry::from_migrations([&HALF])));
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let message = refused(migrator.latest(&Filter::all()));
    std::panic::set_hook(quiet);
    let statuses = ok(migrator.list(&Filter::all()));
    match db.kind() {
        Kind::Sqlite | Kind::Postgres => {
            assert_eq!(
                message,
                "migration `2026_01_02_00_00_half` of core panicked: boom after a table"
            );
            assert_eq!(db.tables(), ["migrations"], "the table is rolled back");
            assert_eq!(statuses[0].state, State::Pending);
        }
        Kind::Mysql => {
            let create = "CREATE TABLE `t_half` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY)";
            assert_eq!(
                message,
                format!(
                    "migration `2026_01_02_00_00_half` of core failed while migrating: migration `2026_01_02_00_00_half` of core panicked: boom after a table. These statements of the migration had taken effect and could not be undone (they were committed as they ran): {create}. Undo them by hand, then run `migration:repair`"
                )
            );
            assert_eq!(db.tables(), ["migrations", "t_half"]);
            assert_eq!(statuses[0].state, State::Failed);
            let incomplete = statuses[0].incomplete.clone();
            assert_eq!(
                incomplete.map(|i| (i.direction, i.statements)),
                Some((Direction::Up, vec![create.to_owned()]))
            );
        }
    }
}

/// A row written, then a table that is already there: MySQL commits the open
/// transaction before running a DDL statement, even one that fails, so the row stays.
fn row_then_failing_ddl(db: &mut Db) -> Result<()> {
    db.execute("INSERT INTO t_rows (v) VALUES (1)")?;
    db.execute("CREATE TABLE t_rows (v integer)")
}

/// A row written, then a DDL statement the server cannot parse: nothing committed it.
fn row_then_unparsable_ddl(db: &mut Db) -> Result<()> {
    db.execute("INSERT INTO t_rows (v) VALUES (2)")?;
    db.execute("CREATE TABLE (")
}

/// Rows deleted, then a table that is not there dropped.
fn delete_then_failing_drop(db: &mut Db) -> Result<()> {
    db.execute("DELETE FROM t_rows")?;
    db.execute("DROP TABLE t_not_there")
}

fn nothing(_: &mut Db) -> Result<()> {
    Ok(())
}

fn a_ddl_statement_that_fails_on_mysql_has_committed_the_rows_before_it_and_says_so(db: &TestDb) {
    db.execute("CREATE TABLE t_rows (v integer)");
    static COMMITTED: Migration =
        Migration::new("2026_01_02_00_00_committed", row_then_failing_ddl, None);
    let message =
        refused(migrator(db, ok(Registry::from_migrations([&COMMITTED]))).latest(&Filter::all()));
    let mysql = db.kind() == Kind::Mysql;
    let states = |migration: &'static Migration| -> Vec<(State, Option<Vec<String>>)> {
        ok(migrator(db, ok(Registry::from_migrations([migration]))).list(&Filter::all()))
            .into_iter()
            .map(|s| (s.state, s.incomplete.map(|i| i.statements)))
            .collect()
    };
    if mysql {
        assert!(
            message.ends_with("These statements of the migration had taken effect and could not be undone (they were committed as they ran): INSERT INTO t_rows (v) VALUES (1). Undo them by hand, then run `migration:repair`"),
            "{message}"
        );
        assert_eq!(db.strings("SELECT v FROM t_rows"), ["1"]);
        assert_eq!(
            states(&COMMITTED),
            [(
                State::Failed,
                Some(vec!["INSERT INTO t_rows (v) VALUES (1)".to_owned()])
            )]
        );
        // Repaired (the row is the migration's to keep here), it is run again.
        ok(migrator(db, ok(Registry::from_migrations([&COMMITTED]))).repair());
    } else {
        assert!(!message.contains("had taken effect"), "{message}");
        assert!(db.strings("SELECT v FROM t_rows").is_empty());
        assert_eq!(states(&COMMITTED), [(State::Pending, None)]);
    }
    db.execute("DELETE FROM t_rows");
    // Nothing committed a statement the server could not parse.
    static UNPARSED: Migration =
        Migration::new("2026_01_02_00_01_unparsed", row_then_unparsable_ddl, None);
    let message =
        refused(migrator(db, ok(Registry::from_migrations([&UNPARSED]))).latest(&Filter::all()));
    assert!(!message.contains("had taken effect"), "{message}");
    assert!(db.strings("SELECT v FROM t_rows").is_empty());
    assert_eq!(states(&UNPARSED), [(State::Pending, None)]);
    // Rolling back: rows deleted before a failed `DROP TABLE` are gone on MySQL, and the
    // migration says it failed, not that it is still applied.
    db.execute("INSERT INTO t_rows (v) VALUES (3)");
    static SEEDED: Migration = Migration::new(
        "2026_01_02_00_02_seeded",
        nothing,
        Some(delete_then_failing_drop),
    );
    ok(migrator(db, ok(Registry::from_migrations([&SEEDED]))).latest(&Filter::all()));
    let message =
        refused(migrator(db, ok(Registry::from_migrations([&SEEDED]))).down(1, &Filter::all()));
    if mysql {
        assert!(message.contains("DELETE FROM t_rows"), "{message}");
        assert!(db.strings("SELECT v FROM t_rows").is_empty());
        assert_eq!(
            states(&SEEDED),
            [(State::Failed, Some(vec!["DELETE FROM t_rows".to_owned()]))]
        );
    } else {
        assert_eq!(db.strings("SELECT v FROM t_rows"), ["3"]);
        assert_eq!(states(&SEEDED), [(State::Applied, None)]);
    }
}

fn add_column_to_a(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("t_a")
        .add_column("note", "text", |c| c)
        .execute()
}

/// `--pretend` takes no lock of arte's, but its statements wait for the locks of the
/// tables they touch, held here by an open transaction (as a migration running in another
/// process holds them): no longer than the lock timeout, then said in words. MySQL only
/// lists a pretended run's statements: nothing to wait for.
fn a_pretended_run_waits_for_the_locks_of_what_it_touches_no_longer_than_the_lock_timeout(
    db: &TestDb,
) {
    ok(migrator(db, registry(&[A])).latest(&Filter::all()));
    static NOTE: Migration = Migration::new("2026_01_02_00_00_note", add_column_to_a, None);
    let mut holder = ok(arte_core::AnyConnection::connect(db.url()));
    let hold = match db.kind() {
        Kind::Sqlite => "BEGIN IMMEDIATE; INSERT INTO t_a DEFAULT VALUES",
        Kind::Postgres => "BEGIN; LOCK TABLE t_a IN ACCESS EXCLUSIVE MODE",
        Kind::Mysql => "BEGIN; SELECT * FROM t_a FOR UPDATE",
    };
    ok(holder.batch_execute(hold));
    let with_note = || {
        let a: &'static Migration = Box::leak(Box::new(Migration::new(A, create, Some(drop))));
        ok(Registry::from_migrations([a, &NOTE]))
    };
    let mut pretending = migrator(db, with_note())
        .lock_timeout(Duration::from_secs(1))
        .pretend(true);
    let started = Instant::now();
    let result = pretending.latest(&Filter::all());
    let waited = started.elapsed();
    ok(holder.batch_execute("ROLLBACK"));
    match db.kind() {
        Kind::Sqlite => assert_eq!(
            refused(result),
            "the SQLite database is locked by another connection's write transaction, which did not end within 1 s; finish or close that transaction, or raise `--lock-timeout`, then run again"
        ),
        Kind::Postgres => assert_eq!(
            refused(result),
            "`--pretend` gave up after 1 s waiting for a lock another connection holds on what the migrations touch (a migration running in another process, or an open transaction); run it again once that ends, or raise `--lock-timeout`"
        ),
        Kind::Mysql => {
            ok(result);
        }
    }
    assert!(waited < Duration::from_secs(5), "it waited {waited:?}");
    // The bound was the pretended transaction's: a real run after it waits as before.
    assert_eq!(
        ok(migrator(db, with_note()).latest(&Filter::all()))
            .steps
            .len(),
        1
    );
}

/// A row inserted (drawing a number from `t_seq`'s sequence), then a read of `t_block`,
/// which the test holds locked.
#[cfg(feature = "postgres")]
fn draw_then_wait(db: &mut Db) -> Result<()> {
    db.execute("INSERT INTO t_seq (v) VALUES ('pretended')")?;
    db.execute("SELECT count(*) FROM t_block")
}

/// PostgreSQL's sequences are not transactional: a pretended run that drew from one
/// leaves it where it is rather than putting it back, which would hand out again the
/// numbers another session drew meanwhile (a pretended run takes no lock).
#[cfg(feature = "postgres")]
#[test]
fn a_pretended_run_never_hands_out_again_a_number_another_session_drew() {
    let db = TestDb::new(Kind::Postgres, "pretend_seq");
    db.execute(
        "CREATE TABLE t_seq (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)",
    );
    db.execute("CREATE TABLE t_block (id integer)");
    static DRAWS: Migration = Migration::new("2026_01_02_00_00_draws", draw_then_wait, None);
    let mut holder = ok(arte_core::AnyConnection::connect(db.url()));
    ok(holder.batch_execute("BEGIN; LOCK TABLE t_block IN ACCESS EXCLUSIVE MODE"));
    let url = db.url().to_owned();
    let pretending = std::thread::spawn(move || {
        let connection = ok(Db::connect(&url));
        Migrator::with_registry(connection, ok(Registry::from_migrations([&DRAWS])))
            .lock_timeout(Duration::from_secs(20))
            .pretend(true)
            .latest(&Filter::all())
            .map(|report| report.steps.len())
    });
    // While the pretended run waits (its number drawn), the application inserts.
    std::thread::sleep(Duration::from_millis(500));
    db.execute("INSERT INTO t_seq (v) VALUES ('during')");
    ok(holder.batch_execute("COMMIT"));
    let pretended = pretending
        .join()
        .unwrap_or_else(|_| panic!("the pretended run panicked"));
    assert_eq!(ok(pretended), 1);
    // The next inserts get numbers nobody has: no duplicate key.
    db.execute("INSERT INTO t_seq (v) VALUES ('after 1'), ('after 2'), ('after 3')");
    assert_eq!(
        db.strings("SELECT v FROM t_seq ORDER BY id"),
        ["during", "after 1", "after 2", "after 3"]
    );
}

/// Holds arte's lock on the test's database from a connection of its own, as another
/// migrator would, until dropped.
#[allow(dead_code)] // Held for its drop.
enum Holder {
    Session(arte_core::AnyConnection),
    File(std::fs::File),
}

fn hold_the_lock(db: &TestDb) -> Holder {
    match db.kind() {
        Kind::Sqlite => {
            let path = db.url().trim_start_matches("sqlite://");
            let file =
                std::fs::File::open(path).unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
            file.lock()
                .unwrap_or_else(|e| panic!("cannot lock {path}: {e}"));
            Holder::File(file)
        }
        Kind::Postgres | Kind::Mysql => {
            let mut conn = ok(arte_core::AnyConnection::connect(db.url()));
            let sql = match db.kind() {
                Kind::Postgres => {
                    "SELECT pg_advisory_lock(hashtext('arte'), hashtext('arte:migrations'))"
                }
                _ => {
                    "SELECT GET_LOCK(CONCAT('arte:', SHA1(CONCAT(DATABASE(), '.', 'arte:migrations'))), 0)"
                }
            };
            ok(conn.batch_execute(sql));
            Holder::Session(conn)
        }
    }
}

fn the_lock_waits_with_a_limit_and_names_its_holder(db: &TestDb) {
    let holder = hold_the_lock(db);
    let mut waiting = migrator(db, registry(&[A])).lock_timeout(Duration::from_secs(2));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&waits);
    waiting.listen(move |event| {
        if let Event::LockWait { holder, timeout } = event
            && let Ok(mut log) = log.lock()
        {
            log.push((holder.map(str::to_owned), *timeout));
        }
        Ok(())
    });
    let started = Instant::now();
    let message = refused(waiting.latest(&Filter::all()));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(4),
        "waited {waited:?}"
    );
    let waits = waits.lock().map(|w| w.clone()).unwrap_or_default();
    assert_eq!(waits.len(), 1, "announced once: {waits:?}");
    assert_eq!(waits[0].1, Duration::from_secs(2));
    let named = match db.kind() {
        Kind::Sqlite => "another process (SQLite does not say which)",
        Kind::Postgres => "PostgreSQL backend pid ",
        Kind::Mysql => "MySQL/MariaDB connection ",
    };
    assert!(
        waits[0].0.as_deref().is_some_and(|h| h.starts_with(named)),
        "{waits:?}"
    );
    assert!(
        message.starts_with(&format!("another migrator ({named}")),
        "{message}"
    );
    assert!(
        message.ends_with(
            "held the lock on the `migrations` migrations table for all of the 2 s this one waits (the lock timeout); wait for it to finish, or raise the lock timeout (`--lock-timeout`, `ARTE_LOCK_TIMEOUT`, `[migrations] lock_timeout` or `App::lock_timeout`), then run again"
        ),
        "{message}"
    );
    assert!(db.tables().is_empty() || db.tables() == ["migrations"]);
    std::mem::drop(holder);
}

fn a_lock_whose_holder_is_gone_is_free_at_once(db: &TestDb) {
    std::mem::drop(hold_the_lock(db));
    let started = Instant::now();
    ok(migrator(db, registry(&[A]))
        .lock_timeout(Duration::from_secs(5))
        .latest(&Filter::all()));
    assert!(started.elapsed() < Duration::from_secs(2));
}

fn status_takes_no_lock_and_creates_nothing(db: &TestDb) {
    let holder = hold_the_lock(db);
    let started = Instant::now();
    let statuses = ok(migrator(db, registry(&[A, B])).list(&Filter::all()));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "no wait for the lock"
    );
    assert_eq!(
        statuses.iter().map(|s| s.state).collect::<Vec<_>>(),
        [State::Pending, State::Pending]
    );
    assert!(db.tables().is_empty(), "no migrations table created");
    std::mem::drop(holder);
}

fn an_unreadable_row_names_the_table_the_row_and_the_column(db: &TestDb) {
    ok(migrator(db, registry(&[A])).latest(&Filter::all()));
    let (column, value) = match db.kind() {
        // SQLite keeps whatever it is given; the other two check types themselves.
        Kind::Sqlite => ("executed_at", "garbage"),
        Kind::Postgres | Kind::Mysql => ("state", "half-done"),
    };
    db.execute(&format!("UPDATE migrations SET {column} = '{value}'"));
    let expected = format!(
        "row 1 of the migrations table `migrations` (migration `2026_01_01_00_00_create_a` of core) has an unreadable {column}, `{value}`; correct or delete that row"
    );
    let mut migrator = migrator(db, registry(&[A]));
    assert_eq!(refused(migrator.list(&Filter::all())), expected);
    assert_eq!(refused(migrator.latest(&Filter::all())), expected);
}

fn the_migrations_table_name_is_checked_before_anything_touches_the_database(db: &TestDb) {
    for name in ["é".repeat(40), "a".repeat(64), "x; drop table y".to_owned()] {
        let mut migrator = migrator(db, registry(&[A])).table_name(name.clone());
        let expected = format!(
            "`{name}` cannot name the migrations table; use letters, digits and underscores, starting with a letter or underscore, at most 63 characters"
        );
        assert_eq!(refused(migrator.latest(&Filter::all())), expected);
        assert_eq!(refused(migrator.list(&Filter::all())), expected);
    }
    assert!(db.tables().is_empty());
}

fn a_migrations_table_name_of_63_characters_works(db: &TestDb) {
    let name = format!("m{}", "_history".repeat(8))
        .chars()
        .take(63)
        .collect::<String>();
    assert_eq!(name.len(), 63);
    let mut migrator = migrator(db, registry(&[A, B])).table_name(name.clone());
    ok(migrator.latest(&Filter::all()));
    ok(migrator.down(1, &Filter::all()));
    let mut tables = vec![name, "t_a".to_owned()];
    tables.sort();
    assert_eq!(db.tables(), tables);
}

fn a_panic_in_a_listener_goes_on_after_the_lock_is_released(db: &TestDb) {
    let mut migrator = migrator(db, registry(&[A, B]));
    migrator.listen(|event| {
        if let Event::Migrated { .. } = event {
            panic!("the listener's own bug");
        }
        Ok(())
    });
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        migrator.latest(&Filter::all())
    }));
    std::panic::set_hook(quiet);
    assert!(caught.is_err(), "the panic goes on to the caller");
    // The migrator that panicked still works, and the lock is free for another.
    assert_eq!(ok(migrator.list(&Filter::all())).len(), 2);
    let started = Instant::now();
    let report = ok(self::migrator(db, registry(&[A, B]))
        .lock_timeout(Duration::from_secs(5))
        .latest(&Filter::all()));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the lock was free"
    );
    assert_eq!(report.steps.len(), 1, "the first migration had committed");
}

/// PostgreSQL and MySQL: a role granted SELECT on the migrations table and nothing more
/// reads the status. SQLite has no roles.
fn status_works_for_a_role_that_may_only_read(db: &TestDb) {
    ok(migrator(db, registry(&[A])).latest(&Filter::all()));
    let role = format!("arte_reader_{}", std::process::id());
    let (setup, url, teardown): (Vec<String>, String, Vec<String>) = match db.kind() {
        Kind::Sqlite => return,
        Kind::Postgres => (
            vec![
                format!("CREATE ROLE {role} LOGIN"),
                format!("GRANT CONNECT ON DATABASE {} TO {role}", db.name()),
                format!("GRANT USAGE ON SCHEMA public TO {role}"),
                format!("GRANT SELECT ON migrations TO {role}"),
            ],
            db.url().replacen("postgres@", &format!("{role}@"), 1),
            vec![
                format!("DROP OWNED BY {role}"),
                format!("REVOKE CONNECT ON DATABASE {} FROM {role}", db.name()),
                format!("DROP ROLE {role}"),
            ],
        ),
        Kind::Mysql => (
            vec![
                format!("CREATE USER '{role}'@'%'"),
                format!("CREATE USER '{role}'@'localhost'"),
                format!("GRANT SELECT ON {}.* TO '{role}'@'%'", db.name()),
                format!("GRANT SELECT ON {}.* TO '{role}'@'localhost'", db.name()),
            ],
            db.url().replacen("root@", &format!("{role}@"), 1),
            vec![
                format!("DROP USER '{role}'@'%'"),
                format!("DROP USER '{role}'@'localhost'"),
            ],
        ),
    };
    for sql in &setup {
        db.execute(sql);
    }
    let result = Db::connect(&url)
        .and_then(|reader| Migrator::with_registry(reader, registry(&[A, B])).list(&Filter::all()));
    let refused_write = Db::connect(&url).and_then(|reader| {
        Migrator::with_registry(reader, registry(&[A, B])).latest(&Filter::all())
    });
    for sql in &teardown {
        db.execute(sql);
    }
    let states: Vec<State> = ok(result).iter().map(|s| s.state).collect();
    assert_eq!(states, [State::Applied, State::Pending]);
    assert!(refused_write.is_err(), "the role may not write");
    assert_eq!(db.tables(), ["migrations", "t_a"]);
}

/// SQLite: a write transaction held elsewhere (not by a migrator) is waited for as long
/// as the lock timeout, then said in words.
#[test]
fn sqlite_a_write_transaction_held_elsewhere_is_said_in_words() {
    // An exclusive one keeps even readers out, so it is met before arte's own lock is
    // asked for.
    for begin in ["BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"] {
        let db = TestDb::new(Kind::Sqlite, "busy");
        let mut writer = ok(arte_core::AnyConnection::connect(db.url()));
        ok(writer.batch_execute(&format!("{begin}; CREATE TABLE other (id integer)")));
        let started = Instant::now();
        let message = refused(
            migrator(&db, registry(&[A]))
                .lock_timeout(Duration::from_secs(1))
                .latest(&Filter::all()),
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            message,
            "the SQLite database is locked by another connection's write transaction, which did not end within 1 s; finish or close that transaction, or raise `--lock-timeout`, then run again",
            "{begin}"
        );
        ok(writer.batch_execute("ROLLBACK"));
    }
}

/// SQLite in WAL mode: a connection holds a shared lock on the database file between its
/// transactions, which tells another process's closing connection that it is not the last
/// (the last one folds the write-ahead log into the file and deletes it, under a
/// connection that still reads and writes it, where that process's SQLite does not check
/// otherwise). Closing any descriptor of the file drops every such lock the process holds,
/// so the migrator's own lock on the file must not close one while its connection is open:
/// after each operation, and after a status that asked whether a migrator is running, the
/// process still holds its connection's lock (as the kernel lists it in `/proc/locks`).
#[cfg(target_os = "linux")]
#[test]
fn sqlite_in_wal_mode_the_connection_keeps_its_lock_on_the_file_between_operations() {
    use std::os::unix::fs::MetadataExt;
    let db = TestDb::new(Kind::Sqlite, "wal");
    let file = db.url().trim_start_matches("sqlite://").to_owned();
    let inode = match std::fs::metadata(&file) {
        Ok(metadata) => metadata.ino(),
        Err(e) => panic!("cannot read {file}: {e}"),
    };
    // SQLite's shared lock: a read lock on the 510 bytes after the pending byte (2^30).
    let shared_lock_held = || {
        let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
        locks.lines().any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() == 8
                && fields[1] == "POSIX"
                && fields[3] == "READ"
                && fields[4] == std::process::id().to_string()
                && fields[5].ends_with(&format!(":{inode}"))
                && fields[6] == "1073741826"
        })
    };
    let mut setup = ok(arte_core::AnyConnection::connect(db.url()));
    ok(setup.batch_execute("PRAGMA journal_mode = WAL"));
    std::mem::drop(setup);
    let mut migrator = migrator(&db, registry(&[A, B]));
    ok(migrator.up(1, &Filter::all()));
    assert!(shared_lock_held(), "after an operation");
    ok(migrator.up(1, &Filter::all()));
    ok(migrator.down(1, &Filter::all()));
    assert!(shared_lock_held(), "after two more");
    // A migration that began and did not end: status asks whether a migrator is running.
    let sql = format!("UPDATE migrations SET state = 'migrating' WHERE name = '{A}'");
    ok(migrator.db().execute(&sql));
    assert_eq!(
        ok(migrator.list(&Filter::all()))[0].state,
        State::Interrupted,
        "nobody holds the lock"
    );
    assert!(shared_lock_held(), "after a status that asked for the lock");
    std::mem::drop(migrator);
    assert!(!shared_lock_held(), "the connection is closed");
}

fn create_then_index(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("t_nt")
        .add_id_column()
        .add_column("name", "text", |c| c)
        .execute()?;
    if db.backend() == arte_core::Backend::Postgres {
        // Refused inside a transaction block.
        db.execute("CREATE INDEX CONCURRENTLY t_nt_name_index ON t_nt (name)")
    } else {
        db.schema().create_index("t_nt", &["name"]).execute()
    }
}

fn drop_t_nt(db: &mut Db) -> Result<()> {
    db.schema().drop_table("t_nt").execute()
}

fn create_then_fail(db: &mut Db) -> Result<()> {
    db.schema().create_table("t_nt").add_id_column().execute()?;
    db.execute("INSERT INTO no_such_table (id) VALUES (1)")
}

fn a_migration_outside_a_transaction_runs_statements_that_cannot_be_in_one(db: &TestDb) {
    static OUTSIDE: Migration = Migration::new(
        "2026_01_02_00_00_index_concurrently",
        create_then_index,
        Some(drop_t_nt),
    )
    .without_transaction();
    let mut migrator = migrator(db, ok(Registry::from_migrations([&OUTSIDE])));
    ok(migrator.latest(&Filter::all()));
    assert_eq!(db.tables(), ["migrations", "t_nt"]);
    assert_eq!(db.strings("SELECT state AS v FROM migrations"), ["applied"]);
    assert_eq!(db.indexes("t_nt").len(), 1);
    ok(migrator.down(1, &Filter::all()));
    assert_eq!(db.tables(), ["migrations"]);
    assert!(db.strings("SELECT name AS v FROM migrations").is_empty());
}

fn a_failing_migration_outside_a_transaction_is_recorded_with_what_took_effect(db: &TestDb) {
    static FAILS: Migration = Migration::new(
        "2026_01_02_00_00_create_then_fail",
        create_then_fail,
        Some(drop_t_nt),
    )
    .without_transaction();
    let mut migrator = migrator(db, ok(Registry::from_migrations([&FAILS])));
    let message = refused(migrator.latest(&Filter::all()));
    assert!(
        message.contains(
            "These statements of the migration had taken effect and could not be undone (they were committed as they ran): CREATE TABLE"
        ),
        "{message}"
    );
    assert_eq!(
        db.tables(),
        ["migrations", "t_nt"],
        "the table stays, on every backend"
    );
    let status = ok(migrator.list(&Filter::all()));
    assert_eq!(status[0].state, State::Failed);
    assert_eq!(
        status[0].incomplete.as_ref().map(|i| i.statements.len()),
        Some(1)
    );
    db.execute("DROP TABLE t_nt");
    ok(migrator.repair());
    assert_eq!(ok(migrator.list(&Filter::all()))[0].state, State::Pending);
}

/// A `Migrator` keeps the migrations table between its operations and reads it again only
/// when it changed: what another connection wrote in between is seen all the same.
fn a_migrator_sees_what_another_connection_wrote_between_its_operations(db: &TestDb) {
    let mut first = migrator(db, registry(&[A, B, C]));
    ok(first.latest(&Filter::all()));
    ok(first.down(1, &Filter::all()));
    // Another migrator rolls back B, then applies it and C again: B keeps its row's place.
    let mut second = migrator(db, registry(&[A, B, C]));
    ok(second.down(1, &Filter::all()));
    ok(second.latest(&Filter::all()));
    let report = ok(first.down(1, &Filter::all()));
    assert_eq!(report.steps[0].name, C, "C, applied since, is the last");
    // Behind the migrators' backs: B's source recorded as something else.
    db.execute(&format!(
        "UPDATE migrations SET checksum = 'edited' WHERE name = '{B}'"
    ));
    assert_eq!(
        refused(first.down(1, &Filter::all())),
        format!(
            "the migrations table disagrees with the code, so nothing was run: migration `{B}` of core was edited after it was applied; restore its file, or accept the new source with `migration:repair`"
        )
    );
    assert_eq!(db.tables(), ["migrations", "t_a", "t_b"]);
}

fn a_migrator_sees_what_its_own_connection_wrote_between_its_operations(db: &TestDb) {
    let mut migrator = migrator(db, registry(&[A, B, C]));
    ok(migrator.latest(&Filter::all()));
    ok(migrator.down(1, &Filter::all()));
    let sql = format!("UPDATE migrations SET state = 'failed up' WHERE name = '{B}'");
    ok(migrator.db().execute(&sql));
    let refusal = refused(migrator.down(1, &Filter::all()));
    assert!(
        refusal.starts_with(&format!(
            "the migrations table disagrees with the code, so nothing was run: migration `{B}` of core failed while migrating"
        )),
        "{refusal}"
    );
    // And a row deleted through the same connection: the migration is pending again.
    let sql = format!("DELETE FROM migrations WHERE name = '{B}'");
    ok(migrator.db().execute(&sql));
    let statuses = ok(migrator.list(&Filter::all()));
    assert_eq!(statuses[1].state, State::Pending);
    let report = ok(migrator.down(1, &Filter::all()));
    assert_eq!(
        report.steps[0].name, A,
        "B has no row: A is the last applied"
    );
    // And the table dropped through the same connection, which changes no row: nothing
    // is applied any more, for status as for an operation.
    ok(migrator.up(1, &Filter::all()));
    assert_eq!(ok(migrator.list(&Filter::all()))[0].state, State::Applied);
    ok(migrator.db().execute("DROP TABLE migrations"));
    let statuses = ok(migrator.list(&Filter::all()));
    assert!(
        statuses.iter().all(|s| s.state == State::Pending),
        "{statuses:?}"
    );
}

fn rows_are_taken_in_the_order_they_were_written_wherever_the_table_keeps_them(db: &TestDb) {
    ok(migrator(db, registry(&[A, B, C])).latest(&Filter::all()));
    // An updated row is stored after the others on PostgreSQL, so a read of the table in
    // its own order gives A last there.
    db.execute(&format!(
        "UPDATE migrations SET duration_us = duration_us + 1 WHERE name = '{A}'"
    ));
    if db.kind() == Kind::Postgres {
        assert_eq!(
            db.strings("SELECT name AS v FROM migrations")
                .last()
                .map(String::as_str),
            Some(A),
            "the test needs A stored last"
        );
    }
    // A new migrator reads the table: the batch goes back newest first all the same.
    let report = ok(migrator(db, registry(&[A, B, C])).rollback(&Filter::all(), None));
    let names: Vec<&str> = report.steps.iter().map(|step| step.name.as_str()).collect();
    assert_eq!(names, [C, B, A]);
}

fn parents_and_children(db: &mut Db) -> Result<()> {
    arte_tests::cascade::parents_and_children(db)?;
    db.execute("INSERT INTO fk_parents (id, name) VALUES (1, 'one')")?;
    db.execute("INSERT INTO fk_children (id, parent_id) VALUES (1, 1), (2, 1)")
}

/// What SQLite's own recipe for changing a table ends with.
fn foreign_keys_on_again(db: &mut Db) -> Result<()> {
    db.execute("PRAGMA foreign_keys = ON")
}

/// SQLite rebuilds the table to change a column.
fn widen_parents_name(db: &mut Db) -> Result<()> {
    arte_tests::cascade::parents_name_as(db, "varchar(255)")
}

/// SQLite: a migration outside a transaction that turns foreign keys back on does not
/// leave them on for the migrations after it, in the same operation or the next: a table
/// rebuild (which with foreign keys on would be refused, or cascade) still works and keeps
/// every child row.
#[test]
fn sqlite_foreign_keys_turned_on_by_a_migration_are_off_again_for_the_next_ones() {
    static TABLES: Migration = Migration::new(
        "2026_01_01_00_00_create_parents_and_children",
        parents_and_children,
        None,
    );
    static ON_AGAIN: Migration = Migration::new(
        "2026_01_01_00_01_foreign_keys_on_again",
        foreign_keys_on_again,
        None,
    )
    .without_transaction();
    static WIDEN: Migration = Migration::new(
        "2026_01_01_00_02_widen_parents_name",
        widen_parents_name,
        None,
    );
    for steps in [None, Some(2)] {
        let label = match steps {
            None => "fk_on_again_one_operation",
            Some(_) => "fk_on_again_two_operations",
        };
        let db = &TestDb::new(Kind::Sqlite, label);
        let mut migrator = migrator(
            db,
            ok(Registry::from_migrations([&TABLES, &ON_AGAIN, &WIDEN])),
        );
        match steps {
            None => ok(migrator.latest(&Filter::all())),
            Some(first) => {
                ok(migrator.up(first, &Filter::all()));
                ok(migrator.up(1, &Filter::all()))
            }
        };
        assert_eq!(
            db.strings("SELECT id || ':' || parent_id AS v FROM fk_children ORDER BY id"),
            ["1:1", "2:1"],
            "{label}"
        );
        assert_eq!(
            db.strings("SELECT state AS v FROM migrations"),
            ["applied", "applied", "applied"],
            "{label}"
        );
    }
}
