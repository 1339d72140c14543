use arte_core::prelude::*;

#[migration("2026_01_01_00_00_create_table_posts", module = "blog")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("posts").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("posts").execute()
}

fn main() {}
