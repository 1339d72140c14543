use arte_core::prelude::*;

#[migration("2026_01_01_00_00_create_table_items")]
pub const CREATE_TABLE_ITEMS: &str = "create table items (id integer primary key)";

fn main() {}
