use arte_core::prelude::*;

#[migration("2026_01_01_00_00_index_items_concurrently", no_transaction)]
pub fn up(db: &mut Db) -> Result<()> {
    db.execute("CREATE INDEX CONCURRENTLY items_name_index ON items (name)")
}

pub fn down(db: &mut Db) -> Result<()> {
    db.execute("DROP INDEX CONCURRENTLY items_name_index")
}

fn main() {}
