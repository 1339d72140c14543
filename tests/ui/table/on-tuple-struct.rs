use arte_core::prelude::*;
use arte_core::table;

#[table(name = "items")]
pub struct Item(pub Generated<i64>, pub String);

fn main() {}
