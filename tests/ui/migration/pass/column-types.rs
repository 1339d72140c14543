use arte_core::prelude::*;

const PRICE: &str = "decimal(10, 2)";

#[migration("2026_01_01_00_00_create_table_samples")]
pub fn up(db: &mut Db) -> Result<()> {
    let width = 40;
    db.schema()
        .create_table("samples")
        .add_id_column()
        // Every type arte knows, as a literal, checked when this compiles.
        .add_column("a", "smallint", |col| col)
        .add_column("b", "integer", |col| col)
        .add_column("c", "bigint", |col| col)
        .add_column("d", "boolean", |col| col)
        .add_column("e", "text", |col| col)
        .add_column("f", "varchar(255)", |col| col)
        .add_column("g", "char(2)", |col| col)
        .add_column("h", "decimal(10, 2)", |col| col)
        .add_column("i", "real", |col| col)
        .add_column("j", "double precision", |col| col)
        .add_column("k", "date", |col| col)
        .add_column("l", "time", |col| col)
        .add_column("m", "timestamp", |col| col)
        .add_column("n", "timestamptz", |col| col)
        .add_column("o", "json", |col| col)
        .add_column("p", "jsonb", |col| col)
        .add_column("q", "uuid", |col| col)
        .add_column("r", "blob", |col| col)
        .add_column("s", "bytea", |col| col)
        // Other spellings the parser takes.
        .add_column("t", "INT", |col| col)
        .add_column("u", "numeric(8)", |col| col)
        .add_column("v", "character varying( 40 )", |col| col)
        // A typed value.
        .add_column("w", ColumnType::Varchar(255), |col| col)
        // Types computed at run time: the runtime checks them.
        .add_column("x", format!("varchar({width})"), |col| col)
        .add_column("y", PRICE, |col| col)
        .execute()?;
    db.schema()
        .alter_table("samples")
        .change_column("a", "integer", |col| col.not_null())
        .execute()
}

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("samples")
        .change_column("a", "smallint", |col| col)
        .execute()?;
    db.schema().drop_table("samples").execute()
}

fn main() {}
