use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items", index(title, created_at))]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
}

fn main() {}
