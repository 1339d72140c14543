//! The schema builder: statements built in Rust, compiled to each database's own SQL.
//!
//! `db.schema()` gives a [`Schema`] whose statements run on that database. Every statement
//! can also be compiled to SQL text without a database with `to_sql(backend)`.

mod column;
pub(crate) mod dialect;
mod table;
mod types;

pub use column::{ColumnBuilder, Default, Value};
pub use table::{CreateTable, DropTable, TableDef};
pub use types::{DataType, KNOWN_TYPES, TypeSpec};

use crate::db::Db;
use crate::error::Result;
use crate::url::Backend;

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
    /// A table given more than one primary key column without a composite key.
    #[error(
        "table `{table}` marks several columns as primary key ({columns}); mark one, or declare a composite primary key"
    )]
    SeveralPrimaryKeys {
        /// The table.
        table: String,
        /// The columns marked.
        columns: String,
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
    DropTable { name: String, if_exists: bool },
}

impl Statement {
    /// Checks every name and type, then renders the SQL of `backend`.
    pub(crate) fn to_sql(&self, backend: Backend) -> Result<Vec<String>, SchemaError> {
        self.validate()?;
        Ok(dialect::compile(backend, self))
    }

    fn validate(&self) -> Result<(), SchemaError> {
        match self {
            Statement::CreateTable(def) => {
                identifier("table", &def.name)?;
                if def.columns.is_empty() {
                    return Err(SchemaError::NoColumns {
                        table: def.name.clone(),
                    });
                }
                let mut seen = std::collections::HashSet::new();
                for column in &def.columns {
                    identifier("column", &column.name)?;
                    if !seen.insert(column.name.as_str()) {
                        return Err(SchemaError::DuplicateColumn {
                            table: def.name.clone(),
                            column: column.name.clone(),
                        });
                    }
                    if let Err(ty) = &column.ty.0 {
                        return Err(SchemaError::UnknownType {
                            column: column.name.clone(),
                            ty: ty.clone(),
                            known: KNOWN_TYPES,
                        });
                    }
                }
                for unique in &def.uniques {
                    for column in unique {
                        identifier("column", column)?;
                    }
                }
                let keys: Vec<&str> = def
                    .columns
                    .iter()
                    .filter(|c| c.primary_key)
                    .map(|c| c.name.as_str())
                    .collect();
                if keys.len() > 1 {
                    return Err(SchemaError::SeveralPrimaryKeys {
                        table: def.name.clone(),
                        columns: keys.join(", "),
                    });
                }
                Ok(())
            }
            Statement::DropTable { name, .. } => identifier("table", name),
        }
    }

    /// The table this statement creates or renames to, for the module-prefix rule.
    fn new_table_name(&self) -> Option<(&str, &'static str)> {
        match self {
            Statement::CreateTable(def) => Some((&def.name, "creates")),
            Statement::DropTable { .. } => None,
        }
    }
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
        for sql in statement.to_sql(db.backend())? {
            db.execute(&sql)?;
        }
        Ok(())
    }
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

    /// `DROP TABLE name`.
    pub fn drop_table(self, name: &str) -> DropTable<'a> {
        DropTable::new(Target(self.db), name)
    }
}
