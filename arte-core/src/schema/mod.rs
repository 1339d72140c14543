//! The schema builder: statements built in Rust, compiled to each database's own SQL.
//!
//! `db.schema()` gives a [`Schema`] whose statements run on that database. Every statement
//! can also be compiled to SQL text without a database with `to_sql(backend)`
//! ([`Schema::sql_only`]). Every identifier is checked and quoted; only [`Schema::raw`] and
//! `default_raw` pass SQL through as written.
//!
//! The stages are separate files: the builders ([`table`](CreateTable), column, index)
//! build a statement of the model (`model.rs`); `validate.rs` checks it; `render.rs` writes
//! it in a backend's words. The builder does not run anything: `execute` hands the
//! statement to what it was built on (the [`Db`](crate::Db)), which runs it.

/// `to_sql` and `execute` for a statement builder with a `target` and a `statement()`.
macro_rules! runnable {
    ($builder:ident) => {
        impl $builder<'_> {
            /// The SQL this statement runs on `backend`, without touching a database.
            pub fn to_sql(
                &self,
                backend: crate::backend::Backend,
            ) -> crate::error::Result<Vec<String>> {
                Ok(super::render::to_sql(
                    backend.dialect(),
                    self.statement(),
                    None,
                )?)
            }

            /// Runs the statement.
            pub fn execute(self) -> crate::error::Result<()> {
                let statement = self.statement();
                self.target.run(statement)
            }
        }
    };
}
use runnable;

mod column;
mod error;
mod index;
mod model;
pub(crate) mod render;
mod table;
mod validate;

pub use arte_vocab::{ColumnType, KNOWN_TYPES, UnknownColumnType};
pub use column::ColumnBuilder;
pub use error::SchemaError;
pub use index::{CreateIndex, DropIndex, Raw};
pub use model::{Action, Value};
pub use table::{AlterTable, CreateTable, DropTable, ForeignKeyBuilder, RenameTable};

pub(crate) use model::{
    AlterAction, ColumnDef, ColumnDefault, DeclaredType, Statement, TableDef, conventional_name,
};
// Only SQLite's rebuild reads a table back into the builder's own terms.
#[cfg(feature = "sqlite")]
pub(crate) use model::{ForeignKeyDef, IndexDef};

use crate::backend::Backend;
use crate::error::Result;

/// What runs a statement: the database handle. The builders only know this much of it,
/// so the schema builder does not depend on what executes it.
pub(crate) trait Runner {
    /// Which database the statement runs on.
    fn backend(&self) -> Backend;

    /// The current definition of `table`, for a statement that rebuilds it.
    fn read_table(&mut self, table: &str) -> Result<TableDef>;

    /// Runs a statement.
    fn run(&mut self, statement: Statement) -> Result<()>;
}

/// Where a statement goes: a database, or nowhere (SQL text only).
pub(crate) struct Target<'a>(Option<&'a mut dyn Runner>);

impl Target<'_> {
    /// The statement's SQL for `backend`, reading the live table where a rebuild needs it.
    pub(crate) fn compile(
        &mut self,
        backend: Backend,
        statement: Statement,
    ) -> Result<Vec<String>> {
        let dialect = backend.dialect();
        let live = match (
            statement.rebuilt_table(|actions| dialect.rebuilds(actions)),
            self.0.as_deref_mut(),
        ) {
            (Some(table), Some(runner)) if runner.backend() == backend => {
                Some(runner.read_table(table)?)
            }
            _ => None,
        };
        Ok(render::to_sql(dialect, statement, live.as_ref())?)
    }

    pub(crate) fn run(self, statement: Statement) -> Result<()> {
        let runner = self.0.ok_or(SchemaError::NoDatabase)?;
        runner.run(statement)
    }
}

/// The schema builder's entry point.
pub struct Schema<'a> {
    runner: Option<&'a mut dyn Runner>,
}

impl<'a> Schema<'a> {
    pub(crate) fn new(runner: &'a mut dyn Runner) -> Self {
        Schema {
            runner: Some(runner),
        }
    }

    /// A builder whose statements only compile to SQL text (`to_sql`), for any backend.
    pub fn sql_only() -> Schema<'static> {
        Schema { runner: None }
    }

    fn target(self) -> Target<'a> {
        Target(self.runner)
    }

    /// `CREATE TABLE name (…)`.
    pub fn create_table(self, name: &str) -> CreateTable<'a> {
        CreateTable::new(self.target(), name)
    }

    /// `ALTER TABLE name …`: add, drop, rename and change columns, keys and indexes.
    pub fn alter_table(self, name: &str) -> AlterTable<'a> {
        AlterTable::new(self.target(), name)
    }

    /// Renames a table.
    pub fn rename_table(self, from: &str, to: &str) -> RenameTable<'a> {
        RenameTable::new(self.target(), from, to)
    }

    /// `DROP TABLE name`.
    pub fn drop_table(self, name: &str) -> DropTable<'a> {
        DropTable::new(self.target(), name)
    }

    /// `CREATE INDEX` over `columns` of `table`.
    pub fn create_index(self, table: &str, columns: &[&str]) -> CreateIndex<'a> {
        CreateIndex::new(self.target(), table, columns)
    }

    /// `DROP INDEX name` (of `table`, which MySQL needs).
    pub fn drop_index(self, table: &str, name: &str) -> DropIndex<'a> {
        DropIndex::new(self.target(), table, name)
    }

    /// SQL as written: the escape hatch. Nothing is checked or quoted.
    pub fn raw(self, sql: &str) -> Raw<'a> {
        Raw::new(self.target(), sql)
    }
}
