use arte_core::prelude::*;

#[migration("2026_01_02_00_00_widen_items_name")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("name", "varchar(0)", |col| col.not_null())
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("name", "varchar(40)", |col| col.not_null())
        .execute()
}

fn main() {}
