use arte_core::prelude::*;

const TABLE: &str = "items";

#[migration("2026_01_01_00_00_create_table_items")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_column("name", "varchar(255)", |col| col.not_null())
        .add_column("price", "decimal(10, 2)", |col| col.not_null().default(0))
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
