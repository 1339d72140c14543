use arte_core::prelude::*;

// Each migration's `down` is looked for beside its own `up`: the first module's `down`
// does not serve the second.
mod items {
    use super::*;

    #[migration("2026_01_01_00_00_create_table_items")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("items").add_id_column().execute()
    }

    pub fn down(db: &mut Db) -> Result<()> {
        db.schema().drop_table("items").execute()
    }
}

mod tags {
    use arte_core::prelude::*;

    #[migration("2026_01_01_00_01_create_table_tags")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("tags").add_id_column().execute()
    }
}

fn main() {}
