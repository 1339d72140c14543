use arte_core::prelude::*;

#[migration("2026_02_01_00_06_add_required_field_with_default")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("stock", "integer", |c| c.not_null().default(0))
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .drop_column("stock")
        .execute()
}
