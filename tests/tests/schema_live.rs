//! The schema builder on real databases: create, alter, rename and drop tables that hold
//! rows, then read the schema back from the database's own catalog.

use arte_core::Db;
use arte_core::schema::Action;
use arte_tests::{ColumnInfo, Kind, TestDb, per_backend};

fn ok(result: arte_core::Result<()>) {
    result.unwrap_or_else(|e| panic!("the statement failed: {e}"));
}

fn column(name: &str, ty: &str, nullable: bool, default: Option<&str>) -> ColumnInfo {
    ColumnInfo {
        name: name.to_owned(),
        ty: ty.to_owned(),
        nullable,
        default: default.map(str::to_owned),
    }
}

/// The database's own words for arte's types and defaults.
struct Words {
    id: &'static str,
    bigint: &'static str,
    varchar: &'static str,
    text: &'static str,
    decimal: &'static str,
    decimal_12: &'static str,
    boolean: &'static str,
    timestamp: &'static str,
    now: &'static str,
    zero_decimal: &'static str,
    false_: &'static str,
    draft: &'static str,
}

fn words(kind: Kind) -> Words {
    match kind {
        Kind::Sqlite => Words {
            id: "integer",
            bigint: "bigint",
            varchar: "varchar(255)",
            text: "text",
            decimal: "decimal(10, 2)",
            decimal_12: "decimal(12, 2)",
            boolean: "boolean",
            timestamp: "timestamp",
            now: "CURRENT_TIMESTAMP",
            zero_decimal: "0",
            false_: "0",
            draft: "'draft'",
        },
        Kind::Postgres => Words {
            id: "bigint",
            bigint: "bigint",
            varchar: "character varying(255)",
            text: "text",
            decimal: "numeric(10,2)",
            decimal_12: "numeric(12,2)",
            boolean: "boolean",
            timestamp: "timestamp without time zone",
            now: "CURRENT_TIMESTAMP",
            zero_decimal: "0",
            false_: "false",
            draft: "'draft'::text",
        },
        Kind::Mysql => Words {
            id: "bigint(20)",
            bigint: "bigint(20)",
            varchar: "varchar(255)",
            text: "text",
            decimal: "decimal(10,2)",
            decimal_12: "decimal(12,2)",
            boolean: "tinyint(1)",
            timestamp: "datetime",
            now: "current_timestamp()",
            zero_decimal: "0.00",
            false_: "0",
            draft: "'draft'",
        },
    }
}

fn create_users(db: &mut Db) {
    ok(db
        .schema()
        .create_table("users")
        .add_id_column()
        .add_column("email", "varchar(255)", |c| c.not_null())
        .execute());
}

fn create_items(db: &mut Db) {
    ok(db
        .schema()
        .create_table("items")
        .add_id_column()
        .add_column("name", "varchar(255)", |c| c.not_null())
        .add_column("status", "text", |c| c.default("draft"))
        .add_column("price", "decimal(10, 2)", |c| c.not_null().default(0))
        .add_column("active", "boolean", |c| c.not_null().default(false))
        .add_column("owner_id", "bigint", |c| {
            c.references("users.id").on_delete(Action::Cascade)
        })
        .add_timestamp_columns()
        .add_soft_delete_column()
        .add_unique(&["name"])
        .add_index(&["active", "price"])
        .execute());
}

fn create_table_reads_back_as_declared(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    create_items(&mut db);
    let w = words(test.kind());
    assert_eq!(
        test.columns("items"),
        [
            column("id", w.id, false, None),
            column("name", w.varchar, false, None),
            column("status", w.text, true, Some(w.draft)),
            column("price", w.decimal, false, Some(w.zero_decimal)),
            column("active", w.boolean, false, Some(w.false_)),
            column("owner_id", w.bigint, true, None),
            column("created_at", w.timestamp, false, Some(w.now)),
            column("updated_at", w.timestamp, false, Some(w.now)),
            column("deleted_at", w.timestamp, true, None),
        ]
    );
    assert_eq!(test.primary_key("items"), ["id"]);
    let indexes: Vec<(String, Vec<String>, bool)> = test
        .indexes("items")
        .into_iter()
        .filter(|i| i.columns != ["owner_id"]) // MySQL indexes a foreign key's column by itself
        .map(|i| (i.name, i.columns, i.unique))
        .collect();
    let unique_name = match test.kind() {
        // SQLite names a table's unique constraint itself.
        Kind::Sqlite => "sqlite_autoindex_items_1",
        Kind::Postgres | Kind::Mysql => "items_name_unique",
    };
    assert_eq!(
        indexes,
        [
            (
                "items_active_price_index".to_owned(),
                vec!["active".to_owned(), "price".to_owned()],
                false
            ),
            (unique_name.to_owned(), vec!["name".to_owned()], true),
        ]
    );
    let fks = test.foreign_keys("items");
    assert_eq!(fks.len(), 1, "{fks:?}");
    assert_eq!(fks[0].columns, ["owner_id"]);
    assert_eq!(
        (fks[0].ref_table.as_str(), fks[0].ref_columns.as_slice()),
        ("users", &["id".to_owned()][..])
    );
    assert_eq!(fks[0].on_delete, "CASCADE");
    if test.kind() != Kind::Sqlite {
        assert_eq!(fks[0].name.as_deref(), Some("items_owner_id_foreign"));
    }
}

/// Rows to carry through every change: a user, two items, and a child table pointing at
/// items whose rows must survive (no cascade may fire while a table is rebuilt).
fn seed(test: &TestDb) {
    test.execute("INSERT INTO users (email) VALUES ('ada@example.com')");
    test.execute(
        "INSERT INTO items (name, status, price, active, owner_id) VALUES ('Notebook', 'live', 4.50, TRUE, 1), ('Pencil', NULL, 0.80, FALSE, 1)",
    );
    let id = match test.kind() {
        Kind::Mysql => "bigint NOT NULL",
        Kind::Sqlite | Kind::Postgres => "bigint NOT NULL",
    };
    test.execute(&format!(
        "CREATE TABLE reviews (id integer PRIMARY KEY, item_id {id}, FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE)"
    ));
    test.execute("INSERT INTO reviews (id, item_id) VALUES (1, 1), (2, 2)");
}

fn vc(kind: Kind, n: u32) -> String {
    match kind {
        Kind::Postgres => format!("character varying({n})"),
        Kind::Sqlite | Kind::Mysql => format!("varchar({n})"),
    }
}

fn text_default(kind: Kind, text: &str, ty: &str) -> String {
    match kind {
        Kind::Postgres => format!("'{text}'::{ty}"),
        Kind::Sqlite | Kind::Mysql => format!("'{text}'"),
    }
}

fn alter_table_changes_columns_and_keeps_every_row(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    create_items(&mut db);
    seed(test);
    test.execute("UPDATE items SET status = 'archived' WHERE status IS NULL");
    if test.kind() == Kind::Sqlite {
        test.execute("CREATE TRIGGER items_touch AFTER UPDATE ON items BEGIN UPDATE users SET email = email; END");
    }
    ok(db
        .schema()
        .alter_table("items")
        .drop_index("items_active_price_index")
        .add_column("sku", "varchar(32)", |c| c.not_null().default("none"))
        .rename_column("name", "title")
        .change_column("price", "decimal(12, 2)", |c| c.not_null().default(1))
        .change_column("status", "varchar(255)", |c| c.not_null().default("draft"))
        .drop_column("active")
        .add_index(&["sku"])
        .execute());
    let kind = test.kind();
    let w = words(kind);
    let one = match kind {
        Kind::Mysql => "1.00",
        Kind::Sqlite | Kind::Postgres => "1",
    };
    assert_eq!(
        test.columns("items"),
        [
            column("id", w.id, false, None),
            column("title", w.varchar, false, None),
            column(
                "status",
                &vc(kind, 255),
                false,
                Some(&text_default(kind, "draft", "character varying"))
            ),
            column("price", w.decimal_12, false, Some(one)),
            column("owner_id", w.bigint, true, None),
            column("created_at", w.timestamp, false, Some(w.now)),
            column("updated_at", w.timestamp, false, Some(w.now)),
            column("deleted_at", w.timestamp, true, None),
            column(
                "sku",
                &vc(kind, 32),
                false,
                Some(&text_default(kind, "none", "character varying"))
            ),
        ]
    );
    let values: Vec<String> = ["title", "status", "sku"]
        .iter()
        .map(|c| {
            test.strings(&format!("SELECT {c} AS v FROM items ORDER BY id"))
                .join(",")
        })
        .collect();
    assert_eq!(values, ["Notebook,Pencil", "live,archived", "none,none"]);
    let prices = test.strings("SELECT price AS v FROM items ORDER BY id");
    let expected_prices: [&str; 2] = match kind {
        Kind::Sqlite => ["4.5", "0.8"],
        Kind::Postgres | Kind::Mysql => ["4.50", "0.80"],
    };
    assert_eq!(prices, expected_prices);
    let index_names: Vec<String> = test
        .indexes("items")
        .into_iter()
        .filter(|i| i.columns != ["owner_id"])
        .map(|i| format!("{}:{}:{}", i.name, i.columns.join(","), i.unique))
        .collect();
    let unique = match kind {
        Kind::Sqlite => "sqlite_autoindex_items_1:title:true",
        Kind::Postgres | Kind::Mysql => "items_name_unique:title:true",
    };
    let mut expected = vec![unique.to_owned(), "items_sku_index:sku:false".to_owned()];
    expected.sort();
    let mut index_names = index_names;
    index_names.sort();
    assert_eq!(index_names, expected);
    assert_eq!(
        test.foreign_keys("items").len(),
        1,
        "the owner's foreign key is kept"
    );
    assert_eq!(
        test.foreign_keys("reviews").len(),
        1,
        "the review's foreign key still points at items"
    );
    assert_eq!(test.foreign_keys("reviews")[0].ref_table, "items");
    assert_eq!(
        test.count("reviews"),
        2,
        "no cascade fired while items was rebuilt"
    );
    if kind == Kind::Sqlite {
        assert_eq!(
            test.strings("SELECT name AS v FROM sqlite_master WHERE type = 'trigger'"),
            ["items_touch"],
            "the trigger is kept"
        );
        let next: Vec<String> = {
            test.execute("INSERT INTO items (title, price) VALUES ('Eraser', 1)");
            test.strings("SELECT id AS v FROM items WHERE title = 'Eraser'")
        };
        assert_eq!(next, ["3"], "the id sequence goes on where it was");
    }
    assert_eq!(
        test.tables()
            .iter()
            .filter(|t| t.starts_with("__arte"))
            .count(),
        0
    );
}

fn a_failing_alter_changes_nothing_where_ddl_is_transactional(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    create_items(&mut db);
    seed(test);
    let before = test.columns("items");
    let error = db
        .schema()
        .alter_table("items")
        .add_column("sku", "varchar(32)", |c| c.not_null().default("none"))
        .change_column("status", "varchar(255)", |c| c.not_null().default("draft"))
        .execute()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| panic!("a NULL status must make NOT NULL fail"));
    assert!(error.to_lowercase().contains("null"), "{error}");
    assert_eq!(test.count("items"), 2, "no row is lost");
    assert_eq!(test.count("reviews"), 2, "no row is lost");
    match test.kind() {
        Kind::Sqlite | Kind::Postgres => {
            assert_eq!(test.columns("items"), before, "nothing changed")
        }
        // MySQL commits each DDL statement by itself: the column added before the failure stays.
        Kind::Mysql => assert_eq!(test.columns("items").len(), before.len() + 1),
    }
    assert_eq!(
        test.tables()
            .iter()
            .filter(|t| t.starts_with("__arte"))
            .count(),
        0
    );
}

fn keys_and_indexes_are_added_and_dropped_on_a_table_with_rows(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    create_items(&mut db);
    seed(test);
    ok(db
        .schema()
        .alter_table("items")
        .drop_foreign_key(&["owner_id"])
        .add_column("maker_id", "bigint", |c| c)
        .add_foreign_key(&["maker_id"], "users", &["id"], |fk| {
            fk.on_delete(Action::SetNull)
        })
        .add_unique(&["status", "price"])
        .execute());
    let fks = test.foreign_keys("items");
    assert_eq!(fks.len(), 1, "{fks:?}");
    assert_eq!(
        (fks[0].columns.as_slice(), fks[0].on_delete.as_str()),
        (&["maker_id".to_owned()][..], "SET NULL")
    );
    let statuses = test.indexes("items");
    assert!(
        statuses
            .iter()
            .any(|i| i.name == "items_status_price_unique"
                && i.unique
                && i.columns == ["status", "price"]),
        "{statuses:?}"
    );
    // The unique index holds.
    let duplicate = test.db().execute(
        "INSERT INTO items (name, status, price, active) VALUES ('Copy', 'live', 4.50, TRUE)",
    );
    assert!(duplicate.is_err(), "a duplicate (status, price) is refused");
    ok(db
        .schema()
        .drop_index("items", "items_status_price_unique")
        .execute());
    ok(db
        .schema()
        .create_index("items", &["name", "status"])
        .unique()
        .execute());
    ok(db
        .schema()
        .create_index("items", &["price"])
        .name("items_by_price")
        .execute());
    ok(db.schema().drop_index("items", "items_by_price").execute());
    let names: Vec<String> = test.indexes("items").into_iter().map(|i| i.name).collect();
    assert!(
        names.contains(&"items_name_status_unique".to_owned()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"items_status_price_unique".to_owned())
            && !names.contains(&"items_by_price".to_owned()),
        "{names:?}"
    );
    assert_eq!(test.count("items"), 2);
}

fn tables_holding_rows_are_renamed_and_dropped(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    create_items(&mut db);
    seed(test);
    ok(db.schema().rename_table("items", "products").execute());
    assert_eq!(test.count("products"), 2);
    assert_eq!(
        test.foreign_keys("reviews")[0].ref_table,
        "products",
        "references follow the rename"
    );
    ok(db.schema().drop_table("reviews").execute());
    ok(db.schema().drop_table("reviews").if_exists().execute());
    ok(db.schema().drop_table("products").execute());
    assert_eq!(test.tables(), ["users"]);
}

fn composite_keys_read_back(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    ok(db
        .schema()
        .create_table("memberships")
        .add_column("user_id", "bigint", |c| c.not_null())
        .add_column("team", "varchar(40)", |c| c.not_null())
        .add_column("role", "varchar(20)", |c| c.not_null().default("member"))
        .primary_key(&["user_id", "team"])
        .add_unique(&["team", "role"])
        .add_foreign_key(&["user_id"], "users", &["id"], |fk| {
            fk.on_delete(Action::Cascade)
        })
        .execute());
    assert_eq!(test.primary_key("memberships"), ["user_id", "team"]);
    let unique: Vec<Vec<String>> = test
        .indexes("memberships")
        .into_iter()
        .filter(|i| i.unique)
        .map(|i| i.columns)
        .collect();
    assert_eq!(unique, [vec!["team".to_owned(), "role".to_owned()]]);
    let fk = &test.foreign_keys("memberships")[0];
    assert_eq!(
        (fk.ref_table.as_str(), fk.on_delete.as_str()),
        ("users", "CASCADE")
    );
}

/// A column's `unique()`, a key given a name of its own and a unique column added later are
/// dropped by the names the README gives them, on every database (PostgreSQL named a
/// column's unique constraint `<table>_<column>_key`, MySQL after the column; SQLite kept a
/// key's own name only in the table's SQL, and a rebuild renamed it); a name that is not
/// there is refused, not passed over.
fn constraints_are_dropped_by_the_names_they_are_given(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    ok(db
        .schema()
        .create_table("orders")
        .add_id_column()
        .add_column("number", "varchar(32)", |c| c.not_null().unique())
        .add_column("user_id", "bigint", |c| c.not_null())
        .add_column("note", "text", |c| c)
        .add_foreign_key(&["user_id"], "users", &["id"], |fk| {
            fk.name("orders_owner_fk").on_delete(Action::Restrict)
        })
        .execute());
    if test.kind() != Kind::Sqlite {
        // SQLite names its indexes itself (`sqlite_autoindex_…`); the name is in the SQL.
        let names: Vec<String> = test.indexes("orders").into_iter().map(|i| i.name).collect();
        assert!(
            names.contains(&"orders_number_unique".to_owned()),
            "{names:?}"
        );
    }
    // A change SQLite carries out by rebuilding the table, which keeps the key's name.
    ok(db
        .schema()
        .alter_table("orders")
        .drop_column("note")
        .execute());
    ok(db
        .schema()
        .alter_table("orders")
        .add_column("code", "varchar(20)", |c| c.unique())
        .execute());
    ok(db.execute("INSERT INTO users (email) VALUES ('a@x')"));
    let order = |number: &str, code: &str| {
        format!("INSERT INTO orders (number, user_id, code) VALUES ('{number}', 1, '{code}')")
    };
    ok(db.execute(&order("n1", "c1")));
    assert!(
        db.execute(&order("n1", "c2")).is_err(),
        "`number` is unique"
    );
    assert!(db.execute(&order("n2", "c1")).is_err(), "`code` is unique");
    ok(db
        .schema()
        .alter_table("orders")
        .drop_unique(&["number"])
        .drop_unique(&["code"])
        .drop_foreign_key_named("orders_owner_fk")
        .execute());
    ok(db.execute(&order("n1", "c1")));
    assert_eq!(test.count("orders"), 2);
    assert_eq!(test.foreign_keys("orders").len(), 0);
    let missing = db
        .schema()
        .alter_table("orders")
        .drop_unique_named("orders_nope_unique")
        .execute()
        .expect_err("a unique constraint that is not there is refused");
    assert!(
        missing.to_string().contains("orders_nope_unique"),
        "{missing}"
    );
    let missing = db
        .schema()
        .alter_table("orders")
        .drop_foreign_key_named("orders_nope_foreign")
        .execute()
        .expect_err("a foreign key that is not there is refused");
    assert!(
        missing.to_string().contains("orders_nope_foreign"),
        "{missing}"
    );
    assert_eq!(test.count("orders"), 2);
}

/// `SET DEFAULT` is kept where the database carries it out; MySQL/MariaDB take it and act
/// as `RESTRICT`, so there the builder refuses it, naming the key, before any SQL runs.
fn a_foreign_key_that_sets_the_default_is_kept_or_refused_before_anything_runs(test: &TestDb) {
    let mut db = test.db();
    create_users(&mut db);
    let created = db
        .schema()
        .create_table("links")
        .add_id_column()
        .add_column("user_id", "bigint", |c| {
            c.references("users.id").on_delete(Action::SetDefault)
        })
        .add_column("owner_id", "bigint", |c| c)
        .execute();
    if test.kind() == Kind::Mysql {
        let refused = created.expect_err("SET DEFAULT is refused on MySQL/MariaDB");
        assert_eq!(
            refused.to_string(),
            "the foreign key `links_user_id_foreign` of `links` (user_id) asks for `ON DELETE SET DEFAULT`, which MySQL/MariaDB does not carry out (it refuses the change instead); use `set_null`, `restrict` or `cascade` (`Action::SetNull`, `Action::Restrict`, `Action::Cascade`), or set the default in the application"
        );
        assert_eq!(test.tables(), ["users"], "nothing ran");
        ok(db
            .schema()
            .create_table("links")
            .add_id_column()
            .add_column("user_id", "bigint", |c| c)
            .add_column("owner_id", "bigint", |c| c)
            .execute());
    } else {
        ok(created);
    }
    let added = db
        .schema()
        .alter_table("links")
        .add_foreign_key(&["owner_id"], "users", &["id"], |fk| {
            fk.name("links_owner").on_update(Action::SetDefault)
        })
        .execute();
    let sql_only = arte_core::schema::Schema::sql_only()
        .alter_table("links")
        .add_column("maker_id", "bigint", |c| {
            c.references("users.id").on_update(Action::SetDefault)
        })
        .to_sql(arte_core::Backend::Mysql)
        .expect_err("`to_sql` refuses it too");
    assert!(
        sql_only.to_string().contains(
            "`links_maker_id_foreign` of `links` (maker_id) asks for `ON UPDATE SET DEFAULT`"
        ),
        "{sql_only}"
    );
    let fks = test.foreign_keys("links");
    if test.kind() == Kind::Mysql {
        let refused = added.expect_err("SET DEFAULT is refused on MySQL/MariaDB");
        assert!(
            refused
                .to_string()
                .contains("`links_owner` of `links` (owner_id) asks for `ON UPDATE SET DEFAULT`"),
            "{refused}"
        );
        assert_eq!(fks, [], "nothing ran");
    } else {
        ok(added);
        let fks = test.foreign_keys("links");
        let actions: Vec<(&[String], &str, &str)> = fks
            .iter()
            .map(|fk| {
                (
                    fk.columns.as_slice(),
                    fk.on_delete.as_str(),
                    fk.on_update.as_str(),
                )
            })
            .collect();
        let owner = ["owner_id".to_owned()];
        let user = ["user_id".to_owned()];
        assert_eq!(
            actions,
            [
                (&owner[..], "NO ACTION", "SET DEFAULT"),
                (&user[..], "SET DEFAULT", "NO ACTION")
            ]
        );
    }
}

/// MariaDB drops a foreign key's own index once a new index starts with the key's columns,
/// and then will not drop that one: the builder says which key needs it and what to write,
/// before anything runs; written that way, the drop goes through on every database.
fn an_index_a_foreign_key_took_over_is_dropped_with_the_key_around_it(test: &TestDb) {
    let mut db = test.db();
    ok(db.schema().create_table("labels").add_id_column().execute());
    ok(db
        .schema()
        .create_table("links")
        .add_id_column()
        .add_column("label_id", "bigint", |c| c.references("labels.id"))
        .add_column("note", "varchar(40)", |c| c)
        .execute());
    ok(db
        .schema()
        .create_index("links", &["label_id", "note"])
        .name("links_lbl_note")
        .unique()
        .execute());
    ok(db
        .schema()
        .alter_table("links")
        .add_unique(&["label_id", "id"])
        .execute());
    let dropped = db.schema().drop_index("links", "links_lbl_note").execute();
    let unique = db
        .schema()
        .alter_table("links")
        .drop_unique(&["label_id", "id"])
        .execute();
    if test.kind() == Kind::Mysql {
        // Either index serves the key while the other is there.
        ok(dropped);
        let refused = unique.expect_err("the last index the key can use is kept");
        assert_eq!(
            refused.to_string(),
            "MySQL/MariaDB cannot drop the index `links_label_id_id_unique` of `links`, which the foreign key `links_label_id_foreign` (label_id) needs; in the same `alter_table`, drop that key first (`drop_foreign_key_named(\"links_label_id_foreign\")`) and add it again after (`add_foreign_key`), or add an index over (label_id) before the drop"
        );
        let names: Vec<String> = test.indexes("links").into_iter().map(|i| i.name).collect();
        assert!(
            names.contains(&"links_label_id_id_unique".to_owned()),
            "{names:?}"
        );
        ok(db
            .schema()
            .alter_table("links")
            .drop_foreign_key(&["label_id"])
            .drop_unique(&["label_id", "id"])
            .add_foreign_key(&["label_id"], "labels", &["id"], |fk| fk)
            .execute());
    } else {
        ok(dropped);
        ok(unique);
    }
    let names: Vec<String> = test.indexes("links").into_iter().map(|i| i.name).collect();
    assert!(
        !names.contains(&"links_lbl_note".to_owned())
            && !names.contains(&"links_label_id_id_unique".to_owned()),
        "{names:?}"
    );
    let fks = test.foreign_keys("links");
    assert_eq!(fks.len(), 1, "{fks:?}");
    assert_eq!(fks[0].columns, ["label_id"]);
}

per_backend!(
    an_index_a_foreign_key_took_over_is_dropped_with_the_key_around_it,
    a_foreign_key_that_sets_the_default_is_kept_or_refused_before_anything_runs,
    constraints_are_dropped_by_the_names_they_are_given,
    create_table_reads_back_as_declared,
    alter_table_changes_columns_and_keeps_every_row,
    a_failing_alter_changes_nothing_where_ddl_is_transactional,
    keys_and_indexes_are_added_and_dropped_on_a_table_with_rows,
    tables_holding_rows_are_renamed_and_dropped,
    composite_keys_read_back,
);
