use arte_core::table;

#[table(name = "items")]
pub struct Item {
    pub code: String,
    pub name: String,
}

fn main() {}
