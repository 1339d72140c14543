//! `repair`: the migrations table brought back in line with the code, once the user has
//! fixed the database where it needed fixing.

use super::repository::{Journal, Row, RowState};
use super::{Direction, Migrator};
use crate::error::Result;
use std::fmt;

/// One change `repair` makes (or, pretending, would make) to the migrations table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RepairAction {
    /// A changed migration's current source is recorded as its checksum.
    AcceptChange {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
    },
    /// The row of a migration whose code is gone is deleted.
    Forget {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
    },
    /// A failed or interrupted record is cleared: an `up` is deleted (the migration is
    /// pending again), a `down` is marked applied again.
    Clear {
        /// `core` or the module's name.
        module: String,
        /// The migration.
        name: String,
        /// Which way it had been going.
        direction: Direction,
    },
}

impl fmt::Display for RepairAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RepairAction::AcceptChange { module, name } => write!(
                f,
                "accept the current source of `{name}` of {module} (record its new checksum)"
            ),
            RepairAction::Forget { module, name } => write!(
                f,
                "forget `{name}` of {module}, whose code is gone (delete its row)"
            ),
            RepairAction::Clear {
                module,
                name,
                direction: Direction::Up,
            } => write!(
                f,
                "clear the failed or interrupted run of `{name}` of {module} (delete its row: it is pending again)"
            ),
            RepairAction::Clear {
                module,
                name,
                direction: Direction::Down,
            } => write!(
                f,
                "clear the failed or interrupted rollback of `{name}` of {module} (it stays applied)"
            ),
        }
    }
}

/// What `repair` did, or with `pretend` would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairReport {
    /// The changes, in the order of the migrations table.
    pub actions: Vec<RepairAction>,
    /// Whether they were only said, not made.
    pub pretended: bool,
}

impl Migrator {
    pub(super) fn repair_locked(&mut self, rows: &[Row], pretend: bool) -> Result<RepairReport> {
        let mut actions = Vec::new();
        for row in rows {
            let action = match (row.state, self.code_of(row)) {
                (RowState::Applied, None) => RepairAction::Forget {
                    module: row.module.clone(),
                    name: row.name.clone(),
                },
                (RowState::Applied, Some(code)) if code.checksum != row.checksum => {
                    RepairAction::AcceptChange {
                        module: row.module.clone(),
                        name: row.name.clone(),
                    }
                }
                (RowState::Applied, Some(_)) => continue,
                (RowState::Migrating | RowState::FailedUp, _) => RepairAction::Clear {
                    module: row.module.clone(),
                    name: row.name.clone(),
                    direction: Direction::Up,
                },
                (RowState::RollingBack | RowState::FailedDown, _) => RepairAction::Clear {
                    module: row.module.clone(),
                    name: row.name.clone(),
                    direction: Direction::Down,
                },
            };
            if !pretend {
                self.apply(row, &action)?;
            }
            actions.push(action);
        }
        Ok(RepairReport {
            actions,
            pretended: pretend,
        })
    }

    fn apply(&mut self, row: &Row, action: &RepairAction) -> Result<()> {
        let (module, name) = (row.module.as_str(), row.name.as_str());
        match action {
            RepairAction::AcceptChange { .. } => {
                let checksum = self
                    .code_of(row)
                    .map(|code| code.checksum)
                    .unwrap_or_default();
                self.repository
                    .set_checksum(&mut self.db, module, name, checksum)
            }
            RepairAction::Forget { .. }
            | RepairAction::Clear {
                direction: Direction::Up,
                ..
            } => self.repository.delete(&mut self.db, module, name).map(drop),
            RepairAction::Clear {
                direction: Direction::Down,
                ..
            } => self.repository.journal(
                &mut self.db,
                module,
                name,
                &Journal {
                    state: RowState::Applied,
                    statements: &[],
                    pending: None,
                    error: None,
                },
            ),
        }
    }
}
