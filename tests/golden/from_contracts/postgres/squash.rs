//! The migrations of core up to `2026_01_01_00_03_seed_catalog`, squashed into one by
//! `migration:squash`.
//!
//! It is recorded under the name of the last, `2026_01_01_00_03_seed_catalog`: a database that ran
//! them counts it as applied and is not touched, and a new database runs it alone. The files of the
//! migrations it replaces can be deleted.
//!
//! Not carried over, because they wrote rows (write the rows again in a migration after this one if
//! new databases need them):
//! - `2026_01_01_00_03_seed_catalog`

use arte_core::prelude::*;
use arte_core::schema::Action;

arte_core::squash! {
    recorded_as: (
        "2026_01_01_00_03_seed_catalog",
        "2a3c5e0e65e372f830f72c45505f16e6b3c98104bd914e9e845b59588956acef",
    ),
    replaces: [
        (
            "2026_01_01_00_00_create_table_users",
            "1289d27c058e19a7cfe25ae75cd68b8448ff7170a87fd9b0bfa3743d924770bf",
        ),
        (
            "2026_01_01_00_01_create_table_items",
            "5d8f38ed256b97096bf7a97fdc68f44adfc3e522f9335439d26bc59d6ca3e614",
        ),
        (
            "2026_01_01_00_02_create_table_tags",
            "529ceb976d81f3c5f5bb65ac8c0ddbea4f3d37cde02362b357ffe9a037d0266c",
        ),
    ],
}

pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(100)", |c| c.not_null())
        .add_column("description", "text", |c| c)
        .add_column("price_cents", "integer", |c| c.not_null().default(0))
        .add_column("legacy_code", "varchar(20)", |c| c)
        .add_column("owner_id", "bigint", |c| c)
        .add_timestamp_columns()
        .execute()?;
    db.schema()
        .create_table("tags")
        .add_id_column()
        .add_column("label", "varchar(40)", |c| c.not_null())
        .add_column("item_id", "bigint", |c| {
            c.not_null()
                .references("items.id")
                .on_delete(Action::Cascade)
        })
        .execute()?;
    db.schema()
        .create_table("users")
        .add_id_column()
        .add_column("email", "varchar(255)", |c| c.not_null())
        .add_column("name", "varchar(120)", |c| c.not_null())
        .add_timestamp_columns()
        .add_unique(&["email"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("tags").execute()?;
    db.schema().drop_table("items").execute()?;
    db.schema().drop_table("users").execute()
}
