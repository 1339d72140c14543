//! `#[table]`'s own small syntax tree: the struct's options and fields, keeping the syn
//! nodes for spans.

use proc_macro2::Span;
use syn::{Attribute, Ident, LitStr, Type, Visibility};

/// What a field's Rust type says the column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SmallInt,
    Integer,
    BigInt,
    Float,
    Double,
    Bool,
    Text,
    Binary,
    Date,
    Timestamp,
    TimestampUtc,
    Json,
    Uuid,
}

impl Kind {
    /// The variant name of `arte_core::contract::ColumnKind`.
    pub fn variant(self) -> &'static str {
        match self {
            Kind::SmallInt => "SmallInt",
            Kind::Integer => "Integer",
            Kind::BigInt => "BigInt",
            Kind::Float => "Float",
            Kind::Double => "Double",
            Kind::Bool => "Bool",
            Kind::Text => "Text",
            Kind::Binary => "Binary",
            Kind::Date => "Date",
            Kind::Timestamp => "Timestamp",
            Kind::TimestampUtc => "TimestampUtc",
            Kind::Json => "Json",
            Kind::Uuid => "Uuid",
        }
    }

    pub fn is_integer(self) -> bool {
        matches!(self, Kind::SmallInt | Kind::Integer | Kind::BigInt)
    }
}

/// `#[table(...)]`'s arguments.
pub struct Options {
    pub name: Option<LitStr>,
    pub timestamps: Option<Ident>,
    pub soft_delete: Option<Ident>,
}

/// One field of the contract.
pub struct Field {
    pub ident: Ident,
    pub vis: Visibility,
    /// The field's attributes other than `#[column]`.
    pub attrs: Vec<Attribute>,
    /// The type as written.
    pub ty: Type,
    /// The type without `Generated<…>`: what the row holds.
    pub row_ty: Type,
    pub kind: Kind,
    pub generated: bool,
    pub nullable: bool,
    pub column: String,
    pub primary_key: bool,
    pub references: Option<LitStr>,
    pub span: Span,
}

/// The whole contract, parsed.
pub struct Contract {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub options: Options,
    pub fields: Vec<Field>,
}
