use arte_core::prelude::*;

#[migration("2026_02_01_00_16_rename_table")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().rename_table("tags", "labels").execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().rename_table("labels", "tags").execute()
}
