//! Column data types: written as the strings users know (`"varchar(255)"`) or as values.


pub use arte_vocab::{ColumnType, KNOWN_TYPES};

/// What `add_column` accepts as a type: a string to parse, or a [`ColumnType`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSpec(pub(crate) ColumnTypeRef);

/// A column's type as the builder holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ColumnTypeRef {
    /// One of arte's types.
    Known(ColumnType),
    /// A type read back from a live SQLite table, kept as declared.
    Declared(String),
    /// A string arte does not know: refused before any SQL runs.
    Unknown(String),
}

impl From<ColumnType> for TypeSpec {
    fn from(ty: ColumnType) -> Self {
        TypeSpec(ColumnTypeRef::Known(ty))
    }
}

impl From<&str> for TypeSpec {
    fn from(text: &str) -> Self {
        TypeSpec(match ColumnType::parse(text) {
            Some(ty) => ColumnTypeRef::Known(ty),
            None => ColumnTypeRef::Unknown(text.to_owned()),
        })
    }
}

impl From<String> for TypeSpec {
    fn from(text: String) -> Self {
        TypeSpec::from(text.as_str())
    }
}

