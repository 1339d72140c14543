use arte_core::prelude::*;

// A module's file without `module = "catalog"`.
#[migration("2026_01_02_00_00_create_table_catalog_entries")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("catalog_entries").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("catalog_entries").execute()
}
