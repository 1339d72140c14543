use arte_core::prelude::*;

// Written by a macro, the migration is not in its file as `#[migration]` reads it: the
// compiler says that `down` is missing, through the stand-in `down`'s bound.
macro_rules! create_table {
    ($name:literal, $table:literal) => {
        #[migration($name)]
        pub fn up(db: &mut Db) -> Result<()> {
            db.schema().create_table($table).add_id_column().execute()
        }
    };
}

create_table!("2026_01_01_00_00_create_table_items", "items");

fn main() {}
