use arte_core::prelude::*;

#[migration("2026_01_01_00_00_index_items", no_transaction = true)]
pub fn up(db: &mut Db) -> Result<()> {
    db.execute("CREATE INDEX items_name_index ON items (name)")
}

pub fn down(db: &mut Db) -> Result<()> {
    db.execute("DROP INDEX items_name_index")
}

fn main() {}
