//! `#[table]`'s own small syntax tree: the struct's options and fields, keeping the syn
//! nodes for spans.

use arte_vocab::ColumnKind;
use proc_macro2::Span;
use syn::{Attribute, Ident, LitStr, Type, Visibility};

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
    pub kind: ColumnKind,
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
