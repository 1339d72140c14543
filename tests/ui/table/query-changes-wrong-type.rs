use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
}

fn rename(conn: &mut AnyConnection) -> Result<Option<Item>> {
    let changes = ItemChanges {
        name: Some(42),
        ..ItemChanges::default()
    };
    Item::update(conn, 1, &changes)
}

fn main() {}
