//! Everything a database does differently, behind one trait: [`Dialect`].
//!
//! Each backend is one folder (`sqlite/`, `postgres/`, `mysql/`) with one implementation of
//! the trait: how it quotes names and writes literals, its names for arte's column types,
//! its forms of the DDL statements that differ, whether its DDL is
//! transactional, how it connects, locks, reads its catalog and reports the last inserted
//! key, and (SQLite) how it rebuilds a table. The SQL-text half of each implementation is
//! always compiled, so that `to_sql` works for every database in every build; the half that
//! talks to a live database is compiled with the backend's cargo feature.
//!
//! Generic code (the schema builder's rendering, the runner, the repository, the contract
//! check) asks [`Backend::dialect`] for the implementation and never matches on the backend:
//! [`Backend::dialect`], [`AnyConnection::backend`] and [`AnyConnection::on_own`] (work on
//! the backend's own diesel connection) are the only places that do. A new backend is one
//! new folder, one variant of [`Backend`] and of [`AnyConnection`], one line in each of
//! those three functions, and one method of [`OnOwnConnection`].

pub(crate) mod catalog;
mod connection;
pub(crate) mod mysql;
pub(crate) mod postgres;
pub(crate) mod prepared;
pub(crate) mod sqlite;

pub(crate) use catalog::{
    CatalogColumn, CatalogDefault, CatalogForeignKey, CatalogIndex, CatalogTable,
};
pub use connection::{AnyConnection, MultiBackend};

use crate::contract::ColumnKind;
use crate::error::{Error, Result};
use crate::schema::{AlterAction, ColumnDef, DeclaredType, SchemaError, TableDef, render};
use crate::url::DatabaseUrl;
use arte_vocab::ColumnType;
use diesel::connection::TransactionManager;
use std::fmt;

/// The kinds of database arte speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// SQLite, compiled in.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
}

impl Backend {
    /// Every backend arte knows, whether or not this build includes it.
    pub const ALL: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::Mysql];

    /// The database's name as people write it.
    pub fn display_name(self) -> &'static str {
        self.dialect().display_name()
    }

    /// The cargo feature (of arte-core and arte-cli alike) that brings this backend in.
    pub fn feature(self) -> &'static str {
        self.dialect().feature()
    }

    /// The backend whose URLs start with `scheme:` (case-insensitive).
    pub(crate) fn from_scheme(scheme: &str) -> Option<Backend> {
        let scheme = scheme.to_ascii_lowercase();
        Backend::ALL
            .into_iter()
            .find(|backend| backend.dialect().schemes().contains(&scheme.as_str()))
    }

    /// The implementation of this backend: the one place that picks it.
    pub(crate) fn dialect(self) -> &'static dyn Dialect {
        match self {
            Backend::Sqlite => &sqlite::Sqlite,
            Backend::Postgres => &postgres::Postgres,
            Backend::Mysql => &mysql::Mysql,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl AnyConnection {
    /// Which database this is: one of the places that tell the backends apart.
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

    /// Opens the database `url` names: `sqlite://…` or a path, `postgres://…`, `mysql://…`.
    pub fn connect(url: &str) -> Result<Self> {
        AnyConnection::connect_url(&DatabaseUrl::parse(url)?)
    }

    /// Opens the database of a parsed URL.
    pub fn connect_url(url: &DatabaseUrl) -> Result<Self> {
        url.backend().dialect().connect(url)
    }

    pub(crate) fn dialect(&self) -> &'static dyn Dialect {
        self.backend().dialect()
    }

    /// Opens a transaction the backend's way (on SQLite it takes the write lock at once).
    pub(crate) fn begin(&mut self) -> Result<()> {
        self.dialect().begin(self)
    }

    /// Whether a transaction is open.
    pub(crate) fn in_transaction(&mut self) -> bool {
        AnyConnection::transaction_manager_status_mut(self)
            .transaction_depth()
            .map(|depth| depth.is_some())
            .unwrap_or(true)
    }

    /// A transaction, or a savepoint inside the one already open.
    pub(crate) fn begin_nested(&mut self) -> Result<()> {
        AnyConnection::begin_transaction(self).map_err(Error::Database)
    }

    pub(crate) fn commit(&mut self) -> Result<()> {
        AnyConnection::commit_transaction(self).map_err(Error::Database)
    }

    pub(crate) fn rollback(&mut self) -> Result<()> {
        AnyConnection::rollback_transaction(self).map_err(Error::Database)
    }

    /// Runs SQL text that returns no rows (one or more statements).
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        diesel::connection::SimpleConnection::batch_execute(self, sql).map_err(|source| {
            Error::Statement {
                statement: sql.to_owned(),
                source,
            }
        })
    }

    /// Does `work` on the backend's own connection: see [`OnOwnConnection`].
    pub(crate) fn on_own<W: OnOwnConnection>(&mut self, work: W) -> W::Output {
        match self {
            #[cfg(feature = "sqlite")]
            AnyConnection::Sqlite(conn) => work.sqlite(conn),
            #[cfg(feature = "postgres")]
            AnyConnection::Postgres(conn) => work.postgres(conn),
            #[cfg(feature = "mysql")]
            AnyConnection::Mysql(conn) => work.mysql(conn),
        }
    }
}

/// Work done on a backend's own connection rather than through [`AnyConnection`], where
/// diesel's connection over every backend (`MultiBackend`) costs more: it decodes each
/// value of a row through a layer of its own, as dear as the value's own decoding, which
/// tells on a read of a thousand rows. One method per backend of the build;
/// [`AnyConnection::on_own`] calls its backend's.
pub(crate) trait OnOwnConnection {
    type Output;
    #[cfg(feature = "sqlite")]
    fn sqlite(self, conn: &mut diesel::SqliteConnection) -> Self::Output;
    #[cfg(feature = "postgres")]
    fn postgres(self, conn: &mut diesel::PgConnection) -> Self::Output;
    #[cfg(feature = "mysql")]
    fn mysql(self, conn: &mut diesel::MysqlConnection) -> Self::Output;
}

/// A lock [`Dialect::try_lock`] took: a lock of the database session, a lock on a file
/// (SQLite), or a lock row with a lease (Galera), released when dropped.
#[derive(Debug)]
pub(crate) enum Held {
    /// Held by the session; released by [`Dialect::unlock`] or when the session ends.
    Session,
    /// A lock on the descriptor kept in the [`LockSite`], released by [`Dialect::unlock`]
    /// or when the descriptor is closed.
    #[cfg(feature = "sqlite")]
    File,
    /// A lock row with a lease, renewed by a heartbeat (a MariaDB Galera Cluster), released
    /// by [`Dialect::unlock`] or, when dropped, by the heartbeat.
    #[cfg(feature = "mysql")]
    Lease(mysql::Lease),
}

/// Where a migrator's lock is taken, learned once and kept for its connection's life
/// ([`Dialect::try_lock`]): on SQLite the database file and, from the first lock on, the
/// descriptor the lock is taken on, kept open with the lock released between operations.
/// Closing any descriptor of a file drops every `fcntl` lock the process holds on it,
/// SQLite's own among them: in WAL mode a connection holds one on the database file between
/// its transactions, which tells another process's closing connection that it is not the
/// last (the last one deletes the write-ahead log). So the descriptor is closed only after
/// the connection ([`crate::Db`] drops its connection first).
#[derive(Debug, Default)]
pub(crate) struct LockSite {
    /// What the lock is taken on (SQLite: the database file, `""` in memory); `None`
    /// where the lock is the session's.
    #[cfg(feature = "sqlite")]
    pub target: Option<String>,
    /// The descriptor a file lock is taken on, once opened.
    #[cfg(feature = "sqlite")]
    pub file: Option<std::fs::File>,
}

/// One column of a live table, as the database's own catalog reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveColumn {
    /// The column's name.
    pub name: String,
    /// The database's type, in its own words, lower-cased (SQLite: the declared type;
    /// PostgreSQL: `data_type`, with the length of character types; MySQL: `COLUMN_TYPE`).
    pub found: String,
    /// Whether the column accepts NULL.
    pub nullable: bool,
}

/// What one database does its own way. Methods with a body are what most databases do; a
/// backend overrides those it does differently. Methods on a live connection default to
/// "this build does not include the backend", which only a build without its feature sees.
pub(crate) trait Dialect: Sync {
    // -- Identity and URLs.

    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// The database's name as people write it.
    fn display_name(&self) -> &'static str;

    /// The cargo feature that brings the backend in.
    fn feature(&self) -> &'static str;

    /// The URL schemes that name it, lower-case.
    fn schemes(&self) -> &'static [&'static str];

    /// What the driver is given for `url`, whose scheme is one of [`Dialect::schemes`] and
    /// whose text after `scheme:` is `rest`; `Err` says what is wrong with the URL.
    fn driver_target(&self, url: &str, rest: &str) -> std::result::Result<String, String> {
        let _ = rest;
        Ok(url.to_owned())
    }

    /// The driver's target for a relative location resolved against `base`, where the
    /// backend names databases by path (SQLite); `None` when there is nothing to resolve.
    fn resolve_relative(&self, target: &str, base: &std::path::Path) -> Option<String> {
        let _ = (target, base);
        None
    }

    /// Whether the database `url` names is there to open: `false` only for a database file
    /// not yet created, which opening would create. `true` for a backend this build does
    /// not include, as [`Dialect::connect`] is what refuses it, with the user's URL.
    fn exists(&self, url: &DatabaseUrl) -> bool {
        let _ = url;
        true
    }

    // -- SQL text.

    /// An identifier that has passed the identifier rule, quoted.
    fn quote(&self, name: &str) -> String {
        let mut quoted = String::with_capacity(name.len() + 2);
        self.quote_into(&mut quoted, name);
        quoted
    }

    /// [`Dialect::quote`], written at the end of `out`.
    fn quote_into(&self, out: &mut String, name: &str) {
        out.push('"');
        out.push_str(name);
        out.push('"');
    }

    /// A string literal, quotes doubled.
    fn string_literal(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''"))
    }

    /// `true` or `false` as a literal.
    fn bool_literal(&self, value: bool) -> String {
        u8::from(value).to_string()
    }

    /// The database's name for one of arte's column types.
    fn type_name(&self, ty: ColumnType) -> String;

    /// An auto-incrementing 64-bit primary key column named `name` (quoted).
    fn id_column(&self, name: &str) -> String;

    /// What follows a nullable column's type: nothing, or ` NULL` where the database would
    /// otherwise make some types NOT NULL.
    fn nullable_clause(&self) -> &'static str {
        ""
    }

    /// The current time as the default of a column of type `ty`, where the database needs
    /// it written with the column's precision (MySQL refuses `datetime(6) DEFAULT
    /// CURRENT_TIMESTAMP`); `None` where `CURRENT_TIMESTAMP` as written will do.
    fn now_for(&self, ty: &DeclaredType) -> Option<&'static str> {
        let _ = ty;
        None
    }

    /// Renames a table.
    fn rename_table(&self, from: &str, to: &str) -> String {
        format!(
            "ALTER TABLE {} RENAME TO {}",
            self.quote(from),
            self.quote(to)
        )
    }

    /// Drops an index of `table`.
    fn drop_index(&self, table: &str, name: &str, if_exists: bool) -> String {
        let _ = table;
        let exists = if if_exists { "IF EXISTS " } else { "" };
        format!("DROP INDEX {exists}{}", self.quote(name))
    }

    /// Redefines a column's type, nullability and default: `alter` is `ALTER TABLE "t"`.
    fn change_column(&self, alter: &str, column: &ColumnDef) -> String;

    /// Drops a foreign key of a table: `alter` is `ALTER TABLE "t"`.
    fn drop_foreign_key(&self, alter: &str, name: &str) -> String {
        format!("{alter} DROP CONSTRAINT {}", self.quote(name))
    }

    /// Every change of an `ALTER TABLE`, in order. `live` is the table's current
    /// definition, which only a backend whose [`Dialect::rebuilds`] says so needs.
    fn alter_table(
        &self,
        table: &str,
        actions: &[AlterAction],
        live: Option<&TableDef>,
    ) -> std::result::Result<Vec<String>, SchemaError> {
        let _ = live;
        let dialect = self.backend().dialect();
        Ok(actions
            .iter()
            .flat_map(|action| render::alter_action(dialect, table, action))
            .collect())
    }

    /// Whether these changes rebuild the table, which needs its live definition.
    fn rebuilds(&self, actions: &[AlterAction]) -> bool {
        let _ = actions;
        false
    }

    /// Whether DDL takes part in transactions (it commits by itself where it does not).
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Of the statements a failed migration ran, those that took effect and stay.
    fn took_effect(&self, executed: Vec<String>) -> Vec<String> {
        let _ = executed;
        Vec::new()
    }

    /// Whether two column names that differ only in case name the same column.
    fn folds_identifier_case(&self) -> bool {
        true
    }

    /// Whether a column of type `found` (as the catalog reports it, lower-cased, single
    /// spaces) holds every value of `kind`, and diesel reads it as that kind.
    fn holds(&self, kind: ColumnKind, found: &str) -> bool;

    /// The migrations table `table` (quoted)'s stamp now: three integers that change
    /// whenever the table may have changed since they were last read on this connection,
    /// cheaper than reading the table; `None` where the database has none, or it cannot be
    /// read.
    fn ledger_stamp(&self, conn: &mut AnyConnection, table: &str) -> Option<[i64; 3]> {
        let _ = (conn, table);
        None
    }

    /// A query of one text that stays the same only while no transaction anywhere on the
    /// server has written and ended, read in O(1): where it is unchanged, so is every table,
    /// and the migrations table's stamp need not be read. `None` where there is none.
    fn quiet_mark_sql(&self) -> Option<&'static str> {
        None
    }

    /// Whether the migrations table is read best as it is stored: its `state` as it is and
    /// in no order (the rows are put in order after the read). `false` reads `applied` as
    /// NULL, which spares the text of nearly every row, in the key's order, which costs
    /// nothing where rows are stored by key.
    fn ledger_read_as_stored(&self) -> bool {
        false
    }

    /// The query that returns the key of the row this connection inserted last, as its one
    /// column (the same text a diesel user writes by hand on SQLite).
    fn last_insert_id_sql(&self) -> &'static str;

    // -- A live database.

    /// Opens a connection.
    fn connect(&self, url: &DatabaseUrl) -> Result<AnyConnection> {
        Err(self.not_in_build(url))
    }

    /// The error for a URL of a backend this build does not include.
    fn not_in_build(&self, url: &DatabaseUrl) -> Error {
        Error::BackendNotEnabled {
            url: url.to_string(),
            backend: self.display_name(),
            feature: self.feature(),
        }
    }

    /// Opens a transaction.
    fn begin(&self, conn: &mut AnyConnection) -> Result<()> {
        conn.begin_nested()
    }

    /// Takes the lock `name` for this session without waiting, on `site`'s target where
    /// the backend has one (learned on first use); `None` when another session holds it.
    /// The lock ends with the session, so a holder that dies releases it.
    fn try_lock(
        &self,
        conn: &mut AnyConnection,
        name: &str,
        site: &mut LockSite,
    ) -> Result<Option<Held>> {
        let _ = (conn, name, site);
        Ok(Some(Held::Session))
    }

    /// Releases a lock [`Dialect::try_lock`] took; where the backend has a quiet mark
    /// ([`Dialect::quiet_mark_sql`]), returns it as read in the same statement, while the
    /// lock was still held (one round trip instead of two).
    fn unlock(
        &self,
        conn: &mut AnyConnection,
        name: &str,
        held: Held,
        site: &mut LockSite,
    ) -> Result<Option<String>> {
        let _ = (conn, name, held, site);
        Ok(None)
    }

    /// How long a statement waits for another connection's write transaction before it
    /// fails (SQLite, whose writers lock the whole file); nothing elsewhere.
    fn wait_for_writers(&self, conn: &mut AnyConnection, wait: std::time::Duration) -> Result<()> {
        let _ = (conn, wait);
        Ok(())
    }

    /// In the transaction a pretended run opened: how long a statement waits for a lock
    /// another connection holds on what it touches (a migration running now, an open
    /// transaction) before it fails, for the transaction only; nothing where
    /// [`Dialect::wait_for_writers`] bounds it (SQLite's writers lock the whole file).
    fn bound_lock_waits(&self, conn: &mut AnyConnection, wait: std::time::Duration) -> Result<()> {
        let _ = (conn, wait);
        Ok(())
    }

    /// Whether `error` is a statement that gave up waiting for a lock as
    /// [`Dialect::bound_lock_waits`] allows (not SQLite's busy file: [`Dialect::is_busy`]).
    fn gave_up_waiting(&self, error: &Error) -> bool {
        let _ = error;
        false
    }

    /// Whether `error` says another connection's write transaction kept the database
    /// locked for longer than [`Dialect::wait_for_writers`] allows.
    fn is_busy(&self, error: &Error) -> bool {
        let _ = error;
        false
    }

    /// Who holds the lock `name`, in words, where the database can tell; `None` when it
    /// cannot (or nobody does), on `site`'s target where the backend has one. Reads only.
    fn lock_holder(
        &self,
        conn: &mut AnyConnection,
        name: &str,
        site: &mut LockSite,
    ) -> Result<Option<String>> {
        let _ = (conn, name, site);
        Ok(None)
    }

    /// The columns of `table` in the current database or schema, in table order; `None`
    /// when there is no such table.
    fn columns(&self, conn: &mut AnyConnection, table: &str) -> Result<Option<Vec<LiveColumn>>> {
        let _ = (conn, table);
        Err(wrong_connection(self.backend()))
    }

    /// Whether the current database or schema has a table named `table`.
    fn table_exists(&self, conn: &mut AnyConnection, table: &str) -> Result<bool> {
        Ok(self.columns(conn, table)?.is_some())
    }

    /// The current definition of `table`, for a rebuild.
    fn read_table(&self, conn: &mut AnyConnection, table: &str) -> Result<TableDef> {
        let _ = conn;
        Err(SchemaError::NeedsLiveTable {
            table: table.to_owned(),
        }
        .into())
    }

    /// Makes the session read-only (`on`) or not, where a pretended run cannot rely on a
    /// transaction being rolled back (MySQL, whose DDL commits by itself).
    fn read_only(&self, conn: &mut AnyConnection, on: bool) -> Result<()> {
        let _ = (conn, on);
        Ok(())
    }

    /// Whether foreign keys are enforced on this connection where a migration must turn
    /// enforcement off for a while (SQLite, whose rebuilds need it off); `false` elsewhere.
    fn foreign_keys_enforced(&self, conn: &mut AnyConnection) -> Result<bool> {
        let _ = conn;
        Ok(false)
    }

    /// Turns foreign-key enforcement on or off (outside a transaction only).
    fn set_foreign_keys(&self, conn: &mut AnyConnection, on: bool) -> Result<()> {
        let _ = (conn, on);
        Ok(())
    }

    /// The rows whose foreign keys point at nothing, as `table row N -> parent`, where
    /// enforcement was suspended.
    fn foreign_key_violations(&self, conn: &mut AnyConnection) -> Result<Vec<String>> {
        let _ = conn;
        Ok(Vec::new())
    }

    /// Two counters of this connection whose change between two readings tells what a
    /// migration did: rows changed so far, and the schema's version (SQLite, where a
    /// migration's foreign keys are checked only when it may have broken one); `None`
    /// where foreign keys are never suspended.
    fn change_marks(&self, conn: &mut AnyConnection) -> Result<Option<(i64, i64)>> {
        let _ = conn;
        Ok(None)
    }

    /// The [`Dialect::change_marks`] a [`Dialect::ledger_stamp`] holds, where it holds them
    /// (SQLite's stamp is read from the same counters): an operation that read the stamp
    /// as it began need not read the counters again before its first migration.
    fn change_marks_in_stamp(&self, stamp: [i64; 3]) -> Option<(i64, i64)> {
        let _ = stamp;
        None
    }

    /// The stamp to keep for an operation that began with stamp `start` (read under the
    /// lock) and ended with this connection's counters at `marks` (followed since), where
    /// that can be told without reading it; `None` where it must be read. What is told
    /// may only differ from a reading in the direction of "changed": a wrong "unchanged"
    /// would keep rows the table no longer has.
    fn stamp_after(&self, start: [i64; 3], marks: (i64, i64)) -> Option<[i64; 3]> {
        let _ = (start, marks);
        None
    }

    /// The migrations table's stamp now, told from `kept` (the stamp as an operation of
    /// this connection ended) where nothing has run on this connection since, so that
    /// only other connections can have moved it: the part that follows them is read
    /// alone. `None` where it cannot be told so (the whole stamp is then read).
    fn stamp_since(&self, conn: &mut AnyConnection, kept: [i64; 3]) -> Option<[i64; 3]> {
        let _ = (conn, kept);
        None
    }

    // -- The catalog in arte's terms, for the contract check and generated migrations
    //    (`catalog.rs` of each backend), and scratch databases to run migrations on.

    /// The base tables of the current database or schema, sorted by name (SQLite's own
    /// excepted).
    fn catalog_tables(&self, conn: &mut AnyConnection) -> Result<Vec<String>> {
        let _ = conn;
        Err(wrong_connection(self.backend()))
    }

    /// What the contract check and the migration generator read of `table`: columns with
    /// their types, nullability and defaults, the primary key, indexes and unique
    /// constraints, foreign keys. `None` when there is no such table.
    fn catalog_table(&self, conn: &mut AnyConnection, table: &str) -> Result<Option<CatalogTable>> {
        let _ = (conn, table);
        Err(wrong_connection(self.backend()))
    }

    /// arte's type for a type as this database's catalog writes it (lower-cased, single
    /// spaces), when it is one arte writes.
    fn catalog_type(&self, found: &str) -> Option<ColumnType> {
        ColumnType::parse(found)
    }

    /// Refuses, before it runs, a statement the live database would refuse in words that
    /// do not say what to do (MySQL: dropping the index a foreign key needs).
    fn refuse_on_live(
        &self,
        conn: &mut AnyConnection,
        statement: &crate::schema::Statement,
    ) -> Result<()> {
        let _ = (conn, statement);
        Ok(())
    }

    /// Whether a foreign key's `ON DELETE`/`ON UPDATE` does what `action` says here; one
    /// that does not is refused before any SQL runs (MySQL's InnoDB takes `SET DEFAULT`
    /// and acts as `RESTRICT`).
    fn carries_out(&self, action: crate::schema::Action) -> bool {
        let _ = action;
        true
    }

    /// Whether the database makes an index of its own for a foreign key that has none,
    /// and keeps it when the foreign key is dropped (MySQL): a migration then drops it.
    fn foreign_key_leaves_index(&self) -> bool {
        false
    }

    /// Whether a scratch database is one created on the server (PostgreSQL, MySQL), which
    /// takes a connection to the configured database first; SQLite's is a new in-memory
    /// database, and the configured file is not even opened.
    fn scratch_on_server(&self) -> bool {
        false
    }

    /// Creates the empty database `name` on the server `conn` is connected to (whose URL
    /// is `url`), for running migrations where nothing else sees them, and returns its
    /// URL. SQLite has nothing to create: a new in-memory database.
    fn create_scratch(
        &self,
        conn: &mut AnyConnection,
        url: &DatabaseUrl,
        name: &str,
    ) -> Result<DatabaseUrl> {
        let _ = (conn, url, name);
        DatabaseUrl::parse("sqlite::memory:")
    }

    /// Drops the unique constraint or unique index `name` of a table (`alter` is `ALTER
    /// TABLE "t"`). PostgreSQL keeps the two apart: the table's catalog says which it is,
    /// and a name that is neither fails the statement with a sentence that says so (not
    /// `IF EXISTS`, which would pass over a misspelt name in silence).
    fn drop_unique(&self, alter: &str, table: &str, name: &str) -> Vec<String> {
        let relation = self.string_literal(&self.quote(table));
        let literal = self.string_literal(name);
        let missing = self.string_literal(&format!(
            "table `{table}` has no unique constraint or unique index named `{name}`; check the name the migration drops"
        ));
        vec![format!(
            "DO $arte$ DECLARE index_sql text; BEGIN \
             IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint \
             WHERE conrelid = {relation}::regclass AND conname = {literal} AND contype = 'u') THEN \
             {alter} DROP CONSTRAINT {quoted}; \
             ELSE \
             SELECT format('DROP INDEX %I.%I', n.nspname, c.relname) INTO index_sql \
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE i.indrelid = {relation}::regclass AND c.relname = {literal} AND i.indisunique; \
             IF index_sql IS NULL THEN RAISE EXCEPTION '%', {missing}; END IF; \
             EXECUTE index_sql; \
             END IF; END $arte$",
            quoted = self.quote(name),
        )]
    }

    /// Drops a database [`Dialect::create_scratch`] created.
    fn drop_scratch(&self, conn: &mut AnyConnection, name: &str) -> Result<()> {
        let _ = (conn, name);
        Ok(())
    }
}

/// For a backend method reached with another backend's connection, which generic code
/// never does: the error says so instead of panicking.
pub(crate) fn wrong_connection(expected: Backend) -> Error {
    Error::msg(format!(
        "internal error: a {expected} operation was given a connection to another database"
    ))
}

/// A type's name without its arguments: `character varying(40)` is `character varying`.
pub(crate) fn base_type(ty: &str) -> &str {
    ty.split_once('(').map_or(ty, |(name, _)| name).trim()
}

/// The error of a failed catalog query, naming it.
pub(crate) fn failed(sql: &str) -> impl FnOnce(diesel::result::Error) -> Error + '_ {
    move |source| Error::Statement {
        statement: sql.to_owned(),
        source,
    }
}

/// The drivers' messages run over several lines; arte's promise is one.
pub(crate) fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error for a connection that failed, with the URL and the driver's words, both
/// without the password, and what to do.
pub(crate) fn connection_error(url: &DatabaseUrl, message: impl fmt::Display) -> Error {
    // libpq's reasons come on lines of their own: sentences, once on one line.
    let mut words = String::new();
    for line in message.to_string().lines().map(one_line) {
        if line.is_empty() {
            continue;
        }
        if !words.is_empty() {
            words.push_str(if words.ends_with(['.', '?', '!', ':', ';']) {
                " "
            } else {
                ". "
            });
        }
        words.push_str(&line);
    }
    let words = url.redact(words.trim_end_matches('.'));
    let hint = connection_hint(&words);
    let message = if words.ends_with(['?', '!']) {
        let mut hint = hint.chars();
        let first = hint.next().map(|c| c.to_ascii_uppercase());
        format!("{words} {}{}", first.unwrap_or(' '), hint.as_str())
    } else {
        format!("{words}; {hint}")
    };
    Error::Connection {
        url: url.to_string(),
        message,
    }
}

/// What to do about a connection the database refused, from its words.
fn connection_hint(words: &str) -> &'static str {
    let lower = words.to_ascii_lowercase();
    if lower.contains("unknown database")
        || (lower.contains("database \"") && lower.contains("does not exist"))
    {
        "create the database, or fix the database the URL names"
    } else if lower.contains("access denied")
        || lower.contains("password authentication failed")
        || lower.contains("role \"")
        || lower.contains("no password supplied")
        || lower.contains("no pg_hba.conf entry")
    {
        "check the URL's user name and password, and that the server lets that user in"
    } else if lower.contains("unable to open database file") {
        "check that the file's directory exists and may be written"
    } else {
        "check the URL, and that the server runs and accepts connections there"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::Dialect;
    use crate::contract::ColumnKind;

    /// Asserts that `found` holds exactly the kinds listed, and no other.
    pub(crate) fn holds_exactly(dialect: &dyn Dialect, found: &str, kinds: &[ColumnKind]) {
        for kind in ColumnKind::ALL {
            assert_eq!(
                crate::contract::check::compatible(dialect, kind, found),
                kinds.contains(&kind),
                "{}: `{found}` for {kind:?}",
                dialect.display_name()
            );
        }
    }
}
