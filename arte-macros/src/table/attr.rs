//! Parsing `#[table(name = "…", timestamps, soft_delete)]` and `#[column(…)]`.

use super::ast::Options;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Ident, LitStr, Token};

const TABLE_FORM: &str = "#[table(name = \"items\", timestamps, soft_delete)]";

pub fn parse_options(tokens: proc_macro2::TokenStream) -> syn::Result<Options> {
    let parser = |input: ParseStream<'_>| {
        let mut options = Options {
            name: None,
            timestamps: None,
            soft_delete: None,
        };
        let mut errors: Option<syn::Error> = None;
        let mut push = |error: syn::Error| match &mut errors {
            Some(all) => all.combine(error),
            None => errors = Some(error),
        };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            match key.to_string().as_str() {
                "name" => {
                    input.parse::<Token![=]>()?;
                    let value: LitStr = input.parse()?;
                    if options.name.replace(value).is_some() {
                        push(syn::Error::new(key.span(), "`name` is given twice"));
                    }
                }
                "timestamps" => {
                    if options.timestamps.replace(key.clone()).is_some() {
                        push(syn::Error::new(key.span(), "`timestamps` is given twice"));
                    }
                }
                "soft_delete" => {
                    if options.soft_delete.replace(key.clone()).is_some() {
                        push(syn::Error::new(key.span(), "`soft_delete` is given twice"));
                    }
                }
                other => {
                    if input.peek(Token![=]) {
                        input.parse::<Token![=]>()?;
                        input.parse::<syn::Expr>()?;
                    }
                    push(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown table option `{other}`\nhelp: the options are `name = \"…\"`, `timestamps` and `soft_delete`"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        match errors {
            Some(errors) => Err(errors),
            None => Ok(options),
        }
    };
    parser.parse2(tokens).map_err(|e| {
        if e.to_string().starts_with("unknown") || e.to_string().contains("given twice") {
            e
        } else {
            syn::Error::new(e.span(), format!("{e}\nhelp: write `{TABLE_FORM}`"))
        }
    })
}

/// What `#[column(…)]` on a field says.
#[derive(Default)]
pub struct ColumnAttr {
    pub name: Option<LitStr>,
    pub primary_key: bool,
    pub references: Option<LitStr>,
}

pub fn parse_column(attrs: &[Attribute]) -> syn::Result<ColumnAttr> {
    let mut column = ColumnAttr::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("column")) {
        attr.parse_nested_meta(|meta| {
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
        })?;
    }
    Ok(column)
}
