use arte_core::prelude::*;

#[migration("2026_02_01_00_08_widen_type")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("name", "varchar(255)", |c| c.not_null())
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .change_column("name", "varchar(100)", |c| c.not_null())
        .execute()
}
