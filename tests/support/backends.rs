//! A database of one test's own on SQLite, PostgreSQL or MySQL/MariaDB, and what is in it.
//!
//! [`TestDb::new`] creates a uniquely named, empty database; dropping the [`TestDb`] drops it.
//! The introspection methods read the database's own catalog with diesel, independent of
//! arte, so a suite can check what arte did. [`per_backend!`](crate::per_backend) runs one
//! test body on every backend the crate's features enable.
//!
//! The servers come from environment variables; a server that cannot be reached fails the
//! test at once, it is never skipped:
//!
//! | backend       | variable                 | default                                       |
//! |---------------|--------------------------|-----------------------------------------------|
//! | PostgreSQL    | `ARTE_TEST_POSTGRES_URL` | `postgres://postgres@127.0.0.1:5432/postgres` |
//! | MySQL/MariaDB | `ARTE_TEST_MYSQL_URL`    | `mysql://root@127.0.0.1:3306/mysql`           |

use crate::Scratch;
use diesel::backend::Backend;
use diesel::connection::SimpleConnection;
use diesel::deserialize::{self, FromSql};
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{Connection, QueryResult, QueryableByName, RunQueryDsl, SqliteConnection};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

const POSTGRES_VAR: &str = "ARTE_TEST_POSTGRES_URL";
const POSTGRES_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const MYSQL_VAR: &str = "ARTE_TEST_MYSQL_URL";
const MYSQL_DEFAULT: &str = "mysql://root@127.0.0.1:3306/mysql";

/// The longest database name every backend accepts (PostgreSQL's limit).
const MAX_NAME_LEN: usize = 63;

/// A database backend a test can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite file in a scratch directory.
    Sqlite,
    /// A database on the PostgreSQL server at `$ARTE_TEST_POSTGRES_URL`.
    Postgres,
    /// A database on the MySQL/MariaDB server at `$ARTE_TEST_MYSQL_URL`.
    Mysql,
}

/// One column of a table, as the database reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The column's name.
    pub name: String,
    /// The database's own full type text, lower-cased: SQLite the declared type,
    /// PostgreSQL `format_type(atttypid, atttypmod)`, MySQL/MariaDB `COLUMN_TYPE`.
    pub ty: String,
    /// Whether the column accepts NULL (SQLite: its `notnull` flag is off).
    pub nullable: bool,
    /// The default expression as the database reports it, `None` when there is none
    /// (MariaDB's `NULL` for "no default" on a nullable column is `None` too).
    pub default: Option<String>,
}

/// One index of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexInfo {
    /// The index's name (SQLite names unique constraints' indexes `sqlite_autoindex_<table>_<n>`).
    pub name: String,
    /// Its key columns in key order; an expression appears as the database prints it
    /// (PostgreSQL), or as `(expression)` where the catalog names no column.
    pub columns: Vec<String>,
    /// Whether it is unique.
    pub unique: bool,
}

/// One foreign key of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyInfo {
    /// The constraint's name; `None` on SQLite, whose catalog does not report it.
    pub name: Option<String>,
    /// The referencing columns, in key order.
    pub columns: Vec<String>,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns, in key order (on SQLite a key written without them
    /// references the primary key, which is what this then lists).
    pub ref_columns: Vec<String>,
    /// The ON DELETE action, upper-case: `CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT`, `NO ACTION`.
    pub on_delete: String,
    /// The ON UPDATE action, upper-case, as for `on_delete`.
    pub on_update: String,
}

/// Where a test database lives.
enum Home {
    /// A SQLite file; the scratch directory holding it is removed on drop.
    File { path: PathBuf, _scratch: Scratch },
    /// A database on a server, dropped through `admin_url` on drop.
    Server { admin_url: String },
    /// Another [`TestDb`]'s database reached through another server (a cluster's other
    /// node, a standby): dropping it drops nothing.
    View,
}

/// A database of one test's own, empty when created and dropped when this is dropped.
///
/// Every method opens its own connection, so nothing is held open between calls and arte
/// can use [`url`](TestDb::url) at the same time. Every failure panics with the SQL and the
/// database's error.
pub struct TestDb {
    kind: Kind,
    name: String,
    url: String,
    home: Home,
}

impl TestDb {
    /// Creates a uniquely named, empty database for one test. SQLite: a file in a
    /// [`Scratch`] dir. PostgreSQL: `CREATE DATABASE` on the server at
    /// `$ARTE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
    /// MySQL: `CREATE DATABASE` on the server at `$ARTE_TEST_MYSQL_URL` (default
    /// `mysql://root@127.0.0.1:3306/mysql`).
    ///
    /// The name is `arte_<label>_<pid>_<counter>`: lower-case, only `[a-z0-9_]`, at most 63
    /// characters (the label is cut to fit). A leftover database of the same name, which
    /// can only come from an earlier process with the same id, is dropped first.
    ///
    /// # Panics
    ///
    /// When the server cannot be reached (the message names the variable and the URL; the
    /// test is never skipped), when the database cannot be created, and for PostgreSQL or
    /// MySQL when the arte-tests feature `postgres` or `mysql` is not enabled.
    pub fn new(kind: Kind, label: &str) -> TestDb {
        TestDb::create(kind, label, None)
    }

    /// Like [`TestDb::new`], on the server at `admin_url` instead of the one the
    /// environment names (a cluster's node, a primary with standbys).
    pub fn on_server(kind: Kind, admin_url: &str, label: &str) -> TestDb {
        TestDb::create(kind, label, Some(admin_url))
    }

    /// This database as another server of the same cluster sees it, at `server_url` (its
    /// database replaced by this one's): for reading through another node or a standby.
    /// Dropping the view drops nothing.
    pub fn view(&self, server_url: &str) -> TestDb {
        TestDb {
            kind: self.kind,
            name: self.name.clone(),
            url: with_database(server_url, &self.name),
            home: Home::View,
        }
    }

    fn create(kind: Kind, label: &str, admin_url: Option<&str>) -> TestDb {
        let name = database_name(label);
        match kind {
            Kind::Sqlite => {
                let scratch = Scratch::new(&name);
                let path = scratch.join(&format!("{name}.sqlite3"));
                let url = format!("sqlite://{}", path.display());
                let db = TestDb {
                    kind,
                    name,
                    url,
                    home: Home::File {
                        path,
                        _scratch: scratch,
                    },
                };
                // Opening the file creates it: the database exists from here on.
                drop(db.connect());
                db
            }
            Kind::Postgres | Kind::Mysql => {
                let (var, default) = server_variable(kind);
                let configured = std::env::var(var).ok().filter(|url| !url.trim().is_empty());
                let source = match (admin_url, &configured) {
                    (Some(_), _) => "given by the test".to_owned(),
                    (None, Some(_)) => format!("from {var}"),
                    (None, None) => format!("the default, {var} being unset"),
                };
                let admin_url = admin_url
                    .map(str::to_owned)
                    .or(configured)
                    .unwrap_or_else(|| default.to_owned());
                let mut admin = Conn::open(kind, &admin_url).unwrap_or_else(|e| {
                    panic!(
                        "cannot reach the {} server for the backend tests at {admin_url} ({source}): \
                         {}. Start the server, or point {var} at one.",
                        display_name(kind),
                        e.to_string().trim_end()
                    )
                });
                // One statement at a time: PostgreSQL runs neither in a transaction block.
                for sql in [
                    drop_database_sql(kind, &name),
                    create_database_sql(kind, &name),
                ] {
                    admin.execute(&sql).unwrap_or_else(|e| {
                        panic!(
                            "cannot create the test database on {admin_url}: `{sql}` failed: {e}"
                        )
                    });
                }
                let url = with_database(&admin_url, &name);
                TestDb {
                    kind,
                    name,
                    url,
                    home: Home::Server { admin_url },
                }
            }
        }
    }

    /// The backend this database is on.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The database's name, `arte_<label>_<pid>_<counter>` (on SQLite the file's stem).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL of this test's own database, for arte: `sqlite:///tmp/…/<name>.sqlite3`,
    /// or the server's URL with its database replaced by this one.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// arte's connection to this test's database.
    pub fn db(&self) -> arte_core::Db {
        arte_core::Db::connect(&self.url)
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.url))
    }

    /// The user tables, sorted (SQLite's own `sqlite_%` tables excluded).
    pub fn tables(&self) -> Vec<String> {
        let sql = match self.kind {
            Kind::Sqlite => {
                "SELECT name AS v FROM sqlite_master \
                 WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            }
            Kind::Postgres => {
                "SELECT c.relname::text AS v FROM pg_catalog.pg_class c \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
            }
            Kind::Mysql => {
                "SELECT TABLE_NAME AS v FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"
            }
        };
        let mut tables: Vec<String> = self
            .rows::<Value>(sql, &[])
            .into_iter()
            .filter_map(|row| row.v)
            .collect();
        tables.sort();
        tables
    }

    /// The columns of `table`, in column order; empty when there is no such table.
    pub fn columns(&self, table: &str) -> Vec<ColumnInfo> {
        let sql = match self.kind {
            Kind::Sqlite => {
                "SELECT name, type AS ty, \
                 CASE WHEN \"notnull\" = 0 THEN 'YES' ELSE 'NO' END AS nullable, \
                 dflt_value AS dflt \
                 FROM pragma_table_info(?) ORDER BY cid"
            }
            Kind::Postgres => {
                "SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS ty, \
                 CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS nullable, \
                 pg_get_expr(d.adbin, d.adrelid) AS dflt \
                 FROM pg_catalog.pg_attribute a \
                 LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped \
                 ORDER BY a.attnum"
            }
            Kind::Mysql => {
                "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS ty, IS_NULLABLE AS nullable, \
                 COLUMN_DEFAULT AS dflt \
                 FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? \
                 ORDER BY ORDINAL_POSITION"
            }
        };
        self.rows::<ColumnRow>(sql, &[table])
            .into_iter()
            .map(|row| ColumnInfo {
                name: row.name,
                ty: row.ty.unwrap_or_default().to_lowercase(),
                nullable: row.nullable == "YES",
                default: match row.dflt {
                    Some(text) if self.kind == Kind::Mysql && text == "NULL" => None,
                    other => other,
                },
            })
            .collect()
    }

    /// The primary key's columns of `table`, in key order; empty when it has none.
    pub fn primary_key(&self, table: &str) -> Vec<String> {
        let sql = match self.kind {
            Kind::Sqlite => "SELECT name AS v FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
            Kind::Postgres => {
                "SELECT a.attname::text AS v FROM pg_catalog.pg_constraint con \
                 CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
                 WHERE con.conrelid = to_regclass(quote_ident($1)) AND con.contype = 'p' \
                 ORDER BY k.ord"
            }
            Kind::Mysql => {
                "SELECT COLUMN_NAME AS v FROM information_schema.STATISTICS \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' \
                 ORDER BY SEQ_IN_INDEX"
            }
        };
        self.rows::<Value>(sql, &[table])
            .into_iter()
            .filter_map(|row| row.v)
            .collect()
    }

    /// The indexes of `table`, sorted by name: every index except the primary key's,
    /// unique constraints' indexes included (and, on MySQL/MariaDB, the indexes the server
    /// adds for foreign keys).
    pub fn indexes(&self, table: &str) -> Vec<IndexInfo> {
        let sql = match self.kind {
            Kind::Sqlite => {
                "SELECT il.name AS name, CASE WHEN il.\"unique\" THEN 'YES' ELSE 'NO' END AS uniq, \
                 ii.name AS col \
                 FROM pragma_index_list(?) AS il JOIN pragma_index_info(il.name) AS ii \
                 WHERE il.origin <> 'pk' \
                 ORDER BY il.name, ii.seqno"
            }
            Kind::Postgres => {
                "SELECT ic.relname::text AS name, \
                 CASE WHEN i.indisunique THEN 'YES' ELSE 'NO' END AS uniq, \
                 COALESCE(a.attname::text, pg_get_indexdef(i.indexrelid, k.ord, true)) AS col \
                 FROM pg_catalog.pg_index i \
                 JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
                 CROSS JOIN LATERAL generate_series(1, i.indnkeyatts::int) AS k(ord) \
                 LEFT JOIN pg_catalog.pg_attribute a \
                   ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.ord - 1] AND a.attnum > 0 \
                 WHERE i.indrelid = to_regclass(quote_ident($1)) AND NOT i.indisprimary \
                 ORDER BY ic.relname, k.ord"
            }
            Kind::Mysql => {
                "SELECT INDEX_NAME AS name, CASE WHEN NON_UNIQUE = 0 THEN 'YES' ELSE 'NO' END AS uniq, \
                 COLUMN_NAME AS col \
                 FROM information_schema.STATISTICS \
                 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' \
                 ORDER BY INDEX_NAME, SEQ_IN_INDEX"
            }
        };
        let mut indexes: Vec<IndexInfo> = Vec::new();
        for row in self.rows::<IndexRow>(sql, &[table]) {
            let column = row.col.unwrap_or_else(|| "(expression)".to_owned());
            match indexes.last_mut() {
                Some(last) if last.name == row.name => last.columns.push(column),
                _ => indexes.push(IndexInfo {
                    name: row.name,
                    columns: vec![column],
                    unique: row.uniq == "YES",
                }),
            }
        }
        indexes.sort_by(|a, b| a.name.cmp(&b.name));
        indexes
    }

    /// The foreign keys of `table`, sorted by their first column.
    pub fn foreign_keys(&self, table: &str) -> Vec<ForeignKeyInfo> {
        let sql = match self.kind {
            Kind::Sqlite => {
                "SELECT NULL AS name, id, \"from\" AS col, \"table\" AS ref_table, \"to\" AS ref_col, \
                 on_delete, on_update \
                 FROM pragma_foreign_key_list(?) ORDER BY id, seq"
            }
            Kind::Postgres => {
                "SELECT con.conname::text AS name, con.conname::text AS id, a.attname::text AS col, \
                 rc.relname::text AS ref_table, ra.attname::text AS ref_col, \
                 CASE con.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' \
                   WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' \
                   ELSE con.confdeltype::text END AS on_delete, \
                 CASE con.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' \
                   WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' \
                   ELSE con.confupdtype::text END AS on_update \
                 FROM pg_catalog.pg_constraint con \
                 CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refattnum, ord) \
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
                 JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid \
                 JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refattnum \
                 WHERE con.conrelid = to_regclass(quote_ident($1)) AND con.contype = 'f' \
                 ORDER BY con.conname, k.ord"
            }
            Kind::Mysql => {
                "SELECT k.CONSTRAINT_NAME AS name, k.CONSTRAINT_NAME AS id, k.COLUMN_NAME AS col, \
                 k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_col, \
                 r.DELETE_RULE AS on_delete, r.UPDATE_RULE AS on_update \
                 FROM information_schema.KEY_COLUMN_USAGE k \
                 JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
                   ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
                   AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
                 WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? \
                   AND k.REFERENCED_TABLE_NAME IS NOT NULL \
                 ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION"
            }
        };
        // Rows come grouped by key and in key order within a key.
        let mut keys: Vec<(String, ForeignKeyInfo, bool)> = Vec::new();
        for row in self.rows::<ForeignKeyRow>(sql, &[table]) {
            let implicit = row.ref_col.is_none();
            match keys.last_mut() {
                Some((id, key, any_implicit)) if *id == row.id => {
                    key.columns.push(row.col);
                    key.ref_columns.extend(row.ref_col);
                    *any_implicit |= implicit;
                }
                _ => keys.push((
                    row.id,
                    ForeignKeyInfo {
                        name: row.name,
                        columns: vec![row.col],
                        ref_table: row.ref_table,
                        ref_columns: row.ref_col.into_iter().collect(),
                        on_delete: row.on_delete.to_uppercase(),
                        on_update: row.on_update.to_uppercase(),
                    },
                    implicit,
                )),
            }
        }
        let mut keys: Vec<ForeignKeyInfo> = keys
            .into_iter()
            .map(|(_, mut key, implicit)| {
                // SQLite: `REFERENCES parent` without columns means the parent's primary key.
                if implicit {
                    key.ref_columns = self.primary_key(&key.ref_table);
                }
                key
            })
            .collect();
        keys.sort_by(|a, b| {
            (&a.columns, &a.ref_table, &a.name).cmp(&(&b.columns, &b.ref_table, &b.name))
        });
        keys
    }

    /// Every row's value of `sql`, which selects one column aliased `v`, as text, in the
    /// query's order; NULL is `"NULL"`.
    ///
    /// The text is the database's own: PostgreSQL casts with `::text` (`true`, `12.50`,
    /// `2026-01-02 03:04:05`), for which `sql` is run as a subquery; SQLite converts as
    /// `sqlite3_column_text` does (`1`, `12.5` for a REAL); MySQL/MariaDB values are shown
    /// as its text protocol would (`1`, `12.50`, `2026-01-02 03:04:05`, fractions of a
    /// second as six digits when not zero; a negative TIME is refused by diesel and panics).
    pub fn strings(&self, sql: &str) -> Vec<String> {
        let query = match self.kind {
            Kind::Postgres => format!(
                "SELECT (arte_strings.v)::text AS v FROM ({}) AS arte_strings",
                sql.trim().trim_end_matches(';')
            ),
            Kind::Sqlite | Kind::Mysql => sql.to_owned(),
        };
        self.rows::<Shown>(&query, &[])
            .into_iter()
            .map(|row| row.v.map_or_else(|| "NULL".to_owned(), |text| text.0))
            .collect()
    }

    /// `SELECT COUNT(*) FROM table` (the name quoted for the backend).
    pub fn count(&self, table: &str) -> i64 {
        let quoted = match self.kind {
            Kind::Mysql => format!("`{}`", table.replace('`', "``")),
            Kind::Sqlite | Kind::Postgres => format!("\"{}\"", table.replace('"', "\"\"")),
        };
        let sql = format!("SELECT COUNT(*) AS n FROM {quoted}");
        let rows = self.rows::<Number>(&sql, &[]);
        rows.first()
            .map(|row| row.n)
            .unwrap_or_else(|| panic!("`{sql}` on {} returned no row", self.url))
    }

    /// Runs one or more statements (SQLite connections have `PRAGMA foreign_keys = ON`).
    ///
    /// # Panics
    ///
    /// When a statement fails; the message holds the SQL and the database's error.
    pub fn execute(&self, sql: &str) {
        self.connect()
            .execute(sql)
            .unwrap_or_else(|e| panic!("`{sql}` failed on {}: {e}", self.url));
    }

    /// Whether the database can be opened now (a database created on one node of a
    /// cluster reaches the others a moment later).
    pub fn can_connect(&self) -> bool {
        match &self.home {
            Home::File { path, .. } => path.exists(),
            Home::Server { .. } | Home::View => Conn::open(self.kind, &self.url).is_ok(),
        }
    }

    /// A new connection to this database.
    fn connect(&self) -> Conn {
        let target = match &self.home {
            Home::File { path, .. } => path.to_string_lossy().into_owned(),
            Home::Server { .. } | Home::View => self.url.clone(),
        };
        Conn::open(self.kind, &target)
            .unwrap_or_else(|e| panic!("cannot open the test database {}: {e}", self.url))
    }

    /// Every row of `sql`, with `params` bound as text in order.
    fn rows<T: Row>(&self, sql: &str, params: &[&str]) -> Vec<T> {
        self.connect()
            .load(sql, params)
            .unwrap_or_else(|e| panic!("`{sql}` with {params:?} failed on {}: {e}", self.url))
    }
}

impl Drop for TestDb {
    /// Drops a server database (`DROP DATABASE IF EXISTS`, on PostgreSQL `WITH (FORCE)`);
    /// a SQLite file goes with its scratch directory. Failures are reported on stderr,
    /// never as a panic.
    fn drop(&mut self) {
        let Home::Server { admin_url } = &self.home else {
            return;
        };
        let sql = drop_database_sql(self.kind, &self.name);
        let outcome = Conn::open(self.kind, admin_url)
            .map_err(|e| e.to_string())
            .and_then(|mut admin| admin.execute(&sql).map_err(|e| e.to_string()));
        if let Err(error) = outcome {
            eprintln!(
                "warning: could not drop the test database {} on {admin_url}: {error}",
                self.name
            );
        }
    }
}

/// `per_backend!(name_a, name_b);` — for each `fn name_a(db: &TestDb)` in the calling file,
/// generates `mod sqlite { #[test] fn name_a() }`, and `mod postgres`/`mod mysql` behind the
/// calling crate's `postgres`/`mysql` features, each creating its own TestDb.
///
/// Each generated test creates a [`TestDb`](crate::backends::TestDb) labelled with the
/// function's name and passes it to the function; the database is dropped when the test
/// ends, failed or not. The calling file must not have items named `sqlite`, `postgres` or
/// `mysql` of its own (such as `use arte_tests::sqlite;`).
///
/// ```ignore
/// use arte_tests::{per_backend, TestDb};
///
/// per_backend!(creates_the_table);
///
/// fn creates_the_table(db: &TestDb) {
///     db.execute("CREATE TABLE t (id integer)");
///     assert_eq!(db.tables(), ["t"]);
/// }
/// ```
#[macro_export]
macro_rules! per_backend {
    ($($name:ident),+ $(,)?) => {
        /// The tests on a SQLite file of their own.
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    let db = $crate::backends::TestDb::new(
                        $crate::backends::Kind::Sqlite,
                        ::core::stringify!($name),
                    );
                    super::$name(&db);
                }
            )+
        }

        /// The tests on a PostgreSQL database of their own.
        #[cfg(feature = "postgres")]
        mod postgres {
            $(
                #[test]
                fn $name() {
                    let db = $crate::backends::TestDb::new(
                        $crate::backends::Kind::Postgres,
                        ::core::stringify!($name),
                    );
                    super::$name(&db);
                }
            )+
        }

        /// The tests on a MySQL/MariaDB database of their own.
        #[cfg(feature = "mysql")]
        mod mysql {
            $(
                #[test]
                fn $name() {
                    let db = $crate::backends::TestDb::new(
                        $crate::backends::Kind::Mysql,
                        ::core::stringify!($name),
                    );
                    super::$name(&db);
                }
            )+
        }
    };
}

/// `arte_<label>_<pid>_<counter>`: lower-case, `[a-z0-9_]` only, the label cut so the
/// whole is at most [`MAX_NAME_LEN`] characters.
fn database_name(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let suffix = format!(
        "_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let room = MAX_NAME_LEN.saturating_sub("arte_".len() + suffix.len());
    let label: String = label
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_') => c,
            _ => '_',
        })
        .take(room)
        .collect();
    format!("arte_{label}{suffix}")
}

/// `url` with its database (the path) replaced by `name`, its query string kept.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = url.split_at(url.find('?').unwrap_or(url.len()));
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let base = match head[authority_start..].find('/') {
        Some(slash) => &head[..authority_start + slash],
        None => head,
    };
    format!("{base}/{name}{query}")
}

/// The variable naming the server for `kind`, and its default.
fn server_variable(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Postgres => (POSTGRES_VAR, POSTGRES_DEFAULT),
        Kind::Mysql => (MYSQL_VAR, MYSQL_DEFAULT),
        Kind::Sqlite => ("", ""),
    }
}

fn create_database_sql(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Mysql => format!("CREATE DATABASE `{name}`"),
        Kind::Sqlite | Kind::Postgres => format!("CREATE DATABASE \"{name}\""),
    }
}

fn drop_database_sql(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Mysql => format!("DROP DATABASE IF EXISTS `{name}`"),
        Kind::Sqlite | Kind::Postgres => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    }
}

/// The backend's name for messages.
fn display_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Sqlite => "SQLite",
        Kind::Postgres => "PostgreSQL",
        Kind::Mysql => "MySQL/MariaDB",
    }
}

/// Panics for a backend whose arte-tests feature is off.
#[allow(dead_code)]
fn not_compiled_in(kind: Kind) -> ! {
    let feature = match kind {
        Kind::Postgres => "postgres",
        Kind::Mysql => "mysql",
        Kind::Sqlite => "sqlite",
    };
    panic!(
        "{} tests need diesel's {feature} backend: enable the arte-tests feature \
         `{feature}` (cargo test -p arte-tests --features {feature})",
        display_name(kind)
    )
}

/// One open connection, whichever the backend.
enum Conn {
    Sqlite(SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(diesel::MysqlConnection),
}

impl Conn {
    /// Connects to `target`: a file path for SQLite, a URL for the servers.
    fn open(kind: Kind, target: &str) -> Result<Conn, diesel::ConnectionError> {
        match kind {
            Kind::Sqlite => {
                let mut conn = SqliteConnection::establish(target)?;
                conn.batch_execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(Conn::Sqlite(conn))
            }
            #[cfg(feature = "postgres")]
            Kind::Postgres => Ok(Conn::Postgres(diesel::PgConnection::establish(target)?)),
            #[cfg(feature = "mysql")]
            Kind::Mysql => Ok(Conn::Mysql(diesel::MysqlConnection::establish(target)?)),
            #[allow(unreachable_patterns)]
            other => not_compiled_in(other),
        }
    }

    fn execute(&mut self, sql: &str) -> QueryResult<()> {
        match self {
            Conn::Sqlite(conn) => conn.batch_execute(sql),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => conn.batch_execute(sql),
            #[cfg(feature = "mysql")]
            Conn::Mysql(conn) => conn.batch_execute(sql),
        }
    }

    fn load<T: Row>(&mut self, sql: &str, params: &[&str]) -> QueryResult<Vec<T>> {
        match self {
            Conn::Sqlite(conn) => bind_all::<Sqlite>(sql, params).load(conn),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => bind_all::<diesel::pg::Pg>(sql, params).load(conn),
            #[cfg(feature = "mysql")]
            Conn::Mysql(conn) => bind_all::<diesel::mysql::Mysql>(sql, params).load(conn),
        }
    }
}

/// `sql` with every parameter bound as text.
fn bind_all<'a, DB>(
    sql: &str,
    params: &[&str],
) -> BoxedSqlQuery<'a, DB, diesel::query_builder::SqlQuery>
where
    DB: Backend + diesel::sql_types::HasSqlType<Text>,
    String: diesel::serialize::ToSql<Text, DB>,
{
    params
        .iter()
        .fold(diesel::sql_query(sql).into_boxed::<DB>(), |query, param| {
            query.bind::<Text, _>((*param).to_owned())
        })
}

/// A row type every compiled-in backend can load.
trait Row: QueryableByName<Sqlite> + PgRow + MysqlRow + 'static {}
impl<T: QueryableByName<Sqlite> + PgRow + MysqlRow + 'static> Row for T {}

#[cfg(feature = "postgres")]
trait PgRow: QueryableByName<diesel::pg::Pg> {}
#[cfg(feature = "postgres")]
impl<T: QueryableByName<diesel::pg::Pg>> PgRow for T {}
#[cfg(not(feature = "postgres"))]
trait PgRow {}
#[cfg(not(feature = "postgres"))]
impl<T> PgRow for T {}

#[cfg(feature = "mysql")]
trait MysqlRow: QueryableByName<diesel::mysql::Mysql> {}
#[cfg(feature = "mysql")]
impl<T: QueryableByName<diesel::mysql::Mysql>> MysqlRow for T {}
#[cfg(not(feature = "mysql"))]
trait MysqlRow {}
#[cfg(not(feature = "mysql"))]
impl<T> MysqlRow for T {}

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<String>,
}

/// One value of any type, as text (see [`TestDb::strings`]).
#[derive(QueryableByName)]
struct Shown {
    #[diesel(sql_type = Nullable<Text>)]
    v: Option<ShownText>,
}

/// A value read back as text whatever its type.
///
/// SQLite converts to text itself and PostgreSQL's query casts; MySQL's binary protocol
/// hands over the value in its own type, which is rendered here.
struct ShownText(String);

impl FromSql<Text, Sqlite> for ShownText {
    fn from_sql(value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <String as FromSql<Text, Sqlite>>::from_sql(value).map(ShownText)
    }
}

#[cfg(feature = "postgres")]
impl FromSql<Text, diesel::pg::Pg> for ShownText {
    fn from_sql(value: diesel::pg::PgValue<'_>) -> deserialize::Result<Self> {
        <String as FromSql<Text, diesel::pg::Pg>>::from_sql(value).map(ShownText)
    }
}

#[cfg(feature = "mysql")]
impl FromSql<Text, diesel::mysql::Mysql> for ShownText {
    fn from_sql(value: diesel::mysql::MysqlValue<'_>) -> deserialize::Result<Self> {
        use diesel::mysql::MysqlType as T;
        use diesel::mysql::data_types::MysqlTime;

        fn exact<const N: usize>(bytes: &[u8]) -> deserialize::Result<[u8; N]> {
            bytes
                .try_into()
                .map_err(|_| format!("expected {N} bytes, got {}", bytes.len()).into())
        }

        let bytes = value.as_bytes();
        let tpe = value.value_type();
        let text = match tpe {
            T::Tiny => i8::from_ne_bytes(exact(bytes)?).to_string(),
            T::UnsignedTiny => u8::from_ne_bytes(exact(bytes)?).to_string(),
            T::Short => i16::from_ne_bytes(exact(bytes)?).to_string(),
            T::UnsignedShort => u16::from_ne_bytes(exact(bytes)?).to_string(),
            T::Long => i32::from_ne_bytes(exact(bytes)?).to_string(),
            T::UnsignedLong => u32::from_ne_bytes(exact(bytes)?).to_string(),
            T::LongLong => i64::from_ne_bytes(exact(bytes)?).to_string(),
            T::UnsignedLongLong => u64::from_ne_bytes(exact(bytes)?).to_string(),
            T::Float => f32::from_ne_bytes(exact(bytes)?).to_string(),
            T::Double => f64::from_ne_bytes(exact(bytes)?).to_string(),
            T::Bit => bytes
                .iter()
                .fold(0u128, |n, byte| (n << 8) | u128::from(*byte))
                .to_string(),
            T::Date | T::Time | T::DateTime | T::Timestamp => {
                let t = <MysqlTime as FromSql<diesel::sql_types::Timestamp, _>>::from_sql(value)?;
                let fraction = if t.second_part == 0 {
                    String::new()
                } else {
                    format!(".{:06}", t.second_part)
                };
                let date = format!("{:04}-{:02}-{:02}", t.year, t.month, t.day);
                match tpe {
                    T::Date => date,
                    T::Time => format!(
                        "{}{:02}:{:02}:{:02}{fraction}",
                        if t.neg { "-" } else { "" },
                        t.day * 24 + t.hour,
                        t.minute,
                        t.second
                    ),
                    _ => format!(
                        "{date} {:02}:{:02}:{:02}{fraction}",
                        t.hour, t.minute, t.second
                    ),
                }
            }
            // Numeric arrives as its decimal text; strings, blobs, sets and enums as bytes.
            _ => String::from_utf8_lossy(bytes).into_owned(),
        };
        Ok(ShownText(text))
    }
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    ty: Option<String>,
    #[diesel(sql_type = Text)]
    nullable: String,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    uniq: String,
    #[diesel(sql_type = Nullable<Text>)]
    col: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    col: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Nullable<Text>)]
    ref_col: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_lower_case_word_characters_and_fits_63() {
        let name =
            database_name("Mixed-Case label with spaces, ünïcode and a very long tail to cut off");
        assert!(name.len() <= MAX_NAME_LEN, "{name} is {} long", name.len());
        assert!(
            name.starts_with("arte_mixed_case_label_with_spaces"),
            "{name}"
        );
        assert!(
            name.chars()
                .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_')),
            "{name}"
        );
        assert!(
            name.contains(&format!("_{}_", std::process::id())),
            "{name}"
        );
    }

    #[test]
    fn database_names_in_one_process_differ() {
        assert_ne!(database_name("same"), database_name("same"));
    }

    #[test]
    fn with_database_replaces_the_path_and_keeps_the_query() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "arte_x"),
            "postgres://postgres@127.0.0.1:5432/arte_x"
        );
        assert_eq!(
            with_database("mysql://root:pw@db:3306/mysql?ssl_mode=disabled", "arte_x"),
            "mysql://root:pw@db:3306/arte_x?ssl_mode=disabled"
        );
        assert_eq!(
            with_database("postgres://u@host", "arte_x"),
            "postgres://u@host/arte_x"
        );
        assert_eq!(
            with_database("postgres://u@host?sslmode=disable", "arte_x"),
            "postgres://u@host/arte_x?sslmode=disable"
        );
    }
}
