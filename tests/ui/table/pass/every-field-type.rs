use arte_core::prelude::*;
use arte_core::table;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

// Two tables, because diesel's `table!` takes at most 16 columns by default.

#[table(name = "samples")]
pub struct Sample {
    pub id: Generated<i64>,
    pub small: i16,
    pub integer: i32,
    pub big: i64,
    pub ratio: f32,
    pub precise: f64,
    pub active: bool,
    pub name: String,
    pub bytes: Vec<u8>,
    pub day: NaiveDate,
    pub local: NaiveDateTime,
    pub seen_at: DateTime<Utc>,
    pub payload: serde_json::Value,
    pub token: uuid::Uuid,
}

#[table(name = "optional_samples", soft_delete)]
pub struct OptionalSample {
    pub id: Generated<i64>,
    pub small: Option<i16>,
    pub integer: Option<i32>,
    pub big: Option<i64>,
    pub ratio: Option<f32>,
    pub precise: Option<f64>,
    pub active: Option<bool>,
    pub name: Option<String>,
    pub bytes: Option<Vec<u8>>,
    pub day: Option<NaiveDate>,
    pub local: Option<NaiveDateTime>,
    pub seen_at: Option<DateTime<Utc>>,
    pub payload: Option<serde_json::Value>,
    pub token: Option<uuid::Uuid>,
}

arte_core::database!(samples, optional_samples);

fn round_trip(conn: &mut AnyConnection, new: &NewSample) -> Result<Option<Sample>> {
    let created = Sample::create(conn, new)?;
    let changes = SampleChanges {
        seen_at: Some(Utc::now()),
        payload: Some(serde_json::json!({ "seen": true })),
        token: Some(uuid::Uuid::new_v4()),
        ..SampleChanges::default()
    };
    Sample::update(conn, created.id, &changes)?;
    Sample::find(conn, created.id)
}

fn clear(conn: &mut AnyConnection, id: i64) -> Result<Option<OptionalSample>> {
    let changes = OptionalSampleChanges {
        seen_at: Some(None),
        payload: Some(None),
        token: Some(Some(uuid::Uuid::new_v4())),
        ..OptionalSampleChanges::default()
    };
    OptionalSample::update(conn, id, &changes)
}

fn main() {
    let _ = (round_trip, clear);
}
