use arte_core::table;

#[table(name = "items")]
pub enum Item {
    Book,
    Pencil,
}

fn main() {}
