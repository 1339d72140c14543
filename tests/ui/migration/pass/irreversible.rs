use arte_core::prelude::*;

#[migration("2026_01_01_00_00_drop_table_legacy", irreversible)]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().drop_table("legacy").execute()
}

fn main() {}
