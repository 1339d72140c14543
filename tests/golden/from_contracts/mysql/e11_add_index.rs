use arte_core::prelude::*;

#[migration("2026_02_01_00_11_add_index")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_index(&["name"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .drop_index("items_name_index")
        .execute()
}
