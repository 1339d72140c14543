use arte_core::prelude::*;

#[migration("2026_01_02_00_00_drop_items_name")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().alter_table("items").drop_column("name").execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("name", "strng", |col| col)
        .execute()
}

fn main() {}
