//! Running a plan, one migration at a time, or (`--atomic`) all of it in one transaction.
//!
//! Where the database's DDL takes part in transactions (SQLite, PostgreSQL), a migration
//! runs in one transaction together with its row: it is recorded exactly when it commits.
//! Elsewhere (MySQL), and for a migration marked `no_transaction`, its statements commit by
//! themselves, so the migration is journaled (`repository.rs`): its row is written with
//! its first statement (MySQL commits the two together), or before it outside a
//! transaction, and kept up to date as each statement runs. A panic in a migration is
//! caught and handled like an error.
//!
//! On SQLite foreign keys are off for the operation (a table rebuild needs them off) and
//! checked before a migration commits, when it may have broken one: `Db` sees which
//! statements it ran, and the connection's counters (rows changed, the schema's version)
//! show what went past it.

use super::ledger::Change;
use super::repository::{Journal, NewRow, Repository, RowState};
use super::{Direction, Event, Migrator, Planned, Report, Step};
use crate::backend::AnyConnection;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::registry::{Migration, Registry};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
        if self.atomic {
            self.check_atomic(&plan)?;
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
        self.suspend_foreign_keys()?;
        let steps = if self.atomic {
            self.run_atomic(direction, plan, &planned)
        } else {
            self.run_each(direction, plan, &planned)
        };
        self.resume_foreign_keys();
        let steps = steps?;
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

    /// Each migration on its own: each one that ran stays, whatever comes after.
    fn run_each(
        &mut self,
        direction: Direction,
        plan: Vec<PlanStep>,
        planned: &[Planned],
    ) -> Result<Vec<Step>> {
        let mut steps = Vec::with_capacity(plan.len());
        let count = plan.len();
        for (index, (step, planned)) in plan.into_iter().zip(planned).enumerate() {
            self.emit(Event::Starting {
                migration: planned,
                direction,
            })?;
            let done = self.run_one(step, direction, index + 1 == count)?;
            self.emit(match direction {
                Direction::Up => Event::Migrated { step: &done },
                Direction::Down => Event::RolledBack { step: &done },
            })?;
            steps.push(done);
        }
        Ok(steps)
    }

    /// The whole plan in one transaction (`--atomic`): all of it or nothing. A migration's
    /// end is announced once the transaction has committed.
    fn run_atomic(
        &mut self,
        direction: Direction,
        plan: Vec<PlanStep>,
        planned: &[Planned],
    ) -> Result<Vec<Step>> {
        let count = plan.len();
        self.begin()?;
        let ran = (|| -> Result<Vec<Step>> {
            // Every migration first, then the foreign keys where one may be broken, then
            // every row: no DDL comes between the rows' statements, which stay prepared.
            let before = self.change_marks()?;
            let mut harmless_ddl = 0;
            let mut ran = Vec::with_capacity(count);
            for (step, planned) in plan.into_iter().zip(planned) {
                self.emit(Event::Starting {
                    migration: planned,
                    direction,
                })?;
                let started = Instant::now();
                self.db.enter(Some(step.migration));
                let result = self.call_guarded(step, direction).and_then(|()| {
                    let watched = self.db.watched().unwrap_or_default();
                    harmless_ddl += watched.harmless_ddl;
                    if watched.suspect {
                        self.db.check_foreign_keys()?;
                    }
                    Ok(())
                });
                self.db.enter(None);
                result.map_err(|source| failed(step.migration, direction, source, Vec::new()))?;
                ran.push((step, started.elapsed()));
            }
            // The counters before the batch are known (read above): they tell what went
            // around `Db`.
            self.check_foreign_keys_since(before, true, crate::db::Watch::harmless(harmless_ddl))?;
            self.marks = None;
            let mut steps = Vec::with_capacity(count);
            let mut changes = Vec::with_capacity(count);
            for (step, took) in ran {
                let (_, change) = self.record(step, direction, took)?;
                changes.push(change);
                steps.push(done(&self.registry, step, direction, took));
            }
            self.db.connection().commit()?;
            for change in changes {
                self.changed(change);
            }
            Ok(steps)
        })();
        let steps = ran.map_err(|source| {
            if self.db.connection().in_transaction() {
                // The migration's own error is what matters; a failed rollback adds nothing.
                let _ = self.db.connection().rollback();
            }
            self.marks = None;
            Error::AtomicBatchFailed {
                source: Box::new(source),
                planned: count,
            }
        })?;
        for done in &steps {
            self.emit(match direction {
                Direction::Up => Event::Migrated { step: done },
                Direction::Down => Event::RolledBack { step: done },
            })?;
        }
        Ok(steps)
    }

    /// Refuses `--atomic` where the batch cannot run in one transaction, before anything
    /// runs.
    fn check_atomic(&self, plan: &[PlanStep]) -> Result<()> {
        self.check_atomic_backend()?;
        match plan.iter().find(|step| !step.migration.in_transaction()) {
            Some(step) => Err(Error::AtomicNoTransaction {
                module: step.migration.module_label().to_owned(),
                name: step.migration.name.to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// SQLite: foreign keys off for the operation (a table rebuild needs them off, and
    /// they can only change outside a transaction); each migration that may have broken
    /// one is checked before it commits. Once per operation, not per migration; where the
    /// last operation left them off (owed back on), nothing is sent.
    fn suspend_foreign_keys(&mut self) -> Result<()> {
        if !std::mem::take(&mut self.foreign_keys_owed) {
            let dialect = self.db.dialect();
            if !dialect.foreign_keys_enforced(self.db.connection())? {
                return Ok(());
            }
            dialect.set_foreign_keys(self.db.connection(), false)?;
        }
        self.foreign_keys_off = true;
        // Neither statement changes a row or the schema: the counters the operation's
        // stamp held, when it read one, are still those of now.
        self.marks = self.marks_at_start.take();
        self.db.watch(true);
        Ok(())
    }

    /// Ends what [`Migrator::suspend_foreign_keys`] began, if it did; also called when an
    /// operation ends by a panic. Foreign keys stay off, owed back on: the next operation
    /// would turn them off again, and turning them on and off expires every statement the
    /// connection keeps compiled, which it would then compile again.
    pub(super) fn resume_foreign_keys(&mut self) {
        if !std::mem::take(&mut self.foreign_keys_off) {
            return;
        }
        self.db.watch(false);
        self.marks_at_end = self.marks.take();
        self.foreign_keys_owed = true;
    }

    /// Turns foreign keys back on if the last operation left them off.
    pub(super) fn pay_foreign_keys(&mut self) -> Result<()> {
        if !std::mem::take(&mut self.foreign_keys_owed) {
            return Ok(());
        }
        let dialect = self.db.dialect();
        dialect.set_foreign_keys(self.db.connection(), true)
    }

    /// One migration of a plan; `last`, the plan's last, after which the operation ends.
    fn run_one(&mut self, step: PlanStep, direction: Direction, last: bool) -> Result<Step> {
        self.db.enter(Some(step.migration));
        let started = Instant::now();
        let outcome = if step.migration.in_transaction() && self.db.dialect().transactional_ddl() {
            self.run_in_transaction(step, direction, started, last)
        } else {
            let outcome = self.run_journaled(step, direction);
            // Its journal wrote rows: the counters are read afresh.
            self.marks = None;
            // Outside a transaction a migration can turn foreign keys on (`PRAGMA
            // foreign_keys = ON` ends SQLite's own recipe for changing a table): off
            // again for the migrations after it, and the next operation.
            let suspended = self.suspend_foreign_keys();
            outcome.and(suspended)
        };
        self.db.enter(None);
        outcome?;
        Ok(done(&self.registry, step, direction, started.elapsed()))
    }

    /// The whole of a pretended operation: the migrations table read (never created), the
    /// work done in a transaction that is always rolled back (on MySQL, a read-only
    /// session in which statements are only listed), and everything put back as it was.
    pub(super) fn pretended<T>(
        &mut self,
        work: impl FnOnce(&mut Self, Vec<super::repository::Row>) -> Result<T>,
    ) -> Result<T> {
        self.verified = false;
        self.changes = None;
        self.pretended_before_failure.clear();
        self.connection_used();
        let rows = self
            .repository
            .rows(&mut self.db, super::repository::Access::ReadOnly)?;
        let dialect = self.db.dialect();
        let checked = dialect.transactional_ddl();
        let foreign_keys = checked && dialect.foreign_keys_enforced(self.db.connection())?;
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), false)?;
        }
        // It takes no lock of arte's, but its statements wait for the locks of what they
        // touch: no longer than a real run waits for arte's.
        let wait = self.lock_timeout;
        let began = if checked {
            // SQLite's wait is the connection's (as `acquire_lock` sets it), others' the
            // transaction's.
            if self.writers_wait != Some(wait) {
                dialect.wait_for_writers(self.db.connection(), wait)?;
                self.writers_wait = Some(wait);
            }
            self.begin()
                .and_then(|()| dialect.bound_lock_waits(self.db.connection(), wait))
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
            // Pretending: whatever ran is taken back. Not the numbers PostgreSQL's
            // sequences gave out, which no rollback takes back: putting them back could
            // hand out again a number another session drew meanwhile (a pretended run
            // takes no lock), so they stay taken, as after any rolled-back transaction.
            let _ = self.db.connection().rollback();
        }
        let restored = if checked {
            Ok(())
        } else {
            dialect.read_only(self.db.connection(), false)
        };
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), true)?;
        }
        let seconds = wait.as_secs();
        let waited = |error: Error| match gave_up_waiting(dialect, &error) {
            Some(Waited::Busy) => Error::Busy { seconds },
            Some(Waited::Lock) => Error::PretendWaited { seconds },
            None => error,
        };
        match outcome.map_err(waited)? {
            Ok(result) => {
                let value = result.map_err(waited)?;
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
            // Whether the migration takes the connection, from its start.
            self.db.took_connection();
            let result = call(&mut self.db, migration, direction);
            let sql = self.db.captured(false);
            let took_connection = self.db.took_connection();
            self.db.enter(None);
            if result.is_err() {
                // What was listed before the failure stays for the caller to show.
                self.pretended_before_failure.push(Report {
                    direction,
                    steps: std::mem::take(&mut steps),
                    elapsed: started.elapsed(),
                });
            }
            result.map_err(|source| match source {
                // What ran through the connection failed, the statements before it listed
                // only; also when the migration's code wrapped the database's error in one
                // of its own.
                Error::Panicked { .. } => failed(migration, direction, source, Vec::new()),
                source
                    if !checks
                        && (took_connection
                            || matches!(source, Error::Statement { .. } | Error::Database(_))) =>
                {
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
                replaced_by: replaced_by(&self.registry, migration, direction),
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
        started: Instant,
        last: bool,
    ) -> Result<()> {
        self.begin()?;
        let result = self
            .step_in_transaction(step, direction, started, last)
            .and_then(|change| self.db.connection().commit().map(|()| change));
        match result {
            Ok(change) => {
                self.changed(change);
                Ok(())
            }
            Err(source) => {
                // The migration's own error is what matters; a failed rollback adds nothing.
                let _ = self.db.connection().rollback();
                self.marks = None;
                Err(failed(step.migration, direction, source, Vec::new()))
            }
        }
    }

    /// Inside the open transaction: the migration, its foreign keys where it may have
    /// broken one, and its row; returns the change of the migrations table.
    ///
    /// The counters are carried from one migration to the next where known, never read
    /// before a migration: after one, they are read where the migration may have broken a
    /// key (it ran something `Db` took for suspect, or took the connection, around `Db`),
    /// and after the plan's `last` one, whose counters tell the stamp the operation keeps
    /// (`ledger.rs`). A migration whose every statement went through `Db` and was harmless
    /// costs no statement of its own.
    fn step_in_transaction(
        &mut self,
        step: PlanStep,
        direction: Direction,
        started: Instant,
        last: bool,
    ) -> Result<Change> {
        let before = self.marks.filter(|_| self.foreign_keys_off);
        // What the runner itself did with the connection is not the migration's.
        self.db.took_connection();
        self.call_guarded(step, direction)?;
        let around = self.db.took_connection();
        let watched = self.db.watched().unwrap_or_default();
        let after = if self.foreign_keys_off && !last && !around && !watched.suspect {
            None
        } else {
            self.check_foreign_keys_since(before, around, watched)?
        };
        let (changed, change) = self.record(step, direction, started.elapsed())?;
        // The row's own change, counted, so that the next migration's reading compares
        // with its own start.
        self.marks = after.map(|(changes, version)| {
            (
                changes + i64::try_from(changed).unwrap_or(i64::MAX),
                version,
            )
        });
        Ok(change)
    }

    /// The migration's function, inside its transaction: a schema statement that failed
    /// part-way fails it even when its code went on.
    fn call_guarded(&mut self, step: PlanStep, direction: Direction) -> Result<()> {
        self.db.guard(true);
        let called = call(&mut self.db, step.migration, direction);
        let half_done = self.db.take_half_done();
        self.db.guard(false);
        called?;
        match half_done {
            Some(error) => Err(Error::HalfDoneStatement { error }),
            None => Ok(()),
        }
    }

    /// The migration's row: written applied (`up`, which took `took`) or deleted
    /// (`down`); how many rows changed, and the change.
    fn record(
        &mut self,
        step: PlanStep,
        direction: Direction,
        took: Duration,
    ) -> Result<(usize, Change)> {
        let PlanStep { migration, batch } = step;
        let module = migration.module_label();
        Ok(match direction {
            Direction::Up => {
                let executed_at = chrono::Utc::now().naive_utc();
                let duration_us = micros(took);
                let changed = self.repository.insert(
                    self.db.connection(),
                    &NewRow {
                        name: migration.name,
                        module,
                        batch,
                        executed_at,
                        duration_us,
                        checksum: migration.checksum,
                        state: RowState::Applied,
                    },
                    &[],
                    None,
                )?;
                (
                    changed,
                    Change::applied(migration, batch, executed_at, duration_us),
                )
            }
            Direction::Down => (
                self.repository
                    .delete(&mut self.db, module, migration.name)?,
                Change::RolledBack {
                    module,
                    name: migration.name,
                },
            ),
        })
    }

    /// The connection's counters now, where foreign keys are suspended (read once, then
    /// carried from one migration to the next).
    fn change_marks(&mut self) -> Result<Option<(i64, i64)>> {
        if !self.foreign_keys_off {
            return Ok(None);
        }
        if self.marks.is_none() {
            self.marks = self.db.dialect().change_marks(self.db.connection())?;
        }
        Ok(self.marks)
    }

    /// Where foreign keys are suspended, checks them if what ran since `before` may have
    /// broken one: a statement that changed rows (however it was sent), one through `Db`
    /// that is not harmless (`watched`), or a schema change `Db` did not see. Where the
    /// counters before are not known, only what `Db` saw tells, and whether the
    /// connection was taken `around` it. Returns the counters now.
    fn check_foreign_keys_since(
        &mut self,
        before: Option<(i64, i64)>,
        around: bool,
        watched: crate::db::Watch,
    ) -> Result<Option<(i64, i64)>> {
        if !self.foreign_keys_off {
            return Ok(None);
        }
        let now = self.db.dialect().change_marks(self.db.connection())?;
        let may_have_broken = match before {
            Some((changes, version)) => {
                let unseen_ddl = now.is_none_or(|(_, now)| now - version > watched.harmless_ddl);
                let rows_changed = now.is_none_or(|(now, _)| now != changes);
                watched.suspect || rows_changed || unseen_ddl
            }
            None => watched.suspect || around,
        };
        if may_have_broken {
            self.db.check_foreign_keys()?;
        }
        Ok(now)
    }

    /// The migration's statements commit by themselves: its row is written first, and
    /// every statement is written to it before it runs.
    fn run_journaled(&mut self, step: PlanStep, direction: Direction) -> Result<()> {
        let check_foreign_keys = self.foreign_keys_off;
        let PlanStep { migration, batch } = step;
        let module = migration.module_label();
        let running = match direction {
            Direction::Up => RowState::Migrating,
            Direction::Down => RowState::RollingBack,
        };
        let started = Instant::now();
        let new_row = NewRow {
            state: running,
            ..new_row_of(migration, batch)
        };
        // A migration that may run in a transaction (MySQL's) opens one: statements before
        // its first DDL stay atomic, and the DDL commits them with itself. Its row is then
        // written with its first statement, and committed by it; one outside a transaction
        // has its row written first, before anything of it can take effect.
        let in_transaction = migration.in_transaction();
        let written = Arc::new(AtomicBool::new(!in_transaction));
        if !in_transaction {
            journal_row(
                &self.repository,
                self.db.connection(),
                direction,
                &new_row,
                &[],
                None,
            )?;
        }
        let repository = self.repository.clone();
        let first = Arc::clone(&written);
        self.db.journal_with(Box::new(
            move |conn: &mut AnyConnection, done: &[String], pending: &str| {
                if first.swap(true, Ordering::Relaxed) {
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
                } else {
                    journal_row(&repository, conn, direction, &new_row, done, Some(pending))
                }
            },
        ));
        let result = (|| -> Result<Change> {
            if in_transaction {
                self.begin()?;
            }
            call(&mut self.db, migration, direction)?;
            if check_foreign_keys {
                self.db.check_foreign_keys()?;
            }
            let (executed_at, duration_us) =
                (chrono::Utc::now().naive_utc(), micros(started.elapsed()));
            let change = match direction {
                Direction::Up if written.load(Ordering::Relaxed) => {
                    self.repository.complete(
                        &mut self.db,
                        module,
                        migration.name,
                        executed_at,
                        duration_us,
                    )?;
                    Change::applied(migration, batch, executed_at, duration_us)
                }
                Direction::Up => {
                    // Nothing went through `Db`: the row is written applied at once.
                    self.repository.insert(
                        self.db.connection(),
                        &NewRow {
                            executed_at,
                            duration_us,
                            state: RowState::Applied,
                            ..new_row
                        },
                        &[],
                        None,
                    )?;
                    Change::applied(migration, batch, executed_at, duration_us)
                }
                Direction::Down => {
                    self.repository
                        .delete(&mut self.db, module, migration.name)?;
                    Change::RolledBack {
                        module,
                        name: migration.name,
                    }
                }
            };
            if in_transaction {
                self.db.connection().commit()?;
            }
            Ok(change)
        })();
        self.db.stop_journal();
        let source = match result {
            Ok(change) => {
                self.changed(change);
                return Ok(());
            }
            Err(source) => source,
        };
        let executed = self.db.take_executed();
        if in_transaction {
            let _ = self.db.connection().rollback();
        }
        // In a transaction, what ran took effect when something committed it: a DDL
        // statement commits the open transaction before it runs, even one that then fails
        // (though not one the server could not parse). The row the journal wrote in that
        // transaction tells which: still running after the rollback, it was committed, and
        // so was everything before it.
        let took_effect = if in_transaction && written.load(Ordering::Relaxed) {
            match self
                .repository
                .state_of(&mut self.db, module, migration.name)
            {
                Ok(Some(state)) if state == running => executed,
                Ok(_) => Vec::new(),
                // Unread, what the statements were tells.
                Err(_) => self.db.dialect().took_effect(executed),
            }
        } else if in_transaction {
            Vec::new()
        } else {
            executed
        };
        if !written.load(Ordering::Relaxed) {
            // No row was written: the rollback took back everything.
            return Err(failed(migration, direction, source, took_effect));
        }
        // The record says what stays; a failure to write it is reported with the cause.
        let recorded = if took_effect.is_empty() {
            // Nothing took effect: as if the migration had not begun.
            match direction {
                Direction::Up => self
                    .repository
                    .delete(&mut self.db, module, migration.name)
                    .map(drop),
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

/// The first record of a journaled migration: its row, for an `up`; its state, for a
/// `down`.
fn journal_row(
    repository: &Repository,
    conn: &mut AnyConnection,
    direction: Direction,
    row: &NewRow<'_>,
    done: &[String],
    pending: Option<&str>,
) -> Result<()> {
    match direction {
        Direction::Up => repository.insert(conn, row, done, pending).map(drop),
        Direction::Down => repository.journal_on(
            conn,
            row.module,
            row.name,
            &Journal {
                state: row.state,
                statements: done,
                pending,
                error: None,
            },
        ),
    }
}

/// A migration's row before it runs.
fn new_row_of(migration: &'static Migration, batch: i32) -> NewRow<'static> {
    NewRow {
        name: migration.name,
        module: migration.module_label(),
        batch,
        executed_at: chrono::Utc::now().naive_utc(),
        duration_us: 0,
        checksum: migration.checksum,
        state: RowState::Migrating,
    }
}

/// The report of a migration that ran, which took `duration`.
fn done(registry: &Registry, step: PlanStep, direction: Direction, duration: Duration) -> Step {
    Step {
        replaced_by: replaced_by(registry, step.migration, direction),
        module: step.migration.module_label().to_owned(),
        name: step.migration.name.to_owned(),
        direction,
        batch: step.batch,
        duration,
        sql: Vec::new(),
        checked: true,
    }
}

/// The squash that replaced `migration`, rolled back: its run was only its row's. (A
/// replaced migration never runs up; an apply does not look.)
fn replaced_by(registry: &Registry, migration: &Migration, direction: Direction) -> Option<String> {
    if direction == Direction::Up {
        return None;
    }
    registry
        .squash_of(migration.module, migration.name)
        .map(|squash| squash.name.to_owned())
}

fn micros(took: Duration) -> i64 {
    i64::try_from(took.as_micros()).unwrap_or(i64::MAX)
}

/// What a statement that gave up waiting waited for.
enum Waited {
    /// SQLite's file, which another connection's write transaction held.
    Busy,
    /// A lock on what the statement touches (another database's lock timeout).
    Lock,
}

/// Whether `error`, or what it wraps, is a statement that gave up waiting, and for what.
fn gave_up_waiting(dialect: &dyn crate::backend::Dialect, error: &Error) -> Option<Waited> {
    let mut at: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = at {
        if let Some(error) = error.downcast_ref::<Error>() {
            if dialect.is_busy(error) {
                return Some(Waited::Busy);
            }
            if dialect.gave_up_waiting(error) {
                return Some(Waited::Lock);
            }
        }
        at = error.source();
    }
    None
}
