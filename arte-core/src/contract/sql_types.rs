//! SQL types for the Rust types diesel maps differently on each database, so that one
//! contract serves SQLite, PostgreSQL and MySQL alike: `DateTime<Utc>` ([`TimestampUtc`]),
//! `serde_json::Value` ([`Json`], feature `json`) and `uuid::Uuid` ([`Uuid`], feature `uuid`).

#![allow(missing_docs)]

use crate::connection::MultiBackend;
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

/// A moment in UTC: `timestamptz` on PostgreSQL, `timestamp` on MySQL (the session runs in
/// UTC), text on SQLite.
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[cfg_attr(feature = "sqlite", diesel(sqlite_type(name = "Text")))]
#[cfg_attr(
    feature = "postgres",
    diesel(postgres_type(oid = 1184, array_oid = 1185))
)]
#[cfg_attr(feature = "mysql", diesel(mysql_type(name = "Timestamp")))]
pub struct TimestampUtc;

type Utc = chrono::DateTime<chrono::Utc>;

wrappers!(
    /// A `DateTime<Utc>` on its way to or from a [`TimestampUtc`] column.
    UtcValue, OptionalUtc, Utc => TimestampUtc
);

#[cfg(feature = "sqlite")]
mod sqlite_utc {
    use super::*;
    use diesel::sqlite::Sqlite;

    impl ToSql<TimestampUtc, Sqlite> for UtcValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
            out.set_value(
                self.0
                    .naive_utc()
                    .format("%Y-%m-%d %H:%M:%S%.f")
                    .to_string(),
            );
            Ok(IsNull::No)
        }
    }

    impl FromSql<TimestampUtc, Sqlite> for UtcValue {
        fn from_sql(
            value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            let naive =
                <chrono::NaiveDateTime as FromSql<diesel::sql_types::Timestamp, Sqlite>>::from_sql(
                    value,
                )?;
            Ok(UtcValue(naive.and_utc()))
        }
    }
}

#[cfg(feature = "postgres")]
mod postgres_utc {
    use super::*;
    use diesel::pg::Pg;

    impl ToSql<TimestampUtc, Pg> for UtcValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
            <Utc as ToSql<diesel::sql_types::Timestamptz, Pg>>::to_sql(&self.0, out)
        }
    }

    impl FromSql<TimestampUtc, Pg> for UtcValue {
        fn from_sql(
            value: <Pg as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            <Utc as FromSql<diesel::sql_types::Timestamptz, Pg>>::from_sql(value).map(UtcValue)
        }
    }
}

#[cfg(feature = "mysql")]
mod mysql_utc {
    use super::*;
    use diesel::mysql::Mysql;

    impl ToSql<TimestampUtc, Mysql> for UtcValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
            let naive = self.0.naive_utc();
            <chrono::NaiveDateTime as ToSql<diesel::sql_types::Timestamp, Mysql>>::to_sql(
                &naive,
                &mut out.reborrow(),
            )
        }
    }

    impl FromSql<TimestampUtc, Mysql> for UtcValue {
        fn from_sql(
            value: <Mysql as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            let naive =
                <chrono::NaiveDateTime as FromSql<diesel::sql_types::Timestamp, Mysql>>::from_sql(
                    value,
                )?;
            Ok(UtcValue(naive.and_utc()))
        }
    }
}

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

#[cfg(feature = "json")]
mod json {
    use super::*;

    fn parse(bytes: &[u8]) -> deserialize::Result<JsonValue> {
        // PostgreSQL's binary `jsonb` starts with a version byte; `json` text never does.
        let text = match bytes.split_first() {
            Some((1, rest)) => rest,
            _ => bytes,
        };
        Ok(JsonValue(serde_json::from_slice(text)?))
    }

    #[cfg(feature = "sqlite")]
    impl ToSql<Json, diesel::sqlite::Sqlite> for JsonValue {
        fn to_sql<'b>(
            &'b self,
            out: &mut Output<'b, '_, diesel::sqlite::Sqlite>,
        ) -> serialize::Result {
            out.set_value(serde_json::to_string(&self.0)?);
            Ok(IsNull::No)
        }
    }

    #[cfg(feature = "sqlite")]
    impl FromSql<Json, diesel::sqlite::Sqlite> for JsonValue {
        fn from_sql(
            value: <diesel::sqlite::Sqlite as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            let text =
                <String as FromSql<diesel::sql_types::Text, diesel::sqlite::Sqlite>>::from_sql(
                    value,
                )?;
            parse(text.as_bytes())
        }
    }

    #[cfg(feature = "postgres")]
    impl ToSql<Json, diesel::pg::Pg> for JsonValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> serialize::Result {
            use std::io::Write;
            out.write_all(&[1])?;
            serde_json::to_writer(out, &self.0)?;
            Ok(IsNull::No)
        }
    }

    #[cfg(feature = "postgres")]
    impl FromSql<Json, diesel::pg::Pg> for JsonValue {
        fn from_sql(
            value: <diesel::pg::Pg as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            parse(value.as_bytes())
        }
    }

    #[cfg(feature = "mysql")]
    impl ToSql<Json, diesel::mysql::Mysql> for JsonValue {
        fn to_sql<'b>(
            &'b self,
            out: &mut Output<'b, '_, diesel::mysql::Mysql>,
        ) -> serialize::Result {
            serde_json::to_writer(out, &self.0)?;
            Ok(IsNull::No)
        }
    }

    #[cfg(feature = "mysql")]
    impl FromSql<Json, diesel::mysql::Mysql> for JsonValue {
        fn from_sql(
            value: <diesel::mysql::Mysql as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            parse(value.as_bytes())
        }
    }
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

#[cfg(feature = "uuid")]
mod uuid_impls {
    use super::*;

    fn parse_text(text: &str) -> deserialize::Result<UuidValue> {
        Ok(UuidValue(uuid::Uuid::parse_str(text.trim())?))
    }

    #[cfg(feature = "sqlite")]
    impl ToSql<Uuid, diesel::sqlite::Sqlite> for UuidValue {
        fn to_sql<'b>(
            &'b self,
            out: &mut Output<'b, '_, diesel::sqlite::Sqlite>,
        ) -> serialize::Result {
            out.set_value(self.0.hyphenated().to_string());
            Ok(IsNull::No)
        }
    }

    #[cfg(feature = "sqlite")]
    impl FromSql<Uuid, diesel::sqlite::Sqlite> for UuidValue {
        fn from_sql(
            value: <diesel::sqlite::Sqlite as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            let text =
                <String as FromSql<diesel::sql_types::Text, diesel::sqlite::Sqlite>>::from_sql(
                    value,
                )?;
            parse_text(&text)
        }
    }

    #[cfg(feature = "postgres")]
    impl ToSql<Uuid, diesel::pg::Pg> for UuidValue {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> serialize::Result {
            use std::io::Write;
            out.write_all(self.0.as_bytes())?;
            Ok(IsNull::No)
        }
    }

    #[cfg(feature = "postgres")]
    impl FromSql<Uuid, diesel::pg::Pg> for UuidValue {
        fn from_sql(
            value: <diesel::pg::Pg as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            Ok(UuidValue(uuid::Uuid::from_slice(value.as_bytes())?))
        }
    }

    #[cfg(feature = "mysql")]
    impl ToSql<Uuid, diesel::mysql::Mysql> for UuidValue {
        fn to_sql<'b>(
            &'b self,
            out: &mut Output<'b, '_, diesel::mysql::Mysql>,
        ) -> serialize::Result {
            use std::io::Write;
            out.write_all(self.0.hyphenated().to_string().as_bytes())?;
            Ok(IsNull::No)
        }
    }

    #[cfg(feature = "mysql")]
    impl FromSql<Uuid, diesel::mysql::Mysql> for UuidValue {
        fn from_sql(
            value: <diesel::mysql::Mysql as diesel::backend::Backend>::RawValue<'_>,
        ) -> deserialize::Result<Self> {
            parse_text(std::str::from_utf8(value.as_bytes())?)
        }
    }
}
