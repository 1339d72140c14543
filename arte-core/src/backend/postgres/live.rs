//! PostgreSQL on a live connection: connecting, advisory locks, the catalog.

use crate::backend::Held;
use crate::backend::prepared::Prepared;
use crate::backend::{
    AnyConnection, Backend, LiveColumn, connection_error, failed, wrong_connection,
};
use crate::error::{Error, Result};
use crate::url::DatabaseUrl;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

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

// Advisory locks are the database's own, so the name alone keeps unrelated applications
// apart. The two-key form puts arte's keys in a class of their own (`classid` in
// `pg_locks`), where `lock_holder` finds them.
//
// A standby (a server in recovery) cannot take a write, so the lock is not taken there and
// the command is refused before anything runs; one query asks both, and says which
// database and server it was for the message.
const TRY_LOCK: &str = "SELECT pg_is_in_recovery() AS standby, \
     CASE WHEN pg_is_in_recovery() THEN false \
     ELSE pg_try_advisory_lock(hashtext('arte'), hashtext(?)) END AS got, \
     current_database()::text AS database, \
     COALESCE(host(inet_server_addr()) || ':' || inet_server_port()::text, 'a local socket') AS server";
// The statement's snapshot is taken before the lock is released: the quiet mark as the
// operation that held the lock left the server (`Dialect::quiet_mark_sql`).
const UNLOCK: &str = "SELECT txid_current_snapshot()::text AS mark, \
     pg_advisory_unlock(hashtext('arte'), hashtext(?)) AS got";
const HOLDER: &str = "SELECT a.pid, COALESCE(a.application_name, '') AS application, \
     COALESCE(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '') AS since, \
     COALESCE(a.state, '') AS state \
     FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 \
     AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) \
     AND l.classid = hashtext('arte')::oid AND l.objid = hashtext($1)::oid \
     LIMIT 1";

pub(super) fn try_lock(conn: &mut AnyConnection, name: &str) -> Result<Option<Held>> {
    let rows: Vec<(bool, bool, String, String)> =
        Prepared::<(Bool, Bool, Text, Text)>::binding(TRY_LOCK, name)
            .load(pg(conn)?)
            .map_err(failed(TRY_LOCK))?;
    match rows.into_iter().next() {
        Some((true, _, database, server)) => Err(Error::ReadOnlyStandby { database, server }),
        Some((_, true, _, _)) => Ok(Some(Held::Session)),
        _ => Ok(None),
    }
}

/// Releases the lock; returns the server's snapshot as it was while the lock was held.
pub(super) fn unlock(conn: &mut AnyConnection, name: &str) -> Result<String> {
    let (mark, _released): (String, bool) = Prepared::<(Text, Bool)>::binding(UNLOCK, name)
        .get_result(pg(conn)?)
        .map_err(failed(UNLOCK))?;
    Ok(mark)
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = Integer)]
    pid: i32,
    #[diesel(sql_type = Text)]
    application: String,
    #[diesel(sql_type = Text)]
    since: String,
    #[diesel(sql_type = Text)]
    state: String,
}

/// `PostgreSQL backend pid 4242 (application `arte`, connected since … UTC, active)`.
pub(super) fn lock_holder(conn: &mut AnyConnection, name: &str) -> Result<Option<String>> {
    let rows: Vec<Holder> = diesel::sql_query(HOLDER)
        .bind::<Text, _>(name)
        .load(pg(conn)?)
        .map_err(failed(HOLDER))?;
    Ok(rows.into_iter().next().map(|holder| {
        let mut details = Vec::new();
        if !holder.application.is_empty() {
            details.push(format!("application `{}`", holder.application));
        }
        if !holder.since.is_empty() {
            details.push(format!("connected since {} UTC", holder.since));
        }
        if !holder.state.is_empty() {
            details.push(holder.state);
        }
        format!(
            "PostgreSQL backend pid {} ({})",
            holder.pid,
            details.join(", ")
        )
    }))
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

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    present: bool,
}

/// `to_regclass` reads the catalog of the search path, without `information_schema`.
pub(super) fn table_exists(conn: &mut AnyConnection, table: &str) -> Result<bool> {
    const SQL: &str = "SELECT to_regclass(quote_ident($1)) IS NOT NULL AS present";
    let rows: Vec<Exists> = diesel::sql_query(SQL)
        .bind::<Text, _>(table)
        .load(pg(conn)?)
        .map_err(failed(SQL))?;
    Ok(rows.first().is_some_and(|row| row.present))
}
