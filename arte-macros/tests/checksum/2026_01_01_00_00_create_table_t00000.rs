use arte_core::prelude::*;

const TABLE: &str = "t00000";

#[migration("2026_01_01_00_00_create_table_t00000")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_column("name", "varchar(255)", |col| col.not_null())
        .add_column("body", "text", |col| col)
        .add_column("quantity", "integer", |col| col.not_null().default(0))
        .add_column("price", "decimal(10, 2)", |col| col.not_null().default(0))
        .add_column("created_at", "timestamp", |col| col.not_null().default_raw("CURRENT_TIMESTAMP"))
        .add_index(&["name"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
