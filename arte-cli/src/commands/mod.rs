//! One module per command; each turns its arguments into `Migrator` calls and output.

pub mod check_migrations;
pub mod contract_check;
pub mod fleet;
pub mod from_contracts;
pub mod init;
pub mod make;
pub mod migrate;
pub mod repair;
pub mod squash;
pub mod status;

use crate::cli::{Cli, Command, Database, Lock, Scope};
use crate::output::{self, Shape, Target};
use anyhow::Result;
use arte_core::{Config, DatabaseUrl, Db, Event, Filter, Migrator, Registry, Settings};
use clap::CommandFactory;
use std::ffi::OsString;

impl Scope {
    pub fn filter(&self) -> Filter {
        match (&self.module, self.core) {
            (Some(module), _) => Filter::module(module.clone()),
            (None, true) => Filter::core(),
            (None, false) => Filter::all(),
        }
    }
}

/// The commands that run migrations, as their `--json` object names them.
const RUNS: [&str; 6] = [
    "migration:latest",
    "migration:up",
    "migration:down",
    "migration:rollback",
    "migration:reset",
    "migration:fresh",
];

/// A run with `--json`: what its object looks like, and the `--database-url`s given, for
/// the object of a command that fails before it has one of its own.
#[derive(Debug, Clone)]
pub struct JsonRequest {
    shape: Shape,
    database_urls: Vec<String>,
}

impl JsonRequest {
    /// `--json` with the command `name`'s shape, when the command has `--json`.
    fn of(name: &str, pretend: bool, database_urls: Vec<String>) -> Option<JsonRequest> {
        let shape = match name {
            "migration:status" => Shape::Status,
            "migration:repair" => Shape::Repair { pretend },
            _ => Shape::Run {
                command: RUNS.into_iter().find(|command| *command == name)?,
                pretend,
            },
        };
        Some(JsonRequest {
            shape,
            database_urls,
        })
    }

    /// The request of a command line (program name first), when it names a command that
    /// has `--json` and `--json` is among the command's arguments, or names no command of
    /// arte's and has `--json` anywhere. A command line clap
    /// refuses (an unknown option, a bad value) is read as far as it goes, so that its
    /// usage error is a JSON object too.
    pub fn read(args: &[OsString]) -> Option<JsonRequest> {
        // `--json` is a flag of its own (no value, no environment variable): without it
        // on the line, nothing to read, and clap's command is not built a second time.
        if !args.iter().any(|arg| arg == "--json") {
            return None;
        }
        let matches = Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(args)
            .ok()?;
        // A command that is not one of arte's (`migration:foo --json`): a usage error,
        // still one object.
        let Some((name, sub)) = matches.subcommand() else {
            return Some(JsonRequest {
                shape: Shape::Unknown,
                database_urls: Vec::new(),
            });
        };
        // Clap stops reading at a mistake: `--json` after it counts too (before any `--`).
        let at = args.iter().position(|arg| arg == name)?;
        let json = sub.try_get_one::<bool>("json").ok().flatten() == Some(&true)
            || args
                .iter()
                .skip(at + 1)
                .take_while(|arg| *arg != "--")
                .any(|arg| arg == "--json");
        if !json {
            return None;
        }
        let pretend = sub
            .try_get_one::<bool>("pretend")
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false);
        let mut database_urls: Vec<String> = sub
            .try_get_many::<String>("database_url")
            .ok()
            .flatten()
            .map(|urls| urls.cloned().collect())
            .unwrap_or_default();
        // Clap stops reading at a mistake: the `--database-url`s after it count too.
        let given = database_urls_given(&args[at + 1..]);
        if given.len() > database_urls.len() {
            database_urls = given;
        }
        JsonRequest::of(name, pretend, database_urls)
    }

    /// The object of a command that failed before it had one: its shape, for the
    /// database (or fleet) it was to work on, as far as that can be told.
    pub fn unfinished(&self, settings: &Settings) -> serde_json::Value {
        // No command of arte's: no database to tell.
        if self.shape == Shape::Unknown {
            return output::unfinished(self.shape, &Target::One(None));
        }
        let database = Database {
            database_url: self.database_urls.clone(),
            jobs: 1,
        };
        let target = match configs(settings, &database, None) {
            Ok(configs) => match configs.as_slice() {
                [config] => Target::One(Some(config.database.to_string())),
                [] => Target::One(None),
                fleet => Target::Fleet(fleet.len()),
            },
            // The settings are refused: the database given on the command line, if any.
            Err(_) => match self.database_urls.as_slice() {
                [] => Target::One(None),
                [url] => Target::One(Some(
                    DatabaseUrl::parse(url)
                        .map(|url| url.to_string())
                        .unwrap_or_else(|_| DatabaseUrl::redact_any(url)),
                )),
                fleet => Target::Fleet(fleet.len()),
            },
        };
        output::unfinished(self.shape, &target)
    }
}

/// The `--database-url`s among a command's arguments (before any `--`), read without clap.
fn database_urls_given(args: &[OsString]) -> Vec<String> {
    let mut urls = Vec::new();
    let mut args = args.iter().take_while(|arg| *arg != "--");
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if arg == "--database-url" {
            urls.extend(args.next().map(|url| url.to_string_lossy().into_owned()));
        } else if let Some(url) = arg.strip_prefix("--database-url=") {
            urls.push(url.to_owned());
        }
    }
    urls
}

/// Runs a parsed command.
pub fn run(settings: &Settings, command: Command) -> Result<()> {
    match command {
        Command::Status(args) => {
            let configs = configs(settings, &args.database, None)?;
            match configs.as_slice() {
                [config] => status::run(config, &args),
                _ => status::fleet(&configs, &args),
            }
        }
        Command::Latest(args) => migrate::latest(settings, &args),
        Command::Up(args) => migrate::up(settings, &args),
        Command::Down(args) => migrate::down(settings, &args),
        Command::Rollback(args) => migrate::rollback(settings, &args),
        Command::Reset(args) => migrate::reset(settings, &args),
        Command::Fresh(args) => migrate::fresh(settings, &args),
        Command::Repair(args) => repair::run(settings, &args),
        Command::Make(args) if args.from_contracts => from_contracts::run(
            &one(
                single(settings, args.database_url.as_deref())?,
                "migration:make --from-contracts",
            )?,
            arte_core::ProjectLayout::single()?,
            &args.name,
            args.module.as_deref(),
            args.path.as_deref(),
            &args.rename,
        ),
        Command::Make(args) => make::run(arte_core::ProjectLayout::single()?, &args),
        Command::ContractCheck(args) if args.migrations => check_migrations::run(&one(
            configs(settings, &args.database, None)?,
            "contract:check --migrations",
        )?),
        Command::Squash(args) => squash::run(
            &one(
                single(settings, args.database.database_url.as_deref())?,
                "migration:squash",
            )?,
            arte_core::ProjectLayout::single()?,
            &args.upto,
            args.module.as_deref(),
            args.prune,
        ),
        Command::ContractCheck(args) => {
            let configs = configs(settings, &args.database, None)?;
            match configs.as_slice() {
                [config] => contract_check::run(config),
                _ => contract_check::fleet(&configs, args.database.jobs as usize),
            }
        }
        Command::Init => init::run(),
    }
}

/// The settings resolved with this command's flags: one configuration per database (one,
/// unless a fleet is given).
pub fn configs(
    settings: &Settings,
    database: &Database,
    lock: Option<&Lock>,
) -> Result<Vec<Config>> {
    let mut settings = settings.clone();
    for url in &database.database_url {
        settings = settings.database_url(url.clone());
    }
    if let Some(seconds) = lock.and_then(|l| l.lock_timeout) {
        settings = settings.lock_timeout(std::time::Duration::from_secs(seconds));
    }
    Ok(settings.load_all()?)
}

/// The settings of a command that works on one database, with its `--database-url`.
fn single(settings: &Settings, database_url: Option<&str>) -> Result<Vec<Config>> {
    let settings = match database_url {
        Some(url) => settings.clone().database_url(url),
        None => settings.clone(),
    };
    Ok(settings.load_all()?)
}

/// The one database of a command that works on one (it reads its migrations' files, or
/// writes them): a fleet is refused.
fn one(mut configs: Vec<Config>, command: &str) -> Result<Config> {
    if configs.len() == 1 {
        return Ok(configs.remove(0));
    }
    Err(crate::Usage(format!(
        "`{command}` works on one database, and {} are given (a fleet); give one with `--database-url`; nothing was changed",
        configs.len()
    ))
    .into())
}

/// A migrator that prints nothing (for one database of a fleet); with `reads_only`, a
/// SQLite file that is not there is not created, and reads as a database where nothing is
/// applied yet.
pub fn silent_migrator(config: &Config, filter: &Filter, reads_only: bool) -> Result<Migrator> {
    Registry::collect()?.check_filter(filter, config.modules.as_deref())?;
    let db = if reads_only && !config.database.exists() {
        Db::connect("sqlite::memory:")?
    } else {
        config.connect()?
    };
    Ok(config.configure(Migrator::new(db)?))
}

/// Checks the filter, connects and builds the migrator, which prints each migration as it
/// starts and ends.
pub fn migrator(config: &Config, filter: &Filter) -> Result<Migrator> {
    Ok(listening(config, silent_migrator(config, filter, false)?))
}

/// A migrator for a command that only reads: a SQLite file that is not there is not
/// created, and reads as a database where nothing is applied yet.
pub fn reader(config: &Config, filter: &Filter) -> Result<Migrator> {
    Ok(listening(config, silent_migrator(config, filter, true)?))
}

fn listening(config: &Config, mut migrator: Migrator) -> Migrator {
    let table = config.table.clone();
    migrator.listen(move |event| {
        match event {
            Event::Starting {
                migration,
                direction,
            } => output::starting(migration, *direction),
            Event::Migrated { step } | Event::RolledBack { step } => output::step(step),
            Event::AfterMigrate { report } | Event::AfterRollback { report } => {
                output::summary(report)
            }
            event => announce(event, &table, None),
        }
        Ok(())
    });
    migrator
}

/// For one database of a fleet, whose migrator prints no migration: what a single
/// database's command says on stderr before the work, naming the database.
pub fn announcing(config: &Config, mut migrator: Migrator) -> Migrator {
    let table = config.table.clone();
    let database = config.database.to_string();
    migrator.listen(move |event| {
        announce(event, &table, Some(&database));
        Ok(())
    });
    migrator
}

/// What a command says on stderr before the work: a wait for the lock, the out-of-order
/// note; with `database`, naming it (for one of a fleet).
fn announce(event: &Event<'_>, table: &str, database: Option<&str>) {
    match event {
        Event::LockWait { holder, timeout } => {
            output::lock_wait(table, database, *holder, *timeout)
        }
        Event::OutOfOrder { migrations } => output::out_of_order(migrations, database),
        _ => {}
    }
}
