//! `--atomic` (`Migrator::atomic`): a whole batch in one transaction on SQLite and
//! PostgreSQL, so that a failure anywhere leaves the database exactly as it was; refused in
//! a sentence on MySQL and MariaDB, whose DDL commits by itself, and for a batch with a
//! `no_transaction` migration.

use arte_core::prelude::*;
use arte_core::{Event, Migration, Registry};
use arte_tests::named::{create, drop};
use arte_tests::orphans::{delete_the_parent, nothing, parents_and_children};
use arte_tests::{Kind, TestDb, ok, per_backend, refused};
use std::sync::{Arc, Mutex};

per_backend!(
    an_atomic_batch_applies_every_migration_as_one_batch,
    a_failure_anywhere_in_an_atomic_batch_leaves_the_database_as_it_was,
    an_atomic_rollback_that_fails_rolls_back_nothing,
    an_atomic_batch_with_a_no_transaction_migration_is_refused_before_anything_runs,
    an_atomic_batch_that_leaves_a_row_pointing_at_nothing_is_rolled_back_whole,
);

fn create_then_fail(db: &mut Db) -> Result<()> {
    create(db)?;
    Err(Error::msg("the data did not fit"))
}

fn fail_down(_: &mut Db) -> Result<()> {
    Err(Error::msg("this one cannot go back today"))
}

const A: &str = "2026_01_01_00_00_create_a";
const B: &str = "2026_01_02_00_00_create_b";
const C: &str = "2026_01_03_00_00_create_c";
const D: &str = "2026_01_04_00_00_create_d";

fn plain(name: &'static str) -> &'static Migration {
    Box::leak(Box::new(Migration::new(name, create, Some(drop))))
}

fn migrator(db: &TestDb, migrations: &[&'static Migration]) -> Migrator {
    let registry = ok(Registry::from_migrations(migrations.iter().copied()));
    match Db::connect(db.url()) {
        Ok(connection) => Migrator::with_registry(connection, registry).atomic(true),
        Err(error) => panic!("cannot connect to {}: {error}", db.url()),
    }
}

fn recorded(db: &TestDb) -> Vec<String> {
    db.strings("SELECT name AS v FROM migrations ORDER BY id")
}

const MYSQL_REFUSAL: &str = "`--atomic` cannot run on MySQL/MariaDB: its schema statements commit by themselves, so a batch cannot be taken back as a whole; run without `--atomic` (each migration is then journaled and recorded as it goes)";

fn an_atomic_batch_applies_every_migration_as_one_batch(db: &TestDb) {
    let mut migrator = migrator(db, &[plain(A), plain(B), plain(C)]);
    if db.kind() == Kind::Mysql {
        assert_eq!(refused(migrator.latest(&Filter::all())), MYSQL_REFUSAL);
        assert_eq!(refused(migrator.down(1, &Filter::all())), MYSQL_REFUSAL);
        assert!(
            db.tables().is_empty(),
            "nothing, not even the migrations table"
        );
        return;
    }
    let report = ok(migrator.latest(&Filter::all()));
    assert_eq!(report.steps.len(), 3);
    assert_eq!(recorded(db), [A, B, C]);
    assert_eq!(
        db.strings("SELECT DISTINCT batch AS v FROM migrations"),
        ["1"],
        "one batch"
    );
    assert_eq!(db.tables(), ["migrations", "t_a", "t_b", "t_c"]);
    let report = ok(migrator.rollback(&Filter::all(), None));
    assert_eq!(report.steps.len(), 3);
    assert_eq!(db.tables(), ["migrations"]);
}

fn a_failure_anywhere_in_an_atomic_batch_leaves_the_database_as_it_was(db: &TestDb) {
    if db.kind() == Kind::Mysql {
        let mut migrator = migrator(db, &[plain(A)]);
        assert_eq!(refused(migrator.latest(&Filter::all())), MYSQL_REFUSAL);
        return;
    }
    ok(migrator(db, &[plain(A)]).latest(&Filter::all()));
    let failing: &'static Migration =
        Box::leak(Box::new(Migration::new(D, create_then_fail, Some(drop))));
    let mut migrator = migrator(db, &[plain(A), plain(B), plain(C), failing]);
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    migrator.listen(move |event| {
        if let Ok(mut seen) = seen.lock() {
            match event {
                Event::Starting { migration, .. } => {
                    seen.push(format!("starting {}", migration.name))
                }
                Event::Migrated { step } => seen.push(format!("migrated {}", step.name)),
                _ => {}
            }
        }
        Ok(())
    });
    let message = refused(migrator.latest(&Filter::all()));
    assert_eq!(
        message,
        format!(
            "migration `{D}` of core failed while migrating: the data did not fit; the batch ran with `--atomic`, so all of it was rolled back: none of its 3 migrations is applied"
        )
    );
    assert_eq!(recorded(db), [A], "only what was there before");
    assert_eq!(db.tables(), ["migrations", "t_a"]);
    let events = events.lock().map(|e| e.clone()).unwrap_or_default();
    assert_eq!(
        events,
        [
            format!("starting {B}"),
            format!("starting {C}"),
            format!("starting {D}")
        ],
        "a migration is announced as done only once the batch has committed"
    );
    // The same batch runs once the failing migration is fixed.
    let mut migrator = self::migrator(db, &[plain(A), plain(B), plain(C), plain(D)]);
    assert_eq!(ok(migrator.latest(&Filter::all())).steps.len(), 3);
    assert_eq!(recorded(db), [A, B, C, D]);
}

fn an_atomic_rollback_that_fails_rolls_back_nothing(db: &TestDb) {
    if db.kind() == Kind::Mysql {
        let mut migrator = migrator(db, &[plain(A)]);
        assert_eq!(refused(migrator.reset(&Filter::all())), MYSQL_REFUSAL);
        return;
    }
    let stubborn: &'static Migration =
        Box::leak(Box::new(Migration::new(B, create, Some(fail_down))));
    let mut migrator = migrator(db, &[plain(A), stubborn, plain(C)]);
    ok(migrator.latest(&Filter::all()));
    let message = refused(migrator.reset(&Filter::all()));
    assert_eq!(
        message,
        format!(
            "migration `{B}` of core failed while rolling back: this one cannot go back today; the batch ran with `--atomic`, so all of it was rolled back: none of its 3 migrations is applied"
        )
    );
    assert_eq!(recorded(db), [A, B, C], "C's rollback was taken back too");
    assert_eq!(db.tables(), ["migrations", "t_a", "t_b", "t_c"]);
}

fn an_atomic_batch_with_a_no_transaction_migration_is_refused_before_anything_runs(db: &TestDb) {
    let outside: &'static Migration = Box::leak(Box::new(
        Migration::new(B, create, Some(drop)).without_transaction(),
    ));
    let mut migrator = migrator(db, &[plain(A), outside, plain(C)]);
    let message = refused(migrator.latest(&Filter::all()));
    match db.kind() {
        Kind::Mysql => {
            assert_eq!(message, MYSQL_REFUSAL);
            assert!(db.tables().is_empty());
        }
        Kind::Sqlite | Kind::Postgres => {
            assert_eq!(
                message,
                format!(
                    "`--atomic` runs the whole batch in one transaction, but migration `{B}` of core is marked `no_transaction` and must run outside one; run without `--atomic`, or run the migrations before it first (`migration:up --steps N`); nothing was changed"
                )
            );
            assert!(
                db.tables().is_empty(),
                "refused before the migrations table is created"
            );
            // `fresh` is refused before it rolls anything back.
            let mut one_by_one = migrator.atomic(false);
            ok(one_by_one.up(1, &Filter::all()));
            let mut migrator = one_by_one.atomic(true);
            let again = refused(migrator.fresh(&Filter::all(), None).map(|_| ()));
            assert_eq!(again, message);
            assert_eq!(recorded(db), [A]);
            assert_eq!(db.tables(), ["migrations", "t_a"]);
        }
    }
}

fn an_atomic_batch_that_leaves_a_row_pointing_at_nothing_is_rolled_back_whole(db: &TestDb) {
    let first: &'static Migration = Box::leak(Box::new(Migration::new(
        A,
        parents_and_children,
        Some(nothing),
    )));
    let second: &'static Migration = Box::leak(Box::new(Migration::new(
        B,
        delete_the_parent,
        Some(nothing),
    )));
    let mut migrator = migrator(db, &[first, second]);
    let message = refused(migrator.latest(&Filter::all()));
    match db.kind() {
        Kind::Mysql => assert_eq!(message, MYSQL_REFUSAL),
        Kind::Sqlite => assert_eq!(
            message,
            "rows would be left pointing at nothing: `fk_children` row 1 -> `fk_parents`; delete or fix them in the same migration; the batch ran with `--atomic`, so all of it was rolled back: none of its 2 migrations is applied"
        ),
        // PostgreSQL refuses the DELETE itself.
        Kind::Postgres => assert!(
            message.starts_with(&format!("migration `{B}` of core failed while migrating: "))
                && message.ends_with("none of its 2 migrations is applied"),
            "{message}"
        ),
    }
    let tables = db.tables();
    assert!(
        !tables.contains(&"fk_parents".to_owned()) && !tables.contains(&"fk_children".to_owned()),
        "{tables:?}"
    );
}
