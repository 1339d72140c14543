//! PostgreSQL on a live connection: connecting, advisory locks, the catalog.

use crate::backend::{
    AnyConnection, Backend, LiveColumn, connection_error, failed, wrong_connection,
};
use crate::error::Result;
use crate::url::DatabaseUrl;
use diesel::sql_types::{Integer, Nullable, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use std::time::Duration;

fn pg(conn: &mut AnyConnection) -> Result<&mut PgConnection> {
    match conn {
        AnyConnection::Postgres(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Postgres)),
    }
}

pub(super) fn connect(url: &DatabaseUrl) -> Result<AnyConnection> {
    PgConnection::establish(url.expose())
        .map(AnyConnection::Postgres)
        .map_err(|e| connection_error(url, e))
}

/// Advisory locks are the database's own, so the name alone keeps unrelated applications
/// apart.
pub(super) fn lock(conn: &mut AnyConnection, name: &str, _wait: Duration) -> Result<bool> {
    diesel::sql_query("SELECT pg_advisory_lock(hashtext($1))")
        .bind::<Text, _>(name)
        .execute(pg(conn)?)?;
    Ok(true)
}

pub(super) fn unlock(conn: &mut AnyConnection, name: &str) -> Result<()> {
    diesel::sql_query("SELECT pg_advisory_unlock(hashtext($1))")
        .bind::<Text, _>(name)
        .execute(pg(conn)?)?;
    Ok(())
}

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

pub(super) fn columns(conn: &mut AnyConnection, table: &str) -> Result<Option<Vec<LiveColumn>>> {
    let conn = pg(conn)?;
    let rows: Vec<Row> = diesel::sql_query(COLUMNS)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(COLUMNS))?;
    if rows.is_empty() {
        let tables: Vec<Count> = diesel::sql_query(TABLE)
            .bind::<Text, _>(table)
            .load(conn)
            .map_err(failed(TABLE))?;
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

/// `data_type`, except where it only says `USER-DEFINED` or `ARRAY`, with the length of
/// character types.
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
