//! One migrator at a time per database: every operation that writes holds the backend's
//! lock from start to end (PostgreSQL's advisory locks, MySQL's named locks, a lock on the
//! SQLite file). Waiting is bounded; after about a second the wait is announced with the
//! holder where the database can tell, and a lock whose holder died is released by the
//! database (or the operating system) with its session.

use super::{Event, Migrator};
use crate::backend::Held;
use crate::error::{Error, Result};
use std::time::{Duration, Instant};

/// When the wait is announced.
const ANNOUNCE_AFTER: Duration = Duration::from_secs(1);

impl Migrator {
    /// The lock's name: one per migrations table (the backend adds the database's name
    /// where its locks are the server's), so unrelated applications never wait.
    fn lock_name(&self) -> String {
        format!("arte:{}", self.repository.table())
    }

    pub(super) fn acquire_lock(&mut self) -> Result<Held> {
        let dialect = self.db.dialect();
        let name = self.lock_name();
        let timeout = self.lock_timeout;
        if self.writers_wait != Some(timeout) {
            dialect.wait_for_writers(self.db.connection(), timeout)?;
            self.writers_wait = Some(timeout);
        }
        let started = Instant::now();
        let mut announced = false;
        let mut pause = Duration::from_millis(10);
        loop {
            let (conn, site) = self.db.lock_parts();
            if let Some(held) = dialect.try_lock(conn, &name, site)? {
                return Ok(held);
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(Error::LockTimeout {
                    table: self.repository.table().to_owned(),
                    seconds: timeout.as_secs(),
                    holder: self.lock_holder()?,
                });
            }
            if !announced && waited >= ANNOUNCE_AFTER {
                announced = true;
                let holder = self.lock_holder()?;
                self.emit(Event::LockWait {
                    holder: holder.as_deref(),
                    timeout,
                })?;
            }
            std::thread::sleep(pause.min(timeout.saturating_sub(waited)));
            pause = (pause * 2).min(Duration::from_millis(250));
        }
    }

    /// Releases the lock; returns the server's quiet mark where the release read it.
    pub(super) fn release_lock(&mut self, held: Held) -> Result<Option<String>> {
        let name = self.lock_name();
        let dialect = self.db.dialect();
        let (conn, site) = self.db.lock_parts();
        dialect.unlock(conn, &name, held, site)
    }

    /// Who holds the lock now, if anybody (where the database can tell). Reads only.
    pub(super) fn lock_holder(&mut self) -> Result<Option<String>> {
        let name = self.lock_name();
        let dialect = self.db.dialect();
        let (conn, site) = self.db.lock_parts();
        dialect.lock_holder(conn, &name, site)
    }
}
