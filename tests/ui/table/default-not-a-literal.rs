use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    #[column(default = now())]
    pub listed_at: chrono::NaiveDateTime,
}

fn main() {}
