use arte_core::prelude::*;

// The file says `tags`, the attribute `labels`.
#[migration("2026_01_01_00_01_create_table_labels")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("labels").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("labels").execute()
}
