//! `migrations!()`: brings every migration file of a project into the crate.
//!
//! The project's core migrations live in one directory (`server/migrations` by default) and
//! each module's in `<modules>/<module>/migrations` (`modules` by default), both relative to
//! the crate's manifest directory. Each file becomes a module of its own, so a file written by
//! `migration:make` compiles with no edit anywhere else.

use crate::ctxt::Ctxt;
use crate::options;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::path::{Path, PathBuf};
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token};

const DEFAULT_CORE: &str = "server/migrations";
const DEFAULT_MODULES: &str = "modules";

/// `migrations!(core = "…", modules = "…")`'s arguments.
struct Args {
    core: Option<LitStr>,
    modules: Option<LitStr>,
}

/// The project as found on disk.
struct Project {
    /// The crate's manifest directory.
    root: PathBuf,
    /// The core directory, relative to `root`.
    core: String,
    /// The modules directory, relative to `root`.
    modules: String,
    /// Every migration file, core first, each directory sorted.
    files: Vec<Found>,
}

/// One migration file found on disk.
struct Found {
    path: PathBuf,
    stem: String,
    /// The module whose directory holds it; `None` for the core directory.
    module: Option<String>,
}

/// Entry point: `anchor` is the file that calls the macro, when the compiler knows it.
pub fn expand(input: TokenStream, anchor: Option<&Path>) -> TokenStream {
    let cx = Ctxt::new();
    let project = parse(&cx, input).and_then(|args| find(&cx, &args));
    match (cx.check(), project) {
        (Ok(()), Some(project)) => generate(&project, anchor),
        (result, _) => result
            .err()
            .map(|errors| errors.to_compile_error())
            .unwrap_or_default(),
    }
}

/// The arguments; `None` when they cannot be read (the reason is in `cx`). An unknown or
/// repeated option goes to `cx`, and reading goes on.
fn parse(cx: &Ctxt, input: TokenStream) -> Option<Args> {
    let parser = |input: ParseStream<'_>| {
        let mut args = Args {
            core: None,
            modules: None,
        };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: LitStr = input.parse()?;
            let slot = match key.to_string().as_str() {
                "core" => Some(&mut args.core),
                "modules" => Some(&mut args.modules),
                other => {
                    cx.error_at(
                        key.span(),
                        format!(
                            "unknown option `{other}`\n\
                             help: the options are `core = \"{DEFAULT_CORE}\"` and `modules = \"{DEFAULT_MODULES}\"`"
                        ),
                    );
                    None
                }
            };
            if let Some(slot) = slot {
                options::once(cx, slot, &key, value);
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    };
    parser
        .parse2(input)
        .map_err(|error| cx.syn_error(error))
        .ok()
}

/// The migration files: the directories must exist, and every file must be named like a
/// migration. `None` when there is no project to expand (the reason is in `cx`).
fn find(cx: &Ctxt, args: &Args) -> Option<Project> {
    let Ok(root) = std::env::var("CARGO_MANIFEST_DIR") else {
        cx.error_at(
            Span::call_site(),
            "migrations!() must be compiled by cargo (CARGO_MANIFEST_DIR is not set)",
        );
        return None;
    };
    let root = PathBuf::from(root);
    let (core, core_span) = match &args.core {
        Some(lit) => (lit.value(), lit.span()),
        None => (DEFAULT_CORE.to_owned(), Span::call_site()),
    };
    let (modules, modules_span) = match &args.modules {
        Some(lit) => (lit.value(), lit.span()),
        None => (DEFAULT_MODULES.to_owned(), Span::call_site()),
    };
    let core_dir = root.join(&core);
    if !core_dir.is_dir() {
        cx.error_at(
            core_span,
            format!(
                "the migrations directory `{}` does not exist\nhelp: create it, or name another with `migrations!(core = \"…\")`",
                core_dir.display()
            ),
        );
        return None;
    }
    // Canonical paths: the files' names in messages are the plain ones, whatever `..` the
    // options hold.
    let core_dir = core_dir.canonicalize().unwrap_or(core_dir);
    let mut files = scan_dir(cx, &core_dir, core_span)?;
    let modules_dir = root.join(&modules);
    if args.modules.is_some() && !modules_dir.is_dir() {
        cx.error_at(
            modules_span,
            format!(
                "the modules directory `{}` does not exist",
                modules_dir.display()
            ),
        );
        return None;
    }
    if modules_dir.is_dir() {
        let modules_dir = modules_dir.canonicalize().unwrap_or(modules_dir);
        for module in sorted_entries(cx, &modules_dir, modules_span)? {
            let dir = module.join("migrations");
            if dir.is_dir() {
                let name = module.file_name().map(|n| n.to_string_lossy().into_owned());
                let mut found = scan_dir(cx, &dir, modules_span)?;
                for file in &mut found {
                    file.module.clone_from(&name);
                }
                files.extend(found);
            }
        }
    }
    Some(Project {
        root,
        core,
        modules,
        files,
    })
}

fn sorted_entries(cx: &Ctxt, dir: &Path, span: Span) -> Option<Vec<PathBuf>> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(error) => {
            cx.error_at(span, format!("cannot read `{}`: {error}", dir.display()));
            return None;
        }
    };
    let mut entries: Vec<PathBuf> = read
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Some(entries)
}

/// The `.rs` files of `dir` but `mod.rs`; each one not named like a migration is reported.
fn scan_dir(cx: &Ctxt, dir: &Path, span: Span) -> Option<Vec<Found>> {
    let mut found = Vec::new();
    for path in sorted_entries(cx, dir, span)? {
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
        match arte_vocab::validate_migration_name(&stem) {
            Ok(()) => found.push(Found {
                path,
                stem,
                module: None,
            }),
            Err(error) => cx.error_at(
                span,
                format!(
                    "`{}` is not named like a migration: {}",
                    path.display(),
                    error.message(&stem)
                ),
            ),
        }
    }
    Some(found)
}

/// Infallible: a module per file, and the project's layout for the command line; a
/// warning, where cargo would not notice a new migration file, saying what to add.
fn generate(project: &Project, anchor: Option<&Path>) -> TokenStream {
    for found in &project.files {
        crate::layout::remember(&found.path, found.module.as_deref());
    }
    let unwatched = unwatched(project);
    let mods = project.files.iter().map(|found| {
        let path = found.path.to_string_lossy().into_owned();
        // A module's are named with the module too: a core migration and a module's may
        // share a name (a module's name starts with a letter, a migration's with a digit).
        let ident = match &found.module {
            Some(module) => format_ident!("__arte_migration_{}_{}", module, found.stem),
            None => format_ident!("__arte_migration_{}", found.stem),
        };
        quote! {
            #[path = #path]
            #[allow(missing_docs)]
            mod #ident;
        }
    });
    let root = project.root.to_string_lossy().into_owned();
    let (core, modules) = (&project.core, &project.modules);
    let anchor = anchor
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    quote! {
        #(#mods)*
        #unwatched
        ::arte_core::__private::inventory::submit! {
            ::arte_core::__private::ProjectLayout {
                root: #root,
                core: #core,
                modules: #modules,
                anchor: #anchor,
            }
        }
    }
}

/// Cargo rebuilds the crate when a file it knows changes, not when one is added to a
/// directory, unless the crate's `build.rs` says `rerun-if-changed` for the directory.
/// Where it does not, a warning (a deprecated item, the one warning a macro can give) says
/// exactly what to add.
fn unwatched(project: &Project) -> Option<TokenStream> {
    let build = std::fs::read_to_string(project.root.join("build.rs")).unwrap_or_default();
    let dirs = [project.core.as_str(), project.modules.as_str()];
    let missing: Vec<&str> = dirs
        .into_iter()
        .filter(|dir| !build.contains(&format!("rerun-if-changed={dir}")))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let lines: String = dirs
        .iter()
        .map(|dir| format!("println!(\"cargo:rerun-if-changed={dir}\"); "))
        .collect();
    let note = format!(
        "cargo does not see a new migration file until build.rs watches its directory: add `build.rs` beside Cargo.toml with `fn main() {{ {}}}`",
        lines
    );
    Some(quote! {
        const _: () = {
            #[deprecated(note = #note)]
            struct NewMigrationFilesAreNotSeen;
            let _ = NewMigrationFilesAreNotSeen;
        };
    })
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
