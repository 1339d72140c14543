//! Typed errors of arte. Each message is one sentence that names the thing at fault and
//! says what to do.

use std::fmt;

/// Where a migration is defined in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The source file, as the compiler names it.
    pub file: &'static str,
    /// The line of the `#[migration]` attribute.
    pub line: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Shorthand for results whose error is arte's [`Error`].
pub type Result<T = (), E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in arte.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two migrations of one module share a name.
    #[error(
        "migration `{name}` of {module} is defined twice, at {first} and at {second}; rename one of them"
    )]
    DuplicateMigration {
        /// `core` or the module's name.
        module: String,
        /// The shared name.
        name: String,
        /// The first definition.
        first: Location,
        /// The second definition.
        second: Location,
    },

    /// A migration's `up` or `down` failed and is not recorded. On SQLite and PostgreSQL
    /// its own changes were undone; on MySQL, `took_effect` lists what could not be.
    #[error(
        "migration `{name}` of {module} failed while {}: {source}{}",
        direction.gerund(),
        took_effect_note(took_effect)
    )]
    MigrationFailed {
        /// `core` or the module's name.
        module: String,
        /// The migration that failed.
        name: String,
        /// Which way it was going.
        direction: crate::Direction,
        /// Why it failed.
        #[source]
        source: Box<Error>,
        /// Statements of the migration that had taken effect and were not undone (MySQL,
        /// where DDL commits by itself, and migrations run outside a transaction).
        took_effect: Vec<String>,
    },

    /// On SQLite, a migration or rebuild left rows whose foreign keys point nowhere.
    #[error(
        "rows would be left pointing at nothing: {}; delete or fix them in the same migration",
        rows.join(", ")
    )]
    ForeignKeyViolations {
        /// Each offending row, as `table row N -> parent`.
        rows: Vec<String>,
    },

    /// Another migrator held the migrations table's lock for longer than this one waits.
    #[error(
        "another migrator{} held the lock on the `{table}` migrations table for all of the {seconds} s this one waits (the lock timeout); wait for it to finish, or raise the lock timeout (`--lock-timeout`, `ARTE_LOCK_TIMEOUT`, `[migrations] lock_timeout` or `App::lock_timeout`), then run again",
        holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    LockTimeout {
        /// The migrations table.
        table: String,
        /// How long this one waited.
        seconds: u64,
        /// Who holds the lock, where the database can tell.
        holder: Option<String>,
    },

    /// A MariaDB Galera Cluster lock's lease ran out while this migrator held it: its
    /// heartbeat could not renew it in time, so another migrator may have taken the lock.
    #[error(
        "the lock on the `{table}` migrations table was lost while this migrator held it (its lease of {lease_seconds} s ran out before the heartbeat could renew it, the cluster or the network having stalled), so another migrator may have run at the same time; check `migration:status` on the cluster before running again"
    )]
    LockLost {
        /// The migrations table.
        table: String,
        /// How long a lease lasts without renewal.
        lease_seconds: u64,
    },

    /// A command that writes was given a read-only standby (a PostgreSQL server in
    /// recovery), where it could not change anything.
    #[error(
        "the database `{database}` at {server} is a read-only standby (it is recovering from its primary), so nothing was changed; run migrations on the primary, whose changes reach the standby by replication (`migration:status` works on either)"
    )]
    ReadOnlyStandby {
        /// The database's name.
        database: String,
        /// The server, as `host:port` (or `a local socket`).
        server: String,
    },

    /// On SQLite, another connection's write transaction kept the database file locked.
    #[error(
        "the SQLite database is locked by another connection's write transaction, which did not end within {seconds} s; finish or close that transaction, or raise `--lock-timeout`, then run again"
    )]
    Busy {
        /// How long this one waited.
        seconds: u64,
    },

    /// A pretended run gave up waiting for a lock another connection holds on what its
    /// migrations touch.
    #[error(
        "`--pretend` gave up after {seconds} s waiting for a lock another connection holds on what the migrations touch (a migration running in another process, or an open transaction); run it again once that ends, or raise `--lock-timeout`"
    )]
    PretendWaited {
        /// How long it waited.
        seconds: u64,
    },

    /// A migration's `up` or `down` panicked. Its transaction was rolled back where the
    /// database allows; where it does not, its row says what took effect.
    #[error(
        "migration `{name}` of {module} panicked{}: {message}",
        if *direction == crate::Direction::Down { " while rolling back" } else { "" }
    )]
    Panicked {
        /// `core` or the module's name.
        module: String,
        /// The migration that panicked.
        name: String,
        /// Which way it was going.
        direction: crate::Direction,
        /// The panic's message.
        message: String,
    },

    /// The migrations table disagrees with the code: nothing was run.
    #[error(
        "the migrations table disagrees with the code, so nothing was run: {}",
        problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    History {
        /// Each disagreement, in name order.
        problems: Vec<crate::HistoryProblem>,
    },

    /// A row of the migrations table holds a value arte cannot read.
    #[error(
        "row {id} of the migrations table `{table}` (migration `{name}` of {module}) has an unreadable {column}, `{value}`; correct or delete that row"
    )]
    UnreadableRow {
        /// The migrations table.
        table: String,
        /// The row's id.
        id: i64,
        /// The row's module.
        module: String,
        /// The row's migration.
        name: String,
        /// The column that cannot be read.
        column: &'static str,
        /// What it holds.
        value: String,
    },

    /// A name that cannot be the migrations table's.
    #[error(
        "`{name}` cannot name the migrations table; {}",
        arte_vocab::identifier::IDENTIFIER_RULE
    )]
    InvalidMigrationsTable {
        /// The name given.
        name: String,
    },

    /// A rollback reached a migration that has no `down`.
    #[error(
        "migration `{name}` of {module} is irreversible, so it cannot be rolled back; nothing was changed"
    )]
    Irreversible {
        /// `core` or the module's name.
        module: String,
        /// The irreversible migration.
        name: String,
    },

    /// A rollback reached a squash on a database that ran the migrations it replaces one
    /// by one, but not all of those with it: the squash's `down` would drop what the ones
    /// staying built.
    #[error(
        "rolling back the squash `{name}` of {module} runs its `down`, which drops what every migration it replaces built, but {} of them would stay applied; roll them back in the same operation (a `--steps` or `--batch` that reaches them, or `migration:reset`); nothing was changed",
        staying.join(", ")
    )]
    SquashRolledBackInPart {
        /// `core` or the module's name.
        module: String,
        /// The squash (the name it is recorded under).
        name: String,
        /// The replaced migrations that would stay applied, as `` `name` ``.
        staying: Vec<String>,
    },

    /// A rollback reached an applied migration whose code is not in this build.
    #[error(
        "migration `{name}` of {module} is applied but its code is not in this build, so it cannot be rolled back; restore its file (nothing was changed)"
    )]
    MissingMigration {
        /// `core` or the module's name.
        module: String,
        /// The migration without code.
        name: String,
    },

    /// A filter named a module that no migration belongs to.
    #[error("unknown module `{module}`; the known modules are: {}", list(known))]
    UnknownModule {
        /// The name given.
        module: String,
        /// The modules that have migrations.
        known: Vec<String>,
    },

    /// A filter named a module that has migrations but is not enabled.
    #[error(
        "module `{module}` is not enabled; the enabled modules are: {}",
        list(enabled)
    )]
    DisabledModule {
        /// The name given.
        module: String,
        /// The modules that are enabled.
        enabled: Vec<String>,
    },

    /// The database URL is not one arte understands.
    #[error("the database URL `{url}` is not supported: {reason}")]
    InvalidUrl {
        /// The URL with any password hidden.
        url: String,
        /// What is wrong and what to write instead.
        reason: String,
    },

    /// The URL names a backend this build was compiled without.
    #[error(
        "the database URL `{url}` is for {backend}, which this build does not include; enable the `{feature}` feature of arte-core (or of arte-cli, which passes it on) and build again"
    )]
    BackendNotEnabled {
        /// The URL with any password hidden.
        url: String,
        /// The database's name.
        backend: &'static str,
        /// The cargo feature that brings it in.
        feature: &'static str,
    },

    /// The database could not be reached or opened.
    #[error("cannot connect to `{url}`: {message}")]
    Connection {
        /// The URL with any password hidden.
        url: String,
        /// The database's own words, with any password hidden, and what to do.
        message: String,
    },

    /// A statement of the schema builder was refused before any SQL ran.
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),

    /// A migration could not be written from the contracts, or the migrations could not be
    /// compared with them.
    #[error(transparent)]
    Contract(#[from] crate::contract::ContractError),

    /// A statement failed in the database.
    #[error("{source}; the statement was: {statement}")]
    Statement {
        /// The SQL that failed.
        statement: String,
        /// The database's error.
        #[source]
        source: diesel::result::Error,
    },

    /// An error from diesel outside a single statement.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),

    /// A listener of a `before` event stopped the operation.
    #[error("the `{event}` listener stopped the operation before anything changed: {source}")]
    Listener {
        /// The event's name.
        event: &'static str,
        /// The listener's error.
        #[source]
        source: Box<Error>,
    },

    /// A listener of a `migrated` or `after` event failed; the work it followed stands.
    #[error(
        "the `{event}` listener failed after the work was done (the migrations stay as they ran): {source}"
    )]
    ListenerAfter {
        /// The event's name.
        event: &'static str,
        /// The listener's error.
        #[source]
        source: Box<Error>,
    },

    /// Pretending where DDL commits by itself, a migration sent a query of its own
    /// through `db.connection()` that could not run, the schema builder's statements
    /// before it having only been listed.
    #[error(
        "migration `{name}` of {module} sends queries of its own through `db.connection()`, which `--pretend` cannot run on {backend} (there its statements are only listed, not run: the database could not take them back); the query failed with: {source}"
    )]
    PretendCannotRun {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
        /// The database's name.
        backend: &'static str,
        /// The query's error.
        #[source]
        source: Box<Error>,
    },

    /// `--atomic` was asked of a database whose DDL commits by itself.
    #[error(
        "`--atomic` cannot run on {backend}: its schema statements commit by themselves, so a batch cannot be taken back as a whole; run without `--atomic` (each migration is then journaled and recorded as it goes)"
    )]
    AtomicUnsupported {
        /// The database's name.
        backend: &'static str,
    },

    /// `--atomic` was asked of a batch with a migration that must run outside a
    /// transaction.
    #[error(
        "`--atomic` runs the whole batch in one transaction, but migration `{name}` of {module} is marked `no_transaction` and must run outside one; run without `--atomic`, or run the migrations before it first (`migration:up --steps N`); nothing was changed"
    )]
    AtomicNoTransaction {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
    },

    /// A migration of an `--atomic` batch failed, and the batch was rolled back whole.
    #[error(
        "{source}; the batch ran with `--atomic`, so all of it was rolled back: none of its {planned} migrations is applied"
    )]
    AtomicBatchFailed {
        /// The migration's error.
        #[source]
        source: Box<Error>,
        /// How many migrations the batch had.
        planned: usize,
    },

    /// A schema statement failed part-way inside a migration whose code carried on.
    #[error(
        "{error}; the statement had partly taken effect and the migration carried on past its error, so the whole migration was rolled back"
    )]
    HalfDoneStatement {
        /// The statement's error, as it was returned to the migration.
        error: String,
    },

    /// A setting (the environment, a `.env` file, `arte.toml`) that cannot be used.
    #[error("{0}")]
    Config(String),

    /// An error raised by application code.
    #[error("{0}")]
    Custom(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl Error {
    /// An error with the given message, for migrations and listeners.
    pub fn msg(message: impl fmt::Display) -> Self {
        Error::Custom(message.to_string().into())
    }

    /// Wraps any error of the application's.
    pub fn custom(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Custom(Box::new(error))
    }
}

fn took_effect_note(statements: &[String]) -> String {
    if statements.is_empty() {
        String::new()
    } else {
        format!(
            ". These statements of the migration had taken effect and could not be undone (they were committed as they ran): {}. Undo them by hand, then run `migration:repair`",
            statements.join("; ")
        )
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}
