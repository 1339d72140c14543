//! One migrator at a time per migrations table: the backend's lock (PostgreSQL's advisory
//! locks, MySQL's named locks) is held for a whole operation. SQLite needs none: each
//! migration's transaction takes the write lock and checks the table again.

use crate::db::Db;
use crate::error::{Error, Result};
use std::time::Duration;

/// How long to wait for another migrator before giving up.
const WAIT: Duration = Duration::from_secs(60);

/// The lock's name: one per migrations table (the backend adds the database's name where
/// its locks are the server's), so unrelated applications never wait.
fn name(table: &str) -> String {
    let mut name = format!("arte:{table}");
    name.truncate(64);
    name
}

pub(crate) fn acquire(db: &mut Db, table: &str) -> Result<()> {
    let dialect = db.dialect();
    if dialect.lock(db.connection(), &name(table), WAIT)? {
        Ok(())
    } else {
        Err(Error::LockTimeout {
            table: table.to_owned(),
            seconds: WAIT.as_secs() as u32,
        })
    }
}

pub(crate) fn release(db: &mut Db, table: &str) -> Result<()> {
    let dialect = db.dialect();
    dialect.unlock(db.connection(), &name(table))
}
