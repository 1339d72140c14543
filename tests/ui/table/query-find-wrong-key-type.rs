use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
}

fn lookup(conn: &mut AnyConnection) -> Result<Option<Item>> {
    Item::find(conn, "text")
}

fn main() {}
