//! The rules a migration follows beyond its syntax: one function each, run in order from
//! [`RULES`], every mistake reported.

use arte_vocab::name::{ModuleNameError, validate_module_name};
use arte_vocab::{ColumnType, KNOWN_TYPES};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::Type;

use super::SIGNATURE;
use super::parse::{Body, Migration, column_type_literals};
use super::source::Down;
use crate::ctxt::Ctxt;

/// Every rule, in the order their errors are reported.
const RULES: &[fn(&Ctxt, &Migration)] = &[
    name_is_a_migration_name,
    name_is_the_file_name,
    module_is_a_module_name,
    module_is_the_directory_module,
    not_async,
    not_const,
    not_unsafe,
    no_extern_abi,
    not_generic,
    not_variadic,
    takes_one_mut_db,
    returns_result,
    column_types_are_known,
    has_a_down,
    down_column_types_are_known,
];

/// Runs every rule on `migration`.
pub fn check(cx: &Ctxt, migration: &Migration) {
    for rule in RULES {
        rule(cx, migration);
    }
}

/// A signature mistake, with the right signature as help. The error covers every token of
/// `at`, not only the first.
fn refuse(cx: &Ctxt, at: impl ToTokens, what: &str) {
    cx.error_spanned_by(at, format!("{what}\nhelp: a migration is `{SIGNATURE}`"));
}

fn name_is_a_migration_name(cx: &Ctxt, migration: &Migration) {
    let name = migration.name.value();
    if let Err(error) = arte_vocab::validate_migration_name(&name) {
        cx.error_at(migration.name.span(), error.message(&name));
    }
}

/// A file named like a migration (`2026_…_create_table_items.rs`) holds that migration.
fn name_is_the_file_name(cx: &Ctxt, migration: &Migration) {
    let Some(stem) = migration
        .file
        .as_deref()
        .and_then(|file| file.file_stem())
        .map(|stem| stem.to_string_lossy().into_owned())
    else {
        return;
    };
    let name = migration.name.value();
    if arte_vocab::validate_migration_name(&stem).is_ok() && stem != name {
        cx.error_at(
            migration.name.span(),
            format!(
                "this migration is named `{name}`, but its file is `{stem}.rs`\n\
                 help: give the file and the migration the same name"
            ),
        );
    }
}

/// A file in a module's migrations directory belongs to that module, and one in the core
/// directory to none (as `migrations!()` found them).
fn module_is_the_directory_module(cx: &Ctxt, migration: &Migration) {
    let Some(expected) = migration
        .file
        .as_deref()
        .and_then(crate::layout::expected_module)
    else {
        return;
    };
    let given = migration.module.as_ref().map(syn::LitStr::value);
    match (&expected, &migration.module) {
        (Some(module), _) if given.as_deref() != Some(module.as_str()) => {
            let at = migration
                .module
                .as_ref()
                .map_or_else(Span::call_site, syn::LitStr::span);
            cx.error_at(
                at,
                format!(
                    "this file is in the migrations directory of module `{module}`, so its migration belongs to `{module}`\n\
                     help: write `#[migration(\"{}\", module = \"{module}\")]`",
                    migration.name.value()
                ),
            );
        }
        (None, Some(literal)) => cx.error_at(
            literal.span(),
            format!(
                "this file is in the core migrations directory, so its migration belongs to no module\n\
                 help: leave out `module = \"{}\"`, or move the file to that module's migrations directory",
                literal.value()
            ),
        ),
        _ => {}
    }
}

fn module_is_a_module_name(cx: &Ctxt, migration: &Migration) {
    let Some(module) = &migration.module else {
        return;
    };
    let value = module.value();
    let message = match validate_module_name(&value) {
        Ok(()) => return,
        Err(ModuleNameError::Reserved) => {
            "`core` is reserved for the application's own migrations\n\
             help: leave out `module` for a core migration"
                .to_owned()
        }
        Err(ModuleNameError::NotSnake) => format!(
            "module name `{value}` may only hold lower-case letters, digits and \
             single underscores, starting with a letter\nhelp: for example `module = \"blog\"`"
        ),
        Err(ModuleNameError::StartsWithDigit) => {
            format!("module name `{value}` must start with a letter")
        }
    };
    cx.error_at(module.span(), message);
}

fn not_async(cx: &Ctxt, migration: &Migration) {
    if let Some(token) = &migration.sig.asyncness {
        refuse(cx, token, "a migration function cannot be `async`");
    }
}

fn not_const(cx: &Ctxt, migration: &Migration) {
    if let Some(token) = &migration.sig.constness {
        refuse(cx, token, "a migration function cannot be `const`");
    }
}

fn not_unsafe(cx: &Ctxt, migration: &Migration) {
    if let Some(token) = &migration.sig.unsafety {
        refuse(cx, token, "a migration function cannot be `unsafe`");
    }
}

fn no_extern_abi(cx: &Ctxt, migration: &Migration) {
    if let Some(abi) = &migration.sig.abi {
        refuse(cx, abi, "a migration function cannot have an `extern` ABI");
    }
}

fn not_generic(cx: &Ctxt, migration: &Migration) {
    let generics = &migration.sig.generics;
    if !generics.params.is_empty() {
        refuse(cx, generics, "a migration function cannot be generic");
    } else if let Some(where_clause) = &generics.where_clause {
        refuse(cx, where_clause, "a migration function cannot be generic");
    }
}

fn not_variadic(cx: &Ctxt, migration: &Migration) {
    if let Some(variadic) = &migration.sig.variadic {
        refuse(cx, variadic, "a migration function cannot be variadic");
    }
}

fn takes_one_mut_db(cx: &Ctxt, migration: &Migration) {
    let sig = &migration.sig;
    match sig.inputs.first() {
        None => {
            let mut parens = TokenStream::new();
            sig.paren_token.surround(&mut parens, |_| {});
            refuse(
                cx,
                &parens,
                "a migration function takes the database: `db: &mut Db`",
            );
        }
        Some(syn::FnArg::Receiver(receiver)) => {
            refuse(cx, receiver, "a migration function cannot take `self`");
        }
        Some(syn::FnArg::Typed(db)) if !may_be_mut_ref(&db.ty) => {
            refuse(
                cx,
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
            cx,
            &extra,
            "a migration function takes one argument, `db: &mut Db`",
        );
    }
}

fn returns_result(cx: &Ctxt, migration: &Migration) {
    let sig = &migration.sig;
    match &sig.output {
        syn::ReturnType::Default => {
            refuse(cx, &sig.ident, "a migration function returns `Result<()>`");
        }
        syn::ReturnType::Type(_, ty) if !may_be_result(ty) => {
            refuse(cx, ty, "a migration function returns `Result<()>`");
        }
        syn::ReturnType::Type(..) => {}
    }
}

/// What is wrong with a column type, and the types there are.
fn unknown_column_type(text: &str) -> String {
    format!("unknown column type `{text}`\nhelp: the known types are {KNOWN_TYPES}")
}

/// Whether `text` is a column type arte knows.
pub fn is_known_column_type(text: &str) -> bool {
    ColumnType::parse(text).is_some()
}

/// The column types `up` writes as literals are types arte knows; each one that is not is
/// reported at the literal.
fn column_types_are_known(cx: &Ctxt, migration: &Migration) {
    let Body::Parsed(body) = &migration.body else {
        return;
    };
    for ty in column_type_literals(body) {
        if !is_known_column_type(&ty.value()) {
            cx.error_at(ty.span(), unknown_column_type(&ty.value()));
        }
    }
}

/// A reversible migration has a `down` beside `up`. Only a file that surely has none is
/// refused here; where the file cannot tell, the compiler does.
fn has_a_down(cx: &Ctxt, migration: &Migration) {
    if migration.irreversible.is_none() && migration.down == Down::Missing {
        cx.error_at(
            Span::call_site(),
            format!(
                "the migration `{}` has no `down` function\n\
                 help: add `pub fn down(db: &mut Db) -> Result<()>` beside `up`, or mark the migration `irreversible`",
                migration.name.value()
            ),
        );
    }
}

/// The column types `down` writes as literals are types arte knows. The attribute's tokens
/// hold `up` alone, so an error about `down` stands at the attribute and names the line.
fn down_column_types_are_known(cx: &Ctxt, migration: &Migration) {
    let Down::Defined(written) = &migration.down else {
        return;
    };
    for ty in written {
        if !is_known_column_type(&ty.text) {
            cx.error_at(
                Span::call_site(),
                format!(
                    "`down`, line {}: {}",
                    ty.line,
                    unknown_column_type(&ty.text)
                ),
            );
        }
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
