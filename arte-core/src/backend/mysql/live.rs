//! MySQL and MariaDB on a live connection: connecting, named locks, the catalog.

use crate::backend::{
    AnyConnection, Backend, LiveColumn, connection_error, failed, wrong_connection,
};
use crate::error::Result;
use crate::url::DatabaseUrl;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::{Connection, MysqlConnection, QueryableByName, RunQueryDsl};
use std::time::Duration;

fn mysql(conn: &mut AnyConnection) -> Result<&mut MysqlConnection> {
    match conn {
        AnyConnection::Mysql(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Mysql)),
    }
}

pub(super) fn connect(url: &DatabaseUrl) -> Result<AnyConnection> {
    let mut conn =
        MysqlConnection::establish(url.expose()).map_err(|e| connection_error(url, e))?;
    // `timestamp` columns convert to and from the session's zone: make it UTC.
    conn.batch_execute("SET time_zone = '+00:00'")
        .map_err(|e| connection_error(url, e))?;
    Ok(AnyConnection::Mysql(conn))
}

#[derive(QueryableByName)]
struct Got {
    #[diesel(sql_type = Nullable<BigInt>)]
    got: Option<i64>,
}

/// Named locks are the server's, not one database's: the name says which database.
pub(super) fn lock(conn: &mut AnyConnection, name: &str, wait: Duration) -> Result<bool> {
    let seconds = i32::try_from(wait.as_secs()).unwrap_or(i32::MAX);
    let got: Vec<Got> = diesel::sql_query(
        "SELECT GET_LOCK(CONCAT('arte:', SHA1(CONCAT(DATABASE(), '.', ?))), ?) AS got",
    )
    .bind::<Text, _>(name)
    .bind::<Integer, _>(seconds)
    .load(mysql(conn)?)?;
    Ok(got.first().and_then(|g| g.got) == Some(1))
}

pub(super) fn unlock(conn: &mut AnyConnection, name: &str) -> Result<()> {
    diesel::sql_query("SELECT RELEASE_LOCK(CONCAT('arte:', SHA1(CONCAT(DATABASE(), '.', ?))))")
        .bind::<Text, _>(name)
        .execute(mysql(conn)?)?;
    Ok(())
}

// `COLUMN_TYPE` holds `DATA_TYPE` and what it leaves out: the width of `tinyint(1)`, the
// length of `char(36)`, `unsigned`.
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

pub(super) fn columns(conn: &mut AnyConnection, table: &str) -> Result<Option<Vec<LiveColumn>>> {
    let rows: Vec<Row> = diesel::sql_query(COLUMNS)
        .bind::<Text, _>(table)
        .load(mysql(conn)?)
        .map_err(failed(COLUMNS))?;
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
