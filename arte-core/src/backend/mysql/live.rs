//! MySQL and MariaDB on a live connection: connecting, named locks (on a Galera cluster,
//! `galera.rs`'s lock row), the catalog.

use super::galera;
use crate::backend::Held;
use crate::backend::prepared::{Part, Prepared};
use crate::backend::{
    AnyConnection, Backend, LiveColumn, connection_error, failed, wrong_connection,
};
use crate::error::Result;
use crate::url::DatabaseUrl;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Nullable, Text, Unsigned};
use diesel::{Connection, MysqlConnection, QueryableByName, RunQueryDsl};

fn mysql(conn: &mut AnyConnection) -> Result<&mut MysqlConnection> {
    match conn {
        AnyConnection::Mysql(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Mysql)),
    }
}

pub(super) fn connect(url: &DatabaseUrl) -> Result<AnyConnection> {
    establish(url).map(AnyConnection::Mysql)
}

/// A connection set up as arte needs it: UTC, and on a Galera cluster marked as one.
pub(super) fn establish(url: &DatabaseUrl) -> Result<MysqlConnection> {
    let mut conn =
        MysqlConnection::establish(url.expose()).map_err(|e| connection_error(url, e))?;
    // `timestamp` columns convert to and from the session's zone: make it UTC.
    conn.batch_execute("SET time_zone = '+00:00'")
        .map_err(|e| connection_error(url, e))?;
    galera::on_connect(&mut conn, url)?;
    Ok(conn)
}

#[derive(QueryableByName)]
struct Got {
    #[diesel(sql_type = Nullable<BigInt>)]
    got: Option<i64>,
}

// Named locks are the server's, not one database's: the name says which database.
const LOCK_NAME: &str = "CONCAT('arte:', SHA1(CONCAT(DATABASE(), '.', ?)))";

/// Off a cluster one round trip: the statement that asks whether the connection is to a
/// cluster takes the named lock when it is not (`CASE` evaluates the branch it takes only).
pub(super) fn try_lock(conn: &mut AnyConnection, name: &str) -> Result<Option<Held>> {
    let conn = mysql(conn)?;
    let sql = format!(
        "{}, CASE WHEN @arte_galera IS NULL THEN GET_LOCK({LOCK_NAME}, 0) END AS got",
        galera::CLUSTER
    );
    let rows: Vec<(Option<i64>, Option<i64>)> =
        Prepared::<(Nullable<BigInt>, Nullable<BigInt>)>::binding(&sql, name)
            .load(conn)
            .map_err(failed(&sql))?;
    let (cluster, mut got) = rows.first().copied().unwrap_or_default();
    if let Some(index) = cluster {
        if let Some(url) = galera::registered(index) {
            return galera::try_lock(conn, name, url);
        }
        // Marked by no connection of this process: taken as off a cluster, whose lock the
        // statement above did not take.
        let sql = format!("SELECT GET_LOCK({LOCK_NAME}, 0) AS got");
        let rows: Vec<Option<i64>> = Prepared::<Nullable<BigInt>>::binding(&sql, name)
            .load(conn)
            .map_err(failed(&sql))?;
        got = rows.first().copied().flatten();
    }
    Ok((got == Some(1)).then_some(Held::Session))
}

pub(super) fn unlock(conn: &mut AnyConnection, name: &str, held: Held) -> Result<()> {
    if let Held::Lease(lease) = held {
        return galera::unlock(mysql(conn)?, name, lease);
    }
    let sql = format!("SELECT RELEASE_LOCK({LOCK_NAME}) AS got");
    Prepared::<Nullable<BigInt>>::binding(&sql, name)
        .execute(mysql(conn)?)
        .map_err(failed(&sql))?;
    Ok(())
}

/// InnoDB's transaction counter, on MariaDB off a cluster: every transaction that writes
/// takes a number from it as it starts writing and another as it commits, DDL included;
/// reads, locks and their release take none. No row where the server has no such counter
/// (MySQL) or the connection is to a Galera cluster, where arte's lock row is written by
/// every operation and the other nodes' writes are applied all the time.
const TRANSACTION_COUNTER: &str =
    "SHOW GLOBAL STATUS WHERE Variable_name = 'Innodb_max_trx_id' AND @arte_galera IS NULL";

/// The migrations table's stamp: InnoDB's transaction counter where there is one (read in
/// constant time; it moves whenever any table of the server may have changed, as
/// PostgreSQL's quiet mark does), else `CHECKSUM TABLE`, the server's checksum of every
/// column of every row, which an insert, an update or a delete moves. The checksum reads
/// every row, as an aggregate over them would, in half the time of
/// `SUM(CRC32(CONCAT_WS(…)))` over the same columns (about 0.4 ms at 1,000 rows, against
/// 0.9 ms, and 4.6 ms at 10,000). The last integer says which it is, so that the one never
/// equals the other.
pub(super) fn ledger_stamp(conn: &mut AnyConnection, table: &str) -> Option<[i64; 3]> {
    let conn = mysql(conn).ok()?;
    let counter: Vec<(String, String)> =
        Prepared::<(Text, Text)>::new(vec![Part::Sql(TRANSACTION_COUNTER)])
            .load(conn)
            .ok()?;
    if let Some((_, value)) = counter.first() {
        return Some([value.parse().ok()?, 0, 1]);
    }
    let sql = format!("CHECKSUM TABLE {table}");
    let rows: Vec<(String, Option<u64>)> =
        Prepared::<(Text, Nullable<Unsigned<BigInt>>)>::new(vec![Part::Sql(&sql)])
            .load(conn)
            .ok()?;
    let checksum = rows.first()?.1?;
    Some([i64::from_ne_bytes(checksum.to_ne_bytes()), 0, 0])
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    user: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    host: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    seconds: Option<i64>,
}

/// `MariaDB connection 42 (root@localhost:5123, 7 s in its current state)`.
pub(super) fn lock_holder(conn: &mut AnyConnection, name: &str) -> Result<Option<String>> {
    let conn = mysql(conn)?;
    if galera::cluster(conn)?.is_some() {
        return galera::lock_holder(conn, name);
    }
    let sql = format!(
        "SELECT CAST(h.id AS SIGNED) AS id, p.USER AS user, p.HOST AS host, CAST(p.TIME AS SIGNED) AS seconds \
         FROM (SELECT IS_USED_LOCK({LOCK_NAME}) AS id) h \
         LEFT JOIN information_schema.PROCESSLIST p ON p.ID = h.id \
         WHERE h.id IS NOT NULL"
    );
    let rows: Vec<Holder> = diesel::sql_query(&sql)
        .bind::<Text, _>(name)
        .load(conn)
        .map_err(failed(&sql))?;
    Ok(rows.into_iter().next().map(|holder| {
        let mut details = Vec::new();
        if let (Some(user), Some(host)) = (holder.user, holder.host) {
            details.push(format!("{user}@{host}"));
        }
        if let Some(seconds) = holder.seconds {
            details.push(format!("{seconds} s in its current state"));
        }
        if details.is_empty() {
            format!("MySQL/MariaDB connection {}", holder.id)
        } else {
            format!(
                "MySQL/MariaDB connection {} ({})",
                holder.id,
                details.join(", ")
            )
        }
    }))
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

const TABLE_EXISTS: &str = "SELECT CAST(COUNT(*) AS SIGNED) AS got FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";

/// Whether the current database has a table named `table`.
pub(super) fn table_exists(conn: &mut MysqlConnection, table: &str) -> Result<bool> {
    let rows: Vec<Got> = diesel::sql_query(TABLE_EXISTS)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(TABLE_EXISTS))?;
    Ok(rows.first().and_then(|row| row.got).unwrap_or(0) > 0)
}
