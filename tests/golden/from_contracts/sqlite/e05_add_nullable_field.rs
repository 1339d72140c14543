use arte_core::prelude::*;

#[migration("2026_02_01_00_05_add_nullable_field")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("subtitle", "text", |c| c)
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .drop_column("subtitle")
        .execute()
}
