//! The attribute's arguments and the function as written, with their spans: the
//! [`Migration`] the rules check and the expansion reads.

use proc_macro2::{Delimiter, Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::visit::Visit;
use syn::{
    Attribute, Expr, ExprMethodCall, Ident, ItemFn, Lit, LitStr, Signature, Token, Visibility,
};

use super::source::{self, Down, Site};
use super::validate::is_known_column_type;
use super::{FORM, SIGNATURE};
use crate::ctxt::Ctxt;
use crate::options;

const OPTIONS: &str =
    "help: the options are `module = \"name\"`, `irreversible` and `no_transaction`";

/// One `#[migration]` and the function it stands on.
pub struct Migration {
    /// The migration's name, `YYYY_MM_DD_HH_MM_description`.
    pub name: LitStr,
    /// `module = "…"`, for a module's migration.
    pub module: Option<LitStr>,
    /// `irreversible`: the migration has no `down`.
    pub irreversible: Option<Ident>,
    /// `no_transaction`: the migration runs outside a transaction.
    pub no_transaction: Option<Ident>,
    /// The `up` function as the compiler handed it over; the expansion gives it back as is.
    pub item: TokenStream,
    /// Its signature.
    pub sig: Signature,
    /// Its body, where a rule needs it.
    pub body: Body,
    /// A checksum of the migration file's tokens, or of the function's when the file
    /// cannot be read.
    pub checksum: String,
    /// What the migration's file says of the `down` beside `up`.
    pub down: Down,
    /// The migration's file, when the compiler names it.
    pub file: Option<std::path::PathBuf>,
}

/// The body of `up`, for the rule on its column types.
pub enum Body {
    /// Parsed from the compiler's tokens, whose spans an error can point at.
    Parsed(syn::Block),
    /// Not parsed: the same function in the file, parsed there already, writes only known
    /// column types, so no error can point into it.
    Known,
}

/// The attribute's arguments.
struct Args {
    name: LitStr,
    module: Option<LitStr>,
    irreversible: Option<Ident>,
    no_transaction: Option<Ident>,
}

/// A function up to its body, which is passed over unread: parsing a body from the
/// compiler's tokens costs a call across the macro's bridge for every token.
struct Head {
    sig: Signature,
}

impl Parse for Head {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        input.parse::<Visibility>()?;
        let sig = input.parse()?;
        input.step(|cursor| match cursor.group(Delimiter::Brace) {
            Some((_, _, rest)) => Ok(((), rest)),
            None => Err(cursor.error("expected the function's body")),
        })?;
        Ok(Head { sig })
    }
}

/// Reads the attribute, its item and the file around them; `None` when the attribute or
/// the item cannot be read at all (the reason is in `cx`).
pub fn migration(
    cx: &Ctxt,
    args: TokenStream,
    item: &TokenStream,
    site: &Site,
) -> Option<Migration> {
    let Ok(Head { sig }) = syn::parse2::<Head>(item.clone()) else {
        not_a_function(cx, item);
        return None;
    };
    // The arguments' mistakes wait in a collector of their own until the body is known to
    // be readable: when it is not, the item is no function, and that is its one mistake.
    let args_cx = Ctxt::new();
    let parser = |input: ParseStream<'_>| parse_args(&args_cx, input);
    let read = parser.parse2(args).map(|args| {
        let source = source::read(site, &args.name.value(), &sig.ident.to_string(), item);
        (args, source)
    });
    let up_types = read
        .as_ref()
        .ok()
        .and_then(|(_, source)| source.up_types.as_ref());
    let body = match up_types {
        Some(types) if types.iter().all(|ty| is_known_column_type(ty)) => Some(Body::Known),
        _ => syn::parse2::<ItemFn>(item.clone())
            .ok()
            .map(|function| Body::Parsed(*function.block)),
    };
    let args_errors = args_cx.check();
    let Some(body) = body else {
        not_a_function(cx, item);
        return None;
    };
    if let Err(errors) = args_errors {
        cx.syn_error(errors);
    }
    let (args, source) = match read {
        Ok(read) => read,
        Err(error) => {
            cx.syn_error(error);
            return None;
        }
    };
    Some(Migration {
        name: args.name,
        module: args.module,
        irreversible: args.irreversible,
        no_transaction: args.no_transaction,
        item: item.clone(),
        sig,
        body,
        checksum: source.checksum,
        down: source.down,
        file: site.file.clone(),
    })
}

/// The item is not a function.
fn not_a_function(cx: &Ctxt, item: &TokenStream) {
    cx.error_at(
        crate::item::name_span(item),
        format!("`#[migration]` goes on a function\nhelp: write `{FORM}` above `{SIGNATURE}`"),
    );
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
        no_transaction: None,
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
            "no_transaction" if input.peek(Token![=]) => {
                let eq = input.parse::<Token![=]>()?;
                let value = input.parse::<syn::Expr>()?;
                cx.error_spanned_by(
                    quote!(#eq #value),
                    "`no_transaction` takes no value\nhelp: write `no_transaction` alone",
                );
            }
            "no_transaction" => options::once(cx, &mut args.no_transaction, &key, key.clone()),
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

/// The schema builder's methods that take a column type, second of three arguments:
/// `.add_column(name, "type", |c| …)`, `.change_column(name, "type", |c| …)`.
const TAKE_A_TYPE: &[&str] = &["add_column", "change_column"];

/// The column types `body` writes as string literals, in order. A type computed at run
/// time (a variable, a `const`, `format!`) is not one: the runtime checks it.
pub fn column_type_literals(body: &syn::Block) -> Vec<&LitStr> {
    let mut found = ColumnTypes(Vec::new());
    found.visit_block(body);
    found.0
}

struct ColumnTypes<'ast>(Vec<&'ast LitStr>);

impl<'ast> Visit<'ast> for ColumnTypes<'ast> {
    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        // The receiver first: in a chain of calls, the earlier calls are inside it, and the
        // literals come out in the order they are written.
        self.visit_expr(&call.receiver);
        if TAKE_A_TYPE.iter().any(|method| call.method == method)
            && call.args.len() == 3
            && let Some(ty) = call.args.iter().nth(1).and_then(string_literal)
        {
            self.0.push(ty);
        }
        for arg in &call.args {
            self.visit_expr(arg);
        }
    }
}

/// `expr` when it is a string literal, maybe in parentheses.
fn string_literal(expr: &Expr) -> Option<&LitStr> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(text) => Some(text),
            _ => None,
        },
        Expr::Paren(inner) => string_literal(&inner.expr),
        Expr::Group(inner) => string_literal(&inner.expr),
        _ => None,
    }
}
