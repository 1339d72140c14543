use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    #[column(type = "money")]
    pub price: i64,
}

fn main() {}
