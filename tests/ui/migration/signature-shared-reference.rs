use arte_core::prelude::*;

#[migration("2026_01_01_00_00_create_table_items")]
pub fn up(db: &Db) -> Result<()> {
    let _ = db;
    Ok(())
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("items").execute()
}

fn main() {}
