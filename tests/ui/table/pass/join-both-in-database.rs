use arte_core::prelude::*;
use arte_core::table;
use diesel::prelude::*;

#[table(name = "users")]
pub struct User {
    pub id: Generated<i64>,
    pub email: String,
}

#[table(name = "items")]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    #[column(references = "users")]
    pub owner_id: i64,
}

arte_core::database!(users, items);

fn names_and_owners(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    items::table
        .inner_join(users::table)
        .select((items::name, users::email))
        .load(conn)
}

fn main() {
    let _ = names_and_owners;
}
