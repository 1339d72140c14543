//! How SQLite stores arte's own SQL types: all three as text.

use crate::contract::sql_types::*;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, IsNull, Output, ToSql};
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

#[cfg(any(feature = "json", feature = "uuid"))]
fn text(value: <Sqlite as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<String> {
    <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(value)
}

#[cfg(feature = "json")]
impl ToSql<Json, Sqlite> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

#[cfg(feature = "json")]
impl FromSql<Json, Sqlite> for JsonValue {
    fn from_sql(
        value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_json(text(value)?.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl ToSql<Uuid, Sqlite> for UuidValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

#[cfg(feature = "uuid")]
impl FromSql<Uuid, Sqlite> for UuidValue {
    fn from_sql(
        value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_uuid(&text(value)?)
    }
}
