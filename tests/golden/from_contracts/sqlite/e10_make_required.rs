use arte_core::prelude::*;

#[migration("2026_02_01_00_10_make_required")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("description", "text", |c| c.not_null())
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("description", "text", |c| c)
        .execute()
}
