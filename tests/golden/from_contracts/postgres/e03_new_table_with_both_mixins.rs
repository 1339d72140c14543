use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_03_new_table_with_both_mixins")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("item_events")
        .add_id_column()
        .add_column("item_id", "bigint", |c| {
            c.not_null()
                .references("items.id")
                .on_delete(Action::Cascade)
        })
        .add_column("kind", "varchar(20)", |c| c.not_null())
        .add_column("details", "text", |c| c)
        .add_timestamp_columns()
        .add_soft_delete_column()
        .add_index(&["kind", "created_at"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("item_events").execute()
}
