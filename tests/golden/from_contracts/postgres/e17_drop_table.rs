use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_17_drop_table")]
pub fn up(db: &mut Db) -> Result<()> {
    // Drops `tags` with its rows. If it was renamed rather than removed, make this migration again
    // with `--rename tags=NEW_NAME`.
    db.schema().drop_table("tags").execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("tags")
        .add_id_column()
        .add_column("label", "varchar(40)", |c| c.not_null())
        .add_column("item_id", "bigint", |c| {
            c.not_null()
                .references("items.id")
                .on_delete(Action::Cascade)
        })
        .execute()
}
