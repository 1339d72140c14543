use arte_core::prelude::*;
use arte_core::schema::Action;

#[migration("2026_02_01_00_12_add_unique_over_two_columns")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("tags")
        .add_unique(&["item_id", "label"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("tags")
        .drop_foreign_key(&["item_id"])
        .drop_index("tags_item_id_label_unique")
        .execute()?;
    db.schema()
        .alter_table("tags")
        .add_foreign_key(&["item_id"], "items", &["id"], |fk| {
            fk.on_delete(Action::Cascade)
        })
        .execute()
}
