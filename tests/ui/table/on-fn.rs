use arte_core::table;

#[table(name = "items")]
pub fn items() {}

fn main() {}
