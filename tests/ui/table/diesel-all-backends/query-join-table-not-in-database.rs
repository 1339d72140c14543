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

// `users` is missing: the join below needs both tables in one `database!`.
arte_core::database!(items);

fn names_and_owners(conn: &mut AnyConnection) -> QueryResult<Vec<(String, String)>> {
    items::table
        .inner_join(users::table)
        .select((items::name, users::email))
        .load(conn)
}

fn main() {}
