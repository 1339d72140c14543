use arte_core::prelude::*;
use arte_core::table;
use diesel::prelude::*;

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    #[column(name = "item_title")]
    pub title: String,
}

fn titles(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    Item::query()
        .filter(items::title.ne(""))
        .select(items::title)
        .load(conn)
}

fn main() {
    let _ = titles;
    assert_eq!(Item::contract().columns[1].name, "item_title");
}
