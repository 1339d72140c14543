use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_19_drop_foreign_key")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("tags")
        .drop_foreign_key(&["item_id"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("tags")
        .add_foreign_key(&["item_id"], "items", &["id"], |fk| {
            fk.on_delete(Action::Cascade)
        })
        .execute()
}
