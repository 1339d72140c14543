// The migrations directory of the `migrations!()` example in the crate's docs.
use arte_core::prelude::*;

#[migration("2026_01_01_00_00_create_table_notes")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("notes")
        .add_id_column()
        .add_column("body", "text", |col| col.not_null())
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("notes").execute()
}
