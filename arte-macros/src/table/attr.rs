//! Parsing `#[table(name = "…", timestamps, soft_delete)]` and `#[column(…)]`.

use super::ast::Options;
use crate::ctxt::Ctxt;
use crate::options;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, LitStr, Token};

const TABLE_FORM: &str = "#[table(name = \"items\", timestamps, soft_delete)]";

/// `#[table(…)]`'s arguments; `None` when they cannot be read (the reason is in `cx`). An
/// unknown or repeated option goes to `cx`, and reading goes on.
pub fn parse_options(cx: &Ctxt, tokens: proc_macro2::TokenStream) -> Option<Options> {
    let parser = |input: ParseStream<'_>| {
        let mut parsed = Options {
            name: None,
            timestamps: None,
            soft_delete: None,
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
                other => options::unknown(
                    cx,
                    input,
                    &key,
                    format!(
                        "unknown table option `{other}`\nhelp: the options are `name = \"…\"`, `timestamps` and `soft_delete`"
                    ),
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

/// What `#[column(…)]` on a field says.
#[derive(Default)]
pub struct ColumnAttr {
    pub name: Option<LitStr>,
    pub primary_key: bool,
    pub references: Option<LitStr>,
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
            } else {
                let path = &meta.path;
                let option = quote::quote!(#path).to_string().replace(' ', "");
                Err(meta.error(format!(
                    "unknown column option `{option}`\nhelp: the options are `name = \"…\"`, `primary_key` and `references = \"table\"`"
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
