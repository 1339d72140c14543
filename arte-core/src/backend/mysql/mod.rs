//! MySQL and MariaDB: backquoted names, backslash escapes, DDL that
//! commits by itself, named locks, `information_schema` for the catalog.

#[cfg(feature = "mysql")]
mod catalog;
#[cfg(feature = "mysql")]
mod galera;
#[cfg(feature = "mysql")]
mod live;
#[cfg(feature = "mysql")]
mod sql_types;

#[cfg(feature = "mysql")]
pub(crate) use galera::Lease;

use super::{Backend, Dialect};
use crate::contract::ColumnKind;
use crate::schema::render::column_sql;
use crate::schema::{Action, ColumnDef, DeclaredType};
use arte_vocab::ColumnType;

/// MySQL and MariaDB.
pub(crate) struct Mysql;

impl Dialect for Mysql {
    fn backend(&self) -> Backend {
        Backend::Mysql
    }

    fn display_name(&self) -> &'static str {
        "MySQL/MariaDB"
    }

    fn feature(&self) -> &'static str {
        "mysql"
    }

    fn schemes(&self) -> &'static [&'static str] {
        &["mysql", "mariadb"]
    }

    /// The driver knows the `mysql:` scheme only; `mariadb://` says the same.
    fn driver_target(&self, url: &str, rest: &str) -> Result<String, String> {
        crate::url::require_database(url, "mysql://user@localhost:3306/app")?;
        Ok(format!("mysql:{rest}"))
    }

    fn quote_into(&self, out: &mut String, name: &str) {
        out.push('`');
        out.push_str(name);
        out.push('`');
    }

    /// Quotes doubled, and backslashes too, which escape on MySQL.
    fn string_literal(&self, text: &str) -> String {
        format!("'{}'", text.replace('\'', "''").replace('\\', "\\\\"))
    }

    fn type_name(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "smallint".into(),
            ColumnType::Integer => "int".into(),
            ColumnType::BigInt => "bigint".into(),
            ColumnType::Boolean => "tinyint(1)".into(),
            ColumnType::Text => "text".into(),
            ColumnType::Varchar(n) => format!("varchar({n})"),
            ColumnType::Char(n) => format!("char({n})"),
            ColumnType::Decimal(p, s) => format!("decimal({p}, {s})"),
            ColumnType::Real => "float".into(),
            ColumnType::Double => "double".into(),
            ColumnType::Date => "date".into(),
            ColumnType::Time => "time".into(),
            // `datetime` has no time zone and no 2038 limit. A `timestamptz` is UTC as arte
            // writes it (the session runs in UTC), with microseconds: `timestamp` would lose
            // every moment outside 1970–2038 and the fraction.
            ColumnType::Timestamp => "datetime".into(),
            ColumnType::TimestampTz => "datetime(6)".into(),
            ColumnType::Json | ColumnType::Jsonb => "json".into(),
            ColumnType::Uuid => "char(36)".into(),
            ColumnType::Blob => "longblob".into(),
        }
    }

    fn id_column(&self, name: &str) -> String {
        format!("{name} bigint NOT NULL AUTO_INCREMENT PRIMARY KEY")
    }

    /// MySQL makes some types NOT NULL unless told; say it.
    fn nullable_clause(&self) -> &'static str {
        " NULL"
    }

    fn rename_table(&self, from: &str, to: &str) -> String {
        format!("RENAME TABLE {} TO {}", self.quote(from), self.quote(to))
    }

    fn drop_index(&self, table: &str, name: &str, if_exists: bool) -> String {
        let exists = if if_exists { "IF EXISTS " } else { "" };
        format!(
            "DROP INDEX {exists}{} ON {}",
            self.quote(name),
            self.quote(table)
        )
    }

    /// A `datetime(6)` (`timestamptz`) takes the current time with its microseconds:
    /// MySQL refuses a plain `CURRENT_TIMESTAMP` there, MariaDB takes either.
    fn now_for(&self, ty: &DeclaredType) -> Option<&'static str> {
        matches!(ty, DeclaredType::Known(ColumnType::TimestampTz)).then_some("CURRENT_TIMESTAMP(6)")
    }

    fn change_column(&self, alter: &str, column: &ColumnDef) -> String {
        format!("{alter} MODIFY COLUMN {}", column_sql(self, column))
    }

    fn drop_foreign_key(&self, alter: &str, name: &str) -> String {
        format!("{alter} DROP FOREIGN KEY {}", self.quote(name))
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    /// Once any DDL ran, everything before the failure was committed (DDL commits the open
    /// transaction).
    fn took_effect(&self, executed: Vec<String>) -> Vec<String> {
        let ddl = |sql: &String| {
            let first = sql
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            matches!(
                first.as_str(),
                "CREATE" | "ALTER" | "DROP" | "RENAME" | "TRUNCATE"
            )
        };
        if executed.iter().any(ddl) {
            executed
        } else {
            Vec::new()
        }
    }

    /// By `COLUMN_TYPE`: `int(11) unsigned`, `tinyint(1)`, `char(36)`.
    fn holds(&self, kind: ColumnKind, ty: &str) -> bool {
        let name_end = ty.find(['(', ' ']).unwrap_or(ty.len());
        let name = &ty[..name_end];
        let rest = &ty[name_end..];
        let (args, attributes) = match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
            Some((args, attributes)) => (Some(args.trim()), attributes),
            None => (None, rest),
        };
        // An unsigned column holds values its signed Rust type of the same width does not.
        let signed = !attributes.split_whitespace().any(|a| a == "unsigned");
        match kind {
            ColumnKind::SmallInt => name == "smallint" && signed,
            ColumnKind::Integer => {
                matches!(name, "int" | "integer") && signed || name == "mediumint"
            }
            ColumnKind::BigInt => name == "bigint" && signed,
            ColumnKind::Float => name == "float",
            ColumnKind::Double => matches!(name, "double" | "real"),
            ColumnKind::Bool => {
                matches!(name, "bool" | "boolean")
                    || name == "tinyint" && args == Some("1") && signed
            }
            ColumnKind::Text => matches!(
                name,
                "text" | "varchar" | "char" | "tinytext" | "mediumtext" | "longtext"
            ),
            ColumnKind::Binary => matches!(
                name,
                "blob" | "tinyblob" | "mediumblob" | "longblob" | "binary" | "varbinary"
            ),
            ColumnKind::Date => name == "date",
            ColumnKind::Timestamp => name == "datetime",
            // arte writes `datetime(6)` in UTC; a `timestamp` of a table made before holds
            // UTC too, read in the session's UTC.
            ColumnKind::TimestampUtc => matches!(name, "datetime" | "timestamp"),
            // MariaDB's `json` is `longtext` with a check, and its catalog says `longtext`.
            ColumnKind::Json => matches!(name, "json" | "longtext"),
            // MariaDB 10.7 and later have a `uuid` type.
            ColumnKind::Uuid => name == "char" && args == Some("36") || name == "uuid",
            ColumnKind::Decimal => matches!(name, "decimal" | "numeric"),
        }
    }

    #[cfg(feature = "mysql")]
    fn ledger_stamp(&self, conn: &mut super::AnyConnection, table: &str) -> Option<[i64; 3]> {
        live::ledger_stamp(conn, table)
    }

    fn last_insert_id_sql(&self) -> &'static str {
        "SELECT CAST(LAST_INSERT_ID() AS SIGNED)"
    }

    #[cfg(feature = "mysql")]
    fn connect(&self, url: &crate::DatabaseUrl) -> crate::Result<super::AnyConnection> {
        live::connect(url)
    }

    #[cfg(feature = "mysql")]
    fn read_only(&self, conn: &mut super::AnyConnection, on: bool) -> crate::Result<()> {
        conn.batch_execute(if on {
            "SET SESSION TRANSACTION READ ONLY"
        } else {
            "SET SESSION TRANSACTION READ WRITE"
        })
    }

    #[cfg(feature = "mysql")]
    fn try_lock(
        &self,
        conn: &mut super::AnyConnection,
        name: &str,
        _site: &mut super::LockSite,
    ) -> crate::Result<Option<super::Held>> {
        live::try_lock(conn, name)
    }

    #[cfg(feature = "mysql")]
    fn unlock(
        &self,
        conn: &mut super::AnyConnection,
        name: &str,
        held: super::Held,
        _site: &mut super::LockSite,
    ) -> crate::Result<Option<String>> {
        live::unlock(conn, name, held).map(|()| None)
    }

    #[cfg(feature = "mysql")]
    fn lock_holder(
        &self,
        conn: &mut super::AnyConnection,
        name: &str,
        _site: &mut super::LockSite,
    ) -> crate::Result<Option<String>> {
        live::lock_holder(conn, name)
    }

    #[cfg(feature = "mysql")]
    fn columns(
        &self,
        conn: &mut super::AnyConnection,
        table: &str,
    ) -> crate::Result<Option<Vec<super::LiveColumn>>> {
        live::columns(conn, table)
    }

    // -- The catalog in arte's terms (`catalog.rs`), and scratch databases.

    /// `COLUMN_TYPE`'s words: display widths (`int(11)`), `tinyint(1)` for booleans,
    /// MariaDB's `longtext` for JSON.
    fn catalog_type(&self, found: &str) -> Option<ColumnType> {
        let name_end = found.find(['(', ' ']).unwrap_or(found.len());
        let name = &found[..name_end];
        let rest = &found[name_end..];
        let (args, attributes) = match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
            Some((args, attributes)) => (Some(args.trim()), attributes),
            None => (None, rest),
        };
        if !attributes.trim().is_empty() {
            // `unsigned`, `zerofill`: not a type arte writes.
            return None;
        }
        match name {
            "tinyint" if args == Some("1") => Some(ColumnType::Boolean),
            "smallint" => Some(ColumnType::SmallInt),
            "int" | "integer" => Some(ColumnType::Integer),
            "bigint" => Some(ColumnType::BigInt),
            "float" => Some(ColumnType::Real),
            "double" => Some(ColumnType::Double),
            // What arte writes for `timestamptz`, and what it wrote before.
            "datetime" if args == Some("6") => Some(ColumnType::TimestampTz),
            "timestamp" => Some(ColumnType::TimestampTz),
            "datetime" => Some(ColumnType::Timestamp),
            "blob" | "longblob" => Some(ColumnType::Blob),
            // MariaDB's `json` is `longtext` with a check.
            "json" | "longtext" => Some(ColumnType::Json),
            _ => ColumnType::parse(found),
        }
    }

    #[cfg(feature = "mysql")]
    fn refuse_on_live(
        &self,
        conn: &mut super::AnyConnection,
        statement: &crate::schema::Statement,
    ) -> crate::Result<()> {
        catalog::refuse_needed_index(self, conn, statement)
    }

    /// InnoDB takes `SET DEFAULT` and acts as `RESTRICT` (MariaDB's catalog then says
    /// `RESTRICT`).
    fn carries_out(&self, action: Action) -> bool {
        action != Action::SetDefault
    }

    fn foreign_key_leaves_index(&self) -> bool {
        true
    }

    /// Unique constraints are indexes.
    fn drop_unique(&self, alter: &str, _table: &str, name: &str) -> Vec<String> {
        vec![format!("{alter} DROP INDEX {}", self.quote(name))]
    }

    #[cfg(feature = "mysql")]
    fn catalog_tables(&self, conn: &mut super::AnyConnection) -> crate::Result<Vec<String>> {
        catalog::tables(conn)
    }

    #[cfg(feature = "mysql")]
    fn catalog_table(
        &self,
        conn: &mut super::AnyConnection,
        table: &str,
    ) -> crate::Result<Option<super::CatalogTable>> {
        catalog::table(self, conn, table)
    }

    #[cfg(feature = "mysql")]
    fn scratch_on_server(&self) -> bool {
        true
    }

    #[cfg(feature = "mysql")]
    fn create_scratch(
        &self,
        conn: &mut super::AnyConnection,
        url: &crate::DatabaseUrl,
        name: &str,
    ) -> crate::Result<crate::DatabaseUrl> {
        catalog::create_database(conn, name)?;
        url.with_database(name)
    }

    #[cfg(feature = "mysql")]
    fn drop_scratch(&self, conn: &mut super::AnyConnection, name: &str) -> crate::Result<()> {
        catalog::drop_database(conn, name)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::holds_exactly;
    use super::*;
    use ColumnKind::*;

    #[test]
    fn width_and_sign_come_from_the_column_type() {
        let b = &Mysql;
        // MariaDB shows display widths; MySQL 8 drops them but for `tinyint(1)`.
        for ty in ["smallint(6)", "smallint"] {
            holds_exactly(b, ty, &[SmallInt]);
        }
        for ty in ["int(11)", "int", "mediumint(9)", "mediumint(8) unsigned"] {
            holds_exactly(b, ty, &[Integer]);
        }
        for ty in ["bigint(20)", "bigint"] {
            holds_exactly(b, ty, &[BigInt]);
        }
        for ty in [
            "smallint(5) unsigned",
            "int(10) unsigned",
            "bigint(20) unsigned",
            "int(10) unsigned zerofill",
        ] {
            holds_exactly(b, ty, &[]);
        }
        holds_exactly(b, "float", &[Float]);
        holds_exactly(b, "double", &[Double]);
        holds_exactly(b, "tinyint(1)", &[Bool]);
        holds_exactly(b, "tinyint(4)", &[]);
        holds_exactly(b, "tinyint(1) unsigned", &[]);
        for ty in ["text", "varchar(40)", "tinytext", "mediumtext", "char(2)"] {
            holds_exactly(b, ty, &[Text]);
        }
        // MariaDB reports `json` as `longtext`.
        holds_exactly(b, "longtext", &[Text, Json]);
        holds_exactly(b, "json", &[Json]);
        holds_exactly(b, "char(36)", &[Text, Uuid]);
        holds_exactly(b, "uuid", &[Uuid]);
        for ty in [
            "longblob",
            "blob",
            "mediumblob",
            "varbinary(16)",
            "binary(16)",
        ] {
            holds_exactly(b, ty, &[Binary]);
        }
        holds_exactly(b, "date", &[Date]);
        holds_exactly(b, "datetime", &[Timestamp, TimestampUtc]);
        holds_exactly(b, "datetime(6)", &[Timestamp, TimestampUtc]);
        holds_exactly(b, "timestamp", &[TimestampUtc]);
        holds_exactly(b, "decimal(10,2)", &[Decimal]);
    }

    #[test]
    fn a_utc_moment_is_a_datetime_of_microseconds_and_a_timestamp_made_before_is_one_too() {
        let b = &Mysql;
        assert_eq!(b.type_name(ColumnType::TimestampTz), "datetime(6)");
        assert_eq!(b.type_name(ColumnType::Timestamp), "datetime");
        assert_eq!(b.catalog_type("datetime(6)"), Some(ColumnType::TimestampTz));
        assert_eq!(b.catalog_type("timestamp"), Some(ColumnType::TimestampTz));
        assert_eq!(b.catalog_type("datetime"), Some(ColumnType::Timestamp));
        assert_eq!(b.catalog_type("datetime(3)"), Some(ColumnType::Timestamp));
    }
}
