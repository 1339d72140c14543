use arte_core::prelude::*;
use arte_core::schema::Action;

const TABLE: &str = "blog_comments";

#[migration("2026_01_02_00_01_create_table_blog_comments", module = "blog")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_column("post_id", "bigint", |col| {
            col.not_null()
                .references("blog_posts.id")
                .on_delete(Action::Cascade)
        })
        .add_column("author", "varchar(120)", |col| col.not_null())
        .add_column("body", "text", |col| col.not_null())
        .add_timestamp_columns()
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table(TABLE).execute()
}
