//! Where the command line's settings come from: flags, then the environment (and `.env`),
//! then `arte.toml`, then the application's code, then defaults.

use crate::Usage;
use anyhow::{Context, Result, bail};
use arte_core::{DatabaseUrl, OutOfOrder, ProjectLayout};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The project file's name, looked for in the working directory and its parents.
pub const PROJECT_FILE: &str = "arte.toml";
/// The embedded default database, in the project's directory.
pub const DEFAULT_DATABASE: &str = "database.sqlite";

/// `arte.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// The application whose binary holds the migrations, for the `arte` launcher.
    pub app: Option<AppSpec>,
    #[serde(default)]
    pub migrations: MigrationsSection,
    #[serde(default)]
    pub modules: ModulesSection,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    pub package: String,
    pub bin: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationsSection {
    pub table: Option<String>,
    pub lock_timeout: Option<u64>,
    pub out_of_order: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModulesSection {
    pub enabled: Option<Vec<String>>,
}

/// Settings an application gives in code; the environment and `arte.toml` override them.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub modules: Option<Vec<String>>,
    pub table: Option<String>,
    pub lock_timeout: Option<Duration>,
    pub out_of_order: Option<OutOfOrder>,
}

/// Everything a command needs to know, resolved.
#[derive(Debug)]
pub struct Config {
    pub database: DatabaseUrl,
    pub modules: Option<Vec<String>>,
    pub table: String,
    pub lock_timeout: Duration,
    pub out_of_order: OutOfOrder,
}

/// Finds `arte.toml` in `start` or a parent; returns its directory and contents.
pub fn find_project_file(start: &Path) -> Result<Option<(PathBuf, ProjectFile)>> {
    for dir in start.ancestors() {
        let path = dir.join(PROJECT_FILE);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            let file: ProjectFile = toml::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "`{}` is not a valid project file: {}",
                    path.display(),
                    e.message()
                )
            })?;
            return Ok(Some((dir.to_path_buf(), file)));
        }
    }
    Ok(None)
}

/// The single project layout this program registered with `migrations!()`, if any.
pub fn layout() -> Result<Option<&'static ProjectLayout>> {
    let layouts = ProjectLayout::registered();
    match layouts.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        several => bail!(
            "this program calls `migrations!()` in {} crates ({}); call it in one crate only",
            several.len(),
            several
                .iter()
                .map(|l| l.root)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn resolve(
    database_url: Option<&str>,
    lock_timeout: Option<u64>,
    defaults: &Defaults,
) -> Result<Config> {
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let project = find_project_file(&cwd)?;
    let layout = layout()?;
    let root = match (&project, layout) {
        (Some((dir, _)), _) => dir.clone(),
        (None, Some(layout)) if layout.root().is_dir() => layout.root().to_path_buf(),
        _ => cwd.clone(),
    };
    // `.env` files fill the environment; variables already set win.
    let _ = dotenvy::dotenv();
    let _ = dotenvy::from_path(root.join(".env"));

    let database = match database_url {
        Some(url) => DatabaseUrl::parse(url)?,
        None => match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => DatabaseUrl::parse(&url)?,
            _ => DatabaseUrl::sqlite_file(root.join(DEFAULT_DATABASE).to_string_lossy()),
        },
    };
    let file = project.map(|(_, file)| file).unwrap_or_default();
    let modules = match std::env::var("ARTE_MODULES") {
        Ok(list) => Some(
            list.split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Err(_) => file.modules.enabled.or_else(|| defaults.modules.clone()),
    };
    let table = env("ARTE_MIGRATIONS_TABLE")
        .or(file.migrations.table)
        .or_else(|| defaults.table.clone())
        .unwrap_or_else(|| arte_core::DEFAULT_TABLE.to_owned());
    // Refused before anything connects: the name reaches SQL and lock names.
    if !arte_vocab::is_identifier(&table) {
        return Err(
            Usage(arte_core::Error::InvalidMigrationsTable { name: table }.to_string()).into(),
        );
    }
    let lock_timeout = match lock_timeout {
        Some(seconds) => Duration::from_secs(seconds),
        None => match env("ARTE_LOCK_TIMEOUT") {
            Some(text) => Duration::from_secs(text.trim().parse().map_err(|_| {
                Usage(format!(
                    "ARTE_LOCK_TIMEOUT is `{text}`, which is not a number of seconds; write for example `ARTE_LOCK_TIMEOUT=60`"
                ))
            })?),
            None => file
                .migrations
                .lock_timeout
                .map(Duration::from_secs)
                .or(defaults.lock_timeout)
                .unwrap_or(arte_core::DEFAULT_LOCK_TIMEOUT),
        },
    };
    let out_of_order = match env("ARTE_OUT_OF_ORDER").or(file.migrations.out_of_order) {
        Some(text) => text
            .parse::<OutOfOrder>()
            .map_err(|reason| Usage(format!("the out-of-order policy: {reason}")))?,
        None => defaults.out_of_order.unwrap_or_default(),
    };
    Ok(Config {
        database,
        modules,
        table,
        lock_timeout,
        out_of_order,
    })
}

/// An environment variable that is set and not blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}
