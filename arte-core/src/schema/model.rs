//! The statement model: what the builders build, validation checks and each backend
//! renders. Data only; nothing here talks to a database.

use super::SchemaError;
use arte_vocab::{ColumnType, UnknownColumnType};

/// A literal a column can default to. Strings are quoted and escaped for the database.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Text(String),
}

macro_rules! value_from {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl From<$ty> for Value {
            fn from(value: $ty) -> Self {
                Value::$variant(value.into())
            }
        })*
    };
}

value_from!(bool => Bool, i8 => Int, i16 => Int, i32 => Int, i64 => Int, u8 => Int, u16 => Int, u32 => Int, f32 => Float, f64 => Float, &str => Text, String => Text);

/// A column's default.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ColumnDefault {
    /// A literal value.
    Value(Value),
    /// An SQL expression, written as is (`CURRENT_TIMESTAMP`).
    Raw(String),
}

/// What a foreign key does when the row it points at is deleted or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Delete or update the referencing rows too.
    Cascade,
    /// Set the referencing columns to `NULL`.
    SetNull,
    /// Set the referencing columns to their default.
    SetDefault,
    /// Refuse the change.
    Restrict,
    /// Refuse the change at the end of the statement (the databases' default).
    NoAction,
}

impl Action {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Action::Cascade => "CASCADE",
            Action::SetNull => "SET NULL",
            Action::SetDefault => "SET DEFAULT",
            Action::Restrict => "RESTRICT",
            Action::NoAction => "NO ACTION",
        }
    }

    /// The action as a catalog spells it (SQLite's and MySQL's catalogs give the words).
    #[cfg(any(feature = "sqlite", feature = "mysql"))]
    pub(crate) fn parse(text: &str) -> Option<Action> {
        match text.to_ascii_uppercase().as_str() {
            "CASCADE" => Some(Action::Cascade),
            "SET NULL" => Some(Action::SetNull),
            "SET DEFAULT" => Some(Action::SetDefault),
            "RESTRICT" => Some(Action::Restrict),
            "NO ACTION" => Some(Action::NoAction),
            _ => None,
        }
    }
}

/// A column's `references("table.column")`, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reference {
    pub target: String,
    pub on_delete: Option<Action>,
    pub on_update: Option<Action>,
}

impl Reference {
    /// `(table, column)` when `target` is `table.column`.
    pub(crate) fn split(&self) -> Option<(&str, &str)> {
        let (table, column) = self.target.split_once('.')?;
        (!table.is_empty() && !column.is_empty() && !column.contains('.'))
            .then_some((table, column))
    }

    /// The foreign key column `column` of `table` gets from it, named
    /// `<table>_<column>_foreign`; refused when `target` is not `table.column`.
    pub(crate) fn foreign_key(
        &self,
        table: &str,
        column: &str,
    ) -> Result<ForeignKeyDef, SchemaError> {
        let (ref_table, ref_column) = self.split().ok_or_else(|| SchemaError::BadReference {
            column: column.to_owned(),
            target: self.target.clone(),
        })?;
        let columns = vec![column.to_owned()];
        Ok(ForeignKeyDef {
            name: conventional_name(table, &columns, "foreign"),
            columns,
            ref_table: ref_table.to_owned(),
            ref_columns: vec![ref_column.to_owned()],
            on_delete: self.on_delete,
            on_update: self.on_update,
        })
    }
}

/// Everything known about one column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnDef {
    pub(crate) name: String,
    pub(crate) ty: DeclaredType,
    pub(crate) not_null: bool,
    pub(crate) default: Option<ColumnDefault>,
    pub(crate) primary_key: bool,
    pub(crate) unique: bool,
    pub(crate) auto_increment: bool,
    pub(crate) references: Option<Reference>,
    /// `on_delete`/`on_update` was called with no `references` before it.
    pub(crate) dangling_action: bool,
}

impl ColumnDef {
    pub(crate) fn new(name: &str, ty: impl Into<DeclaredType>) -> Self {
        ColumnDef {
            name: name.to_owned(),
            ty: ty.into(),
            not_null: false,
            default: None,
            primary_key: false,
            unique: false,
            auto_increment: false,
            references: None,
            dangling_action: false,
        }
    }

    /// Whether the column is `unique()` besides a primary key (which is unique already).
    pub(crate) fn lifts_unique(&self) -> bool {
        self.unique && !self.primary_key
    }

    /// The column's `unique()` as a unique index of `table` with the conventional name
    /// (`<table>_<column>_unique`), taken off the column; `None` when there is none to
    /// take (see [`TableDef::lift_uniques`]).
    pub(crate) fn take_unique(&mut self, table: &str) -> Option<IndexDef> {
        if !self.lifts_unique() {
            return None;
        }
        self.unique = false;
        Some(IndexDef::conventional(table, &[self.name.as_str()], true))
    }

    /// `id`: an auto-incrementing 64-bit primary key.
    pub(crate) fn id(name: &str) -> Self {
        let mut id = ColumnDef::new(name, ColumnType::BigInt);
        id.primary_key = true;
        id.not_null = true;
        id.auto_increment = true;
        id
    }
}

/// A foreign key: `columns` of this table point at `ref_columns` of `ref_table`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ForeignKeyDef {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    pub(crate) ref_table: String,
    pub(crate) ref_columns: Vec<String>,
    pub(crate) on_delete: Option<Action>,
    pub(crate) on_update: Option<Action>,
}

/// An index over one or more columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexDef {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    pub(crate) unique: bool,
    /// A live SQLite index that is partial or over expressions, replayed as it was written.
    pub(crate) verbatim: Option<String>,
}

impl IndexDef {
    /// An index over `columns` of `table`, named `<table>_<columns>_index` (or `_unique`).
    pub(crate) fn conventional(table: &str, columns: &[&str], unique: bool) -> IndexDef {
        let columns = owned(columns);
        IndexDef {
            name: conventional_name(table, &columns, if unique { "unique" } else { "index" }),
            columns,
            unique,
            verbatim: None,
        }
    }
}

/// The conventional name of an index or constraint: `items_name_email_unique`.
/// A name longer than every database accepts keeps its first 54 characters and gains a
/// hash of the whole, so that it stays unique and the same on every run.
pub(crate) fn conventional_name(table: &str, columns: &[String], suffix: &str) -> String {
    let name = format!("{table}_{}_{suffix}", columns.join("_"));
    if name.len() <= arte_vocab::MAX_IDENTIFIER {
        return name;
    }
    // FNV-1a: small, stable across versions and platforms.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    let kept: String = name.chars().take(54).collect();
    format!("{kept}_{hash:08x}")
}

pub(crate) fn owned(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| (*c).to_owned()).collect()
}

/// The definition `create_table` builds, and the model of a live table that an SQLite
/// rebuild reshapes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableDef {
    pub(crate) name: String,
    pub(crate) if_not_exists: bool,
    pub(crate) columns: Vec<ColumnDef>,
    pub(crate) primary_key: Option<Vec<String>>,
    pub(crate) uniques: Vec<IndexDef>,
    pub(crate) foreign_keys: Vec<ForeignKeyDef>,
    pub(crate) indexes: Vec<IndexDef>,
    /// A live SQLite table's triggers, replayed after a rebuild.
    pub(crate) triggers: Vec<String>,
}

impl TableDef {
    pub(crate) fn new(name: &str) -> Self {
        TableDef {
            name: name.to_owned(),
            if_not_exists: false,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
        }
    }

    /// Moves each column's `references` into a named table-level foreign key.
    pub(crate) fn lift_references(&mut self) -> Result<(), SchemaError> {
        for column in &mut self.columns {
            if let Some(reference) = column.references.take() {
                let fk = reference.foreign_key(&self.name, &column.name)?;
                self.foreign_keys.push(fk);
            }
        }
        Ok(())
    }

    /// Moves each column's `unique` into a table-level unique constraint with the
    /// conventional name (`<table>_<column>_unique`), which every database keeps as given:
    /// left on the column, PostgreSQL would name it `<table>_<column>_key`, MySQL after the
    /// column, and `drop_unique` could not find it by the name it documents. A primary key
    /// is unique already: its `unique` stays as written.
    pub(crate) fn lift_uniques(&mut self) {
        let mut lifted = Vec::new();
        for column in &mut self.columns {
            lifted.extend(column.take_unique(&self.name));
        }
        if !lifted.is_empty() {
            lifted.append(&mut self.uniques);
            self.uniques = lifted;
        }
    }

    pub(crate) fn column_mut(&mut self, name: &str) -> Result<&mut ColumnDef, SchemaError> {
        let table = self.name.clone();
        self.columns
            .iter_mut()
            .find(|c| c.name == name)
            .ok_or(SchemaError::NoSuchColumn {
                table,
                column: name.to_owned(),
            })
    }
}

/// One change of an `ALTER TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AlterAction {
    AddColumn(ColumnDef),
    DropColumn(String),
    RenameColumn {
        from: String,
        to: String,
    },
    ChangeColumn(ColumnDef),
    SetDefault {
        column: String,
        default: ColumnDefault,
    },
    DropDefault {
        column: String,
    },
    AddForeignKey(ForeignKeyDef),
    DropForeignKey {
        name: String,
    },
    AddIndex(IndexDef),
    DropIndex {
        name: String,
    },
    /// A unique constraint, or a unique index, by name.
    DropUnique {
        name: String,
    },
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
    /// The table this statement creates or renames to, for the module-prefix rule.
    pub(crate) fn new_table_name(&self) -> Option<(&str, &'static str)> {
        match self {
            Statement::CreateTable(def) => Some((&def.name, "creates")),
            Statement::RenameTable { to, .. } => Some((to, "renames a table to")),
            _ => None,
        }
    }

    /// The table this statement drops.
    pub(crate) fn dropped_table(&self) -> Option<&str> {
        match self {
            Statement::DropTable { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The table whose live definition the statement needs where `rebuilds` says a
    /// change of it rebuilds the table (SQLite).
    pub(crate) fn rebuilt_table(&self, rebuilds: impl Fn(&[AlterAction]) -> bool) -> Option<&str> {
        match self {
            Statement::AlterTable { table, actions } if rebuilds(actions) => Some(table),
            _ => None,
        }
    }
}

/// A column's type as the builder holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeclaredType {
    /// One of arte's types.
    Known(ColumnType),
    /// A type read back from a live SQLite table, kept as declared.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    Declared(String),
    /// A string arte does not know: refused before any SQL runs.
    Unknown(String),
}

impl From<ColumnType> for DeclaredType {
    fn from(ty: ColumnType) -> Self {
        DeclaredType::Known(ty)
    }
}

impl From<Result<ColumnType, UnknownColumnType>> for DeclaredType {
    fn from(ty: Result<ColumnType, UnknownColumnType>) -> Self {
        match ty {
            Ok(ty) => DeclaredType::Known(ty),
            Err(UnknownColumnType(text)) => DeclaredType::Unknown(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn conventional_names_that_fit_are_kept_as_they_are() {
        let columns = vec!["module".to_owned(), "name".to_owned()];
        assert_eq!(
            conventional_name("migrations", &columns, "unique"),
            "migrations_module_name_unique"
        );
        let long = "t".repeat(60);
        let name = conventional_name(&long, &columns, "unique");
        assert_eq!(name.len(), 63);
        assert_eq!(name, conventional_name(&long, &columns, "unique"));
        assert_ne!(name, conventional_name(&long, &columns, "index"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Every table a valid name can name gets index and key names every database
        /// accepts.
        #[test]
        fn conventional_names_of_valid_tables_are_valid_identifiers(
            table in "[a-z_][a-z0-9_]{0,62}",
            columns in prop::collection::vec("[a-z_][a-z0-9_]{0,62}", 1..4),
            suffix in prop::sample::select(vec!["index", "unique", "foreign"]),
        ) {
            let name = conventional_name(&table, &columns, suffix);
            prop_assert!(arte_vocab::is_identifier(&name), "{name}");
        }

        /// Any text at all: a name or a refusal, never a panic.
        #[test]
        fn any_text_gives_a_name_without_a_panic(table in "\\PC{0,100}", column in "\\PC{0,100}") {
            let _ = conventional_name(&table, &[column], "unique");
        }
    }
}
