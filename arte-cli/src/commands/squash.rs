//! `migration:squash UPTO [-m MODULE] [--prune]`: replaces the migrations of core (or of a
//! module) up to and including `UPTO` with one migration that builds the same schema
//! (`arte_core::contract::plan_squash`). It is recorded under `UPTO`'s name and checksum:
//! a database that ran the old migrations counts it as applied and is not touched, a new
//! database runs it alone. Data migrations in the range are listed, not carried over.
//! With `--prune` the replaced files are deleted; without, they can be deleted later.

use crate::{Usage, output};
use anyhow::{Context, Result, anyhow};
use arte_core::contract::{self, ContractError};
use arte_core::{Config, Filter, ProjectLayout, Registry, State};
use arte_vocab::name::validate_module_name;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(
    config: &Config,
    layout: Option<&ProjectLayout>,
    upto: &str,
    module: Option<&str>,
    prune: bool,
) -> Result<()> {
    if let Some(module) = module
        && validate_module_name(module).is_err()
    {
        return Err(Usage(format!(
            "module name `{module}` must be snake case, starting with a letter, for example `blog`; nothing was written"
        ))
        .into());
    }
    let Some(layout) = layout else {
        return Err(anyhow!(
            "this program knows no migrations directory; call `arte_core::migrations!();` in the crate that holds the migrations"
        ));
    };
    let dir = match module {
        Some(module) => layout.module_dir(module),
        None => layout.core_dir(),
    };
    let registry = Registry::collect()?;
    let filter = match module {
        Some(module) => Filter::module(module),
        None => Filter::core(),
    };
    // Only history every database has applied can be squashed: this one, at least.
    let statuses = super::reader(config, &filter)?.list(&filter)?;
    if !statuses.iter().any(|s| s.name == upto) {
        return Err(Usage(
            ContractError::UnknownMigration {
                name: upto.to_owned(),
                scope: module.unwrap_or(arte_core::CORE).to_owned(),
            }
            .to_string(),
        )
        .into());
    }
    if let Some(pending) = statuses
        .iter()
        .find(|s| s.name.as_str() <= upto && s.state != State::Applied)
    {
        return Err(anyhow!(
            "`{}` is not applied on {}, so the history up to `{upto}` cannot be squashed yet; apply it everywhere first, or squash up to an earlier migration",
            pending.name,
            config.database
        ));
    }
    // Refused before the scratch databases are made.
    let file = dir.join(format!("{}.rs", contract::squash_file_name(upto)));
    if file.exists() {
        return Err(Usage(format!(
            "`{}` exists already, and a squash is never overwritten; to delete the files of the migrations it replaces, delete them by hand (or delete it and squash again with `--prune`); nothing was written",
            file.display()
        ))
        .into());
    }
    let plan = contract::plan_squash(&config.database, &registry, upto, module, &config.table)?;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .with_context(|| {
            format!(
                "cannot create `{}` (it is never overwritten)",
                file.display()
            )
        })?;
    out.write_all(plan.source.as_bytes())
        .with_context(|| format!("cannot write `{}`", file.display()))?;
    if let Some(anchor) = layout.anchor()
        && let Ok(anchor) = std::fs::File::options().append(true).open(anchor)
    {
        let _ = anchor.set_modified(std::time::SystemTime::now());
    }
    created(&file, &plan.replaced, upto);
    for name in &plan.data_migrations {
        not_carried_over(name);
    }
    if prune {
        // The replaced migrations' files, and those of earlier squashes among them (named
        // after their first migration's stamp, not after the migration they stand as),
        // when they are in this directory.
        let earlier = plan
            .squash_files
            .iter()
            .map(Path::new)
            .filter(|file| file.parent().is_some_and(|parent| same_dir(parent, &dir)))
            .map(Path::to_path_buf);
        let olds: Vec<PathBuf> = plan
            .replaced
            .iter()
            .map(|name| dir.join(format!("{name}.rs")))
            .chain(earlier)
            .collect();
        for old in olds {
            if old.is_file() && old != file {
                std::fs::remove_file(&old)
                    .with_context(|| format!("cannot delete `{}`", old.display()))?;
                deleted(&old);
            }
        }
    } else {
        can_be_deleted(&dir);
    }
    Ok(())
}

// -- Output, through `output` (`-q` silences all but the warnings).

fn created(path: &Path, replaced: &[String], upto: &str) {
    output::say(&format!("Created {}", path.display()));
    output::say(&format!(
        "It replaces {} migrations, and is recorded as `{upto}`: databases that ran them are not touched, a new one runs it alone.",
        replaced.len()
    ));
}

/// A data migration of the range: on stderr, as a warning, so that it is seen.
fn not_carried_over(name: &str) {
    output::warning(&format!(
        "`{name}` wrote rows, which the squashed migration does not carry over; write them again in a migration after it if new databases need them"
    ));
}

fn deleted(path: &Path) {
    output::say(&format!("Deleted {}", path.display()));
}

fn can_be_deleted(dir: &Path) {
    output::say(&format!(
        "The files of the migrations it replaces, in {}, can now be deleted (or run again with --prune).",
        dir.display()
    ));
}

/// Whether `a` and `b` are one directory (as the file system resolves them).
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
