use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_01_new_table_with_timestamps")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("orders")
        .add_id_column()
        .add_column("user_id", "bigint", |c| {
            c.not_null()
                .references("users.id")
                .on_delete(Action::Cascade)
        })
        .add_column("number", "varchar(32)", |c| c.not_null())
        .add_column("total_cents", "bigint", |c| c.not_null().default(0))
        .add_timestamp_columns()
        .add_unique(&["number"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("orders").execute()
}
