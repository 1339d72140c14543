//! A live table's columns as the database's own catalog reports them, for `check`.

use crate::db::Db;
use crate::error::{Error, Result};

/// One column of a live table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LiveColumn {
    /// The column's name.
    pub name: String,
    /// The database's type, in its own words, lower-cased (SQLite: the declared type;
    /// PostgreSQL: `data_type`, with the length of character types; MySQL: `COLUMN_TYPE`).
    pub found: String,
    /// Whether the column accepts NULL.
    pub nullable: bool,
}

/// The columns of `table` in the current database or schema, in table order; `None` when
/// there is no such table.
pub(super) fn columns(db: &mut Db, table: &str) -> Result<Option<Vec<LiveColumn>>> {
    match db.connection() {
        #[cfg(feature = "sqlite")]
        crate::AnyConnection::Sqlite(conn) => sqlite::columns(conn, table),
        #[cfg(feature = "postgres")]
        crate::AnyConnection::Postgres(conn) => postgres::columns(conn, table),
        #[cfg(feature = "mysql")]
        crate::AnyConnection::Mysql(conn) => mysql::columns(conn, table),
    }
}

fn statement(sql: &str) -> impl FnOnce(diesel::result::Error) -> Error + '_ {
    move |source| Error::Statement {
        statement: sql.to_owned(),
        source,
    }
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::{LiveColumn, statement};
    use crate::error::Result;
    use diesel::sql_types::{Integer, Text};
    use diesel::{QueryableByName, RunQueryDsl, SqliteConnection};

    // `table_xinfo` also lists generated columns, which `table_info` leaves out; `hidden`
    // 1 marks a virtual table's hidden columns.
    const COLUMNS: &str = "SELECT name, type AS ty, \"notnull\", pk FROM pragma_table_xinfo(?) \
         WHERE hidden <> 1 ORDER BY cid";

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        ty: String,
        #[diesel(sql_type = Integer)]
        notnull: i32,
        #[diesel(sql_type = Integer)]
        pk: i32,
    }

    pub(super) fn columns(
        conn: &mut SqliteConnection,
        table: &str,
    ) -> Result<Option<Vec<LiveColumn>>> {
        let rows: Vec<Row> = diesel::sql_query(COLUMNS)
            .bind::<Text, _>(table)
            .load(conn)
            .map_err(statement(COLUMNS))?;
        // A table always has a column, so no row means no table.
        if rows.is_empty() {
            return Ok(None);
        }
        let keys = rows.iter().filter(|r| r.pk > 0).count();
        Ok(Some(
            rows.into_iter()
                .map(|row| {
                    // The sole `integer` key is the rowid, never NULL whatever `notnull` says.
                    let rowid = keys == 1 && row.pk > 0 && row.ty.eq_ignore_ascii_case("integer");
                    LiveColumn {
                        nullable: row.notnull == 0 && !rowid,
                        name: row.name,
                        // SQLite upper-cases the names it knows (`TEXT`), not others.
                        found: row.ty.to_ascii_lowercase(),
                    }
                })
                .collect(),
        ))
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::{LiveColumn, statement};
    use crate::error::Result;
    use diesel::sql_types::{Integer, Nullable, Text};
    use diesel::{PgConnection, QueryableByName, RunQueryDsl};

    const COLUMNS: &str = "SELECT column_name::text AS name, data_type::text AS data_type, \
         udt_name::text AS udt_name, character_maximum_length::integer AS length, \
         is_nullable::text AS nullable \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 \
         ORDER BY ordinal_position";

    // PostgreSQL allows a table without columns.
    const TABLE: &str = "SELECT count(*)::integer AS n FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = $1";

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        data_type: String,
        #[diesel(sql_type = Text)]
        udt_name: String,
        #[diesel(sql_type = Nullable<Integer>)]
        length: Option<i32>,
        #[diesel(sql_type = Text)]
        nullable: String,
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = Integer)]
        n: i32,
    }

    pub(super) fn columns(conn: &mut PgConnection, table: &str) -> Result<Option<Vec<LiveColumn>>> {
        let rows: Vec<Row> = diesel::sql_query(COLUMNS)
            .bind::<Text, _>(table)
            .load(conn)
            .map_err(statement(COLUMNS))?;
        if rows.is_empty() {
            let tables: Vec<Count> = diesel::sql_query(TABLE)
                .bind::<Text, _>(table)
                .load(conn)
                .map_err(statement(TABLE))?;
            if tables.iter().all(|t| t.n == 0) {
                return Ok(None);
            }
        }
        Ok(Some(
            rows.into_iter()
                .map(|row| LiveColumn {
                    found: found(&row),
                    nullable: row.nullable == "YES",
                    name: row.name,
                })
                .collect(),
        ))
    }

    /// `data_type`, except where it only says `USER-DEFINED` or `ARRAY`, with the length
    /// of character types.
    fn found(row: &Row) -> String {
        let ty = match row.data_type.as_str() {
            "USER-DEFINED" => row.udt_name.clone(),
            "ARRAY" => format!("{}[]", row.udt_name.trim_start_matches('_')),
            ty => ty.to_owned(),
        };
        match row.length {
            Some(length) => format!("{ty}({length})"),
            None => ty,
        }
    }
}

#[cfg(feature = "mysql")]
mod mysql {
    use super::{LiveColumn, statement};
    use crate::error::Result;
    use diesel::sql_types::Text;
    use diesel::{MysqlConnection, QueryableByName, RunQueryDsl};

    // `COLUMN_TYPE` holds `DATA_TYPE` and what it leaves out: the width of `tinyint(1)`,
    // the length of `char(36)`, `unsigned`.
    const COLUMNS: &str = "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS column_type, \
         IS_NULLABLE AS nullable \
         FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? \
         ORDER BY ORDINAL_POSITION";

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        column_type: String,
        #[diesel(sql_type = Text)]
        nullable: String,
    }

    pub(super) fn columns(
        conn: &mut MysqlConnection,
        table: &str,
    ) -> Result<Option<Vec<LiveColumn>>> {
        let rows: Vec<Row> = diesel::sql_query(COLUMNS)
            .bind::<Text, _>(table)
            .load(conn)
            .map_err(statement(COLUMNS))?;
        // A table always has a column, so no row means no table.
        if rows.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            rows.into_iter()
                .map(|row| LiveColumn {
                    found: row.column_type.to_ascii_lowercase(),
                    nullable: row.nullable.eq_ignore_ascii_case("YES"),
                    name: row.name,
                })
                .collect(),
        ))
    }
}
