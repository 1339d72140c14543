//! The run-time connection: one type over every backend this build includes.
// diesel's MultiConnection derive generates public items (the backend, its row and raw
// value types) that cannot carry documentation of ours.
#![allow(missing_docs)]

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
    // file name: it comes last. `AnyConnection::connect` picks by the URL's scheme instead.
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
