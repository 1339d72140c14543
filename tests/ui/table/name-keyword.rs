use arte_core::prelude::*;
use arte_core::table;

#[table(name = "type")]
pub struct Kind {
    pub id: Generated<i64>,
    pub name: String,
}

fn main() {}
