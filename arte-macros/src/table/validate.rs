//! From the struct as written to a checked [`Contract`], every mistake collected.

use super::ast::{Contract, Field, Kind, Options};
use super::attr;
use syn::spanned::Spanned;
use syn::{Fields, GenericArgument, ItemStruct, PathArguments, Type};

const SUPPORTED: &str = "i16, i32, i64, f32, f64, bool, String, Vec<u8>, chrono::NaiveDate, chrono::NaiveDateTime, chrono::DateTime<Utc>, serde_json::Value, uuid::Uuid";

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

fn kind_of(ty: &Type) -> Option<Kind> {
    if let Some(inner) = generic_arg(ty, "Vec") {
        return (last_ident(inner).as_deref() == Some("u8")).then_some(Kind::Binary);
    }
    if let Some(zone) = generic_arg(ty, "DateTime") {
        return (last_ident(zone).as_deref() == Some("Utc")).then_some(Kind::TimestampUtc);
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
    Some(match last_ident(ty)?.as_str() {
        "i16" => Kind::SmallInt,
        "i32" => Kind::Integer,
        "i64" => Kind::BigInt,
        "f32" => Kind::Float,
        "f64" => Kind::Double,
        "bool" => Kind::Bool,
        "String" => Kind::Text,
        "NaiveDate" => Kind::Date,
        "NaiveDateTime" => Kind::Timestamp,
        "Value" => Kind::Json,
        "Uuid" => Kind::Uuid,
        _ => return None,
    })
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

fn field(field: &syn::Field, errors: &mut Errors) -> Option<Field> {
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
        errors.push(syn::Error::new(
            base_ty.span(),
            format!(
                "`{}` is not a type a contract column can have\nhelp: use one of {SUPPORTED}, wrapped in `Option<…>` for a nullable column or `Generated<…>` for one the database fills in",
                quote::quote!(#base_ty).to_string().replace(' ', "")
            ),
        ));
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
            format!("`{name}` is not a valid column name; use letters, digits and underscores, starting with a letter or underscore"),
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
        span: field.span(),
        ident,
    })
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 63
}

pub fn contract(options: Options, item: &ItemStruct) -> syn::Result<Contract> {
    let mut errors = Errors(None);
    if !item.generics.params.is_empty() {
        errors.push(syn::Error::new(
            item.generics.span(),
            "a contract cannot be generic: it describes one table",
        ));
    }
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
        None => errors.push(syn::Error::new(
            item.ident.span(),
            "#[table] needs the table's name\nhelp: write `#[table(name = \"items\")]`",
        )),
        Some(name) => {
            let value = name.value();
            if !is_identifier(&value) || KEYWORDS.contains(&value.as_str()) {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("`{value}` cannot name a table here; use letters, digits and underscores, starting with a letter, and not a Rust keyword"),
                ));
            }
        }
    }
    let fields: Vec<Field> = named
        .map(|named| {
            named
                .named
                .iter()
                .filter_map(|f| field(f, &mut errors))
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
        if !field.kind.is_integer() || field.nullable {
            errors.push(syn::Error::new(
                field.ty.span(),
                "a generated primary key must be an integer the database counts up: `Generated<i64>`",
            ));
        }
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
