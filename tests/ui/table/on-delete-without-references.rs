use arte_core::prelude::*;
use arte_core::table;

#[table(name = "posts")]
pub struct Post {
    pub id: Generated<i64>,
    #[column(on_delete = "cascade")]
    pub user_id: i64,
}

fn main() {}
