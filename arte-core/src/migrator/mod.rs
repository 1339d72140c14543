//! The Migrator service: applies and rolls back migrations, and tells what it did.

mod events;
mod lock;
mod repository;
mod runner;

pub use events::{Event, Listener, ListenerRegistration};

use crate::db::Db;
use crate::error::{Error, Location, Result};
use crate::registry::{CORE, Filter, Migration, Registry, Scope};
use chrono::{DateTime, Utc};
use repository::{Repository, Row};
use runner::PlanStep;
use std::time::Duration;

/// The default name of the migrations table.
pub const DEFAULT_TABLE: &str = "migrations";

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
pub enum State {
    /// In code, not applied.
    Pending,
    /// Applied, and its source is as it was then.
    Applied,
    /// Applied, but its source has changed since.
    Changed,
    /// Applied, but no longer in this program.
    Missing,
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

/// One line of `list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// `core` or the module's name.
    pub module: String,
    /// The migration's name.
    pub name: String,
    /// Its state.
    pub state: State,
    /// When it was applied, unless pending.
    pub applied: Option<Applied>,
    /// Where it is defined, unless missing.
    pub location: Option<Location>,
}

/// Applies and rolls back the migrations of a program on one database.
pub struct Migrator {
    db: Db,
    registry: Registry,
    repository: Repository,
    enabled: Option<Vec<String>>,
    listeners: Vec<Listener>,
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
        }
    }

    /// Keeps the migrations table under another name (default `migrations`).
    pub fn table_name(mut self, table: impl Into<String>) -> Self {
        self.repository = Repository::new(table);
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

    /// Adds a listener for this migrator's events.
    pub fn listen(&mut self, listener: impl FnMut(&Event<'_>) -> Result<()> + Send + 'static) {
        self.listeners.push(Box::new(listener));
    }

    /// The database, for work outside migrations.
    pub fn db(&mut self) -> &mut Db {
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
        crate::contract::check::check(&mut self.db, &contracts)
    }

    /// Every migration in `filter` with its state, in name order.
    pub fn list(&mut self, filter: &Filter) -> Result<Vec<MigrationStatus>> {
        self.locked(|migrator| migrator.list_locked(filter))
    }

    fn list_locked(&mut self, filter: &Filter) -> Result<Vec<MigrationStatus>> {
        let scope = self.scope(filter)?;
        let rows = self.rows()?;
        let mut statuses: Vec<MigrationStatus> = Vec::new();
        for migration in self.registry.migrations() {
            if !scope.covers(migration.module_label()) {
                continue;
            }
            let row = rows
                .iter()
                .find(|r| r.module == migration.module_label() && r.name == migration.name);
            let state = match row {
                None => State::Pending,
                Some(row) if row.checksum == migration.checksum => State::Applied,
                Some(_) => State::Changed,
            };
            statuses.push(MigrationStatus {
                module: migration.module_label().to_owned(),
                name: migration.name.to_owned(),
                state,
                applied: row.map(applied),
                location: Some(migration.location()),
            });
        }
        for row in &rows {
            if scope.covers(&row.module) && self.code_of(row).is_none() {
                statuses.push(MigrationStatus {
                    module: row.module.clone(),
                    name: row.name.clone(),
                    state: State::Missing,
                    applied: Some(applied(row)),
                    location: None,
                });
            }
        }
        statuses.sort_by(|a, b| {
            (&a.name, a.module != CORE, &a.module).cmp(&(&b.name, b.module != CORE, &b.module))
        });
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
        self.locked(|migrator| migrator.migrate_locked(filter, steps))
    }

    /// Holds the migrations table's lock (PostgreSQL, MySQL) around `work`.
    /// The table is created under the lock too: PostgreSQL's `CREATE TABLE IF NOT EXISTS`
    /// is not safe against a concurrent one.
    fn locked<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.db.enter(None);
        lock::acquire(&mut self.db, self.repository.table())?;
        let result = self
            .repository
            .ensure(&mut self.db)
            .and_then(|()| work(self));
        let released = lock::release(&mut self.db, self.repository.table());
        let value = result?;
        released?;
        Ok(value)
    }

    fn migrate_locked(&mut self, filter: &Filter, steps: Option<usize>) -> Result<Report> {
        let scope = self.scope(filter)?;
        let rows = self.rows()?;
        let mut plan: Vec<&'static Migration> = self
            .registry
            .migrations()
            .iter()
            .copied()
            .filter(|m| scope.covers(m.module_label()))
            .filter(|m| {
                !rows
                    .iter()
                    .any(|r| r.module == m.module_label() && r.name == m.name)
            })
            .collect();
        if let Some(steps) = steps {
            plan.truncate(steps);
        }
        if plan.is_empty() {
            return Ok(Report::empty(Direction::Up));
        }
        let batch = rows.iter().map(|r| r.batch).max().unwrap_or(0) + 1;
        self.run(
            Direction::Up,
            plan.into_iter()
                .map(|migration| PlanStep {
                    migration,
                    batch,
                    row_id: None,
                })
                .collect(),
        )
    }

    /// Rolls back applied migrations in `filter`, newest first: the last `steps` when
    /// given, else the last batch.
    pub fn rollback(&mut self, filter: &Filter, steps: Option<usize>) -> Result<Report> {
        self.locked(|migrator| migrator.rollback_locked(filter, steps))
    }

    fn rollback_locked(&mut self, filter: &Filter, steps: Option<usize>) -> Result<Report> {
        let scope = self.scope(filter)?;
        let mut rows: Vec<Row> = self
            .rows()?
            .into_iter()
            .filter(|r| scope.covers(&r.module))
            .collect();
        rows.reverse();
        match steps {
            Some(steps) => rows.truncate(steps),
            None => {
                let last = rows.first().map(|r| r.batch);
                rows.retain(|r| Some(r.batch) == last);
            }
        }
        self.roll_back_rows(rows)
    }

    /// Rolls back every applied migration in `filter`, then runs them again (at most
    /// `steps` of them when given).
    pub fn fresh(&mut self, filter: &Filter, steps: Option<usize>) -> Result<FreshReport> {
        self.locked(|migrator| {
            let rolled_back = migrator.rollback_locked(filter, Some(usize::MAX))?;
            let migrated = migrator.migrate_locked(filter, steps)?;
            Ok(FreshReport {
                rolled_back,
                migrated,
            })
        })
    }

    fn roll_back_rows(&mut self, rows: Vec<Row>) -> Result<Report> {
        if rows.is_empty() {
            return Ok(Report::empty(Direction::Down));
        }
        // Every migration must be rollable before the first one is touched.
        let mut plan = Vec::with_capacity(rows.len());
        for row in rows {
            let migration = self.code_of(&row).ok_or_else(|| Error::MissingMigration {
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
                row_id: Some(row.id),
            });
        }
        self.run(Direction::Down, plan)
    }

    /// The migrations table's rows; call under [`Migrator::locked`], which creates it.
    fn rows(&mut self) -> Result<Vec<Row>> {
        self.repository.rows(&mut self.db)
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
