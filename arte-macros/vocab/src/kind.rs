//! Column kinds: what a contract field's Rust type says its column holds, and which column
//! types a contract may declare for each.

use crate::ColumnType;

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
    /// `bigdecimal::BigDecimal`: an exact number, `decimal(p, s)`.
    Decimal,
}

impl ColumnKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [ColumnKind; 14] = [
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
        ColumnKind::Decimal,
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
            ColumnKind::Decimal => "BigDecimal",
        }
    }

    /// The Rust type written out in full, as a user imports it.
    pub fn rust_path(self) -> &'static str {
        match self {
            ColumnKind::Date => "chrono::NaiveDate",
            ColumnKind::Timestamp => "chrono::NaiveDateTime",
            ColumnKind::TimestampUtc => "chrono::DateTime<Utc>",
            ColumnKind::Uuid => "uuid::Uuid",
            ColumnKind::Decimal => "bigdecimal::BigDecimal",
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
            "BigDecimal" => ColumnKind::Decimal,
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
            ColumnKind::Decimal => "Decimal",
        }
    }

    /// Whether the kind is an integer (a generated key must be one).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            ColumnKind::SmallInt | ColumnKind::Integer | ColumnKind::BigInt
        )
    }

    /// The column type a field of this kind gets unless `#[column(type = "…")]` names
    /// another: what `migration:make --from-contracts` writes. `None` for
    /// [`ColumnKind::Decimal`], whose precision and scale the contract must give.
    pub const fn default_type(self) -> Option<ColumnType> {
        Some(match self {
            ColumnKind::SmallInt => ColumnType::SmallInt,
            ColumnKind::Integer => ColumnType::Integer,
            ColumnKind::BigInt => ColumnType::BigInt,
            ColumnKind::Float => ColumnType::Real,
            ColumnKind::Double => ColumnType::Double,
            ColumnKind::Bool => ColumnType::Boolean,
            ColumnKind::Text => ColumnType::Text,
            ColumnKind::Binary => ColumnType::Blob,
            ColumnKind::Date => ColumnType::Date,
            ColumnKind::Timestamp => ColumnType::Timestamp,
            ColumnKind::TimestampUtc => ColumnType::TimestampTz,
            ColumnKind::Json => ColumnType::Json,
            ColumnKind::Uuid => ColumnType::Uuid,
            ColumnKind::Decimal => return None,
        })
    }

    /// Whether a contract field of this kind may declare its column of type `ty` (with
    /// `#[column(type = "…")]`): the types whose every value the field holds and back.
    pub fn accepts(self, ty: ColumnType) -> bool {
        match self {
            ColumnKind::Text => matches!(
                ty,
                ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Char(_)
            ),
            ColumnKind::Json => matches!(ty, ColumnType::Json | ColumnType::Jsonb),
            ColumnKind::Decimal => matches!(ty, ColumnType::Decimal(..)),
            other => other.default_type() == Some(ty),
        }
    }

    /// The types [`ColumnKind::accepts`] takes, for messages: `text, varchar(n), char(n)`.
    pub fn accepted_types(self) -> String {
        match self {
            ColumnKind::Text => "text, varchar(n), char(n)".to_owned(),
            ColumnKind::Json => "json, jsonb".to_owned(),
            ColumnKind::Decimal => "decimal(p, s)".to_owned(),
            other => other
                .default_type()
                .map(|ty| ty.to_string())
                .unwrap_or_default(),
        }
    }

    /// Whether the kind is a number a literal default may give: integers, floats and
    /// decimals.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            ColumnKind::SmallInt
                | ColumnKind::Integer
                | ColumnKind::BigInt
                | ColumnKind::Float
                | ColumnKind::Double
                | ColumnKind::Decimal
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
            "i16, i32, i64, f32, f64, bool, String, Vec<u8>, chrono::NaiveDate, chrono::NaiveDateTime, chrono::DateTime<Utc>, serde_json::Value, uuid::Uuid, bigdecimal::BigDecimal"
        );
    }

    #[test]
    fn every_kind_accepts_its_default_type_and_decimals_need_their_own() {
        for kind in ColumnKind::ALL {
            match kind.default_type() {
                Some(ty) => assert!(kind.accepts(ty), "{kind:?}"),
                None => assert_eq!(kind, ColumnKind::Decimal),
            }
        }
        assert!(ColumnKind::Text.accepts(ColumnType::Varchar(255)));
        assert!(ColumnKind::Text.accepts(ColumnType::Char(2)));
        assert!(ColumnKind::Json.accepts(ColumnType::Jsonb));
        assert!(ColumnKind::Decimal.accepts(ColumnType::Decimal(10, 2)));
        assert!(!ColumnKind::BigInt.accepts(ColumnType::Integer));
        assert!(!ColumnKind::Text.accepts(ColumnType::Uuid));
        assert_eq!(
            ColumnKind::Text.accepted_types(),
            "text, varchar(n), char(n)"
        );
        assert_eq!(ColumnKind::BigInt.accepted_types(), "bigint");
    }
}
