//! `Db`: what a migration receives.

use crate::connection::AnyConnection;
use crate::error::Result;
use crate::schema::Schema;
use crate::url::{Backend, DatabaseUrl};

/// The database as a migration sees it: the schema builder, raw SQL, and the diesel
/// connection for data migrations.
pub struct Db {
    conn: AnyConnection,
    module: Option<String>,
    executed: Vec<String>,
}

impl Db {
    /// Opens the database `url` names (`sqlite://…`, a file path, `postgres://…`, `mysql://…`).
    pub fn connect(url: &str) -> Result<Db> {
        Db::connect_url(&DatabaseUrl::parse(url)?)
    }

    /// Opens the database of a parsed URL.
    pub fn connect_url(url: &DatabaseUrl) -> Result<Db> {
        Ok(Db::new(AnyConnection::establish_url(url)?))
    }

    /// Wraps an open connection.
    pub fn new(conn: AnyConnection) -> Db {
        Db {
            conn,
            module: None,
            executed: Vec::new(),
        }
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    /// The schema builder: `db.schema().create_table("items")…execute()`.
    pub fn schema(&mut self) -> Schema<'_> {
        Schema::new(self)
    }

    /// Runs SQL as written: the escape hatch for what the builder does not say.
    pub fn execute(&mut self, sql: &str) -> Result<()> {
        self.conn.batch_execute(sql)?;
        self.executed.push(sql.to_owned());
        Ok(())
    }

    /// The connection, for diesel queries in data migrations.
    pub fn connection(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }

    /// The module whose migration is running; `None` for core.
    pub fn module(&self) -> Option<&str> {
        self.module.as_deref()
    }

    /// Statements run since the running migration started.
    pub(crate) fn take_executed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.executed)
    }

    pub(crate) fn enter(&mut self, module: Option<&str>) {
        self.module = module.map(str::to_owned);
        self.executed.clear();
    }
}
