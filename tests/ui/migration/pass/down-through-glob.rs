use arte_core::prelude::*;

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("items").execute()
}

// A glob import may bring `down` in; the compiler, not the attribute, says whether it does.
mod items {
    use super::*;

    #[migration("2026_01_01_00_00_create_table_items")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("items").add_id_column().execute()
    }
}

fn main() {}
