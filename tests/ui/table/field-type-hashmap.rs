use arte_core::prelude::*;
use arte_core::table;
use std::collections::HashMap;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    pub labels: HashMap<String, String>,
}

fn main() {}
