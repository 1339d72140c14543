//! Written on Windows: a byte order mark, CRLF line ends.
use arte_core::prelude::*;

/** A block doc
 * over two lines. */
#[migration("2026_01_01_00_03_crlf_and_bom", no_transaction)]
pub fn up(db: &mut Db) -> Result<()> {
    let text = "two
lines";
    db.schema().create_table(text).execute()
}

/// Drops it.
pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("two lines").execute()
}
