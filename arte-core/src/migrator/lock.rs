//! One migrator at a time per migrations table: PostgreSQL's advisory locks and MySQL's
//! named locks are held for a whole operation. SQLite needs none: each migration's
//! transaction takes the write lock and checks the table again.

#[cfg(any(feature = "postgres", feature = "mysql"))]
use crate::connection::AnyConnection;
use crate::db::Db;
use crate::error::Result;

/// How long MySQL waits for another migrator before giving up.
#[cfg(feature = "mysql")]
const MYSQL_WAIT_SECONDS: i32 = 60;

/// The lock's name: one per migrations table (PostgreSQL's advisory locks are the
/// database's own; MySQL adds the database's name), so unrelated applications never wait.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn name(table: &str) -> String {
    let mut name = format!("arte:{table}");
    name.truncate(64);
    name
}

#[cfg(not(any(feature = "postgres", feature = "mysql")))]
pub(crate) fn acquire(_db: &mut Db, _table: &str) -> Result<()> {
    Ok(())
}

#[cfg(not(any(feature = "postgres", feature = "mysql")))]
pub(crate) fn release(_db: &mut Db, _table: &str) -> Result<()> {
    Ok(())
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) fn acquire(db: &mut Db, table: &str) -> Result<()> {
    let name = name(table);
    match db.connection() {
        #[cfg(feature = "postgres")]
        AnyConnection::Postgres(c) => {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT pg_advisory_lock(hashtext($1))")
                .bind::<diesel::sql_types::Text, _>(&name)
                .execute(c)?;
            Ok(())
        }
        #[cfg(feature = "mysql")]
        AnyConnection::Mysql(c) => {
            use diesel::RunQueryDsl;
            #[derive(diesel::QueryableByName)]
            struct Got {
                #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
                got: Option<i64>,
            }
            // Named locks are the server's, not one database's: the name says which database.
            let got: Vec<Got> = diesel::sql_query(
                "SELECT GET_LOCK(CONCAT('arte:', SHA1(CONCAT(DATABASE(), '.', ?))), ?) AS got",
            )
            .bind::<diesel::sql_types::Text, _>(&name)
            .bind::<diesel::sql_types::Integer, _>(MYSQL_WAIT_SECONDS)
            .load(c)?;
            match got.first().and_then(|g| g.got) {
                Some(1) => Ok(()),
                _ => Err(crate::Error::LockTimeout {
                    table: table.to_owned(),
                    seconds: MYSQL_WAIT_SECONDS as u32,
                }),
            }
        }
        #[allow(unreachable_patterns)]
        _ => Ok(()),
    }
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) fn release(db: &mut Db, table: &str) -> Result<()> {
    let name = name(table);
    match db.connection() {
        #[cfg(feature = "postgres")]
        AnyConnection::Postgres(c) => {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT pg_advisory_unlock(hashtext($1))")
                .bind::<diesel::sql_types::Text, _>(&name)
                .execute(c)?;
            Ok(())
        }
        #[cfg(feature = "mysql")]
        AnyConnection::Mysql(c) => {
            use diesel::RunQueryDsl;
            diesel::sql_query(
                "SELECT RELEASE_LOCK(CONCAT('arte:', SHA1(CONCAT(DATABASE(), '.', ?))))",
            )
            .bind::<diesel::sql_types::Text, _>(&name)
            .execute(c)?;
            Ok(())
        }
        #[allow(unreachable_patterns)]
        _ => Ok(()),
    }
}
