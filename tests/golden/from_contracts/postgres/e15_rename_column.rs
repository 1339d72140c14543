use arte_core::prelude::*;

#[migration("2026_02_01_00_15_rename_column")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .rename_column("legacy_code", "code")
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .rename_column("code", "legacy_code")
        .execute()
}
