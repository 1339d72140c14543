//! Two migrations with one name in one module are reported before anything runs.

use arte_tests::{Scratch, sqlite};

mod first {
    use arte_core::prelude::*;
    #[migration("2026_01_01_00_00_create_table_items")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("items").add_id_column().execute()
    }
    pub fn down(db: &mut Db) -> Result<()> {
        db.schema().drop_table("items").execute()
    }
}

mod second {
    use arte_core::prelude::*;
    #[migration("2026_01_01_00_00_create_table_items")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("items").add_id_column().execute()
    }
    pub fn down(db: &mut Db) -> Result<()> {
        db.schema().drop_table("items").execute()
    }
}

/// The same name in another module is a different migration.
mod elsewhere {
    use arte_core::prelude::*;
    #[migration("2026_01_01_00_00_create_table_items", module = "shop")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema()
            .create_table("shop_items")
            .add_id_column()
            .execute()
    }
    pub fn down(db: &mut Db) -> Result<()> {
        db.schema().drop_table("shop_items").execute()
    }
}

#[test]
fn a_duplicate_name_is_reported_with_both_locations_before_anything_runs() {
    let scratch = Scratch::new("duplicates");
    let result = arte_core::Migrator::connect(&scratch.sqlite_url("app.sqlite")).map(|_| ());
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    let file = "tests/tests/duplicates.rs";
    assert!(
        message.starts_with(
            "migration `2026_01_01_00_00_create_table_items` of core is defined twice, at "
        ),
        "{message}"
    );
    assert!(
        message.contains(&format!("{file}:7")) && message.contains(&format!("{file}:18")),
        "{message}"
    );
    assert!(message.ends_with("; rename one of them"), "{message}");
    assert!(
        sqlite::tables(&scratch.join("app.sqlite")).is_empty(),
        "no table was created"
    );
}
