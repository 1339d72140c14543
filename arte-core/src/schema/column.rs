//! Columns: their definition and the builder the `add_column` closure receives.

use super::types::TypeSpec;

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

/// Everything known about one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    pub(crate) name: String,
    pub(crate) ty: TypeSpec,
    pub(crate) not_null: bool,
    pub(crate) default: Option<Default>,
    pub(crate) primary_key: bool,
    pub(crate) unique: bool,
    pub(crate) auto_increment: bool,
}

impl ColumnDef {
    pub(crate) fn new(name: &str, ty: TypeSpec) -> Self {
        ColumnDef {
            name: name.to_owned(),
            ty,
            not_null: false,
            default: None,
            primary_key: false,
            unique: false,
            auto_increment: false,
        }
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
}
