//! How PostgreSQL stores arte's own SQL types: `timestamptz`, binary `jsonb`, binary `uuid`.

use crate::contract::sql_types::*;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};

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
