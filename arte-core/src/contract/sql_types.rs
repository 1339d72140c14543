//! SQL types for the Rust types diesel maps differently on each database, so that one
//! contract serves SQLite, PostgreSQL and MySQL alike: `DateTime<Utc>` ([`TimestampUtc`]),
//! `serde_json::Value` ([`Json`], feature `json`) and `uuid::Uuid` ([`Uuid`], feature `uuid`).

use crate::backend::MultiBackend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::HasSqlType;

/// For a Rust type of another crate with one of these SQL types: a wrapper of arte's own
/// (`$value`) that carries it to and from the database, and one for its nullable form
/// (`$optional`). `#[table]` puts them on fields with diesel's `serialize_as` and
/// `deserialize_as`, so the fields keep their own types.
macro_rules! wrappers {
    ($(#[$doc:meta])* $value:ident, $optional:ident, $rust:ty => $sql:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = $sql)]
        pub struct $value(pub $rust);

        /// The nullable form of the wrapper beside it.
        #[derive(Debug, Clone, PartialEq, diesel::deserialize::FromSqlRow)]
        pub struct $optional(pub Option<$value>);

        impl From<$rust> for $value {
            fn from(value: $rust) -> Self {
                $value(value)
            }
        }

        impl From<$value> for $rust {
            fn from(value: $value) -> Self {
                value.0
            }
        }

        impl From<Option<$rust>> for $optional {
            fn from(value: Option<$rust>) -> Self {
                $optional(value.map($value))
            }
        }

        impl From<$optional> for Option<$rust> {
            fn from(value: $optional) -> Self {
                value.0.map(|v| v.0)
            }
        }

        impl diesel::expression::AsExpression<diesel::sql_types::Nullable<$sql>> for $optional {
            type Expression = diesel::internal::derives::as_expression::Bound<diesel::sql_types::Nullable<$sql>, Self>;
            fn as_expression(self) -> Self::Expression {
                diesel::internal::derives::as_expression::Bound::new(self)
            }
        }

        impl<'a> diesel::expression::AsExpression<diesel::sql_types::Nullable<$sql>> for &'a $optional {
            type Expression = diesel::internal::derives::as_expression::Bound<diesel::sql_types::Nullable<$sql>, Self>;
            fn as_expression(self) -> Self::Expression {
                diesel::internal::derives::as_expression::Bound::new(self)
            }
        }

        impl<DB: diesel::backend::Backend> ToSql<diesel::sql_types::Nullable<$sql>, DB> for $optional
        where
            $value: ToSql<$sql, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                match &self.0 {
                    Some(value) => value.to_sql(out),
                    None => Ok(IsNull::Yes),
                }
            }
        }

        impl<DB: diesel::backend::Backend> FromSql<diesel::sql_types::Nullable<$sql>, DB> for $optional
        where
            $value: FromSql<$sql, DB>,
        {
            fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
                Ok($optional(Some(<$value as FromSql<$sql, DB>>::from_sql(value)?)))
            }

            fn from_nullable_sql(value: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
                match value {
                    Some(value) => Self::from_sql(value),
                    None => Ok($optional(None)),
                }
            }
        }

        impl HasSqlType<$sql> for MultiBackend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                MultiBackend::lookup_sql_type::<$sql>(lookup)
            }
        }

        impl ToSql<$sql, MultiBackend> for $value {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((<$sql>::default(), self));
                Ok(IsNull::No)
            }
        }

        impl FromSql<$sql, MultiBackend> for $value {
            fn from_sql(value: <MultiBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                value.from_sql::<$value, $sql>()
            }
        }
    };
}

/// A moment in UTC: `timestamptz` on PostgreSQL, `datetime(6)` holding UTC on MySQL (a
/// `timestamp` of a table made before reads as UTC too: the session runs in UTC), text on
/// SQLite.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[cfg_attr(feature = "sqlite", diesel(sqlite_type(name = "Text")))]
#[cfg_attr(
    feature = "postgres",
    diesel(postgres_type(oid = 1184, array_oid = 1185))
)]
#[cfg_attr(feature = "mysql", diesel(mysql_type(name = "DateTime")))]
pub struct TimestampUtc;

type Utc = chrono::DateTime<chrono::Utc>;

wrappers!(
    /// A `DateTime<Utc>` on its way to or from a [`TimestampUtc`] column.
    UtcValue, OptionalUtc, Utc => TimestampUtc
);

/// A JSON document: `jsonb` on PostgreSQL, `json` on MySQL, text on SQLite.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[cfg_attr(feature = "sqlite", diesel(sqlite_type(name = "Text")))]
#[cfg_attr(
    feature = "postgres",
    diesel(postgres_type(oid = 3802, array_oid = 3807))
)]
#[cfg_attr(feature = "mysql", diesel(mysql_type(name = "String")))]
pub struct Json;

#[cfg(feature = "json")]
wrappers!(
    /// A `serde_json::Value` on its way to or from a [`Json`] column.
    JsonValue, OptionalJson, serde_json::Value => Json
);

/// A JSON document from its text (or PostgreSQL's binary `jsonb`, a version byte first).
#[cfg(feature = "json")]
pub(crate) fn parse_json(bytes: &[u8]) -> deserialize::Result<JsonValue> {
    let text = match bytes.split_first() {
        Some((1, rest)) => rest,
        _ => bytes,
    };
    Ok(JsonValue(serde_json::from_slice(text)?))
}

/// A UUID: `uuid` on PostgreSQL, `char(36)` on MySQL, text on SQLite.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[cfg_attr(feature = "sqlite", diesel(sqlite_type(name = "Text")))]
#[cfg_attr(
    feature = "postgres",
    diesel(postgres_type(oid = 2950, array_oid = 2951))
)]
#[cfg_attr(feature = "mysql", diesel(mysql_type(name = "String")))]
pub struct Uuid;

#[cfg(feature = "uuid")]
wrappers!(
    /// A `uuid::Uuid` on its way to or from a [`Uuid`] column.
    UuidValue, OptionalUuid, uuid::Uuid => Uuid
);

/// A UUID from its hyphenated text.
#[cfg(feature = "uuid")]
pub(crate) fn parse_uuid(text: &str) -> deserialize::Result<UuidValue> {
    Ok(UuidValue(uuid::Uuid::parse_str(text.trim())?))
}
