//! The command line's shape. Doc comments here are the help text.

use clap::{Args, Parser, Subcommand};

/// Code-first schema and migrations for Rust.
#[derive(Debug, Parser)]
#[command(name = "arte", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// The database: `sqlite://file`, a file path, `postgres://…` or `mysql://…`
    /// [default: $DATABASE_URL, else the project's `database.sqlite`]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// How long to wait for another migrator's lock, in seconds
    /// [default: $ARTE_LOCK_TIMEOUT, else arte.toml's `lock_timeout`, else 60]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub lock_timeout: Option<u64>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show every migration with its state: applied, pending, changed or missing
    #[command(name = "migration:status")]
    Status(Scope),

    /// Run all pending migrations
    #[command(name = "migration:latest")]
    Latest(Scope),

    /// Run the next pending migrations (one unless --steps)
    #[command(name = "migration:up")]
    Up(Stepped),

    /// Roll back the last applied migrations, newest first (one unless --steps)
    #[command(name = "migration:down")]
    Down(Stepped),

    /// Roll back every applied migration, then run them all again
    #[command(name = "migration:fresh")]
    Fresh(Scope),

    /// Bring the migrations table back in line with the code once the database is fixed:
    /// accept changed migrations, forget missing ones, clear failed or interrupted runs
    #[command(name = "migration:repair")]
    Repair(Repair),

    /// Write a new migration file, named with the current UTC time
    #[command(name = "migration:make")]
    Make(Make),

    /// Compare every contract (#[table]) with the live database
    #[command(name = "contract:check")]
    ContractCheck,
}

/// Which migrations a command concerns; neither flag means core plus every enabled module.
#[derive(Debug, Clone, Args)]
pub struct Scope {
    /// Core migrations only (the application's own, outside any module)
    #[arg(
        short = 'r',
        long = "core",
        visible_alias = "root",
        conflicts_with = "module"
    )]
    pub core: bool,

    /// One module's migrations only
    #[arg(short, long, value_name = "NAME")]
    pub module: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct Stepped {
    #[command(flatten)]
    pub scope: Scope,

    /// How many migrations
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub steps: u32,
}

#[derive(Debug, Clone, Args)]
pub struct Make {
    /// What the migration does, in snake case: `create_table_items`
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Write it into this module's migrations directory
    #[arg(short, long, value_name = "MODULE")]
    pub module: Option<String>,

    /// Write it into this directory instead of the project's migrations directory
    #[arg(long, value_name = "DIR")]
    pub path: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct Repair {
    /// Show what would change, and change nothing
    #[arg(long)]
    pub pretend: bool,
}
