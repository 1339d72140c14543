//! `check` on real databases: tables made with the schema builder, compared with contracts
//! written by hand, and the exact differences it reports.

use arte_core::Db;
use arte_core::Location;
use arte_core::contract::check::{Difference, check};
use arte_core::contract::{ColumnContract, ColumnKind, TableContract};
use arte_tests::{Kind, TestDb, per_backend};

per_backend!(
    a_table_built_from_every_type_matches_its_contract,
    a_missing_table_is_reported_alone,
    a_missing_column_is_reported,
    a_missing_mixin_column_names_its_mixin,
    extra_columns_are_reported_in_table_order,
    a_type_that_cannot_hold_the_field_is_reported,
    integers_must_not_narrow,
    a_nullable_column_for_a_required_field_is_reported,
    a_required_column_for_an_option_field_is_reported,
    differences_come_by_table_then_column_order,
);

const fn column(name: &'static str, kind: ColumnKind, nullable: bool) -> ColumnContract {
    ColumnContract {
        name,
        field: name,
        kind,
        nullable,
        generated: false,
        primary_key: false,
        mixin: None,
    }
}

const fn mixin(name: &'static str, nullable: bool, mixin: &'static str) -> ColumnContract {
    ColumnContract {
        mixin: Some(mixin),
        ..column(name, ColumnKind::Timestamp, nullable)
    }
}

/// `id: Generated<i64>`, as `add_id_column` makes it.
const ID: ColumnContract = ColumnContract {
    generated: true,
    primary_key: true,
    ..column("id", ColumnKind::BigInt, false)
};

const fn contract(
    table: &'static str,
    rust_name: &'static str,
    columns: &'static [ColumnContract],
) -> TableContract {
    TableContract {
        table,
        rust_name,
        columns,
        timestamps: false,
        soft_delete: false,
        location: Location {
            file: file!(),
            line: line!(),
        },
    }
}

fn connect(test: &TestDb) -> Db {
    Db::connect(test.url()).unwrap_or_else(|e| panic!("cannot connect to {}: {e}", test.url()))
}

fn ok(result: arte_core::Result<()>) {
    result.unwrap_or_else(|e| panic!("the statement failed: {e}"));
}

fn differences(db: &mut Db, contracts: &[&TableContract]) -> Vec<Difference> {
    check(db, contracts).unwrap_or_else(|e| panic!("check failed: {e}"))
}

/// The database's words for a column type, as the check reports them (MariaDB shows
/// display widths).
fn word(kind: Kind, ty: &str) -> String {
    match (kind, ty) {
        (Kind::Mysql, "integer") => "int(11)".to_owned(),
        (Kind::Mysql, "bigint") => "bigint(20)".to_owned(),
        _ => ty.to_owned(),
    }
}

fn missing_column(table: &str, column: &str, mixin: Option<&'static str>) -> Difference {
    Difference::MissingColumn {
        table: table.to_owned(),
        column: column.to_owned(),
        mixin,
    }
}

fn extra_column(table: &str, column: &str, found: String) -> Difference {
    Difference::ExtraColumn {
        table: table.to_owned(),
        column: column.to_owned(),
        found,
    }
}

fn incompatible(table: &str, column: &str, expected: ColumnKind, found: String) -> Difference {
    Difference::IncompatibleType {
        table: table.to_owned(),
        column: column.to_owned(),
        expected,
        found,
    }
}

fn nullability(table: &str, column: &str, contract_nullable: bool) -> Difference {
    Difference::Nullability {
        table: table.to_owned(),
        column: column.to_owned(),
        contract_nullable,
    }
}

/// Every type the schema builder creates, with the kind a contract gives it.
const EVERY_TYPE: [(&str, &str, ColumnKind); 16] = [
    ("small", "smallint", ColumnKind::SmallInt),
    ("count", "integer", ColumnKind::Integer),
    ("total", "bigint", ColumnKind::BigInt),
    ("ratio", "real", ColumnKind::Float),
    ("precise", "double precision", ColumnKind::Double),
    ("active", "boolean", ColumnKind::Bool),
    ("body", "text", ColumnKind::Text),
    ("name", "varchar(40)", ColumnKind::Text),
    ("code", "char(2)", ColumnKind::Text),
    ("data", "blob", ColumnKind::Binary),
    ("day", "date", ColumnKind::Date),
    ("seen_at", "timestamp", ColumnKind::Timestamp),
    ("paid_at", "timestamptz", ColumnKind::TimestampUtc),
    ("doc", "json", ColumnKind::Json),
    ("docb", "jsonb", ColumnKind::Json),
    ("token", "uuid", ColumnKind::Uuid),
];

const fn every_type(nullable: bool) -> [ColumnContract; 20] {
    let mut columns = [ID; 20];
    let mut i = 0;
    while i < EVERY_TYPE.len() {
        columns[i + 1] = column(EVERY_TYPE[i].0, EVERY_TYPE[i].2, nullable);
        i += 1;
    }
    columns[17] = mixin("created_at", false, "timestamps");
    columns[18] = mixin("updated_at", false, "timestamps");
    columns[19] = mixin("deleted_at", true, "soft_delete");
    columns
}

static REQUIRED_COLUMNS: [ColumnContract; 20] = every_type(false);
static OPTIONAL_COLUMNS: [ColumnContract; 20] = every_type(true);

static REQUIRED: TableContract = TableContract {
    timestamps: true,
    soft_delete: true,
    ..contract("required", "Required", &REQUIRED_COLUMNS)
};

static OPTIONAL: TableContract = TableContract {
    timestamps: true,
    soft_delete: true,
    ..contract("optional", "Optional", &OPTIONAL_COLUMNS)
};

fn a_table_built_from_every_type_matches_its_contract(test: &TestDb) {
    let mut db = connect(test);
    for (table, required) in [("required", true), ("optional", false)] {
        let mut create = db.schema().create_table(table).add_id_column();
        for (name, ty, _) in EVERY_TYPE {
            create = create.add_column(name, ty, |c| if required { c.not_null() } else { c });
        }
        ok(create
            .add_timestamp_columns()
            .add_soft_delete_column()
            .execute());
    }
    assert_eq!(differences(&mut db, &[&REQUIRED, &OPTIONAL]), []);
}

static ITEMS: TableContract = contract(
    "items",
    "Item",
    &[
        ID,
        column("name", ColumnKind::Text, false),
        column("price", ColumnKind::Integer, true),
    ],
);

fn create_items(db: &mut Db) {
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(20)", |c| c.not_null())
        .add_column("price", "integer", |c| c)
        .execute());
}

static GHOSTS: TableContract = contract(
    "ghosts",
    "Ghost",
    &[ID, column("name", ColumnKind::Text, false)],
);

fn a_missing_table_is_reported_alone(test: &TestDb) {
    let mut db = connect(test);
    create_items(&mut db);
    assert_eq!(
        differences(&mut db, &[&ITEMS, &GHOSTS]),
        [Difference::MissingTable {
            table: "ghosts".to_owned()
        }]
    );
}

fn a_missing_column_is_reported(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(20)", |c| c.not_null())
        .execute());
    assert_eq!(
        differences(&mut db, &[&ITEMS]),
        [missing_column("items", "price", None)]
    );
}

static POSTS: TableContract = TableContract {
    timestamps: true,
    soft_delete: true,
    ..contract(
        "posts",
        "Post",
        &[
            ID,
            column("title", ColumnKind::Text, false),
            mixin("created_at", false, "timestamps"),
            mixin("updated_at", false, "timestamps"),
            mixin("deleted_at", true, "soft_delete"),
        ],
    )
};

fn a_missing_mixin_column_names_its_mixin(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("posts")
        .add_id_column()
        .add_column("title", "text", |c| c.not_null())
        .add_soft_delete_column()
        .execute());
    assert_eq!(
        differences(&mut db, &[&POSTS]),
        [
            missing_column("posts", "created_at", Some("timestamps")),
            missing_column("posts", "updated_at", Some("timestamps")),
        ]
    );
}

fn extra_columns_are_reported_in_table_order(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("notes", "text", |c| c)
        .add_column("name", "varchar(20)", |c| c.not_null())
        .add_column("price", "integer", |c| c)
        .add_column("rank", "bigint", |c| c.not_null())
        .execute());
    let kind = test.kind();
    assert_eq!(
        differences(&mut db, &[&ITEMS]),
        [
            extra_column("items", "notes", word(kind, "text")),
            extra_column("items", "rank", word(kind, "bigint")),
        ]
    );
}

static COUNTERS: TableContract = contract(
    "counters",
    "Counter",
    &[
        ID,
        column("label", ColumnKind::BigInt, false),
        column("hits", ColumnKind::BigInt, false),
        column("visits", ColumnKind::Integer, false),
    ],
);

fn a_type_that_cannot_hold_the_field_is_reported(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("counters")
        .add_id_column()
        .add_column("label", "text", |c| c.not_null())
        .add_column("hits", "bigint", |c| c.not_null())
        .add_column("visits", "integer", |c| c.not_null())
        .execute());
    assert_eq!(
        differences(&mut db, &[&COUNTERS]),
        [incompatible(
            "counters",
            "label",
            ColumnKind::BigInt,
            word(test.kind(), "text")
        )]
    );
}

fn integers_must_not_narrow(test: &TestDb) {
    let mut db = connect(test);
    // The contract's `i64` on an `integer`, its `i32` on a `bigint`.
    ok(db
        .schema()
        .create_table("counters")
        .add_id_column()
        .add_column("label", "bigint", |c| c.not_null())
        .add_column("hits", "integer", |c| c.not_null())
        .add_column("visits", "bigint", |c| c.not_null())
        .execute());
    let kind = test.kind();
    let expected = match kind {
        // SQLite keeps every integer in 64 bits.
        Kind::Sqlite => vec![],
        Kind::Postgres | Kind::Mysql => vec![
            incompatible(
                "counters",
                "hits",
                ColumnKind::BigInt,
                word(kind, "integer"),
            ),
            incompatible(
                "counters",
                "visits",
                ColumnKind::Integer,
                word(kind, "bigint"),
            ),
        ],
    };
    assert_eq!(differences(&mut db, &[&COUNTERS]), expected);
}

fn a_nullable_column_for_a_required_field_is_reported(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(20)", |c| c)
        .add_column("price", "integer", |c| c)
        .execute());
    assert_eq!(
        differences(&mut db, &[&ITEMS]),
        [nullability("items", "name", false)]
    );
}

fn a_required_column_for_an_option_field_is_reported(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(20)", |c| c.not_null())
        .add_column("price", "integer", |c| c.not_null())
        .execute());
    assert_eq!(
        differences(&mut db, &[&ITEMS]),
        [nullability("items", "price", true)]
    );
}

fn differences_come_by_table_then_column_order(test: &TestDb) {
    let mut db = connect(test);
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("extra", "integer", |c| c)
        .add_column("price", "text", |c| c.not_null())
        .execute());
    ok(db
        .schema()
        .create_table("counters")
        .add_id_column()
        .add_column("visits", "integer", |c| c.not_null())
        .add_column("hits", "bigint", |c| c)
        .execute());
    let kind = test.kind();
    // Contracts by table, whatever order they come in; each column's type before its
    // nullability; extra columns last.
    assert_eq!(
        differences(&mut db, &[&ITEMS, &GHOSTS, &COUNTERS]),
        [
            missing_column("counters", "label", None),
            nullability("counters", "hits", false),
            Difference::MissingTable {
                table: "ghosts".to_owned()
            },
            missing_column("items", "name", None),
            incompatible("items", "price", ColumnKind::Integer, word(kind, "text")),
            nullability("items", "price", true),
            extra_column("items", "extra", word(kind, "integer")),
        ]
    );
}
