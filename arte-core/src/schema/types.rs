//! Column data types: written as the strings users know (`"varchar(255)"`) or as values.

use std::fmt;

/// A column's type, independent of the database; each dialect maps it to its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataType {
    /// 16-bit integer: `smallint`.
    SmallInt,
    /// 32-bit integer: `integer` (also `int`).
    Integer,
    /// 64-bit integer: `bigint`.
    BigInt,
    /// `boolean` (also `bool`).
    Boolean,
    /// Text of any length: `text`.
    Text,
    /// `varchar(n)`.
    Varchar(u32),
    /// Fixed-length `char(n)`.
    Char(u32),
    /// Exact number: `decimal(precision, scale)` (also `numeric`).
    Decimal(u8, u8),
    /// 32-bit float: `real` (also `float`).
    Real,
    /// 64-bit float: `double precision` (also `double`).
    Double,
    /// Calendar date: `date`.
    Date,
    /// Time of day: `time`.
    Time,
    /// Date and time without zone: `timestamp` (also `datetime`).
    Timestamp,
    /// Date and time in UTC: `timestamptz`.
    TimestampTz,
    /// JSON document: `json`.
    Json,
    /// Binary JSON where the database has it (`jsonb`), else JSON.
    Jsonb,
    /// `uuid`.
    Uuid,
    /// Bytes: `blob` (also `bytea`, `binary`).
    Blob,
}

/// The type names `DataType::parse` accepts, for error messages.
pub const KNOWN_TYPES: &str = "smallint, integer, bigint, boolean, text, varchar(n), char(n), \
decimal(p, s), real, double precision, date, time, timestamp, timestamptz, json, jsonb, uuid, blob, bytea";

impl DataType {
    /// Parses a type as written in a migration; `None` when it is not one arte knows.
    pub fn parse(text: &str) -> Option<DataType> {
        let normalized = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let (base, args) = match normalized.split_once('(') {
            Some((base, rest)) => {
                let inner = rest.strip_suffix(')')?;
                let args: Option<Vec<u32>> = inner
                    .split(',')
                    .map(|arg| arg.trim().parse::<u32>().ok())
                    .collect();
                (base.trim().to_owned(), Some(args?))
            }
            None => (normalized, None),
        };
        let simple = |ty: DataType| if args.is_none() { Some(ty) } else { None };
        match (base.as_str(), args.as_deref()) {
            ("smallint" | "int2", _) => simple(DataType::SmallInt),
            ("integer" | "int" | "int4", _) => simple(DataType::Integer),
            ("bigint" | "int8", _) => simple(DataType::BigInt),
            ("boolean" | "bool", _) => simple(DataType::Boolean),
            ("text", _) => simple(DataType::Text),
            ("varchar" | "character varying", Some([n])) if (1..=65_535).contains(n) => {
                Some(DataType::Varchar(*n))
            }
            ("char" | "character", Some([n])) if (1..=255).contains(n) => Some(DataType::Char(*n)),
            ("decimal" | "numeric", Some([p, s])) if (1..=65).contains(p) && s <= p => {
                Some(DataType::Decimal(*p as u8, *s as u8))
            }
            ("decimal" | "numeric", Some([p])) if (1..=65).contains(p) => {
                Some(DataType::Decimal(*p as u8, 0))
            }
            ("real" | "float" | "float4", _) => simple(DataType::Real),
            ("double precision" | "double" | "float8", _) => simple(DataType::Double),
            ("date", _) => simple(DataType::Date),
            ("time", _) => simple(DataType::Time),
            ("timestamp" | "datetime", _) => simple(DataType::Timestamp),
            ("timestamptz" | "timestamp with time zone", _) => simple(DataType::TimestampTz),
            ("json", _) => simple(DataType::Json),
            ("jsonb", _) => simple(DataType::Jsonb),
            ("uuid", _) => simple(DataType::Uuid),
            ("blob" | "bytea" | "binary", _) => simple(DataType::Blob),
            _ => None,
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::SmallInt => f.write_str("smallint"),
            DataType::Integer => f.write_str("integer"),
            DataType::BigInt => f.write_str("bigint"),
            DataType::Boolean => f.write_str("boolean"),
            DataType::Text => f.write_str("text"),
            DataType::Varchar(n) => write!(f, "varchar({n})"),
            DataType::Char(n) => write!(f, "char({n})"),
            DataType::Decimal(p, s) => write!(f, "decimal({p}, {s})"),
            DataType::Real => f.write_str("real"),
            DataType::Double => f.write_str("double precision"),
            DataType::Date => f.write_str("date"),
            DataType::Time => f.write_str("time"),
            DataType::Timestamp => f.write_str("timestamp"),
            DataType::TimestampTz => f.write_str("timestamptz"),
            DataType::Json => f.write_str("json"),
            DataType::Jsonb => f.write_str("jsonb"),
            DataType::Uuid => f.write_str("uuid"),
            DataType::Blob => f.write_str("blob"),
        }
    }
}

/// What `add_column` accepts as a type: a string to parse, or a [`DataType`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSpec(pub(crate) ColumnType);

/// A column's type as the builder holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// One of arte's types.
    Known(DataType),
    /// A type read back from a live SQLite table, kept as declared.
    Declared(String),
    /// A string arte does not know: refused before any SQL runs.
    Unknown(String),
}

impl From<DataType> for TypeSpec {
    fn from(ty: DataType) -> Self {
        TypeSpec(ColumnType::Known(ty))
    }
}

impl From<&str> for TypeSpec {
    fn from(text: &str) -> Self {
        TypeSpec(match DataType::parse(text) {
            Some(ty) => ColumnType::Known(ty),
            None => ColumnType::Unknown(text.to_owned()),
        })
    }
}

impl From<String> for TypeSpec {
    fn from(text: String) -> Self {
        TypeSpec::from(text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_names_users_write() {
        let cases = [
            ("integer", DataType::Integer),
            ("BIGINT", DataType::BigInt),
            ("smallint", DataType::SmallInt),
            ("boolean", DataType::Boolean),
            ("text", DataType::Text),
            ("varchar(255)", DataType::Varchar(255)),
            ("varchar( 40 )", DataType::Varchar(40)),
            ("char(2)", DataType::Char(2)),
            ("decimal(10, 2)", DataType::Decimal(10, 2)),
            ("numeric(8)", DataType::Decimal(8, 0)),
            ("real", DataType::Real),
            ("double  precision", DataType::Double),
            ("date", DataType::Date),
            ("time", DataType::Time),
            ("timestamp", DataType::Timestamp),
            ("timestamptz", DataType::TimestampTz),
            ("json", DataType::Json),
            ("jsonb", DataType::Jsonb),
            ("uuid", DataType::Uuid),
            ("blob", DataType::Blob),
            ("bytea", DataType::Blob),
        ];
        for (text, ty) in cases {
            assert_eq!(DataType::parse(text), Some(ty), "{text}");
        }
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for text in [
            "varchar",
            "varchar(0)",
            "varchar(x)",
            "integer(4)",
            "decimal(10, 20)",
            "money",
            "text; drop table x",
            "",
        ] {
            assert_eq!(DataType::parse(text), None, "{text}");
        }
    }
}
