use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item {
    #[column(default = 1)]
    pub id: Generated<i64>,
    pub name: String,
}

fn main() {}
