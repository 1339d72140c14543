use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
}

fn create(conn: &mut AnyConnection) -> Result<Item> {
    Item::create(
        conn,
        &NewItem {
            name: "Notebook".to_owned(),
        },
    )
}

fn main() {}
