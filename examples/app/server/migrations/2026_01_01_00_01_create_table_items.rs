use arte_core::prelude::*;

const TABLE: &str = "items";

#[migration("2026_01_01_00_01_create_table_items")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_column("name", "varchar(255)", |col| col.not_null())
        .add_column("description", "text", |col| col)
        .add_column("price_cents", "integer", |col| col.not_null().default(0))
        .add_timestamp_columns()
        .add_soft_delete_column()
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
