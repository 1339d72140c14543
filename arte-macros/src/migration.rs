//! `#[migration("NAME", module = "…", irreversible)]`: parse, validate, expand.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use sha2::{Digest, Sha256};
use std::path::Path;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, LitStr, Token, Type};

use arte_vocab::name::{ModuleNameError, validate_module_name};

const FORM: &str = "#[migration(\"2026_01_01_00_00_create_table_items\")]";
const SIGNATURE: &str = "pub fn up(db: &mut Db) -> Result<()>";
const OPTIONS: &str = "help: the options are `module = \"name\"` and `irreversible`";

/// The attribute's arguments as written, with their spans.
struct Args {
    name: LitStr,
    module: Option<LitStr>,
    irreversible: Option<Ident>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
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
            // `parse_any` so that a keyword such as `mod` is reported as an unknown option.
            let key = input.call(Ident::parse_any).map_err(|e| {
                let what = if input.peek(LitStr) {
                    "a migration has one name; the arguments after it are options"
                } else {
                    "expected a migration option"
                };
                syn::Error::new(e.span(), format!("{what}\n{OPTIONS}"))
            })?;
            let error = match key.to_string().as_str() {
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
                    args.module
                        .replace(value)
                        .map(|_| syn::Error::new(key.span(), "`module` is given twice"))
                }
                "irreversible" if input.peek(Token![=]) => {
                    let eq = input.parse::<Token![=]>()?;
                    let value = input.parse::<syn::Expr>()?;
                    Some(syn::Error::new_spanned(
                        quote!(#eq #value),
                        "`irreversible` takes no value\nhelp: write `irreversible` alone",
                    ))
                }
                "irreversible" => args
                    .irreversible
                    .replace(key.clone())
                    .map(|_| syn::Error::new(key.span(), "`irreversible` is given twice")),
                other => {
                    // Skip a `= value` after an unknown key so the error stays on the key alone.
                    if input.peek(Token![=]) {
                        input.parse::<Token![=]>()?;
                        input.parse::<syn::Expr>()?;
                    }
                    Some(syn::Error::new(
                        key.span(),
                        format!("unknown migration option `{other}`\n{OPTIONS}"),
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
    if let Err(error) = arte_vocab::validate_migration_name(&name) {
        combine(
            &mut errors,
            syn::Error::new(args.name.span(), error.message(&name)),
        );
    }
    if let Some(module) = &args.module {
        let value = module.value();
        let message = match validate_module_name(&value) {
            Ok(()) => None,
            Err(ModuleNameError::Reserved) => Some(
                "`core` is reserved for the application's own migrations\n\
                 help: leave out `module` for a core migration"
                    .to_owned(),
            ),
            Err(ModuleNameError::NotSnake) => Some(format!(
                "module name `{value}` may only hold lower-case letters, digits and \
                 single underscores, starting with a letter\nhelp: for example `module = \"blog\"`"
            )),
            Err(ModuleNameError::StartsWithDigit) => {
                Some(format!("module name `{value}` must start with a letter"))
            }
        };
        if let Some(message) = message {
            combine(&mut errors, syn::Error::new(module.span(), message));
        }
    }
    let sig = &function.sig;
    // `new_spanned` covers every token of `at`, not only the first.
    let mut refuse = |at: &dyn ToTokens, what: &str| {
        combine(
            &mut errors,
            syn::Error::new_spanned(at, format!("{what}\nhelp: a migration is `{SIGNATURE}`")),
        );
    };
    if let Some(token) = &sig.asyncness {
        refuse(token, "a migration function cannot be `async`");
    }
    if let Some(token) = &sig.constness {
        refuse(token, "a migration function cannot be `const`");
    }
    if let Some(token) = &sig.unsafety {
        refuse(token, "a migration function cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        refuse(abi, "a migration function cannot have an `extern` ABI");
    }
    if !sig.generics.params.is_empty() {
        refuse(&sig.generics, "a migration function cannot be generic");
    } else if let Some(where_clause) = &sig.generics.where_clause {
        refuse(where_clause, "a migration function cannot be generic");
    }
    if let Some(variadic) = &sig.variadic {
        refuse(variadic, "a migration function cannot be variadic");
    }
    match sig.inputs.first() {
        None => {
            let mut parens = TokenStream::new();
            sig.paren_token.surround(&mut parens, |_| {});
            refuse(
                &parens,
                "a migration function takes the database: `db: &mut Db`",
            );
        }
        Some(syn::FnArg::Receiver(receiver)) => {
            refuse(receiver, "a migration function cannot take `self`");
        }
        Some(syn::FnArg::Typed(db)) if !may_be_mut_ref(&db.ty) => {
            refuse(
                &db.ty,
                "a migration function takes the database as `&mut Db`",
            );
        }
        Some(syn::FnArg::Typed(_)) => {}
    }
    if sig.inputs.len() > 1 {
        let extra: TokenStream = sig
            .inputs
            .iter()
            .skip(1)
            .map(ToTokens::to_token_stream)
            .collect();
        refuse(
            &extra,
            "a migration function takes one argument, `db: &mut Db`",
        );
    }
    match &sig.output {
        syn::ReturnType::Default => {
            refuse(&sig.ident, "a migration function returns `Result<()>`");
        }
        syn::ReturnType::Type(_, ty) if !may_be_result(ty) => {
            refuse(ty, "a migration function returns `Result<()>`");
        }
        syn::ReturnType::Type(..) => {}
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(()),
    }
}

/// Whether `ty` may be `&mut Db`. A path may name an alias such as `type Conn<'a> = &'a mut Db`,
/// so only forms that can never be a mutable reference are refused; the rest is left to rustc.
fn may_be_mut_ref(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => reference.mutability.is_some(),
        Type::Paren(inner) => may_be_mut_ref(&inner.elem),
        Type::Group(inner) => may_be_mut_ref(&inner.elem),
        Type::Path(_) | Type::Macro(_) | Type::Verbatim(_) => true,
        _ => false,
    }
}

/// Whether `ty` may be `Result<()>`: only a path (or a macro) can name it.
fn may_be_result(ty: &Type) -> bool {
    match ty {
        Type::Paren(inner) => may_be_result(&inner.elem),
        Type::Group(inner) => may_be_result(&inner.elem),
        Type::Path(_) | Type::Macro(_) | Type::Verbatim(_) => true,
        _ => false,
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
                format!(
                    "`#[migration]` goes on a function\nhelp: write `{FORM}` above `{SIGNATURE}`"
                ),
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
        syn::Item::Struct(item) => item
            .struct_token
            .span
            .join(item.ident.span())
            .unwrap_or(item.ident.span()),
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

#[cfg(test)]
mod tests {
    use crate::snapshot::assert_expansion;
    use proc_macro2::TokenStream;
    use quote::ToTokens;
    use std::path::PathBuf;

    /// Expands the `#[migration]` of a fixture file as the compiler would: the attribute's
    /// arguments, the function without the attribute, and the file.
    fn expand_fixture(file: &str) -> TokenStream {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).expect("the fixture file reads");
        let parsed = syn::parse_file(&text).expect("the fixture file parses");
        let mut up = parsed
            .items
            .into_iter()
            .find_map(|item| match item {
                syn::Item::Fn(function) if function.sig.ident == "up" => Some(function),
                _ => None,
            })
            .expect("the fixture has an `up` function");
        let at = up
            .attrs
            .iter()
            .position(|attr| attr.path().is_ident("migration"))
            .expect("`up` carries #[migration]");
        let attribute = up.attrs.remove(at);
        let args = match attribute.meta {
            syn::Meta::List(list) => list.tokens,
            _ => TokenStream::new(),
        };
        super::expand(args, up.into_token_stream(), Some(&path))
    }

    #[test]
    fn a_core_migration_registers_up_and_down() {
        assert_expansion(
            "migration_core",
            expand_fixture("fixture/server/migrations/2026_01_01_00_00_create_table_items.rs"),
        );
    }

    #[test]
    fn a_module_migration_registers_its_module() {
        assert_expansion(
            "migration_module",
            expand_fixture(
                "fixture/modules/blog/migrations/2026_01_02_00_00_create_table_blog_posts.rs",
            ),
        );
    }

    #[test]
    fn an_irreversible_migration_registers_no_down() {
        assert_expansion(
            "migration_irreversible",
            expand_fixture("fixture/server/migrations/2026_01_01_00_01_drop_table_legacy.rs"),
        );
    }
}
