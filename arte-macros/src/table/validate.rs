//! The rules a contract follows beyond its syntax: one function each, run in order from
//! [`RULES`], every mistake reported.

use super::ast::{Contract, Field, display};
use crate::ctxt::Ctxt;
use arte_vocab::identifier::IDENTIFIER_CHARACTERS;
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
        if !is_identifier(&target.value()) {
            cx.error_at(
                target.span(),
                "`references` names the contract table this column points at, for example `references = \"users\"`",
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
