use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items", timestamps)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub created_at: chrono::NaiveDateTime,
}

fn main() {}
