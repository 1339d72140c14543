//! The migrations table kept between operations of one `Migrator`: an operation that
//! follows another (1,000 `down(1)` calls, a deploy script's `latest` after `status`) would
//! otherwise read every row again each time. The rows the last operation left are kept
//! with the table's stamp (`Dialect::ledger_stamp_sql`: SQLite's data version and this
//! connection's change count, a count, largest id and sum of row versions elsewhere), read
//! under the lock as that operation ended; the next operation, under the lock again, reads
//! the stamp, and uses the rows only when it is unchanged: nobody, this connection
//! included, wrote the table in between. Rows that have passed the history check are
//! known to pass it again (the code does not change while the program runs), so a kept
//! table is not checked row by row either.

use super::repository::{Access, Row, RowState};
use super::{Migrator, history};
use crate::error::Result;
use crate::registry::Migration;

/// The rows an operation left, and what they were then.
pub(super) struct Ledger {
    rows: Vec<Row>,
    stamp: [i64; 3],
    /// Every row has passed the history check.
    verified: bool,
}

/// A change of the table an operation made, and committed.
pub(super) enum Change {
    /// A migration's row, written as applied.
    Applied(Row),
    /// A migration's row, deleted.
    RolledBack {
        module: &'static str,
        name: &'static str,
    },
}

impl Change {
    /// The row of `migration`, applied now in `batch` and taking `duration_us`.
    pub(super) fn applied(
        migration: &'static Migration,
        batch: i32,
        executed_at: chrono::NaiveDateTime,
        duration_us: i64,
    ) -> Change {
        Change::Applied(Row {
            name: migration.name.to_owned(),
            module: migration.module_label().to_owned(),
            batch,
            executed_at,
            duration_us,
            checksum: migration.checksum.to_owned(),
            state: RowState::Applied,
            statements: Vec::new(),
            pending: None,
            error: None,
        })
    }
}

impl Migrator {
    /// The rows an operation works on, under the lock: the kept ones when the stamp says
    /// nothing wrote the table since, else read (the table created on first use).
    pub(super) fn operation_rows(&mut self) -> Result<Vec<Row>> {
        self.changes = Some(Vec::new());
        if let Some(ledger) = self.ledger.take()
            && self.repository.stamp(&mut self.db) == Some(ledger.stamp)
        {
            self.verified = ledger.verified;
            return Ok(ledger.rows);
        }
        self.verified = false;
        self.repository.rows(&mut self.db, Access::Write)
    }

    /// Notes a change the running operation committed.
    pub(super) fn changed(&mut self, change: Change) {
        if let Some(changes) = &mut self.changes {
            changes.push(change);
        }
    }

    /// The running operation changed the table in a way not followed here (`repair`): the
    /// next one reads it.
    pub(super) fn lose_track(&mut self) {
        self.changes = None;
    }

    /// After an operation that succeeded, still under the lock: keeps the rows as it left
    /// them, with the stamp.
    pub(super) fn keep_ledger(&mut self, mut rows: Vec<Row>) {
        let Some(changes) = self.changes.take() else {
            return;
        };
        for change in changes {
            match change {
                Change::Applied(row) => rows.push(row),
                // Rolled back newest first: the row is nearly always the last.
                Change::RolledBack { module, name } => {
                    if let Some(at) = rows
                        .iter()
                        .rposition(|row| row.module == module && row.name == name)
                    {
                        rows.remove(at);
                    }
                }
            }
        }
        let verified = self.verified || history::all_clean(&rows, &self.registry);
        if let Some(stamp) = self.repository.stamp(&mut self.db) {
            self.ledger = Some(Ledger {
                rows,
                stamp,
                verified,
            });
        }
    }

    /// Forgets the kept rows (after a failure, or a change of table).
    pub(super) fn forget_ledger(&mut self) {
        self.ledger = None;
        self.changes = None;
    }
}
