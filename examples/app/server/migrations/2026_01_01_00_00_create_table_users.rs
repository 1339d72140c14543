use arte_core::prelude::*;

const TABLE: &str = "users";

#[migration("2026_01_01_00_00_create_table_users")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_column("email", "varchar(255)", |col| col.not_null().unique())
        .add_column("name", "varchar(255)", |col| col.not_null())
        .add_timestamp_columns()
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
