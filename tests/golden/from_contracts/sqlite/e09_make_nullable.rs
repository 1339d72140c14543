use arte_core::prelude::*;

#[migration("2026_02_01_00_09_make_nullable")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("users")
        .change_column("name", "varchar(120)", |c| c)
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("users")
        .change_column("name", "varchar(120)", |c| c.not_null())
        .execute()
}
