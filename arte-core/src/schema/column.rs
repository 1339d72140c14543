//! Columns: their definition and the builder the `add_column` closure receives.

use super::types::{ColumnTypeRef, TypeSpec};

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
pub enum Default {
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
    ) -> Result<super::table::ForeignKeyDef, super::SchemaError> {
        let (ref_table, ref_column) =
            self.split()
                .ok_or_else(|| super::SchemaError::BadReference {
                    column: column.to_owned(),
                    target: self.target.clone(),
                })?;
        let columns = vec![column.to_owned()];
        Ok(super::table::ForeignKeyDef {
            name: super::table::conventional_name(table, &columns, "foreign"),
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
pub struct ColumnDef {
    pub(crate) name: String,
    pub(crate) ty: ColumnTypeRef,
    pub(crate) not_null: bool,
    pub(crate) default: Option<Default>,
    pub(crate) primary_key: bool,
    pub(crate) unique: bool,
    pub(crate) auto_increment: bool,
    pub(crate) references: Option<Reference>,
    /// `on_delete`/`on_update` was called with no `references` before it.
    pub(crate) dangling_action: bool,
}

impl ColumnDef {
    pub(crate) fn new(name: &str, ty: TypeSpec) -> Self {
        ColumnDef {
            name: name.to_owned(),
            ty: ty.0,
            not_null: false,
            default: None,
            primary_key: false,
            unique: false,
            auto_increment: false,
            references: None,
            dangling_action: false,
        }
    }

    /// `id`: an auto-incrementing 64-bit primary key.
    pub(crate) fn id(name: &str) -> Self {
        let mut id = ColumnDef::new(name, super::ColumnType::BigInt.into());
        id.primary_key = true;
        id.not_null = true;
        id.auto_increment = true;
        id
    }

    pub(crate) fn build(
        name: &str,
        ty: TypeSpec,
        build: impl FnOnce(ColumnBuilder) -> ColumnBuilder,
    ) -> Self {
        build(ColumnBuilder {
            def: ColumnDef::new(name, ty),
        })
        .def
    }
}

/// Shapes a column inside `add_column(name, type, |col| …)`.
#[derive(Debug)]
#[must_use = "return the builder from the closure"]
pub struct ColumnBuilder {
    pub(crate) def: ColumnDef,
}

impl ColumnBuilder {
    /// The column refuses `NULL`.
    pub fn not_null(mut self) -> Self {
        self.def.not_null = true;
        self
    }

    /// The column accepts `NULL` (the default; useful to undo `not_null` in a helper).
    pub fn nullable(mut self) -> Self {
        self.def.not_null = false;
        self
    }

    /// The column defaults to a literal value, quoted for the database.
    pub fn default(mut self, value: impl Into<Value>) -> Self {
        self.def.default = Some(Default::Value(value.into()));
        self
    }

    /// The column defaults to an SQL expression, written as is: `default_raw("CURRENT_TIMESTAMP")`.
    pub fn default_raw(mut self, expression: impl Into<String>) -> Self {
        self.def.default = Some(Default::Raw(expression.into()));
        self
    }

    /// The column's values are unique.
    pub fn unique(mut self) -> Self {
        self.def.unique = true;
        self
    }

    /// The column is the table's primary key.
    pub fn primary_key(mut self) -> Self {
        self.def.primary_key = true;
        self.def.not_null = true;
        self
    }

    /// The column points at `table.column` (a foreign key named `<table>_<column>_foreign`).
    pub fn references(mut self, target: &str) -> Self {
        self.def.references = Some(Reference {
            target: target.to_owned(),
            on_delete: None,
            on_update: None,
        });
        self
    }

    /// What the foreign key of `references` does when the row it points at is deleted.
    pub fn on_delete(mut self, action: Action) -> Self {
        match &mut self.def.references {
            Some(reference) => reference.on_delete = Some(action),
            None => self.def.dangling_action = true,
        }
        self
    }

    /// What the foreign key of `references` does when the key it points at changes.
    pub fn on_update(mut self, action: Action) -> Self {
        match &mut self.def.references {
            Some(reference) => reference.on_update = Some(action),
            None => self.def.dangling_action = true,
        }
        self
    }
}
