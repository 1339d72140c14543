use arte_core::prelude::*;

// A core file that says it belongs to a module.
#[migration("2026_01_01_00_00_create_table_items", module = "catalog")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("catalog_items").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("catalog_items").execute()
}
