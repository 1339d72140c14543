//! How MySQL and MariaDB store arte's own SQL types: `datetime(6)` in UTC (and the
//! `timestamp` of tables made before, in the session's UTC), `json` as text, `char(36)`
//! UUIDs, `decimal` as its text; and a `NaiveDateTime` bound as a `DATETIME`, which holds
//! years 1000 to 9999 (bound as a `TIMESTAMP`, MariaDB stored one outside 1970-2038 as NULL).

use crate::contract::sql_types::*;
use diesel::deserialize::{self, FromSql};
use diesel::mysql::Mysql;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::result::QueryResult;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Nullable;

impl ToSql<TimestampUtc, Mysql> for UtcValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
        let naive = self.0.naive_utc();
        <chrono::NaiveDateTime as ToSql<diesel::sql_types::Datetime, Mysql>>::to_sql(
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
            <chrono::NaiveDateTime as FromSql<diesel::sql_types::Datetime, Mysql>>::from_sql(
                value,
            )?;
        Ok(UtcValue(naive.and_utc()))
    }
}

#[cfg(feature = "json")]
impl ToSql<Json, Mysql> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
        serde_json::to_writer(out, &self.0)?;
        Ok(diesel::serialize::IsNull::No)
    }
}

#[cfg(feature = "json")]
impl FromSql<Json, Mysql> for JsonValue {
    fn from_sql(
        value: <Mysql as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_json(value.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl ToSql<Uuid, Mysql> for UuidValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
        use std::io::Write;
        out.write_all(self.0.hyphenated().to_string().as_bytes())?;
        Ok(diesel::serialize::IsNull::No)
    }
}

#[cfg(feature = "uuid")]
impl FromSql<Uuid, Mysql> for UuidValue {
    fn from_sql(
        value: <Mysql as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_uuid(std::str::from_utf8(value.as_bytes())?)
    }
}

// A `DATETIME` (years 1000-9999), where diesel's `Timestamp` binds a `TIMESTAMP`.
impl<ST> QueryFragment<Mysql> for NaiveBind<ST> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
        pass.push_bind_param::<Nullable<diesel::sql_types::Datetime>, _>(&self.value)
    }
}

#[cfg(feature = "decimal")]
impl ToSql<Decimal, Mysql> for DecimalValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
        <bigdecimal::BigDecimal as ToSql<diesel::sql_types::Numeric, Mysql>>::to_sql(
            &self.0,
            &mut out.reborrow(),
        )
    }
}

#[cfg(feature = "decimal")]
impl FromSql<Decimal, Mysql> for DecimalValue {
    fn from_sql(
        value: <Mysql as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        <bigdecimal::BigDecimal as FromSql<diesel::sql_types::Numeric, Mysql>>::from_sql(value)
            .map(DecimalValue)
    }
}
