//! `#[migration("NAME", module = "…", irreversible)]`: parse, validate, expand.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use sha2::{Digest, Sha256};
use std::path::Path;
use syn::parse::{Parse, ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, LitStr, Token};

use crate::name;

const FORM: &str = "#[migration(\"2026_01_01_00_00_create_table_items\")]";
const SIGNATURE: &str = "pub fn up(db: &mut Db) -> Result<()>";

/// The attribute's arguments as written, with their spans.
struct Args {
    name: LitStr,
    module: Option<LitStr>,
    irreversible: Option<Ident>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error(format!(
                "the migration needs a name\nhelp: write `{FORM}`"
            )));
        }
        let name: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("the first argument must be the migration name as a string\nhelp: write `{FORM}`"),
            )
        })?;
        let mut args = Args {
            name,
            module: None,
            irreversible: None,
        };
        let mut errors: Option<syn::Error> = None;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            let error = match key.to_string().as_str() {
                "module" => {
                    input.parse::<Token![=]>()?;
                    let value: LitStr = input.parse()?;
                    match args.module.replace(value) {
                        Some(_) => Some(syn::Error::new(key.span(), "`module` is given twice")),
                        None => None,
                    }
                }
                "irreversible" => match args.irreversible.replace(key.clone()) {
                    Some(_) => Some(syn::Error::new(key.span(), "`irreversible` is given twice")),
                    None => None,
                },
                other => {
                    // Skip a `= value` after an unknown key so the error stays on the key alone.
                    if input.peek(Token![=]) {
                        input.parse::<Token![=]>()?;
                        input.parse::<syn::Expr>()?;
                    }
                    Some(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown migration option `{other}`\n\
                             help: the options are `module = \"name\"` and `irreversible`"
                        ),
                    ))
                }
            };
            if let Some(error) = error {
                combine(&mut errors, error);
            }
        }
        match errors {
            Some(errors) => Err(errors),
            None => Ok(args),
        }
    }
}

fn combine(slot: &mut Option<syn::Error>, error: syn::Error) {
    match slot {
        Some(existing) => existing.combine(error),
        None => *slot = Some(error),
    }
}

/// Rules that the parser cannot express: the name's form, the module's, the signature's.
fn validate(args: &Args, function: &ItemFn) -> Result<(), syn::Error> {
    let mut errors = None;
    let name = args.name.value();
    if let Err(error) = name::validate(&name) {
        combine(&mut errors, syn::Error::new(args.name.span(), error.message(&name)));
    }
    if let Some(module) = &args.module {
        let value = module.value();
        if value == "core" {
            combine(
                &mut errors,
                syn::Error::new(
                    module.span(),
                    "`core` is reserved for the application's own migrations\n\
                     help: leave out `module` for a core migration",
                ),
            );
        } else if !name::is_snake(&value) {
            combine(
                &mut errors,
                syn::Error::new(
                    module.span(),
                    format!(
                        "module name `{value}` may only hold lower-case letters, digits and \
                         single underscores, starting with a letter\nhelp: for example `module = \"blog\"`"
                    ),
                ),
            );
        } else if value.starts_with(|c: char| c.is_ascii_digit()) {
            combine(
                &mut errors,
                syn::Error::new(module.span(), format!("module name `{value}` must start with a letter")),
            );
        }
    }
    let sig = &function.sig;
    let mut refuse = |span: Span, what: &str| {
        combine(
            &mut errors,
            syn::Error::new(span, format!("{what}\nhelp: a migration is `{SIGNATURE}`")),
        );
    };
    if let Some(token) = &sig.asyncness {
        refuse(token.span, "a migration function cannot be `async`");
    }
    if let Some(token) = &sig.constness {
        refuse(token.span, "a migration function cannot be `const`");
    }
    if let Some(token) = &sig.unsafety {
        refuse(token.span, "a migration function cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        refuse(abi.span(), "a migration function cannot have an `extern` ABI");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        refuse(sig.generics.span(), "a migration function cannot be generic");
    }
    if let Some(variadic) = &sig.variadic {
        refuse(variadic.span(), "a migration function cannot be variadic");
    }
    match sig.inputs.len() {
        1 => {
            if let Some(syn::FnArg::Receiver(receiver)) = sig.inputs.first() {
                refuse(receiver.span(), "a migration function cannot take `self`");
            }
        }
        0 => refuse(sig.paren_token.span.join(), "a migration function takes the database: `db: &mut Db`"),
        _ => refuse(sig.inputs.span(), "a migration function takes one argument, `db: &mut Db`"),
    }
    if let syn::ReturnType::Default = sig.output {
        refuse(sig.ident.span(), "a migration function returns `Result<()>`");
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(()),
    }
}

/// Entry point: `source` is the file the attribute stands in, when the compiler knows it.
pub fn expand(args: TokenStream, item: TokenStream, source: Option<&Path>) -> TokenStream {
    let function = match syn::parse2::<ItemFn>(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let span = syn::parse2::<syn::Item>(item.clone())
                .map(|item| item_span(&item))
                .unwrap_or_else(|_| Span::call_site());
            let error = syn::Error::new(
                span,
                format!("#[migration] goes on a function\nhelp: write `{FORM}` above `{SIGNATURE}`"),
            );
            return fallback(item, error);
        }
    };
    let args = match Args::parse.parse2(args) {
        Ok(args) => args,
        Err(error) => return fallback(item, error),
    };
    if let Err(error) = validate(&args, &function) {
        return fallback(item, error);
    }
    let checksum = checksum(source, &item);
    generate(&args, &function, &checksum)
}

/// The user's item stays, so one mistake does not bring a page of unrelated errors.
fn fallback(item: TokenStream, error: syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    quote!(#item #error)
}

fn item_span(item: &syn::Item) -> Span {
    match item {
        syn::Item::Struct(item) => item.struct_token.span.join(item.ident.span()).unwrap_or(item.ident.span()),
        syn::Item::Enum(item) => item.ident.span(),
        syn::Item::Const(item) => item.ident.span(),
        syn::Item::Static(item) => item.ident.span(),
        syn::Item::Mod(item) => item.ident.span(),
        syn::Item::Trait(item) => item.ident.span(),
        syn::Item::Type(item) => item.ident.span(),
        syn::Item::Union(item) => item.ident.span(),
        other => other.span(),
    }
}

/// A checksum of the migration file's tokens: formatting and comments do not change it.
fn checksum(source: Option<&Path>, item: &TokenStream) -> String {
    let tokens = source
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| syn::parse_file(&text).ok())
        .map(|file| quote!(#file).to_string())
        .unwrap_or_else(|| item.to_string());
    let digest = Sha256::digest(tokens.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Infallible: the arguments and the function were validated.
fn generate(args: &Args, function: &ItemFn, checksum: &str) -> TokenStream {
    let name = &args.name;
    let up = &function.sig.ident;
    let up = quote_spanned!(function.sig.span()=> #up);
    let module = match &args.module {
        Some(module) => quote!(::core::option::Option::Some(#module)),
        None => quote!(::core::option::Option::None),
    };
    let down = match &args.irreversible {
        Some(_) => quote!(::core::option::Option::None),
        None => {
            let down = Ident::new("down", name.span());
            quote!(::core::option::Option::Some(#down))
        }
    };
    quote! {
        #function
        const _: () = {
            ::arte_core::__private::inventory::submit! {
                ::arte_core::__private::MigrationDef {
                    name: #name,
                    module: #module,
                    up: #up,
                    down: #down,
                    file: ::core::file!(),
                    line: ::core::line!(),
                    checksum: #checksum,
                }
            }
        };
    }
}
