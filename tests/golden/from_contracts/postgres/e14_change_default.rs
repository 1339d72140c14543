use arte_core::prelude::*;

#[migration("2026_02_01_00_14_change_default")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("price_cents", "integer", |c| c.not_null().default(100))
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("price_cents", "integer", |c| c.not_null().default(0))
        .execute()
}
