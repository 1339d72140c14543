use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<String>,
    pub name: String,
}

fn main() {}
