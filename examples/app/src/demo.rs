//! A tour of the typed query layer: create, update, soft-delete, restore and list rows.

use crate::contracts::{
    BlogComment, BlogPost, Item, ItemChanges, NewBlogComment, NewBlogPost, NewItem, blog_comments,
    blog_posts, items,
};
use arte_core::{AnyConnection, Result};
use diesel::prelude::*;

/// Runs the tour on a migrated database; returns what it did, one line per step.
pub fn run(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let mut log = Vec::new();

    let eraser = Item::create(
        conn,
        &NewItem {
            name: "Eraser".into(),
            description: Some("Soft, white".into()),
            price_cents: 120,
        },
    )?;
    log.push(format!(
        "created item {} `{}` at {} cents",
        eraser.id, eraser.name, eraser.price_cents
    ));

    let changes = ItemChanges {
        price_cents: Some(99),
        ..ItemChanges::default()
    };
    if let Some(cheaper) = Item::update(conn, eraser.id, &changes)? {
        log.push(format!(
            "updated item {} to {} cents",
            cheaper.id, cheaper.price_cents
        ));
    }

    Item::soft_delete(conn, eraser.id)?;
    let visible: Vec<String> = Item::query()
        .order(items::name)
        .select(items::name)
        .load(conn)?;
    log.push(format!(
        "after soft-deleting, visible items: {}",
        visible.join(", ")
    ));
    let trashed: Vec<String> = Item::only_trashed().select(items::name).load(conn)?;
    log.push(format!("in the trash: {}", trashed.join(", ")));

    Item::restore(conn, eraser.id)?;
    let cheap: Vec<Item> = Item::query()
        .filter(items::price_cents.lt(200))
        .order(items::price_cents.desc())
        .limit(10)
        .select(Item::selection())
        .load(conn)?;
    let cheap: Vec<String> = cheap
        .iter()
        .map(|item| format!("{} ({})", item.name, item.price_cents))
        .collect();
    log.push(format!(
        "restored; items under 200 cents: {}",
        cheap.join(", ")
    ));

    let post = BlogPost::create(
        conn,
        &NewBlogPost {
            title: "Hello".into(),
            body: "First post".into(),
            published: true,
        },
    )?;
    BlogComment::create(
        conn,
        &NewBlogComment {
            post_id: post.id,
            author: "Ada".into(),
            body: "Welcome!".into(),
        },
    )?;
    let threads: Vec<(String, String)> = blog_comments::table
        .inner_join(blog_posts::table)
        .select((blog_posts::title, blog_comments::author))
        .load(conn)?;
    for (title, author) in threads {
        log.push(format!("`{author}` commented on `{title}`"));
    }

    Item::force_delete(conn, eraser.id)?;
    log.push(format!("deleted item {} for good", eraser.id));
    Ok(log)
}
