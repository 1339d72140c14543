//! A database nobody else sees, of the same kind as the configured one, to run the
//! migrations on: a new in-memory database for SQLite; for PostgreSQL and MySQL a database
//! created on the same server for the purpose and dropped afterwards. The configured
//! database itself is never touched: for SQLite it is not even opened.

use super::ContractError;
use crate::backend::AnyConnection;
use crate::db::Db;
use crate::error::Result;
use crate::url::DatabaseUrl;
use std::sync::atomic::{AtomicU32, Ordering};

/// A scratch database, dropped with this value.
pub(crate) struct Scratch {
    /// The connection to the configured server that created it, and its name; `None`
    /// for SQLite's in-memory database, which goes with its connection.
    owner: Option<(AnyConnection, String)>,
    url: DatabaseUrl,
}

impl Scratch {
    /// A new, empty database beside the one `configured` names.
    pub(crate) fn create(configured: &DatabaseUrl) -> Result<Scratch> {
        let dialect = configured.backend().dialect();
        let memory = DatabaseUrl::parse("sqlite::memory:")?;
        if !dialect.scratch_on_server() {
            return Ok(Scratch {
                owner: None,
                url: memory,
            });
        }
        let failed = |source| ContractError::Scratch {
            backend: configured.backend().display_name(),
            source: Box::new(source),
        };
        let mut conn = AnyConnection::connect_url(configured).map_err(failed)?;
        let name = scratch_name();
        let url = dialect
            .create_scratch(&mut conn, configured, &name)
            .map_err(failed)?;
        Ok(Scratch {
            owner: Some((conn, name)),
            url,
        })
    }

    /// A connection to it.
    pub(crate) fn connect(&self) -> Result<Db> {
        Db::connect_url(&self.url)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((conn, name)) = &mut self.owner {
            // Nothing to report it to; a database left behind is named for what it was.
            let _ = conn.dialect().drop_scratch(conn, name);
        }
    }
}

/// `arte_scratch_<pid>_<n>_<time>`: unique on the server, at most 63 characters.
fn scratch_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "arte_scratch_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
