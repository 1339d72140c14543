use arte_core::prelude::*;

#[migration("2024_02_29_23_59_drop_table_drafts2", module = "blog", irreversible)]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema().drop_table("drafts2").execute()
}

fn main() {}
