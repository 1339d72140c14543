//! The workload: N migrations, each creating a six-column table with an index, registered by
//! hand (10,000 `#[migration]` functions would take minutes to compile). One `up` and one
//! `down` serve every migration: they read the running migration's name to know the table.

use arte_core::{Backend, Db, Migration, Registry, Result, schema::Schema};
use std::sync::OnceLock;

/// Every migration's name is this prefix and its table's name.
const PREFIX: &str = "2026_01_01_00_00_create_table_";

/// The table the template is rendered for; replaced by each migration's own table name.
const TEMPLATE_TABLE: &str = "t000000";

/// How the migrations say their DDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// `db.schema().create_table(..)…execute()` and `drop_table(..)`.
    Builder,
    /// The same statements as SQL text through `db.execute(sql)`.
    RawSql,
}

impl Workload {
    pub const ALL: [Workload; 2] = [Workload::Builder, Workload::RawSql];

    pub fn label(self) -> &'static str {
        match self {
            Workload::Builder => "arte: schema builder",
            Workload::RawSql => "arte: raw SQL",
        }
    }

    /// The N migrations of this workload, registered by hand.
    pub fn registry(self, n: usize) -> Registry {
        let (up, down): (arte_core::MigrationFn, arte_core::MigrationFn) = match self {
            Workload::Builder => (up_builder, down_builder),
            Workload::RawSql => (up_sql, down_sql),
        };
        let migrations = (0..n).map(|i| {
            let name: &'static str = format!("{PREFIX}{}", table_name(i)).leak();
            let migration: &'static Migration =
                Box::leak(Box::new(Migration::new(name, up, Some(down))));
            migration
        });
        Registry::from_migrations(migrations).expect("the generated migration names are unique")
    }
}

/// `t000042`: zero-padded, so that name order is number order.
pub fn table_name(i: usize) -> String {
    format!("t{i:06}")
}

/// The builder statement every migration runs, for `table`.
fn create_table<'a>(schema: Schema<'a>, table: &str) -> arte_core::schema::CreateTable<'a> {
    schema
        .create_table(table)
        .add_id_column()
        .add_column("name", "varchar(255)", |c| c.not_null())
        .add_column("body", "text", |c| c)
        .add_column("quantity", "integer", |c| c.not_null().default(0))
        .add_column("price", "decimal(10, 2)", |c| c.not_null().default(0))
        .add_column("created_at", "timestamp", |c| {
            c.not_null().default_raw("CURRENT_TIMESTAMP")
        })
        .add_index(&["name"])
}

/// The SQL text of the workload on one backend, rendered once by arte's own builder, so
/// that the raw-SQL workload and the floor run exactly the statements the builder runs.
pub struct Sql {
    create: Vec<String>,
    drop: Vec<String>,
}

impl Sql {
    pub fn of(backend: Backend) -> &'static Sql {
        static SQL: OnceLock<Vec<(Backend, Sql)>> = OnceLock::new();
        let all = SQL.get_or_init(|| {
            Backend::ALL
                .into_iter()
                .map(|backend| {
                    let create = create_table(Schema::sql_only(), TEMPLATE_TABLE)
                        .to_sql(backend)
                        .expect("the workload's CREATE TABLE renders on every backend");
                    let drop = Schema::sql_only()
                        .drop_table(TEMPLATE_TABLE)
                        .to_sql(backend)
                        .expect("the workload's DROP TABLE renders on every backend");
                    (backend, Sql { create, drop })
                })
                .collect()
        });
        all.iter()
            .find(|(b, _)| *b == backend)
            .map(|(_, sql)| sql)
            .expect("Backend::ALL lists every backend")
    }

    /// The statements that create `table` and its index.
    pub fn create(&self, table: &str) -> Vec<String> {
        self.create
            .iter()
            .map(|s| s.replace(TEMPLATE_TABLE, table))
            .collect()
    }

    /// The statement that drops `table`.
    pub fn drop(&self, table: &str) -> Vec<String> {
        self.drop
            .iter()
            .map(|s| s.replace(TEMPLATE_TABLE, table))
            .collect()
    }

    /// Everything, for the report.
    pub fn describe(&self) -> String {
        self.create.join(";\n") + ";"
    }
}

/// The table of the migration that is running.
fn running_table(db: &Db) -> Result<&'static str> {
    db.migration_name()
        .and_then(|name| name.strip_prefix(PREFIX))
        .ok_or_else(|| arte_core::Error::msg("a benchmark migration ran outside the Migrator"))
}

fn up_builder(db: &mut Db) -> Result<()> {
    let table = running_table(db)?;
    create_table(db.schema(), table).execute()
}

fn down_builder(db: &mut Db) -> Result<()> {
    let table = running_table(db)?;
    db.schema().drop_table(table).execute()
}

fn up_sql(db: &mut Db) -> Result<()> {
    let table = running_table(db)?;
    for sql in Sql::of(db.backend()).create(table) {
        db.execute(&sql)?;
    }
    Ok(())
}

fn down_sql(db: &mut Db) -> Result<()> {
    let table = running_table(db)?;
    for sql in Sql::of(db.backend()).drop(table) {
        db.execute(&sql)?;
    }
    Ok(())
}
