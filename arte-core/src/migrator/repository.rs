//! The migrations table: one row per applied migration, and one per migration caught half
//! done.
//!
//! A migration that runs in a transaction together with its row (SQLite and PostgreSQL)
//! is recorded when it commits, as `applied`. One whose statements commit by themselves
//! (MySQL's DDL, or any `no_transaction` migration) is journaled instead: its row is
//! written before its first statement (`migrating`, or `rolling back` for a `down`), each
//! statement is written to the row before it runs (`pending`) and moved to the list of
//! those that took effect (`statements`) once it has, and the row ends `applied` (or is
//! deleted, for a `down`). A failure leaves it `failed`, a killed process leaves it as it
//! was: either way the row says what took effect, and nothing runs until
//! `migration:repair` clears it.

use crate::backend::AnyConnection;
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};

/// Separates the statements of the `statements` column: the ASCII record separator, which
/// SQL text does not hold.
const SEPARATOR: char = '\u{1e}';

/// What a row says of its migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowState {
    /// Applied, completely.
    Applied,
    /// `up` began and did not end: running now, or interrupted.
    Migrating,
    /// `down` began and did not end: running now, or interrupted.
    RollingBack,
    /// `up` failed after some of its statements had taken effect.
    FailedUp,
    /// `down` failed after some of its statements had taken effect.
    FailedDown,
}

impl RowState {
    fn as_str(self) -> &'static str {
        match self {
            RowState::Applied => "applied",
            RowState::Migrating => "migrating",
            RowState::RollingBack => "rolling back",
            RowState::FailedUp => "failed up",
            RowState::FailedDown => "failed down",
        }
    }

    fn parse(text: &str) -> Option<RowState> {
        [
            RowState::Applied,
            RowState::Migrating,
            RowState::RollingBack,
            RowState::FailedUp,
            RowState::FailedDown,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// One row of the migrations table.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub name: String,
    pub module: String,
    pub batch: i32,
    pub executed_at: NaiveDateTime,
    pub duration_us: i64,
    pub checksum: String,
    pub state: RowState,
    /// Statements that took effect, for a row that is not `applied`.
    pub statements: Vec<String>,
    /// The statement that was running when the process stopped, which may or may not have
    /// taken effect.
    pub pending: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// A row as read, before its text is checked.
#[derive(QueryableByName)]
struct RawRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    module: String,
    #[diesel(sql_type = Integer)]
    batch: i32,
    #[diesel(sql_type = Text)]
    executed_at: String,
    #[diesel(sql_type = BigInt)]
    duration_us: i64,
    #[diesel(sql_type = Text)]
    checksum: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Nullable<Text>)]
    statements: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pending: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
}

/// A row about to be written.
pub(crate) struct NewRow<'a> {
    pub name: &'a str,
    pub module: &'a str,
    pub batch: i32,
    pub executed_at: NaiveDateTime,
    pub duration_us: i64,
    pub checksum: &'a str,
    pub state: RowState,
}

/// How a read treats a table that is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Creates the table, or brings an older one up to date: under the lock, for commands
    /// that write.
    Write,
    /// Changes nothing: an absent table means nothing is applied yet.
    ReadOnly,
}

#[derive(Debug, Clone)]
pub(crate) struct Repository {
    table: String,
}

impl Repository {
    pub fn new(table: impl Into<String>) -> Self {
        Repository {
            table: table.into(),
        }
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Refuses a table name that is not a plain identifier, before anything touches the
    /// database (it names the table, its unique index and the migrator's lock).
    pub fn check_name(&self) -> Result<()> {
        if arte_vocab::is_identifier(&self.table) {
            Ok(())
        } else {
            Err(Error::InvalidMigrationsTable {
                name: self.table.clone(),
            })
        }
    }

    /// Every row, in the order they were written. With [`Access::Write`] the table is
    /// created on first use and an older one gains the journal columns; with
    /// [`Access::ReadOnly`] an absent table reads as empty.
    pub fn rows(&self, db: &mut Db, access: Access) -> Result<Vec<Row>> {
        // One query when the table is there and current, which it nearly always is.
        let error = match self.load(db, true) {
            Ok(rows) => return self.checked_all(rows),
            Err(error) => error,
        };
        let dialect = db.dialect();
        if !dialect.table_exists(db.connection(), &self.table)? {
            if access == Access::Write {
                self.create(db)?;
            }
            return Ok(Vec::new());
        }
        // A table of the first layout, which recorded applied migrations only, reads
        // without the journal columns; anything else is the first error.
        let first_layout = self.load(db, false).map_err(|_| error)?;
        match access {
            Access::Write => {
                self.upgrade(db)?;
                let rows = self.load(db, true)?;
                self.checked_all(rows)
            }
            Access::ReadOnly => self.checked_all(first_layout),
        }
    }

    fn select(&self, db: &Db, journal: bool) -> String {
        let dialect = db.dialect();
        format!(
            "SELECT id, name, module, batch, {} AS executed_at, duration_us, checksum{} FROM {} ORDER BY id",
            dialect.timestamp_text("executed_at"),
            if journal {
                ", state, statements, pending, error"
            } else {
                ", 'applied' AS state, NULL AS statements, NULL AS pending, NULL AS error"
            },
            dialect.quote(&self.table)
        )
    }

    fn load(&self, db: &mut Db, journal: bool) -> Result<Vec<RawRow>> {
        let sql = self.select(db, journal);
        Ok(diesel::sql_query(sql).load(db.connection())?)
    }

    fn checked_all(&self, rows: Vec<RawRow>) -> Result<Vec<Row>> {
        rows.into_iter().map(|row| self.checked(row)).collect()
    }

    /// The row's text made into values; what cannot be read names the table, the row and
    /// the column.
    fn checked(&self, row: RawRow) -> Result<Row> {
        let unreadable = |column: &'static str, value: &str| Error::UnreadableRow {
            table: self.table.clone(),
            id: row.id,
            module: row.module.clone(),
            name: row.name.clone(),
            column,
            value: value.to_owned(),
        };
        let executed_at = parse_timestamp(&row.executed_at)
            .ok_or_else(|| unreadable("executed_at", &row.executed_at))?;
        let state = RowState::parse(&row.state).ok_or_else(|| unreadable("state", &row.state))?;
        Ok(Row {
            executed_at,
            state,
            statements: row
                .statements
                .as_deref()
                .filter(|text| !text.is_empty())
                .map(|text| text.split(SEPARATOR).map(str::to_owned).collect())
                .unwrap_or_default(),
            name: row.name,
            module: row.module,
            batch: row.batch,
            duration_us: row.duration_us,
            checksum: row.checksum,
            pending: row.pending,
            error: row.error,
        })
    }

    fn create(&self, db: &mut Db) -> Result<()> {
        db.schema()
            .create_table(&self.table)
            .if_not_exists()
            .add_id_column()
            .add_column("name", "varchar(255)", |c| c.not_null())
            .add_column("module", "varchar(255)", |c| c.not_null())
            .add_column("batch", "integer", |c| c.not_null())
            .add_column("executed_at", "timestamp", |c| c.not_null())
            .add_column("duration_us", "bigint", |c| c.not_null())
            .add_column("checksum", "varchar(64)", |c| c.not_null())
            .add_column("state", "varchar(16)", |c| c.not_null().default("applied"))
            .add_column("statements", "text", |c| c)
            .add_column("pending", "text", |c| c)
            .add_column("error", "text", |c| c)
            .add_unique(&["module", "name"])
            .execute()?;
        db.take_executed();
        Ok(())
    }

    /// Adds the journal columns to a table of the first layout.
    fn upgrade(&self, db: &mut Db) -> Result<()> {
        db.schema()
            .alter_table(&self.table)
            .add_column("state", "varchar(16)", |c| c.not_null().default("applied"))
            .add_column("statements", "text", |c| c)
            .add_column("pending", "text", |c| c)
            .add_column("error", "text", |c| c)
            .execute()?;
        db.take_executed();
        Ok(())
    }

    pub fn insert(&self, db: &mut Db, row: &NewRow<'_>) -> Result<()> {
        let dialect = db.dialect();
        let values: Vec<String> = (1..=7).map(|n| dialect.placeholder(n)).collect();
        let sql = format!(
            "INSERT INTO {} (name, module, batch, executed_at, duration_us, checksum, state) VALUES ({})",
            dialect.quote(&self.table),
            values.join(", ")
        );
        diesel::sql_query(sql)
            .bind::<Text, _>(row.name)
            .bind::<Text, _>(row.module)
            .bind::<Integer, _>(row.batch)
            .bind::<diesel::sql_types::Timestamp, _>(row.executed_at)
            .bind::<BigInt, _>(row.duration_us)
            .bind::<Text, _>(row.checksum)
            .bind::<Text, _>(row.state.as_str())
            .execute(db.connection())?;
        Ok(())
    }

    /// The row of `module`'s migration `name` after an operation on it: its state, the
    /// statements that took effect, the one that is running, why it failed.
    pub fn journal(
        &self,
        db: &mut Db,
        module: &str,
        name: &str,
        entry: &Journal<'_>,
    ) -> Result<()> {
        self.journal_on(db.connection(), module, name, entry)
    }

    /// [`Repository::journal`] on a bare connection, for the hook that runs before each
    /// statement of a journaled migration.
    pub fn journal_on(
        &self,
        conn: &mut AnyConnection,
        module: &str,
        name: &str,
        entry: &Journal<'_>,
    ) -> Result<()> {
        let dialect = conn.dialect();
        let p = |n| dialect.placeholder(n);
        let sql = format!(
            "UPDATE {} SET state = {}, statements = {}, pending = {}, error = {} WHERE module = {} AND name = {}",
            dialect.quote(&self.table),
            p(1),
            p(2),
            p(3),
            p(4),
            p(5),
            p(6)
        );
        let statements = entry.statements.join(&SEPARATOR.to_string());
        diesel::sql_query(sql)
            .bind::<Text, _>(entry.state.as_str())
            .bind::<Nullable<Text>, _>((!statements.is_empty()).then_some(statements))
            .bind::<Nullable<Text>, _>(entry.pending)
            .bind::<Nullable<Text>, _>(entry.error)
            .bind::<Text, _>(module)
            .bind::<Text, _>(name)
            .execute(conn)?;
        Ok(())
    }

    /// Marks a journaled `up` applied: its time and duration as it ended.
    pub fn complete(
        &self,
        db: &mut Db,
        module: &str,
        name: &str,
        executed_at: NaiveDateTime,
        duration_us: i64,
    ) -> Result<()> {
        let dialect = db.dialect();
        let p = |n| dialect.placeholder(n);
        let sql = format!(
            "UPDATE {} SET state = 'applied', statements = NULL, pending = NULL, error = NULL, executed_at = {}, duration_us = {} WHERE module = {} AND name = {}",
            dialect.quote(&self.table),
            p(1),
            p(2),
            p(3),
            p(4)
        );
        diesel::sql_query(sql)
            .bind::<diesel::sql_types::Timestamp, _>(executed_at)
            .bind::<BigInt, _>(duration_us)
            .bind::<Text, _>(module)
            .bind::<Text, _>(name)
            .execute(db.connection())?;
        Ok(())
    }

    /// Records the migration's current source: `migration:repair` accepting a change.
    pub fn set_checksum(
        &self,
        db: &mut Db,
        module: &str,
        name: &str,
        checksum: &str,
    ) -> Result<()> {
        let dialect = db.dialect();
        let sql = format!(
            "UPDATE {} SET checksum = {} WHERE module = {} AND name = {}",
            dialect.quote(&self.table),
            dialect.placeholder(1),
            dialect.placeholder(2),
            dialect.placeholder(3)
        );
        diesel::sql_query(sql)
            .bind::<Text, _>(checksum)
            .bind::<Text, _>(module)
            .bind::<Text, _>(name)
            .execute(db.connection())?;
        Ok(())
    }

    /// Removes the row of `module`'s migration `name`.
    pub fn delete(&self, db: &mut Db, module: &str, name: &str) -> Result<()> {
        let dialect = db.dialect();
        let sql = format!(
            "DELETE FROM {} WHERE module = {} AND name = {}",
            dialect.quote(&self.table),
            dialect.placeholder(1),
            dialect.placeholder(2)
        );
        diesel::sql_query(sql)
            .bind::<Text, _>(module)
            .bind::<Text, _>(name)
            .execute(db.connection())?;
        Ok(())
    }
}

/// What a journaled row says at one moment.
pub(crate) struct Journal<'a> {
    pub state: RowState,
    pub statements: &'a [String],
    pub pending: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// `2026-01-01 12:00:00`, with or without fractions of a second, with a space or a `T`.
fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_read_in_every_form_the_databases_write() {
        for text in [
            "2026-01-02 03:04:05",
            "2026-01-02 03:04:05.123456",
            "2026-01-02T03:04:05.5",
            " 2026-01-02 03:04:05 ",
        ] {
            assert!(parse_timestamp(text).is_some(), "{text}");
        }
        for text in ["garbage", "", "2026-13-01 00:00:00", "2026-01-02"] {
            assert!(parse_timestamp(text).is_none(), "{text}");
        }
    }

    #[test]
    fn states_round_trip_through_their_text() {
        for state in [
            RowState::Applied,
            RowState::Migrating,
            RowState::RollingBack,
            RowState::FailedUp,
            RowState::FailedDown,
        ] {
            assert_eq!(RowState::parse(state.as_str()), Some(state));
        }
        assert_eq!(RowState::parse("done"), None);
    }
}
