//! The attribute's arguments and the function as written, with their spans: the
//! [`Migration`] the rules check and the expansion reads.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::path::Path;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, ItemFn, LitStr, Token};

use super::source;
use super::{FORM, SIGNATURE};
use crate::ctxt::Ctxt;
use crate::options;

const OPTIONS: &str = "help: the options are `module = \"name\"` and `irreversible`";

/// One `#[migration]` and the function it stands on.
pub struct Migration {
    /// The migration's name, `YYYY_MM_DD_HH_MM_description`.
    pub name: LitStr,
    /// `module = "…"`, for a module's migration.
    pub module: Option<LitStr>,
    /// `irreversible`: the migration has no `down`.
    pub irreversible: Option<Ident>,
    /// The `up` function.
    pub function: ItemFn,
    /// A checksum of the migration file's tokens, or of the function's when the file
    /// cannot be read.
    pub checksum: String,
}

/// The attribute's arguments.
struct Args {
    name: LitStr,
    module: Option<LitStr>,
    irreversible: Option<Ident>,
}

/// Reads the attribute and its item; `None` when they cannot be read at all (the reason
/// is in `cx`). `source` is the file the attribute stands in, when the compiler names it.
pub fn migration(
    cx: &Ctxt,
    args: TokenStream,
    item: &TokenStream,
    source: Option<&Path>,
) -> Option<Migration> {
    let Ok(function) = syn::parse2::<ItemFn>(item.clone()) else {
        cx.error_at(
            crate::item::name_span(item),
            format!("`#[migration]` goes on a function\nhelp: write `{FORM}` above `{SIGNATURE}`"),
        );
        return None;
    };
    let parser = |input: ParseStream<'_>| parse_args(cx, input);
    let args = match parser.parse2(args) {
        Ok(args) => args,
        Err(error) => {
            cx.syn_error(error);
            return None;
        }
    };
    Some(Migration {
        name: args.name,
        module: args.module,
        irreversible: args.irreversible,
        function,
        checksum: source::checksum(source, item),
    })
}

/// `"NAME"`, then options. A mistake that leaves the rest unreadable is returned; one
/// that does not (an unknown or repeated option) goes to `cx`, and reading goes on.
fn parse_args(cx: &Ctxt, input: ParseStream<'_>) -> syn::Result<Args> {
    if input.is_empty() {
        // `input.error` would prefix "unexpected end of input"; the attribute itself is the span.
        return Err(syn::Error::new(
            Span::call_site(),
            format!("the migration needs a name\nhelp: write `{FORM}`"),
        ));
    }
    let name: LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!(
                "the first argument must be the migration name as a string\nhelp: write `{FORM}`"
            ),
        )
    })?;
    let mut args = Args {
        name,
        module: None,
        irreversible: None,
    };
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        // `parse_any` so that a keyword such as `mod` is reported as an unknown option.
        let key = input.call(Ident::parse_any).map_err(|e| {
            let what = if input.peek(LitStr) {
                "a migration has one name; the arguments after it are options"
            } else {
                "expected a migration option"
            };
            syn::Error::new(e.span(), format!("{what}\n{OPTIONS}"))
        })?;
        match key.to_string().as_str() {
            "module" => {
                let value = match input.parse::<Option<Token![=]>>()? {
                    Some(_) if input.peek(LitStr) => input.parse::<LitStr>()?,
                    _ => {
                        // Nothing left to point at means the value is missing: blame the key.
                        let at = if input.is_empty() || input.peek(Token![,]) {
                            key.span()
                        } else {
                            input.span()
                        };
                        return Err(syn::Error::new(
                            at,
                            "`module` takes the module's name as a string\n\
                             help: for example `module = \"blog\"`",
                        ));
                    }
                };
                options::once(cx, &mut args.module, &key, value);
            }
            "irreversible" if input.peek(Token![=]) => {
                let eq = input.parse::<Token![=]>()?;
                let value = input.parse::<syn::Expr>()?;
                cx.error_spanned_by(
                    quote!(#eq #value),
                    "`irreversible` takes no value\nhelp: write `irreversible` alone",
                );
            }
            "irreversible" => options::once(cx, &mut args.irreversible, &key, key.clone()),
            other => options::unknown(
                cx,
                input,
                &key,
                format!("unknown migration option `{other}`\n{OPTIONS}"),
            )?,
        }
    }
    Ok(args)
}
