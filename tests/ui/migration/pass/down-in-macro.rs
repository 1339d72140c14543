use arte_core::prelude::*;

// Written by a macro, the migration is not in its file as `#[migration]` reads it: its
// `down` shadows the stand-in the attribute imports.
macro_rules! create_table {
    ($name:literal, $table:literal) => {
        #[migration($name)]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema().create_table($table).add_id_column().execute()
        }

        pub fn down(db: &mut Db) -> Result<()> {
            db.schema().drop_table($table).execute()
        }
    };
}

create_table!("2026_01_01_00_00_create_table_items", "items");

fn main() {}
