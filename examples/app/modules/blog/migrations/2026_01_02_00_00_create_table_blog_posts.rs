use arte_core::prelude::*;

const TABLE: &str = "blog_posts";

#[migration("2026_01_02_00_00_create_table_blog_posts", module = "blog")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_column("title", "varchar(255)", |col| col.not_null())
        .add_column("body", "text", |col| col.not_null())
        .add_column("published", "boolean", |col| col.not_null().default(false))
        .add_timestamp_columns()
        .add_soft_delete_column()
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
