//! The builder the `add_column(name, type, |col| …)` closure receives.

use super::model::{Action, ColumnDef, ColumnDefault, DeclaredType, Reference, Value};
use arte_vocab::{ColumnType, UnknownColumnType};

/// Shapes a column inside `add_column(name, type, |col| …)`.
#[derive(Debug)]
#[must_use = "return the builder from the closure"]
pub struct ColumnBuilder {
    pub(crate) def: Box<ColumnDef>,
}

impl ColumnBuilder {
    /// A column named `name` of type `ty`, for the closure of `add_column` or
    /// `change_column`. A type string arte does not know is kept, and refused with the list
    /// of known types before any SQL runs. Compiled once per type of `ty`, not per call
    /// (see `table.rs` on how the builder compiles).
    #[inline(never)]
    pub(crate) fn of(
        name: &str,
        ty: impl TryInto<ColumnType, Error: Into<UnknownColumnType>>,
    ) -> Self {
        let ty: DeclaredType = ty.try_into().map_err(Into::into).into();
        ColumnBuilder {
            def: Box::new(ColumnDef::new(name, ty)),
        }
    }

    /// The column as built.
    #[inline(never)]
    pub(crate) fn finish(self) -> ColumnDef {
        *self.def
    }

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
    pub fn default(self, value: impl Into<Value>) -> Self {
        self.default_value(value.into())
    }

    #[inline(never)]
    fn default_value(mut self, value: Value) -> Self {
        self.def.default = Some(ColumnDefault::Value(value));
        self
    }

    /// The column defaults to an SQL expression, written as is: `default_raw("CURRENT_TIMESTAMP")`.
    pub fn default_raw(self, expression: impl Into<String>) -> Self {
        self.default_expression(expression.into())
    }

    #[inline(never)]
    fn default_expression(mut self, expression: String) -> Self {
        self.def.default = Some(ColumnDefault::Raw(expression));
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
