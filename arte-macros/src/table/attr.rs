//! Parsing `#[table(name = "…", timestamps, soft_delete, index(…), unique(…))]` and
//! `#[column(…)]`.

use super::ast::{IndexOption, Options};
use crate::ctxt::Ctxt;
use crate::options;
use proc_macro2::Span;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, ExprUnary, Ident, Lit, LitStr, Token, UnOp};

const TABLE_FORM: &str = "#[table(name = \"items\", timestamps, soft_delete)]";

/// The help line of an unknown table option.
const TABLE_OPTIONS: &str = "the options are `name = \"…\"`, `timestamps`, `soft_delete`, `index(field, …)` and `unique(field, …)`";

/// The help line of an unknown column option.
const COLUMN_OPTIONS: &str = "the options are `name = \"…\"`, `type = \"…\"`, `primary_key`, `index`, `unique`, `default = …`, `default_raw = \"…\"`, `references = \"table.column\"`, `on_delete = \"…\"` and `on_update = \"…\"`";

/// `#[table(…)]`'s arguments; `None` when they cannot be read (the reason is in `cx`). An
/// unknown or repeated option goes to `cx`, and reading goes on.
pub fn parse_options(cx: &Ctxt, tokens: proc_macro2::TokenStream) -> Option<Options> {
    let parser = |input: ParseStream<'_>| {
        let mut parsed = Options {
            name: None,
            timestamps: None,
            soft_delete: None,
            indexes: Vec::new(),
        };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            match key.to_string().as_str() {
                "name" => {
                    input.parse::<Token![=]>()?;
                    options::once(cx, &mut parsed.name, &key, input.parse::<LitStr>()?);
                }
                "timestamps" => options::once(cx, &mut parsed.timestamps, &key, key.clone()),
                "soft_delete" => options::once(cx, &mut parsed.soft_delete, &key, key.clone()),
                "index" | "unique" => {
                    let content;
                    syn::parenthesized!(content in input);
                    let columns = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
                    parsed.indexes.push(IndexOption {
                        unique: key == "unique",
                        columns: columns.into_iter().collect(),
                        key,
                    });
                }
                other => options::unknown(
                    cx,
                    input,
                    &key,
                    format!("unknown table option `{other}`\nhelp: {TABLE_OPTIONS}"),
                )?,
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(parsed)
    };
    match parser.parse2(tokens) {
        Ok(options) => Some(options),
        Err(error) => {
            cx.error_at(error.span(), format!("{error}\nhelp: write `{TABLE_FORM}`"));
            None
        }
    }
}

/// A literal `default = …`: the value as the database writes it, and where it stands.
#[derive(Clone)]
pub struct DefaultLit {
    pub value: DefaultValue,
    pub span: Span,
}

/// What a literal default is.
#[derive(Clone, PartialEq)]
pub enum DefaultValue {
    /// An integer, sign included: `-1`.
    Int(String),
    /// A float, sign included: `1.5`.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// A string.
    Text(String),
}

impl DefaultValue {
    /// What the literal is, for messages: `the number -1`.
    pub fn describe(&self) -> String {
        match self {
            DefaultValue::Int(n) | DefaultValue::Float(n) => format!("the number {n}"),
            DefaultValue::Bool(b) => format!("`{b}`"),
            DefaultValue::Text(text) => format!("the string {text:?}"),
        }
    }
}

/// What `#[column(…)]` on a field says; each flag keeps the span of its key.
#[derive(Default)]
pub struct ColumnAttr {
    pub name: Option<LitStr>,
    pub primary_key: bool,
    pub references: Option<LitStr>,
    pub on_delete: Option<LitStr>,
    pub on_update: Option<LitStr>,
    pub index: Option<Span>,
    pub unique: Option<Span>,
    pub default: Option<DefaultLit>,
    pub default_raw: Option<LitStr>,
    pub sql_type: Option<LitStr>,
}

/// `default = 0`, `default = -1.5`, `default = true`, `default = "text"`.
fn default_literal(expr: &Expr) -> Option<DefaultLit> {
    let (negative, lit) = match expr {
        Expr::Lit(ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match expr.as_ref() {
            Expr::Lit(ExprLit { lit, .. }) => (true, lit),
            _ => return None,
        },
        _ => return None,
    };
    let sign = if negative { "-" } else { "" };
    let value = match lit {
        Lit::Int(n) if n.suffix().is_empty() => {
            DefaultValue::Int(format!("{sign}{}", n.base10_digits()))
        }
        Lit::Float(x) if x.suffix().is_empty() => {
            DefaultValue::Float(format!("{sign}{}", x.base10_digits()))
        }
        Lit::Bool(b) if !negative => DefaultValue::Bool(b.value),
        Lit::Str(text) if !negative => DefaultValue::Text(text.value()),
        _ => return None,
    };
    Some(DefaultLit {
        value,
        span: syn::spanned::Spanned::span(expr),
    })
}

/// Every `#[column(…)]` of a field; `None` when one of them cannot be read (the reason is
/// in `cx`).
pub fn parse_column(cx: &Ctxt, attrs: &[Attribute]) -> Option<ColumnAttr> {
    let mut column = ColumnAttr::default();
    let mut readable = true;
    for attr in attrs.iter().filter(|a| a.path().is_ident("column")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                column.name = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("primary_key") {
                column.primary_key = true;
                Ok(())
            } else if meta.path.is_ident("references") {
                column.references = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("on_delete") {
                column.on_delete = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("on_update") {
                column.on_update = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("index") {
                column.index = Some(syn::spanned::Spanned::span(&meta.path));
                Ok(())
            } else if meta.path.is_ident("unique") {
                column.unique = Some(syn::spanned::Spanned::span(&meta.path));
                Ok(())
            } else if meta.path.is_ident("default_raw") {
                column.default_raw = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("default") {
                let expr: Expr = meta.value()?.parse()?;
                match default_literal(&expr) {
                    Some(default) => {
                        column.default = Some(default);
                        Ok(())
                    }
                    None => Err(syn::Error::new_spanned(
                        expr,
                        "`default` takes a literal: a number, `true` or `false`, or a string\nhelp: for an SQL expression write `default_raw = \"CURRENT_TIMESTAMP\"`",
                    )),
                }
            } else if meta.path.is_ident("type") {
                column.sql_type = Some(meta.value()?.parse()?);
                Ok(())
            } else {
                let path = &meta.path;
                let option = quote::quote!(#path).to_string().replace(' ', "");
                Err(meta.error(format!(
                    "unknown column option `{option}`\nhelp: {COLUMN_OPTIONS}"
                )))
            }
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
            readable = false;
        }
    }
    readable.then_some(column)
}
