use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_13_add_foreign_key")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_foreign_key(&["owner_id"], "users", &["id"], |fk| {
            fk.on_delete(Action::SetNull)
        })
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .drop_foreign_key(&["owner_id"])
        .drop_index("items_owner_id_foreign")
        .execute()
}
