use arte_core::prelude::*;
use arte_core::table;

#[table(name = "posts")]
pub struct Post {
    pub id: Generated<i64>,
    #[column(references = "users.id.name")]
    pub user_id: i64,
}

fn main() {}
