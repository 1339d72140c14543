//! `check` on real databases: tables made with the schema builder, compared with contracts
//! written by hand, and the exact differences it reports: columns (type, width,
//! nullability, default), indexes, unique constraints and foreign keys.

use arte_core::Db;
use arte_core::Location;
use arte_core::contract::check::{Difference, check};
use arte_core::contract::{
    ColumnContract, ColumnKind, ColumnType, ContractDefault, ForeignKeyContract, Generate,
    IndexContract, TableContract, plan_migration,
};
use arte_core::schema::Action;
use arte_core::{DatabaseUrl, Registry};
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
    keys_indexes_defaults_and_declared_types_built_by_the_builder_match_their_contract,
    a_missing_and_an_extra_index_are_reported,
    a_missing_and_an_extra_unique_constraint_over_two_columns_are_reported,
    missing_extra_and_different_foreign_keys_are_reported,
    different_missing_and_undeclared_defaults_are_reported,
    text_too_narrow_or_too_wide_for_its_declared_length_is_reported,
    a_decimal_of_another_precision_or_type_is_reported,
    string_defaults_with_quotes_backslashes_and_wildcards_match_themselves,
    a_contract_key_that_sets_the_default_is_written_or_refused_before_anything_runs,
);

const fn column(name: &'static str, kind: ColumnKind, nullable: bool) -> ColumnContract {
    ColumnContract {
        name,
        field: name,
        kind,
        ty: match kind.default_type() {
            Some(ty) => ty,
            None => ColumnType::Decimal(10, 2),
        },
        nullable,
        generated: false,
        primary_key: false,
        default: None,
        mixin: None,
    }
}

/// A column whose contract declares its type.
const fn typed(
    name: &'static str,
    kind: ColumnKind,
    ty: ColumnType,
    nullable: bool,
) -> ColumnContract {
    ColumnContract {
        ty,
        ..column(name, kind, nullable)
    }
}

const fn defaults(column: ColumnContract, default: ContractDefault) -> ColumnContract {
    ColumnContract {
        default: Some(default),
        ..column
    }
}

/// `created_at`/`updated_at` (default now) or `deleted_at`, as `#[table]` declares them.
const fn mixin(name: &'static str, nullable: bool, mixin: &'static str) -> ColumnContract {
    ColumnContract {
        mixin: Some(mixin),
        default: if nullable {
            None
        } else {
            Some(ContractDefault::Raw("CURRENT_TIMESTAMP"))
        },
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
        indexes: &[],
        foreign_keys: &[],
        timestamps: false,
        soft_delete: false,
        location: Location {
            file: file!(),
            line: line!(),
        },
    }
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

fn different_type(table: &str, column: &str, expected: &str, found: &str) -> Difference {
    Difference::DifferentType {
        table: table.to_owned(),
        column: column.to_owned(),
        expected: expected.to_owned(),
        found: found.to_owned(),
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
const EVERY_TYPE: [(&str, &str, ColumnKind, ColumnType); 17] = [
    (
        "small",
        "smallint",
        ColumnKind::SmallInt,
        ColumnType::SmallInt,
    ),
    ("count", "integer", ColumnKind::Integer, ColumnType::Integer),
    ("total", "bigint", ColumnKind::BigInt, ColumnType::BigInt),
    ("ratio", "real", ColumnKind::Float, ColumnType::Real),
    (
        "precise",
        "double precision",
        ColumnKind::Double,
        ColumnType::Double,
    ),
    ("active", "boolean", ColumnKind::Bool, ColumnType::Boolean),
    ("body", "text", ColumnKind::Text, ColumnType::Text),
    (
        "name",
        "varchar(40)",
        ColumnKind::Text,
        ColumnType::Varchar(40),
    ),
    ("code", "char(2)", ColumnKind::Text, ColumnType::Char(2)),
    ("data", "blob", ColumnKind::Binary, ColumnType::Blob),
    ("day", "date", ColumnKind::Date, ColumnType::Date),
    (
        "seen_at",
        "timestamp",
        ColumnKind::Timestamp,
        ColumnType::Timestamp,
    ),
    (
        "paid_at",
        "timestamptz",
        ColumnKind::TimestampUtc,
        ColumnType::TimestampTz,
    ),
    ("doc", "json", ColumnKind::Json, ColumnType::Json),
    ("docb", "jsonb", ColumnKind::Json, ColumnType::Jsonb),
    ("token", "uuid", ColumnKind::Uuid, ColumnType::Uuid),
    (
        "price",
        "decimal(10, 2)",
        ColumnKind::Decimal,
        ColumnType::Decimal(10, 2),
    ),
];

const fn every_type(nullable: bool) -> [ColumnContract; 21] {
    let mut columns = [ID; 21];
    let mut i = 0;
    while i < EVERY_TYPE.len() {
        let (name, _, kind, ty) = EVERY_TYPE[i];
        columns[i + 1] = typed(name, kind, ty, nullable);
        i += 1;
    }
    columns[18] = mixin("created_at", false, "timestamps");
    columns[19] = mixin("updated_at", false, "timestamps");
    columns[20] = mixin("deleted_at", true, "soft_delete");
    columns
}

static REQUIRED_COLUMNS: [ColumnContract; 21] = every_type(false);
static OPTIONAL_COLUMNS: [ColumnContract; 21] = every_type(true);

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
    let mut db = test.db();
    for (table, required) in [("required", true), ("optional", false)] {
        let mut create = db.schema().create_table(table).add_id_column();
        for (name, ty, _, _) in EVERY_TYPE {
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
        typed("name", ColumnKind::Text, ColumnType::Varchar(20), false),
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
    let mut db = test.db();
    create_items(&mut db);
    assert_eq!(
        differences(&mut db, &[&ITEMS, &GHOSTS]),
        [Difference::MissingTable {
            table: "ghosts".to_owned()
        }]
    );
}

fn a_missing_column_is_reported(test: &TestDb) {
    let mut db = test.db();
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
    let mut db = test.db();
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
    let mut db = test.db();
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
    let mut db = test.db();
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
    let mut db = test.db();
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
        // SQLite keeps every integer in 64 bits: the values fit, but the types are not the
        // ones the contract declares.
        Kind::Sqlite => vec![
            different_type("counters", "hits", "bigint", "integer"),
            different_type("counters", "visits", "integer", "bigint"),
        ],
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
    let mut db = test.db();
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
    let mut db = test.db();
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
    let mut db = test.db();
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

// -- Keys, indexes, defaults and declared types.

/// The database's words for a type arte wrote, as the check reports them.
fn written(kind: Kind, ty: &str) -> String {
    let numbers = |text: &str| -> Option<(String, String)> {
        let inner = text.strip_prefix("decimal(")?.strip_suffix(')')?;
        let (p, s) = inner.split_once(',')?;
        Some((p.trim().to_owned(), s.trim().to_owned()))
    };
    match (kind, numbers(ty)) {
        (Kind::Postgres, Some((p, s))) => return format!("numeric({p},{s})"),
        (Kind::Mysql, Some((p, s))) => return format!("decimal({p},{s})"),
        _ => {}
    }
    match (kind, ty.strip_prefix("varchar")) {
        (Kind::Postgres, Some(length)) => format!("character varying{length}"),
        _ => ty.to_owned(),
    }
}

static USERS_COLUMNS: [ColumnContract; 4] = [
    ID,
    typed("email", ColumnKind::Text, ColumnType::Varchar(255), false),
    typed("name", ColumnKind::Text, ColumnType::Varchar(120), false),
    column("team_id", ColumnKind::BigInt, false),
];

static USERS: TableContract = TableContract {
    indexes: &[
        IndexContract {
            columns: &["email"],
            unique: true,
        },
        IndexContract {
            columns: &["name"],
            unique: false,
        },
        IndexContract {
            columns: &["team_id", "name"],
            unique: true,
        },
    ],
    ..contract("users", "User", &USERS_COLUMNS)
};

static ORDERS_COLUMNS: [ColumnContract; 8] = [
    ID,
    column("user_id", ColumnKind::BigInt, false),
    typed("number", ColumnKind::Text, ColumnType::Varchar(32), false),
    defaults(
        typed(
            "total",
            ColumnKind::Decimal,
            ColumnType::Decimal(10, 2),
            false,
        ),
        ContractDefault::Number("0"),
    ),
    defaults(
        column("paid", ColumnKind::Bool, false),
        ContractDefault::Bool(false),
    ),
    defaults(
        column("note", ColumnKind::Text, true),
        ContractDefault::Text("none"),
    ),
    defaults(
        column("rating", ColumnKind::Double, false),
        ContractDefault::Number("-1.5"),
    ),
    defaults(
        column("placed_at", ColumnKind::Timestamp, false),
        ContractDefault::Raw("CURRENT_TIMESTAMP"),
    ),
];

static ORDERS: TableContract = TableContract {
    indexes: &[
        IndexContract {
            columns: &["number"],
            unique: true,
        },
        IndexContract {
            columns: &["user_id", "placed_at"],
            unique: false,
        },
    ],
    foreign_keys: &[ForeignKeyContract {
        columns: &["user_id"],
        table: "users",
        references: &["id"],
        on_delete: Some(Action::Cascade),
        on_update: None,
    }],
    ..contract("orders", "Order", &ORDERS_COLUMNS)
};

fn create_users(db: &mut Db) {
    ok(db
        .schema()
        .create_table("users")
        .add_id_column()
        .add_column("email", "varchar(255)", |c| c.not_null().unique())
        .add_column("name", "varchar(120)", |c| c.not_null())
        .add_column("team_id", "bigint", |c| c.not_null())
        .add_index(&["name"])
        .add_unique(&["team_id", "name"])
        .execute());
}

fn keys_indexes_defaults_and_declared_types_built_by_the_builder_match_their_contract(
    test: &TestDb,
) {
    let mut db = test.db();
    create_users(&mut db);
    ok(db
        .schema()
        .create_table("orders")
        .add_id_column()
        .add_column("user_id", "bigint", |c| {
            c.not_null()
                .references("users.id")
                .on_delete(Action::Cascade)
        })
        .add_column("number", "varchar(32)", |c| c.not_null().unique())
        .add_column("total", "decimal(10, 2)", |c| c.not_null().default(0))
        .add_column("paid", "boolean", |c| c.not_null().default(false))
        .add_column("note", "text", |c| c.default("none"))
        .add_column("rating", "double precision", |c| c.not_null().default(-1.5))
        .add_column("placed_at", "timestamp", |c| {
            c.not_null().default_raw("CURRENT_TIMESTAMP")
        })
        .add_index(&["user_id", "placed_at"])
        .execute());
    assert_eq!(differences(&mut db, &[&USERS, &ORDERS]), []);
}

fn a_missing_and_an_extra_index_are_reported(test: &TestDb) {
    let mut db = test.db();
    ok(db
        .schema()
        .create_table("users")
        .add_id_column()
        .add_column("email", "varchar(255)", |c| c.not_null().unique())
        .add_column("name", "varchar(120)", |c| c.not_null())
        .add_column("team_id", "bigint", |c| c.not_null())
        .add_index(&["team_id"])
        .add_unique(&["team_id", "name"])
        .execute());
    assert_eq!(
        differences(&mut db, &[&USERS]),
        [
            Difference::MissingIndex {
                table: "users".into(),
                columns: vec!["name".into()],
                unique: false,
            },
            Difference::ExtraIndex {
                table: "users".into(),
                name: "users_team_id_index".into(),
                columns: vec!["team_id".into()],
                unique: false,
            },
        ]
    );
}

fn a_missing_and_an_extra_unique_constraint_over_two_columns_are_reported(test: &TestDb) {
    let mut db = test.db();
    ok(db
        .schema()
        .create_table("users")
        .add_id_column()
        .add_column("email", "varchar(255)", |c| c.not_null().unique())
        .add_column("name", "varchar(120)", |c| c.not_null())
        .add_column("team_id", "bigint", |c| c.not_null())
        .add_index(&["name"])
        .execute());
    // Built later, as a unique index; the columns in the other order are another key.
    ok(db
        .schema()
        .alter_table("users")
        .add_unique(&["name", "team_id"])
        .execute());
    assert_eq!(
        differences(&mut db, &[&USERS]),
        [
            Difference::MissingIndex {
                table: "users".into(),
                columns: vec!["team_id".into(), "name".into()],
                unique: true,
            },
            Difference::ExtraIndex {
                table: "users".into(),
                name: "users_name_team_id_unique".into(),
                columns: vec!["name".into(), "team_id".into()],
                unique: true,
            },
        ]
    );
}

static SHIPMENTS_COLUMNS: [ColumnContract; 4] = [
    ID,
    column("user_id", ColumnKind::BigInt, false),
    column("courier_id", ColumnKind::BigInt, true),
    column("referrer_id", ColumnKind::BigInt, true),
];

static SHIPMENTS: TableContract = TableContract {
    foreign_keys: &[
        ForeignKeyContract {
            columns: &["user_id"],
            table: "users",
            references: &["id"],
            on_delete: Some(Action::Cascade),
            on_update: None,
        },
        ForeignKeyContract {
            columns: &["referrer_id"],
            table: "users",
            references: &["id"],
            on_delete: Some(Action::SetNull),
            on_update: None,
        },
    ],
    ..contract("shipments", "Shipment", &SHIPMENTS_COLUMNS)
};

fn missing_extra_and_different_foreign_keys_are_reported(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    ok(db
        .schema()
        .create_table("shipments")
        .add_id_column()
        .add_column("user_id", "bigint", |c| c.not_null().references("users.id"))
        .add_column("courier_id", "bigint", |c| c.references("users.id"))
        .add_column("referrer_id", "bigint", |c| c)
        .execute());
    assert_eq!(
        differences(&mut db, &[&SHIPMENTS]),
        [
            Difference::DifferentForeignKey {
                table: "shipments".into(),
                columns: vec!["user_id".into()],
                expected: "users.id ON DELETE CASCADE".into(),
                found: "users.id no actions".into(),
            },
            Difference::MissingForeignKey {
                table: "shipments".into(),
                columns: vec!["referrer_id".into()],
                references: "users.id".into(),
            },
            Difference::ExtraForeignKey {
                table: "shipments".into(),
                name: "shipments_courier_id_foreign".into(),
                columns: vec!["courier_id".into()],
                references: "users.id".into(),
            },
        ]
    );
}

fn different_missing_and_undeclared_defaults_are_reported(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    ok(db
        .schema()
        .create_table("orders")
        .add_id_column()
        .add_column("user_id", "bigint", |c| {
            c.not_null()
                .references("users.id")
                .on_delete(Action::Cascade)
        })
        .add_column("number", "varchar(32)", |c| c.not_null().unique())
        .add_column("total", "decimal(10, 2)", |c| c.not_null().default(1))
        .add_column("paid", "boolean", |c| c.not_null())
        .add_column("note", "text", |c| c.default("none"))
        .add_column("rating", "double precision", |c| {
            c.not_null().default(-1.50)
        })
        .add_column("placed_at", "timestamp", |c| c.not_null())
        .add_index(&["user_id", "placed_at"])
        .execute());
    ok(db
        .schema()
        .alter_table("orders")
        .set_default("note", "nothing")
        .execute());
    let default =
        |column: &str, expected: Option<&str>, found: Option<&str>| Difference::DifferentDefault {
            table: "orders".into(),
            column: column.into(),
            expected: expected.map(str::to_owned),
            found: found.map(str::to_owned),
        };
    assert_eq!(
        differences(&mut db, &[&ORDERS]),
        [
            default("total", Some("0"), Some("1")),
            default("paid", Some("false"), None),
            default("note", Some("'none'"), Some("'nothing'")),
            default("placed_at", Some("CURRENT_TIMESTAMP"), None),
        ]
    );
}

static PROFILES_COLUMNS: [ColumnContract; 4] = [
    ID,
    typed("email", ColumnKind::Text, ColumnType::Varchar(255), false),
    typed("name", ColumnKind::Text, ColumnType::Varchar(120), false),
    column("bio", ColumnKind::Text, true),
];

static PROFILES: TableContract = contract("profiles", "Profile", &PROFILES_COLUMNS);

fn text_too_narrow_or_too_wide_for_its_declared_length_is_reported(test: &TestDb) {
    let mut db = test.db();
    ok(db
        .schema()
        .create_table("profiles")
        .add_id_column()
        .add_column("email", "varchar(100)", |c| c.not_null())
        .add_column("name", "text", |c| c.not_null())
        .add_column("bio", "varchar(500)", |c| c)
        .execute());
    let kind = test.kind();
    let types = |column: &str, expected: &str, found: &str, narrow: bool| {
        let (table, column, expected) = ("profiles".into(), column.into(), expected.into());
        let found = written(kind, found);
        if narrow {
            Difference::TypeTooNarrow {
                table,
                column,
                expected,
                found,
            }
        } else {
            Difference::TypeTooWide {
                table,
                column,
                expected,
                found,
            }
        }
    };
    assert_eq!(
        differences(&mut db, &[&PROFILES]),
        [
            types("email", "varchar(255)", "varchar(100)", true),
            types("name", "varchar(120)", "text", false),
            types("bio", "text", "varchar(500)", true),
        ]
    );
}

static PRICES_COLUMNS: [ColumnContract; 4] = [
    ID,
    typed(
        "total",
        ColumnKind::Decimal,
        ColumnType::Decimal(10, 2),
        false,
    ),
    typed(
        "fee",
        ColumnKind::Decimal,
        ColumnType::Decimal(10, 2),
        false,
    ),
    typed(
        "ratio",
        ColumnKind::Decimal,
        ColumnType::Decimal(10, 2),
        false,
    ),
];

static PRICES: TableContract = contract("prices", "Price", &PRICES_COLUMNS);

fn a_decimal_of_another_precision_or_type_is_reported(test: &TestDb) {
    let mut db = test.db();
    ok(db
        .schema()
        .create_table("prices")
        .add_id_column()
        .add_column("total", "decimal(12, 2)", |c| c.not_null())
        .add_column("fee", "decimal(8, 2)", |c| c.not_null())
        .add_column("ratio", "decimal(10, 4)", |c| c.not_null())
        .execute());
    let kind = test.kind();
    let table = || "prices".to_owned();
    let expected = || "decimal(10, 2)".to_owned();
    assert_eq!(
        differences(&mut db, &[&PRICES]),
        [
            Difference::TypeTooWide {
                table: table(),
                column: "total".into(),
                expected: expected(),
                found: written(kind, "decimal(12, 2)"),
            },
            Difference::TypeTooNarrow {
                table: table(),
                column: "fee".into(),
                expected: expected(),
                found: written(kind, "decimal(8, 2)"),
            },
            Difference::DifferentType {
                table: table(),
                column: "ratio".into(),
                expected: expected(),
                found: written(kind, "decimal(10, 4)"),
            },
        ]
    );
}

/// Strings a default must hold as written: quotes, backslashes (MySQL's escape), `LIKE`'s
/// wildcards, control characters, letters beyond ASCII, nothing at all.
const AWKWARD: [&str; 12] = [
    "it's \\ \"q\"",
    "'",
    "''",
    "\\",
    "\\'",
    "\\n is not a newline",
    "100%_done",
    "a\\%b\\_c",
    "line\nnext\ttab\rend",
    "héllo ✓ 日本",
    "NULL",
    "",
];

const fn awkward_columns(ty: ColumnType) -> [ColumnContract; 13] {
    const NAMES: [&str; 12] = [
        "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11",
    ];
    let mut columns = [ID; 13];
    let mut i = 0;
    while i < AWKWARD.len() {
        columns[i + 1] = defaults(
            typed(NAMES[i], ColumnKind::Text, ty, true),
            ContractDefault::Text(AWKWARD[i]),
        );
        i += 1;
    }
    columns
}

static NOTES_TEXT_COLUMNS: [ColumnContract; 13] = awkward_columns(ColumnType::Text);
static NOTES_VARCHAR_COLUMNS: [ColumnContract; 13] = awkward_columns(ColumnType::Varchar(40));
static NOTES_TEXT: TableContract = contract("notes_text", "NoteText", &NOTES_TEXT_COLUMNS);
static NOTES_VARCHAR: TableContract =
    contract("notes_varchar", "NoteVarchar", &NOTES_VARCHAR_COLUMNS);

/// MariaDB's catalog quotes a string default with MySQL's escapes (`\'`, `\\`, `\n`, and
/// `''` in a `varchar`); read back, every default is its own value again, on each database,
/// and a row takes it as written.
fn string_defaults_with_quotes_backslashes_and_wildcards_match_themselves(test: &TestDb) {
    let mut db = test.db();
    for (table, ty) in [("notes_text", "text"), ("notes_varchar", "varchar(40)")] {
        let mut create = db.schema().create_table(table).add_id_column();
        for (i, text) in AWKWARD.iter().enumerate() {
            create = create.add_column(&format!("d{i}"), ty, |c| c.default(*text));
        }
        ok(create.execute());
        ok(db.execute(&format!("INSERT INTO {table} (id) VALUES (1)")));
        for (i, text) in AWKWARD.iter().enumerate() {
            assert_eq!(
                test.strings(&format!("SELECT d{i} AS v FROM {table}")),
                [*text],
                "{table}.d{i}"
            );
        }
    }
    assert_eq!(differences(&mut db, &[&NOTES_TEXT, &NOTES_VARCHAR]), []);
}

static LABELS_COLUMNS: [ColumnContract; 1] = [ID];
static LABELS: TableContract = contract("labels", "Label", &LABELS_COLUMNS);
static LINKS_COLUMNS: [ColumnContract; 2] = [ID, column("label_id", ColumnKind::BigInt, true)];
static LINKS: TableContract = TableContract {
    foreign_keys: &[ForeignKeyContract {
        columns: &["label_id"],
        table: "labels",
        references: &["id"],
        on_delete: Some(Action::SetDefault),
        on_update: None,
    }],
    ..contract("links", "Link", &LINKS_COLUMNS)
};

/// `on_delete = "set_default"` becomes a migration where the database carries it out; on
/// MySQL/MariaDB, which take it and act as `RESTRICT`, `migration:make --from-contracts`
/// refuses it with the key, before any scratch database is made.
fn a_contract_key_that_sets_the_default_is_written_or_refused_before_anything_runs(test: &TestDb) {
    let url = DatabaseUrl::parse(test.url()).unwrap_or_else(|e| panic!("{e}"));
    let registry = Registry::from_migrations([]).unwrap_or_else(|e| panic!("{e}"));
    let planned = plan_migration(
        &url,
        &registry,
        &[&LABELS, &LINKS],
        &Generate::new("2026_01_01_00_00_links"),
    );
    if test.kind() == Kind::Mysql {
        let refused = planned.expect_err("SET DEFAULT is refused on MySQL/MariaDB");
        assert_eq!(
            refused.to_string(),
            "the foreign key `links_label_id_foreign` of `links` (label_id) asks for `ON DELETE SET DEFAULT`, which MySQL/MariaDB does not carry out (it refuses the change instead); use `set_null`, `restrict` or `cascade` (`Action::SetNull`, `Action::Restrict`, `Action::Cascade`), or set the default in the application"
        );
    } else {
        let plan = planned.unwrap_or_else(|e| panic!("the migration is written: {e}"));
        assert!(
            plan.source.contains("on_delete(Action::SetDefault)"),
            "{}",
            plan.source
        );
    }
}
