//! Table statements: create, alter, rename and drop.
//!
//! Every migration that calls a generic method of the builder compiles its own copy of it,
//! and a crate holds hundreds of migrations, each calling `add_column` with a closure of
//! its own. So those methods are only shells: `#[inline(always)]`, they call the closure
//! between two functions compiled once, in arte (`#[inline(never)]`: the one that makes
//! the column or key, the one that adds it), and the builders move as a pointer (the
//! definitions are boxed). A crate of 1,000 schema-builder migrations builds in release
//! in half the time it took when each call carried the whole of the work
//! (`tests/bench/build_time.sh`; BENCHMARKS.md).

use super::column::ColumnBuilder;
use super::model::{
    Action, AlterAction, ColumnDef, ColumnDefault, ForeignKeyDef, IndexDef, Statement, TableDef,
    Value, conventional_name, owned,
};
use super::{Target, validate};
use crate::backend::Backend;
use crate::error::Result;
use arte_vocab::{ColumnType, UnknownColumnType};

/// Shapes a foreign key inside `add_foreign_key(…, |fk| …)`.
#[derive(Debug)]
#[must_use = "return the builder from the closure"]
pub struct ForeignKeyBuilder {
    def: Box<ForeignKeyDef>,
}

impl ForeignKeyBuilder {
    /// A foreign key of `table`, before the closure of `add_foreign_key` shapes it; made
    /// here, once, rather than in each migration that calls it (see [`ColumnBuilder::of`]).
    #[inline(never)]
    fn of(table: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> Self {
        let columns = owned(columns);
        ForeignKeyBuilder {
            def: Box::new(ForeignKeyDef {
                name: conventional_name(table, &columns, "foreign"),
                columns,
                ref_table: ref_table.to_owned(),
                ref_columns: owned(ref_columns),
                on_delete: None,
                on_update: None,
            }),
        }
    }

    /// Names the constraint (default `<table>_<columns>_foreign`).
    pub fn name(mut self, name: &str) -> Self {
        self.def.name = name.to_owned();
        self
    }

    /// What happens to this table's rows when the row they point at is deleted.
    pub fn on_delete(mut self, action: Action) -> Self {
        self.def.on_delete = Some(action);
        self
    }

    /// What happens to this table's rows when the key they point at changes.
    pub fn on_update(mut self, action: Action) -> Self {
        self.def.on_update = Some(action);
        self
    }
}

/// Builds `CREATE TABLE`; nothing runs until [`CreateTable::execute`].
#[must_use = "a statement does nothing until `.execute()`"]
pub struct CreateTable<'a> {
    target: Target<'a>,
    /// Boxed, so that each call of the chain moves a pointer, not the table.
    pub(crate) def: Box<TableDef>,
}

impl<'a> CreateTable<'a> {
    pub(crate) fn new(target: Target<'a>, name: &str) -> Self {
        CreateTable {
            target,
            def: Box::new(TableDef::new(name)),
        }
    }

    /// Does nothing when the table is already there.
    pub fn if_not_exists(mut self) -> Self {
        self.def.if_not_exists = true;
        self
    }

    /// Adds a column of type `ty` (`"varchar(255)"` or a [`ColumnType`]), shaped by `build`.
    #[inline(always)]
    pub fn add_column(
        self,
        name: &str,
        ty: impl TryInto<ColumnType, Error: Into<UnknownColumnType>>,
        build: impl FnOnce(ColumnBuilder) -> ColumnBuilder,
    ) -> Self {
        self.push_column(build(ColumnBuilder::of(name, ty)))
    }

    #[inline(never)]
    fn push_column(mut self, column: ColumnBuilder) -> Self {
        self.def.columns.push(column.finish());
        self
    }

    /// Adds `id`, an auto-incrementing 64-bit primary key.
    pub fn add_id_column(mut self) -> Self {
        self.def.columns.push(ColumnDef::id("id"));
        self
    }

    /// Adds `created_at` and `updated_at`: not null, defaulting to the current time.
    pub fn add_timestamp_columns(mut self) -> Self {
        for name in ["created_at", "updated_at"] {
            let mut column = ColumnDef::new(name, ColumnType::Timestamp);
            column.not_null = true;
            column.default = Some(ColumnDefault::Raw("CURRENT_TIMESTAMP".into()));
            self.def.columns.push(column);
        }
        self
    }

    /// Adds `deleted_at`, a nullable timestamp that marks a row as soft-deleted.
    pub fn add_soft_delete_column(mut self) -> Self {
        self.def
            .columns
            .push(ColumnDef::new("deleted_at", ColumnType::Timestamp));
        self
    }

    /// Makes these columns together the primary key.
    pub fn primary_key(mut self, columns: &[&str]) -> Self {
        self.def.primary_key = Some(owned(columns));
        self
    }

    /// Adds a `UNIQUE` constraint over these columns together (`<table>_<columns>_unique`).
    pub fn add_unique(mut self, columns: &[&str]) -> Self {
        let unique = IndexDef::conventional(&self.def.name, columns, true);
        self.def.uniques.push(unique);
        self
    }

    /// Adds an index over these columns, created with the table (`<table>_<columns>_index`).
    pub fn add_index(mut self, columns: &[&str]) -> Self {
        let index = IndexDef::conventional(&self.def.name, columns, false);
        self.def.indexes.push(index);
        self
    }

    /// Adds a foreign key: `columns` point at `ref_columns` of `ref_table`.
    #[inline(always)]
    pub fn add_foreign_key(
        self,
        columns: &[&str],
        ref_table: &str,
        ref_columns: &[&str],
        build: impl FnOnce(ForeignKeyBuilder) -> ForeignKeyBuilder,
    ) -> Self {
        let fk = build(ForeignKeyBuilder::of(
            &self.def.name,
            columns,
            ref_table,
            ref_columns,
        ));
        self.push_foreign_key(fk)
    }

    #[inline(never)]
    fn push_foreign_key(mut self, fk: ForeignKeyBuilder) -> Self {
        self.def.foreign_keys.push(*fk.def);
        self
    }

    fn statement(&self) -> Statement {
        Statement::CreateTable((*self.def).clone())
    }
}

/// Builds `ALTER TABLE`: each call adds one change, run in order by
/// [`AlterTable::execute`]. On SQLite, changes `ALTER TABLE` cannot make rebuild the table
/// with every row, index and foreign key kept.
#[must_use = "a statement does nothing until `.execute()`"]
pub struct AlterTable<'a> {
    target: Target<'a>,
    table: String,
    actions: Vec<AlterAction>,
}

impl<'a> AlterTable<'a> {
    pub(crate) fn new(target: Target<'a>, table: &str) -> Self {
        AlterTable {
            target,
            table: table.to_owned(),
            actions: Vec::new(),
        }
    }

    /// Adds a column.
    #[inline(always)]
    pub fn add_column(
        self,
        name: &str,
        ty: impl TryInto<ColumnType, Error: Into<UnknownColumnType>>,
        build: impl FnOnce(ColumnBuilder) -> ColumnBuilder,
    ) -> Self {
        self.push_column(build(ColumnBuilder::of(name, ty)), false)
    }

    /// Adds the column's `AddColumn`, or its `ChangeColumn` when `change`.
    #[inline(never)]
    fn push_column(mut self, column: ColumnBuilder, change: bool) -> Self {
        let column = column.finish();
        self.actions.push(if change {
            AlterAction::ChangeColumn(column)
        } else {
            AlterAction::AddColumn(column)
        });
        self
    }

    /// Drops a column (with the indexes and foreign keys that use it).
    pub fn drop_column(mut self, name: &str) -> Self {
        self.actions.push(AlterAction::DropColumn(name.to_owned()));
        self
    }

    /// Renames a column.
    pub fn rename_column(mut self, from: &str, to: &str) -> Self {
        self.actions.push(AlterAction::RenameColumn {
            from: from.to_owned(),
            to: to.to_owned(),
        });
        self
    }

    /// Redefines a column's type, nullability and default, all three as given (what is not
    /// said is not kept: `|col| col` makes it nullable with no default).
    #[inline(always)]
    pub fn change_column(
        self,
        name: &str,
        ty: impl TryInto<ColumnType, Error: Into<UnknownColumnType>>,
        build: impl FnOnce(ColumnBuilder) -> ColumnBuilder,
    ) -> Self {
        self.push_column(build(ColumnBuilder::of(name, ty)), true)
    }

    /// Gives a column a literal default.
    pub fn set_default(self, column: &str, value: impl Into<Value>) -> Self {
        self.push_default(column, ColumnDefault::Value(value.into()))
    }

    /// Gives a column an SQL expression as default, written as is.
    pub fn set_default_raw(self, column: &str, expression: &str) -> Self {
        self.push_default(column, ColumnDefault::Raw(expression.to_owned()))
    }

    #[inline(never)]
    fn push_default(mut self, column: &str, default: ColumnDefault) -> Self {
        self.actions.push(AlterAction::SetDefault {
            column: column.to_owned(),
            default,
        });
        self
    }

    /// Removes a column's default.
    pub fn drop_default(mut self, column: &str) -> Self {
        self.actions.push(AlterAction::DropDefault {
            column: column.to_owned(),
        });
        self
    }

    /// Adds a foreign key (`<table>_<columns>_foreign` unless named).
    #[inline(always)]
    pub fn add_foreign_key(
        self,
        columns: &[&str],
        ref_table: &str,
        ref_columns: &[&str],
        build: impl FnOnce(ForeignKeyBuilder) -> ForeignKeyBuilder,
    ) -> Self {
        let fk = build(ForeignKeyBuilder::of(
            &self.table,
            columns,
            ref_table,
            ref_columns,
        ));
        self.push_foreign_key(fk)
    }

    #[inline(never)]
    fn push_foreign_key(mut self, fk: ForeignKeyBuilder) -> Self {
        self.actions.push(AlterAction::AddForeignKey(*fk.def));
        self
    }

    /// Drops the foreign key over these columns (by its conventional name).
    pub fn drop_foreign_key(self, columns: &[&str]) -> Self {
        let name = conventional_name(&self.table, &owned(columns), "foreign");
        self.drop_foreign_key_named(&name)
    }

    /// Drops the foreign key of this name.
    pub fn drop_foreign_key_named(mut self, name: &str) -> Self {
        self.actions.push(AlterAction::DropForeignKey {
            name: name.to_owned(),
        });
        self
    }

    /// Adds an index over these columns (`<table>_<columns>_index`).
    pub fn add_index(self, columns: &[&str]) -> Self {
        self.index(columns, false)
    }

    /// Adds a unique index over these columns (`<table>_<columns>_unique`).
    pub fn add_unique(self, columns: &[&str]) -> Self {
        self.index(columns, true)
    }

    fn index(mut self, columns: &[&str], unique: bool) -> Self {
        let index = IndexDef::conventional(&self.table, columns, unique);
        self.actions.push(AlterAction::AddIndex(index));
        self
    }

    /// Drops an index (or unique index) by name.
    pub fn drop_index(mut self, name: &str) -> Self {
        self.actions.push(AlterAction::DropIndex {
            name: name.to_owned(),
        });
        self
    }

    /// Drops the unique constraint (or unique index) over these columns, by its
    /// conventional name `<table>_<columns>_unique`: what `add_unique` made, in
    /// `create_table` or here.
    pub fn drop_unique(self, columns: &[&str]) -> Self {
        let name = conventional_name(&self.table, &owned(columns), "unique");
        self.drop_unique_named(&name)
    }

    /// Drops the unique constraint or unique index of this name (a column's `unique()`
    /// gets the database's own name: `<table>_<column>_key` on PostgreSQL, the column's
    /// name on MySQL).
    pub fn drop_unique_named(mut self, name: &str) -> Self {
        self.actions.push(AlterAction::DropUnique {
            name: name.to_owned(),
        });
        self
    }

    fn statement(&self) -> Statement {
        Statement::AlterTable {
            table: self.table.clone(),
            actions: self.actions.clone(),
        }
    }

    /// The SQL this statement runs on `backend`. On SQLite, a change that needs a rebuild
    /// depends on the live table: build the statement with `db.schema()`, or use
    /// [`AlterTable::to_sql_from`].
    pub fn to_sql(&mut self, backend: Backend) -> Result<Vec<String>> {
        let statement = self.statement();
        self.target.compile(backend, statement)
    }

    /// The SQL this statement runs on `backend` against a table shaped as `current` says,
    /// without touching a database.
    pub fn to_sql_from(&self, backend: Backend, current: &CreateTable<'_>) -> Result<Vec<String>> {
        let current = validate::validated_table(&current.def)?;
        Ok(super::render::to_sql(
            backend.dialect(),
            self.statement(),
            Some(&current),
        )?)
    }

    /// Runs the changes.
    pub fn execute(self) -> Result<()> {
        let statement = self.statement();
        self.target.run(statement)
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
}

/// Builds a table rename.
#[must_use = "a statement does nothing until `.execute()`"]
pub struct RenameTable<'a> {
    target: Target<'a>,
    from: String,
    to: String,
}

impl<'a> RenameTable<'a> {
    pub(crate) fn new(target: Target<'a>, from: &str, to: &str) -> Self {
        RenameTable {
            target,
            from: from.to_owned(),
            to: to.to_owned(),
        }
    }

    fn statement(&self) -> Statement {
        Statement::RenameTable {
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

super::runnable!(CreateTable);
super::runnable!(DropTable);
super::runnable!(RenameTable);
