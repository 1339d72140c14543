//! SQL types for the Rust types diesel maps differently on each database, so that one
//! contract serves SQLite, PostgreSQL and MySQL alike: `DateTime<Utc>` ([`TimestampUtc`]),
//! `serde_json::Value` ([`Json`], feature `json`), `uuid::Uuid` ([`Uuid`], feature `uuid`)
//! and `bigdecimal::BigDecimal` ([`Decimal`], feature `decimal`); and how a `NaiveDateTime`
//! is bound ([`NaiveValue`]), whose columns stay diesel's `Timestamp`.

use crate::backend::MultiBackend;
use diesel::deserialize::{self, FromSql};
use diesel::expression::{
    AppearsOnTable, AsExpression, Expression, SelectableExpression, TypedExpressionType,
    ValidGrouping,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{HasSqlType, Nullable, SqlType, Timestamp};
use std::marker::PhantomData;

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

/// An exact number: `numeric(p, s)` on PostgreSQL, `decimal(p, s)` on MySQL, and on SQLite a
/// double, which holds 15 significant digits of a decimal exactly (a value with more is
/// refused on write rather than stored altered).
///
/// diesel's `Numeric` reads a `BigDecimal` on SQLite through `from_f64`, which gives the
/// double's binary expansion (12345678.99 read back as 12345678.9900000002…).
#[derive(
    Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId,
)]
#[cfg_attr(feature = "sqlite", diesel(sqlite_type(name = "Double")))]
#[cfg_attr(
    feature = "postgres",
    diesel(postgres_type(oid = 1700, array_oid = 1231))
)]
#[cfg_attr(feature = "mysql", diesel(mysql_type(name = "Numeric")))]
pub struct Decimal;

// What diesel allows of `Numeric`: arithmetic (diesel's `table!` gives a column of a type
// named `Decimal` its operators), `sum` and `avg`, `max`, `min` and ordering.
impl diesel::sql_types::ops::Add for Decimal {
    type Rhs = Decimal;
    type Output = Decimal;
}

impl diesel::sql_types::ops::Sub for Decimal {
    type Rhs = Decimal;
    type Output = Decimal;
}

impl diesel::sql_types::ops::Mul for Decimal {
    type Rhs = Decimal;
    type Output = Decimal;
}

impl diesel::sql_types::ops::Div for Decimal {
    type Rhs = Decimal;
    type Output = Decimal;
}

impl diesel::sql_types::Foldable for Decimal {
    type Sum = Nullable<Decimal>;
    type Avg = Nullable<Decimal>;
}

impl diesel::sql_types::SqlOrd for Decimal {}

#[cfg(feature = "decimal")]
wrappers!(
    /// A `BigDecimal` on its way to or from a [`Decimal`] column.
    DecimalValue, OptionalDecimal, bigdecimal::BigDecimal => Decimal
);

/// A [`Decimal`] column's value read into a `BigDecimal` itself (`.select(items::price)`),
/// as a `Numeric` column's was.
#[cfg(feature = "decimal")]
impl FromSql<Decimal, MultiBackend> for bigdecimal::BigDecimal {
    fn from_sql(
        value: <MultiBackend as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        value.from_sql::<DecimalValue, Decimal>().map(|v| v.0)
    }
}

/// A `NaiveDateTime` for a `Timestamp` column, bound as MySQL's `DATETIME`: `#[table]`
/// writes a `NaiveDateTime` field through it, and a query compares with a moment outside
/// 1970-2038 on MySQL through it (`events::at.lt(NaiveValue(moment))`).
///
/// diesel binds a `NaiveDateTime` of a `Timestamp` column as a MySQL `TIMESTAMP`, which
/// MariaDB turns into NULL outside 1970-2038, without an error, even for a `datetime`
/// column. The column stays diesel's `Timestamp` (queries with a `NaiveDateTime` as is
/// still compile); only the value is bound differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NaiveValue(pub chrono::NaiveDateTime);

/// The nullable form of [`NaiveValue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalNaive(pub Option<NaiveValue>);

impl From<chrono::NaiveDateTime> for NaiveValue {
    fn from(value: chrono::NaiveDateTime) -> Self {
        NaiveValue(value)
    }
}

impl From<NaiveValue> for chrono::NaiveDateTime {
    fn from(value: NaiveValue) -> Self {
        value.0
    }
}

impl From<Option<chrono::NaiveDateTime>> for OptionalNaive {
    fn from(value: Option<chrono::NaiveDateTime>) -> Self {
        OptionalNaive(value.map(NaiveValue))
    }
}

impl From<OptionalNaive> for Option<chrono::NaiveDateTime> {
    fn from(value: OptionalNaive) -> Self {
        value.0.map(|v| v.0)
    }
}

/// A bound `NaiveDateTime` of SQL type `ST` (`Timestamp`, or `Nullable<Timestamp>`): what a
/// [`NaiveValue`] or an [`OptionalNaive`] becomes in a query. Each backend binds it in
/// `backend::*::sql_types`, MySQL as a `DATETIME`.
#[derive(Debug, Clone, Copy)]
pub struct NaiveBind<ST> {
    pub(crate) value: Option<chrono::NaiveDateTime>,
    sql_type: PhantomData<ST>,
}

impl<ST> NaiveBind<ST> {
    fn new(value: Option<chrono::NaiveDateTime>) -> Self {
        NaiveBind {
            value,
            sql_type: PhantomData,
        }
    }
}

/// `AsExpression` of SQL type `$sql` for the wrapper and a reference to it.
macro_rules! naive_expression {
    ($wrapper:ty => $sql:ty, $value:expr) => {
        impl AsExpression<$sql> for $wrapper {
            type Expression = NaiveBind<$sql>;
            fn as_expression(self) -> Self::Expression {
                let value: fn(&$wrapper) -> Option<chrono::NaiveDateTime> = $value;
                NaiveBind::new(value(&self))
            }
        }

        impl<'a> AsExpression<$sql> for &'a $wrapper {
            type Expression = NaiveBind<$sql>;
            fn as_expression(self) -> Self::Expression {
                let value: fn(&$wrapper) -> Option<chrono::NaiveDateTime> = $value;
                NaiveBind::new(value(self))
            }
        }
    };
}

naive_expression!(NaiveValue => Timestamp, |w| Some(w.0));
naive_expression!(NaiveValue => Nullable<Timestamp>, |w| Some(w.0));
naive_expression!(OptionalNaive => Nullable<Timestamp>, |w| w.0.map(|v| v.0));

impl<ST: SqlType + TypedExpressionType> Expression for NaiveBind<ST> {
    type SqlType = ST;
}

impl<ST, QS> AppearsOnTable<QS> for NaiveBind<ST> where NaiveBind<ST>: Expression {}

impl<ST, QS> SelectableExpression<QS> for NaiveBind<ST> where NaiveBind<ST>: AppearsOnTable<QS> {}

impl<ST, GB> ValidGrouping<GB> for NaiveBind<ST> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<ST: QueryId> QueryId for NaiveBind<ST> {
    type QueryId = NaiveBind<ST::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = ST::HAS_STATIC_QUERY_ID;
}

// Each backend's own binding (`backend::*::sql_types`), chosen by the connection.
impl<ST> QueryFragment<MultiBackend> for NaiveBind<ST> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}
