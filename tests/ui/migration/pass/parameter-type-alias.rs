use arte_core::prelude::*;

// An alias hides `&mut Db` from the macro, which leaves the type check to rustc.
type Conn<'a> = &'a mut Db;

#[migration("2026_01_01_00_00_create_table_items")]
pub fn up(db: Conn<'_>) -> arte_core::Result<()> {
    db.schema().create_table("items").add_id_column().execute()
}

pub fn down(db: &mut Db) -> Result<(), arte_core::Error> {
    db.schema().drop_table("items").execute()
}

fn main() {}
