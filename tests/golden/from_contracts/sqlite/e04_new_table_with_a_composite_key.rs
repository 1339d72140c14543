use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_04_new_table_with_a_composite_key")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("user_roles")
        .add_column("user_id", "bigint", |c| {
            c.not_null()
                .references("users.id")
                .on_delete(Action::Cascade)
        })
        .add_column("role", "varchar(20)", |c| c.not_null())
        .add_column("granted", "boolean", |c| c.not_null().default(false))
        .primary_key(&["user_id", "role"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("user_roles").execute()
}
