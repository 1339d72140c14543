//! Migrations that leave a row pointing at nothing, for the suites that check foreign keys
//! are kept however a migration breaks them: a parent and a child with a foreign key and
//! one row each, then the parent's row or table gone through the connection, behind `Db`.

use arte_core::prelude::*;
use diesel::RunQueryDsl;

/// `fk_parents` and `fk_children` (`parent_id` references `fk_parents.id`), with parent 1
/// and a child of it.
pub fn parents_and_children(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("fk_parents")
        .add_id_column()
        .execute()?;
    db.schema()
        .create_table("fk_children")
        .add_id_column()
        .add_column("parent_id", "bigint", |c| c.not_null())
        .add_foreign_key(&["parent_id"], "fk_parents", &["id"], |fk| fk)
        .execute()?;
    diesel::sql_query("INSERT INTO fk_parents (id) VALUES (1)").execute(db.connection())?;
    diesel::sql_query("INSERT INTO fk_children (id, parent_id) VALUES (1, 1)")
        .execute(db.connection())?;
    Ok(())
}

/// Deletes the parent row through the connection: only the count of changed rows says so.
pub fn delete_the_parent(db: &mut Db) -> Result<()> {
    diesel::sql_query("DELETE FROM fk_parents").execute(db.connection())?;
    Ok(())
}

/// Drops the parent table through the connection: only the schema's version says so.
pub fn drop_the_parent(db: &mut Db) -> Result<()> {
    diesel::sql_query("DROP TABLE fk_parents").execute(db.connection())?;
    Ok(())
}

/// A `down` that does nothing.
pub fn nothing(_: &mut Db) -> Result<()> {
    Ok(())
}
