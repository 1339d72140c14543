//! The floor: the workload's DDL through a plain diesel connection, one transaction per
//! migration (none on MySQL, where DDL commits by itself), with no bookkeeping; and a plain
//! read of the migrations table, the least that `migration:status` has to do.

use crate::target::Plain;
use crate::workload::{Sql, table_name};
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

    /// Creates the N tables and their indexes, one migration each, in name order.
    pub fn apply(&mut self, sql: &Sql, n: usize) {
        for i in 0..n {
            let statements = sql.create(&table_name(i));
            self.migration(&statements)
                .unwrap_or_else(|e| panic!("floor: `{}` failed: {e}", statements.join("; ")));
        }
    }

    /// Creates the N tables and their indexes in one transaction (SQLite, PostgreSQL); the
    /// database's error where it cannot hold that many (PostgreSQL's lock table holds
    /// `max_locks_per_transaction` × connections, and each new table takes a lock).
    pub fn apply_in_one_transaction(&mut self, sql: &Sql, n: usize) -> QueryResult<()> {
        let all: Vec<String> = (0..n).flat_map(|i| sql.create(&table_name(i))).collect();
        self.migration(&all)
    }

    /// Drops the N tables, one migration each, newest first.
    pub fn roll_back(&mut self, sql: &Sql, n: usize) {
        for i in (0..n).rev() {
            let statements = sql.drop(&table_name(i));
            self.migration(&statements)
                .unwrap_or_else(|e| panic!("floor: `{}` failed: {e}", statements.join("; ")));
        }
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
