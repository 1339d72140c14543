//! How MySQL and MariaDB store arte's own SQL types: `datetime(6)` in UTC (and the
//! `timestamp` of tables made before, in the session's UTC), `json` as text, `char(36)`
//! UUIDs.

use crate::contract::sql_types::*;
use diesel::deserialize::{self, FromSql};
use diesel::mysql::Mysql;
use diesel::serialize::{self, Output, ToSql};

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
