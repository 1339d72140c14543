//! Where the settings come from: what the caller says (the command line's flags), then the
//! environment (a `.env` file counts), then `arte.toml`, then the application's code, then
//! the defaults. The command line and application code resolve them the same way:
//! `Config::load()` (or [`Db::from_env`](crate::Db::from_env)) opens the database the
//! command line would use.
//!
//! A relative SQLite path resolves beside what set it: a `.env` file's directory,
//! `arte.toml`'s, or the project's (for `DATABASE_URL` set in the environment itself, and
//! for the default `database.sqlite`); never the working directory, so that a command run
//! from a subdirectory uses the same file. A path given to [`Settings::database_url`] (the
//! command line's `--database-url`) is the caller's own, and stays as given.

use crate::db::Db;
use crate::error::{Error, Result};
use crate::migrator::{DEFAULT_LOCK_TIMEOUT, DEFAULT_TABLE, Migrator, OutOfOrder};
use crate::registry::ProjectLayout;
use crate::url::DatabaseUrl;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The project file's name, looked for in the working directory and its parents.
pub const PROJECT_FILE: &str = "arte.toml";

/// The embedded default database, in the project's directory.
pub const DEFAULT_DATABASE: &str = "database.sqlite";

/// `arte.toml`: the project file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// `[app]`: the application whose binary holds the migrations, for the stand-alone
    /// `arte` command.
    pub app: Option<AppSpec>,
    /// `[database]`.
    #[serde(default)]
    pub database: DatabaseSection,
    /// `[[databases]]`: a fleet, every command running on each.
    #[serde(default)]
    pub databases: Vec<FleetEntry>,
    /// `[migrations]`.
    #[serde(default)]
    pub migrations: MigrationsSection,
    /// `[modules]`.
    #[serde(default)]
    pub modules: ModulesSection,
}

/// `[app]` of `arte.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    /// The application's cargo package.
    pub package: String,
    /// Its binary that calls `arte_cli::main()`, when the package has several.
    pub bin: Option<String>,
}

/// `[database]` of `arte.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// The database URL; a relative SQLite path is relative to `arte.toml`'s directory.
    pub url: Option<String>,
    /// A file of database URLs, one per line (blank lines and `#` comments aside), for a
    /// fleet; relative to `arte.toml`'s directory, as are relative SQLite paths in it.
    pub urls_file: Option<PathBuf>,
}

/// One `[[databases]]` entry of `arte.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetEntry {
    /// The database URL; a relative SQLite path is relative to `arte.toml`'s directory.
    pub url: String,
}

/// `[migrations]` of `arte.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationsSection {
    /// The migrations table's name.
    pub table: Option<String>,
    /// Seconds to wait for another migrator's lock.
    pub lock_timeout: Option<u64>,
    /// `allow` or `error`.
    pub out_of_order: Option<String>,
    /// Whether each batch runs in one transaction (`--atomic`).
    pub atomic: Option<bool>,
}

/// `[modules]` of `arte.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModulesSection {
    /// The enabled modules; every module that has migrations when left out.
    pub enabled: Option<Vec<String>>,
}

/// Where the database URL came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// Given by the caller (`--database-url`).
    Given,
    /// `DATABASE_URL` in the environment.
    Environment,
    /// `DATABASE_URL` in this `.env` file.
    DotEnv(PathBuf),
    /// `[database] url` in this `arte.toml`.
    ProjectFile(PathBuf),
    /// A line of this file of URLs, or a `[[databases]]` entry of this `arte.toml`.
    Fleet(PathBuf),
    /// The embedded default, `database.sqlite` in the project's directory.
    Default,
}

/// What the caller says, and the application's own defaults: the first and the
/// second-to-last layers of the resolution.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    database_urls: Vec<String>,
    lock_timeout: Option<Duration>,
    modules: Option<Vec<String>>,
    table: Option<String>,
    default_lock_timeout: Option<Duration>,
    out_of_order: Option<OutOfOrder>,
    atomic: Option<bool>,
    dir: Option<PathBuf>,
}

impl Settings {
    /// No settings of the caller's own.
    pub fn new() -> Settings {
        Settings::default()
    }

    /// The database, before everything else (`--database-url`); given again, one more
    /// database of a fleet.
    pub fn database_url(mut self, url: impl Into<String>) -> Settings {
        self.database_urls.push(url.into());
        self
    }

    /// The lock timeout, before everything else (`--lock-timeout`).
    pub fn lock_timeout(mut self, timeout: Duration) -> Settings {
        self.lock_timeout = Some(timeout);
        self
    }

    /// The enabled modules, if neither the environment nor `arte.toml` says.
    pub fn default_modules<I, S>(mut self, modules: I) -> Settings
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.modules = Some(modules.into_iter().map(Into::into).collect());
        self
    }

    /// The migrations table, if neither the environment nor `arte.toml` says.
    pub fn default_table(mut self, table: impl Into<String>) -> Settings {
        self.table = Some(table.into());
        self
    }

    /// The lock timeout, if neither the environment nor `arte.toml` says.
    pub fn default_lock_timeout(mut self, timeout: Duration) -> Settings {
        self.default_lock_timeout = Some(timeout);
        self
    }

    /// The out-of-order policy, if neither the environment nor `arte.toml` says.
    pub fn default_out_of_order(mut self, policy: OutOfOrder) -> Settings {
        self.out_of_order = Some(policy);
        self
    }

    /// Whether each batch runs in one transaction, if neither the environment nor
    /// `arte.toml` says (default: no).
    pub fn default_atomic(mut self, atomic: bool) -> Settings {
        self.atomic = Some(atomic);
        self
    }

    /// Looks for the project from `dir` instead of the working directory.
    pub fn from_dir(mut self, dir: impl Into<PathBuf>) -> Settings {
        self.dir = Some(dir.into());
        self
    }

    /// Resolves every setting, for one database; a fleet (several `--database-url`s,
    /// `[[databases]]` or `urls_file` in `arte.toml`) is refused: see
    /// [`Settings::load_all`].
    pub fn load(self) -> Result<Config> {
        let mut configs = Config::resolve(self)?;
        match configs.len() {
            1 => Ok(configs.remove(0)),
            n => Err(Error::Config(format!(
                "{n} databases are configured (a fleet), where one is needed; give one with `--database-url` or `DATABASE_URL`"
            ))),
        }
    }

    /// Resolves every setting, for each database of a fleet: every `--database-url`
    /// given, else `DATABASE_URL`, else `arte.toml`'s `[[databases]]` and `urls_file`
    /// (or its `[database] url`), else the project's `database.sqlite`. One database is
    /// a fleet of one.
    pub fn load_all(self) -> Result<Vec<Config>> {
        Config::resolve(self)
    }
}

/// Every setting, resolved.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The database.
    pub database: DatabaseUrl,
    /// Where [`Config::database`] came from.
    pub source: Source,
    /// The enabled modules; `None` for every module that has migrations.
    pub modules: Option<Vec<String>>,
    /// The migrations table's name.
    pub table: String,
    /// How long to wait for another migrator's lock.
    pub lock_timeout: Duration,
    /// What to do with a pending migration older than the newest applied one.
    pub out_of_order: OutOfOrder,
    /// Whether each batch runs in one transaction, all of it or nothing
    /// ([`Migrator::atomic`]).
    pub atomic: bool,
    /// The project's directory: where `arte.toml` is, else the crate that calls
    /// `migrations!()`, else the working directory.
    pub project_dir: PathBuf,
    /// `arte.toml`, when there is one.
    pub project_file: Option<ProjectFile>,
}

impl Config {
    /// The settings of the working directory's project, with nothing of the caller's own.
    pub fn load() -> Result<Config> {
        Settings::new().load()
    }

    /// Opens the database.
    pub fn connect(&self) -> Result<Db> {
        Db::connect_url(&self.database)
    }

    /// A migrator over this program's migrations on the database, configured.
    pub fn migrator(&self) -> Result<Migrator> {
        Ok(self.configure(Migrator::new(self.connect()?)?))
    }

    /// `migrator` with this configuration's table, lock timeout, policy and modules.
    pub fn configure(&self, migrator: Migrator) -> Migrator {
        let migrator = migrator
            .table_name(self.table.clone())
            .lock_timeout(self.lock_timeout)
            .out_of_order(self.out_of_order)
            .atomic(self.atomic);
        match &self.modules {
            Some(modules) => migrator.enable_modules(modules.iter().cloned()),
            None => migrator,
        }
    }

    fn resolve(settings: Settings) -> Result<Vec<Config>> {
        let start = match &settings.dir {
            Some(dir) => dir.clone(),
            None => std::env::current_dir()
                .map_err(|e| Error::Config(format!("the working directory cannot be read: {e}")))?,
        };
        let project = find_project_file(&start)?;
        let project_dir = match (&project, ProjectLayout::single()?) {
            (Some((dir, _)), _) => dir.clone(),
            (None, Some(layout)) if layout.root().is_dir() => layout.root().to_path_buf(),
            _ => start.clone(),
        };
        let env = Environment::read(&start, &project_dir);
        let file = project.as_ref().map(|(_, file)| file.clone());
        let file_dir = project.as_ref().map(|(dir, _)| dir.clone());
        let section = file.clone().unwrap_or_default();

        let databases: Vec<(DatabaseUrl, Source)> = if !settings.database_urls.is_empty() {
            settings
                .database_urls
                .iter()
                .map(|url| Ok((DatabaseUrl::parse(url)?, Source::Given)))
                .collect::<Result<_>>()?
        } else if let Some((url, from)) = env.get("DATABASE_URL") {
            let base = from.clone().unwrap_or_else(|| project_dir.clone());
            let source = match from {
                Some(dir) => Source::DotEnv(dir.join(".env")),
                None => Source::Environment,
            };
            vec![(DatabaseUrl::parse(&url)?.resolved_against(&base), source)]
        } else if let Some(dir) = &file_dir {
            let fleet = fleet(&section, dir)?;
            match (&section.database.url, fleet.is_empty()) {
                (Some(_), false) => {
                    return Err(Error::Config(format!(
                        "`{}` names one database (`[database] url`) and a fleet (`[[databases]]` or `urls_file`); keep one of them",
                        dir.join(PROJECT_FILE).display()
                    )));
                }
                (Some(url), true) => vec![(
                    DatabaseUrl::parse(url)?.resolved_against(dir),
                    Source::ProjectFile(dir.join(PROJECT_FILE)),
                )],
                (None, false) => fleet,
                (None, true) => vec![default_database(&project_dir)],
            }
        } else {
            vec![default_database(&project_dir)]
        };
        let modules = match env.get("ARTE_MODULES") {
            Some((list, _)) => Some(
                list.split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            None => section.modules.enabled.clone().or(settings.modules.clone()),
        };
        let table = env
            .get("ARTE_MIGRATIONS_TABLE")
            .map(|(table, _)| table)
            .or(section.migrations.table.clone())
            .or(settings.table.clone())
            .unwrap_or_else(|| DEFAULT_TABLE.to_owned());
        // Refused before anything connects: the name reaches SQL and lock names.
        if !arte_vocab::is_identifier(&table) {
            return Err(Error::InvalidMigrationsTable { name: table });
        }
        let lock_timeout = match (settings.lock_timeout, env.get("ARTE_LOCK_TIMEOUT")) {
            (Some(timeout), _) => timeout,
            (None, Some((text, _))) => Duration::from_secs(text.trim().parse().map_err(|_| {
                Error::Config(format!(
                    "ARTE_LOCK_TIMEOUT is `{text}`, which is not a number of seconds; write for example `ARTE_LOCK_TIMEOUT=60`"
                ))
            })?),
            (None, None) => section
                .migrations
                .lock_timeout
                .map(Duration::from_secs)
                .or(settings.default_lock_timeout)
                .unwrap_or(DEFAULT_LOCK_TIMEOUT),
        };
        let out_of_order = match env
            .get("ARTE_OUT_OF_ORDER")
            .map(|(text, _)| text)
            .or(section.migrations.out_of_order.clone())
        {
            Some(text) => text
                .parse::<OutOfOrder>()
                .map_err(|reason| Error::Config(format!("the out-of-order policy: {reason}")))?,
            None => settings.out_of_order.unwrap_or_default(),
        };
        let atomic = match env.get("ARTE_ATOMIC") {
            Some((text, _)) => match text.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" | "" => false,
                _ => {
                    return Err(Error::Config(format!(
                        "ARTE_ATOMIC is `{text}`; write `true` or `false`"
                    )));
                }
            },
            None => section
                .migrations
                .atomic
                .or(settings.atomic)
                .unwrap_or(false),
        };
        Ok(databases
            .into_iter()
            .map(|(database, source)| Config {
                database,
                source,
                modules: modules.clone(),
                table: table.clone(),
                lock_timeout,
                out_of_order,
                atomic,
                project_dir: project_dir.clone(),
                project_file: file.clone(),
            })
            .collect())
    }
}

fn default_database(project_dir: &Path) -> (DatabaseUrl, Source) {
    (
        DatabaseUrl::sqlite_file(project_dir.join(DEFAULT_DATABASE).to_string_lossy()),
        Source::Default,
    )
}

/// The fleet `arte.toml` (in `dir`) names: its `[[databases]]`, then the lines of its
/// `urls_file`.
fn fleet(section: &ProjectFile, dir: &Path) -> Result<Vec<(DatabaseUrl, Source)>> {
    let project_file = dir.join(PROJECT_FILE);
    let mut databases = Vec::new();
    for entry in &section.databases {
        databases.push((
            DatabaseUrl::parse(&entry.url)?.resolved_against(dir),
            Source::Fleet(project_file.clone()),
        ));
    }
    if let Some(list) = &section.database.urls_file {
        let path = dir.join(list);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Config(format!(
                "`{}` (the `urls_file` of `{}`) cannot be read: {e}",
                path.display(),
                project_file.display()
            ))
        })?;
        let base = path.parent().unwrap_or(dir).to_path_buf();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let url = DatabaseUrl::parse(line).map_err(|error| {
                Error::Config(format!(
                    "line {} of `{}`: {error}",
                    number + 1,
                    path.display()
                ))
            })?;
            databases.push((url.resolved_against(&base), Source::Fleet(path.clone())));
        }
    }
    Ok(databases)
}

impl Db {
    /// Opens the database the command line would use from the working directory:
    /// `DATABASE_URL` (the environment, then `.env` files), `arte.toml`, else the
    /// project's `database.sqlite`. See [`Config`].
    pub fn from_env() -> Result<Db> {
        Config::load()?.connect()
    }
}

/// Finds `arte.toml` in `start` or a parent; its directory and contents.
pub fn find_project_file(start: &Path) -> Result<Option<(PathBuf, ProjectFile)>> {
    for dir in start.ancestors() {
        let path = dir.join(PROJECT_FILE);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::Config(format!("`{}` cannot be read: {e}", path.display())))?;
            let file: ProjectFile = toml::from_str(&text).map_err(|e| {
                Error::Config(format!(
                    "`{}` is not a valid project file: {}",
                    path.display(),
                    e.message()
                ))
            })?;
            return Ok(Some((dir.to_path_buf(), file)));
        }
    }
    Ok(None)
}

/// The environment as arte reads it: variables set in the process win, then the nearest
/// `.env` from the working directory up, then the project's `.env`. Nothing is written
/// to the process's environment.
struct Environment {
    /// Each `.env` file read, with its directory.
    files: Vec<(PathBuf, Vec<(String, String)>)>,
}

impl Environment {
    fn read(start: &Path, project_dir: &Path) -> Environment {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(dir) = start.ancestors().find(|dir| dir.join(".env").is_file()) {
            dirs.push(dir.to_path_buf());
        }
        if project_dir.join(".env").is_file() && !dirs.iter().any(|d| d == project_dir) {
            dirs.push(project_dir.to_path_buf());
        }
        let files = dirs
            .into_iter()
            .filter_map(|dir| {
                let pairs = dotenvy::from_path_iter(dir.join(".env"))
                    .ok()?
                    .filter_map(|pair| pair.ok())
                    .collect();
                Some((dir, pairs))
            })
            .collect();
        Environment { files }
    }

    /// A non-blank value of `key`, and the directory of the `.env` file that set it
    /// (`None` for the process's environment).
    fn get(&self, key: &str) -> Option<(String, Option<PathBuf>)> {
        if let Ok(value) = std::env::var(key)
            && !value.trim().is_empty()
        {
            return Some((value, None));
        }
        self.files.iter().find_map(|(dir, pairs)| {
            pairs
                .iter()
                .find(|(k, v)| k == key && !v.trim().is_empty())
                .map(|(_, v)| (v.clone(), Some(dir.clone())))
        })
    }
}
