use arte_core::contract::BigDecimal;
use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    pub price: BigDecimal,
}

fn main() {}
