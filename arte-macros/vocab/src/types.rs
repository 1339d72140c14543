//! Column types: written as the strings users know (`"varchar(255)"`) or as values
//! (`ColumnType::Varchar(255)`). The same parser reads a string literal when a migration
//! compiles and a string computed at run time when it runs.

use std::fmt;

/// A column's type, independent of the database; each backend maps it to its own name.
/// A new type is a new minor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
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

/// The type names `ColumnType::parse` accepts, for error messages.
pub const KNOWN_TYPES: &str = "smallint, integer, bigint, boolean, text, varchar(n), char(n), \
decimal(p, s), real, double precision, date, time, timestamp, timestamptz, json, jsonb, uuid, blob, bytea";

impl ColumnType {
    /// Parses a type as written in a migration; `None` when it is not one arte knows.
    pub fn parse(text: &str) -> Option<ColumnType> {
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
        let simple = |ty: ColumnType| if args.is_none() { Some(ty) } else { None };
        match (base.as_str(), args.as_deref()) {
            ("smallint" | "int2", _) => simple(ColumnType::SmallInt),
            ("integer" | "int" | "int4", _) => simple(ColumnType::Integer),
            ("bigint" | "int8", _) => simple(ColumnType::BigInt),
            ("boolean" | "bool", _) => simple(ColumnType::Boolean),
            ("text", _) => simple(ColumnType::Text),
            ("varchar" | "character varying", Some([n])) if (1..=65_535).contains(n) => {
                Some(ColumnType::Varchar(*n))
            }
            ("char" | "character", Some([n])) if (1..=255).contains(n) => {
                Some(ColumnType::Char(*n))
            }
            ("decimal" | "numeric", Some([p, s])) if (1..=65).contains(p) && s <= p => {
                Some(ColumnType::Decimal(*p as u8, *s as u8))
            }
            ("decimal" | "numeric", Some([p])) if (1..=65).contains(p) => {
                Some(ColumnType::Decimal(*p as u8, 0))
            }
            ("real" | "float" | "float4", _) => simple(ColumnType::Real),
            ("double precision" | "double" | "float8", _) => simple(ColumnType::Double),
            ("date", _) => simple(ColumnType::Date),
            ("time", _) => simple(ColumnType::Time),
            ("timestamp" | "datetime", _) => simple(ColumnType::Timestamp),
            ("timestamptz" | "timestamp with time zone", _) => simple(ColumnType::TimestampTz),
            ("json", _) => simple(ColumnType::Json),
            ("jsonb", _) => simple(ColumnType::Jsonb),
            ("uuid", _) => simple(ColumnType::Uuid),
            ("blob" | "bytea" | "binary", _) => simple(ColumnType::Blob),
            _ => None,
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::SmallInt => f.write_str("smallint"),
            ColumnType::Integer => f.write_str("integer"),
            ColumnType::BigInt => f.write_str("bigint"),
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::Text => f.write_str("text"),
            ColumnType::Varchar(n) => write!(f, "varchar({n})"),
            ColumnType::Char(n) => write!(f, "char({n})"),
            ColumnType::Decimal(p, s) => write!(f, "decimal({p}, {s})"),
            ColumnType::Real => f.write_str("real"),
            ColumnType::Double => f.write_str("double precision"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::Time => f.write_str("time"),
            ColumnType::Timestamp => f.write_str("timestamp"),
            ColumnType::TimestampTz => f.write_str("timestamptz"),
            ColumnType::Json => f.write_str("json"),
            ColumnType::Jsonb => f.write_str("jsonb"),
            ColumnType::Uuid => f.write_str("uuid"),
            ColumnType::Blob => f.write_str("blob"),
        }
    }
}

/// A string that names no column type arte knows: what `ColumnType::try_from` refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownColumnType(pub String);

impl fmt::Display for UnknownColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a column type; the known types are: {KNOWN_TYPES}",
            self.0
        )
    }
}

impl std::error::Error for UnknownColumnType {}

impl From<std::convert::Infallible> for UnknownColumnType {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

impl TryFrom<&str> for ColumnType {
    type Error = UnknownColumnType;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        ColumnType::parse(text).ok_or_else(|| UnknownColumnType(text.to_owned()))
    }
}

impl TryFrom<String> for ColumnType {
    type Error = UnknownColumnType;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        ColumnType::try_from(text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_names_users_write() {
        let cases = [
            ("integer", ColumnType::Integer),
            ("BIGINT", ColumnType::BigInt),
            ("smallint", ColumnType::SmallInt),
            ("boolean", ColumnType::Boolean),
            ("text", ColumnType::Text),
            ("varchar(255)", ColumnType::Varchar(255)),
            ("varchar( 40 )", ColumnType::Varchar(40)),
            ("char(2)", ColumnType::Char(2)),
            ("decimal(10, 2)", ColumnType::Decimal(10, 2)),
            ("numeric(8)", ColumnType::Decimal(8, 0)),
            ("real", ColumnType::Real),
            ("double  precision", ColumnType::Double),
            ("date", ColumnType::Date),
            ("time", ColumnType::Time),
            ("timestamp", ColumnType::Timestamp),
            ("timestamptz", ColumnType::TimestampTz),
            ("json", ColumnType::Json),
            ("jsonb", ColumnType::Jsonb),
            ("uuid", ColumnType::Uuid),
            ("blob", ColumnType::Blob),
            ("bytea", ColumnType::Blob),
        ];
        for (text, ty) in cases {
            assert_eq!(ColumnType::parse(text), Some(ty), "{text}");
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
            assert_eq!(ColumnType::parse(text), None, "{text}");
        }
    }
}
