//! The Migrator as a library, on real SQLite files.

use arte_core::prelude::*;
use arte_core::{Direction, Registry, State};
use arte_tests::{Scratch, sqlite};
use std::sync::{Arc, Mutex};

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

struct Setup {
    scratch: Scratch,
}

impl Setup {
    fn new(label: &str) -> Setup {
        Setup {
            scratch: Scratch::new(label),
        }
    }

    fn file(&self) -> std::path::PathBuf {
        self.scratch.join("app.sqlite")
    }

    /// A migrator with the given modules enabled.
    fn migrator(&self, modules: &[&str]) -> Migrator {
        let url = self.scratch.sqlite_url("app.sqlite");
        match Migrator::connect(&url) {
            Ok(migrator) => migrator.enable_modules(modules.iter().copied()),
            Err(error) => panic!("cannot open {url}: {error}"),
        }
    }

    fn tables(&self) -> Vec<String> {
        sqlite::tables(&self.file())
    }

    fn recorded(&self) -> Vec<String> {
        sqlite::strings(
            &self.file(),
            "SELECT module || '/' || name AS name FROM migrations ORDER BY id",
        )
    }
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

#[test]
fn latest_runs_every_pending_migration_in_name_order_and_records_each() -> Result<()> {
    let setup = Setup::new("latest");
    let report = setup.migrator(&["blog"]).latest(&Filter::all())?;
    assert_eq!(names(&report), CORE_AND_BLOG);
    assert!(
        report
            .steps
            .iter()
            .all(|s| s.batch == 1 && s.direction == Direction::Up)
    );
    assert_eq!(
        setup.tables(),
        ["blog_comments", "blog_posts", "items", "migrations", "tags"]
    );
    assert_eq!(setup.recorded(), CORE_AND_BLOG);
    assert_eq!(
        sqlite::number(&setup.file(), "SELECT COUNT(*) AS n FROM items"),
        2
    );
    let checksums = sqlite::strings(&setup.file(), "SELECT checksum AS name FROM migrations");
    assert!(
        checksums
            .iter()
            .all(|c| c.len() == 64 && c.chars().all(|ch| ch.is_ascii_hexdigit()))
    );
    let again = setup.migrator(&["blog"]).latest(&Filter::all())?;
    assert!(again.steps.is_empty(), "a second run has nothing to do");
    Ok(())
}

#[test]
fn list_reports_pending_then_applied_with_batch_and_time() -> Result<()> {
    let setup = Setup::new("list");
    let mut migrator = setup.migrator(&["blog"]);
    let before = migrator.list(&Filter::all())?;
    assert_eq!(before.len(), 5);
    assert!(
        before
            .iter()
            .all(|s| s.state == State::Pending && s.applied.is_none())
    );
    migrator.up(2, &Filter::all())?;
    let after = migrator.list(&Filter::all())?;
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
    Ok(())
}

#[test]
fn up_runs_the_next_n_pending_each_call_a_new_batch() -> Result<()> {
    let setup = Setup::new("up");
    let mut migrator = setup.migrator(&["blog"]);
    let first = migrator.up(2, &Filter::all())?;
    assert_eq!(names(&first), CORE_AND_BLOG[..2]);
    let second = migrator.up(1, &Filter::all())?;
    assert_eq!(names(&second), CORE_AND_BLOG[2..3]);
    assert_eq!(second.steps[0].batch, 2);
    let rest = migrator.migrate(&Filter::all(), None)?;
    assert_eq!(names(&rest), CORE_AND_BLOG[3..]);
    assert_eq!(rest.steps[0].batch, 3);
    Ok(())
}

#[test]
fn down_reverts_newest_applied_first() -> Result<()> {
    let setup = Setup::new("down");
    let mut migrator = setup.migrator(&["blog"]);
    migrator.latest(&Filter::all())?;
    let report = migrator.down(2, &Filter::all())?;
    assert_eq!(
        names(&report),
        [
            "blog/2026_01_03_00_00_create_table_blog_comments",
            "core/2026_01_01_00_02_seed_items"
        ]
    );
    assert!(report.steps.iter().all(|s| s.direction == Direction::Down));
    assert_eq!(setup.recorded(), CORE_AND_BLOG[..3]);
    assert!(!setup.tables().contains(&"blog_comments".to_owned()));
    assert_eq!(
        sqlite::number(&setup.file(), "SELECT COUNT(*) AS n FROM items"),
        0
    );
    Ok(())
}

#[test]
fn rollback_without_steps_reverts_the_last_batch() -> Result<()> {
    let setup = Setup::new("rollback");
    let mut migrator = setup.migrator(&["blog"]);
    migrator.up(3, &Filter::all())?;
    migrator.latest(&Filter::all())?;
    let report = migrator.rollback(&Filter::all(), None)?;
    assert_eq!(
        names(&report),
        [
            "blog/2026_01_03_00_00_create_table_blog_comments",
            "core/2026_01_01_00_02_seed_items"
        ]
    );
    assert_eq!(setup.recorded(), CORE_AND_BLOG[..3]);
    Ok(())
}

#[test]
fn fresh_rolls_everything_back_then_runs_it_again() -> Result<()> {
    let setup = Setup::new("fresh");
    let mut migrator = setup.migrator(&["blog"]);
    migrator.latest(&Filter::all())?;
    sqlite::execute(
        &setup.file(),
        "INSERT INTO items (name) VALUES ('Added later')",
    );
    let report = migrator.fresh(&Filter::all(), None)?;
    let mut reversed = CORE_AND_BLOG.to_vec();
    reversed.reverse();
    assert_eq!(names(&report.rolled_back), reversed);
    assert_eq!(names(&report.migrated), CORE_AND_BLOG);
    assert_eq!(
        sqlite::number(&setup.file(), "SELECT COUNT(*) AS n FROM items"),
        2
    );
    assert!(report.migrated.steps.iter().all(|s| s.batch == 1));
    Ok(())
}

#[test]
fn root_and_module_filters_touch_only_their_migrations() -> Result<()> {
    let setup = Setup::new("filters");
    let mut migrator = setup.migrator(&["blog"]);
    let core = migrator.latest(&Filter::root())?;
    assert!(core.steps.iter().all(|s| s.module == "core"));
    assert_eq!(core.steps.len(), 3);
    let statuses = migrator.list(&Filter::module("blog"))?;
    assert!(
        statuses
            .iter()
            .all(|s| s.module == "blog" && s.state == State::Pending)
    );
    let blog = migrator.latest(&Filter::module("blog"))?;
    assert_eq!(blog.steps.len(), 2);
    let back = migrator.down(5, &Filter::module("blog"))?;
    assert_eq!(back.steps.len(), 2, "only the module's two are rolled back");
    assert_eq!(
        setup.recorded(),
        [CORE_AND_BLOG[0], CORE_AND_BLOG[2], CORE_AND_BLOG[3]]
    );
    Ok(())
}

#[test]
fn unknown_and_disabled_modules_are_refused_with_the_known_ones_listed() {
    let setup = Setup::new("modules");
    let mut migrator = setup.migrator(&["blog"]);
    let unknown = migrator.latest(&Filter::module("shop")).map(|_| ());
    let message = unknown.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "unknown module `shop`; the known modules are: blog, halfway, oneway, unprefixed"
    );
    let disabled = migrator.latest(&Filter::module("oneway")).map(|_| ());
    let message = disabled.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "module `oneway` is not enabled; the enabled modules are: blog"
    );
    assert!(!setup.tables().contains(&"oneway_log".to_owned()));
}

#[test]
fn a_failing_migration_leaves_no_trace_and_earlier_ones_stay_applied() {
    let setup = Setup::new("halfway");
    let mut migrator = setup.migrator(&["halfway"]);
    let error = match migrator.latest(&Filter::module("halfway")) {
        Ok(report) => panic!("the second migration must fail, but the run reported {report:?}"),
        Err(error) => error,
    };
    let message = error.to_string();
    assert!(
        message.starts_with("migration `2026_02_01_00_01_create_table_halfway_b` of halfway failed while migrating: "),
        "{message}"
    );
    assert!(
        message.contains("no such table: no_such_table"),
        "{message}"
    );
    assert!(
        message.contains("INSERT INTO no_such_table"),
        "the failing statement is named: {message}"
    );
    assert_eq!(
        setup.recorded(),
        ["halfway/2026_02_01_00_00_create_table_halfway_a"]
    );
    assert_eq!(
        setup.tables(),
        ["halfway_a", "migrations"],
        "b's table and row are gone, c never ran"
    );
    let statuses = migrator
        .list(&Filter::module("halfway"))
        .map(|s| s.len())
        .ok();
    assert_eq!(statuses, Some(3));
}

#[test]
fn rolling_back_an_irreversible_migration_is_refused_with_nothing_changed() -> Result<()> {
    let setup = Setup::new("oneway");
    let mut migrator = setup.migrator(&["oneway"]);
    migrator.latest(&Filter::module("oneway"))?;
    let refused = migrator.down(2, &Filter::module("oneway")).map(|_| ());
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "migration `2026_03_01_00_00_create_table_oneway_log` of oneway is irreversible, so it cannot be rolled back; nothing was changed"
    );
    assert_eq!(setup.recorded().len(), 2);
    assert!(
        setup.tables().contains(&"oneway_extra".to_owned()),
        "the reversible one was not rolled back either"
    );
    let one = migrator.down(1, &Filter::module("oneway"))?;
    assert_eq!(one.steps.len(), 1, "the reversible one alone can go");
    Ok(())
}

#[test]
fn a_module_table_without_the_module_prefix_is_refused_before_any_sql() {
    let setup = Setup::new("prefix");
    let mut migrator = setup.migrator(&["unprefixed"]);
    let refused = migrator.latest(&Filter::module("unprefixed")).map(|_| ());
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.ends_with(
            "module `unprefixed` may only create tables whose names start with `unprefixed_`, but this migration creates `posts`; name it `unprefixed_posts`"
        ),
        "{message}"
    );
    assert_eq!(setup.tables(), ["migrations"]);
}

#[test]
fn events_fire_around_the_work_with_the_migrations_concerned() -> Result<()> {
    let setup = Setup::new("events");
    let mut migrator = setup.migrator(&["blog"]);
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
            _ => String::new(),
        };
        if let Ok(mut log) = log.lock() {
            log.push(format!("{} {detail}", event.name()));
        }
        Ok(())
    });
    migrator.up(2, &Filter::root())?;
    migrator.down(1, &Filter::root())?;
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(
        seen,
        [
            "migrator:before-migrate 2026_01_01_00_00_create_table_items,2026_01_01_00_01_create_table_tags",
            "migrator:migrated 2026_01_01_00_00_create_table_items",
            "migrator:migrated 2026_01_01_00_01_create_table_tags",
            "migrator:after-migrate 2",
            "migrator:before-rollback 2026_01_01_00_01_create_table_tags",
            "migrator:rolled-back 2026_01_01_00_01_create_table_tags",
            "migrator:after-rollback 1",
        ]
    );
    let global = global_listener::SEEN.with(|s| s.borrow().clone());
    assert_eq!(
        global,
        [
            "migrator:before-migrate",
            "migrator:migrated",
            "migrator:migrated",
            "migrator:after-migrate",
            "migrator:before-rollback",
            "migrator:rolled-back",
            "migrator:after-rollback",
        ],
        "the application-wide listener sees the same events"
    );
    Ok(())
}

#[test]
fn an_error_in_a_before_listener_stops_the_operation_with_nothing_changed() -> Result<()> {
    let setup = Setup::new("veto");
    let mut migrator = setup.migrator(&["blog"]);
    migrator.listen(|event| match event {
        Event::BeforeMigrate { .. } | Event::BeforeRollback { .. } => {
            Err(Error::msg("maintenance window is closed"))
        }
        _ => Ok(()),
    });
    let refused = migrator.latest(&Filter::all()).map(|_| ());
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "the `migrator:before-migrate` listener stopped the operation before anything changed: maintenance window is closed"
    );
    assert_eq!(setup.tables(), ["migrations"]);
    assert!(setup.recorded().is_empty());

    let mut open = setup.migrator(&["blog"]);
    open.latest(&Filter::all())?;
    let refused = migrator.down(1, &Filter::all()).map(|_| ());
    assert!(
        refused.is_err(),
        "a before-rollback listener can stop a rollback too"
    );
    assert_eq!(setup.recorded().len(), 5);
    Ok(())
}

#[test]
fn changed_and_missing_migrations_are_reported_and_missing_ones_block_rollback() -> Result<()> {
    let setup = Setup::new("drift");
    let mut migrator = setup.migrator(&["blog"]);
    migrator.latest(&Filter::root())?;
    sqlite::execute(
        &setup.file(),
        "UPDATE migrations SET checksum = 'old' WHERE name = '2026_01_01_00_01_create_table_tags';
         INSERT INTO migrations (name, module, batch, executed_at, duration_us, checksum)
         VALUES ('2026_01_09_00_00_removed_since', 'core', 2, '2026-01-09 00:00:00', 5, 'x');",
    );
    let statuses = migrator.list(&Filter::root())?;
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
    let refused = migrator.down(2, &Filter::root()).map(|_| ());
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.starts_with("migration `2026_01_09_00_00_removed_since` of core is applied but its code is not in this build"), "{message}");
    assert_eq!(setup.recorded().len(), 4, "nothing was rolled back");
    Ok(())
}

#[test]
fn the_migrations_table_name_is_configurable() -> Result<()> {
    let setup = Setup::new("table");
    let mut migrator = setup.migrator(&[]).table_name("schema_history");
    migrator.latest(&Filter::all())?;
    assert_eq!(setup.tables(), ["items", "schema_history", "tags"]);
    let bad = setup
        .migrator(&[])
        .table_name("bad name; drop")
        .latest(&Filter::all())
        .map(|_| ());
    let message = bad.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("`bad name; drop` is not a valid table name"),
        "{message}"
    );
    Ok(())
}

#[test]
fn two_migrators_on_one_file_apply_each_migration_once() -> Result<()> {
    let setup = Setup::new("concurrent");
    let url = setup.scratch.sqlite_url("app.sqlite");
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || -> Result<usize> {
                let mut migrator = Migrator::connect(&url)?.enable_modules(["blog"]);
                Ok(migrator.latest(&Filter::all())?.steps.len())
            })
        })
        .collect();
    let mut total = 0;
    for handle in handles {
        match handle.join() {
            Ok(result) => total += result?,
            Err(_) => panic!("a migrator thread panicked"),
        }
    }
    assert_eq!(total, 5, "between them, each migration ran once");
    assert_eq!(setup.recorded().len(), 5);
    Ok(())
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
        ["blog", "halfway", "oneway", "unprefixed"]
    );
    Ok(())
}
