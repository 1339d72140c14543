//! The application's tables, declared once: diesel's tables, typed rows, insert and
//! changeset types, and the query layer come from these structs.

use arte_core::prelude::*;
use arte_core::table;

/// A person with an account.
#[table(name = "users", timestamps)]
pub struct User {
    pub id: Generated<i64>,
    #[column(type = "varchar(255)", unique)]
    pub email: String,
    #[column(type = "varchar(255)")]
    pub name: String,
}

/// Something the shop sells.
#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    #[column(type = "varchar(255)")]
    pub name: String,
    pub description: Option<String>,
    #[column(default = 0)]
    pub price_cents: i32,
}

/// A post of the blog module.
#[table(name = "blog_posts", timestamps, soft_delete)]
pub struct BlogPost {
    pub id: Generated<i64>,
    #[column(type = "varchar(255)")]
    pub title: String,
    pub body: String,
    #[column(default = false)]
    pub published: bool,
}

/// A comment on a blog post.
#[table(name = "blog_comments", timestamps)]
pub struct BlogComment {
    pub id: Generated<i64>,
    #[column(references = "blog_posts.id", on_delete = "cascade")]
    pub post_id: i64,
    #[column(type = "varchar(120)")]
    pub author: String,
    pub body: String,
}

arte_core::database!(users, items, blog_posts, blog_comments);
