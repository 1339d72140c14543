use arte_core::prelude::*;

#[migration("2026_02_01_00_02_new_table_with_soft_delete")]
pub fn up(db: &mut Db) -> Result<()> {
    db.schema()
        .create_table("coupons")
        .add_id_column()
        .add_column("code", "varchar(20)", |c| c.not_null())
        .add_column("percent", "smallint", |c| c.not_null())
        .add_soft_delete_column()
        .add_unique(&["code"])
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema().drop_table("coupons").execute()
}
