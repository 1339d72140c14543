use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item<T> {
    pub id: Generated<i64>,
    pub name: T,
}

fn main() {}
