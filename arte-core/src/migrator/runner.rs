//! Running a plan, one migration at a time.
//!
//! Where the database's DDL takes part in transactions (SQLite, PostgreSQL), a migration
//! runs in one transaction together with its row: it is recorded exactly when it commits.
//! Elsewhere (MySQL), and for a migration marked `no_transaction`, its statements commit by
//! themselves, so the migration is journaled: its row is written before its first
//! statement and kept up to date as each statement runs (`repository.rs`). A panic in a
//! migration is caught and handled like an error.

use super::repository::{Journal, NewRow, RowState};
use super::{Direction, Event, Migrator, Planned, Report, Step};
use crate::backend::AnyConnection;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::registry::Migration;
use std::time::Instant;

/// One migration of a plan: the code, and the batch it runs in (or, rolled back, ran in).
#[derive(Debug, Clone, Copy)]
pub(super) struct PlanStep {
    pub migration: &'static Migration,
    pub batch: i32,
}

impl Migrator {
    pub(super) fn run(&mut self, direction: Direction, plan: Vec<PlanStep>) -> Result<Report> {
        if plan.is_empty() {
            return Ok(Report::empty(direction));
        }
        if self.pretend {
            return self.run_pretended(direction, plan);
        }
        let planned: Vec<Planned> = plan
            .iter()
            .map(|step| Planned::of(step.migration))
            .collect();
        self.emit(match direction {
            Direction::Up => Event::BeforeMigrate {
                migrations: &planned,
            },
            Direction::Down => Event::BeforeRollback {
                migrations: &planned,
            },
        })?;
        let started = Instant::now();
        let mut steps = Vec::with_capacity(plan.len());
        for (step, planned) in plan.into_iter().zip(&planned) {
            self.emit(Event::Starting {
                migration: planned,
                direction,
            })?;
            let done = self.run_one(step, direction)?;
            self.emit(match direction {
                Direction::Up => Event::Migrated { step: &done },
                Direction::Down => Event::RolledBack { step: &done },
            })?;
            steps.push(done);
        }
        let report = Report {
            direction,
            steps,
            elapsed: started.elapsed(),
        };
        self.emit(match direction {
            Direction::Up => Event::AfterMigrate { report: &report },
            Direction::Down => Event::AfterRollback { report: &report },
        })?;
        Ok(report)
    }

    fn run_one(&mut self, step: PlanStep, direction: Direction) -> Result<Step> {
        self.db.enter(Some(step.migration));
        // SQLite: foreign keys off for the migration (a table rebuild needs it, and it can
        // only change outside a transaction), checked before the migration commits.
        let dialect = self.db.dialect();
        let foreign_keys = dialect.foreign_keys_enforced(self.db.connection())?;
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), false)?;
        }
        let started = Instant::now();
        let outcome = if step.migration.in_transaction() && dialect.transactional_ddl() {
            self.run_in_transaction(step, direction, foreign_keys)
        } else {
            self.run_journaled(step, direction, foreign_keys)
        };
        self.db.enter(None);
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), true)?;
        }
        outcome?;
        Ok(Step {
            module: step.migration.module_label().to_owned(),
            name: step.migration.name.to_owned(),
            direction,
            batch: step.batch,
            duration: started.elapsed(),
            sql: Vec::new(),
            checked: true,
        })
    }

    /// The whole of a pretended operation: the migrations table read (never created), the
    /// work done in a transaction that is always rolled back (on MySQL, a read-only
    /// session in which statements are only listed), and everything put back as it was.
    pub(super) fn pretended<T>(
        &mut self,
        work: impl FnOnce(&mut Self, Vec<super::repository::Row>) -> Result<T>,
    ) -> Result<T> {
        let rows = self
            .repository
            .rows(&mut self.db, super::repository::Access::ReadOnly)?;
        let dialect = self.db.dialect();
        let checked = dialect.transactional_ddl();
        let foreign_keys = checked && dialect.foreign_keys_enforced(self.db.connection())?;
        let counters = dialect.counters(self.db.connection())?;
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), false)?;
        }
        let began = if checked {
            self.begin()
        } else {
            dialect.read_only(self.db.connection(), true)
        };
        let outcome = began.map(|()| {
            self.db.start_capture(!checked);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(self, rows)))
        });
        self.db.stop_capture();
        self.db.enter(None);
        if self.db.connection().in_transaction() {
            // Pretending: whatever ran is taken back, the counters it drew from too.
            let _ = self.db.connection().rollback();
        }
        let restored = if checked {
            counters
                .iter()
                .try_for_each(|sql| self.db.connection().batch_execute(sql))
        } else {
            dialect.read_only(self.db.connection(), false)
        };
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), true)?;
        }
        match outcome? {
            Ok(result) => {
                let value = result?;
                restored?;
                Ok(value)
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    /// One plan of a pretended operation: each migration runs with its SQL recorded.
    fn run_pretended(&mut self, direction: Direction, plan: Vec<PlanStep>) -> Result<Report> {
        let checked = self.db.dialect().transactional_ddl();
        let started = Instant::now();
        let mut steps = Vec::with_capacity(plan.len());
        for PlanStep { migration, batch } in plan {
            let checks = checked && migration.in_transaction();
            self.db.enter(Some(migration));
            self.db.set_listing(!checks);
            let began = Instant::now();
            self.db.captured(true);
            let result = call(&mut self.db, migration, direction);
            let sql = self.db.captured(false);
            self.db.enter(None);
            result.map_err(|source| match source {
                // What ran through the connection failed, the statements before it listed only.
                Error::Statement { .. } | Error::Database(_) if !checks => {
                    Error::PretendCannotRun {
                        module: migration.module_label().to_owned(),
                        name: migration.name.to_owned(),
                        backend: self.db.backend().display_name(),
                        source: Box::new(source),
                    }
                }
                source => failed(migration, direction, source, Vec::new()),
            })?;
            steps.push(Step {
                module: migration.module_label().to_owned(),
                name: migration.name.to_owned(),
                direction,
                batch,
                duration: began.elapsed(),
                sql,
                checked: checks,
            });
        }
        Ok(Report {
            direction,
            steps,
            elapsed: started.elapsed(),
        })
    }

    /// The migration and its row in one transaction: all or nothing.
    fn run_in_transaction(
        &mut self,
        step: PlanStep,
        direction: Direction,
        check_foreign_keys: bool,
    ) -> Result<()> {
        let PlanStep { migration, batch } = step;
        let module = migration.module_label();
        self.begin()?;
        let started = Instant::now();
        let result = call(&mut self.db, migration, direction)
            .and_then(|()| {
                if check_foreign_keys {
                    self.db.check_foreign_keys()?;
                }
                match direction {
                    Direction::Up => self.repository.insert(
                        &mut self.db,
                        &NewRow {
                            name: migration.name,
                            module,
                            batch,
                            executed_at: chrono::Utc::now().naive_utc(),
                            duration_us: micros(started),
                            checksum: migration.checksum,
                            state: RowState::Applied,
                        },
                    ),
                    Direction::Down => self.repository.delete(&mut self.db, module, migration.name),
                }
            })
            .and_then(|()| self.db.connection().commit());
        result.map_err(|source| {
            // The migration's own error is what matters; a failed rollback adds nothing.
            let _ = self.db.connection().rollback();
            failed(migration, direction, source, Vec::new())
        })
    }

    /// The migration's statements commit by themselves: its row is written first, and
    /// every statement is written to it before it runs.
    fn run_journaled(
        &mut self,
        step: PlanStep,
        direction: Direction,
        check_foreign_keys: bool,
    ) -> Result<()> {
        let PlanStep { migration, batch } = step;
        let module = migration.module_label();
        let running = match direction {
            Direction::Up => RowState::Migrating,
            Direction::Down => RowState::RollingBack,
        };
        let started = Instant::now();
        match direction {
            Direction::Up => self.repository.insert(
                &mut self.db,
                &NewRow {
                    name: migration.name,
                    module,
                    batch,
                    executed_at: chrono::Utc::now().naive_utc(),
                    duration_us: 0,
                    checksum: migration.checksum,
                    state: running,
                },
            )?,
            Direction::Down => self.repository.journal(
                &mut self.db,
                module,
                migration.name,
                &Journal {
                    state: running,
                    statements: &[],
                    pending: None,
                    error: None,
                },
            )?,
        }
        // A migration that may run in a transaction (MySQL's) still opens one: statements
        // before its first DDL stay atomic, and the DDL commits them with itself.
        let in_transaction = migration.in_transaction();
        let repository = self.repository.clone();
        self.db.journal_with(Box::new(
            move |conn: &mut AnyConnection, done: &[String], pending: &str| {
                repository.journal_on(
                    conn,
                    module,
                    migration.name,
                    &Journal {
                        state: running,
                        statements: done,
                        pending: Some(pending),
                        error: None,
                    },
                )
            },
        ));
        let result = (|| -> Result<()> {
            if in_transaction {
                self.begin()?;
            }
            call(&mut self.db, migration, direction)?;
            if check_foreign_keys {
                self.db.check_foreign_keys()?;
            }
            match direction {
                Direction::Up => self.repository.complete(
                    &mut self.db,
                    module,
                    migration.name,
                    chrono::Utc::now().naive_utc(),
                    micros(started),
                )?,
                Direction::Down => self
                    .repository
                    .delete(&mut self.db, module, migration.name)?,
            }
            if in_transaction {
                self.db.connection().commit()?;
            }
            Ok(())
        })();
        self.db.stop_journal();
        let Err(source) = result else {
            return Ok(());
        };
        let executed = self.db.take_executed();
        if in_transaction {
            let _ = self.db.connection().rollback();
        }
        let took_effect = if in_transaction {
            self.db.dialect().took_effect(executed)
        } else {
            executed
        };
        // The record says what stays; a failure to write it is reported with the cause.
        let recorded = if took_effect.is_empty() {
            // Nothing took effect: as if the migration had not begun.
            match direction {
                Direction::Up => self.repository.delete(&mut self.db, module, migration.name),
                Direction::Down => self.repository.journal(
                    &mut self.db,
                    module,
                    migration.name,
                    &Journal {
                        state: RowState::Applied,
                        statements: &[],
                        pending: None,
                        error: None,
                    },
                ),
            }
        } else {
            let error = source.to_string();
            self.repository.journal(
                &mut self.db,
                module,
                migration.name,
                &Journal {
                    state: match direction {
                        Direction::Up => RowState::FailedUp,
                        Direction::Down => RowState::FailedDown,
                    },
                    statements: &took_effect,
                    pending: None,
                    error: Some(&error),
                },
            )
        };
        let error = failed(migration, direction, source, took_effect);
        match recorded {
            Ok(()) => Err(error),
            Err(record) => Err(Error::msg(format!(
                "{error}; and recording the failure in the migrations table failed too: {record}"
            ))),
        }
    }

    /// Opens the migration's transaction (on SQLite, taking the write lock at once).
    fn begin(&mut self) -> Result<()> {
        self.db.connection().begin()
    }
}

/// Runs the migration's function; a panic becomes an error.
fn call(db: &mut Db, migration: &'static Migration, direction: Direction) -> Result<()> {
    let function = match direction {
        Direction::Up => migration.up,
        Direction::Down => migration.down.ok_or_else(|| Error::Irreversible {
            module: migration.module_label().to_owned(),
            name: migration.name.to_owned(),
        })?,
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| function(db))) {
        Ok(result) => result,
        Err(panic) => Err(Error::Panicked {
            module: migration.module_label().to_owned(),
            name: migration.name.to_owned(),
            direction,
            message: panic_message(panic.as_ref()),
        }),
    }
}

/// The text a panic carries.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_owned())
}

/// The error of a migration that failed: a panic stays a panic; anything else is wrapped
/// with the migration's name and what took effect.
fn failed(
    migration: &'static Migration,
    direction: Direction,
    source: Error,
    took_effect: Vec<String>,
) -> Error {
    match source {
        Error::Panicked { .. } if took_effect.is_empty() => source,
        source => Error::MigrationFailed {
            module: migration.module_label().to_owned(),
            name: migration.name.to_owned(),
            direction,
            source: Box::new(source),
            took_effect,
        },
    }
}

fn micros(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_micros()).unwrap_or(i64::MAX)
}
