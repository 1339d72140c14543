//! The schema builder: statements built in Rust, compiled to each database's own SQL.
//!
//! `db.schema()` gives a [`Schema`] whose statements run on that database. Every statement
//! can also be compiled to SQL text without a database with `to_sql(backend)`
//! ([`Schema::sql_only`]). Every identifier is checked and quoted; only [`Schema::raw`] and
//! `default_raw` pass SQL through as written.

/// `to_sql` and `execute` for a statement builder with a `target` and a `statement()`.
macro_rules! runnable {
    ($builder:ident) => {
        impl $builder<'_> {
            /// The SQL this statement runs on `backend`, without touching a database.
            pub fn to_sql(
                &self,
                backend: crate::url::Backend,
            ) -> crate::error::Result<Vec<String>> {
                Ok(self.statement().to_sql(backend, None)?)
            }

            /// Runs the statement.
            pub fn execute(self) -> crate::error::Result<()> {
                let statement = self.statement();
                self.target.run(statement)
            }
        }
    };
}
pub(crate) use runnable;

mod column;
pub(crate) mod dialect;
mod index;
mod live;
mod table;
mod types;

pub use column::{Action, ColumnBuilder, Default, Value};
pub use index::{CreateIndex, DropIndex, Raw};
pub use table::{AlterTable, CreateTable, DropTable, ForeignKeyBuilder, RenameTable, TableDef};
pub use types::{ColumnType, KNOWN_TYPES, TypeSpec};

pub(crate) use table::{AlterAction, IndexDef};

use crate::db::Db;
use crate::error::Result;
use crate::url::Backend;
use column::ColumnDef;
use types::ColumnTypeRef;

/// Longest identifier every supported database accepts (PostgreSQL's limit).
const MAX_IDENTIFIER: usize = 63;

/// A schema statement refused before any SQL ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// A name that is not a plain identifier.
    #[error(
        "`{name}` is not a valid {kind} name; use letters, digits and underscores, starting with a letter or underscore, at most 63 characters"
    )]
    InvalidIdentifier {
        /// `table`, `column`, `index`…
        kind: &'static str,
        /// The name as given.
        name: String,
    },
    /// A column type arte does not know.
    #[error("column `{column}` has the unknown type `{ty}`; the known types are: {known}")]
    UnknownType {
        /// The column.
        column: String,
        /// The type as given.
        ty: String,
        /// The types arte knows.
        known: &'static str,
    },
    /// A module's migration named a table without the module's prefix.
    #[error(
        "module `{module}` may only create tables whose names start with `{module}_`, but this migration {action} `{table}`; name it `{module}_{table}`"
    )]
    ModulePrefix {
        /// The module whose migration is running.
        module: String,
        /// The table named.
        table: String,
        /// What the statement does (`creates`, `renames a table to`).
        action: &'static str,
    },
    /// A table created without columns.
    #[error(
        "table `{table}` has no columns; add at least one with `add_column` or `add_id_column`"
    )]
    NoColumns {
        /// The table.
        table: String,
    },
    /// Two columns of one table share a name.
    #[error("table `{table}` has the column `{column}` twice; remove or rename one")]
    DuplicateColumn {
        /// The table.
        table: String,
        /// The repeated column.
        column: String,
    },
    /// A table given more than one primary key.
    #[error(
        "table `{table}` has more than one primary key ({columns}); mark one column, or declare one composite `primary_key(&[…])`"
    )]
    SeveralPrimaryKeys {
        /// The table.
        table: String,
        /// The columns marked.
        columns: String,
    },
    /// A key, index or change names a column the table does not have.
    #[error("table `{table}` has no column `{column}`")]
    NoSuchColumn {
        /// The table.
        table: String,
        /// The missing column.
        column: String,
    },
    /// An index, key or foreign key over no columns.
    #[error("the {what} on `{table}` names no columns; give at least one")]
    NoColumnsIn {
        /// `index`, `foreign key`, …
        what: &'static str,
        /// The table.
        table: String,
    },
    /// `references("…")` that is not `table.column`.
    #[error("column `{column}` references `{target}`; write `references(\"table.column\")`")]
    BadReference {
        /// The column.
        column: String,
        /// What was written.
        target: String,
    },
    /// A foreign key whose two column lists differ in length.
    #[error(
        "foreign key `{name}` has {columns} column(s) pointing at {ref_columns}; give as many referenced columns as columns"
    )]
    ForeignKeyArity {
        /// The constraint.
        name: String,
        /// How many columns.
        columns: usize,
        /// How many referenced columns.
        ref_columns: usize,
    },
    /// `on_delete`/`on_update` with no `references` before it.
    #[error(
        "column `{column}` sets `on_delete`/`on_update` without `references(\"table.column\")` before it"
    )]
    DanglingAction {
        /// The column.
        column: String,
    },
    /// `change_column` given more than type, nullability and default.
    #[error(
        "`change_column(\"{column}\")` changes type, nullability and default only; add keys with `add_unique`, `add_index` or `add_foreign_key`"
    )]
    ChangeColumnExtras {
        /// The column.
        column: String,
    },
    /// An `ALTER TABLE` with nothing to do.
    #[error("`alter_table(\"{table}\")` has no changes; add at least one")]
    NoChanges {
        /// The table.
        table: String,
    },
    /// On SQLite, a change that rebuilds the table needs its live definition.
    #[error(
        "on SQLite this change to `{table}` rebuilds the table from its current definition; build it with `db.schema()`, or call `to_sql_from` with a `create_table` that describes the table"
    )]
    NeedsLiveTable {
        /// The table.
        table: String,
    },
    /// The table to change does not exist.
    #[error("table `{table}` does not exist")]
    NoSuchTable {
        /// The table.
        table: String,
    },
    /// A foreign key or index to drop is not there.
    #[error("table `{table}` has no {what} named `{name}`")]
    NoSuchConstraint {
        /// The table.
        table: String,
        /// `foreign key` or `index`.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// On SQLite, a rebuild inside a transaction the caller opened with foreign keys on.
    #[error(
        "on SQLite, changing `{table}` rebuilds the table, which needs foreign keys off, and they cannot be turned off inside the open transaction; run the change in a migration or outside a transaction"
    )]
    RebuildWithForeignKeys {
        /// The table.
        table: String,
    },
    /// A statement built with [`Schema::sql_only`] was asked to run.
    #[error(
        "this statement was built with `Schema::sql_only()` and has no database to run on; build it with `db.schema()`"
    )]
    NoDatabase,
}

/// A statement, as data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Statement {
    CreateTable(TableDef),
    AlterTable {
        table: String,
        actions: Vec<AlterAction>,
    },
    DropTable {
        name: String,
        if_exists: bool,
    },
    RenameTable {
        from: String,
        to: String,
    },
    CreateIndex {
        table: String,
        index: IndexDef,
        if_not_exists: bool,
    },
    DropIndex {
        table: String,
        name: String,
        if_exists: bool,
    },
    Raw(String),
}

impl Statement {
    /// Checks every name and type, then renders the SQL of `backend`. `live` is the
    /// current definition of the table an SQLite rebuild reshapes.
    pub(crate) fn to_sql(
        &self,
        backend: Backend,
        live: Option<&TableDef>,
    ) -> Result<Vec<String>, SchemaError> {
        let statement = self.validated()?;
        dialect::compile(backend, &statement, live)
    }

    /// The statement checked, with column `references` lifted into named foreign keys.
    fn validated(&self) -> Result<Statement, SchemaError> {
        let mut statement = self.clone();
        match &mut statement {
            Statement::CreateTable(def) => {
                identifier("table", &def.name)?;
                for column in &def.columns {
                    check_column(column)?;
                }
                def.lift_references()?;
                check_table(def)?;
            }
            Statement::AlterTable { table, actions } => {
                identifier("table", table)?;
                if actions.is_empty() {
                    return Err(SchemaError::NoChanges {
                        table: table.clone(),
                    });
                }
                for action in actions.iter_mut() {
                    check_action(table, action)?;
                }
            }
            Statement::DropTable { name, .. } => identifier("table", name)?,
            Statement::RenameTable { from, to } => {
                identifier("table", from)?;
                identifier("table", to)?;
            }
            Statement::CreateIndex { table, index, .. } => {
                identifier("table", table)?;
                check_index(table, index)?;
            }
            Statement::DropIndex { table, name, .. } => {
                identifier("table", table)?;
                identifier("index", name)?;
            }
            Statement::Raw(_) => {}
        }
        Ok(statement)
    }

    /// The table this statement creates or renames to, for the module-prefix rule.
    fn new_table_name(&self) -> Option<(&str, &'static str)> {
        match self {
            Statement::CreateTable(def) => Some((&def.name, "creates")),
            Statement::RenameTable { to, .. } => Some((to, "renames a table to")),
            _ => None,
        }
    }

    /// On SQLite, the table whose live definition the statement needs.
    fn rebuilds(&self, backend: Backend) -> Option<&str> {
        match self {
            Statement::AlterTable { table, actions }
                if backend == Backend::Sqlite && dialect::sqlite::needs_rebuild(actions) =>
            {
                Some(table)
            }
            _ => None,
        }
    }
}

/// A table definition checked, its column `references` lifted into named foreign keys.
pub(crate) fn validated_table(def: &TableDef) -> Result<TableDef, SchemaError> {
    match Statement::CreateTable(def.clone()).validated()? {
        Statement::CreateTable(def) => Ok(def),
        _ => Err(SchemaError::NoColumns {
            table: def.name.clone(),
        }),
    }
}

fn check_column(column: &ColumnDef) -> Result<(), SchemaError> {
    identifier("column", &column.name)?;
    if let ColumnTypeRef::Unknown(ty) = &column.ty {
        return Err(SchemaError::UnknownType {
            column: column.name.clone(),
            ty: ty.clone(),
            known: KNOWN_TYPES,
        });
    }
    if column.dangling_action {
        return Err(SchemaError::DanglingAction {
            column: column.name.clone(),
        });
    }
    if let Some(reference) = &column.references {
        let (table, target) = reference.split().ok_or_else(|| SchemaError::BadReference {
            column: column.name.clone(),
            target: reference.target.clone(),
        })?;
        identifier("table", table)?;
        identifier("column", target)?;
    }
    Ok(())
}

fn check_index(table: &str, index: &IndexDef) -> Result<(), SchemaError> {
    if index.columns.is_empty() && index.verbatim.is_none() {
        return Err(SchemaError::NoColumnsIn {
            what: "index",
            table: table.to_owned(),
        });
    }
    index
        .columns
        .iter()
        .try_for_each(|c| identifier("column", c))?;
    identifier("index", &index.name)
}

fn check_foreign_key(table: &str, fk: &table::ForeignKeyDef) -> Result<(), SchemaError> {
    identifier("foreign key", &fk.name)?;
    identifier("table", &fk.ref_table)?;
    if fk.columns.is_empty() {
        return Err(SchemaError::NoColumnsIn {
            what: "foreign key",
            table: table.to_owned(),
        });
    }
    if fk.columns.len() != fk.ref_columns.len() {
        return Err(SchemaError::ForeignKeyArity {
            name: fk.name.clone(),
            columns: fk.columns.len(),
            ref_columns: fk.ref_columns.len(),
        });
    }
    fk.columns
        .iter()
        .chain(&fk.ref_columns)
        .try_for_each(|c| identifier("column", c))
}

fn check_table(def: &TableDef) -> Result<(), SchemaError> {
    if def.columns.is_empty() {
        return Err(SchemaError::NoColumns {
            table: def.name.clone(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for column in &def.columns {
        if !seen.insert(column.name.as_str()) {
            return Err(SchemaError::DuplicateColumn {
                table: def.name.clone(),
                column: column.name.clone(),
            });
        }
    }
    let has = |name: &String| -> Result<(), SchemaError> {
        if seen.contains(name.as_str()) {
            Ok(())
        } else {
            Err(SchemaError::NoSuchColumn {
                table: def.name.clone(),
                column: name.clone(),
            })
        }
    };
    let mut keys: Vec<&str> = def
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.as_str())
        .collect();
    if let Some(composite) = &def.primary_key {
        if composite.is_empty() {
            return Err(SchemaError::NoColumnsIn {
                what: "primary key",
                table: def.name.clone(),
            });
        }
        composite.iter().try_for_each(has)?;
        keys.push("primary_key(…)");
    }
    if keys.len() > 1 {
        return Err(SchemaError::SeveralPrimaryKeys {
            table: def.name.clone(),
            columns: keys.join(", "),
        });
    }
    for index in def.uniques.iter().chain(&def.indexes) {
        check_index(&def.name, index)?;
        index.columns.iter().try_for_each(has)?;
    }
    for fk in &def.foreign_keys {
        check_foreign_key(&def.name, fk)?;
        fk.columns.iter().try_for_each(has)?;
    }
    Ok(())
}

fn check_action(table: &str, action: &mut AlterAction) -> Result<(), SchemaError> {
    match action {
        AlterAction::AddColumn(column) => {
            check_column(column)?;
            if let Some(reference) = &column.references {
                check_foreign_key(table, &reference.foreign_key(table, &column.name)?)?;
            }
        }
        AlterAction::ChangeColumn(column) => {
            check_column(column)?;
            if column.primary_key
                || column.unique
                || column.auto_increment
                || column.references.is_some()
            {
                return Err(SchemaError::ChangeColumnExtras {
                    column: column.name.clone(),
                });
            }
        }
        AlterAction::DropColumn(column)
        | AlterAction::SetDefault { column, .. }
        | AlterAction::DropDefault { column } => identifier("column", column)?,
        AlterAction::RenameColumn { from, to } => {
            identifier("column", from)?;
            identifier("column", to)?;
        }
        AlterAction::AddForeignKey(fk) => check_foreign_key(table, fk)?,
        AlterAction::DropForeignKey { name } => identifier("foreign key", name)?,
        AlterAction::AddIndex(index) => check_index(table, index)?,
        AlterAction::DropIndex { name } => identifier("index", name)?,
    }
    Ok(())
}

/// Refuses anything but a plain identifier, so that quoting alone makes a name safe.
pub(crate) fn identifier(kind: &'static str, name: &str) -> Result<(), SchemaError> {
    let mut chars = name.chars();
    let valid = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= MAX_IDENTIFIER;
    if valid {
        Ok(())
    } else {
        Err(SchemaError::InvalidIdentifier {
            kind,
            name: name.to_owned(),
        })
    }
}

/// Where a statement goes: a database, or nowhere (SQL text only).
pub(crate) struct Target<'a>(Option<&'a mut Db>);

impl Target<'_> {
    /// The statement's SQL for `backend`, reading the live table where an SQLite rebuild needs it.
    pub(crate) fn compile(
        &mut self,
        backend: Backend,
        statement: Statement,
    ) -> Result<Vec<String>> {
        let live = match (statement.rebuilds(backend), self.0.as_deref_mut()) {
            (Some(table), Some(db)) if db.backend() == backend => Some(live::read(db, table)?),
            _ => None,
        };
        Ok(statement.to_sql(backend, live.as_ref())?)
    }

    pub(crate) fn run(self, statement: Statement) -> Result<()> {
        let db = self.0.ok_or(SchemaError::NoDatabase)?;
        if let (Some(module), Some((table, action))) = (db.module(), statement.new_table_name())
            && !table.starts_with(&format!("{module}_"))
        {
            return Err(SchemaError::ModulePrefix {
                module: module.to_owned(),
                table: table.to_owned(),
                action,
            }
            .into());
        }
        let backend = db.backend();
        let rebuilds = statement.rebuilds(backend).map(str::to_owned);
        let statements = Target(Some(&mut *db)).compile(backend, statement)?;
        match rebuilds {
            Some(table) => rebuild(db, &table, &statements),
            None => atomically(db, &statements),
        }
    }
}

/// Runs the statements; where DDL is transactional, all or nothing: a savepoint inside a
/// migration, a transaction of its own outside one.
fn atomically(db: &mut Db, statements: &[String]) -> Result<()> {
    let atomic = statements.len() > 1 && db.backend() != Backend::Mysql;
    if atomic {
        db.connection().begin_nested()?;
    }
    let result = statements.iter().try_for_each(|sql| db.execute(sql));
    if atomic {
        match &result {
            Ok(()) => db.connection().commit()?,
            Err(_) => {
                // The statement's own error is what matters.
                let _ = db.connection().rollback();
            }
        }
    }
    result
}

/// An SQLite rebuild, which needs foreign keys off: the runner turns them off around each
/// migration; outside one, the rebuild does so itself and checks them before committing.
fn rebuild(db: &mut Db, table: &str, statements: &[String]) -> Result<()> {
    let enforced = db.connection().sqlite_foreign_keys()? == Some(true);
    if !enforced {
        return atomically(db, statements);
    }
    if db.connection().in_transaction() {
        return Err(SchemaError::RebuildWithForeignKeys {
            table: table.to_owned(),
        }
        .into());
    }
    db.connection().set_sqlite_foreign_keys(false)?;
    let result = (|| {
        db.connection().begin_nested()?;
        let work = statements
            .iter()
            .try_for_each(|sql| db.execute(sql))
            .and_then(|()| {
                let violations = db.connection().foreign_key_violations()?;
                if violations.is_empty() {
                    Ok(())
                } else {
                    Err(crate::Error::ForeignKeyViolations { rows: violations })
                }
            });
        match work {
            Ok(()) => db.connection().commit(),
            Err(error) => {
                let _ = db.connection().rollback();
                Err(error)
            }
        }
    })();
    db.connection().set_sqlite_foreign_keys(true)?;
    result
}

/// The schema builder's entry point.
pub struct Schema<'a> {
    db: Option<&'a mut Db>,
}

impl<'a> Schema<'a> {
    pub(crate) fn new(db: &'a mut Db) -> Self {
        Schema { db: Some(db) }
    }

    /// A builder whose statements only compile to SQL text (`to_sql`), for any backend.
    pub fn sql_only() -> Schema<'static> {
        Schema { db: None }
    }

    /// `CREATE TABLE name (…)`.
    pub fn create_table(self, name: &str) -> CreateTable<'a> {
        CreateTable::new(Target(self.db), name)
    }

    /// `ALTER TABLE name …`: add, drop, rename and change columns, keys and indexes.
    pub fn alter_table(self, name: &str) -> AlterTable<'a> {
        AlterTable::new(Target(self.db), name)
    }

    /// Renames a table.
    pub fn rename_table(self, from: &str, to: &str) -> RenameTable<'a> {
        RenameTable::new(Target(self.db), from, to)
    }

    /// `DROP TABLE name`.
    pub fn drop_table(self, name: &str) -> DropTable<'a> {
        DropTable::new(Target(self.db), name)
    }

    /// `CREATE INDEX` over `columns` of `table`.
    pub fn create_index(self, table: &str, columns: &[&str]) -> CreateIndex<'a> {
        CreateIndex::new(Target(self.db), table, columns)
    }

    /// `DROP INDEX name` (of `table`, which MySQL needs).
    pub fn drop_index(self, table: &str, name: &str) -> DropIndex<'a> {
        DropIndex::new(Target(self.db), table, name)
    }

    /// SQL as written: the escape hatch. Nothing is checked or quoted.
    pub fn raw(self, sql: &str) -> Raw<'a> {
        Raw::new(Target(self.db), sql)
    }
}
