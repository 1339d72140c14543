//! The command line's shape. Doc comments here are the help text.

use clap::{Args, Parser, Subcommand};

const ENVIRONMENT: &str = "\
Environment:
  DATABASE_URL           the database, when --database-url is not given (a .env file counts)
  ARTE_MODULES           the enabled modules, comma-separated (default: every module)
  ARTE_MIGRATIONS_TABLE  the migrations table's name (default: migrations)
  ARTE_LOCK_TIMEOUT      seconds to wait for another migrator's lock (default: 60)
  ARTE_OUT_OF_ORDER      `allow` or `error`: a pending migration older than the newest applied
  ARTE_ATOMIC            `true`: each batch in one transaction, as --atomic (default: false)
  ARTE_ENV, APP_ENV      `production` makes commands that can lose data ask first (or --force)
  NO_COLOR               set: no colours, even on a terminal";

const EXIT_CODES: &str = "\
Exit codes:
  0  success (for `migration:status --check`: nothing pending, changed, missing, failed,
     interrupted, blocked or running)
  1  failure: a migration failed, the history was refused, an irreversible migration (or
     one whose code is gone) was to be rolled back, the database URL could not be used or
     the database reached, the lock was not free in time, `contract:check` found
     differences; for a fleet, any database failed
  2  usage error (an unknown option or module, a bad name), or refused before anything
     changed (production without confirmation, a bad setting, `--atomic` where it cannot
     run)
  3  `migration:status --check`: migrations are pending
  4  `migration:status --check`: migrations are changed, missing, failed, interrupted,
     blocked or running";

/// Code-first schema and migrations for Rust: apply, roll back and inspect the migrations
/// compiled into this program.
#[derive(Debug, Parser)]
#[command(
    name = "arte",
    version,
    propagate_version = true,
    after_help = format!("Examples:\n  arte migration:status\n  arte migration:latest --pretend\n  arte migration:make create_table_items\n\n{ENVIRONMENT}\n\n{EXIT_CODES}"),
)]
pub(crate) struct Cli {
    /// Print nothing but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show every migration with its state: applied, pending, changed, missing, failed
    #[command(
        name = "migration:status",
        after_help = format!("Examples:\n  arte migration:status\n  arte migration:status -m blog --json\n  arte migration:status --check   # in CI: exit 3 when a deploy would migrate\n\n{EXIT_CODES}")
    )]
    Status(Status),

    /// Run every pending migration, in name order, as one batch
    #[command(
        name = "migration:latest",
        after_help = format!("Examples:\n  arte migration:latest\n  arte migration:latest --core --pretend\n  arte migration:latest --json\n\n{EXIT_CODES}")
    )]
    Latest(Run),

    /// Run the next pending migrations (one unless --steps)
    #[command(
        name = "migration:up",
        after_help = format!("Examples:\n  arte migration:up\n  arte migration:up -m blog --steps 2\n\n{EXIT_CODES}")
    )]
    Up(Stepped),

    /// Roll back the last applied migrations, newest first (one unless --steps)
    #[command(
        name = "migration:down",
        after_help = format!("Examples:\n  arte migration:down\n  arte migration:down --steps 3 --pretend\n\n{EXIT_CODES}")
    )]
    Down(Destructive<Stepped>),

    /// Roll back the last batch (or batch N, or the last N migrations)
    #[command(
        name = "migration:rollback",
        after_help = format!("Examples:\n  arte migration:rollback\n  arte migration:rollback --batch 3\n  arte migration:rollback --steps 2 --force\n\n{EXIT_CODES}")
    )]
    Rollback(Destructive<Rollback>),

    /// Roll back every applied migration
    #[command(
        name = "migration:reset",
        after_help = format!("Examples:\n  arte migration:reset --pretend\n  arte migration:reset -m blog\n\n{EXIT_CODES}")
    )]
    Reset(Destructive<Run>),

    /// Roll back every applied migration, then run them all again
    #[command(
        name = "migration:fresh",
        after_help = format!("Examples:\n  arte migration:fresh\n  arte migration:fresh --core --pretend\n\n{EXIT_CODES}")
    )]
    Fresh(Destructive<Run>),

    /// Bring the migrations table in line with the code once the database is fixed:
    /// accept changed migrations, forget missing ones, clear failed or interrupted runs
    #[command(
        name = "migration:repair",
        after_help = format!("Examples:\n  arte migration:repair --pretend\n  arte migration:repair\n\n{EXIT_CODES}")
    )]
    Repair(Destructive<Repair>),

    /// Write a new migration file, named with the current UTC time
    #[command(
        name = "migration:make",
        after_help = "Examples:\n  arte migration:make create_table_items\n  arte migration:make -m blog create_table_posts\n  arte migration:make add_sku_to_items --path db/migrations\n  arte migration:make add_sku_to_items --from-contracts\n  arte migration:make rename_items --from-contracts --rename items=products\n\nExit codes:\n  0  the file was written\n  1  it could not be written\n  2  usage error (a bad name or module); nothing was written"
    )]
    Make(Make),

    /// Replace the history up to a migration with one migration that builds the same
    /// schema
    #[command(
        name = "migration:squash",
        after_help = format!("Examples:\n  arte migration:squash 2026_03_01_00_00_create_table_orders\n  arte migration:squash -m blog 2026_02_01_00_00_create_table_blog_posts --prune\n\n{EXIT_CODES}")
    )]
    Squash(Squash),

    /// Compare every contract (#[table]) with the database
    #[command(
        name = "contract:check",
        after_help = format!("Examples:\n  arte contract:check\n  arte contract:check --database-url postgres://app@db/app\n  arte contract:check --migrations\n\n{EXIT_CODES}")
    )]
    ContractCheck(ContractCheck),

    /// Set arte up in the current crate: arte.toml, build.rs, src/bin/arte.rs,
    /// server/migrations/, and the database file in .gitignore
    #[command(
        name = "init",
        after_help = "Examples:\n  cargo new shop && cd shop && arte init\n\nExit codes:\n  0  the files were written\n  1  they could not be written\n  2  this is not a crate, or arte is set up here already"
    )]
    Init,
}

impl Command {
    /// The arguments of a command that runs migrations.
    pub fn runs(&self) -> Option<&Run> {
        match self {
            Command::Latest(run) | Command::Reset(Destructive { args: run, .. }) => Some(run),
            Command::Fresh(Destructive { args: run, .. }) => Some(run),
            Command::Up(stepped) | Command::Down(Destructive { args: stepped, .. }) => {
                Some(&stepped.run)
            }
            Command::Rollback(Destructive { args, .. }) => Some(&args.run),
            _ => None,
        }
    }
}

/// The database a command works on.
#[derive(Debug, Clone, Args)]
pub(crate) struct Database {
    /// The database: `sqlite://file`, a file path, `postgres://…` or `mysql://…`; given
    /// several times, a fleet: the command runs on each [default: $DATABASE_URL, else
    /// arte.toml's [database] url or its fleet, else the project's `database.sqlite`]
    #[arg(long, value_name = "URL")]
    pub database_url: Vec<String>,

    /// With a fleet, how many databases are worked on at once
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub jobs: u32,
}

/// The one database of a command that works on one.
#[derive(Debug, Clone, Args)]
pub(crate) struct OneDatabase {
    /// The database: `sqlite://file`, a file path, `postgres://…` or `mysql://…`
    /// [default: $DATABASE_URL, else arte.toml's [database] url, else the project's
    /// `database.sqlite`]
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

/// How long a command that writes waits for another migrator.
#[derive(Debug, Clone, Args)]
pub(crate) struct Lock {
    /// Seconds to wait for another migrator's lock [default: $ARTE_LOCK_TIMEOUT, else
    /// arte.toml's `lock_timeout`, else 60]
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub lock_timeout: Option<u64>,
}

/// Which migrations a command concerns; neither flag means core plus every enabled module.
#[derive(Debug, Clone, Args)]
pub(crate) struct Scope {
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
pub(crate) struct Status {
    #[command(flatten)]
    pub scope: Scope,

    #[command(flatten)]
    pub database: Database,

    /// Print JSON (one object; its schema is in the README)
    #[arg(long)]
    pub json: bool,

    /// Exit 0 only when nothing is pending, changed, missing, failed, interrupted or
    /// running (3: pending; 4: changed, missing, failed, interrupted, or running in
    /// another process now)
    #[arg(long)]
    pub check: bool,
}

/// A command that runs migrations.
#[derive(Debug, Clone, Args)]
pub(crate) struct Run {
    #[command(flatten)]
    pub scope: Scope,

    #[command(flatten)]
    pub database: Database,

    #[command(flatten)]
    pub lock: Lock,

    /// Show the SQL each migration would run, and change nothing
    #[arg(long)]
    pub pretend: bool,

    /// Run the whole batch in one transaction: all of it or nothing (SQLite, PostgreSQL)
    #[arg(long)]
    pub atomic: bool,

    /// Print JSON (one object; its schema is in the README)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Stepped {
    #[command(flatten)]
    pub run: Run,

    /// How many migrations
    #[arg(long, default_value_t = 1, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub steps: u32,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Rollback {
    #[command(flatten)]
    pub run: Run,

    /// Roll back this batch instead of the last one
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        conflicts_with = "steps"
    )]
    pub batch: Option<i32>,

    /// Roll back the last N migrations instead of the last batch
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub steps: Option<u32>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Repair {
    #[command(flatten)]
    pub database: Database,

    #[command(flatten)]
    pub lock: Lock,

    /// Show what would change, and change nothing
    #[arg(long)]
    pub pretend: bool,

    /// Print JSON (one object; its schema is in the README)
    #[arg(long)]
    pub json: bool,
}

/// A command that can lose data: in production it asks first, unless `--force`.
#[derive(Debug, Clone, Args)]
pub(crate) struct Destructive<T: Args> {
    #[command(flatten)]
    pub args: T,

    /// Go on without asking, even in production (ARTE_ENV or APP_ENV = production)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ContractCheck {
    #[command(flatten)]
    pub database: Database,

    /// Run every migration on a scratch database and compare the schema they build with
    /// the contracts, instead of the configured database
    #[arg(long)]
    pub migrations: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Make {
    /// What the migration does, in snake case: `create_table_items`
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Write it into this module's migrations directory
    #[arg(short, long, value_name = "MODULE")]
    pub module: Option<String>,

    /// Write it into this directory instead of the project's migrations directory
    #[arg(long, value_name = "DIR")]
    pub path: Option<std::path::PathBuf>,

    /// Write the steps from the schema the migrations build to the one the contracts
    /// declare (run and checked on a scratch database first)
    #[arg(long)]
    pub from_contracts: bool,

    /// With --from-contracts: a rename, not a drop and an add: `old_table=new_table` or
    /// `table.old=table.new` (repeatable)
    #[arg(long, value_name = "OLD=NEW", requires = "from_contracts")]
    pub rename: Vec<String>,

    /// With --from-contracts: the database whose server holds the scratch database the
    /// migrations run on [default: as every command's]
    #[arg(long, value_name = "URL", requires = "from_contracts")]
    pub database_url: Option<String>,
}

/// `migration:squash`.
#[derive(Debug, Clone, Args)]
pub(crate) struct Squash {
    /// The last migration the new one replaces
    #[arg(value_name = "UPTO")]
    pub upto: String,

    /// Squash this module's migrations instead of core's
    #[arg(short, long, value_name = "MODULE")]
    pub module: Option<String>,

    /// Delete the files of the migrations it replaces
    #[arg(long)]
    pub prune: bool,

    #[command(flatten)]
    pub database: OneDatabase,
}
