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
//! (enabled modules, the migrations table's name) that `arte.toml` and the environment
//! override.
#![warn(missing_docs)]

mod cli;
mod commands;
mod config;
mod launch;
mod output;
mod panics;

use anyhow::Result;
use clap::Parser;
use cli::{Cli, Command};
use config::Defaults;
use std::ffi::OsString;

/// A mistake in how the command was called: exit status 2.
#[derive(Debug)]
pub(crate) struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The command line of an application, with defaults given in code.
#[derive(Debug, Clone, Default)]
pub struct App {
    defaults: Defaults,
}

impl App {
    /// The command line with no defaults of the application's own.
    pub fn new() -> App {
        App::default()
    }

    /// Enables only these modules (`arte.toml`'s `[modules] enabled` and `ARTE_MODULES`
    /// override it); by default every module that has migrations is enabled.
    pub fn modules<I, S>(mut self, modules: I) -> App
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.defaults.modules = Some(modules.into_iter().map(Into::into).collect());
        self
    }

    /// Names the migrations table (`arte.toml`'s `[migrations] table` and
    /// `ARTE_MIGRATIONS_TABLE` override it).
    pub fn migrations_table(mut self, table: impl Into<String>) -> App {
        self.defaults.table = Some(table.into());
        self
    }

    /// Waits this long for another migrator's lock (`--lock-timeout`,
    /// `ARTE_LOCK_TIMEOUT` and `arte.toml`'s `lock_timeout` override it; default 60 s).
    pub fn lock_timeout(mut self, timeout: std::time::Duration) -> App {
        self.defaults.lock_timeout = Some(timeout);
        self
    }

    /// What to do with a pending migration older than the newest applied one
    /// (`ARTE_OUT_OF_ORDER` and `arte.toml`'s `out_of_order` override it; default
    /// [`OutOfOrder::Allow`](arte_core::OutOfOrder::Allow)).
    pub fn out_of_order(mut self, policy: arte_core::OutOfOrder) -> App {
        self.defaults.out_of_order = Some(policy);
        self
    }

    /// Parses the process's arguments, runs the command, and exits: 0 on success, 1 on
    /// failure, 2 on a usage error. A program with no migrations compiled in, in a project
    /// whose `arte.toml` names the application, runs the application's binary instead.
    pub fn main(self) -> ! {
        if let Some(code) = launch::hand_off() {
            std::process::exit(code)
        }
        let code = self.run_from(std::env::args_os());
        std::process::exit(code)
    }

    /// Runs the command that `args` (program name first) gives and returns the exit status.
    pub fn run_from<I, T>(&self, args: I) -> i32
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        let cli = match Cli::try_parse_from(args) {
            Ok(cli) => cli,
            Err(error) => {
                let code = error.exit_code();
                let text = arte_core::DatabaseUrl::redact_any(&error.render().to_string());
                if code == 0 {
                    print!("{text}");
                } else {
                    eprint!("{text}");
                }
                return code;
            }
        };
        panics::quiet();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run(cli))) {
            Ok(Ok(())) => 0,
            Ok(Err(error)) => {
                output::error(&arte_core::DatabaseUrl::redact_any(&error.to_string()));
                exit_code(&error)
            }
            Err(_) => {
                output::error(&arte_core::DatabaseUrl::redact_any(&panics::last()));
                1
            }
        }
    }

    fn run(&self, cli: Cli) -> Result<()> {
        let database = || {
            config::resolve(
                cli.database_url.as_deref(),
                cli.lock_timeout,
                &self.defaults,
            )
        };
        match &cli.command {
            Command::Make(args) => commands::make::run(config::layout()?, args),
            Command::Status(scope) => commands::status::run(&database()?, scope),
            Command::Latest(scope) => commands::latest::run(&database()?, scope),
            Command::Up(args) => commands::up::run(&database()?, args),
            Command::Down(args) => commands::down::run(&database()?, args),
            Command::Fresh(scope) => commands::fresh::run(&database()?, scope),
            Command::Repair(args) => commands::repair::run(&database()?, args),
            Command::ContractCheck => commands::contract_check::run(&database()?),
        }
    }
}

fn exit_code(error: &anyhow::Error) -> i32 {
    let usage = error.downcast_ref::<Usage>().is_some()
        || matches!(
            error.downcast_ref::<arte_core::Error>(),
            Some(arte_core::Error::UnknownModule { .. } | arte_core::Error::DisabledModule { .. })
        );
    if usage { 2 } else { 1 }
}

/// The arte command line over this program's migrations, with default settings; exits.
/// See [`App::main`].
pub fn main() -> ! {
    App::new().main()
}
