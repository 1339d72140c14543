use arte_core::prelude::*;

// Module `shop`'s migration with the same name as a core one.
#[migration("2026_01_01_00_00_create_table_items", module = "shop")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("shop_items").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("shop_items").execute()
}
