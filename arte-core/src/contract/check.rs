//! Proof that the database matches the code: every registered contract compared with the
//! live table.

#[path = "catalog.rs"]
mod catalog;

use super::{ColumnKind, TableContract};
use crate::db::Db;
use crate::error::Result;
use crate::url::Backend;
use std::fmt;

/// One way a live table differs from its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// The contract's table is not in the database.
    MissingTable {
        /// The table.
        table: String,
    },
    /// A column of the contract is not in the table.
    MissingColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The mixin that brings it (`timestamps`, `soft_delete`), if any.
        mixin: Option<&'static str>,
    },
    /// The table has a column the contract does not declare.
    ExtraColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The database's type for it.
        found: String,
    },
    /// The column's type cannot hold the contract's Rust type.
    IncompatibleType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What the contract declares.
        expected: ColumnKind,
        /// The database's type.
        found: String,
    },
    /// The contract and the table disagree on `NULL`.
    Nullability {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Whether the contract says `Option<T>`.
        contract_nullable: bool,
    },
}

impl Difference {
    /// The table the difference is in.
    pub fn table(&self) -> &str {
        match self {
            Difference::MissingTable { table }
            | Difference::MissingColumn { table, .. }
            | Difference::ExtraColumn { table, .. }
            | Difference::IncompatibleType { table, .. }
            | Difference::Nullability { table, .. } => table,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::MissingTable { table } => write!(
                f,
                "table `{table}` is missing from the database; run the migration that creates it"
            ),
            Difference::MissingColumn {
                table,
                column,
                mixin: Some(mixin),
            } => write!(
                f,
                "`{table}.{column}` is missing, but the contract's `{mixin}` needs it; add the column in a migration"
            ),
            Difference::MissingColumn {
                table,
                column,
                mixin: None,
            } => write!(
                f,
                "`{table}.{column}` is missing from the database; add it in a migration or remove the field"
            ),
            Difference::ExtraColumn {
                table,
                column,
                found,
            } => write!(
                f,
                "`{table}.{column}` ({found}) is in the database but not in the contract; add the field or drop the column"
            ),
            Difference::IncompatibleType {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "`{table}.{column}` is `{found}` in the database, which cannot hold the contract's `{}`; change the column or the field",
                expected.rust_type()
            ),
            Difference::Nullability {
                table,
                column,
                contract_nullable: true,
            } => write!(
                f,
                "`{table}.{column}` is NOT NULL in the database, but the contract says `Option`; make one match the other"
            ),
            Difference::Nullability {
                table,
                column,
                contract_nullable: false,
            } => write!(
                f,
                "`{table}.{column}` accepts NULL in the database, but the contract's field is not an `Option`; make one match the other"
            ),
        }
    }
}

/// Compares each contract with the live database; an empty list means they match.
///
/// The differences come in a stable order: contracts by table; for each, its columns in
/// contract order (missing, then type, then nullability), then the table's extra columns in
/// table order. A missing table is reported alone.
pub fn check(db: &mut Db, contracts: &[&TableContract]) -> Result<Vec<Difference>> {
    let backend = db.backend();
    // Column names are case-insensitive on SQLite and MySQL; PostgreSQL keeps quoted case.
    let same = |a: &str, b: &str| match backend {
        Backend::Postgres => a == b,
        Backend::Sqlite | Backend::Mysql => a.eq_ignore_ascii_case(b),
    };
    let mut contracts = contracts.to_vec();
    contracts.sort_by_key(|c| c.table);
    let mut differences = Vec::new();
    for contract in contracts {
        let table = || contract.table.to_owned();
        let Some(live) = catalog::columns(db, contract.table)? else {
            differences.push(Difference::MissingTable { table: table() });
            continue;
        };
        for column in contract.columns {
            let Some(found) = live.iter().find(|l| same(&l.name, column.name)) else {
                differences.push(Difference::MissingColumn {
                    table: table(),
                    column: column.name.to_owned(),
                    mixin: column.mixin,
                });
                continue;
            };
            if !compatible(backend, column.kind, &found.found) {
                differences.push(Difference::IncompatibleType {
                    table: table(),
                    column: column.name.to_owned(),
                    expected: column.kind,
                    found: found.found.clone(),
                });
            }
            if found.nullable != column.nullable {
                differences.push(Difference::Nullability {
                    table: table(),
                    column: column.name.to_owned(),
                    contract_nullable: column.nullable,
                });
            }
        }
        for extra in live
            .iter()
            .filter(|l| !contract.columns.iter().any(|c| same(&l.name, c.name)))
        {
            differences.push(Difference::ExtraColumn {
                table: table(),
                column: extra.name.clone(),
                found: extra.found.clone(),
            });
        }
    }
    Ok(differences)
}

/// Whether a column of type `found` (as the catalog reports it) holds every value of
/// `kind`, and diesel reads it as that kind. Integer widths must match where the database
/// has them: an `i64` does not fit an `integer`, and diesel refuses an `i32` from a `bigint`.
fn compatible(backend: Backend, kind: ColumnKind, found: &str) -> bool {
    let ty = found
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    match backend {
        Backend::Sqlite => sqlite_holds(kind, &ty),
        Backend::Postgres => postgres_holds(kind, &ty),
        Backend::Mysql => mysql_holds(kind, &ty),
    }
}

/// The type's name without its arguments: `character varying(40)` is `character varying`.
fn base(ty: &str) -> &str {
    ty.split_once('(').map_or(ty, |(name, _)| name).trim()
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

/// SQLite stores by affinity: every integer is 64-bit, every float a double. Types without
/// a storage class of their own (dates, JSON, UUIDs) are told by their declared name.
fn sqlite_holds(kind: ColumnKind, ty: &str) -> bool {
    let affinity = affinity(ty);
    let name = base(ty);
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
    }
}

/// PostgreSQL, by `data_type` (or `udt_name`).
fn postgres_holds(kind: ColumnKind, ty: &str) -> bool {
    let name = base(ty);
    match kind {
        ColumnKind::SmallInt => matches!(name, "smallint" | "int2"),
        ColumnKind::Integer => matches!(name, "integer" | "int" | "int4"),
        ColumnKind::BigInt => matches!(name, "bigint" | "int8"),
        ColumnKind::Float => matches!(name, "real" | "float4"),
        ColumnKind::Double => matches!(name, "double precision" | "float8"),
        ColumnKind::Bool => matches!(name, "boolean" | "bool"),
        ColumnKind::Text => matches!(
            name,
            "text" | "character varying" | "varchar" | "character" | "char" | "bpchar" | "citext"
        ),
        ColumnKind::Binary => name == "bytea",
        ColumnKind::Date => name == "date",
        ColumnKind::Timestamp => matches!(name, "timestamp without time zone" | "timestamp"),
        ColumnKind::TimestampUtc => matches!(name, "timestamp with time zone" | "timestamptz"),
        ColumnKind::Json => matches!(name, "json" | "jsonb"),
        ColumnKind::Uuid => name == "uuid",
    }
}

/// MySQL and MariaDB, by `COLUMN_TYPE`: `int(11) unsigned`, `tinyint(1)`, `char(36)`.
fn mysql_holds(kind: ColumnKind, ty: &str) -> bool {
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
        ColumnKind::Integer => matches!(name, "int" | "integer") && signed || name == "mediumint",
        ColumnKind::BigInt => name == "bigint" && signed,
        ColumnKind::Float => name == "float",
        ColumnKind::Double => matches!(name, "double" | "real"),
        ColumnKind::Bool => {
            matches!(name, "bool" | "boolean") || name == "tinyint" && args == Some("1") && signed
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
        // `timestamp` is stored as UTC; `datetime` has no zone.
        ColumnKind::TimestampUtc => name == "timestamp",
        // MariaDB's `json` is `longtext` with a check, and its catalog says `longtext`.
        ColumnKind::Json => matches!(name, "json" | "longtext"),
        // MariaDB 10.7 and later have a `uuid` type.
        ColumnKind::Uuid => name == "char" && args == Some("36") || name == "uuid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnKind::*;

    const ALL: [ColumnKind; 13] = [
        SmallInt,
        Integer,
        BigInt,
        Float,
        Double,
        Bool,
        Text,
        Binary,
        Date,
        Timestamp,
        TimestampUtc,
        Json,
        Uuid,
    ];

    /// Asserts that `found` holds exactly the kinds listed, and no other.
    fn holds_exactly(backend: Backend, found: &str, kinds: &[ColumnKind]) {
        for kind in ALL {
            assert_eq!(
                compatible(backend, kind, found),
                kinds.contains(&kind),
                "{backend}: `{found}` for {kind:?}"
            );
        }
    }

    #[test]
    fn sqlite_integers_are_64_bit_and_the_rest_goes_by_declared_name() {
        let b = Backend::Sqlite;
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
        holds_exactly(b, "decimal(10, 2)", &[]);
    }

    #[test]
    fn postgres_integer_widths_must_match() {
        let b = Backend::Postgres;
        holds_exactly(b, "smallint", &[SmallInt]);
        holds_exactly(b, "integer", &[Integer]);
        holds_exactly(b, "bigint", &[BigInt]);
        holds_exactly(b, "real", &[Float]);
        holds_exactly(b, "double precision", &[Double]);
        holds_exactly(b, "boolean", &[Bool]);
        holds_exactly(b, "text", &[Text]);
        holds_exactly(b, "character varying(40)", &[Text]);
        holds_exactly(b, "character varying", &[Text]);
        holds_exactly(b, "character(36)", &[Text]);
        holds_exactly(b, "citext", &[Text]);
        holds_exactly(b, "bytea", &[Binary]);
        holds_exactly(b, "date", &[Date]);
        holds_exactly(b, "timestamp without time zone", &[Timestamp]);
        holds_exactly(b, "timestamp with time zone", &[TimestampUtc]);
        holds_exactly(b, "json", &[Json]);
        holds_exactly(b, "jsonb", &[Json]);
        holds_exactly(b, "uuid", &[Uuid]);
        holds_exactly(b, "numeric", &[]);
        holds_exactly(b, "int4[]", &[]);
    }

    #[test]
    fn mysql_reads_width_and_sign_from_the_column_type() {
        let b = Backend::Mysql;
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
        holds_exactly(b, "datetime", &[Timestamp]);
        holds_exactly(b, "datetime(6)", &[Timestamp]);
        holds_exactly(b, "timestamp", &[TimestampUtc]);
        holds_exactly(b, "decimal(10,2)", &[]);
    }
}
