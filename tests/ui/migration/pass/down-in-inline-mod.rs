use arte_core::prelude::*;

// Several migrations in one file, each beside its own `down` (or none, irreversible).
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

mod legacy {
    use arte_core::prelude::*;

    #[migration("2026_01_01_00_01_drop_table_legacy", irreversible)]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().drop_table("legacy").execute()
    }
}

mod tags {
    use arte_core::prelude::*;

    #[migration("2026_01_01_00_02_create_table_tags")]
    pub fn up(db: &mut Db) -> Result<()> {
        db.schema().create_table("tags").add_id_column().execute()
    }

    pub fn down(db: &mut Db) -> Result<()> {
        db.schema().drop_table("tags").execute()
    }
}

fn main() {}
