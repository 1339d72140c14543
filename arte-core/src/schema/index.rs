//! Index statements, and raw SQL.

use super::Target;
use super::model::{IndexDef, Statement, conventional_name};
use crate::backend::Backend;
use crate::error::Result;

/// Builds `CREATE INDEX`.
#[must_use = "a statement does nothing until `.execute()`"]
pub struct CreateIndex<'a> {
    target: Target<'a>,
    table: String,
    index: IndexDef,
    if_not_exists: bool,
    named: bool,
}

impl<'a> CreateIndex<'a> {
    pub(crate) fn new(target: Target<'a>, table: &str, columns: &[&str]) -> Self {
        CreateIndex {
            target,
            table: table.to_owned(),
            index: IndexDef::conventional(table, columns, false),
            if_not_exists: false,
            named: false,
        }
    }

    /// A unique index (named `<table>_<columns>_unique` unless named).
    pub fn unique(mut self) -> Self {
        self.index.unique = true;
        if !self.named {
            self.index.name = conventional_name(&self.table, &self.index.columns, "unique");
        }
        self
    }

    /// Names the index (default `<table>_<columns>_index`).
    pub fn name(mut self, name: &str) -> Self {
        self.index.name = name.to_owned();
        self.named = true;
        self
    }

    /// Does nothing when an index of that name is already there.
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }

    fn statement(&self) -> Statement {
        Statement::CreateIndex {
            table: self.table.clone(),
            index: self.index.clone(),
            if_not_exists: self.if_not_exists,
        }
    }
}

/// Builds `DROP INDEX`.
#[must_use = "a statement does nothing until `.execute()`"]
pub struct DropIndex<'a> {
    target: Target<'a>,
    table: String,
    name: String,
    if_exists: bool,
}

impl<'a> DropIndex<'a> {
    pub(crate) fn new(target: Target<'a>, table: &str, name: &str) -> Self {
        DropIndex {
            target,
            table: table.to_owned(),
            name: name.to_owned(),
            if_exists: false,
        }
    }

    /// Does nothing when the index is not there (on MySQL this needs MariaDB).
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    fn statement(&self) -> Statement {
        Statement::DropIndex {
            table: self.table.clone(),
            name: self.name.clone(),
            if_exists: self.if_exists,
        }
    }
}

/// SQL written by hand: the escape hatch, run as is.
#[must_use = "a statement does nothing until `.execute()`"]
pub struct Raw<'a> {
    target: Target<'a>,
    sql: String,
}

impl<'a> Raw<'a> {
    pub(crate) fn new(target: Target<'a>, sql: &str) -> Self {
        Raw {
            target,
            sql: sql.to_owned(),
        }
    }

    /// The SQL, as given.
    pub fn to_sql(&self, _backend: Backend) -> Result<Vec<String>> {
        Ok(vec![self.sql.clone()])
    }

    /// Runs the SQL.
    pub fn execute(self) -> Result<()> {
        self.target.run(Statement::Raw(self.sql))
    }
}

super::runnable!(CreateIndex);
super::runnable!(DropIndex);
