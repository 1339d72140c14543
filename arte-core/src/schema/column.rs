//! The builder the `add_column(name, type, |col| …)` closure receives.

use super::model::{Action, ColumnDef, ColumnDefault, Reference, Value};
use arte_vocab::{ColumnType, UnknownColumnType};

/// A column named `name` of type `ty`, shaped by `build`. A type string arte does not know
/// is kept, and refused with the list of known types before any SQL runs.
pub(crate) fn column(
    name: &str,
    ty: impl TryInto<ColumnType, Error: Into<UnknownColumnType>>,
    build: impl FnOnce(ColumnBuilder) -> ColumnBuilder,
) -> ColumnDef {
    let ty = ty.try_into().map_err(Into::into);
    build(ColumnBuilder {
        def: ColumnDef::new(name, ty),
    })
    .def
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
        self.def.default = Some(ColumnDefault::Value(value.into()));
        self
    }

    /// The column defaults to an SQL expression, written as is: `default_raw("CURRENT_TIMESTAMP")`.
    pub fn default_raw(mut self, expression: impl Into<String>) -> Self {
        self.def.default = Some(ColumnDefault::Raw(expression.into()));
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
