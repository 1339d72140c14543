use arte_core::prelude::*;

#[migration("2026_01_01_00_00_create_table_items")]
pub struct CreateTableItems;

fn main() {}
