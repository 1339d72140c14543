use arte_core::prelude::*;

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
        .drop_index("tags_item_id_label_unique")
        .execute()
}
