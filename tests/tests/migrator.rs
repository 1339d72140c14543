//! The Migrator as a library, on SQLite, PostgreSQL and MySQL/MariaDB.

use arte_core::prelude::*;
use arte_core::{Direction, Registry, RepairAction, State};
use arte_tests::{ForeignKeyInfo, Kind, TestDb, per_backend};
use std::sync::{Arc, Mutex};

per_backend!(
    latest_runs_every_pending_migration_in_name_order_and_records_each,
    list_reports_pending_then_applied_with_batch_and_time,
    up_runs_the_next_n_pending_each_call_a_new_batch,
    down_reverts_newest_applied_first,
    rollback_without_steps_reverts_the_last_batch,
    fresh_rolls_everything_back_then_runs_it_again,
    root_and_module_filters_touch_only_their_migrations,
    unknown_and_disabled_modules_are_refused_with_the_known_ones_listed,
    a_failing_migration_is_undone_where_ddl_is_transactional_and_recorded_as_failed_on_mysql,
    a_migration_leaving_a_row_pointing_at_nothing_fails_and_is_not_recorded,
    a_row_pointing_at_nothing_is_caught_in_an_operation_that_follows_another,
    altering_a_parent_table_keeps_the_rows_that_cascade_from_it,
    rolling_back_an_irreversible_migration_is_refused_with_nothing_changed,
    a_module_table_without_the_module_prefix_is_refused_before_any_sql,
    a_module_renaming_a_table_to_a_name_without_its_prefix_is_refused,
    events_fire_around_the_work_with_the_migrations_concerned,
    an_error_in_a_before_listener_stops_the_operation_with_nothing_changed,
    changed_and_missing_migrations_are_reported_and_missing_ones_block_rollback,
    the_migrations_table_name_is_configurable,
    two_migrators_on_one_database_apply_each_migration_once,
);

mod core_migrations {
    use arte_core::prelude::*;

    pub mod items {
        use super::*;
        #[migration("2026_01_01_00_00_create_table_items")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("items")
                .add_id_column()
                .add_column("name", "varchar(255)", |col| col.not_null())
                .add_column("description", "text", |col| col)
                .add_timestamp_columns()
                .add_soft_delete_column()
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("items").execute()
        }
    }

    pub mod tags {
        use super::*;
        #[migration("2026_01_01_00_01_create_table_tags")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("tags")
                .add_id_column()
                .add_column("label", "varchar(40)", |col| col.not_null().unique())
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("tags").execute()
        }
    }

    pub mod seed {
        use super::*;
        #[migration("2026_01_01_00_02_seed_items")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.execute("INSERT INTO items (name) VALUES ('Notebook'), ('Pencil')")
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.execute("DELETE FROM items WHERE name IN ('Notebook', 'Pencil')")
        }
    }
}

mod blog {
    use arte_core::prelude::*;

    pub mod posts {
        use super::*;
        #[migration("2026_01_01_00_01_create_table_blog_posts", module = "blog")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("blog_posts")
                .add_id_column()
                .add_column("title", "varchar(255)", |col| col.not_null())
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("blog_posts").execute()
        }
    }

    pub mod comments {
        use super::*;
        #[migration("2026_01_03_00_00_create_table_blog_comments", module = "blog")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("blog_comments")
                .add_id_column()
                .add_column("body", "text", |col| col.not_null())
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("blog_comments").execute()
        }
    }
}

/// The second of three fails after it has created a table and written a row.
mod halfway {
    use arte_core::prelude::*;

    pub mod a {
        use super::*;
        #[migration("2026_02_01_00_00_create_table_halfway_a", module = "halfway")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("halfway_a")
                .add_id_column()
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("halfway_a").execute()
        }
    }

    pub mod b {
        use super::*;
        #[migration("2026_02_01_00_01_create_table_halfway_b", module = "halfway")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("halfway_b")
                .add_id_column()
                .execute()?;
            db.execute("INSERT INTO halfway_b (id) VALUES (1)")?;
            db.execute("INSERT INTO no_such_table (id) VALUES (1)")
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("halfway_b").execute()
        }
    }

    pub mod c {
        use super::*;
        #[migration("2026_02_01_00_02_create_table_halfway_c", module = "halfway")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("halfway_c")
                .add_id_column()
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("halfway_c").execute()
        }
    }
}

mod oneway {
    use arte_core::prelude::*;

    pub mod log {
        use super::*;
        #[migration(
            "2026_03_01_00_00_create_table_oneway_log",
            module = "oneway",
            irreversible
        )]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("oneway_log")
                .add_id_column()
                .execute()
        }
    }

    pub mod extra {
        use super::*;
        #[migration("2026_03_01_00_01_create_table_oneway_extra", module = "oneway")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("oneway_extra")
                .add_id_column()
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("oneway_extra").execute()
        }
    }
}

mod unprefixed {
    use arte_core::prelude::*;

    #[migration("2026_04_01_00_00_create_table_posts", module = "unprefixed")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("posts").add_id_column().execute()
    }
    pub fn down(db: &mut Db) -> Result<()> {
        db.schema().drop_table("posts").execute()
    }
}

/// A module table, then a migration that renames it to a name without the prefix.
mod renamer {
    use arte_core::prelude::*;

    pub mod create {
        use super::*;
        #[migration("2026_04_02_00_00_create_table_renamer_things", module = "renamer")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("renamer_things")
                .add_id_column()
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("renamer_things").execute()
        }
    }

    pub mod rename {
        use super::*;
        #[migration("2026_04_02_00_01_rename_things", module = "renamer")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .rename_table("renamer_things", "things")
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema()
                .rename_table("things", "renamer_things")
                .execute()
        }
    }
}

/// A parent and a child table, then a migration that writes a parent, a child of it and a
/// child of a parent that does not exist.
mod orphans {
    use arte_core::prelude::*;

    pub mod tables {
        use super::*;
        #[migration("2026_05_01_00_00_create_table_orphans_parents", module = "orphans")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema()
                .create_table("orphans_parents")
                .add_id_column()
                .add_column("name", "varchar(40)", |col| col.not_null())
                .execute()?;
            db.schema()
                .create_table("orphans_children")
                .add_id_column()
                .add_column("parent_id", "bigint", |col| {
                    col.not_null().references("orphans_parents.id")
                })
                .execute()
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("orphans_children").execute()?;
            db.schema().drop_table("orphans_parents").execute()
        }
    }

    pub mod dangling {
        use super::*;
        #[migration("2026_05_01_00_01_seed_orphans_children", module = "orphans")]
        pub fn up(db: &mut Db) -> Result<()> {
            db.execute("INSERT INTO orphans_parents (id, name) VALUES (1, 'kept')")?;
            db.execute("INSERT INTO orphans_children (id, parent_id) VALUES (1, 1), (2, 99)")
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.execute("DELETE FROM orphans_children")?;
            db.execute("DELETE FROM orphans_parents")
        }
    }
}

/// Children that go with their parent (ON DELETE CASCADE), then a change to the parent
/// table that SQLite can only make by rebuilding it.
mod fk {
    use arte_core::prelude::*;
    use arte_tests::cascade;

    pub mod tables {
        use super::*;
        #[migration("2026_06_01_00_00_create_table_fk_parents", module = "fk")]
        pub fn up(db: &mut Db) -> Result<()> {
            cascade::parents_and_children(db)?;
            db.execute("INSERT INTO fk_parents (id, name) VALUES (1, 'one'), (2, 'two')")?;
            db.execute("INSERT INTO fk_children (id, parent_id) VALUES (1, 1), (2, 1), (3, 2)")
        }
        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table("fk_children").execute()?;
            db.schema().drop_table("fk_parents").execute()
        }
    }

    pub mod widen {
        use super::*;
        #[migration("2026_06_01_00_01_widen_fk_parents_name", module = "fk")]
        pub fn up(db: &mut Db) -> Result<()> {
            cascade::parents_name_as(db, "varchar(255)")
        }
        pub fn down(db: &mut Db) -> Result<()> {
            cascade::parents_name_as(db, "varchar(40)")
        }
    }
}

/// Records, per thread, the events the application-wide listener saw.
mod global_listener {
    use arte_core::prelude::*;
    use std::cell::RefCell;

    thread_local! {
        pub static SEEN: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }

    fn record(event: &Event<'_>) -> Result<()> {
        SEEN.with(|seen| seen.borrow_mut().push(event.name()));
        Ok(())
    }

    arte_core::listener!(record);
}

/// The value, or a panic with arte's message.
#[track_caller]
fn ok<T>(result: Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("arte failed: {error}"),
    }
}

/// The error's message; a panic when there was none.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Ok(value) => panic!("expected an error, but got {value:?}"),
        Err(error) => error.to_string(),
    }
}

/// A migrator on the test's database with the given modules enabled.
fn migrator(db: &TestDb, modules: &[&str]) -> Migrator {
    match Migrator::connect(db.url()) {
        Ok(migrator) => migrator.enable_modules(modules.iter().copied()),
        Err(error) => panic!("cannot connect to {}: {error}", db.url()),
    }
}

/// The recorded migrations as `module/name`, in the order they ran.
fn recorded(db: &TestDb) -> Vec<String> {
    db.strings(match db.kind() {
        // SQLite has no CONCAT before 3.44; MySQL's `||` is OR.
        Kind::Sqlite | Kind::Postgres => {
            "SELECT module || '/' || name AS v FROM migrations ORDER BY id"
        }
        Kind::Mysql => "SELECT CONCAT(module, '/', name) AS v FROM migrations ORDER BY id",
    })
}

fn names(report: &arte_core::Report) -> Vec<String> {
    report
        .steps
        .iter()
        .map(|s| format!("{}/{}", s.module, s.name))
        .collect()
}

/// Name order across core and modules: `…_00_01_create_table_blog_posts` sorts before
/// `…_00_01_create_table_tags`.
const CORE_AND_BLOG: [&str; 5] = [
    "core/2026_01_01_00_00_create_table_items",
    "blog/2026_01_01_00_01_create_table_blog_posts",
    "core/2026_01_01_00_01_create_table_tags",
    "core/2026_01_01_00_02_seed_items",
    "blog/2026_01_03_00_00_create_table_blog_comments",
];

fn latest_runs_every_pending_migration_in_name_order_and_records_each(db: &TestDb) {
    let report = ok(migrator(db, &["blog"]).latest(&Filter::all()));
    assert_eq!(names(&report), CORE_AND_BLOG);
    assert!(
        report
            .steps
            .iter()
            .all(|s| s.batch == 1 && s.direction == Direction::Up)
    );
    assert_eq!(
        db.tables(),
        ["blog_comments", "blog_posts", "items", "migrations", "tags"]
    );
    assert_eq!(recorded(db), CORE_AND_BLOG);
    assert_eq!(db.count("items"), 2);
    let checksums = db.strings("SELECT checksum AS v FROM migrations");
    assert_eq!(checksums.len(), 5);
    assert!(
        checksums
            .iter()
            .all(|c| c.len() == 64 && c.chars().all(|ch| ch.is_ascii_hexdigit())),
        "{checksums:?}"
    );
    let again = ok(migrator(db, &["blog"]).latest(&Filter::all()));
    assert!(again.steps.is_empty(), "a second run has nothing to do");
}

fn list_reports_pending_then_applied_with_batch_and_time(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    let before = ok(migrator.list(&Filter::all()));
    assert_eq!(before.len(), 5);
    assert!(
        before
            .iter()
            .all(|s| s.state == State::Pending && s.applied.is_none())
    );
    ok(migrator.up(2, &Filter::all()));
    let after = ok(migrator.list(&Filter::all()));
    let states: Vec<State> = after.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            State::Applied,
            State::Applied,
            State::Pending,
            State::Pending,
            State::Pending
        ]
    );
    let applied = after[0]
        .applied
        .map(|a| (a.batch, a.executed_at.timestamp() > 1_700_000_000));
    assert_eq!(applied, Some((1, true)));
    assert!(
        after[0]
            .location
            .is_some_and(|l| l.file.ends_with("migrator.rs"))
    );
}

fn up_runs_the_next_n_pending_each_call_a_new_batch(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    let first = ok(migrator.up(2, &Filter::all()));
    assert_eq!(names(&first), CORE_AND_BLOG[..2]);
    let second = ok(migrator.up(1, &Filter::all()));
    assert_eq!(names(&second), CORE_AND_BLOG[2..3]);
    assert_eq!(second.steps[0].batch, 2);
    let rest = ok(migrator.migrate(&Filter::all(), None));
    assert_eq!(names(&rest), CORE_AND_BLOG[3..]);
    assert_eq!(rest.steps[0].batch, 3);
}

fn down_reverts_newest_applied_first(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    ok(migrator.latest(&Filter::all()));
    let report = ok(migrator.down(2, &Filter::all()));
    assert_eq!(
        names(&report),
        [
            "blog/2026_01_03_00_00_create_table_blog_comments",
            "core/2026_01_01_00_02_seed_items"
        ]
    );
    assert!(report.steps.iter().all(|s| s.direction == Direction::Down));
    assert_eq!(recorded(db), CORE_AND_BLOG[..3]);
    assert!(!db.tables().contains(&"blog_comments".to_owned()));
    assert_eq!(db.count("items"), 0);
}

fn rollback_without_steps_reverts_the_last_batch(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    ok(migrator.up(3, &Filter::all()));
    ok(migrator.latest(&Filter::all()));
    let report = ok(migrator.rollback(&Filter::all(), None));
    assert_eq!(
        names(&report),
        [
            "blog/2026_01_03_00_00_create_table_blog_comments",
            "core/2026_01_01_00_02_seed_items"
        ]
    );
    assert_eq!(recorded(db), CORE_AND_BLOG[..3]);
}

fn fresh_rolls_everything_back_then_runs_it_again(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    ok(migrator.latest(&Filter::all()));
    db.execute("INSERT INTO items (name) VALUES ('Added later')");
    assert_eq!(db.count("items"), 3);
    let report = ok(migrator.fresh(&Filter::all(), None));
    let mut reversed = CORE_AND_BLOG.to_vec();
    reversed.reverse();
    assert_eq!(names(&report.rolled_back), reversed);
    assert_eq!(names(&report.migrated), CORE_AND_BLOG);
    assert_eq!(db.count("items"), 2);
    assert!(report.migrated.steps.iter().all(|s| s.batch == 1));
}

fn root_and_module_filters_touch_only_their_migrations(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    let core = ok(migrator.latest(&Filter::core()));
    assert!(core.steps.iter().all(|s| s.module == "core"));
    assert_eq!(core.steps.len(), 3);
    let statuses = ok(migrator.list(&Filter::module("blog")));
    assert!(
        statuses
            .iter()
            .all(|s| s.module == "blog" && s.state == State::Pending)
    );
    let blog = ok(migrator.latest(&Filter::module("blog")));
    assert_eq!(blog.steps.len(), 2);
    let back = ok(migrator.down(5, &Filter::module("blog")));
    assert_eq!(back.steps.len(), 2, "only the module's two are rolled back");
    assert_eq!(
        recorded(db),
        [CORE_AND_BLOG[0], CORE_AND_BLOG[2], CORE_AND_BLOG[3]]
    );
}

fn unknown_and_disabled_modules_are_refused_with_the_known_ones_listed(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    assert_eq!(
        refused(migrator.latest(&Filter::module("shop"))),
        "unknown module `shop`; the known modules are: blog, fk, halfway, oneway, orphans, renamer, unprefixed"
    );
    assert_eq!(
        refused(migrator.latest(&Filter::module("oneway"))),
        "module `oneway` is not enabled; the enabled modules are: blog"
    );
    assert!(!db.tables().contains(&"oneway_log".to_owned()));
}

/// On SQLite and PostgreSQL the failed migration is undone whole and not recorded. On
/// MySQL its DDL committed by itself, so its table and the row written after it stay: the
/// message says so, and the migration is recorded as failed with what took effect, which
/// blocks every run until the database is fixed and `repair` clears the record.
fn a_failing_migration_is_undone_where_ddl_is_transactional_and_recorded_as_failed_on_mysql(
    db: &TestDb,
) {
    let mut migrator = migrator(db, &["halfway"]);
    let message = refused(migrator.latest(&Filter::module("halfway")));
    let head =
        "migration `2026_02_01_00_01_create_table_halfway_b` of halfway failed while migrating: ";
    let statement = "the statement was: INSERT INTO no_such_table (id) VALUES (1)";
    let create = "CREATE TABLE `halfway_b` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY)";
    let insert = "INSERT INTO halfway_b (id) VALUES (1)";
    let expected = match db.kind() {
        Kind::Sqlite => format!("{head}no such table: no_such_table; {statement}"),
        Kind::Postgres => {
            format!("{head}relation \"no_such_table\" does not exist; {statement}")
        }
        Kind::Mysql => format!(
            "{head}Table '{}.no_such_table' doesn't exist; {statement}. These statements of \
             the migration had taken effect and could not be undone (they were committed as \
             they ran): {create}; {insert}. Undo them by hand, then run \
             `migration:repair`",
            db.name()
        ),
    };
    assert_eq!(message, expected);
    let states = |migrator: &mut Migrator| {
        migrator
            .list(&Filter::module("halfway"))
            .map(|s| s.iter().map(|s| s.state).collect::<Vec<_>>())
            .ok()
    };
    match db.kind() {
        Kind::Sqlite | Kind::Postgres => {
            assert_eq!(
                recorded(db),
                ["halfway/2026_02_01_00_00_create_table_halfway_a"],
                "b is not recorded, c never ran"
            );
            assert_eq!(
                db.tables(),
                ["halfway_a", "migrations"],
                "b's table and row are gone, c never ran"
            );
        }
        Kind::Mysql => {
            assert_eq!(
                recorded(db),
                [
                    "halfway/2026_02_01_00_00_create_table_halfway_a",
                    "halfway/2026_02_01_00_01_create_table_halfway_b"
                ],
                "b is recorded, as failed; c never ran"
            );
            assert_eq!(
                db.tables(),
                ["halfway_a", "halfway_b", "migrations"],
                "b's table stays, as the message says; c never ran"
            );
            assert_eq!(db.count("halfway_b"), 1, "and so does the row after it");
            let list = ok(migrator.list(&Filter::module("halfway")));
            assert_eq!(list[1].state, State::Failed);
            let incomplete = list[1]
                .incomplete
                .clone()
                .map(|i| (i.direction, i.statements));
            assert_eq!(
                incomplete,
                Some((Direction::Up, vec![create.to_owned(), insert.to_owned()]))
            );
            let refusal = refused(migrator.latest(&Filter::module("halfway")));
            assert!(
                refusal.starts_with(&format!(
                    "the migrations table disagrees with the code, so nothing was run: migration `2026_02_01_00_01_create_table_halfway_b` of halfway failed while migrating after these statements took effect: {create}; {insert}; undo what took effect by hand, then run `migration:repair`"
                )),
                "{refusal}"
            );
            assert!(
                refused(migrator.down(1, &Filter::all()))
                    .starts_with("the migrations table disagrees")
            );
            // The documented fix: undo what took effect, then clear the record.
            db.execute("DROP TABLE halfway_b");
            assert_eq!(
                ok(migrator.repair()).actions,
                [RepairAction::Clear {
                    module: "halfway".into(),
                    name: "2026_02_01_00_01_create_table_halfway_b".into(),
                    direction: Direction::Up
                }]
            );
        }
    }
    assert_eq!(
        states(&mut migrator),
        Some(vec![State::Applied, State::Pending, State::Pending])
    );
}

/// SQLite: foreign keys are off while a migration runs and checked before it commits.
/// PostgreSQL and MySQL refuse the row themselves. Either way nothing of the migration stays.
fn a_migration_leaving_a_row_pointing_at_nothing_fails_and_is_not_recorded(db: &TestDb) {
    let mut migrator = migrator(db, &["orphans"]);
    let message = refused(migrator.latest(&Filter::module("orphans")));
    let head =
        "migration `2026_05_01_00_01_seed_orphans_children` of orphans failed while migrating: ";
    let statement =
        "the statement was: INSERT INTO orphans_children (id, parent_id) VALUES (1, 1), (2, 99)";
    let expected = match db.kind() {
        Kind::Sqlite => format!(
            "{head}rows would be left pointing at nothing: `orphans_children` row 2 -> \
             `orphans_parents`; delete or fix them in the same migration"
        ),
        Kind::Postgres => format!(
            "{head}insert or update on table \"orphans_children\" violates foreign key \
             constraint \"orphans_children_parent_id_foreign\"; {statement}"
        ),
        Kind::Mysql => format!(
            "{head}Cannot add or update a child row: a foreign key constraint fails (`{}`.\
             `orphans_children`, CONSTRAINT `orphans_children_parent_id_foreign` FOREIGN KEY \
             (`parent_id`) REFERENCES `orphans_parents` (`id`)); {statement}",
            db.name()
        ),
    };
    assert_eq!(message, expected);
    assert_eq!(
        recorded(db),
        ["orphans/2026_05_01_00_00_create_table_orphans_parents"]
    );
    assert_eq!(
        db.tables(),
        ["migrations", "orphans_children", "orphans_parents"]
    );
    assert_eq!(
        (db.count("orphans_parents"), db.count("orphans_children")),
        (0, 0),
        "neither the good parent nor the children stay"
    );
    let statuses = ok(migrator.list(&Filter::module("orphans")));
    let states: Vec<State> = statuses.iter().map(|s| s.state).collect();
    assert_eq!(states, [State::Applied, State::Pending]);
    let orphan = "INSERT INTO orphans_children (id, parent_id) VALUES (5, 98)";
    let enforced = match db.kind() {
        Kind::Sqlite => "FOREIGN KEY constraint failed".to_owned(),
        Kind::Postgres => "insert or update on table \"orphans_children\" violates foreign key \
             constraint \"orphans_children_parent_id_foreign\""
            .to_owned(),
        Kind::Mysql => format!(
            "Cannot add or update a child row: a foreign key constraint fails (`{}`.\
             `orphans_children`, CONSTRAINT `orphans_children_parent_id_foreign` FOREIGN KEY \
             (`parent_id`) REFERENCES `orphans_parents` (`id`))",
            db.name()
        ),
    };
    assert_eq!(
        refused(migrator.db().execute(orphan)),
        format!("{enforced}; the statement was: {orphan}"),
        "the migrator's connection enforces foreign keys again after the migration"
    );
}

/// The same in an operation that follows another of the same migrator, which starts from
/// what it kept (on SQLite, the counters its stamp held, not read again): the orphan is
/// still caught.
fn a_row_pointing_at_nothing_is_caught_in_an_operation_that_follows_another(db: &TestDb) {
    let mut migrator = migrator(db, &["orphans"]);
    ok(migrator.up(1, &Filter::module("orphans")));
    let message = refused(migrator.up(1, &Filter::module("orphans")));
    assert!(
        message.starts_with(
            "migration `2026_05_01_00_01_seed_orphans_children` of orphans failed while migrating: "
        ),
        "{message}"
    );
    if db.kind() == Kind::Sqlite {
        assert!(
            message.contains("rows would be left pointing at nothing"),
            "{message}"
        );
    }
    assert_eq!(
        recorded(db),
        ["orphans/2026_05_01_00_00_create_table_orphans_parents"]
    );
    assert_eq!(
        (db.count("orphans_parents"), db.count("orphans_children")),
        (0, 0)
    );
}

/// SQLite rebuilds the parent to change a column; with foreign keys on, dropping the old
/// table would delete every child through ON DELETE CASCADE.
fn altering_a_parent_table_keeps_the_rows_that_cascade_from_it(db: &TestDb) {
    let mut migrator = migrator(db, &["fk"]);
    let report = ok(migrator.latest(&Filter::module("fk")));
    assert_eq!(
        names(&report),
        [
            "fk/2026_06_01_00_00_create_table_fk_parents",
            "fk/2026_06_01_00_01_widen_fk_parents_name"
        ]
    );
    let varchar_255 = match db.kind() {
        Kind::Sqlite | Kind::Mysql => "varchar(255)",
        Kind::Postgres => "character varying(255)",
    };
    let name_type = db
        .columns("fk_parents")
        .into_iter()
        .find(|c| c.name == "name")
        .map(|c| (c.ty, c.nullable));
    assert_eq!(name_type, Some((varchar_255.to_owned(), false)));
    let children = "SELECT id || ':' || parent_id AS v FROM fk_children ORDER BY id";
    let children = match db.kind() {
        Kind::Sqlite | Kind::Postgres => children.to_owned(),
        Kind::Mysql => {
            "SELECT CONCAT(id, ':', parent_id) AS v FROM fk_children ORDER BY id".to_owned()
        }
    };
    assert_eq!(db.strings(&children), ["1:1", "2:1", "3:2"]);
    let foreign_key = ForeignKeyInfo {
        name: match db.kind() {
            Kind::Sqlite => None,
            Kind::Postgres | Kind::Mysql => Some("fk_children_parent_id_foreign".to_owned()),
        },
        columns: vec!["parent_id".to_owned()],
        ref_table: "fk_parents".to_owned(),
        ref_columns: vec!["id".to_owned()],
        on_delete: "CASCADE".to_owned(),
        on_update: match db.kind() {
            Kind::Sqlite | Kind::Postgres => "NO ACTION",
            Kind::Mysql => "RESTRICT",
        }
        .to_owned(),
    };
    assert_eq!(
        db.foreign_keys("fk_children"),
        std::slice::from_ref(&foreign_key)
    );

    let back = ok(migrator.down(1, &Filter::module("fk")));
    assert_eq!(names(&back), ["fk/2026_06_01_00_01_widen_fk_parents_name"]);
    assert_eq!(
        db.strings(&children),
        ["1:1", "2:1", "3:2"],
        "rolling back rebuilds it again"
    );
    assert_eq!(db.foreign_keys("fk_children"), [foreign_key]);

    db.execute("DELETE FROM fk_parents WHERE id = 1");
    assert_eq!(
        db.strings(&children),
        ["3:2"],
        "the key still cascades to the rebuilt table"
    );
}

fn rolling_back_an_irreversible_migration_is_refused_with_nothing_changed(db: &TestDb) {
    let mut migrator = migrator(db, &["oneway"]);
    ok(migrator.latest(&Filter::module("oneway")));
    assert_eq!(
        refused(migrator.down(2, &Filter::module("oneway"))),
        "migration `2026_03_01_00_00_create_table_oneway_log` of oneway is irreversible, so it cannot be rolled back; nothing was changed"
    );
    assert_eq!(recorded(db).len(), 2);
    assert!(
        db.tables().contains(&"oneway_extra".to_owned()),
        "the reversible one was not rolled back either"
    );
    let one = ok(migrator.down(1, &Filter::module("oneway")));
    assert_eq!(one.steps.len(), 1, "the reversible one alone can go");
}

fn a_module_table_without_the_module_prefix_is_refused_before_any_sql(db: &TestDb) {
    let mut migrator = migrator(db, &["unprefixed"]);
    assert_eq!(
        refused(migrator.latest(&Filter::module("unprefixed"))),
        "migration `2026_04_01_00_00_create_table_posts` of unprefixed failed while migrating: module `unprefixed` may only create tables whose names start with `unprefixed_`, but this migration creates `posts`; name it `unprefixed_posts`"
    );
    assert_eq!(db.tables(), ["migrations"]);
    assert!(recorded(db).is_empty());
}

fn a_module_renaming_a_table_to_a_name_without_its_prefix_is_refused(db: &TestDb) {
    let mut migrator = migrator(db, &["renamer"]);
    assert_eq!(
        refused(migrator.latest(&Filter::module("renamer"))),
        "migration `2026_04_02_00_01_rename_things` of renamer failed while migrating: module `renamer` may only create tables whose names start with `renamer_`, but this migration renames a table to `things`; name it `renamer_things`"
    );
    assert_eq!(db.tables(), ["migrations", "renamer_things"]);
    assert_eq!(
        recorded(db),
        ["renamer/2026_04_02_00_00_create_table_renamer_things"]
    );
}

fn events_fire_around_the_work_with_the_migrations_concerned(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = Arc::clone(&seen);
    migrator.listen(move |event| {
        let detail = match event {
            Event::BeforeMigrate { migrations } | Event::BeforeRollback { migrations } => {
                migrations
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            }
            Event::Migrated { step } | Event::RolledBack { step } => step.name.clone(),
            Event::AfterMigrate { report } | Event::AfterRollback { report } => {
                report.steps.len().to_string()
            }
            Event::Starting {
                migration,
                direction,
            } => format!("{} {direction:?}", migration.name),
            _ => String::new(),
        };
        if let Ok(mut log) = log.lock() {
            log.push(format!("{} {detail}", event.name()));
        }
        Ok(())
    });
    ok(migrator.up(2, &Filter::core()));
    ok(migrator.down(1, &Filter::core()));
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(
        seen,
        [
            "migrator:before-migrate 2026_01_01_00_00_create_table_items,2026_01_01_00_01_create_table_tags",
            "migrator:starting 2026_01_01_00_00_create_table_items Up",
            "migrator:migrated 2026_01_01_00_00_create_table_items",
            "migrator:starting 2026_01_01_00_01_create_table_tags Up",
            "migrator:migrated 2026_01_01_00_01_create_table_tags",
            "migrator:after-migrate 2",
            "migrator:before-rollback 2026_01_01_00_01_create_table_tags",
            "migrator:starting 2026_01_01_00_01_create_table_tags Down",
            "migrator:rolled-back 2026_01_01_00_01_create_table_tags",
            "migrator:after-rollback 1",
        ]
    );
    let global = global_listener::SEEN.with(|s| s.borrow().clone());
    assert_eq!(
        global,
        [
            "migrator:before-migrate",
            "migrator:starting",
            "migrator:migrated",
            "migrator:starting",
            "migrator:migrated",
            "migrator:after-migrate",
            "migrator:before-rollback",
            "migrator:starting",
            "migrator:rolled-back",
            "migrator:after-rollback",
        ],
        "the application-wide listener sees the same events"
    );
}

fn an_error_in_a_before_listener_stops_the_operation_with_nothing_changed(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    migrator.listen(|event| match event {
        Event::BeforeMigrate { .. } | Event::BeforeRollback { .. } => {
            Err(Error::msg("maintenance window is closed"))
        }
        _ => Ok(()),
    });
    assert_eq!(
        refused(migrator.latest(&Filter::all())),
        "the `migrator:before-migrate` listener stopped the operation before anything changed: maintenance window is closed"
    );
    assert_eq!(db.tables(), ["migrations"]);
    assert!(recorded(db).is_empty());

    let mut open = self::migrator(db, &["blog"]);
    ok(open.latest(&Filter::all()));
    assert_eq!(
        refused(migrator.down(1, &Filter::all())),
        "the `migrator:before-rollback` listener stopped the operation before anything changed: maintenance window is closed",
        "a before-rollback listener can stop a rollback too"
    );
    assert_eq!(recorded(db).len(), 5);
}

fn changed_and_missing_migrations_are_reported_and_missing_ones_block_rollback(db: &TestDb) {
    let mut migrator = migrator(db, &["blog"]);
    ok(migrator.latest(&Filter::core()));
    db.execute(
        "UPDATE migrations SET checksum = 'old' WHERE name = '2026_01_01_00_01_create_table_tags';
         INSERT INTO migrations (name, module, batch, executed_at, duration_us, checksum)
         VALUES ('2026_01_09_00_00_removed_since', 'core', 2, '2026-01-09 00:00:00', 5, 'x');",
    );
    let statuses = ok(migrator.list(&Filter::core()));
    let states: Vec<(&str, State)> = statuses
        .iter()
        .map(|s| (s.name.as_str(), s.state))
        .collect();
    assert_eq!(
        states,
        [
            ("2026_01_01_00_00_create_table_items", State::Applied),
            ("2026_01_01_00_01_create_table_tags", State::Changed),
            ("2026_01_01_00_02_seed_items", State::Applied),
            ("2026_01_09_00_00_removed_since", State::Missing),
        ]
    );
    let history = "the migrations table disagrees with the code, so nothing was run: \
        migration `2026_01_01_00_01_create_table_tags` of core was edited after it was applied; \
        restore its file, or accept the new source with `migration:repair`; \
        migration `2026_01_09_00_00_removed_since` of core is applied but its code is not in this build; \
        restore its file, or forget it with `migration:repair`";
    assert_eq!(refused(migrator.down(2, &Filter::core())), history);
    assert_eq!(refused(migrator.latest(&Filter::core())), history);
    assert_eq!(refused(migrator.fresh(&Filter::core(), None)), history);
    assert_eq!(recorded(db).len(), 4, "nothing was rolled back");

    let pretended = ok(self::migrator(db, &["blog"]).pretend(true).repair());
    assert_eq!(
        pretended.actions,
        [
            RepairAction::AcceptChange {
                module: "core".into(),
                name: "2026_01_01_00_01_create_table_tags".into()
            },
            RepairAction::Forget {
                module: "core".into(),
                name: "2026_01_09_00_00_removed_since".into()
            },
        ]
    );
    assert_eq!(recorded(db).len(), 4, "pretending changes nothing");
    assert_eq!(ok(migrator.repair()).actions, pretended.actions);
    let states: Vec<State> = ok(migrator.list(&Filter::core()))
        .iter()
        .map(|s| s.state)
        .collect();
    assert_eq!(states, [State::Applied, State::Applied, State::Applied]);
    assert!(
        ok(migrator.repair()).actions.is_empty(),
        "nothing left to repair"
    );
    assert_eq!(ok(migrator.down(2, &Filter::core())).steps.len(), 2);
}

fn the_migrations_table_name_is_configurable(db: &TestDb) {
    let mut migrator = migrator(db, &[]).table_name("schema_history");
    ok(migrator.latest(&Filter::all()));
    assert_eq!(db.tables(), ["items", "schema_history", "tags"]);
    let bad = self::migrator(db, &[])
        .table_name("bad name; drop")
        .latest(&Filter::all());
    assert_eq!(
        refused(bad),
        "`bad name; drop` cannot name the migrations table; use letters, digits and underscores, starting with a letter or underscore, at most 63 characters"
    );
}

/// SQLite: each migration's transaction takes the write lock and checks again.
/// PostgreSQL and MySQL: one migrator holds a lock for the whole operation.
fn two_migrators_on_one_database_apply_each_migration_once(db: &TestDb) {
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let url = db.url().to_owned();
            std::thread::spawn(move || -> Result<Vec<String>> {
                let mut migrator = Migrator::connect(&url)?.enable_modules(["blog"]);
                Ok(names(&migrator.latest(&Filter::all())?))
            })
        })
        .collect();
    let mut ran = Vec::new();
    for handle in handles {
        match handle.join() {
            Ok(result) => ran.extend(ok(result)),
            Err(_) => panic!("a migrator thread panicked"),
        }
    }
    ran.sort();
    let mut expected = CORE_AND_BLOG.map(str::to_owned).to_vec();
    expected.sort();
    assert_eq!(ran, expected, "between them, each migration ran once");
    assert_eq!(recorded(db), CORE_AND_BLOG);
}

#[test]
fn the_registry_sorts_core_and_module_migrations_together_by_name() -> Result<()> {
    let registry = Registry::collect()?;
    let order: Vec<String> = registry
        .migrations()
        .iter()
        .take(3)
        .map(|m| format!("{}/{}", m.module_label(), m.name()))
        .collect();
    assert_eq!(order, CORE_AND_BLOG[..3]);
    assert_eq!(
        registry.modules(),
        [
            "blog",
            "fk",
            "halfway",
            "oneway",
            "orphans",
            "renamer",
            "unprefixed"
        ]
    );
    Ok(())
}

/// A scratch database that arte migrates for its own checks (`contract:check
/// --migrations`, migrations written from the contracts, a squash's check) is not the
/// application's: its listeners (`listener!()`) do not hear it.
#[test]
fn the_application_listener_does_not_hear_a_scratch_database() {
    global_listener::SEEN.with(|seen| seen.borrow_mut().clear());
    let registry = ok(arte_core::Registry::collect());
    let url = ok(arte_core::DatabaseUrl::parse("sqlite::memory:"));
    let modules = vec!["blog".to_owned()];
    let differences = ok(arte_core::contract::check_migrations(
        &url,
        &registry,
        &[],
        "migrations",
        Some(&modules),
    ));
    assert!(!differences.is_empty(), "the migrations built tables");
    let heard = global_listener::SEEN.with(|seen| seen.borrow().clone());
    assert_eq!(heard, Vec::<&str>::new());
}
