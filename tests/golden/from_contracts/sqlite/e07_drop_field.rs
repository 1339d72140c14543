use arte_core::prelude::*;

#[migration("2026_02_01_00_07_drop_field")]
pub fn up(db: &mut Db) -> Result<()> {
    // Drops `items.legacy_code` with its values. If it was renamed rather than removed, make this
    // migration again with `--rename items.legacy_code=items.NEW_NAME`.
    db.schema()
        .alter_table("items")
        .drop_column("legacy_code")
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("legacy_code", "varchar(20)", |c| c)
        .execute()
}
