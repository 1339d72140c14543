//! How PostgreSQL stores arte's own SQL types: `timestamptz`, binary `jsonb`, binary `uuid`,
//! `numeric`, and a `NaiveDateTime` bound as a `timestamp`.

use crate::contract::sql_types::*;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::result::QueryResult;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Nullable;

type Utc = chrono::DateTime<chrono::Utc>;

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

#[cfg(feature = "json")]
impl ToSql<Json, Pg> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        // `jsonb`'s binary form: a version byte, then the text.
        out.write_all(&[1])?;
        serde_json::to_writer(out, &self.0)?;
        Ok(diesel::serialize::IsNull::No)
    }
}

#[cfg(feature = "json")]
impl FromSql<Json, Pg> for JsonValue {
    fn from_sql(
        value: <Pg as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_json(value.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl ToSql<Uuid, Pg> for UuidValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        out.write_all(self.0.as_bytes())?;
        Ok(diesel::serialize::IsNull::No)
    }
}

#[cfg(feature = "uuid")]
impl FromSql<Uuid, Pg> for UuidValue {
    fn from_sql(
        value: <Pg as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        Ok(UuidValue(uuid::Uuid::from_slice(value.as_bytes())?))
    }
}

// As diesel binds it: a `timestamp`.
impl<ST> QueryFragment<Pg> for NaiveBind<ST> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        pass.push_bind_param::<Nullable<diesel::sql_types::Timestamp>, _>(&self.value)
    }
}

#[cfg(feature = "decimal")]
impl ToSql<Decimal, Pg> for DecimalValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <bigdecimal::BigDecimal as ToSql<diesel::sql_types::Numeric, Pg>>::to_sql(&self.0, out)
    }
}

#[cfg(feature = "decimal")]
impl FromSql<Decimal, Pg> for DecimalValue {
    fn from_sql(
        value: <Pg as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        <bigdecimal::BigDecimal as FromSql<diesel::sql_types::Numeric, Pg>>::from_sql(value)
            .map(DecimalValue)
    }
}
