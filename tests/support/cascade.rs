//! A parent table whose children go with it (ON DELETE CASCADE), and a change to the
//! parent that SQLite can only make by rebuilding it: with foreign keys on, dropping the
//! old table would take every child with it.

use arte_core::prelude::*;
use arte_core::schema::Action;

/// `fk_parents` (`name varchar(40)`) and `fk_children`, whose `parent_id` references
/// `fk_parents.id` on delete cascade; no rows.
pub fn parents_and_children(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("fk_parents")
        .add_id_column()
        .add_column("name", "varchar(40)", |col| col.not_null())
        .execute()?;
    db.schema()
        .create_table("fk_children")
        .add_id_column()
        .add_column("parent_id", "bigint", |col| {
            col.not_null()
                .references("fk_parents.id")
                .on_delete(Action::Cascade)
        })
        .execute()
}

/// Changes `fk_parents.name` to `ty` (`varchar(255)`, `varchar(40)`), which SQLite makes
/// by rebuilding the table.
pub fn parents_name_as(db: &mut Db, ty: &str) -> Result<()> {
    db.schema()
        .alter_table("fk_parents")
        .change_column("name", ty, |col| col.not_null())
        .execute()
}
