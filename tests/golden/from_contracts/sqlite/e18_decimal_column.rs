use arte_core::prelude::*;

#[migration("2026_02_01_00_18_decimal_column")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("price", "decimal(10, 2)", |c| c.not_null().default(0))
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .drop_column("price")
        .execute()
}
