//! Running migrations one by one, each in a transaction together with its row.

use super::repository::NewRow;
use super::{Direction, Event, Migrator, Planned, Report, Step};
use crate::error::{Error, Result};
use crate::registry::Migration;
use std::time::Instant;

/// One migration of a plan: the code, the batch it runs in (or, rolled back, ran in), and
/// for a rollback the row to remove.
#[derive(Debug, Clone, Copy)]
pub(super) struct PlanStep {
    pub migration: &'static Migration,
    pub batch: i32,
    pub row_id: Option<i64>,
}

impl Migrator {
    pub(super) fn run(&mut self, direction: Direction, plan: Vec<PlanStep>) -> Result<Report> {
        let planned: Vec<Planned> = plan
            .iter()
            .map(|step| Planned {
                module: step.migration.module_label().to_owned(),
                name: step.migration.name.to_owned(),
            })
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
        for planned in plan {
            if let Some(step) = self.run_one(planned, direction)? {
                self.emit(match direction {
                    Direction::Up => Event::Migrated { step: &step },
                    Direction::Down => Event::RolledBack { step: &step },
                })?;
                steps.push(step);
            }
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

    /// Runs one migration; `None` when another migrator did it first.
    fn run_one(&mut self, step: PlanStep, direction: Direction) -> Result<Option<Step>> {
        self.db.enter(Some(step.migration));
        // SQLite: foreign keys off for the migration (a table rebuild needs it, and it can
        // only change outside a transaction), checked before the migration commits.
        let dialect = self.db.dialect();
        let foreign_keys = dialect.foreign_keys_enforced(self.db.connection())?;
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), false)?;
        }
        let outcome = self.run_in_transaction(step, direction, foreign_keys);
        if foreign_keys {
            dialect.set_foreign_keys(self.db.connection(), true)?;
        }
        outcome
    }

    fn run_in_transaction(
        &mut self,
        step: PlanStep,
        direction: Direction,
        check_foreign_keys: bool,
    ) -> Result<Option<Step>> {
        let PlanStep {
            migration,
            batch,
            row_id,
        } = step;
        let module = migration.module_label();
        self.db.connection().begin()?;
        let started = Instant::now();
        let executed_at = chrono::Utc::now().naive_utc();
        let result = (|| -> Result<bool> {
            let present = self
                .repository
                .contains(&mut self.db, module, migration.name)?;
            match direction {
                Direction::Up => {
                    if present {
                        return Ok(false);
                    }
                    (migration.up)(&mut self.db)?;
                    let duration_us =
                        i64::try_from(started.elapsed().as_micros()).unwrap_or(i64::MAX);
                    self.repository.insert(
                        &mut self.db,
                        &NewRow {
                            name: migration.name,
                            module,
                            batch,
                            executed_at,
                            duration_us,
                            checksum: migration.checksum,
                        },
                    )?;
                }
                Direction::Down => {
                    let (Some(down), Some(id)) = (migration.down, row_id) else {
                        return Err(Error::Irreversible {
                            module: module.to_owned(),
                            name: migration.name.to_owned(),
                        });
                    };
                    if !present {
                        return Ok(false);
                    }
                    down(&mut self.db)?;
                    self.repository.delete(&mut self.db, id)?;
                }
            }
            if check_foreign_keys {
                self.db.check_foreign_keys()?;
            }
            Ok(true)
        })();
        match result {
            Ok(true) => {
                self.db.connection().commit()?;
                Ok(Some(Step {
                    module: module.to_owned(),
                    name: migration.name.to_owned(),
                    direction,
                    batch,
                    duration: started.elapsed(),
                }))
            }
            Ok(false) => {
                self.db.connection().rollback()?;
                Ok(None)
            }
            Err(source) => {
                let executed = self.db.take_executed();
                // The migration's own error is what matters; a failed rollback adds nothing to act on.
                let _ = self.db.connection().rollback();
                Err(Error::MigrationFailed {
                    module: module.to_owned(),
                    name: migration.name.to_owned(),
                    direction,
                    source: Box::new(source),
                    took_effect: self.db.dialect().took_effect(executed),
                })
            }
        }
    }
}
