//! The Migrator service: applies and rolls back migrations, and tells what it did.
//!
//! Every operation that writes holds the database's migrator lock from start to end
//! (`lock.rs`), reads the migrations table once (`repository.rs`), compares it with the
//! code (`history.rs`), plans, and runs the plan (`runner.rs`). `list` reads only.

mod events;
mod history;
mod ledger;
mod lock;
mod repair;
mod repository;
mod runner;

pub use events::{Event, Listener, ListenerRegistration};
pub use history::{HistoryProblem, OutOfOrder};
pub use repair::{RepairAction, RepairReport};

use crate::db::Db;
use crate::error::{Error, Location, Result};
use crate::registry::{CORE, Filter, Migration, Registry, Scope};
use chrono::{DateTime, Utc};
use repository::{Access, Repository, Row, RowState};
use runner::PlanStep;
use std::time::Duration;

/// The default name of the migrations table.
pub const DEFAULT_TABLE: &str = "migrations";

/// How long an operation waits for another migrator's lock unless told otherwise.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// Which way a migration runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `up`.
    Up,
    /// `down`.
    Down,
}

impl Direction {
    pub(crate) fn gerund(self) -> &'static str {
        match self {
            Direction::Up => "migrating",
            Direction::Down => "rolling back",
        }
    }
}

/// A migration an operation is about to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// `core` or the module's name.
    pub module: String,
    /// The migration's name.
    pub name: String,
}

impl Planned {
    fn of(migration: &Migration) -> Planned {
        Planned {
            module: migration.module_label().to_owned(),
            name: migration.name.to_owned(),
        }
    }
}

/// One migration that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `core` or the module's name.
    pub module: String,
    /// The migration's name.
    pub name: String,
    /// Which way it ran.
    pub direction: Direction,
    /// The batch it was applied in (for `Up`) or had been applied in (for `Down`).
    pub batch: i32,
    /// How long its function and its row took.
    pub duration: Duration,
    /// In a pretended run, every statement the migration would run, in order: the schema
    /// builder's, raw SQL, and queries its own code sends through `db.connection()`.
    /// Empty in a real run.
    pub sql: Vec<String>,
    /// In a pretended run, whether the database itself ran the statements (in a
    /// transaction rolled back after), or they could only be listed: where DDL commits by
    /// itself (MySQL), and for a `no_transaction` migration. Always `true` in a real run.
    pub checked: bool,
    /// For a migration a squash replaced, rolled back: the squash. Nothing ran: its row
    /// was only forgotten, and what it built stays (the squash's own `down` drops it).
    pub replaced_by: Option<String>,
}

/// What one operation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Which way the operation ran.
    pub direction: Direction,
    /// The migrations that ran, in the order they ran.
    pub steps: Vec<Step>,
    /// The whole operation's time.
    pub elapsed: Duration,
}

impl Report {
    fn empty(direction: Direction) -> Report {
        Report {
            direction,
            steps: Vec::new(),
            elapsed: Duration::ZERO,
        }
    }
}

/// What `fresh` did: everything rolled back, then run again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreshReport {
    /// The rollback.
    pub rolled_back: Report,
    /// The run that followed.
    pub migrated: Report,
}

/// A migration's state against the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// In code, not applied.
    Pending,
    /// Applied, and its source is as it was then.
    Applied,
    /// Applied, but its source has changed since.
    Changed,
    /// Applied, but no longer in this program.
    Missing,
    /// Failed after some of its statements had taken effect; see
    /// [`MigrationStatus::incomplete`].
    Failed,
    /// Began and did not end, and no migrator is running now: its process stopped
    /// mid-way. See [`MigrationStatus::incomplete`].
    Interrupted,
    /// Running in another process right now.
    Running,
    /// A squash this database cannot run: it ran some of the migrations the squash
    /// replaces, not all of them (those it ran are listed, applied). Running the others with
    /// a release from before the squash makes it applied.
    Blocked,
}

/// When and how a migration was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// The batch it ran in.
    pub batch: i32,
    /// When it ran.
    pub executed_at: DateTime<Utc>,
    /// How long it took.
    pub duration: Duration,
}

/// What a failed or interrupted migration left, from its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// Which way it was going.
    pub direction: Direction,
    /// The statements that took effect.
    pub statements: Vec<String>,
    /// The statement that was running when its process stopped, which may or may not have
    /// taken effect.
    pub pending: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// One line of `list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// `core` or the module's name.
    pub module: String,
    /// The migration's name.
    pub name: String,
    /// Its state.
    pub state: State,
    /// When it was applied (or began), unless pending.
    pub applied: Option<Applied>,
    /// Where it is defined, unless missing.
    pub location: Option<Location>,
    /// For a failed, interrupted or running migration: what took effect.
    pub incomplete: Option<Incomplete>,
}

/// Applies and rolls back the migrations of a program on one database.
pub struct Migrator {
    db: Db,
    registry: Registry,
    repository: Repository,
    enabled: Option<Vec<String>>,
    listeners: Vec<Listener>,
    /// The application's listeners (`listener!()`) hear this migrator: not those of a
    /// scratch database that arte migrates for its own checks.
    application_listeners: bool,
    lock_timeout: Duration,
    out_of_order: OutOfOrder,
    pretend: bool,
    atomic: bool,
    /// Foreign keys were turned off for the operation that is running (SQLite).
    foreign_keys_off: bool,
    /// Foreign keys were on before the last operation, which left them off for the next
    /// (SQLite: turning them off and on again expires every statement the connection keeps
    /// compiled). Owed back: they are turned on before the connection is used outside the
    /// operations ([`Migrator::connection_used`]).
    foreign_keys_owed: bool,
    /// How long the connection waits for another's write transaction, as the last
    /// operation set it (SQLite), while nothing else has run on the connection since.
    writers_wait: Option<Duration>,
    /// The connection's change counters as the next migration starts, while foreign keys
    /// are off (see `runner.rs`).
    marks: Option<(i64, i64)>,
    /// The stamp the running operation read as it began, under the lock, when it was the
    /// one kept (nothing was written since): with the counters as the operation ends, it
    /// tells the stamp to keep (`ledger.rs`).
    stamp_at_start: Option<[i64; 3]>,
    /// The counters that stamp held, for the first migration to start from (taken by it).
    marks_at_start: Option<(i64, i64)>,
    /// The counters as the running operation's last migration left them, where they were
    /// followed.
    marks_at_end: Option<(i64, i64)>,
    /// The migrations table as the last operation left it (`ledger.rs`).
    ledger: Option<ledger::Ledger>,
    /// What the running operation changed in the table; `None` when it is not followed.
    changes: Option<Vec<ledger::Change>>,
    /// Every row the running operation works on has passed the history check.
    verified: bool,
    /// What a pretended operation that failed listed before the migration that failed:
    /// a report per direction (`fresh`: its rollback, then its migrations).
    pretended_before_failure: Vec<Report>,
}

impl Migrator {
    /// A migrator over every migration registered in this program; refuses duplicates.
    pub fn new(db: Db) -> Result<Migrator> {
        Ok(Migrator::with_registry(db, Registry::collect()?))
    }

    /// Connects to `url` and collects this program's migrations.
    pub fn connect(url: &str) -> Result<Migrator> {
        Migrator::new(Db::connect(url)?)
    }

    /// A migrator over the given migrations only.
    pub fn with_registry(db: Db, registry: Registry) -> Migrator {
        Migrator {
            db,
            registry,
            repository: Repository::new(DEFAULT_TABLE),
            enabled: None,
            listeners: Vec::new(),
            application_listeners: true,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            out_of_order: OutOfOrder::default(),
            pretend: false,
            atomic: false,
            foreign_keys_off: false,
            foreign_keys_owed: false,
            writers_wait: None,
            marks: None,
            stamp_at_start: None,
            marks_at_start: None,
            marks_at_end: None,
            ledger: None,
            changes: None,
            verified: false,
            pretended_before_failure: Vec::new(),
        }
    }

    /// Keeps the migrations table under another name (default `migrations`). A name that
    /// is not a plain identifier of at most 63 characters is refused by the first
    /// operation, before it touches the database.
    pub fn table_name(mut self, table: impl Into<String>) -> Self {
        self.repository = Repository::new(table);
        self.forget_ledger();
        self
    }

    /// How long an operation waits for another migrator's lock before it gives up
    /// (default 60 s). On SQLite it is also how long a statement waits for another
    /// connection's write transaction.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// What to do with a pending migration older than the newest applied one
    /// (default [`OutOfOrder::Allow`]).
    pub fn out_of_order(mut self, policy: OutOfOrder) -> Self {
        self.out_of_order = policy;
        self
    }

    /// Pretends: every operation plans as usual and reports each migration with the SQL it
    /// would run (`Step::sql`), and changes nothing — no table, no row, no file. Where DDL
    /// takes part in transactions (SQLite, PostgreSQL) the migrations really run, inside
    /// one transaction that is always rolled back, so the database checks their SQL; on
    /// MySQL the session is made read-only and the schema builder's statements are only
    /// listed (`Step::checked` says which). No lock is taken and no event is sent.
    pub fn pretend(mut self, pretend: bool) -> Self {
        self.pretend = pretend;
        self
    }

    /// Runs each batch all or nothing: every migration of an operation in one transaction,
    /// so that a failure anywhere leaves the database exactly as it was (default: each
    /// migration in a transaction of its own, so those before a failure stay applied).
    /// Where DDL commits by itself (MySQL, MariaDB), and for a batch with a
    /// `no_transaction` migration, an operation is refused before anything runs.
    pub fn atomic(mut self, atomic: bool) -> Self {
        self.atomic = atomic;
        self
    }

    /// Enables only these modules; by default every module that has migrations is enabled.
    pub fn enable_modules<I, S>(mut self, modules: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.enabled = Some(modules.into_iter().map(Into::into).collect());
        self
    }

    /// A migrator of a scratch database (`contract:check --migrations`, migrations written
    /// from the contracts, a squash's check): the application's listeners do not hear it,
    /// its events being arte's own work rather than the application's database's.
    pub(crate) fn without_application_listeners(mut self) -> Migrator {
        self.application_listeners = false;
        self
    }

    /// After a pretended operation failed: the migrations it had listed before the one
    /// that failed (each with its SQL), in the order they would have run, a report per
    /// direction (`fresh`: its rollback, then its migrations); empty after anything else.
    /// Taken: a second call returns nothing.
    pub fn pretended_before_failure(&mut self) -> Vec<Report> {
        std::mem::take(&mut self.pretended_before_failure)
    }

    /// Adds a listener for this migrator's events.
    pub fn listen(&mut self, listener: impl FnMut(&Event<'_>) -> Result<()> + Send + 'static) {
        self.listeners.push(Box::new(listener));
    }

    /// The database, for work outside migrations. What is done through it is seen by the
    /// next operation, which then reads what it would otherwise carry over from the last
    /// one (on SQLite, the whole stamp of the migrations table and whether foreign keys
    /// are on). On SQLite, foreign keys, which operations leave off between them, are
    /// turned back on before the connection is handed out.
    pub fn db(&mut self) -> &mut Db {
        self.connection_used();
        &mut self.db
    }

    /// The migrations this migrator knows.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The name of the migrations table.
    pub fn table(&self) -> &str {
        self.repository.table()
    }

    /// Modules that have migrations in this program.
    pub fn known_modules(&self) -> Vec<String> {
        self.registry
            .modules()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// Modules the `All` filter covers.
    pub fn enabled_modules(&self) -> Vec<String> {
        self.registry.enabled_modules(self.enabled.as_deref())
    }

    /// Compares every contract registered in this program (`#[table]`) with the live
    /// database; an empty list means the database matches the code.
    pub fn check_contracts(&mut self) -> Result<Vec<crate::contract::check::Difference>> {
        let contracts = crate::contract::registered();
        self.connection_used();
        crate::contract::check::check(&mut self.db, &contracts)
    }

    /// Every migration in `filter` with its state, in name order. Reads only: it takes no
    /// lock and creates nothing, so it works for a role that may only read and on a
    /// read-only standby; an absent migrations table means nothing is applied yet.
    ///
    /// After an operation of this `Migrator`, the rows it left are used instead of read
    /// again when the mark or stamp that guards them (`ledger.rs`) says nothing wrote the
    /// table since: one statement, as a read would be.
    pub fn list(&mut self, filter: &Filter) -> Result<Vec<MigrationStatus>> {
        let scope = self.scope(filter)?;
        self.repository.check_name()?;
        self.db.enter(None);
        if let Some(statuses) =
            self.with_current_ledger(|migrator, rows| migrator.statuses(&scope, rows, true))
        {
            return statuses;
        }
        let mut rows = self.repository.rows(&mut self.db, Access::ReadOnly)?;
        self.statuses(&scope, &mut rows, false)
    }

    /// The statuses of the migrations `scope` covers, from the migrations table's `rows`;
    /// their text is copied when `keep` (the rows are kept), else taken from them.
    fn statuses(
        &mut self,
        scope: &Scope,
        rows: &mut [Row],
        keep: bool,
    ) -> Result<Vec<MigrationStatus>> {
        let text = |text: &mut String| {
            if keep {
                text.clone()
            } else {
                std::mem::take(text)
            }
        };
        let running = if rows.iter().any(|row| row.state != RowState::Applied) {
            self.lock_holder()?.is_some()
        } else {
            false
        };
        // A row's status, against the checksum and place of its code (`None`: no code).
        let row_status = |row: &mut Row, code: Option<(&str, Location)>| MigrationStatus {
            state: match (row.state, &code) {
                (RowState::Applied, Some((checksum, _))) if row.checksum == *checksum => {
                    State::Applied
                }
                (RowState::Applied, Some(_)) => State::Changed,
                (RowState::Applied, None) => State::Missing,
                _ => incomplete_state(row, running),
            },
            applied: Some(applied(row)),
            location: code.map(|(_, location)| location),
            incomplete: incomplete(row),
            module: text(&mut row.module),
            name: text(&mut row.name),
        };
        // Each row goes to its migration's place in the registry, in one pass; rows
        // without code in this program come after, and so do a squash's retired ones where
        // the squash is not applied.
        let migrations = self.registry.migrations();
        let mut row_of: Vec<Option<usize>> = vec![None; migrations.len()];
        let mut without_code = Vec::new();
        let mut retired = Vec::new();
        // Rows are read in the order they were written, which is nearly always the
        // registry's: the migration after the last row's is tried before the index.
        let mut next = 0;
        for (at, row) in rows.iter().enumerate() {
            let module = (row.module != CORE).then_some(row.module.as_str());
            let position = match migrations.get(next) {
                Some(migration) if migration.name == row.name && migration.module == module => {
                    Some(next)
                }
                _ => self.registry.position(module, &row.name),
            };
            match position {
                Some(position) => {
                    row_of[position] = Some(at);
                    next = position + 1;
                }
                None => match self.registry.squash_of(module, &row.name) {
                    Some(squash) => retired.push((at, squash)),
                    None if self.registry.find(module, &row.name).is_some() => {}
                    None => without_code.push(at),
                },
            }
        }
        // A squash that is not applied, on a database that ran some of the migrations it
        // replaces, is blocked, and their rows show; an applied squash stands for them.
        retired.retain(|(_, squash): &(usize, &'static Migration)| {
            self.registry
                .position(squash.module, squash.name)
                .is_some_and(|position| row_of[position].is_none())
        });
        let mut statuses: Vec<MigrationStatus> =
            Vec::with_capacity(migrations.len() + without_code.len() + retired.len());
        for (migration, at) in migrations.iter().zip(row_of) {
            let module = migration.module_label();
            if !scope.covers(module) {
                continue;
            }
            let status = match at.and_then(|at| rows.get_mut(at)) {
                None => MigrationStatus {
                    module: module.to_owned(),
                    name: migration.name.to_owned(),
                    state: if retired.iter().any(|(_, s)| std::ptr::eq(*s, *migration)) {
                        State::Blocked
                    } else {
                        State::Pending
                    },
                    applied: None,
                    location: Some(migration.location()),
                    incomplete: None,
                },
                Some(row) => row_status(row, Some((migration.checksum, migration.location()))),
            };
            statuses.push(status);
        }
        let missing = !without_code.is_empty() || !retired.is_empty();
        for (at, squash) in retired {
            let Some(row) = rows.get_mut(at) else {
                continue;
            };
            if scope.covers(&row.module) {
                let module = (row.module != CORE).then_some(row.module.as_str());
                // Its checksum is the replaced migration's; its code, the squash now.
                let checksum = self
                    .registry
                    .find(module, &row.name)
                    .map_or("", |m| m.checksum);
                statuses.push(row_status(row, Some((checksum, squash.location()))));
            }
        }
        for at in without_code {
            let Some(row) = rows.get_mut(at) else {
                continue;
            };
            if scope.covers(&row.module) {
                statuses.push(row_status(row, None));
            }
        }
        if missing {
            // Rows without code, and a blocked squash's, go among the others, in name order.
            statuses.sort_by(|a, b| {
                (&a.name, a.module != CORE, &a.module).cmp(&(&b.name, b.module != CORE, &b.module))
            });
        }
        Ok(statuses)
    }

    /// Runs every pending migration in `filter`.
    pub fn latest(&mut self, filter: &Filter) -> Result<Report> {
        self.migrate(filter, None)
    }

    /// Runs the next `steps` pending migrations in `filter`.
    pub fn up(&mut self, steps: usize, filter: &Filter) -> Result<Report> {
        self.migrate(filter, Some(steps))
    }

    /// Rolls back the last `steps` applied migrations in `filter`, newest first.
    pub fn down(&mut self, steps: usize, filter: &Filter) -> Result<Report> {
        self.rollback(filter, Some(steps))
    }

    /// Runs pending migrations in `filter` in name order, at most `steps` when given.
    pub fn migrate(&mut self, filter: &Filter, steps: Option<usize>) -> Result<Report> {
        self.check_atomic_backend()?;
        self.check_atomic_ahead(filter, steps, false)?;
        self.locked(|migrator, rows| migrator.migrate_locked(filter, steps, rows))
    }

    /// Rolls back applied migrations in `filter`, newest first: the last `steps` when
    /// given, else the last batch.
    pub fn rollback(&mut self, filter: &Filter, steps: Option<usize>) -> Result<Report> {
        self.check_atomic_backend()?;
        self.locked(|migrator, rows| {
            let plan = migrator.rollback_plan(filter, rows, |newest_first| match steps {
                // Only as many rows as it rolls back are looked at: `down(1)` does not
                // grow with the history.
                Some(steps) => newest_first.take(steps).collect(),
                None => {
                    let mut newest_first = newest_first.peekable();
                    let last = newest_first.peek().map(|r| r.batch);
                    newest_first.filter(|r| Some(r.batch) == last).collect()
                }
            })?;
            migrator.run(Direction::Down, plan)
        })
    }

    /// Rolls back the migrations of batch `batch` in `filter`, newest first.
    pub fn rollback_batch(&mut self, filter: &Filter, batch: i32) -> Result<Report> {
        self.check_atomic_backend()?;
        self.locked(|migrator, rows| {
            let plan = migrator.rollback_plan(filter, rows, |newest_first| {
                newest_first.filter(|r| r.batch == batch).collect()
            })?;
            migrator.run(Direction::Down, plan)
        })
    }

    /// Rolls back every applied migration in `filter`, newest first.
    pub fn reset(&mut self, filter: &Filter) -> Result<Report> {
        self.check_atomic_backend()?;
        self.locked(|migrator, rows| {
            let plan =
                migrator.rollback_plan(filter, rows, |newest_first| newest_first.collect())?;
            migrator.run(Direction::Down, plan)
        })
    }

    /// Rolls back every applied migration in `filter`, then runs them again (at most
    /// `steps` of them when given).
    pub fn fresh(&mut self, filter: &Filter, steps: Option<usize>) -> Result<FreshReport> {
        self.check_atomic_backend()?;
        self.check_atomic_ahead(filter, steps, true)?;
        self.locked(|migrator, rows| {
            let plan =
                migrator.rollback_plan(filter, rows, |newest_first| newest_first.collect())?;
            let rolled_back = migrator.run(Direction::Down, plan)?;
            let gone: std::collections::HashSet<(&str, &str)> = rolled_back
                .steps
                .iter()
                .map(|s| (s.module.as_str(), s.name.as_str()))
                .collect();
            let left: Vec<Row> = rows
                .iter()
                .filter(|row| !gone.contains(&(row.module.as_str(), row.name.as_str())))
                .cloned()
                .collect();
            let migrated = match migrator.migrate_locked(filter, steps, &left) {
                Ok(migrated) => migrated,
                Err(error) => {
                    if migrator.pretend {
                        // Pretending, what the rollback would have done comes first.
                        migrator.pretended_before_failure.insert(0, rolled_back);
                    }
                    return Err(error);
                }
            };
            Ok(FreshReport {
                rolled_back,
                migrated,
            })
        })
    }

    /// Brings the migrations table back in line with the code, after the user has fixed
    /// the database where it needs fixing: records the current source of changed
    /// migrations, forgets the rows of migrations whose code is gone, and clears failed or
    /// interrupted records (an `up` becomes pending again, a `down` stays applied).
    /// Pretending ([`Migrator::pretend`]), it says what it would do and changes nothing.
    /// Nothing else is touched.
    pub fn repair(&mut self) -> Result<RepairReport> {
        let pretend = self.pretend;
        self.locked(|migrator, rows| {
            migrator.lose_track();
            migrator.repair_locked(rows, pretend)
        })
    }

    /// Refuses `atomic` before the lock is taken or anything is created (the migrations
    /// table included) where the batch holds a migration that must run outside a
    /// transaction: the pending migrations `migrate` would run, or for `fresh` those it
    /// rolls back and then every one it runs again. Reads as status does, and only where
    /// such a migration is registered; the operation checks its plan again under the lock.
    fn check_atomic_ahead(
        &mut self,
        filter: &Filter,
        steps: Option<usize>,
        fresh: bool,
    ) -> Result<()> {
        if !self.atomic
            || self.pretend
            || self
                .registry
                .migrations()
                .iter()
                .all(|m| m.in_transaction())
        {
            return Ok(());
        }
        let statuses = self.list(filter)?;
        let found = |status: &MigrationStatus| {
            let module = (status.module != CORE).then_some(status.module.as_str());
            self.registry
                .find(module, &status.name)
                .filter(|migration| !migration.in_transaction())
        };
        let rolled_back = fresh.then(|| {
            statuses
                .iter()
                .rev()
                .filter(|status| status.state != State::Pending)
                .find_map(found)
        });
        let run = statuses
            .iter()
            .filter(|status| fresh || status.state == State::Pending)
            .take(steps.unwrap_or(usize::MAX))
            .find_map(found);
        match rolled_back.flatten().or(run) {
            Some(migration) => Err(Error::AtomicNoTransaction {
                module: migration.module_label().to_owned(),
                name: migration.name.to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Refuses `atomic` where DDL commits by itself, before the lock is taken or anything
    /// is created.
    fn check_atomic_backend(&self) -> Result<()> {
        if self.atomic && !self.db.dialect().transactional_ddl() {
            return Err(Error::AtomicUnsupported {
                backend: self.db.backend().display_name(),
            });
        }
        Ok(())
    }

    /// Takes the lock, reads the migrations table (creating it on first use), runs `work`,
    /// and releases the lock however `work` ends, a panic included: the panic goes on once
    /// the lock is released and any transaction rolled back.
    fn locked<T>(&mut self, work: impl FnOnce(&mut Self, &[Row]) -> Result<T>) -> Result<T> {
        self.repository.check_name()?;
        self.db.enter(None);
        if self.pretend {
            return self.pretended(|migrator, rows| work(migrator, &rows));
        }
        // Another program's write transaction can hold the file before arte's own lock is
        // even asked for (SQLite reads the file's name first).
        let held = self.acquire_lock().map_err(|error| self.busy_said(error))?;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let rows = self.operation_rows()?;
            work(self, &rows).map(|value| (value, rows))
        }));
        if self.db.connection().in_transaction() {
            // Only a panic leaves one open; its own error is what matters.
            let _ = self.db.connection().rollback();
        }
        // A panic may also have left foreign keys off for the operation.
        self.resume_foreign_keys();
        let outcome = match outcome {
            Ok(Ok((value, rows))) => {
                self.keep_ledger(rows);
                Ok(Ok(value))
            }
            Ok(result) => {
                self.forget_ledger();
                Ok(result.map(|(value, _)| value))
            }
            Err(panic) => {
                self.forget_ledger();
                Err(panic)
            }
        };
        (self.stamp_at_start, self.marks_at_start, self.marks_at_end) = (None, None, None);
        self.db.enter(None);
        let released = self.release_lock(held);
        self.ledger_released(released.as_ref().ok().cloned().flatten());
        match outcome {
            Ok(result) => {
                let value = result.map_err(|error| self.busy_said(error))?;
                released?;
                Ok(value)
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    /// SQLite's "database is locked", after the busy timeout, in words; other errors as
    /// they are.
    fn busy_said(&self, error: Error) -> Error {
        if self.db.dialect().is_busy(&error) {
            Error::Busy {
                seconds: self.lock_timeout.as_secs(),
            }
        } else {
            error
        }
    }

    fn migrate_locked(
        &mut self,
        filter: &Filter,
        steps: Option<usize>,
        rows: &[Row],
    ) -> Result<Report> {
        let scope = self.scope(filter)?;
        let recorded: std::collections::HashSet<(&str, &str)> = rows
            .iter()
            .map(|r| (r.module.as_str(), r.name.as_str()))
            .collect();
        let mut pending: Vec<&'static Migration> = self
            .registry
            .migrations()
            .iter()
            .copied()
            .filter(|m| scope.covers(m.module_label()))
            .filter(|m| !recorded.contains(&(m.module_label(), m.name)))
            .collect();
        // Under `--steps`, the pending migrations left for later still count for a squash
        // this database cannot run.
        let now = steps.map_or(pending.len(), |steps| steps.min(pending.len()));
        let out_of_order = history::check(
            rows,
            &self.registry,
            &scope,
            &pending[..now],
            &pending,
            self.out_of_order,
            self.verified,
        )?;
        pending.truncate(now);
        if pending.is_empty() {
            return Ok(Report::empty(Direction::Up));
        }
        if !out_of_order.is_empty() {
            let planned: Vec<Planned> = out_of_order.iter().map(|m| Planned::of(m)).collect();
            self.emit(Event::OutOfOrder {
                migrations: &planned,
            })?;
        }
        let batch = rows.iter().map(|r| r.batch).max().unwrap_or(0) + 1;
        self.run(
            Direction::Up,
            pending
                .into_iter()
                .map(|migration| PlanStep { migration, batch })
                .collect(),
        )
    }

    /// The applied migrations in `filter` to roll back, newest first, cut by `choose`;
    /// refused, before anything runs, when the history does not match the code or one of
    /// them cannot be rolled back.
    fn rollback_plan<'a>(
        &self,
        filter: &Filter,
        rows: &'a [Row],
        choose: impl FnOnce(&mut dyn Iterator<Item = &'a Row>) -> Vec<&'a Row>,
    ) -> Result<Vec<PlanStep>> {
        let scope = self.scope(filter)?;
        let chosen = choose(&mut rows.iter().rev().filter(|r| scope.covers(&r.module)));
        history::check(
            rows,
            &self.registry,
            &scope,
            &[],
            &[],
            self.out_of_order,
            self.verified,
        )?;
        let mut plan = Vec::with_capacity(chosen.len());
        for row in chosen {
            let migration = self.code_of(row).ok_or_else(|| Error::MissingMigration {
                module: row.module.clone(),
                name: row.name.clone(),
            })?;
            if !migration.is_reversible() {
                return Err(Error::Irreversible {
                    module: row.module.clone(),
                    name: row.name.clone(),
                });
            }
            plan.push(PlanStep {
                migration,
                batch: row.batch,
            });
        }
        self.squashes_rolled_back_whole(rows, &mut plan)?;
        Ok(plan)
    }

    /// A squash's `down` drops what every migration it replaces built. On a database that
    /// ran those one by one, their rows are only forgotten: each must be rolled back in the
    /// same operation (else its row would stay applied with its tables gone), and is
    /// forgotten before the squash's `down` runs (so that an operation stopped between the
    /// two leaves the squash applied, standing for the rows forgotten).
    fn squashes_rolled_back_whole(&self, rows: &[Row], plan: &mut Vec<PlanStep>) -> Result<()> {
        let mut at = 0;
        while at < plan.len() {
            let squash = plan[at].migration;
            let Some(replaces) = self.registry.replaced_by(squash) else {
                at += 1;
                continue;
            };
            let label = |m: &Migration| (m.module_label(), m.name);
            let planned = |m: &Migration| plan.iter().any(|step| label(step.migration) == label(m));
            let staying: Vec<String> = replaces
                .iter()
                .filter(|m| history::has_row(rows, m) && !planned(m))
                .map(|m| format!("`{}`", m.name))
                .collect();
            if !staying.is_empty() {
                return Err(Error::SquashRolledBackInPart {
                    module: squash.module_label().to_owned(),
                    name: squash.name.to_owned(),
                    staying,
                });
            }
            // After the last of the rows it forgets.
            let last = (at + 1..plan.len()).rev().find(|&later| {
                replaces
                    .iter()
                    .any(|m| label(m) == label(plan[later].migration))
            });
            match last {
                Some(last) => {
                    let step = plan.remove(at);
                    plan.insert(last, step);
                }
                None => at += 1,
            }
        }
        Ok(())
    }

    fn code_of(&self, row: &Row) -> Option<&'static Migration> {
        let module = (row.module != CORE).then_some(row.module.as_str());
        self.registry.find(module, &row.name)
    }

    fn scope(&self, filter: &Filter) -> Result<Scope> {
        self.registry.scope(filter, self.enabled.as_deref())
    }

    /// Delivers `event` to this migrator's listeners and the application's.
    fn emit(&mut self, event: Event<'_>) -> Result<()> {
        let result = self
            .listeners
            .iter_mut()
            .try_for_each(|listener| listener(&event))
            .and_then(|()| {
                if !self.application_listeners {
                    return Ok(());
                }
                inventory::iter::<ListenerRegistration>
                    .into_iter()
                    .try_for_each(|registration| (registration.listener)(&event))
            });
        result.map_err(|source| {
            let source = Box::new(source);
            if event.is_before() {
                Error::Listener {
                    event: event.name(),
                    source,
                }
            } else {
                Error::ListenerAfter {
                    event: event.name(),
                    source,
                }
            }
        })
    }
}

fn applied(row: &Row) -> Applied {
    Applied {
        batch: row.batch,
        executed_at: row.executed_at.and_utc(),
        duration: Duration::from_micros(row.duration_us.try_into().unwrap_or(0)),
    }
}

fn incomplete_state(row: &Row, running: bool) -> State {
    match row.state {
        RowState::FailedUp | RowState::FailedDown => State::Failed,
        _ if running => State::Running,
        _ => State::Interrupted,
    }
}

fn incomplete(row: &Row) -> Option<Incomplete> {
    let direction = match row.state {
        RowState::Applied => return None,
        RowState::Migrating | RowState::FailedUp => Direction::Up,
        RowState::RollingBack | RowState::FailedDown => Direction::Down,
    };
    Some(Incomplete {
        direction,
        statements: row.statements().to_vec(),
        pending: row.pending().cloned(),
        error: row.error().cloned(),
    })
}
