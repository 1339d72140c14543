//! A squashed history against databases that ran the old one, per backend: one that ran
//! only some of the migrations a squash replaces is shown as it is and refused before
//! anything runs; rolling back a replaced migration says that only its row was forgotten;
//! and a squash taken on SQLite declares each column's type as the migrations did.

use arte_core::contract::plan_squash;
use arte_core::prelude::*;
use arte_core::squash::Squash;
use arte_core::{DatabaseUrl, Migration, Registry, State};
use arte_tests::{TestDb, per_backend};

per_backend!(
    a_database_that_ran_part_of_a_squash_is_shown_as_it_is_and_refused_before_anything_runs,
    rolling_back_a_replaced_migration_forgets_its_row_and_says_so,
    rolling_back_a_squash_without_all_it_replaces_is_refused,
);

const ITEMS: &str = "2026_01_01_00_00_create_table_items";
const TAGS: &str = "2026_01_01_00_01_create_table_tags";
const EVENTS: &str = "2026_01_01_00_02_create_table_events";

fn items(db: &mut Db) -> Result<()> {
    db.schema().create_table("items").add_id_column().execute()
}

fn tags(db: &mut Db) -> Result<()> {
    db.schema().create_table("tags").add_id_column().execute()
}

fn events(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("events")
        .add_id_column()
        .add_column("doc", "jsonb", |c| c)
        .add_column("label", "varchar(40)", |c| c)
        .add_column("price", "decimal(10, 2)", |c| c)
        .add_column("seen_at", "timestamptz", |c| c)
        .add_column("token", "uuid", |c| c)
        .execute()
}

fn drop_items(db: &mut Db) -> Result<()> {
    db.schema().drop_table("items").execute()
}

fn drop_tags(db: &mut Db) -> Result<()> {
    db.schema().drop_table("tags").execute()
}

fn drop_events(db: &mut Db) -> Result<()> {
    db.schema().drop_table("events").execute()
}

fn squash_up(db: &mut Db) -> Result<()> {
    items(db)?;
    tags(db)?;
    events(db)
}

fn squash_down(db: &mut Db) -> Result<()> {
    drop_events(db)?;
    drop_tags(db)?;
    drop_items(db)
}

static OLD: [Migration; 3] = [
    Migration::new(ITEMS, items, Some(drop_items)),
    Migration::new(TAGS, tags, Some(drop_tags)),
    Migration::new(EVENTS, events, Some(drop_events)),
];

/// A module's migration, ordered between the squash's replaced migrations.
static NOTES: Migration = Migration::new(
    "2026_01_01_00_01_create_table_notes",
    notes,
    Some(drop_notes),
)
.in_module("notes");

fn notes(db: &mut Db) -> Result<()> {
    db.schema().create_table("notes").add_id_column().execute()
}

fn drop_notes(db: &mut Db) -> Result<()> {
    db.schema().drop_table("notes").execute()
}

static SQUASHED: Migration = Migration::new(EVENTS, squash_up, Some(squash_down));
static REPLACES: [Migration; 2] = [
    arte_core::__private::retired(ITEMS, "", None),
    arte_core::__private::retired(TAGS, "", None),
];
static SQUASH: Squash = Squash {
    migration: &SQUASHED,
    replaces: &REPLACES,
};

/// The release from before the squash.
fn before(db: &TestDb) -> Migrator {
    let registry = Registry::from_migrations(&OLD).unwrap_or_else(|e| panic!("{e}"));
    Migrator::with_registry(db.db(), registry)
}

/// The release with the squash, its old files deleted.
fn after(db: &TestDb) -> Migrator {
    let registry = Registry::with_squashes([], [&SQUASH]).unwrap_or_else(|e| panic!("{e}"));
    Migrator::with_registry(db.db(), registry)
}

fn states(migrator: &mut Migrator) -> Vec<(String, State)> {
    migrator
        .list(&Filter::all())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|s| (s.name, s.state))
        .collect()
}

fn a_database_that_ran_part_of_a_squash_is_shown_as_it_is_and_refused_before_anything_runs(
    db: &TestDb,
) {
    before(db)
        .up(1, &Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut migrator = after(db);
    assert_eq!(
        states(&mut migrator),
        [
            (ITEMS.to_owned(), State::Applied),
            (EVENTS.to_owned(), State::Blocked)
        ]
    );
    let tables = db.tables();
    // With a module's migration pending before the squash, `up` of one step would run it:
    // refused as well, since the squash still waits.
    let mut with_notes = Migrator::with_registry(
        db.db(),
        Registry::with_squashes([&NOTES], [&SQUASH]).unwrap_or_else(|e| panic!("{e}")),
    );
    for refused in [
        migrator.latest(&Filter::all()),
        migrator.up(1, &Filter::core()),
        with_notes.up(1, &Filter::all()),
    ] {
        let error = refused.expect_err("the squash must not run");
        assert_eq!(
            error.to_string(),
            format!(
                "the migrations table disagrees with the code, so nothing was run: the squash `{EVENTS}` of core cannot run on this database, which ran `{ITEMS}` of the migrations it replaces but not `{TAGS}` and `{EVENTS}`; run those with a release from before the squash, after which the squash counts as applied"
            )
        );
    }
    assert_eq!(db.tables(), tables, "nothing changed");

    // Run the rest with the release from before: the squash is then applied.
    before(db)
        .latest(&Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut migrator = after(db);
    assert_eq!(states(&mut migrator), [(EVENTS.to_owned(), State::Applied)]);
    let report = migrator
        .latest(&Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.steps.is_empty(), "{report:?}");
}

fn rolling_back_a_replaced_migration_forgets_its_row_and_says_so(db: &TestDb) {
    before(db)
        .up(2, &Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut migrator = after(db);
    let report = migrator
        .down(1, &Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let step = &report.steps[0];
    assert_eq!(step.name, TAGS);
    assert_eq!(step.replaced_by.as_deref(), Some(EVENTS));
    assert!(
        db.tables().contains(&"tags".to_owned()),
        "the table stays: {:?}",
        db.tables()
    );

    // On a database that ran them all, the squash's own down drops what they built.
    let fresh = TestDb::new(db.kind(), "squash_forget_all");
    before(&fresh)
        .latest(&Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let report = after(&fresh)
        .reset(&Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let steps: Vec<(&str, Option<&str>)> = report
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.replaced_by.as_deref()))
        .collect();
    // The rows forgotten first, then the squash's down: an operation stopped between the
    // two leaves the squash applied, standing for them.
    assert_eq!(
        steps,
        [(TAGS, Some(EVENTS)), (ITEMS, Some(EVENTS)), (EVENTS, None)]
    );
    assert_eq!(fresh.tables(), ["migrations"]);
}

/// On a database that ran the replaced migrations in two batches, rolling back the last
/// batch would run the squash's down, dropping what the first batch built while its rows
/// stay applied: refused, nothing changed; all of them together roll back.
fn rolling_back_a_squash_without_all_it_replaces_is_refused(db: &TestDb) {
    before(db)
        .up(1, &Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    before(db)
        .latest(&Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    let tables = db.tables();
    let mut migrator = after(db);
    let refused = migrator
        .rollback(&Filter::all(), None)
        .expect_err("the squash's down would drop `items`, whose row stays");
    assert_eq!(
        refused.to_string(),
        format!(
            "rolling back the squash `{EVENTS}` of core runs its `down`, which drops what every migration it replaces built, but `{ITEMS}` of them would stay applied; roll them back in the same operation (a `--steps` or `--batch` that reaches them, or `migration:reset`); nothing was changed"
        )
    );
    assert_eq!(db.tables(), tables, "nothing changed");
    assert_eq!(states(&mut migrator), [(EVENTS.to_owned(), State::Applied)]);
    let report = migrator
        .down(3, &Filter::all())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.steps.len(), 3, "{report:?}");
    assert_eq!(db.tables(), ["migrations"]);
    assert_eq!(states(&mut migrator), [(EVENTS.to_owned(), State::Pending)]);
}

/// SQLite keeps the declared type: the squash writes each type as the migration did.
#[test]
fn a_squash_taken_on_sqlite_declares_the_types_the_migrations_declared() {
    let registry = Registry::from_migrations(&OLD).unwrap_or_else(|e| panic!("{e}"));
    let url = DatabaseUrl::parse("sqlite::memory:").unwrap_or_else(|e| panic!("{e}"));
    let plan =
        plan_squash(&url, &registry, EVENTS, None, "migrations").unwrap_or_else(|e| panic!("{e}"));
    for declared in [
        r#".add_column("doc", "jsonb", |c| c)"#,
        r#".add_column("label", "varchar(40)", |c| c)"#,
        r#".add_column("price", "decimal(10, 2)", |c| c)"#,
        r#".add_column("seen_at", "timestamptz", |c| c)"#,
        r#".add_column("token", "uuid", |c| c)"#,
    ] {
        assert!(
            plan.source.contains(declared),
            "{declared}:\n{}",
            plan.source
        );
    }
}

fn later(db: &mut Db) -> Result<()> {
    db.schema().create_table("later").add_id_column().execute()
}

fn drop_later(db: &mut Db) -> Result<()> {
    db.schema().drop_table("later").execute()
}

static LATER: Migration = Migration::new(
    "2026_01_01_00_03_create_table_later",
    later,
    Some(drop_later),
);

/// A squash over a range that holds an earlier squash stands for what that one replaced
/// too: a database that ran the first migrations one by one still finds them known once
/// the earlier squash's file is gone, and `--prune` takes that file with the others.
#[test]
fn a_squash_over_an_earlier_squash_replaces_what_that_one_replaced() {
    let registry = Registry::with_squashes([&LATER], [&SQUASH]).unwrap_or_else(|e| panic!("{e}"));
    let url = DatabaseUrl::parse("sqlite::memory:").unwrap_or_else(|e| panic!("{e}"));
    let plan = plan_squash(&url, &registry, LATER.name(), None, "migrations")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.replaced, [ITEMS, TAGS, EVENTS, LATER.name()]);
    let replaces = plan
        .source
        .split("replaces: [")
        .nth(1)
        .and_then(|rest| rest.split("],").next())
        .unwrap_or_else(|| panic!("no `replaces` in:\n{}", plan.source));
    for name in [ITEMS, TAGS, EVENTS] {
        assert!(
            replaces.contains(&format!("\"{name}\"")),
            "{name}:\n{replaces}"
        );
    }
    assert!(
        !replaces.contains(LATER.name()),
        "it is recorded as the last"
    );
    // The earlier squash's file (the compiler's name for it; none for one made by hand).
    assert_eq!(plan.squash_files, [SQUASHED.location().file]);
}
