use arte_core::table;

#[table(name = "items")]
pub struct Item;

fn main() {}
