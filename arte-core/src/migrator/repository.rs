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

use crate::backend::prepared::{Part, Prepared};
use crate::backend::{AnyConnection, OnOwnConnection};
use crate::db::Db;
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use diesel::RunQueryDsl;
use diesel::connection::DefaultLoadingMode;
use diesel::query_dsl::LoadQuery;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

/// Separates the statements of the `statements` column: the ASCII record separator, which
/// SQL text does not hold.
const SEPARATOR: char = '\u{1e}';

/// The `statements` column's value: the statements joined, or NULL for none.
fn stored(statements: &[String]) -> Option<String> {
    let joined = statements.join(&SEPARATOR.to_string());
    (!joined.is_empty()).then_some(joined)
}

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
    /// What a row that is not `applied` recorded; `None` for nearly every row, which keeps
    /// a row small (the table's rows are read all at once).
    pub journal: Option<Box<JournalText>>,
}

/// The journal's text of a row that is not `applied`.
#[derive(Debug, Clone, Default)]
pub(crate) struct JournalText {
    /// Statements that took effect.
    pub statements: Vec<String>,
    /// The statement that was running when the process stopped, which may or may not have
    /// taken effect.
    pub pending: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

impl Row {
    /// The statements that took effect, for a row that is not `applied`.
    pub fn statements(&self) -> &[String] {
        self.journal
            .as_ref()
            .map_or(&[], |journal| &journal.statements)
    }

    /// The statement that was running when the process stopped.
    pub fn pending(&self) -> Option<&String> {
        self.journal
            .as_ref()
            .and_then(|journal| journal.pending.as_ref())
    }

    /// Why it failed.
    pub fn error(&self) -> Option<&String> {
        self.journal
            .as_ref()
            .and_then(|journal| journal.error.as_ref())
    }
}

/// The columns a read loads, in this order; `executed_at` as the database gives it
/// (`TS`: text on SQLite, which keeps whatever it was given; a timestamp elsewhere). The
/// journal's text (`statements`, `pending`, `error`) is read by a second query, for the
/// rows that are not `applied` only: nearly always there are none.
type RawSql<TS> = (
    BigInt,
    Text,
    Text,
    Integer,
    Text,
    Nullable<Text>,
    TS,
    BigInt,
);

type RawTuple<T> = (i64, String, String, i32, String, Option<String>, T, i64);

/// A row as read, before its text is checked.
struct RawRow<T> {
    id: i64,
    name: String,
    module: String,
    batch: i32,
    checksum: String,
    /// `None` for `applied` (NULL in a table of the first layout, which has no state).
    state: Option<String>,
    executed_at: T,
    duration_us: i64,
}

impl<T> From<RawTuple<T>> for RawRow<T> {
    fn from(
        (id, name, module, batch, checksum, state, executed_at, duration_us): RawTuple<T>,
    ) -> Self {
        RawRow {
            id,
            name,
            module,
            batch,
            checksum,
            state: state.filter(|state| state != RowState::Applied.as_str()),
            executed_at,
            duration_us,
        }
    }
}

/// Rows read and checked, in the order they were written, with their ids in the same
/// order (so, ascending).
struct Checked {
    ids: Vec<i64>,
    rows: Vec<Row>,
}

/// A read of the table: `Err` when the query fails, `Ok(Err)` when a row cannot be read.
type ReadResult = std::result::Result<Result<Checked>, diesel::result::Error>;

/// [`Repository::read`]'s query, run on the backend's own connection. `executed_at` is
/// read as text on SQLite, where the column holds whatever it was given (and parsed by
/// arte), elsewhere as the timestamp it is.
struct LedgerRead<'r, 'q> {
    repository: &'r Repository,
    parts: Vec<Part<'q>>,
}

impl OnOwnConnection for LedgerRead<'_, '_> {
    type Output = ReadResult;

    #[cfg(feature = "sqlite")]
    fn sqlite(self, conn: &mut diesel::SqliteConnection) -> ReadResult {
        self.repository.read_on::<_, Text, String>(conn, self.parts)
    }

    #[cfg(feature = "postgres")]
    fn postgres(self, conn: &mut diesel::PgConnection) -> ReadResult {
        self.repository
            .read_on::<_, diesel::sql_types::Timestamp, NaiveDateTime>(conn, self.parts)
    }

    #[cfg(feature = "mysql")]
    fn mysql(self, conn: &mut diesel::MysqlConnection) -> ReadResult {
        self.repository
            .read_on::<_, diesel::sql_types::Timestamp, NaiveDateTime>(conn, self.parts)
    }
}

/// The journal's text of a row that is not `applied`: its id, the statements that took
/// effect, the one running, the error.
type JournalSql = (BigInt, Nullable<Text>, Nullable<Text>, Nullable<Text>);

type JournalTuple = (i64, Option<String>, Option<String>, Option<String>);

/// `executed_at` as read: a timestamp, or text to parse.
trait ExecutedAt {
    /// The time, or the text that is not one.
    fn time(&self) -> std::result::Result<NaiveDateTime, String>;
}

impl ExecutedAt for NaiveDateTime {
    fn time(&self) -> std::result::Result<NaiveDateTime, String> {
        Ok(*self)
    }
}

impl ExecutedAt for String {
    fn time(&self) -> std::result::Result<NaiveDateTime, String> {
        parse_timestamp(self).ok_or_else(|| self.clone())
    }
}

/// A row about to be written.
#[derive(Clone, Copy)]
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
        let error = match self.read(db, true) {
            Ok(rows) => return self.with_journals(db, rows?),
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
        let first_layout = self.read(db, false).map_err(|_| error)??;
        match access {
            Access::Write => {
                self.upgrade(db)?;
                let rows = self.read(db, true)??;
                self.with_journals(db, rows)
            }
            Access::ReadOnly => self.with_journals(db, first_layout),
        }
    }

    /// The rows checked, in the order they were written: `Err` when the query fails (the
    /// table may be absent or of the first layout), `Ok(Err)` when a row cannot be read.
    /// Read in the key's order or the table's (`Dialect::ledger_read_as_stored`), which on
    /// PostgreSQL is that order until a row is updated, then put in order by id.
    ///
    /// The rows are decoded by the backend's own connection ([`LedgerRead`]): through
    /// `MultiBackend`, 1,000 rows took 0.1 ms more of a 1.1 ms read on MariaDB.
    fn read(&self, db: &mut Db, journal: bool) -> ReadResult {
        let as_stored = db.dialect().ledger_read_as_stored();
        let state = match (journal, as_stored) {
            (false, _) => ", NULL AS state, ",
            (true, true) => ", state, ",
            (true, false) => ", NULLIF(state, 'applied') AS state, ",
        };
        let order = if as_stored { "" } else { " ORDER BY id" };
        let parts = vec![
            Part::Sql("SELECT id, name, module, batch, checksum"),
            Part::Sql(state),
            Part::Sql("executed_at, duration_us FROM "),
            Part::Table(&self.table),
            Part::Sql(order),
        ];
        db.connection().on_own(LedgerRead {
            repository: self,
            parts,
        })
    }

    /// [`Repository::read`] on one backend's connection, `executed_at` of SQL type `TS`
    /// read as `T`. Each row is checked as it comes from the database, into the one
    /// vector kept.
    fn read_on<'q, C, TS, T>(&self, conn: &mut C, parts: Vec<Part<'q>>) -> ReadResult
    where
        C: diesel::Connection,
        T: ExecutedAt + 'static,
        Prepared<'q, RawSql<TS>>: LoadQuery<'q, C, RawTuple<T>, DefaultLoadingMode>,
    {
        let rows = Prepared::<RawSql<TS>>::new(parts)
            .load_iter::<RawTuple<T>, DefaultLoadingMode>(conn)?;
        let mut checked = Checked {
            ids: Vec::with_capacity(rows.size_hint().0),
            rows: Vec::with_capacity(rows.size_hint().0),
        };
        for row in rows {
            let row = RawRow::from(row?);
            checked.ids.push(row.id);
            match self.checked(row) {
                Ok(row) => checked.rows.push(row),
                Err(error) => return Ok(Err(error)),
            }
        }
        if !checked.ids.is_sorted() {
            let mut pairs: Vec<(i64, Row)> = checked.ids.into_iter().zip(checked.rows).collect();
            pairs.sort_by_key(|&(id, _)| id);
            (checked.ids, checked.rows) = pairs.into_iter().unzip();
        }
        Ok(Ok(checked))
    }

    /// The rows, those that are not `applied` with their journal's text, read by a second
    /// query (a table of the first layout, read with a NULL state, has none).
    fn with_journals(&self, db: &mut Db, checked: Checked) -> Result<Vec<Row>> {
        let Checked { ids, mut rows } = checked;
        if rows.iter().any(|row| row.state != RowState::Applied) {
            self.add_journals(db, &mut rows, &ids)?;
        }
        Ok(rows)
    }

    /// Reads the journal's text of the rows that are not `applied` into `rows`, whose ids
    /// are `ids`, in the same (ascending) order.
    fn add_journals(&self, db: &mut Db, rows: &mut [Row], ids: &[i64]) -> Result<()> {
        let journals: Vec<JournalTuple> = Prepared::<JournalSql>::new(vec![
            Part::Sql("SELECT id, statements, pending, error FROM "),
            Part::Table(&self.table),
            Part::Sql(" WHERE state <> 'applied'"),
        ])
        .load(db.connection())?;
        for (id, statements, pending, error) in journals {
            // A row written, or left unfinished, since the first read: the next read shows it.
            let Some(row) = ids
                .binary_search(&id)
                .ok()
                .and_then(|at| rows.get_mut(at))
                .filter(|row| row.state != RowState::Applied)
            else {
                continue;
            };
            row.journal = Some(Box::new(JournalText {
                statements: statements
                    .as_deref()
                    .filter(|text| !text.is_empty())
                    .map(|text| text.split(SEPARATOR).map(str::to_owned).collect())
                    .unwrap_or_default(),
                pending,
                error,
            }));
        }
        Ok(())
    }

    /// The row's text made into values; what cannot be read names the table, the row and
    /// the column.
    fn checked<T: ExecutedAt>(&self, row: RawRow<T>) -> Result<Row> {
        let unreadable = |column: &'static str, value: &str| Error::UnreadableRow {
            table: self.table.clone(),
            id: row.id,
            module: row.module.clone(),
            name: row.name.clone(),
            column,
            value: value.to_owned(),
        };
        let executed_at = row
            .executed_at
            .time()
            .map_err(|text| unreadable("executed_at", &text))?;
        let state = match &row.state {
            None => RowState::Applied,
            Some(text) => RowState::parse(text).ok_or_else(|| unreadable("state", text))?,
        };
        Ok(Row {
            executed_at,
            state,
            name: row.name,
            module: row.module,
            batch: row.batch,
            duration_us: row.duration_us,
            checksum: row.checksum,
            journal: None,
        })
    }

    /// The table's stamp now (see [`Dialect::ledger_stamp`](crate::backend::Dialect)):
    /// `None` where the database has none, or the table cannot be read.
    pub fn stamp(&self, db: &mut Db) -> Option<[i64; 3]> {
        let dialect = db.dialect();
        dialect.ledger_stamp(db.connection(), &dialect.quote(&self.table))
    }

    /// The server's quiet mark now (see
    /// [`Dialect::quiet_mark_sql`](crate::backend::Dialect)): `None` where it has none, or
    /// it cannot be read.
    pub fn quiet_mark(&self, db: &mut Db) -> Option<String> {
        let sql = db.dialect().quiet_mark_sql()?;
        Prepared::<Text>::new(vec![Part::Sql(sql)])
            .get_result(db.connection())
            .ok()
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

    /// Writes a row, with the statements that took effect and the one running for a
    /// journaled migration; returns how many rows changed (one).
    pub fn insert(
        &self,
        conn: &mut AnyConnection,
        row: &NewRow<'_>,
        statements: &[String],
        pending: Option<&str>,
    ) -> Result<usize> {
        let statements = stored(statements);
        let query = Prepared::<()>::new(vec![
            Part::Sql("INSERT INTO "),
            Part::Table(&self.table),
            Part::Sql(
                " (name, module, batch, executed_at, duration_us, checksum, state, statements, pending) VALUES (",
            ),
            Part::Text(row.name),
            Part::Sql(", "),
            Part::Text(row.module),
            Part::Sql(", "),
            Part::Int(row.batch),
            Part::Sql(", "),
            Part::Time(row.executed_at),
            Part::Sql(", "),
            Part::BigInt(row.duration_us),
            Part::Sql(", "),
            Part::Text(row.checksum),
            Part::Sql(", "),
            Part::Text(row.state.as_str()),
            Part::Sql(", "),
            Part::MaybeText(statements.as_deref()),
            Part::Sql(", "),
            Part::MaybeText(pending),
            Part::Sql(")"),
        ]);
        Ok(query.run(conn)?)
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
        let statements = stored(entry.statements);
        Prepared::<()>::new(vec![
            Part::Sql("UPDATE "),
            Part::Table(&self.table),
            Part::Sql(" SET state = "),
            Part::Text(entry.state.as_str()),
            Part::Sql(", statements = "),
            Part::MaybeText(statements.as_deref()),
            Part::Sql(", pending = "),
            Part::MaybeText(entry.pending),
            Part::Sql(", error = "),
            Part::MaybeText(entry.error),
            Part::Sql(" WHERE module = "),
            Part::Text(module),
            Part::Sql(" AND name = "),
            Part::Text(name),
        ])
        .run(conn)?;
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
        Prepared::<()>::new(vec![
            Part::Sql("UPDATE "),
            Part::Table(&self.table),
            Part::Sql(
                " SET state = 'applied', statements = NULL, pending = NULL, error = NULL, executed_at = ",
            ),
            Part::Time(executed_at),
            Part::Sql(", duration_us = "),
            Part::BigInt(duration_us),
            Part::Sql(" WHERE module = "),
            Part::Text(module),
            Part::Sql(" AND name = "),
            Part::Text(name),
        ])
        .run(db.connection())?;
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
        Prepared::<()>::new(vec![
            Part::Sql("UPDATE "),
            Part::Table(&self.table),
            Part::Sql(" SET checksum = "),
            Part::Text(checksum),
            Part::Sql(" WHERE module = "),
            Part::Text(module),
            Part::Sql(" AND name = "),
            Part::Text(name),
        ])
        .run(db.connection())?;
        Ok(())
    }

    /// The state of the row of `module`'s migration `name`, as the connection sees it now;
    /// `None` where there is none.
    pub fn state_of(&self, db: &mut Db, module: &str, name: &str) -> Result<Option<RowState>> {
        let states: Vec<String> = Prepared::<Text>::new(vec![
            Part::Sql("SELECT state FROM "),
            Part::Table(&self.table),
            Part::Sql(" WHERE module = "),
            Part::Text(module),
            Part::Sql(" AND name = "),
            Part::Text(name),
        ])
        .load(db.connection())?;
        Ok(states.first().and_then(|state| RowState::parse(state)))
    }

    /// Removes the row of `module`'s migration `name`; returns how many rows changed.
    pub fn delete(&self, db: &mut Db, module: &str, name: &str) -> Result<usize> {
        Ok(Prepared::<()>::new(vec![
            Part::Sql("DELETE FROM "),
            Part::Table(&self.table),
            Part::Sql(" WHERE module = "),
            Part::Text(module),
            Part::Sql(" AND name = "),
            Part::Text(name),
        ])
        .run(db.connection())?)
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
    fast_timestamp(text).or_else(|| {
        let text = text.trim();
        ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    })
}

/// The usual form, `YYYY-MM-DD HH:MM:SS[.ffffff]`, read without a format string: `status`
/// reads one per migration.
fn fast_timestamp(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b' ' {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let mut nanos = 0;
    if bytes.len() > 19 {
        let fraction = &bytes[20..];
        if bytes[19] != b'.' || fraction.is_empty() || fraction.len() > 9 {
            return None;
        }
        nanos = number(20..bytes.len())? * 10u32.pow(9 - fraction.len() as u32);
    }
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    date.and_hms_nano_opt(number(11..13)?, number(14..16)?, number(17..19)?, nanos)
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
        for (text, chrono_format) in [
            ("2026-01-02 03:04:05", "%Y-%m-%d %H:%M:%S"),
            ("2026-01-02 03:04:05.123456", "%Y-%m-%d %H:%M:%S%.f"),
            ("2026-12-31 23:59:59.5", "%Y-%m-%d %H:%M:%S%.f"),
            ("2024-02-29 00:00:00.000000001", "%Y-%m-%d %H:%M:%S%.f"),
        ] {
            assert_eq!(
                fast_timestamp(text),
                NaiveDateTime::parse_from_str(text, chrono_format).ok(),
                "{text}"
            );
        }
        for text in [
            "2026-02-30 00:00:00",
            "2026-01-02 03:04:05.",
            "2026-01-02 03:04:05x1",
        ] {
            assert!(fast_timestamp(text).is_none(), "{text}");
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
