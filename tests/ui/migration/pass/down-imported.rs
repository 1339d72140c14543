use arte_core::prelude::*;

mod shared {
    use arte_core::prelude::*;

    pub fn drop_items(db: &mut Db) -> Result<()> {
        db.schema().drop_table("items").execute()
    }
}

// A `down` imported by name serves as well as one written here.
use shared::drop_items as down;

#[migration("2026_01_01_00_00_create_table_items")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("items").add_id_column().execute()
}

fn main() {}
