//! Table statements: create and drop.

use super::column::{ColumnBuilder, ColumnDef, Default};
use super::types::DataType;
use super::{SchemaError, Statement, Target, TypeSpec};
use crate::error::Result;
use crate::url::Backend;

/// The definition `create_table` builds.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDef {
    pub(crate) name: String,
    pub(crate) if_not_exists: bool,
    pub(crate) columns: Vec<ColumnDef>,
    pub(crate) uniques: Vec<Vec<String>>,
}

/// Builds `CREATE TABLE`; nothing runs until [`CreateTable::execute`].
#[must_use = "a statement does nothing until `.execute()`"]
pub struct CreateTable<'a> {
    target: Target<'a>,
    def: TableDef,
}

impl<'a> CreateTable<'a> {
    pub(crate) fn new(target: Target<'a>, name: &str) -> Self {
        CreateTable {
            target,
            def: TableDef {
                name: name.to_owned(),
                if_not_exists: false,
                columns: Vec::new(),
                uniques: Vec::new(),
            },
        }
    }

    /// Does nothing when the table is already there.
    pub fn if_not_exists(mut self) -> Self {
        self.def.if_not_exists = true;
        self
    }

    /// Adds a column of type `ty` (`"varchar(255)"` or a [`DataType`]), shaped by `build`.
    pub fn add_column(
        mut self,
        name: &str,
        ty: impl Into<TypeSpec>,
        build: impl FnOnce(ColumnBuilder) -> ColumnBuilder,
    ) -> Self {
        let builder = build(ColumnBuilder {
            def: ColumnDef::new(name, ty.into()),
        });
        self.def.columns.push(builder.def);
        self
    }

    /// Adds a `UNIQUE` constraint over several columns together.
    pub fn add_unique(mut self, columns: &[&str]) -> Self {
        self.def
            .uniques
            .push(columns.iter().map(|c| (*c).to_owned()).collect());
        self
    }

    /// Adds `id`, an auto-incrementing 64-bit primary key.
    pub fn add_id_column(mut self) -> Self {
        let mut id = ColumnDef::new("id", DataType::BigInt.into());
        id.primary_key = true;
        id.not_null = true;
        id.auto_increment = true;
        self.def.columns.push(id);
        self
    }

    /// Adds `created_at` and `updated_at`: not null, defaulting to the current time.
    pub fn add_timestamp_columns(mut self) -> Self {
        for name in ["created_at", "updated_at"] {
            let mut column = ColumnDef::new(name, DataType::Timestamp.into());
            column.not_null = true;
            column.default = Some(Default::Raw("CURRENT_TIMESTAMP".into()));
            self.def.columns.push(column);
        }
        self
    }

    /// Adds `deleted_at`, a nullable timestamp that marks a row as soft-deleted.
    pub fn add_soft_delete_column(mut self) -> Self {
        self.def
            .columns
            .push(ColumnDef::new("deleted_at", DataType::Timestamp.into()));
        self
    }

    /// The SQL this statement runs on `backend`, without touching a database.
    pub fn to_sql(&self, backend: Backend) -> Result<Vec<String>, SchemaError> {
        Statement::CreateTable(self.def.clone()).to_sql(backend)
    }

    /// Runs the statement.
    pub fn execute(self) -> Result<()> {
        self.target.run(Statement::CreateTable(self.def))
    }
}

/// Builds `DROP TABLE`.
#[must_use = "a statement does nothing until `.execute()`"]
pub struct DropTable<'a> {
    target: Target<'a>,
    name: String,
    if_exists: bool,
}

impl<'a> DropTable<'a> {
    pub(crate) fn new(target: Target<'a>, name: &str) -> Self {
        DropTable {
            target,
            name: name.to_owned(),
            if_exists: false,
        }
    }

    /// Does nothing when the table is not there.
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    fn statement(&self) -> Statement {
        Statement::DropTable {
            name: self.name.clone(),
            if_exists: self.if_exists,
        }
    }

    /// The SQL this statement runs on `backend`, without touching a database.
    pub fn to_sql(&self, backend: Backend) -> Result<Vec<String>, SchemaError> {
        self.statement().to_sql(backend)
    }

    /// Runs the statement.
    pub fn execute(self) -> Result<()> {
        let statement = self.statement();
        self.target.run(statement)
    }
}
