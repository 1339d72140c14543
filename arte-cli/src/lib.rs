//! # arte-cli
//!
//! The arte command line over an application's own migrations. An application gives itself
//! the CLI with a binary of its own:
//!
//! ```text
//! // src/bin/arte.rs
//! fn main() {
//!     arte_cli::main()
//! }
//! ```
//!
//! and runs `cargo run --bin arte -- migration:latest`. [`App`] sets defaults in code
//! (enabled modules, the migrations table's name, the lock timeout, the out-of-order
//! policy) that `arte.toml` and the environment override.
#![warn(missing_docs)]

mod cli;
mod commands;
mod guard;
mod launch;
mod output;
mod panics;

use anyhow::Result;
use arte_core::Settings;
use clap::Parser;
use cli::{Cli, Command};
use std::ffi::OsString;

/// A mistake in how the command was called, or a refusal before anything changed: exit
/// status 2.
#[derive(Debug)]
pub(crate) struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// `migration:status --check` found work or trouble: its own exit status, and no message.
#[derive(Debug)]
pub(crate) struct Check(pub i32);

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "migration:status --check: exit {}", self.0)
    }
}

impl std::error::Error for Check {}

/// The command line of an application, with defaults given in code.
#[derive(Debug, Clone, Default)]
pub struct App {
    settings: Settings,
}

impl App {
    /// The command line with no defaults of the application's own.
    pub fn new() -> App {
        App::default()
    }

    /// Enables only these modules (`arte.toml`'s `[modules] enabled` and `ARTE_MODULES`
    /// override it); by default every module that has migrations is enabled. A name that
    /// is not a module of the application is refused before anything runs (exit 2).
    pub fn modules<I, S>(mut self, modules: I) -> App
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings = self.settings.default_modules(modules);
        self
    }

    /// Names the migrations table (`arte.toml`'s `[migrations] table` and
    /// `ARTE_MIGRATIONS_TABLE` override it).
    pub fn migrations_table(mut self, table: impl Into<String>) -> App {
        self.settings = self.settings.default_table(table);
        self
    }

    /// Waits this long for another migrator's lock (`--lock-timeout`,
    /// `ARTE_LOCK_TIMEOUT` and `arte.toml`'s `lock_timeout` override it; default 60 s).
    pub fn lock_timeout(mut self, timeout: std::time::Duration) -> App {
        self.settings = self.settings.default_lock_timeout(timeout);
        self
    }

    /// What to do with a pending migration older than the newest applied one
    /// (`ARTE_OUT_OF_ORDER` and `arte.toml`'s `out_of_order` override it; default
    /// [`OutOfOrder::Allow`](arte_core::OutOfOrder::Allow)).
    pub fn out_of_order(mut self, policy: arte_core::OutOfOrder) -> App {
        self.settings = self.settings.default_out_of_order(policy);
        self
    }

    /// Runs each batch all or nothing, in one transaction (`--atomic`, `ARTE_ATOMIC` and
    /// `arte.toml`'s `atomic` override it; default: each migration in its own). Refused on
    /// MySQL and MariaDB, whose DDL commits by itself.
    pub fn atomic(mut self, atomic: bool) -> App {
        self.settings = self.settings.default_atomic(atomic);
        self
    }

    /// Parses the process's arguments, runs the command, and exits with its status (0
    /// success, 1 failure, 2 usage error or refusal, 3 and 4 for `migration:status
    /// --check`). A program with no migrations compiled in runs the application that
    /// `arte.toml` names, or says how to set one up.
    pub fn main(self) -> ! {
        let code = self.run_from(std::env::args_os());
        std::process::exit(code)
    }

    /// Runs the command that `args` (program name first) gives and returns the exit status.
    pub fn run_from<I, T>(&self, args: I) -> i32
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        // With `--json`, however the run ends, stdout holds one object: the command's own
        // or, when it failed before it had one, its shape with `error` set.
        let json = commands::JsonRequest::read(&args);
        let ended = match launch::hand_off(&args) {
            Some(Ok(code)) => return code,
            Some(Err(error)) => Err(error),
            None => Ok(()),
        };
        let cli = match ended.map(|()| Cli::try_parse_from(&args)) {
            Ok(Ok(cli)) => cli,
            Ok(Err(error)) => {
                let code = error.exit_code();
                let text = arte_core::DatabaseUrl::redact_any(&error.render().to_string());
                if code == 0 {
                    print!("{text}");
                    return code;
                }
                // Clap's own text stays on stderr as it is; the JSON says its first line.
                let first = text.lines().next().unwrap_or_default();
                let message = first.strip_prefix("error: ").unwrap_or(first);
                self.json_result(json.as_ref(), Some((message, code)));
                eprint!("{text}");
                return code;
            }
            Err(error) => return self.end(json.as_ref(), Err(error)),
        };
        output::init(output::Mode {
            json: json.is_some(),
            quiet: cli.quiet,
        });
        if !matches!(cli.command, Command::Init) && !launch::holds_migrations() {
            let refused = Usage(launch::not_an_application());
            return self.end(json.as_ref(), Err(refused.into()));
        }
        panics::quiet();
        let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run(cli)))
            .unwrap_or_else(|_| Err(anyhow::anyhow!(panics::last())));
        self.end(json.as_ref(), ended)
    }

    fn run(&self, cli: Cli) -> Result<()> {
        let runs = cli.command.runs().cloned();
        commands::run(&self.settings, cli.command).map_err(|error| match &runs {
            Some(run) => self.naming_origins(error, run),
            None => error,
        })
    }

    /// `error` of a command that runs migrations (`run`), on one database, with the place
    /// of the setting it refuses (see [`with_origins`]).
    fn naming_origins(&self, error: anyhow::Error, run: &cli::Run) -> anyhow::Error {
        if origins_named_error(&error).is_none() {
            return error;
        }
        // Resolved again as the command resolved them, only to tell where each was set.
        let Ok(configs) = commands::configs(&self.settings, &run.database, None) else {
            return error;
        };
        match configs.as_slice() {
            [config] => with_origins(error, config, run.atomic),
            _ => error,
        }
    }

    /// Prints how the run ended (with `--json`, its object; a failure's one line on
    /// stderr) and returns the exit status.
    fn end(&self, json: Option<&commands::JsonRequest>, ended: Result<()>) -> i32 {
        let error = match ended {
            Ok(()) => {
                self.json_result(json, None);
                return 0;
            }
            Err(error) => error,
        };
        if let Some(Check(code)) = error.downcast_ref::<Check>() {
            self.json_result(json, None);
            return *code;
        }
        let code = exit_code(&error);
        let message = arte_core::DatabaseUrl::redact_any(&error.to_string());
        self.json_result(json, Some((&message, code)));
        output::error(&message);
        code
    }

    /// With `--json`, the run's one object on stdout; `failure` is its message and exit
    /// status.
    fn json_result(&self, json: Option<&commands::JsonRequest>, failure: Option<(&str, i32)>) {
        if let Some(json) = json {
            output::json_result(failure, || json.unfinished(&self.settings));
        }
    }
}

/// `error`, where it refuses the atomic or out-of-order setting of `config` (arte-core's
/// words name `--atomic`, and the policy without its place), reworded to name where that
/// setting was written; `atomic_flag` says whether `--atomic` was given. Any other error
/// as it is.
pub(crate) fn with_origins(
    error: anyhow::Error,
    config: &arte_core::Config,
    atomic_flag: bool,
) -> anyhow::Error {
    match origins_named_error(&error)
        .and_then(|refusal| origins_named(refusal, config, atomic_flag))
    {
        // The context keeps the error below it, and with it the exit status.
        Some(message) => error.context(message),
        None => error,
    }
}

/// arte-core's refusal that [`origins_named`] may reword, when `error` is one as it is
/// (never a context said around one).
fn origins_named_error(error: &anyhow::Error) -> Option<&arte_core::Error> {
    let refusal = error.downcast_ref::<arte_core::Error>()?;
    let reworded = matches!(
        refusal,
        arte_core::Error::AtomicUnsupported { .. }
            | arte_core::Error::AtomicNoTransaction { .. }
            | arte_core::Error::History { .. }
    );
    (reworded && error.to_string() == refusal.to_string()).then_some(refusal)
}

/// The words of `error` with the place of the setting it refuses, where `config` knows
/// it and arte-core's words do not say it: `atomic` set elsewhere than `--atomic`
/// (`atomic_flag`), and the out-of-order policy `error`; `None` for any other error.
fn origins_named(
    error: &arte_core::Error,
    config: &arte_core::Config,
    atomic_flag: bool,
) -> Option<String> {
    match error {
        arte_core::Error::AtomicUnsupported { backend } if !atomic_flag => {
            let origin = config.atomic_origin.as_ref()?;
            Some(format!(
                "{origin} asks for each batch in one transaction, which cannot run on {backend}: its schema statements commit by themselves, so a batch cannot be taken back as a whole; set it to `false` (each migration is then journaled and recorded as it goes)"
            ))
        }
        arte_core::Error::AtomicNoTransaction { module, name } if !atomic_flag => {
            let origin = config.atomic_origin.as_ref()?;
            Some(format!(
                "{origin} runs the whole batch in one transaction, but migration `{name}` of {module} is marked `no_transaction` and must run outside one; set it to `false`, or run the migrations before it first (`migration:up --steps N`); nothing was changed"
            ))
        }
        arte_core::Error::History { problems } => {
            let origin = config.out_of_order_origin.as_ref()?;
            let mut message = error.to_string();
            let mut named = false;
            for problem in problems {
                if let arte_core::HistoryProblem::OutOfOrder {
                    module,
                    name,
                    newest,
                } = problem
                {
                    message = message.replace(
                        &problem.to_string(),
                        &format!(
                            "migration `{name}` of {module} is pending but older than `{newest}`, the newest applied of {module}, and {origin} sets the out-of-order policy to `error`; set it to `allow` to run it"
                        ),
                    );
                    named = true;
                }
            }
            named.then_some(message)
        }
        _ => None,
    }
}

/// 2 for a usage error or a refusal before anything changed; 1 for every other failure.
pub(crate) fn exit_code(error: &anyhow::Error) -> i32 {
    let usage = error.downcast_ref::<Usage>().is_some()
        || matches!(
            error.downcast_ref::<arte_core::Error>(),
            Some(
                arte_core::Error::UnknownModule { .. }
                    | arte_core::Error::DisabledModule { .. }
                    | arte_core::Error::InvalidMigrationsTable { .. }
                    | arte_core::Error::Config(_)
                    | arte_core::Error::AtomicUnsupported { .. }
                    | arte_core::Error::AtomicNoTransaction { .. }
            )
        );
    if usage { 2 } else { 1 }
}

/// The arte command line over this program's migrations, with default settings; exits.
/// See [`App::main`].
pub fn main() -> ! {
    App::new().main()
}
