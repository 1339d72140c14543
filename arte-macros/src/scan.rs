//! `migrations!()`: brings every migration file of a project into the crate.
//!
//! The project's core migrations live in one directory (`server/migrations` by default) and
//! each module's in `<modules>/<module>/migrations` (`modules` by default), both relative to
//! the crate's manifest directory. Each file becomes a module of its own, so a file written by
//! `migration:make` compiles with no edit anywhere else.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::path::{Path, PathBuf};
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Ident, LitStr, Token};

const DEFAULT_CORE: &str = "server/migrations";
const DEFAULT_MODULES: &str = "modules";

struct Args {
    core: Option<LitStr>,
    modules: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = Args {
            core: None,
            modules: None,
        };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            let slot = match key.to_string().as_str() {
                "core" => &mut args.core,
                "modules" => &mut args.modules,
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`\n\
                             help: the options are `core = \"{DEFAULT_CORE}\"` and `modules = \"{DEFAULT_MODULES}\"`"
                        ),
                    ));
                }
            };
            if slot.replace(value).is_some() {
                return Err(syn::Error::new(
                    key.span(),
                    format!("`{key}` is given twice"),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}

/// One migration file found on disk.
struct Found {
    path: PathBuf,
    stem: String,
}

pub fn expand(input: TokenStream, anchor: Option<&Path>) -> TokenStream {
    match try_expand(input, anchor) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn try_expand(input: TokenStream, anchor: Option<&Path>) -> syn::Result<TokenStream> {
    let args = Args::parse.parse2(input)?;
    let root = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| {
        syn::Error::new(
            Span::call_site(),
            "migrations!() must be compiled by cargo (CARGO_MANIFEST_DIR is not set)",
        )
    })?;
    let root = PathBuf::from(root);
    let (core_rel, core_span) = match &args.core {
        Some(lit) => (lit.value(), lit.span()),
        None => (DEFAULT_CORE.to_owned(), Span::call_site()),
    };
    let (modules_rel, modules_span) = match &args.modules {
        Some(lit) => (lit.value(), lit.span()),
        None => (DEFAULT_MODULES.to_owned(), Span::call_site()),
    };
    let core_dir = root.join(&core_rel);
    if !core_dir.is_dir() {
        return Err(syn::Error::new(
            core_span,
            format!(
                "the migrations directory `{}` does not exist\nhelp: create it, or name another with `migrations!(core = \"…\")`",
                core_dir.display()
            ),
        ));
    }
    let mut files = scan_dir(&core_dir, core_span)?;
    let modules_dir = root.join(&modules_rel);
    if args.modules.is_some() && !modules_dir.is_dir() {
        return Err(syn::Error::new(
            modules_span,
            format!(
                "the modules directory `{}` does not exist",
                modules_dir.display()
            ),
        ));
    }
    if modules_dir.is_dir() {
        for module in sorted_entries(&modules_dir, modules_span)? {
            let dir = module.join("migrations");
            if dir.is_dir() {
                files.extend(scan_dir(&dir, modules_span)?);
            }
        }
    }
    let mods = files.iter().map(|found| {
        let path = found.path.to_string_lossy().into_owned();
        let ident = format_ident!("__arte_migration_{}", found.stem);
        quote! {
            #[path = #path]
            #[allow(missing_docs)]
            mod #ident;
        }
    });
    let root_str = root.to_string_lossy().into_owned();
    let anchor = anchor
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(quote! {
        #(#mods)*
        ::arte_core::__private::inventory::submit! {
            ::arte_core::__private::ProjectLayout {
                root: #root_str,
                core: #core_rel,
                modules: #modules_rel,
                anchor: #anchor,
            }
        }
    })
}

fn sorted_entries(dir: &Path, span: Span) -> syn::Result<Vec<PathBuf>> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| syn::Error::new(span, format!("cannot read `{}`: {e}", dir.display())))?;
    let mut entries: Vec<PathBuf> = read
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

fn scan_dir(dir: &Path, span: Span) -> syn::Result<Vec<Found>> {
    let mut found = Vec::new();
    for path in sorted_entries(dir, span)? {
        if path.extension().is_none_or(|ext| ext != "rs") || !path.is_file() {
            continue;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem == "mod" {
            continue;
        }
        if let Err(error) = arte_vocab::validate_migration_name(&stem) {
            return Err(syn::Error::new(
                span,
                format!(
                    "`{}` is not named like a migration: {}",
                    path.display(),
                    error.message(&stem)
                ),
            ));
        }
        found.push(Found { path, stem });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use crate::snapshot::assert_expansion;
    use quote::quote;

    #[test]
    fn every_migration_file_of_core_and_the_modules_becomes_a_module() {
        let expansion = super::expand(
            quote!(
                core = "fixture/server/migrations",
                modules = "fixture/modules"
            ),
            None,
        );
        assert_expansion("migrations_fixture", expansion);
    }
}
