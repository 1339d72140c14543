//! Migrations that take their table's name from their own: `t_<last word of the name>`,
//! so one `up` and one `down` serve every migration of a suite.

use arte_core::prelude::*;

/// The table of the running migration: `2026_01_01_00_00_create_a` makes `t_a`.
pub fn table_of(db: &Db) -> String {
    let name = db.migration_name().unwrap_or_default();
    format!("t_{}", name.rsplit('_').next().unwrap_or("t"))
}

/// Creates the migration's table (an id and an indexed `name`).
pub fn create(db: &mut Db) -> Result<()> {
    let table = table_of(db);
    db.schema()
        .create_table(&table)
        .add_id_column()
        .add_column("name", "varchar(255)", |c| c.not_null())
        .add_index(&["name"])
        .execute()
}

/// Drops the migration's table.
pub fn drop(db: &mut Db) -> Result<()> {
    let table = table_of(db);
    db.schema().drop_table(&table).execute()
}
