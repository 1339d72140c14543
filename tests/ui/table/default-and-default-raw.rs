use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    #[column(default = 0, default_raw = "1 + 1")]
    pub stock: i32,
}

fn main() {}
