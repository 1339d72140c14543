//! What the query layer `#[table]` generates needs at run time.

use crate::backend::AnyConnection;
use crate::error::Result;

/// The current time in UTC, to the microsecond, for `created_at` and `updated_at`.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::Timelike::with_nanosecond(&now, now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now)
}

/// The key the database gave the row this connection inserted last (through a statement
/// the connection prepares once: `create` asks it every time).
pub fn last_insert_id(conn: &mut AnyConnection) -> Result<i64> {
    use crate::backend::prepared::{Part, Prepared};
    use diesel::RunQueryDsl;
    let sql = conn.dialect().last_insert_id_sql();
    let ids: Vec<i64> =
        Prepared::<diesel::sql_types::BigInt>::new(vec![Part::Sql(sql)]).load(conn)?;
    Ok(ids.first().copied().unwrap_or_default())
}
