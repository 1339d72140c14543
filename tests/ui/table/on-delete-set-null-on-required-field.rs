use arte_core::prelude::*;
use arte_core::table;

#[table(name = "users")]
pub struct User {
    pub id: Generated<i64>,
    pub email: String,
}

#[table(name = "posts")]
pub struct Post {
    pub id: Generated<i64>,
    #[column(references = "users.id", on_delete = "set_null")]
    pub user_id: i64,
}

fn main() {}
