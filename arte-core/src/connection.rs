//! The run-time connection: one type over every backend this build includes.
#![allow(missing_docs)] // diesel's MultiConnection derive generates undocumented public items.

use crate::error::{Error, Result};
use crate::url::{Backend, DatabaseUrl};
use diesel::Connection as _;

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("arte-core needs at least one backend feature: `sqlite`, `postgres` or `mysql`");

/// A live connection to one of the databases this build includes.
///
/// It is diesel's `MultiConnection` over the backends of the build: typed queries and
/// `sql_query` run on it as on any diesel connection; match on the variant where a
/// backend's own connection type is needed.
#[non_exhaustive]
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    // diesel's `establish` tries the variants in order, and SQLite takes any string as a
    // file name: it comes last. `AnyConnection::open` picks by the URL's scheme instead.
    /// A PostgreSQL server.
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
    /// A MySQL or MariaDB server.
    #[cfg(feature = "mysql")]
    Mysql(diesel::MysqlConnection),
    /// A SQLite database file (or `:memory:`).
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
}

/// Runs `$body` with `$c` bound to the backend's own diesel connection.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "sqlite")]
            $crate::connection::AnyConnection::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            $crate::connection::AnyConnection::Postgres($c) => $body,
            #[cfg(feature = "mysql")]
            $crate::connection::AnyConnection::Mysql($c) => $body,
        }
    };
}
pub(crate) use with_conn;

impl AnyConnection {
    /// Opens the database `url` names: `sqlite://…` or a path, `postgres://…`, `mysql://…`.
    pub fn open(url: &str) -> Result<Self> {
        AnyConnection::establish_url(&DatabaseUrl::parse(url)?)
    }

    /// Opens the database `url` names.
    pub fn establish_url(url: &DatabaseUrl) -> Result<Self> {
        // Drivers answer over several lines; the CLI's promise is one.
        let connection_error = |message: String| Error::Connection {
            url: url.to_string(),
            message: url.redact(&message.split_whitespace().collect::<Vec<_>>().join(" ")),
        };
        match url.backend() {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                let path = url.expose();
                if path != ":memory:" && !path.starts_with("file:") {
                    let parent = std::path::Path::new(path).parent();
                    if let Some(parent) =
                        parent.filter(|p| !p.as_os_str().is_empty() && !p.is_dir())
                    {
                        return Err(connection_error(format!(
                            "the directory `{}` does not exist; create it or choose another path",
                            parent.display()
                        )));
                    }
                }
                let mut conn = diesel::SqliteConnection::establish(path)
                    .map_err(|e| connection_error(e.to_string()))?;
                // Wait for a concurrent writer instead of failing at once; keep foreign keys honest.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut conn,
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                )
                .map_err(|e| connection_error(e.to_string()))?;
                Ok(AnyConnection::Sqlite(conn))
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres => diesel::PgConnection::establish(url.expose())
                .map(AnyConnection::Postgres)
                .map_err(|e| connection_error(e.to_string())),
            #[cfg(feature = "mysql")]
            Backend::Mysql => {
                let mut conn = diesel::MysqlConnection::establish(url.expose())
                    .map_err(|e| connection_error(e.to_string()))?;
                // `timestamp` columns convert to and from the session's zone: make it UTC.
                diesel::connection::SimpleConnection::batch_execute(
                    &mut conn,
                    "SET time_zone = '+00:00'",
                )
                .map_err(|e| connection_error(e.to_string()))?;
                Ok(AnyConnection::Mysql(conn))
            }
            #[allow(unreachable_patterns)]
            backend => Err(Error::BackendNotEnabled {
                url: url.to_string(),
                backend: backend.display_name(),
                feature: backend.feature(),
            }),
        }
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(_) => Backend::Mysql,
        }
    }

    /// Opens a transaction; on SQLite it takes the write lock at once, so that two
    /// migrators never interleave.
    pub(crate) fn begin(&mut self) -> Result<()> {
        use diesel::connection::AnsiTransactionManager;
        match self {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
            }
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN"),
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN"),
        }
        .map_err(Error::Database)?;
        Ok(())
    }

    /// Whether a transaction is open.
    pub(crate) fn in_transaction(&mut self) -> bool {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        with_conn!(self, c => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()
            .map(|depth| depth.is_some())
            .unwrap_or(true))
    }

    /// On SQLite, whether foreign keys are enforced; `None` elsewhere.
    pub(crate) fn sqlite_foreign_keys(&mut self) -> Result<Option<bool>> {
        match self {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => {
                use diesel::RunQueryDsl;
                #[derive(diesel::QueryableByName)]
                struct On {
                    #[diesel(sql_type = diesel::sql_types::Integer)]
                    foreign_keys: i32,
                }
                let rows: Vec<On> = diesel::sql_query("PRAGMA foreign_keys").load(c)?;
                Ok(Some(rows.first().is_some_and(|r| r.foreign_keys != 0)))
            }
            #[allow(unreachable_patterns)]
            _ => Ok(None),
        }
    }

    /// On SQLite, turns foreign-key enforcement on or off (outside a transaction only).
    pub(crate) fn set_sqlite_foreign_keys(&mut self, on: bool) -> Result<()> {
        self.batch_execute(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        })
    }

    /// On SQLite, the rows whose foreign keys point nowhere, as `table row N -> parent`.
    pub(crate) fn foreign_key_violations(&mut self) -> Result<Vec<String>> {
        match self {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(c) => {
                use diesel::RunQueryDsl;
                use diesel::sql_types::{BigInt, Nullable, Text};
                #[derive(diesel::QueryableByName)]
                struct Violation {
                    #[diesel(sql_type = Text)]
                    table: String,
                    #[diesel(sql_type = Nullable<BigInt>)]
                    rowid: Option<i64>,
                    #[diesel(sql_type = Text)]
                    parent: String,
                }
                let rows: Vec<Violation> = diesel::sql_query(
                    "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check",
                )
                .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|v| match v.rowid {
                        Some(rowid) => format!("`{}` row {rowid} -> `{}`", v.table, v.parent),
                        None => format!("`{}` -> `{}`", v.table, v.parent),
                    })
                    .collect())
            }
            #[allow(unreachable_patterns)]
            _ => Ok(Vec::new()),
        }
    }

    /// A transaction, or a savepoint inside the one already open.
    pub(crate) fn begin_nested(&mut self) -> Result<()> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        with_conn!(self, c => AnsiTransactionManager::begin_transaction(c)).map_err(Error::Database)
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        with_conn!(self, c => AnsiTransactionManager::commit_transaction(c))
            .map_err(Error::Database)
    }

    pub(crate) fn rollback(&mut self) -> Result<()> {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        with_conn!(self, c => AnsiTransactionManager::rollback_transaction(c))
            .map_err(Error::Database)
    }

    /// Runs SQL text that returns no rows (one or more statements).
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        with_conn!(self, c => diesel::connection::SimpleConnection::batch_execute(c, sql)).map_err(
            |source| Error::Statement {
                statement: sql.to_owned(),
                source,
            },
        )
    }
}
