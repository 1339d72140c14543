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
use crate::registry::{ProjectLayout, Registry};
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
    /// A file of database URLs, one per line (blank lines and `#` comments aside: a
    /// comment starts a line or follows whitespace), for a fleet; relative to
    /// `arte.toml`'s directory, as are relative SQLite paths in it.
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

/// Where a setting was written, for a refusal to name; displayed as ARTE_ATOMIC (set in
/// `/p/.env`), `` `[migrations] atomic` (`/p/arte.toml` line 7) `` or `` `App::atomic` ``.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// A variable of the environment: the process's own (`file` is `None`), or set in
    /// this `.env` file.
    Variable {
        /// The variable: `ARTE_ATOMIC`.
        name: &'static str,
        /// The `.env` file that set it.
        file: Option<PathBuf>,
    },
    /// A key of `arte.toml`.
    ProjectFile {
        /// The key as the file's reader names it: `[migrations] atomic`.
        key: &'static str,
        /// The file.
        path: PathBuf,
        /// The line of its value, from 1, when it can be told.
        line: Option<usize>,
    },
    /// The application's code: the default a `Settings::default_…` method set, which
    /// arte-cli's `App` builder calls; named by the builder's method, `App::atomic`.
    Code(&'static str),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Variable { name, file: None } => f.write_str(name),
            Origin::Variable {
                name,
                file: Some(file),
            } => write!(f, "{name} (set in `{}`)", file.display()),
            Origin::ProjectFile {
                key,
                path,
                line: Some(line),
            } => write!(f, "`{key}` (`{}` line {line})", path.display()),
            Origin::ProjectFile {
                key,
                path,
                line: None,
            } => write!(f, "`{key}` (`{}`)", path.display()),
            Origin::Code(method) => write!(f, "`{method}`"),
        }
    }
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
    /// Where [`Config::atomic`] was set; `None` for the default (no).
    pub atomic_origin: Option<Origin>,
    /// Where [`Config::out_of_order`] was set; `None` for the default (`allow`).
    pub out_of_order_origin: Option<Origin>,
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
        let project = read_project_file(&start)?;
        let project_dir = match (&project, ProjectLayout::single()?) {
            (Some((dir, _, _)), _) => dir.clone(),
            (None, Some(layout)) if layout.root().is_dir() => layout.root().to_path_buf(),
            _ => start.clone(),
        };
        let env = Environment::read(&start, &project_dir);
        let file = project.as_ref().map(|(_, file, _)| file.clone());
        let file_dir = project.as_ref().map(|(dir, _, _)| dir.clone());
        let section = file.clone().unwrap_or_default();
        // Where a key of arte.toml was written, for a refusal to name it with its line; the
        // file's places are read once, by the first setting that is there.
        let places: std::cell::OnceCell<Option<Node>> = std::cell::OnceCell::new();
        let in_file = |key: &'static str, keys: &[&str], item: Option<usize>| {
            let (dir, _, text) = project.as_ref()?;
            let mut path: Vec<Segment> =
                keys.iter().map(|k| Segment::Key((*k).to_owned())).collect();
            path.extend(item.map(Segment::Item));
            let root = places.get_or_init(|| toml::from_str(text).ok());
            Some(Origin::ProjectFile {
                key,
                path: dir.join(PROJECT_FILE),
                line: root.as_ref().and_then(|root| line_of(root, text, &path)),
            })
        };
        let variable = |name: &'static str, from: Option<PathBuf>| Origin::Variable {
            name,
            file: from.map(|dir| dir.join(".env")),
        };

        let databases: Vec<(DatabaseUrl, Source)> = if !settings.database_urls.is_empty() {
            settings
                .database_urls
                .iter()
                .map(|url| Ok((DatabaseUrl::parse(url)?, Source::Given)))
                .collect::<Result<_>>()?
        } else if let Some(from) = env.blank("DATABASE_URL") {
            // A deploy whose secret came out empty must not fall back to another database.
            let place = match from {
                Some(dir) => format!("in `{}`", dir.join(".env").display()),
                None => "in the environment".to_owned(),
            };
            return Err(Error::Config(format!(
                "`DATABASE_URL` is set but empty ({place}); give it the database's URL, or unset it to use the database arte.toml or the default names"
            )));
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
        let (modules, modules_origin) = match (
            env.get("ARTE_MODULES"),
            &section.modules.enabled,
            &settings.modules,
        ) {
            (Some((list, from)), _, _) => (
                Some(
                    list.split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .map(str::to_owned)
                        .collect(),
                ),
                Some(variable("ARTE_MODULES", from)),
            ),
            (None, Some(list), _) => (
                Some(list.clone()),
                in_file("[modules] enabled", &["modules", "enabled"], None),
            ),
            (None, None, Some(list)) => (Some(list.clone()), Some(Origin::Code("App::modules"))),
            (None, None, None) => (None, None),
        };
        // Refused before anything runs: a misspelt module would be left out without a word.
        if let Some(enabled) = &modules
            && let Some((unknown, known)) = unknown_modules(enabled)
        {
            // In arte.toml, the line of the first one.
            let origin = match modules_origin {
                Some(Origin::ProjectFile { .. }) => in_file(
                    "[modules] enabled",
                    &["modules", "enabled"],
                    unknown.first().copied(),
                ),
                origin => origin,
            };
            return Err(unknown_modules_refusal(enabled, &unknown, &known, origin));
        }
        let (table, table_origin) = match (
            env.get("ARTE_MIGRATIONS_TABLE"),
            &section.migrations.table,
            &settings.table,
        ) {
            (Some((table, from)), _, _) => (table, Some(variable("ARTE_MIGRATIONS_TABLE", from))),
            (None, Some(table), _) => (
                table.clone(),
                in_file("[migrations] table", &["migrations", "table"], None),
            ),
            (None, None, Some(table)) => {
                (table.clone(), Some(Origin::Code("App::migrations_table")))
            }
            (None, None, None) => (DEFAULT_TABLE.to_owned(), None),
        };
        // Refused before anything connects: the name reaches SQL and lock names.
        if !arte_vocab::is_identifier(&table) {
            return Err(match table_origin {
                Some(origin) => Error::Config(format!(
                    "{origin} is `{table}`, which cannot name the migrations table; {}",
                    arte_vocab::identifier::IDENTIFIER_RULE
                )),
                None => Error::InvalidMigrationsTable { name: table },
            });
        }
        let lock_timeout = match (settings.lock_timeout, env.get("ARTE_LOCK_TIMEOUT")) {
            (Some(timeout), _) => timeout,
            (None, Some((text, from))) => Duration::from_secs(text.trim().parse().map_err(|_| {
                Error::Config(format!(
                    "ARTE_LOCK_TIMEOUT{} is `{text}`, which is not a number of seconds; write for example `ARTE_LOCK_TIMEOUT=60`",
                    set_in(from.as_deref())
                ))
            })?),
            (None, None) => section
                .migrations
                .lock_timeout
                .map(Duration::from_secs)
                .or(settings.default_lock_timeout)
                .unwrap_or(DEFAULT_LOCK_TIMEOUT),
        };
        // Each refusal names where the policy was written: the variable, or arte.toml's key;
        // the origin is kept for refusals later (`Config::out_of_order_origin`).
        let (out_of_order, out_of_order_origin) = match (
            env.get("ARTE_OUT_OF_ORDER"),
            &section.migrations.out_of_order,
        ) {
            (Some((text, from)), _) => {
                let policy = text.parse::<OutOfOrder>().map_err(|_| {
                    Error::Config(format!(
                        "ARTE_OUT_OF_ORDER{} is `{text}`, which is not an out-of-order policy; write `allow` or `error`",
                        set_in(from.as_deref())
                    ))
                })?;
                (policy, Some(variable("ARTE_OUT_OF_ORDER", from)))
            }
            (None, Some(text)) => {
                let policy = text.parse::<OutOfOrder>().map_err(|_| {
                    let file = file_dir.clone().unwrap_or_default().join(PROJECT_FILE);
                    Error::Config(format!(
                        "`{}`'s `[migrations] out_of_order` is `{text}`, which is not an out-of-order policy; write `\"allow\"` or `\"error\"`",
                        file.display()
                    ))
                })?;
                let origin = in_file(
                    "[migrations] out_of_order",
                    &["migrations", "out_of_order"],
                    None,
                );
                (policy, origin)
            }
            (None, None) => (
                settings.out_of_order.unwrap_or_default(),
                settings
                    .out_of_order
                    .map(|_| Origin::Code("App::out_of_order")),
            ),
        };
        let (atomic, atomic_origin) = match (env.get("ARTE_ATOMIC"), section.migrations.atomic) {
            (Some((text, from)), _) => {
                let atomic = match text.trim().to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => true,
                    "0" | "false" | "no" | "off" | "" => false,
                    _ => {
                        return Err(Error::Config(format!(
                            "ARTE_ATOMIC{} is `{text}`; write `true` or `false`",
                            set_in(from.as_deref())
                        )));
                    }
                };
                (atomic, Some(variable("ARTE_ATOMIC", from)))
            }
            (None, Some(atomic)) => (
                atomic,
                in_file("[migrations] atomic", &["migrations", "atomic"], None),
            ),
            (None, None) => (
                settings.atomic.unwrap_or(false),
                settings.atomic.map(|_| Origin::Code("App::atomic")),
            ),
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
                atomic_origin: atomic_origin.clone(),
                out_of_order_origin: out_of_order_origin.clone(),
                project_dir: project_dir.clone(),
                project_file: file.clone(),
            })
            .collect())
    }
}

/// The places in `enabled` of the modules this program has no migrations of, and the
/// modules it has; `None` when it has every one, or when it holds no migrations at all (a
/// program that only opens the database, with `Db::from_env`, cannot tell).
fn unknown_modules(enabled: &[String]) -> Option<(Vec<usize>, Vec<&'static str>)> {
    // Duplicate migrations are refused where the migrations are read, with both places.
    let registry = Registry::collect().ok()?;
    if registry.migrations().is_empty() {
        return None;
    }
    let known = registry.modules();
    let unknown: Vec<usize> = enabled
        .iter()
        .enumerate()
        .filter(|(_, module)| !known.contains(&module.as_str()))
        .map(|(place, _)| place)
        .collect();
    (!unknown.is_empty()).then_some((unknown, known))
}

/// The refusal of the enabled modules `enabled` (written at `origin`), whose modules at
/// `unknown` are not among `known`.
fn unknown_modules_refusal(
    enabled: &[String],
    unknown: &[usize],
    known: &[&str],
    origin: Option<Origin>,
) -> Error {
    let names = unknown
        .iter()
        .map(|place| format!("`{}`", enabled[*place]))
        .collect::<Vec<_>>()
        .join(", ");
    let origin = origin.map_or_else(|| "the enabled modules".to_owned(), |o| o.to_string());
    let (what, fix) = match unknown.len() {
        1 => (
            format!("module {names} in {origin} is not a module"),
            "fix the name",
        ),
        _ => (
            format!("modules {names} in {origin} are not modules"),
            "fix the names",
        ),
    };
    Error::Config(match known {
        [] => format!(
            "{what} of this application, which has no modules; remove {}",
            if unknown.len() == 1 { "it" } else { "them" }
        ),
        known => format!(
            "{what} of this application; its modules are: {}; {fix}",
            known.join(", ")
        ),
    })
}

/// Where an arte variable was set, for its refusal: nothing for the process's environment,
/// else the `.env` file in `dir`.
fn set_in(dir: Option<&Path>) -> String {
    dir.map(|dir| format!(" (set in `{}`)", dir.join(".env").display()))
        .unwrap_or_default()
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
                "`{}` (the `urls_file` of `{file}`) cannot be read: {e}; create it, or fix `urls_file` under `[database]` in `{file}`",
                path.display(),
                file = project_file.display()
            ))
        })?;
        let base = path.parent().unwrap_or(dir).to_path_buf();
        for (number, line) in text.lines().enumerate() {
            let line = without_comment(line);
            if line.is_empty() {
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

/// A line of a file of URLs without its comment: from a `#` that starts the line or
/// follows whitespace (a `#` inside a URL stays; in a password it is written `%23`).
fn without_comment(line: &str) -> &str {
    let mut previous = None;
    for (at, c) in line.char_indices() {
        if c == '#' && previous.is_none_or(char::is_whitespace) {
            return line[..at].trim();
        }
        previous = Some(c);
    }
    line.trim()
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
    Ok(read_project_file(start)?.map(|(dir, file, _)| (dir, file)))
}

/// Finds `arte.toml` in `start` or a parent; its directory, contents and text (for the
/// line of a setting refused later).
fn read_project_file(start: &Path) -> Result<Option<(PathBuf, ProjectFile, String)>> {
    for dir in start.ancestors() {
        let path = dir.join(PROJECT_FILE);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::Config(format!("`{}` cannot be read: {e}", path.display())))?;
            let file: ProjectFile =
                toml::from_str(&text).map_err(|e| invalid_project_file(&path, &text, &e))?;
            return Ok(Some((dir.to_path_buf(), file, text)));
        }
    }
    Ok(None)
}

/// The line (from 1) of the value at `keys` in `text`, an `arte.toml` read already, whose
/// values and their places are `root`; `None` where it cannot be told (a dotted key's table
/// has no place of its own).
fn line_of(root: &Node, text: &str, keys: &[Segment]) -> Option<usize> {
    let mut node = root;
    let mut at = None;
    for segment in keys {
        let child = match (node, segment) {
            (Node::Table(entries), Segment::Key(key)) => {
                entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)?
            }
            (Node::Array(items), Segment::Item(item)) => items.get(*item)?,
            _ => return None,
        };
        at = Some(child.span().start);
        node = child.get_ref();
    }
    at.map(|at| line_number(text, at))
}

/// The key path of a `key.sub = value` line at byte `at` of `text`, read from the text
/// (TOML gives a dotted key's table no place of its own, so [`Node::path_at`] cannot): the
/// `[table]` header above it, if any, then the key's parts, down to the deepest setting
/// arte.toml has. `None` for what this plain reading cannot vouch for: quoted keys, a line
/// inside an array of tables.
fn dotted_path_at(text: &str, at: usize) -> Option<Vec<Segment>> {
    let start = line_start(text, at);
    let bare = |key: &str| {
        !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let parts = |keys: &str| -> Option<Vec<Segment>> {
        keys.split('.')
            .map(|key| {
                let key = key.trim();
                bare(key).then(|| Segment::Key(key.to_owned()))
            })
            .collect()
    };
    let (keys, _) = line_at(text, at).split_once('=')?;
    let mut path = match text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| line.starts_with('['))
    {
        None => Vec::new(),
        Some(header) if header.starts_with("[[") => return None,
        Some(header) => parts(header.strip_prefix('[')?.split_once(']')?.0)?,
    };
    path.extend(parts(keys)?);
    // The error may be at a table the key goes through (`lock_timeout.x = 1`): the deepest
    // setting arte.toml has.
    while path.len() > 1 && expectation(&path).is_none() {
        path.pop();
    }
    Some(path)
}

/// Where the line that byte `at` of `text` is on begins (a character's boundary).
fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1)
}

/// The line (from 1) that byte `at` of `text` is on.
fn line_number(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The refusal of `arte.toml` (at `path`, holding `text`), on one line: the file, the line,
/// the setting when it can be told, what is wrong with it, and what to do.
fn invalid_project_file(path: &Path, text: &str, error: &toml::de::Error) -> Error {
    let at = error.span().map(|span| span.start.min(text.len()));
    let place = match at {
        Some(at) => format!("`{}` line {}", path.display(), line_number(text, at)),
        None => format!("`{}`", path.display()),
    };
    let keys = at.and_then(|at| Node::path_at(text, at).or_else(|| dotted_path_at(text, at)));
    let line = at.map(|at| line_at(text, at)).unwrap_or_default();
    Error::Config(format!(
        "{place}: {}",
        project_file_reason(error.message(), keys.as_deref(), line)
    ))
}

/// What is wrong with `arte.toml` and what to do, from the parser's `message` (serde's
/// wording, or the TOML syntax's over several lines), the key path it is at when known, and
/// the text of its line.
fn project_file_reason(message: &str, keys: Option<&[Segment]>, line: &str) -> String {
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let keys = keys.unwrap_or_default();
    let value = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some(value) = value {
        let (found, expected) = value.split_once(", expected ").unwrap_or((value, "other"));
        let found = match found {
            "sequence" => "an array".to_owned(),
            "map" => "a table".to_owned(),
            found if found.contains(' ') => format!("the {found}"),
            found => format!("a {found}"),
        };
        if keys.is_empty() {
            return format!("{found} is not valid here, where {expected} is expected; fix it");
        }
        let expected = expectation(keys).unwrap_or(expected);
        return format!("{} must be {expected}, not {found}; fix it", setting(keys));
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, known) = rest
            .split_once(", expected ")
            .map(|(field, known)| (field, known.strip_prefix("one of ").unwrap_or(known)))
            .unwrap_or((rest, ""));
        // The path found is the unknown key's own, or its table's.
        let table = match keys.split_last() {
            Some((Segment::Key(last), table)) if format!("`{last}`") == field => table,
            _ => keys,
        };
        let known = match known {
            "" => String::new(),
            known => format!(", which has {known}"),
        };
        return match table {
            [] => format!("{field} is not a table of arte.toml{known}; fix or remove it"),
            table => format!(
                "{field} is not a setting of {}{known}; fix or remove it",
                table_name(table)
            ),
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return match keys {
            [] => format!("{field} is missing; add it"),
            table => format!("{} has no {field}; add it", table_name(table)),
        };
    }
    // The TOML syntax: the parser's words, after the line they are about.
    let line = line.trim();
    let line = match line.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_owned(),
    };
    match line.as_str() {
        "" => format!("this is not valid TOML ({message}); fix it"),
        line => format!("`{line}` is not valid TOML ({message}); fix it"),
    }
}

/// The text of the line that byte `at` of `text` is on.
fn line_at(text: &str, at: usize) -> &str {
    // Bytes, so that a place inside a character cannot panic; a line starts and ends on
    // a character's boundary.
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = line_start(text, at);
    let end = bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    text.get(start..end).unwrap_or_default()
}

/// One step of a key path in `arte.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A key of a table.
    Key(String),
    /// An item of an array (an array of tables' entry), from 0.
    Item(usize),
}

/// The setting at `keys`, as arte.toml's reader sees it: `[migrations] lock_timeout`,
/// `[[databases]] url` (entry 2), item 2 of `[modules] enabled`.
fn setting(keys: &[Segment]) -> String {
    match keys {
        [] => "the file".to_owned(),
        [rest @ .., Segment::Item(item)] => format!("item {} of {}", item + 1, setting(rest)),
        [Segment::Key(key)] => format!("`{key}`"),
        [table @ .., Segment::Key(key)] => match table {
            [entries @ .., Segment::Item(item)] => {
                format!("`[[{}]] {key}` (entry {})", dotted(entries), item + 1)
            }
            _ => format!("`[{}] {key}`", dotted(table)),
        },
    }
}

/// The table at `keys`: `[migrations]`, `[[databases]]` (entry 2).
fn table_name(keys: &[Segment]) -> String {
    match keys {
        [entries @ .., Segment::Item(item)] => {
            format!("`[[{}]]` (entry {})", dotted(entries), item + 1)
        }
        _ => format!("`[{}]`", dotted(keys)),
    }
}

/// `a.b[2].c`.
fn dotted(keys: &[Segment]) -> String {
    joined(keys, |item| format!("[{item}]"))
}

/// The keys joined by `.`, each item of an array written by `item`.
fn joined(keys: &[Segment], item: impl Fn(usize) -> String) -> String {
    let mut text = String::new();
    for segment in keys {
        match segment {
            Segment::Key(key) if text.is_empty() => text.push_str(key),
            Segment::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Segment::Item(index) => text.push_str(&item(*index)),
        }
    }
    text
}

/// What the setting at `keys` must be, in the reader's words, for the settings arte.toml has.
fn expectation(keys: &[Segment]) -> Option<&'static str> {
    // Any item of an array: `databases[].url`.
    let pattern = joined(keys, |_| "[]".to_owned());
    Some(match pattern.as_str() {
        "app" => "a table (`[app]` with `package = \"your-crate\"`)",
        "app.package" => "the name of your application's cargo package, in quotes",
        "app.bin" => "the name of the binary that calls `arte_cli::main()`, in quotes",
        "database" => "a table (`[database]` with `url = \"…\"`)",
        "database.url" | "databases[].url" => "a database URL in quotes",
        "database.urls_file" => "the path of a file of database URLs, in quotes",
        "databases" => "an array of tables (`[[databases]]`, each with `url = \"…\"`)",
        "databases[]" => "a table with `url = \"…\"`",
        "migrations" => "a table (`[migrations]`)",
        "migrations.table" => "the migrations table's name, in quotes",
        "migrations.lock_timeout" => "a whole number of seconds",
        "migrations.out_of_order" => "`\"allow\"` or `\"error\"`",
        "migrations.atomic" => "`true` or `false`",
        "modules" => "a table (`[modules]`)",
        "modules.enabled" => "a list of module names, like `[\"shop\"]`",
        "modules.enabled[]" => "a module name in quotes",
        _ => return None,
    })
}

/// A TOML document's tables and arrays, each value with where it is: to tell which setting
/// an error's place in the text belongs to.
#[derive(Debug)]
enum Node {
    Table(Vec<(String, toml::Spanned<Node>)>),
    Array(Vec<toml::Spanned<Node>>),
    Leaf,
}

impl Node {
    /// The key path of the innermost value of `text` that byte `at` is in (or of the
    /// table whose key is there); `None` when `text` cannot be read so (a TOML syntax
    /// error, a dotted key, whose table has no place of its own).
    fn path_at(text: &str, at: usize) -> Option<Vec<Segment>> {
        let root: Node = toml::from_str(text).ok()?;
        let mut path = Vec::new();
        root.find(at, &mut path);
        Some(path)
    }

    /// Pushes onto `path` the steps from this node to the innermost value at `at`;
    /// whether there is one.
    fn find(&self, at: usize, path: &mut Vec<Segment>) -> bool {
        let children: Vec<(Segment, &toml::Spanned<Node>)> = match self {
            Node::Table(entries) => entries
                .iter()
                .map(|(key, value)| (Segment::Key(key.clone()), value))
                .collect(),
            Node::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| (Segment::Item(index), item))
                .collect(),
            Node::Leaf => return false,
        };
        for (segment, child) in children {
            path.push(segment);
            if child.get_ref().find(at, path) || child.span().contains(&at) {
                return true;
            }
            path.pop();
        }
        false
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            // A date-time comes as a table of one private key: a value like any other.
            if key == "$__toml_private_datetime" {
                map.next_value::<serde::de::IgnoredAny>()?;
                return Ok(Node::Leaf);
            }
            entries.push((key, map.next_value()?));
        }
        Ok(Node::Table(entries))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_i64<E>(self, _: i64) -> std::result::Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_u64<E>(self, _: u64) -> std::result::Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_f64<E>(self, _: f64) -> std::result::Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_str<E>(self, _: &str) -> std::result::Result<Node, E> {
        Ok(Node::Leaf)
    }
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

    /// Where `key` is set blank, where it is looked up first: `Some(None)` in the process's
    /// environment, `Some(Some(dir))` in `dir`'s `.env` file; `None` where it is unset or
    /// has a value.
    fn blank(&self, key: &str) -> Option<Option<PathBuf>> {
        if let Ok(value) = std::env::var(key) {
            return value.trim().is_empty().then_some(None);
        }
        self.files.iter().find_map(|(dir, pairs)| {
            let (_, value) = pairs.iter().find(|(k, _)| k == key)?;
            Some(value.trim().is_empty().then(|| Some(dir.clone())))
        })?
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The refusal of `text` as `/p/arte.toml`.
    fn refusal(text: &str) -> String {
        let error = match toml::from_str::<ProjectFile>(text) {
            Ok(file) => panic!("{text:?} is read as {file:?}"),
            Err(error) => error,
        };
        invalid_project_file(Path::new("/p/arte.toml"), text, &error).to_string()
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_line_and_key_on_one_line() {
        let text = "[app]\npackage = \"shop\"\n\n[migrations]\nlock_timeout = \"x\"\n";
        assert_eq!(
            refusal(text),
            "`/p/arte.toml` line 5: `[migrations] lock_timeout` must be a whole number of seconds, not the string \"x\"; fix it"
        );
        assert_eq!(
            refusal("[migrations]\nlock_timeout = -1\n"),
            "`/p/arte.toml` line 2: `[migrations] lock_timeout` must be a whole number of seconds, not the integer `-1`; fix it"
        );
        assert_eq!(
            refusal("migrations = { lock_timeout = 1.5 }\n"),
            "`/p/arte.toml` line 1: `[migrations] lock_timeout` must be a whole number of seconds, not the floating point `1.5`; fix it"
        );
        assert_eq!(
            refusal("[migrations]\natomic = \"yes\"\n"),
            "`/p/arte.toml` line 2: `[migrations] atomic` must be `true` or `false`, not the string \"yes\"; fix it"
        );
        assert_eq!(
            refusal("app = 3\n"),
            "`/p/arte.toml` line 1: `app` must be a table (`[app]` with `package = \"your-crate\"`), not the integer `3`; fix it"
        );
        assert_eq!(
            refusal("[modules]\nenabled = \"shop\"\n"),
            "`/p/arte.toml` line 2: `[modules] enabled` must be a list of module names, like `[\"shop\"]`, not the string \"shop\"; fix it"
        );
    }

    #[test]
    fn items_of_arrays_and_entries_of_arrays_of_tables_are_named_with_their_number() {
        assert_eq!(
            refusal("[modules]\nenabled = [\"a\", 3]\n"),
            "`/p/arte.toml` line 2: item 2 of `[modules] enabled` must be a module name in quotes, not the integer `3`; fix it"
        );
        assert_eq!(
            refusal("[[databases]]\nurl = 'a'\n\n[[databases]]\nurl = 1\n"),
            "`/p/arte.toml` line 5: `[[databases]] url` (entry 2) must be a database URL in quotes, not the integer `1`; fix it"
        );
    }

    #[test]
    fn a_dotted_key_is_named_as_its_table_and_key() {
        assert_eq!(
            refusal("\nmigrations.atomic = \"yes\"\n"),
            "`/p/arte.toml` line 2: `[migrations] atomic` must be `true` or `false`, not the string \"yes\"; fix it"
        );
        assert_eq!(
            refusal("[app]\npackage = 'shop'\n\n[migrations]\nlock_timeout.x = 1\n"),
            "`/p/arte.toml` line 5: `[migrations] lock_timeout` must be a whole number of seconds, not a table; fix it"
        );
        assert_eq!(
            refusal("migrations . lock_timeout = \"x\" # a note\n"),
            "`/p/arte.toml` line 1: `[migrations] lock_timeout` must be a whole number of seconds, not the string \"x\"; fix it"
        );
        assert_eq!(
            refusal("migrations.lock_timeot = 1\n"),
            "`/p/arte.toml` line 1: `lock_timeot` is not a setting of `[migrations]`, which has `table`, `lock_timeout`, `out_of_order`, `atomic`; fix or remove it"
        );
        // Quoted keys are not read from the text: the reason alone, still on its line.
        assert_eq!(
            refusal("\"migrations\".atomic = \"yes\"\n"),
            "`/p/arte.toml` line 1: the string \"yes\" is not valid here, where a boolean is expected; fix it"
        );
    }

    #[test]
    fn unknown_and_missing_keys_name_their_table() {
        assert_eq!(
            refusal("[migrations]\nlock_timeot = 1\n"),
            "`/p/arte.toml` line 2: `lock_timeot` is not a setting of `[migrations]`, which has `table`, `lock_timeout`, `out_of_order`, `atomic`; fix or remove it"
        );
        assert_eq!(
            refusal("[migratons]\n"),
            "`/p/arte.toml` line 1: `migratons` is not a table of arte.toml, which has `app`, `database`, `databases`, `migrations`, `modules`; fix or remove it"
        );
        assert_eq!(
            refusal("[database]\nurl = 'a'\n[[databases]]\nurl = 'b'\nname = 'c'\n"),
            "`/p/arte.toml` line 5: `name` is not a setting of `[[databases]]` (entry 1), which has `url`; fix or remove it"
        );
        assert_eq!(
            refusal("[app]\nbin = \"arte\"\n"),
            "`/p/arte.toml` line 1: `[app]` has no `package`; add it"
        );
    }

    #[test]
    fn a_syntax_error_is_one_line_with_the_line_it_is_on() {
        assert_eq!(
            refusal("[app]\npackage = \"shop\"\n[migrations\n"),
            "`/p/arte.toml` line 3: `[migrations` is not valid TOML (invalid table header, expected `.`, `]`); fix it"
        );
        assert_eq!(
            refusal("[database]\nurl = 'x'\nurl = 'y'\n"),
            "`/p/arte.toml` line 3: `url = 'y'` is not valid TOML (duplicate key `url` in table `database`); fix it"
        );
        for text in [
            "[migrations\n",
            "x = \n",
            "[database]\nurl = \"open\n",
            "a = [1,\n",
        ] {
            let refusal = refusal(text);
            assert!(!refusal.contains('\n'), "{refusal}");
            assert!(refusal.starts_with("`/p/arte.toml` line "), "{refusal}");
            assert!(refusal.ends_with("; fix it"), "{refusal}");
        }
    }

    /// A project of its own under the temporary directory, with these files.
    struct Project(PathBuf);

    impl Project {
        fn new(label: &str, files: &[(&str, &str)]) -> Project {
            let dir = std::env::temp_dir().join(format!(
                "arte-config-{label}-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0)
            ));
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            for (name, text) in files {
                std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{e}"));
            }
            Project(dir)
        }

        fn refusal(&self) -> String {
            match Settings::new().from_dir(&self.0).load() {
                Ok(config) => panic!("loaded: {config:?}"),
                Err(error) => error.to_string(),
            }
        }
    }

    impl Drop for Project {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_bad_out_of_order_policy_names_where_it_was_written() {
        // The process's own ARTE_OUT_OF_ORDER would win over both; not set in the tests.
        if std::env::var_os("ARTE_OUT_OF_ORDER").is_some() {
            return;
        }
        let in_file = Project::new(
            "ooo-file",
            &[("arte.toml", "[migrations]\nout_of_order = \"foo\"\n")],
        );
        assert_eq!(
            in_file.refusal(),
            format!(
                "`{}`'s `[migrations] out_of_order` is `foo`, which is not an out-of-order policy; write `\"allow\"` or `\"error\"`",
                in_file.0.join("arte.toml").display()
            )
        );
        let in_env = Project::new(
            "ooo-env",
            &[("arte.toml", ""), (".env", "ARTE_OUT_OF_ORDER=foo\n")],
        );
        assert_eq!(
            in_env.refusal(),
            format!(
                "ARTE_OUT_OF_ORDER (set in `{}`) is `foo`, which is not an out-of-order policy; write `allow` or `error`",
                in_env.0.join(".env").display()
            )
        );
    }

    #[test]
    fn a_comment_starts_at_a_hash_after_whitespace_in_a_file_of_urls() {
        assert_eq!(without_comment("# a tenant"), "");
        assert_eq!(without_comment("   "), "");
        assert_eq!(
            without_comment("postgres://app:s@db/tenant_a  # trailing"),
            "postgres://app:s@db/tenant_a"
        );
        assert_eq!(without_comment("a.sqlite\t#tab"), "a.sqlite");
        // Inside a URL, a `#` stays: a fragment, or a file's name.
        assert_eq!(without_comment(" c#d.sqlite "), "c#d.sqlite");
        assert_eq!(
            without_comment("postgres://app:p%23ss@db/x"),
            "postgres://app:p%23ss@db/x"
        );
    }

    #[test]
    fn a_trailing_comment_in_the_urls_file_is_not_part_of_the_url() {
        // The process's own DATABASE_URL would take the place of the fleet.
        if std::env::var_os("DATABASE_URL").is_some() {
            return;
        }
        let project = Project::new(
            "urls-comment",
            &[
                ("arte.toml", "[database]\nurls_file = \"tenants.txt\"\n"),
                (
                    "tenants.txt",
                    "# tenants\na.sqlite  # the first\n\nb.sqlite\t# the second\nc#d.sqlite\n",
                ),
            ],
        );
        let configs = match Settings::new().from_dir(&project.0).load_all() {
            Ok(configs) => configs,
            Err(error) => panic!("{error}"),
        };
        let databases: Vec<String> = configs.iter().map(|c| c.database.to_string()).collect();
        assert_eq!(
            databases,
            ["a.sqlite", "b.sqlite", "c#d.sqlite"].map(|name| project
                .0
                .join(name)
                .display()
                .to_string())
        );
    }

    #[test]
    fn a_urls_file_that_is_not_there_says_what_to_do() {
        if std::env::var_os("DATABASE_URL").is_some() {
            return;
        }
        let project = Project::new(
            "urls-missing",
            &[("arte.toml", "[database]\nurls_file = \"tenants.txt\"\n")],
        );
        let file = project.0.join("arte.toml");
        let refusal = project.refusal();
        assert!(
            refusal.starts_with(&format!(
                "`{}` (the `urls_file` of `{}`) cannot be read: ",
                project.0.join("tenants.txt").display(),
                file.display()
            )) && refusal.ends_with(&format!(
                "; create it, or fix `urls_file` under `[database]` in `{}`",
                file.display()
            )),
            "{refusal}"
        );
    }

    #[test]
    fn a_bad_migrations_table_names_where_it_was_written() {
        if std::env::var_os("ARTE_MIGRATIONS_TABLE").is_some() {
            return;
        }
        let rule = arte_vocab::identifier::IDENTIFIER_RULE;
        let in_file = Project::new(
            "table-file",
            &[(
                "arte.toml",
                "[migrations]\nlock_timeout = 5\ntable = \"bad name\"\n",
            )],
        );
        assert_eq!(
            in_file.refusal(),
            format!(
                "`[migrations] table` (`{}` line 3) is `bad name`, which cannot name the migrations table; {rule}",
                in_file.0.join("arte.toml").display()
            )
        );
        let in_env = Project::new(
            "table-env",
            &[
                ("arte.toml", ""),
                (".env", "ARTE_MIGRATIONS_TABLE=bad-name\n"),
            ],
        );
        assert_eq!(
            in_env.refusal(),
            format!(
                "ARTE_MIGRATIONS_TABLE (set in `{}`) is `bad-name`, which cannot name the migrations table; {rule}",
                in_env.0.join(".env").display()
            )
        );
    }

    #[test]
    fn unknown_modules_are_refused_naming_where_they_were_enabled() {
        let refusal = |enabled: &[&str], unknown: &[usize], known: &[&str], origin| {
            let enabled: Vec<String> = enabled.iter().map(|m| (*m).to_owned()).collect();
            unknown_modules_refusal(&enabled, unknown, known, Some(origin)).to_string()
        };
        let in_file = Origin::ProjectFile {
            key: "[modules] enabled",
            path: PathBuf::from("/p/arte.toml"),
            line: Some(4),
        };
        assert_eq!(
            refusal(&["blog", "catlog"], &[1], &["blog", "catalog"], in_file),
            "module `catlog` in `[modules] enabled` (`/p/arte.toml` line 4) is not a module of this application; its modules are: blog, catalog; fix the name"
        );
        let in_env = Origin::Variable {
            name: "ARTE_MODULES",
            file: Some(PathBuf::from("/p/.env")),
        };
        assert_eq!(
            refusal(&["nope", "blog", "zip"], &[0, 2], &["blog"], in_env),
            "modules `nope`, `zip` in ARTE_MODULES (set in `/p/.env`) are not modules of this application; its modules are: blog; fix the names"
        );
        assert_eq!(
            refusal(&["blog"], &[0], &[], Origin::Code("App::modules")),
            "module `blog` in `App::modules` is not a module of this application, which has no modules; remove it"
        );
    }

    #[test]
    fn the_line_of_a_setting_is_that_of_its_value() {
        let text = "# arte.toml\n[modules]\nenabled = [\n  \"a\",\n  \"b\",\n]\n\n[migrations]\natomic = true\n";
        let keys = |keys: &[&str], item: Option<usize>| {
            let mut path: Vec<Segment> =
                keys.iter().map(|k| Segment::Key((*k).to_owned())).collect();
            path.extend(item.map(Segment::Item));
            path
        };
        let root: Node = match toml::from_str(text) {
            Ok(root) => root,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(
            line_of(&root, text, &keys(&["modules", "enabled"], Some(1))),
            Some(5)
        );
        assert_eq!(
            line_of(&root, text, &keys(&["migrations", "atomic"], None)),
            Some(9)
        );
        assert_eq!(
            line_of(&root, text, &keys(&["migrations", "table"], None)),
            None
        );
    }
}
