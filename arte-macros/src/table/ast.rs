//! `#[table]`'s own small syntax tree: the struct's options and fields, keeping the syn
//! nodes for spans.

use super::attr::{self, DefaultLit};
use crate::ctxt::Ctxt;
use arte_vocab::ColumnKind;
use proc_macro2::Span;
use syn::{
    Attribute, Fields, GenericArgument, Generics, Ident, ItemStruct, LitStr, PathArguments, Type,
    Visibility,
};

/// `#[table(...)]`'s arguments.
pub struct Options {
    pub name: Option<LitStr>,
    pub timestamps: Option<Ident>,
    pub soft_delete: Option<Ident>,
    /// `index(a, b)` and `unique(a, b)`, in the order written.
    pub indexes: Vec<IndexOption>,
}

/// `index(a, b)` or `unique(a, b)` among the table's options: fields (or mixin columns)
/// by name.
pub struct IndexOption {
    /// `index` or `unique`, for spans.
    pub key: Ident,
    pub unique: bool,
    pub columns: Vec<Ident>,
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
    /// The column's name: `#[column(name = "…")]`, else the field's.
    pub column: String,
    /// `#[column(name = "…")]`, as written.
    pub rename: Option<LitStr>,
    pub primary_key: bool,
    /// `references = "table"` or `"table.column"`.
    pub references: Option<LitStr>,
    pub on_delete: Option<LitStr>,
    pub on_update: Option<LitStr>,
    /// `#[column(index)]`, at its key.
    pub index: Option<Span>,
    /// `#[column(unique)]`, at its key.
    pub unique: Option<Span>,
    pub default: Option<DefaultLit>,
    pub default_raw: Option<LitStr>,
    /// `type = "varchar(255)"`, as written.
    pub sql_type: Option<LitStr>,
    /// Where the column's name is written: the `name = "…"` literal, else the field.
    pub span: Span,
}

/// The whole contract, parsed.
pub struct Contract {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub ident: Ident,
    pub generics: Generics,
    /// Whether the struct has named fields (a tuple or unit struct has no column names).
    pub named: bool,
    pub options: Options,
    /// The fields whose type a column can have; the others are reported in `cx`.
    pub fields: Vec<Field>,
}

impl Contract {
    /// Reads the struct; a field whose type no column can have, or whose `#[column]`
    /// cannot be read, is reported in `cx` and left out.
    pub fn from_syn(cx: &Ctxt, options: Options, item: &ItemStruct) -> Contract {
        let params: Vec<&Ident> = item.generics.type_params().map(|p| &p.ident).collect();
        let fields = match &item.fields {
            Fields::Named(named) => named
                .named
                .iter()
                .filter_map(|f| field(cx, f, &params))
                .collect(),
            Fields::Unnamed(_) | Fields::Unit => Vec::new(),
        };
        Contract {
            attrs: item.attrs.clone(),
            vis: item.vis.clone(),
            ident: item.ident.clone(),
            generics: item.generics.clone(),
            named: matches!(item.fields, Fields::Named(_)),
            options,
            fields,
        }
    }
}

fn field(cx: &Ctxt, field: &syn::Field, params: &[&Ident]) -> Option<Field> {
    let ident = field.ident.clone()?;
    let column = attr::parse_column(cx, &field.attrs)?;
    let (generated, row_ty) = match generic_arg(&field.ty, "Generated") {
        Some(inner) => (true, inner.clone()),
        None => (false, field.ty.clone()),
    };
    let (nullable, base_ty) = match generic_arg(&row_ty, "Option") {
        Some(inner) => (true, inner.clone()),
        None => (false, row_ty.clone()),
    };
    let Some(kind) = kind_of(&base_ty) else {
        // A type parameter is the generics error's to report.
        if !is_type_param(&base_ty, params) {
            cx.error_spanned_by(
                &base_ty,
                format!(
                    "`{}` is not a type a contract column can have\nhelp: use one of {}, wrapped in `Option<…>` for a nullable column or `Generated<…>` for one the database fills in",
                    display(&base_ty),
                    ColumnKind::supported()
                ),
            );
        }
        return None;
    };
    Some(Field {
        vis: field.vis.clone(),
        attrs: field
            .attrs
            .iter()
            .filter(|a| !a.path().is_ident("column"))
            .cloned()
            .collect(),
        ty: field.ty.clone(),
        row_ty,
        kind,
        generated,
        nullable,
        column: column
            .name
            .as_ref()
            .map_or_else(|| ident.to_string(), LitStr::value),
        span: column
            .name
            .as_ref()
            .map_or_else(|| ident.span(), LitStr::span),
        rename: column.name,
        primary_key: column.primary_key,
        references: column.references,
        on_delete: column.on_delete,
        on_update: column.on_update,
        index: column.index,
        unique: column.unique,
        default: column.default,
        default_raw: column.default_raw,
        sql_type: column.sql_type,
        ident,
    })
}

/// `T` of `Name<T>`, when `ty` is that.
fn generic_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// What a field's type (without `Generated` and `Option`) says the column holds.
fn kind_of(ty: &Type) -> Option<ColumnKind> {
    if let Some(inner) = generic_arg(ty, "Vec") {
        return (last_ident(inner).as_deref() == Some("u8")).then_some(ColumnKind::Binary);
    }
    if let Some(zone) = generic_arg(ty, "DateTime") {
        return (last_ident(zone).as_deref() == Some("Utc")).then_some(ColumnKind::TimestampUtc);
    }
    let Type::Path(path) = ty else { return None };
    if path
        .path
        .segments
        .last()
        .is_some_and(|s| !s.arguments.is_empty())
    {
        return None;
    }
    ColumnKind::from_type_name(&last_ident(ty)?)
}

/// Whether `ty` is one of the struct's type parameters.
fn is_type_param(ty: &Type, params: &[&Ident]) -> bool {
    let Type::Path(path) = ty else { return false };
    path.qself.is_none()
        && path
            .path
            .get_ident()
            .is_some_and(|ident| params.contains(&ident))
}

/// `ty` as the user wrote it, spaced the way rustfmt would: `HashMap<String, String>`.
pub fn display(ty: &Type) -> String {
    quote::quote!(#ty)
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::display;

    #[test]
    fn display_spaces_a_type_as_written() {
        let ty: syn::Type = syn::parse_quote!(std::collections::HashMap<String, Vec<u8>>);
        assert_eq!(display(&ty), "std::collections::HashMap<String, Vec<u8>>");
    }
}
