use arte_core::prelude::*;
use arte_core::table;
use diesel::prelude::*;

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
}

fn names(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    Item::query().select(items::nope).load(conn)
}

fn main() {}
