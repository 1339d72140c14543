//! `migration:make NAME --from-contracts [-m MODULE] [--path DIR] [--rename OLD=NEW]…`:
//! writes the migration that takes the schema the existing migrations build to the schema
//! the contracts declare. The comparison runs on a scratch database of the configured
//! kind (`arte_core::contract::plan_migration`); the configured database is not touched.

use crate::{Usage, output};
use anyhow::{Context, Result, anyhow};
use arte_core::contract::{self, Generate, Renames};
use arte_core::{Config, ProjectLayout, Registry};
use arte_vocab::name::is_name;
use std::io::Write;
use std::path::Path;

/// Writes the migration, or says there is nothing to write. `renames` are `--rename`'s
/// values as given (`old_table=new_table`, `table.old=table.new`).
pub fn run(
    config: &Config,
    layout: Option<&ProjectLayout>,
    description: &str,
    module: Option<&str>,
    path: Option<&Path>,
    renames: &[String],
) -> Result<()> {
    if !is_name(description) {
        return Err(Usage(format!(
            "migration name `{description}` must be snake case (lower-case letters, digits, single underscores, starting with a letter), for example `add_sku_to_items`; nothing was written"
        ))
        .into());
    }
    if let Some(module) = module {
        super::make::check_module(module)?;
    }
    let renames = Renames::parse(renames).map_err(|e| Usage(e.to_string()))?;
    let dir = match (path, layout, module) {
        (Some(path), _, _) => path.to_path_buf(),
        (None, Some(layout), Some(module)) => layout.module_dir(module),
        (None, Some(layout), None) => layout.core_dir(),
        (None, None, _) => {
            return Err(anyhow!(
                "this program knows no migrations directory; call `arte_core::migrations!();` in the crate that holds the migrations, or give `--path DIR`"
            ));
        }
    };
    let registry = Registry::collect()?;
    let name = super::make::new_name(layout, &dir, description);
    let mut request = Generate::new(name.clone())
        .module(module)
        .renames(renames)
        .migrations_table(config.table.clone());
    if let Some(modules) = &config.modules {
        request = request.enabled_modules(modules.iter().cloned());
    }
    let contracts = contract::registered();
    let plan = contract::plan_migration(&config.database, &registry, &contracts, &request)?;
    for note in &plan.notes {
        note_line(note);
    }
    if plan.is_empty() {
        nothing_to_write();
        return Ok(());
    }
    let file = dir.join(format!("{name}.rs"));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
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
    // Cargo rebuilds the crate that calls `migrations!()` when that file looks changed.
    if let Some(anchor) = layout.and_then(ProjectLayout::anchor)
        && let Ok(anchor) = std::fs::File::options().append(true).open(anchor)
    {
        let _ = anchor.set_modified(std::time::SystemTime::now());
    }
    for step in &plan.destructive {
        destructive(step);
    }
    created(&file);
    Ok(())
}

// -- Output, through `output` (`-q` silences all but the warnings).

fn created(path: &Path) {
    output::say(&format!("Created {}", path.display()));
}

fn nothing_to_write() {
    output::say("Nothing to write: the migrations build what the contracts declare.");
}

/// A step that can lose data: on stderr, as a warning, so that it is seen.
fn destructive(step: &str) {
    output::warning(&format!("this migration {step}"));
}

fn note_line(note: &str) {
    output::note(note);
}
