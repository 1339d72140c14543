//! The rules a contract follows beyond its syntax: one function each, run in order from
//! [`RULES`], every mistake reported.

use super::ast::{Contract, Field, display};
use super::attr::DefaultValue;
use crate::ctxt::Ctxt;
use arte_vocab::identifier::IDENTIFIER_CHARACTERS;
use arte_vocab::{ColumnKind, ColumnType, KNOWN_TYPES};
use std::collections::HashSet;

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Every rule, in the order their errors are reported.
const RULES: &[fn(&Ctxt, &Contract)] = &[
    not_generic,
    fields_are_named,
    table_is_named,
    table_name_is_an_identifier,
    column_names_are_identifiers,
    references_name_tables,
    columns_are_declared_once,
    mixin_columns_are_not_fields,
    has_a_primary_key,
    generated_key_is_an_integer,
    column_types_fit_fields,
    actions_are_known_and_follow_references,
    defaults_fit_fields,
    indexes_name_columns,
];

/// Runs every rule on `contract`.
pub fn check(cx: &Ctxt, contract: &Contract) {
    for rule in RULES {
        rule(cx, contract);
    }
}

/// The shared identifier rule, and one refusal of Rust's own: `_` alone names no module
/// and no field.
fn is_identifier(name: &str) -> bool {
    arte_vocab::is_identifier(name) && name != "_"
}

fn not_generic(cx: &Ctxt, contract: &Contract) {
    if !contract.generics.params.is_empty() {
        cx.error_spanned_by(
            &contract.generics,
            "a contract cannot be generic: it describes one table\nhelp: give each field its column's type, for example `pub name: String`",
        );
    }
}

fn fields_are_named(cx: &Ctxt, contract: &Contract) {
    if !contract.named {
        cx.error_at(
            contract.ident.span(),
            "#[table] needs a struct with named fields, one per column\nhelp: `pub struct Item { pub id: Generated<i64>, pub name: String }`",
        );
    }
}

fn table_is_named(cx: &Ctxt, contract: &Contract) {
    if contract.options.name.is_none() {
        // The call site is the `#[table(…)]` attribute, where the name belongs.
        cx.error_at(
            proc_macro2::Span::call_site(),
            "#[table] needs the table's name\nhelp: write `#[table(name = \"items\")]`",
        );
    }
}

fn table_name_is_an_identifier(cx: &Ctxt, contract: &Contract) {
    let Some(name) = &contract.options.name else {
        return;
    };
    let value = name.value();
    if !is_identifier(&value) {
        cx.error_at(
            name.span(),
            format!(
                "`{value}` is not a valid table name\nhelp: {IDENTIFIER_CHARACTERS}, for example `name = \"{}\"`",
                suggestion(&value)
            ),
        );
    } else if KEYWORDS.contains(&value.as_str()) {
        cx.error_at(
            name.span(),
            format!(
                "`{value}` is a Rust keyword, so it cannot name the table's module `{value}::table`\nhelp: choose another name, for example `name = \"{value}s\"`"
            ),
        );
    }
}

fn column_names_are_identifiers(cx: &Ctxt, contract: &Contract) {
    for field in &contract.fields {
        if let Some(rename) = &field.rename
            && !is_identifier(&field.column)
        {
            cx.error_at(
                rename.span(),
                format!(
                    "`{}` is not a valid column name; {IDENTIFIER_CHARACTERS}",
                    field.column
                ),
            );
        }
    }
}

fn references_name_tables(cx: &Ctxt, contract: &Contract) {
    for target in contract.fields.iter().filter_map(|f| f.references.as_ref()) {
        if reference_target(&target.value()).is_none() {
            cx.error_at(
                target.span(),
                "`references` names the table (and column) this column points at\nhelp: write `references = \"users.id\"`, or `references = \"users\"` for its `id`",
            );
        }
    }
}

/// `("users", "id")` of `references = "users.id"`; a table alone points at its `id`.
pub fn reference_target(text: &str) -> Option<(String, String)> {
    let (table, column) = text.split_once('.').unwrap_or((text, "id"));
    (is_identifier(table) && is_identifier(column)).then(|| (table.to_owned(), column.to_owned()))
}

/// The action `on_delete = "…"` names, as `arte_core::schema::Action`'s variant.
pub fn action(text: &str) -> Option<&'static str> {
    Some(match text {
        "cascade" => "Cascade",
        "set_null" => "SetNull",
        "set_default" => "SetDefault",
        "restrict" => "Restrict",
        "no_action" => "NoAction",
        _ => return None,
    })
}

/// The column type of `field`: its `type = "…"`, else its kind's; `None` when neither
/// says (a decimal without its precision, or a type that is not one).
pub fn column_type(field: &Field) -> Option<ColumnType> {
    match &field.sql_type {
        Some(text) => ColumnType::parse(&text.value()),
        None => field.kind.default_type(),
    }
}

fn column_types_fit_fields(cx: &Ctxt, contract: &Contract) {
    for field in &contract.fields {
        let rust = display(&field.row_ty);
        match &field.sql_type {
            Some(text) => match ColumnType::parse(&text.value()) {
                None => cx.error_at(
                    text.span(),
                    format!(
                        "`{}` is not a column type\nhelp: the known types are: {KNOWN_TYPES}",
                        text.value()
                    ),
                ),
                Some(ty) if !field.kind.accepts(ty) => cx.error_at(
                    text.span(),
                    format!(
                        "the column type `{ty}` cannot hold the field's `{rust}`\nhelp: give it one of {}",
                        field.kind.accepted_types()
                    ),
                ),
                Some(_) => {}
            },
            None if field.kind == ColumnKind::Decimal => cx.error_spanned_by(
                &field.ty,
                format!(
                    "the field's `{rust}` needs its column's precision and scale\nhelp: add `#[column(type = \"decimal(10, 2)\")]`"
                ),
            ),
            None => {}
        }
    }
}

fn actions_are_known_and_follow_references(cx: &Ctxt, contract: &Contract) {
    for field in &contract.fields {
        for (option, value) in [
            ("on_delete", &field.on_delete),
            ("on_update", &field.on_update),
        ] {
            let Some(value) = value else { continue };
            let text = value.value();
            if field.references.is_none() {
                cx.error_at(
                    value.span(),
                    format!("`{option}` needs `references = \"table.column\"` on the same field"),
                );
            } else if action(&text).is_none() {
                cx.error_at(
                    value.span(),
                    format!(
                        "`{text}` is not an action\nhelp: write `{option} = \"cascade\"`, `\"set_null\"`, `\"set_default\"`, `\"restrict\"` or `\"no_action\"`"
                    ),
                );
            } else if text == "set_null" && !field.nullable {
                cx.error_at(
                    value.span(),
                    format!(
                        "`{option} = \"set_null\"` needs a nullable column, but `{}` is not an `Option`\nhelp: make the field `Option<{}>`, or choose another action",
                        field.ident,
                        display(&field.row_ty)
                    ),
                );
            }
        }
    }
}

fn defaults_fit_fields(cx: &Ctxt, contract: &Contract) {
    let fields = &contract.fields;
    for field in fields {
        if field.default.is_some()
            && let Some(raw) = &field.default_raw
        {
            cx.error_at(raw.span(), "give `default` or `default_raw`, not both");
            continue;
        }
        if field.generated
            && is_key(field, fields)
            && (field.default.is_some() || field.default_raw.is_some())
        {
            cx.error_spanned_by(
                &field.ty,
                "a generated primary key takes no default: the database counts it up",
            );
            continue;
        }
        if let Some(raw) = &field.default_raw
            && raw.value().trim().is_empty()
        {
            cx.error_at(
                raw.span(),
                "`default_raw` is empty\nhelp: write the SQL expression, for example `default_raw = \"CURRENT_TIMESTAMP\"`",
            );
        }
        let Some(default) = &field.default else {
            continue;
        };
        let kind = field.kind;
        let fits = match &default.value {
            DefaultValue::Int(_) => kind.is_number(),
            DefaultValue::Float(_) => matches!(
                kind,
                ColumnKind::Float | ColumnKind::Double | ColumnKind::Decimal
            ),
            DefaultValue::Bool(_) => kind == ColumnKind::Bool,
            DefaultValue::Text(_) => matches!(
                kind,
                ColumnKind::Text
                    | ColumnKind::Uuid
                    | ColumnKind::Date
                    | ColumnKind::Timestamp
                    | ColumnKind::TimestampUtc
                    | ColumnKind::Json
            ),
        };
        if !fits {
            let example = match kind {
                ColumnKind::Bool => "`default = false`".to_owned(),
                k if k.is_number() => "`default = 0`".to_owned(),
                ColumnKind::Binary => {
                    "`default_raw = \"…\"` with the database's own literal".to_owned()
                }
                _ => "`default = \"…\"`".to_owned(),
            };
            cx.error_at(
                default.span,
                format!(
                    "{} does not fit the field's `{}`\nhelp: write {example}",
                    default.value.describe(),
                    display(&field.row_ty)
                ),
            );
        }
    }
}

fn indexes_name_columns(cx: &Ctxt, contract: &Contract) {
    let options = &contract.options;
    let mixins: Vec<&str> = [
        (options.timestamps.is_some(), "created_at"),
        (options.timestamps.is_some(), "updated_at"),
        (options.soft_delete.is_some(), "deleted_at"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    for index in &options.indexes {
        if index.columns.is_empty() {
            cx.error_at(
                index.key.span(),
                format!(
                    "`{0}(…)` needs the fields it covers\nhelp: write `{0}(first_field, second_field)`",
                    index.key
                ),
            );
        }
        for column in &index.columns {
            let known = contract.fields.iter().any(|f| f.ident == *column)
                || mixins.iter().any(|m| column == m);
            if !known {
                cx.error_at(
                    column.span(),
                    format!(
                        "this contract has no field `{column}` to put in `{}(…)`",
                        index.key
                    ),
                );
            }
        }
    }
    for field in &contract.fields {
        if let (Some(_), Some(unique)) = (field.index, field.unique) {
            cx.error_at(
                unique,
                "a unique column is indexed already\nhelp: keep `unique` and remove `index`",
            );
        }
    }
}

fn columns_are_declared_once(cx: &Ctxt, contract: &Contract) {
    let mut seen = HashSet::new();
    for field in &contract.fields {
        if !seen.insert(field.column.as_str()) {
            cx.error_at(
                field.span,
                format!("the column `{}` is declared twice", field.column),
            );
        }
    }
}

fn mixin_columns_are_not_fields(cx: &Ctxt, contract: &Contract) {
    let options = &contract.options;
    let mixins = [
        (options.timestamps.is_some(), "timestamps", "created_at"),
        (options.timestamps.is_some(), "timestamps", "updated_at"),
        (options.soft_delete.is_some(), "soft_delete", "deleted_at"),
    ];
    for field in &contract.fields {
        if let Some((_, mixin, _)) = mixins
            .iter()
            .find(|(on, _, name)| *on && *name == field.column)
        {
            cx.error_at(
                field.span,
                format!(
                    "`{}` comes from the `{mixin}` option; remove the field",
                    field.column
                ),
            );
        }
    }
}

fn has_a_primary_key(cx: &Ctxt, contract: &Contract) {
    let fields = &contract.fields;
    if contract.named && !fields.iter().any(|f| f.primary_key || f.ident == "id") {
        cx.error_at(
            contract.ident.span(),
            "this contract has no primary key\nhelp: add `pub id: Generated<i64>`, or mark the key with `#[column(primary_key)]`",
        );
    }
}

fn generated_key_is_an_integer(cx: &Ctxt, contract: &Contract) {
    let fields = &contract.fields;
    for field in fields.iter().filter(|f| f.generated && is_key(f, fields)) {
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
        cx.error_spanned_by(
            &field.ty,
            format!(
                "a generated primary key is an integer the database counts up, not `{}`\nhelp: {help}",
                display(&field.ty),
            ),
        );
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

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn suggestion_turns_a_name_into_an_identifier() {
        assert_eq!(suggestion("my items"), "my_items");
        assert_eq!(suggestion("Order-Lines "), "order_lines");
        assert_eq!(suggestion("2024 sales"), "t_2024_sales");
        assert_eq!(suggestion("--"), "items");
    }
}
