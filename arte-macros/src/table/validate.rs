//! From the struct as written to a checked [`Contract`], every mistake collected.

use super::ast::{Contract, Field, Options};
use super::attr;
use arte_vocab::ColumnKind;
use arte_vocab::identifier::IDENTIFIER_CHARACTERS;
use syn::{Fields, GenericArgument, ItemStruct, LitStr, PathArguments, Type};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

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

struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }
}

/// `ty` as the user wrote it, spaced the way rustfmt would: `HashMap<String, String>`.
fn display(ty: &Type) -> String {
    quote::quote!(#ty)
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// Whether `ty` is one of the struct's type parameters, which the generics error covers.
fn is_type_param(ty: &Type, params: &[&syn::Ident]) -> bool {
    let Type::Path(path) = ty else { return false };
    path.qself.is_none()
        && path
            .path
            .get_ident()
            .is_some_and(|ident| params.contains(&ident))
}

fn field(field: &syn::Field, params: &[&syn::Ident], errors: &mut Errors) -> Option<Field> {
    let ident = field.ident.clone()?;
    let column = match attr::parse_column(&field.attrs) {
        Ok(column) => column,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    let (generated, row_ty) = match generic_arg(&field.ty, "Generated") {
        Some(inner) => (true, inner.clone()),
        None => (false, field.ty.clone()),
    };
    let (nullable, base_ty) = match generic_arg(&row_ty, "Option") {
        Some(inner) => (true, inner.clone()),
        None => (false, row_ty.clone()),
    };
    let Some(kind) = kind_of(&base_ty) else {
        if !is_type_param(&base_ty, params) {
            errors.push(syn::Error::new_spanned(
                &base_ty,
                format!(
                    "`{}` is not a type a contract column can have\nhelp: use one of {}, wrapped in `Option<…>` for a nullable column or `Generated<…>` for one the database fills in",
                    display(&base_ty),
                    ColumnKind::supported()
                ),
            ));
        }
        return None;
    };
    let name = match &column.name {
        Some(name) => name.value(),
        None => ident.to_string(),
    };
    if let Some(lit) = &column.name
        && !is_identifier(&name)
    {
        errors.push(syn::Error::new(
            lit.span(),
            format!("`{name}` is not a valid column name; {IDENTIFIER_CHARACTERS}"),
        ));
    }
    if let Some(target) = &column.references
        && !is_identifier(&target.value())
    {
        errors.push(syn::Error::new(
            target.span(),
            "`references` names the contract table this column points at, for example `references = \"users\"`",
        ));
    }
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
        column: name,
        primary_key: column.primary_key,
        references: column.references,
        // Where the column's name is written: the `name = "…"` literal, else the field.
        span: column
            .name
            .as_ref()
            .map_or_else(|| ident.span(), LitStr::span),
        ident,
    })
}

/// `name` with each run of other characters made one underscore: `my items` → `my_items`.
fn suggestion(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    match out.trim_matches('_') {
        "" => "items".to_owned(),
        s if s.starts_with(|c: char| c.is_ascii_digit()) => format!("t_{s}"),
        s => s.to_owned(),
    }
}

/// The shared identifier rule, and one refusal of Rust's own: `_` alone names no module
/// and no field.
fn is_identifier(name: &str) -> bool {
    arte_vocab::is_identifier(name) && name != "_"
}

pub fn contract(options: Options, item: &ItemStruct) -> syn::Result<Contract> {
    let mut errors = Errors(None);
    if !item.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &item.generics,
            "a contract cannot be generic: it describes one table\nhelp: give each field its column's type, for example `pub name: String`",
        ));
    }
    let params: Vec<&syn::Ident> = item.generics.type_params().map(|p| &p.ident).collect();
    let named = match &item.fields {
        Fields::Named(named) => Some(named),
        Fields::Unnamed(_) | Fields::Unit => {
            errors.push(syn::Error::new(
                item.ident.span(),
                "#[table] needs a struct with named fields, one per column\nhelp: `pub struct Item { pub id: Generated<i64>, pub name: String }`",
            ));
            None
        }
    };
    match &options.name {
        // The call site is the `#[table(…)]` attribute, where the name belongs.
        None => errors.push(syn::Error::new(
            proc_macro2::Span::call_site(),
            "#[table] needs the table's name\nhelp: write `#[table(name = \"items\")]`",
        )),
        Some(name) => {
            let value = name.value();
            if !is_identifier(&value) {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("`{value}` is not a valid table name\nhelp: {IDENTIFIER_CHARACTERS}, for example `name = \"{}\"`", suggestion(&value)),
                ));
            } else if KEYWORDS.contains(&value.as_str()) {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("`{value}` is a Rust keyword, so it cannot name the table's module `{value}::table`\nhelp: choose another name, for example `name = \"{value}s\"`"),
                ));
            }
        }
    }
    let fields: Vec<Field> = named
        .map(|named| {
            named
                .named
                .iter()
                .filter_map(|f| field(f, &params, &mut errors))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    let mixins = [
        (options.timestamps.is_some(), "timestamps", "created_at"),
        (options.timestamps.is_some(), "timestamps", "updated_at"),
        (options.soft_delete.is_some(), "soft_delete", "deleted_at"),
    ];
    for field in &fields {
        if !seen.insert(field.column.clone()) {
            errors.push(syn::Error::new(
                field.span,
                format!("the column `{}` is declared twice", field.column),
            ));
        }
        if let Some((_, mixin, _)) = mixins
            .iter()
            .find(|(on, _, name)| *on && *name == field.column)
        {
            errors.push(syn::Error::new(
                field.span,
                format!(
                    "`{}` comes from the `{mixin}` option; remove the field",
                    field.column
                ),
            ));
        }
    }
    let keys: Vec<&Field> = fields.iter().filter(|f| f.primary_key).collect();
    if named.is_some() && keys.is_empty() && !fields.iter().any(|f| f.ident == "id") {
        errors.push(syn::Error::new(
            item.ident.span(),
            "this contract has no primary key\nhelp: add `pub id: Generated<i64>`, or mark the key with `#[column(primary_key)]`",
        ));
    }
    for field in fields.iter().filter(|f| f.generated && is_key(f, &fields)) {
        let help = if !field.kind.is_integer() {
            format!(
                "write `Generated<i64>`, or set the key yourself: `#[column(primary_key)] pub {}: {}`",
                field.ident,
                display(&field.row_ty),
            )
        } else if field.nullable {
            "write `Generated<i64>`: a primary key is never NULL".to_owned()
        } else {
            continue;
        };
        errors.push(syn::Error::new_spanned(
            &field.ty,
            format!(
                "a generated primary key is an integer the database counts up, not `{}`\nhelp: {help}",
                display(&field.ty),
            ),
        ));
    }
    match errors.0 {
        Some(errors) => Err(errors),
        None => Ok(Contract {
            attrs: item.attrs.clone(),
            vis: item.vis.clone(),
            ident: item.ident.clone(),
            options,
            fields,
        }),
    }
}

/// Whether `field` is part of the primary key: marked ones, else the one named `id`.
pub fn is_key(field: &Field, fields: &[Field]) -> bool {
    if fields.iter().any(|f| f.primary_key) {
        field.primary_key
    } else {
        field.ident == "id"
    }
}

#[cfg(test)]
mod tests {
    use super::{display, suggestion};

    #[test]
    fn suggestion_turns_a_name_into_an_identifier() {
        assert_eq!(suggestion("my items"), "my_items");
        assert_eq!(suggestion("Order-Lines "), "order_lines");
        assert_eq!(suggestion("2024 sales"), "t_2024_sales");
        assert_eq!(suggestion("--"), "items");
    }

    #[test]
    fn display_spaces_a_type_as_written() {
        let ty: syn::Type = syn::parse_quote!(std::collections::HashMap<String, Vec<u8>>);
        assert_eq!(display(&ty), "std::collections::HashMap<String, Vec<u8>>");
    }
}
