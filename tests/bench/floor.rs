//! The floor: the workload's DDL through a plain diesel connection, one transaction per
//! migration (none on MySQL, where DDL commits by itself), with no bookkeeping; and a plain
//! read of the migrations table, the least that `migration:status` has to do.
//!
//! Beside it, the floor with a row: the same, plus the one statement any tool that records
//! its migrations must run, the row's `INSERT` into (or `DELETE` from) a migrations table
//! laid out as arte's, in the migration's transaction. Its distance from the floor is what
//! the record itself costs; arte's distance from it is arte's own work.

use crate::target::Plain;
use crate::workload::{Sql, table_name};
use arte_core::Registry;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use diesel::{QueryableByName, RunQueryDsl};

/// One row of the migrations table, as arte writes it. Every column is decoded, as arte
/// decodes them, though the status table prints only some.
#[derive(Debug, Clone, QueryableByName)]
#[allow(dead_code)]
pub struct LedgerRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub module: String,
    #[diesel(sql_type = Integer)]
    pub batch: i32,
    #[diesel(sql_type = Timestamp)]
    pub executed_at: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    pub duration_us: i64,
    #[diesel(sql_type = Text)]
    pub checksum: String,
}

const LEDGER_SQL: &str = "SELECT id, name, module, batch, executed_at, duration_us, checksum FROM migrations ORDER BY id";

impl Plain {
    /// Runs `statements` as one migration would: in a transaction where DDL is
    /// transactional (SQLite's `BEGIN IMMEDIATE`, as arte takes it), as they come on MySQL.
    fn migration(&mut self, statements: &[String]) -> QueryResult<()> {
        fn each(conn: &mut impl SimpleConnection, statements: &[String]) -> QueryResult<()> {
            statements
                .iter()
                .try_for_each(|sql| conn.batch_execute(sql))
        }
        match self {
            Plain::Sqlite(conn) => conn.immediate_transaction(|conn| each(conn, statements)),
            #[cfg(feature = "postgres")]
            Plain::Postgres(conn) => {
                diesel::Connection::transaction(conn, |conn| each(conn, statements))
            }
            #[cfg(feature = "mysql")]
            Plain::Mysql(conn) => each(conn, statements),
        }
    }

    /// Runs migration `i` for each `i` of `order`, one migration each, its statements
    /// made by `statements`; `what` names the side in a failure.
    fn each_migration(
        &mut self,
        what: &str,
        order: impl Iterator<Item = usize>,
        statements: impl Fn(usize) -> Vec<String>,
    ) {
        for i in order {
            let statements = statements(i);
            self.migration(&statements)
                .unwrap_or_else(|e| panic!("{what}: `{}` failed: {e}", statements.join("; ")));
        }
    }

    /// Creates the N tables and their indexes, one migration each, in name order.
    pub fn apply(&mut self, sql: &Sql, n: usize) {
        self.each_migration("floor", 0..n, |i| sql.create(&table_name(i)));
    }

    /// [`Plain::apply`] with each migration's row written in its transaction (after its
    /// statements on MySQL, where nothing holds them together), into a migrations table
    /// arte created. The row's values are written into the statement: after a migration's
    /// DDL the database prepares any statement anew, so a bound one would cost the same.
    pub fn apply_recorded(&mut self, sql: &Sql, registry: &Registry) {
        let executed_at = chrono::Utc::now()
            .naive_utc()
            .format("%Y-%m-%d %H:%M:%S%.6f");
        let migrations = registry.migrations();
        self.each_migration("floor with a row", 0..migrations.len(), |i| {
            let migration = migrations[i];
            let mut statements = sql.create(&table_name(i));
            statements.push(format!(
                "INSERT INTO migrations (name, module, batch, executed_at, duration_us, checksum, state, statements, pending) \
                 VALUES ('{}', '{}', 1, '{executed_at}', 1000, '{}', 'applied', NULL, NULL)",
                migration.name,
                migration.module_label(),
                migration.checksum
            ));
            statements
        });
    }

    /// Drops the N tables, one migration each, newest first.
    pub fn roll_back(&mut self, sql: &Sql, n: usize) {
        self.each_migration("floor", (0..n).rev(), |i| sql.drop(&table_name(i)));
    }

    /// [`Plain::roll_back`] with each migration's row deleted in its transaction.
    pub fn roll_back_recorded(&mut self, sql: &Sql, registry: &Registry) {
        let migrations = registry.migrations();
        self.each_migration("floor with a row", (0..migrations.len()).rev(), |i| {
            let migration = migrations[i];
            let mut statements = sql.drop(&table_name(i));
            statements.push(format!(
                "DELETE FROM migrations WHERE module = '{}' AND name = '{}'",
                migration.module_label(),
                migration.name
            ));
            statements
        });
    }

    /// Creates the N tables and their indexes in one transaction (SQLite, PostgreSQL); the
    /// database's error where it cannot hold that many (PostgreSQL's lock table holds
    /// `max_locks_per_transaction` × connections, and each new table takes a lock).
    pub fn apply_in_one_transaction(&mut self, sql: &Sql, n: usize) -> QueryResult<()> {
        let all: Vec<String> = (0..n).flat_map(|i| sql.create(&table_name(i))).collect();
        self.migration(&all)
    }

    /// Every row of the migrations table, in the order they were written.
    pub fn ledger(&mut self) -> Vec<LedgerRow> {
        let query = diesel::sql_query(LEDGER_SQL);
        let rows = match self {
            Plain::Sqlite(conn) => query.load(conn),
            #[cfg(feature = "postgres")]
            Plain::Postgres(conn) => query.load(conn),
            #[cfg(feature = "mysql")]
            Plain::Mysql(conn) => query.load(conn),
        };
        rows.unwrap_or_else(|e| panic!("floor: `{LEDGER_SQL}` failed: {e}"))
    }
}
