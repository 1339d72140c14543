//! The example application on every backend: its migrations run, its database matches its
//! contracts, and its tour of the typed query layer does what it says.

use arte_core::{Filter, Migrator};
use arte_tests::{TestDb, per_backend};

fn the_example_application_migrates_matches_its_contracts_and_runs_its_tour(db: &TestDb) {
    let mut migrator =
        Migrator::connect(db.url()).unwrap_or_else(|e| panic!("cannot open {}: {e}", db.url()));
    let report = migrator
        .latest(&Filter::all())
        .unwrap_or_else(|e| panic!("the example's migrations failed: {e}"));
    assert_eq!(report.steps.len(), 5);
    let differences = migrator
        .check_contracts()
        .unwrap_or_else(|e| panic!("contract check failed: {e}"));
    assert_eq!(
        differences,
        [],
        "the example's database matches its contracts"
    );
    let tour = arte_example::demo::run(migrator.db().connection())
        .unwrap_or_else(|e| panic!("the tour failed: {e}"));
    assert_eq!(
        tour,
        [
            "created item 3 `Eraser` at 120 cents",
            "updated item 3 to 99 cents",
            "after soft-deleting, visible items: Notebook, Pencil",
            "in the trash: Eraser",
            "restored; items under 200 cents: Eraser (99), Pencil (80)",
            "`Ada` commented on `Hello`",
            "deleted item 3 for good",
        ]
    );
    assert_eq!(db.count("items"), 2);
    assert_eq!(db.count("blog_comments"), 1);
}

per_backend!(the_example_application_migrates_matches_its_contracts_and_runs_its_tour);
