//! SQLite: double-quoted names, transactional DDL, `BEGIN IMMEDIATE`,
//! type affinity, and table rebuilds for what its `ALTER TABLE` cannot say.

#[cfg(feature = "sqlite")]
mod catalog;
#[cfg(feature = "sqlite")]
mod live;
#[cfg(feature = "sqlite")]
mod names;
mod rebuild;
#[cfg(feature = "sqlite")]
mod sql_types;

use super::{Backend, Dialect};
use crate::contract::ColumnKind;
use crate::schema::{AlterAction, ColumnDef, SchemaError, TableDef};
use arte_vocab::ColumnType;

/// SQLite.
pub(crate) struct Sqlite;

impl Dialect for Sqlite {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn display_name(&self) -> &'static str {
        "SQLite"
    }

    fn feature(&self) -> &'static str {
        "sqlite"
    }

    fn schemes(&self) -> &'static [&'static str] {
        &["sqlite", "file"]
    }

    /// A file path (`sqlite://path`, `sqlite:path`) or `:memory:`.
    fn driver_target(&self, _url: &str, rest: &str) -> Result<String, String> {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        if path.is_empty() {
            return Err(
                "it names no file; write `sqlite://path/to/file.sqlite` or `sqlite::memory:`"
                    .into(),
            );
        }
        Ok(path.to_owned())
    }

    fn resolve_relative(&self, target: &str, base: &std::path::Path) -> Option<String> {
        let path = std::path::Path::new(target);
        (target != ":memory:" && !target.starts_with("file:") && path.is_relative())
            .then(|| base.join(path).to_string_lossy().into_owned())
    }

    /// Only in a build with SQLite: without it, a command that only reads would open an
    /// empty in-memory database in a missing file's stead, and the refusal would name that.
    #[cfg(feature = "sqlite")]
    fn exists(&self, url: &crate::DatabaseUrl) -> bool {
        let path = url.expose();
        path == ":memory:" || path.starts_with("file:") || std::path::Path::new(path).exists()
    }

    /// SQLite stores by affinity; the declared name is what tools (and diesel's schema
    /// inference) read back, so it stays close to the user's word. `jsonb` keeps its name
    /// (with `json`'s affinity, numeric): a squash taken on SQLite reads the declared type
    /// back and writes it for every database, where PostgreSQL tells the two apart.
    fn type_name(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "integer".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Boolean => "boolean".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Varchar(n) => format!("varchar({n})"),
            ColumnType::Char(n) => format!("char({n})"),
            ColumnType::Decimal(p, s) => format!("decimal({p}, {s})"),
            ColumnType::Real => "real".into(),
            ColumnType::Double => "double".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time => "time".into(),
            ColumnType::Timestamp => "timestamp".into(),
            ColumnType::TimestampTz => "timestamptz".into(),
            ColumnType::Json => "json".into(),
            ColumnType::Jsonb => "jsonb".into(),
            ColumnType::Uuid => "uuid".into(),
            ColumnType::Blob => "blob".into(),
        }
    }

    /// `json` and `jsonb` are one type here, stored alike: compared as `json`, so that a
    /// column declared `json` before `jsonb` kept its name still matches a `jsonb` contract.
    /// The catalog keeps the declared type itself (`catalog.rs`).
    fn catalog_type(&self, found: &str) -> Option<ColumnType> {
        match ColumnType::parse(found)? {
            ColumnType::Jsonb => Some(ColumnType::Json),
            ty => Some(ty),
        }
    }

    fn id_column(&self, name: &str) -> String {
        format!("{name} integer PRIMARY KEY AUTOINCREMENT NOT NULL")
    }

    /// Never reached: a changed column rebuilds the table ([`Dialect::alter_table`]).
    fn change_column(&self, _alter: &str, _column: &ColumnDef) -> String {
        String::new()
    }

    fn alter_table(
        &self,
        table: &str,
        actions: &[AlterAction],
        live: Option<&TableDef>,
    ) -> Result<Vec<String>, SchemaError> {
        rebuild::alter_table(table, actions, live)
    }

    fn rebuilds(&self, actions: &[AlterAction]) -> bool {
        rebuild::needs_rebuild(actions)
    }

    /// SQLite stores by affinity: every integer is 64-bit, every float a double. Types
    /// without a storage class of their own (dates, JSON, UUIDs) are told by their
    /// declared name.
    fn holds(&self, kind: ColumnKind, ty: &str) -> bool {
        let affinity = affinity(ty);
        let name = super::base_type(ty);
        match kind {
            ColumnKind::SmallInt | ColumnKind::Integer | ColumnKind::BigInt => {
                affinity == Affinity::Integer
            }
            ColumnKind::Float | ColumnKind::Double => affinity == Affinity::Real,
            // diesel keeps a `bool` as an integer on SQLite.
            ColumnKind::Bool => matches!(name, "boolean" | "bool") || affinity == Affinity::Integer,
            ColumnKind::Text => affinity == Affinity::Text,
            ColumnKind::Binary => {
                affinity == Affinity::Blob || matches!(name, "bytea" | "binary" | "varbinary")
            }
            ColumnKind::Date => name == "date",
            ColumnKind::Timestamp => matches!(
                name,
                "timestamp" | "datetime" | "timestamp without time zone"
            ),
            ColumnKind::TimestampUtc => matches!(
                name,
                "timestamptz"
                    | "timestamp with time zone"
                    | "timestamp"
                    | "datetime"
                    | "timestamp without time zone"
            ),
            ColumnKind::Json => matches!(name, "json" | "jsonb"),
            ColumnKind::Uuid => name == "uuid" || affinity == Affinity::Text,
            ColumnKind::Decimal => matches!(name, "decimal" | "numeric"),
        }
    }

    #[cfg(feature = "sqlite")]
    fn ledger_stamp(&self, conn: &mut super::AnyConnection, _table: &str) -> Option<[i64; 3]> {
        live::ledger_stamp(conn)
    }

    fn last_insert_id_sql(&self) -> &'static str {
        "SELECT last_insert_rowid()"
    }

    #[cfg(feature = "sqlite")]
    fn connect(&self, url: &crate::DatabaseUrl) -> crate::Result<super::AnyConnection> {
        live::connect(url)
    }

    #[cfg(feature = "sqlite")]
    fn begin(&self, conn: &mut super::AnyConnection) -> crate::Result<()> {
        live::begin(conn)
    }

    #[cfg(feature = "sqlite")]
    fn try_lock(
        &self,
        conn: &mut super::AnyConnection,
        _name: &str,
        site: &mut super::LockSite,
    ) -> crate::Result<Option<super::Held>> {
        live::try_lock(conn, site)
    }

    #[cfg(feature = "sqlite")]
    fn unlock(
        &self,
        _conn: &mut super::AnyConnection,
        _name: &str,
        _held: super::Held,
        site: &mut super::LockSite,
    ) -> crate::Result<Option<String>> {
        live::unlock(site);
        Ok(None)
    }

    /// SQLite cannot say who holds the lock, only whether somebody does.
    #[cfg(feature = "sqlite")]
    fn lock_holder(
        &self,
        conn: &mut super::AnyConnection,
        _name: &str,
        site: &mut super::LockSite,
    ) -> crate::Result<Option<String>> {
        let free = live::try_lock(conn, site)?.is_some();
        live::unlock(site);
        Ok((!free).then(|| "another process (SQLite does not say which)".to_owned()))
    }

    #[cfg(feature = "sqlite")]
    fn wait_for_writers(
        &self,
        conn: &mut super::AnyConnection,
        wait: std::time::Duration,
    ) -> crate::Result<()> {
        conn.batch_execute(&format!("PRAGMA busy_timeout = {}", wait.as_millis()))
    }

    fn is_busy(&self, error: &crate::Error) -> bool {
        matches!(
            error,
            crate::Error::Statement { .. } | crate::Error::Database(_)
        ) && error.to_string().starts_with("database is locked")
    }

    #[cfg(feature = "sqlite")]
    fn table_exists(&self, conn: &mut super::AnyConnection, table: &str) -> crate::Result<bool> {
        live::table_exists(conn, table)
    }

    #[cfg(feature = "sqlite")]
    fn columns(
        &self,
        conn: &mut super::AnyConnection,
        table: &str,
    ) -> crate::Result<Option<Vec<super::LiveColumn>>> {
        live::columns(conn, table)
    }

    #[cfg(feature = "sqlite")]
    fn read_table(&self, conn: &mut super::AnyConnection, table: &str) -> crate::Result<TableDef> {
        live::read_table(conn, table)
    }

    #[cfg(feature = "sqlite")]
    fn foreign_keys_enforced(&self, conn: &mut super::AnyConnection) -> crate::Result<bool> {
        live::foreign_keys_enforced(conn)
    }

    #[cfg(feature = "sqlite")]
    fn set_foreign_keys(&self, conn: &mut super::AnyConnection, on: bool) -> crate::Result<()> {
        conn.batch_execute(if on {
            "PRAGMA foreign_keys = ON"
        } else {
            "PRAGMA foreign_keys = OFF"
        })
    }

    #[cfg(feature = "sqlite")]
    fn foreign_key_violations(
        &self,
        conn: &mut super::AnyConnection,
    ) -> crate::Result<Vec<String>> {
        live::foreign_key_violations(conn)
    }

    #[cfg(feature = "sqlite")]
    fn change_marks(&self, conn: &mut super::AnyConnection) -> crate::Result<Option<(i64, i64)>> {
        live::change_marks(conn).map(Some)
    }

    /// The stamp is `[total_changes(), data_version, schema_version]`.
    fn change_marks_in_stamp(&self, stamp: [i64; 3]) -> Option<(i64, i64)> {
        Some((stamp[0], stamp[2]))
    }

    /// This connection's counters as followed, and `data_version` as the operation began:
    /// it moves only with other connections' commits, so one made during the operation
    /// makes the next stamp differ (the table is read again), as it should after one made
    /// since.
    fn stamp_after(&self, start: [i64; 3], marks: (i64, i64)) -> Option<[i64; 3]> {
        Some([marks.0, start[1], marks.1])
    }

    /// `data_version` alone: this connection's counters are where the operation left
    /// them, and `PRAGMA data_version` compiles to a few instructions where the whole
    /// stamp's table-valued functions, compiled again after every schema change, cost
    /// ten times as many.
    #[cfg(feature = "sqlite")]
    fn stamp_since(&self, conn: &mut super::AnyConnection, kept: [i64; 3]) -> Option<[i64; 3]> {
        live::data_version(conn).map(|version| [kept[0], version, kept[2]])
    }

    // -- The catalog in arte's terms (`catalog.rs`).

    #[cfg(feature = "sqlite")]
    fn catalog_tables(&self, conn: &mut super::AnyConnection) -> crate::Result<Vec<String>> {
        catalog::tables(conn)
    }

    #[cfg(feature = "sqlite")]
    fn catalog_table(
        &self,
        conn: &mut super::AnyConnection,
        table: &str,
    ) -> crate::Result<Option<super::CatalogTable>> {
        catalog::table(conn, table)
    }
}

/// SQLite's type affinity, by the rules of its documentation (section 3.1 of "Datatypes
/// In SQLite"), in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

fn affinity(ty: &str) -> Affinity {
    let has = |words: &[&str]| words.iter().any(|w| ty.contains(w));
    if has(&["int"]) {
        Affinity::Integer
    } else if has(&["char", "clob", "text"]) {
        Affinity::Text
    } else if has(&["blob"]) || ty.is_empty() {
        Affinity::Blob
    } else if has(&["real", "floa", "doub"]) {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::holds_exactly;
    use super::*;
    use ColumnKind::*;

    #[test]
    fn integers_are_64_bit_and_the_rest_goes_by_declared_name() {
        let b = &Sqlite;
        // Every INTEGER-affinity type holds every integer kind, and bools.
        for ty in [
            "integer",
            "INTEGER",
            "smallint",
            "bigint",
            "int",
            "mediumint",
            "int8",
        ] {
            holds_exactly(b, ty, &[SmallInt, Integer, BigInt, Bool]);
        }
        for ty in ["real", "double", "double precision", "float", "float8"] {
            holds_exactly(b, ty, &[Float, Double]);
        }
        holds_exactly(b, "boolean", &[Bool]);
        for ty in [
            "text",
            "varchar(40)",
            "char(2)",
            "character varying(9)",
            "clob",
        ] {
            holds_exactly(b, ty, &[Text, Uuid]);
        }
        holds_exactly(b, "blob", &[Binary]);
        holds_exactly(b, "", &[Binary]);
        holds_exactly(b, "bytea", &[Binary]);
        holds_exactly(b, "date", &[Date]);
        holds_exactly(b, "timestamp", &[Timestamp, TimestampUtc]);
        holds_exactly(b, "datetime", &[Timestamp, TimestampUtc]);
        holds_exactly(b, "timestamptz", &[TimestampUtc]);
        holds_exactly(b, "json", &[Json]);
        holds_exactly(b, "jsonb", &[Json]);
        holds_exactly(b, "uuid", &[Uuid]);
        // SQLite's own example: "floating point" has INTEGER affinity.
        holds_exactly(b, "floating point", &[SmallInt, Integer, BigInt, Bool]);
        holds_exactly(b, "decimal(10, 2)", &[Decimal]);
        holds_exactly(b, "numeric", &[Decimal]);
    }
}
