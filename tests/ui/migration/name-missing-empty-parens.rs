use arte_core::prelude::*;

#[migration()]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().create_table("items").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("items").execute()
}

fn main() {}
