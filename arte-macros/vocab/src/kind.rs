//! Column kinds: what a contract field's Rust type says its column holds.

/// A column's kind, as the contract's Rust type says it. Matching on it exhaustively is
/// how arte's own code learns of a new kind; a new kind is a new minor version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// `i16`.
    SmallInt,
    /// `i32`.
    Integer,
    /// `i64`.
    BigInt,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `bool`.
    Bool,
    /// `String`.
    Text,
    /// `Vec<u8>`.
    Binary,
    /// `chrono::NaiveDate`.
    Date,
    /// `chrono::NaiveDateTime`.
    Timestamp,
    /// `chrono::DateTime<Utc>`.
    TimestampUtc,
    /// `serde_json::Value`.
    Json,
    /// `uuid::Uuid`.
    Uuid,
}

impl ColumnKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [ColumnKind; 13] = [
        ColumnKind::SmallInt,
        ColumnKind::Integer,
        ColumnKind::BigInt,
        ColumnKind::Float,
        ColumnKind::Double,
        ColumnKind::Bool,
        ColumnKind::Text,
        ColumnKind::Binary,
        ColumnKind::Date,
        ColumnKind::Timestamp,
        ColumnKind::TimestampUtc,
        ColumnKind::Json,
        ColumnKind::Uuid,
    ];

    /// The Rust type a contract field of this kind has.
    pub fn rust_type(self) -> &'static str {
        match self {
            ColumnKind::SmallInt => "i16",
            ColumnKind::Integer => "i32",
            ColumnKind::BigInt => "i64",
            ColumnKind::Float => "f32",
            ColumnKind::Double => "f64",
            ColumnKind::Bool => "bool",
            ColumnKind::Text => "String",
            ColumnKind::Binary => "Vec<u8>",
            ColumnKind::Date => "NaiveDate",
            ColumnKind::Timestamp => "NaiveDateTime",
            ColumnKind::TimestampUtc => "DateTime<Utc>",
            ColumnKind::Json => "serde_json::Value",
            ColumnKind::Uuid => "Uuid",
        }
    }

    /// The Rust type written out in full, as a user imports it.
    pub fn rust_path(self) -> &'static str {
        match self {
            ColumnKind::Date => "chrono::NaiveDate",
            ColumnKind::Timestamp => "chrono::NaiveDateTime",
            ColumnKind::TimestampUtc => "chrono::DateTime<Utc>",
            ColumnKind::Uuid => "uuid::Uuid",
            other => other.rust_type(),
        }
    }

    /// The kind a type of this last path segment has, for types without generic arguments
    /// (`i64`, `String`, `NaiveDate`, `Value`, `Uuid`); `Vec<u8>` and `DateTime<Utc>`
    /// have their own constructors.
    pub fn from_type_name(name: &str) -> Option<ColumnKind> {
        Some(match name {
            "i16" => ColumnKind::SmallInt,
            "i32" => ColumnKind::Integer,
            "i64" => ColumnKind::BigInt,
            "f32" => ColumnKind::Float,
            "f64" => ColumnKind::Double,
            "bool" => ColumnKind::Bool,
            "String" => ColumnKind::Text,
            "NaiveDate" => ColumnKind::Date,
            "NaiveDateTime" => ColumnKind::Timestamp,
            "Value" => ColumnKind::Json,
            "Uuid" => ColumnKind::Uuid,
            _ => return None,
        })
    }

    /// The variant's name, as generated code spells it: `BigInt`.
    pub fn variant(self) -> &'static str {
        match self {
            ColumnKind::SmallInt => "SmallInt",
            ColumnKind::Integer => "Integer",
            ColumnKind::BigInt => "BigInt",
            ColumnKind::Float => "Float",
            ColumnKind::Double => "Double",
            ColumnKind::Bool => "Bool",
            ColumnKind::Text => "Text",
            ColumnKind::Binary => "Binary",
            ColumnKind::Date => "Date",
            ColumnKind::Timestamp => "Timestamp",
            ColumnKind::TimestampUtc => "TimestampUtc",
            ColumnKind::Json => "Json",
            ColumnKind::Uuid => "Uuid",
        }
    }

    /// Whether the kind is an integer (a generated key must be one).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            ColumnKind::SmallInt | ColumnKind::Integer | ColumnKind::BigInt
        )
    }

    /// The Rust types a contract field may have, for messages: `i16, i32, …, uuid::Uuid`.
    pub fn supported() -> String {
        ColumnKind::ALL
            .iter()
            .map(|kind| kind.rust_path())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_simple_kind_round_trips_through_its_type_name() {
        for kind in ColumnKind::ALL {
            if matches!(kind, ColumnKind::Binary | ColumnKind::TimestampUtc) {
                continue;
            }
            let name = kind.rust_type().rsplit("::").next().unwrap_or_default();
            assert_eq!(ColumnKind::from_type_name(name), Some(kind), "{name}");
        }
    }

    #[test]
    fn the_supported_list_reads_as_before() {
        assert_eq!(
            ColumnKind::supported(),
            "i16, i32, i64, f32, f64, bool, String, Vec<u8>, chrono::NaiveDate, chrono::NaiveDateTime, chrono::DateTime<Utc>, serde_json::Value, uuid::Uuid"
        );
    }
}
