//! A data migration: rows every installation starts with.

use arte_core::prelude::*;

#[migration("2026_01_01_00_02_seed_starter_items")]
pub fn up(db: &mut Db) -> Result<()> {
    db.execute(
        "INSERT INTO items (name, description, price_cents) VALUES \
         ('Notebook', 'A5, dotted', 450), \
         ('Pencil', NULL, 80)",
    )
}

pub fn down(db: &mut Db) -> Result<()> {
    db.execute("DELETE FROM items WHERE name IN ('Notebook', 'Pencil')")
}
