//! The migrations table kept between operations of one `Migrator`: an operation that
//! follows another (1,000 `down(1)` calls, a deploy script's `latest` after `status`) would
//! otherwise read every row again each time. The rows the last operation left are kept with
//! what says whether the table changed, read under the lock as that operation ended: the
//! server's quiet mark where it has one (`Dialect::quiet_mark_sql`: PostgreSQL's snapshot,
//! which stays the same while no transaction anywhere writes and ends, read by the
//! statement that releases the lock before it does), else the table's stamp
//! (`Dialect::ledger_stamp`: SQLite's data version and this connection's change count and
//! schema version; MariaDB's InnoDB transaction counter, which like PostgreSQL's mark moves
//! whenever anything on the server writes; on MySQL and on a Galera node, `CHECKSUM
//! TABLE`). The next operation, under the lock again, reads it again and uses the rows only
//! when it is unchanged: nobody, this connection included, wrote the table in between.
//! Where nothing ran on this connection in between (no `Migrator::db` lent it out),
//! SQLite's own counters are where the last operation left them, and its data version is
//! read alone (`Dialect::stamp_since`). Status (`list`), which takes no lock, does the
//! same: the mark is one statement, as its read of the table would be. The mark, SQLite's
//! stamp and MariaDB's counter are read in constant time, the checksum in time that grows
//! with the table; where the mark moved (another application wrote anything), the table is
//! read again. Rows that have passed the history check are known to pass it again (the code
//! does not change while the program runs), so a kept table is not checked row by row
//! either.

use super::repository::{Access, Row, RowState};
use super::{Migrator, history};
use crate::error::Result;
use crate::registry::Migration;

/// The rows an operation left, and what they were then.
pub(super) struct Ledger {
    rows: Vec<Row>,
    seen: Seen,
    /// Every row has passed the history check.
    verified: bool,
    /// Nothing has run on this connection since `seen` was read or told (see
    /// [`Migrator::connection_used`]): where `seen` is a stamp, only other connections can
    /// have moved it (`Dialect::stamp_since`).
    quiet: bool,
}

/// What said, as the last operation ended, that the table is as it left it.
#[derive(PartialEq)]
enum Seen {
    /// The server's quiet mark.
    Mark(String),
    /// The table's stamp.
    Stamp([i64; 3]),
    /// The quiet mark, to be read by the lock's release (`Dialect::unlock`), in the same
    /// statement; never equal to what is read.
    AtRelease,
}

impl Migrator {
    /// The quiet mark, where the server has one, else the table's stamp, now; `None` when
    /// neither can be read.
    fn seen(&mut self) -> Option<Seen> {
        if self.db.dialect().quiet_mark_sql().is_some() {
            return self.repository.quiet_mark(&mut self.db).map(Seen::Mark);
        }
        self.repository.stamp(&mut self.db).map(Seen::Stamp)
    }
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
            journal: None,
        })
    }
}

impl Migrator {
    /// The rows an operation works on, under the lock: the kept ones when the mark or
    /// stamp says nothing wrote the table since, else read (the table created on first use).
    pub(super) fn operation_rows(&mut self) -> Result<Vec<Row>> {
        self.changes = Some(Vec::new());
        if let Some(ledger) = self.current_ledger() {
            self.verified = ledger.verified;
            // The stamp just read is the kept one: nothing was written since.
            if let Seen::Stamp(stamp) = ledger.seen {
                self.stamp_at_start = Some(stamp);
                self.marks_at_start = self.db.dialect().change_marks_in_stamp(stamp);
            }
            return Ok(ledger.rows);
        }
        self.verified = false;
        self.repository.rows(&mut self.db, Access::Write)
    }

    /// Outside an operation (`list`, which takes no lock): `read` over the kept rows when
    /// the mark or stamp, read now, says nothing wrote the table since the last operation
    /// ended; `None` (and the rows forgotten) when it moved or none are kept. The mark is
    /// one statement, as a read of the table would be, so the rows are what that read
    /// would give.
    pub(super) fn with_current_ledger<T>(
        &mut self,
        read: impl FnOnce(&mut Self, &mut [Row]) -> T,
    ) -> Option<T> {
        let mut ledger = self.current_ledger()?;
        let value = read(self, &mut ledger.rows);
        self.ledger = Some(ledger);
        Some(value)
    }

    /// The kept rows, taken, when the mark or stamp read now is the one kept with them;
    /// `None` (and the rows forgotten) when it moved or none are kept.
    fn current_ledger(&mut self) -> Option<Ledger> {
        let ledger = self.ledger.take()?;
        let now = match ledger.seen {
            Seen::Stamp(kept) if ledger.quiet => self
                .db
                .dialect()
                .stamp_since(self.db.connection(), kept)
                .map(Seen::Stamp)
                .or_else(|| self.seen()),
            _ => self.seen(),
        };
        (now.as_ref() == Some(&ledger.seen)).then_some(ledger)
    }

    /// This connection is used outside the operations (lent out by [`Migrator::db`], or a
    /// pretended operation's work taken back): foreign keys the last operation left off
    /// are turned back on first; a kept stamp is read whole next time, whether foreign
    /// keys are on is asked again and the wait for writers set again.
    pub(super) fn connection_used(&mut self) {
        // `PRAGMA foreign_keys = ON` touches no file and cannot fail on a connection that
        // answers; where it did, the next operation asks whether they are on.
        let _ = self.pay_foreign_keys();
        self.writers_wait = None;
        if let Some(ledger) = &mut self.ledger {
            ledger.quiet = false;
        }
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
    /// them, with the mark or stamp.
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
        let dialect = self.db.dialect();
        let seen = if dialect.quiet_mark_sql().is_some() {
            Some(Seen::AtRelease)
        } else if let Some(stamp) = self
            .stamp_at_start
            .zip(self.marks_at_end)
            .and_then(|(start, marks)| dialect.stamp_after(start, marks))
        {
            // Told from the counters followed through the operation, without a statement.
            Some(Seen::Stamp(stamp))
        } else {
            self.repository.stamp(&mut self.db).map(Seen::Stamp)
        };
        if let Some(seen) = seen {
            self.ledger = Some(Ledger {
                rows,
                seen,
                verified,
                quiet: true,
            });
        }
    }

    /// After the lock's release: the kept rows get the quiet mark it read, or are
    /// forgotten if they wait for one and it read none.
    pub(super) fn ledger_released(&mut self, mark: Option<String>) {
        if let Some(ledger) = &mut self.ledger
            && ledger.seen == Seen::AtRelease
        {
            match mark {
                Some(mark) => ledger.seen = Seen::Mark(mark),
                None => self.ledger = None,
            }
        }
    }

    /// Forgets the kept rows (after a failure, or a change of table).
    pub(super) fn forget_ledger(&mut self) {
        self.ledger = None;
        self.changes = None;
    }
}
