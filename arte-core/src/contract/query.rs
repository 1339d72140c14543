//! What the query layer `#[table]` generates needs at run time.

use crate::backend::AnyConnection;
use crate::error::Result;

/// The current time in UTC, to the microsecond, for `created_at` and `updated_at`.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::Timelike::with_nanosecond(&now, now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now)
}

/// The key the database gave the row this connection inserted last.
pub fn last_insert_id(conn: &mut AnyConnection) -> Result<i64> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let sql = conn.dialect().last_insert_id_sql();
    let rows: Vec<Id> = diesel::sql_query(sql).load(conn)?;
    Ok(rows.first().map(|r| r.id).unwrap_or_default())
}
