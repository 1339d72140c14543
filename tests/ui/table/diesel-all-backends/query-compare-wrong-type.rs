use arte_core::prelude::*;
use arte_core::table;
use diesel::prelude::*;

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
}

fn named_42(conn: &mut AnyConnection) -> QueryResult<Vec<Item>> {
    Item::query()
        .filter(items::name.eq(42))
        .select(Item::selection())
        .load(conn)
}

fn main() {}
