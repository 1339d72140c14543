//! `arte init`: sets arte up in the crate of the working directory, so that the
//! stand-alone `arte` runs the application's own binary from then on.

use crate::{Usage, output};
use anyhow::{Context, Result};
use arte_core::config::{DEFAULT_DATABASE, PROJECT_FILE};
use std::path::Path;

const BUILD_RS: &str = r#"// Cargo rebuilds the crate when a migration file is added, so that it is compiled in
// with no edit anywhere else.
fn main() {
    println!("cargo:rerun-if-changed=server/migrations");
    println!("cargo:rerun-if-changed=modules");
}
"#;

pub fn run() -> Result<()> {
    let dir = std::env::current_dir().context("cannot read the working directory")?;
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|_| {
        Usage(format!(
            "`{}` has no Cargo.toml; run `arte init` in your application's crate (`cargo new shop && cd shop && arte init`)",
            dir.display()
        ))
    })?;
    let package = package_name(&text).ok_or_else(|| {
        Usage(format!(
            "`{}` has no `[package] name`; run `arte init` in a crate, not a workspace's root",
            manifest.display()
        ))
    })?;
    if dir.join(PROJECT_FILE).exists() {
        return Err(Usage(format!(
            "arte is set up here already (`{}` exists); nothing was written",
            dir.join(PROJECT_FILE).display()
        ))
        .into());
    }
    write(
        &dir.join(PROJECT_FILE),
        &format!(
            "# The application whose binary holds the migrations: `arte` runs it for you.\n[app]\npackage = \"{package}\"\nbin = \"arte\"\n"
        ),
    )?;
    let bin = dir.join("src").join("bin").join("arte.rs");
    if bin.exists() {
        output::say(&format!(
            "Kept {}: check that it calls `arte_cli::main()`.",
            bin.display()
        ));
    } else {
        let lib = dir.join("src").join("lib.rs");
        let library = package.replace('-', "_");
        const COMPILED_IN: &str =
            "// Every migration file of the project, compiled in.\narte_core::migrations!();\n\n";
        // A library that compiles the migrations in already (as the README's layout does)
        // is linked; `migrations!()` is called in one crate only.
        let (migrations, link) = match std::fs::read_to_string(&lib) {
            Ok(source) if source.contains("migrations!(") => (
                "",
                format!(
                    "// Links the library, and with it the migrations it compiles in (`migrations!()`)\n// and its contracts (`#[table]`).\nuse {library} as _;\n\n"
                ),
            ),
            Ok(_) => (
                COMPILED_IN,
                format!(
                    "// Links the library, and with it its contracts (`#[table]`).\nuse {library} as _;\n\n"
                ),
            ),
            Err(_) => (COMPILED_IN, String::new()),
        };
        let text = format!(
            "//! The application's own command line: `cargo run --bin arte -- migration:status`.\n\n{migrations}{link}fn main() {{\n    arte_cli::main()\n}}\n"
        );
        write(&bin, &text)?;
    }
    let build = dir.join("build.rs");
    if build.exists() {
        let existing = std::fs::read_to_string(&build).unwrap_or_default();
        let missing: Vec<String> = ["server/migrations", "modules"]
            .into_iter()
            .filter(|dir| !existing.contains(&format!("rerun-if-changed={dir}")))
            .map(|dir| format!("`println!(\"cargo:rerun-if-changed={dir}\");`"))
            .collect();
        if !missing.is_empty() {
            output::say(&format!(
                "Kept {}: add {} to its `main`, so that new migration files are compiled in.",
                build.display(),
                missing.join(" and ")
            ));
        }
    } else {
        write(&build, BUILD_RS)?;
    }
    let migrations = dir.join("server").join("migrations");
    std::fs::create_dir_all(&migrations)
        .with_context(|| format!("cannot create `{}`", migrations.display()))?;
    let keep = migrations.join(".gitkeep");
    if !keep.exists() {
        write(&keep, "")?;
    }
    ignore_database(&dir)?;
    add_dependencies(&manifest, &text)?;
    output::say(&format!(
        "arte is set up in `{package}`. Next: `arte migration:make create_table_items`, then `arte migration:latest`."
    ));
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    output::created(path, None);
    Ok(())
}

/// `name = "…"` of `[package]`.
fn package_name(manifest: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(manifest).ok()?;
    value
        .get("package")?
        .get("name")?
        .as_str()
        .map(str::to_owned)
}

/// The default database file is the developer's, not the repository's.
fn ignore_database(dir: &Path) -> Result<()> {
    let path = dir.join(".gitignore");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    if existing.lines().any(|line| line.trim() == DEFAULT_DATABASE) {
        return Ok(());
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(DEFAULT_DATABASE);
    text.push('\n');
    std::fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    output::say(&format!("Added `{DEFAULT_DATABASE}` to {}", path.display()));
    Ok(())
}

/// `arte-core` and `arte-cli` under `[dependencies]`, where they are not yet.
fn add_dependencies(manifest: &Path, text: &str) -> Result<()> {
    let value: toml::Value = toml::from_str(text).unwrap_or(toml::Value::Table(Default::default()));
    let has = |name: &str| {
        value
            .get("dependencies")
            .and_then(|d| d.get(name))
            .is_some()
    };
    let version = env!("CARGO_PKG_VERSION");
    let missing: Vec<String> = ["arte-core", "arte-cli"]
        .into_iter()
        .filter(|name| !has(name))
        .map(|name| format!("{name} = \"{version}\""))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    match lines
        .iter()
        .position(|line| line.trim() == "[dependencies]")
    {
        Some(at) => {
            for (offset, dependency) in missing.iter().enumerate() {
                lines.insert(at + 1 + offset, dependency.clone());
            }
        }
        None => {
            lines.push(String::new());
            lines.push("[dependencies]".to_owned());
            lines.extend(missing.iter().cloned());
        }
    }
    let mut updated = lines.join("\n");
    updated.push('\n');
    std::fs::write(manifest, updated)
        .with_context(|| format!("cannot write `{}`", manifest.display()))?;
    output::say(&format!(
        "Added {} to {}",
        missing.join(", "),
        manifest.display()
    ));
    Ok(())
}
