//! Contracts and the query layer on SQLite, PostgreSQL and MariaDB: typed rows created,
//! found, updated, soft-deleted, restored and force-deleted, and diesel's own filters,
//! ordering and paging composed with `query()`.

use arte_core::prelude::*;
use arte_core::schema::Action;
use arte_core::table;
use arte_tests::{TestDb, per_backend};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;

#[table(name = "users")]
pub struct User {
    pub id: Generated<i64>,
    pub email: String,
}

#[table(name = "items", timestamps, soft_delete)]
pub struct Item {
    pub id: Generated<i64>,
    pub name: String,
    pub description: Option<String>,
    pub quantity: i32,
    pub rating: f64,
    pub active: bool,
    #[column(name = "owner_id", references = "users")]
    pub owner: Option<i64>,
}

/// Every other Rust type a contract knows.
#[table(name = "samples")]
pub struct Sample {
    #[column(primary_key)]
    pub code: String,
    pub small: i16,
    pub ratio: f32,
    pub bytes: Vec<u8>,
    pub day: NaiveDate,
    pub seen_at: DateTime<Utc>,
    pub checked_at: Option<DateTime<Utc>>,
    pub payload: serde_json::Value,
    pub extra: Option<serde_json::Value>,
    pub token: uuid::Uuid,
}

arte_core::database!(users, items, samples);

fn ok<T>(result: arte_core::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("arte failed: {e}"))
}

fn migrate(db: &mut Db) {
    ok(db
        .schema()
        .create_table("users")
        .add_id_column()
        .add_column("email", "varchar(255)", |c| c.not_null())
        .execute());
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(255)", |c| c.not_null())
        .add_column("description", "text", |c| c)
        .add_column("quantity", "integer", |c| c.not_null().default(0))
        .add_column("rating", "double precision", |c| c.not_null().default(0))
        .add_column("active", "boolean", |c| c.not_null().default(true))
        .add_column("owner_id", "bigint", |c| {
            c.references("users.id").on_delete(Action::SetNull)
        })
        .add_timestamp_columns()
        .add_soft_delete_column()
        .execute());
    ok(db
        .schema()
        .create_table("samples")
        .add_column("code", "varchar(20)", |c| c.primary_key())
        .add_column("small", "smallint", |c| c.not_null())
        .add_column("ratio", "real", |c| c.not_null())
        .add_column("bytes", "blob", |c| c.not_null())
        .add_column("day", "date", |c| c.not_null())
        .add_column("seen_at", "timestamptz", |c| c.not_null())
        .add_column("checked_at", "timestamptz", |c| c)
        .add_column("payload", "jsonb", |c| c.not_null())
        .add_column("extra", "json", |c| c)
        .add_column("token", "uuid", |c| c.not_null())
        .execute());
}

fn new_item(name: &str, owner: Option<i64>) -> NewItem {
    NewItem {
        name: name.to_owned(),
        description: None,
        quantity: 1,
        rating: 4.5,
        active: true,
        owner,
    }
}

fn the_query_layer_creates_finds_updates_and_soft_deletes_typed_rows(test: &TestDb) {
    let mut db = test.db();
    migrate(&mut db);
    let conn = db.connection();
    let ada = ok(User::create(
        conn,
        &NewUser {
            email: "ada@example.com".into(),
        },
    ));
    assert_eq!(ada.id, 1);
    let before = Utc::now().naive_utc() - chrono::Duration::seconds(2);
    let notebook = ok(Item::create(conn, &new_item("Notebook", Some(ada.id))));
    assert_eq!(
        (notebook.id, notebook.name.as_str(), notebook.owner),
        (1, "Notebook", Some(1))
    );
    assert!(notebook.created_at >= before && notebook.updated_at == notebook.created_at);
    assert_eq!(notebook.deleted_at, None);
    let pencil = ok(Item::create(conn, &new_item("Pencil", None)));
    assert_eq!(pencil.id, 2);

    assert_eq!(
        ok(Item::find(conn, notebook.id)).map(|i| i.name),
        Some("Notebook".to_owned())
    );
    assert_eq!(ok(Item::find(conn, 99)).map(|i| i.id), None);

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let changes = ItemChanges {
        description: Some(Some("A5, dotted".into())),
        quantity: Some(3),
        ..ItemChanges::default()
    };
    let updated =
        ok(Item::update(conn, notebook.id, &changes)).unwrap_or_else(|| panic!("the row is there"));
    assert_eq!(
        (
            updated.description.as_deref(),
            updated.quantity,
            updated.name.as_str()
        ),
        (Some("A5, dotted"), 3, "Notebook")
    );
    assert!(
        updated.updated_at > notebook.updated_at,
        "update bumps updated_at"
    );
    assert_eq!(updated.created_at, notebook.created_at);
    let cleared = ItemChanges {
        description: Some(None),
        ..ItemChanges::default()
    };
    let cleared = ok(Item::update(conn, notebook.id, &cleared)).map(|i| i.description);
    assert_eq!(cleared, Some(None), "Some(None) sets NULL");

    assert!(ok(Item::soft_delete(conn, pencil.id)));
    assert!(!ok(Item::soft_delete(conn, pencil.id)), "already deleted");
    assert_eq!(
        ok(Item::find(conn, pencil.id)).map(|i| i.id),
        None,
        "soft-deleted rows are hidden"
    );
    let visible: Vec<Item> = ok(Item::query()
        .select(Item::selection())
        .load(conn)
        .map_err(Error::from));
    assert_eq!(visible.iter().map(|i| i.id).collect::<Vec<_>>(), [1]);
    let all: Vec<i64> = ok(Item::with_trashed()
        .select(items::id)
        .order(items::id)
        .load(conn)
        .map_err(Error::from));
    assert_eq!(all, [1, 2]);
    let trashed: Vec<Item> = ok(Item::only_trashed()
        .select(Item::selection())
        .load(conn)
        .map_err(Error::from));
    assert_eq!(trashed.len(), 1);
    assert!(trashed[0].deleted_at.is_some());
    assert_eq!(
        ok(Item::update(conn, pencil.id, &changes)).map(|i| i.id),
        None,
        "trashed rows are not updated"
    );

    assert!(ok(Item::restore(conn, pencil.id)));
    assert_eq!(
        ok(Item::find(conn, pencil.id)).and_then(|i| i.deleted_at),
        None
    );
    assert!(ok(Item::force_delete(conn, pencil.id)));
    assert_eq!(test.count("items"), 1);
    assert!(ok(User::delete(conn, 42)).eq(&false));
}

fn diesel_filters_ordering_paging_and_joins_compose_with_the_query_layer(test: &TestDb) {
    let mut db = test.db();
    migrate(&mut db);
    let conn = db.connection();
    let ada = ok(User::create(
        conn,
        &NewUser {
            email: "ada@example.com".into(),
        },
    ));
    for (n, name) in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
        .iter()
        .enumerate()
    {
        let mut new = new_item(name, Some(ada.id));
        new.quantity = n as i32;
        ok(Item::create(conn, &new));
    }
    ok(Item::soft_delete(conn, 2));
    let page: Vec<String> = ok(Item::query()
        .filter(items::quantity.ge(1))
        .order(items::name.desc())
        .limit(2)
        .offset(1)
        .select(items::name)
        .load(conn)
        .map_err(Error::from));
    assert_eq!(
        page,
        ["Delta", "Charlie"],
        "Bravo is soft-deleted, Echo is the first page"
    );
    let joined: Vec<(String, String)> = ok(items::table
        .inner_join(users::table)
        .filter(items::deleted_at.is_null())
        .order(items::id)
        .select((items::name, users::email))
        .limit(2)
        .load(conn)
        .map_err(Error::from));
    assert_eq!(
        joined[0],
        ("Alpha".to_owned(), "ada@example.com".to_owned())
    );
    assert_eq!(joined.len(), 2);
    assert_eq!(Database::TABLES, ["users", "items", "samples"]);
}

fn every_rust_type_round_trips(test: &TestDb) {
    let mut db = test.db();
    migrate(&mut db);
    let conn = db.connection();
    let seen = Utc
        .with_ymd_and_hms(2026, 3, 4, 5, 6, 7)
        .single()
        .unwrap_or_else(|| panic!("date"));
    let new = NewSample {
        code: "s-1".into(),
        small: -7,
        ratio: 0.5,
        bytes: vec![0, 1, 254, 255],
        day: NaiveDate::from_ymd_opt(2026, 2, 28).unwrap_or_else(|| panic!("date")),
        seen_at: seen,
        checked_at: None,
        payload: serde_json::json!({"a": [1, 2, {"b": null}], "c": "d"}),
        extra: Some(serde_json::json!(["x"])),
        token: uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0),
    };
    let stored = ok(Sample::create(conn, &new));
    assert_eq!(
        (
            stored.code.as_str(),
            stored.small,
            stored.ratio,
            stored.bytes.as_slice(),
            stored.day
        ),
        ("s-1", -7, 0.5, &[0u8, 1, 254, 255][..], new.day)
    );
    assert_eq!(stored.seen_at, seen);
    assert_eq!(stored.checked_at, None);
    assert_eq!(stored.payload, new.payload);
    assert_eq!(stored.extra, new.extra);
    assert_eq!(stored.token, new.token);
    let later = seen + chrono::Duration::hours(1);
    let changes = SampleChanges {
        checked_at: Some(Some(later)),
        extra: Some(None),
        ..SampleChanges::default()
    };
    let changed = ok(Sample::update(conn, "s-1".to_owned(), &changes))
        .unwrap_or_else(|| panic!("the row is there"));
    assert_eq!((changed.checked_at, changed.extra), (Some(later), None));
    let by_token: Vec<String> = ok(samples::table
        .filter(samples::token.eq(::arte_core::contract::sql_types::UuidValue(new.token)))
        .select(samples::code)
        .load(conn)
        .map_err(Error::from));
    assert_eq!(by_token, ["s-1"]);
}

per_backend!(
    the_query_layer_creates_finds_updates_and_soft_deletes_typed_rows,
    diesel_filters_ordering_paging_and_joins_compose_with_the_query_layer,
    every_rust_type_round_trips,
);
