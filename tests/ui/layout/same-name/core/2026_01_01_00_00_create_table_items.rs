use arte_core::prelude::*;

// A core migration with the same name as module `shop`'s.
#[migration("2026_01_01_00_00_create_table_items")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("items").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("items").execute()
}
