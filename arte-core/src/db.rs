//! `Db`: what a migration receives, and what runs the schema builder's statements.

use crate::backend::{AnyConnection, Backend, Dialect, LockSite};
use crate::error::{Error, Result};
use crate::registry::Migration;
use crate::schema::{Runner, Schema, SchemaError, Statement, TableDef, render};
use crate::url::DatabaseUrl;

/// The database as a migration sees it: the schema builder, raw SQL, and the diesel
/// connection for data migrations.
pub struct Db {
    conn: AnyConnection,
    running: Option<&'static Migration>,
    executed: Vec<String>,
    journal: Option<JournalHook>,
    capture: Option<Capture>,
    watch: Option<Watch>,
    /// The running migration has a transaction of its own, which takes back a schema
    /// statement's parts together with the migration: no savepoint of their own.
    guarded: bool,
    /// A schema statement that failed part-way in a guarded migration, for the runner to
    /// roll the migration back even if its code carried on.
    half_done: Option<String>,
    /// [`Db::connection`] was asked for: statements may have gone around `Db` (and its
    /// [`Watch`]) since [`Db::took_connection`] was last asked.
    connection_taken: bool,
    /// Where the migrator's lock is taken (SQLite: the file, and the descriptor kept open
    /// on it). Declared after `conn`, so dropped after it: see [`LockSite`].
    pub(crate) lock_site: LockSite,
}

/// While foreign keys are not enforced (SQLite, during a migration), what the statements
/// `Db` runs may have done to them: the runner checks them after a migration only when it
/// may have broken one, so that a migration that only creates tables costs no check (which
/// reads every table).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Watch {
    /// A statement ran that may leave a row pointing at nothing.
    pub suspect: bool,
    /// Schema statements that cannot (`CREATE …`, `DROP INDEX`, the drop of an empty
    /// table), which the runner compares with the schema's version to see statements that
    /// did not pass through `Db`.
    pub harmless_ddl: i64,
    /// The next `DROP TABLE` drops a table the builder found empty.
    empty_drop: bool,
}

impl Watch {
    /// Nothing suspect, and `harmless_ddl` harmless schema statements.
    pub(crate) fn harmless(harmless_ddl: i64) -> Watch {
        Watch {
            harmless_ddl,
            ..Watch::default()
        }
    }

    fn see(&mut self, sql: &str) {
        let mut words = sql.split_whitespace().map(str::to_ascii_uppercase);
        let first = words.next().unwrap_or_default();
        let second = words.next().unwrap_or_default();
        let empty_drop = std::mem::take(&mut self.empty_drop);
        // One statement only: text after a `;` is not looked at.
        let single = sql
            .trim_end()
            .trim_end_matches(';')
            .split(';')
            .nth(1)
            .is_none();
        match (first.as_str(), second.as_str()) {
            _ if !single => self.suspect = true,
            ("CREATE", _) => self.harmless_ddl += 1,
            ("DROP", "INDEX" | "VIEW" | "TRIGGER") => self.harmless_ddl += 1,
            ("DROP", "TABLE") if empty_drop => self.harmless_ddl += 1,
            ("SELECT" | "SAVEPOINT" | "RELEASE", _) => {}
            _ => self.suspect = true,
        }
    }
}

/// A pretended run's record of the SQL a migration runs: the schema builder's statements
/// and raw SQL as `Db` runs them, and what the migration's own code sends through
/// [`Db::connection`], seen by diesel's instrumentation while the gate is open.
struct Capture {
    /// Record statements without running them (where the database cannot take them back).
    listing: bool,
    sql: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// Open while the migration's own code has the connection; `Db`'s own queries close it.
    gate: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Capture {
    fn push(&self, sql: &str) {
        if let Ok(mut all) = self.sql.lock() {
            all.push(sql.to_owned());
        }
    }

    /// Closes the gate for `Db`'s own work, and says what it was.
    fn close(&self) -> bool {
        self.gate.swap(false, std::sync::atomic::Ordering::SeqCst)
    }

    fn reopen(&self, was: bool) {
        self.gate.store(was, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Runs before each statement of a journaled migration, with the statements that took
/// effect so far and the one about to run.
pub(crate) type JournalHook =
    Box<dyn FnMut(&mut AnyConnection, &[String], &str) -> Result<()> + Send>;

impl Db {
    /// Opens the database `url` names (`sqlite://…`, a file path, `postgres://…`, `mysql://…`).
    pub fn connect(url: &str) -> Result<Db> {
        Db::connect_url(&DatabaseUrl::parse(url)?)
    }

    /// Opens the database of a parsed URL.
    pub fn connect_url(url: &DatabaseUrl) -> Result<Db> {
        Ok(Db::new(AnyConnection::connect_url(url)?))
    }

    /// Wraps an open connection.
    pub fn new(conn: AnyConnection) -> Db {
        Db {
            conn,
            running: None,
            executed: Vec::new(),
            journal: None,
            capture: None,
            watch: None,
            connection_taken: false,
            guarded: false,
            half_done: None,
            lock_site: LockSite::default(),
        }
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    pub(crate) fn dialect(&self) -> &'static dyn Dialect {
        self.backend().dialect()
    }

    /// The schema builder: `db.schema().create_table("items")…execute()`.
    pub fn schema(&mut self) -> Schema<'_> {
        Schema::new(self)
    }

    /// Runs SQL as written: the escape hatch for what the builder does not say.
    pub fn execute(&mut self, sql: &str) -> Result<()> {
        if let Some(capture) = &self.capture {
            capture.push(sql);
            if capture.listing {
                return Ok(());
            }
            let was = capture.close();
            let result = self.conn.batch_execute(sql);
            if let Some(capture) = &self.capture {
                capture.reopen(was);
            }
            result?;
            self.executed.push(sql.to_owned());
            return Ok(());
        }
        if let Some(journal) = &mut self.journal {
            journal(&mut self.conn, &self.executed, sql)?;
        }
        if let Some(watch) = &mut self.watch {
            watch.see(sql);
        }
        self.conn.batch_execute(sql)?;
        self.executed.push(sql.to_owned());
        Ok(())
    }

    /// The connection, for diesel queries in data migrations.
    pub fn connection(&mut self) -> &mut AnyConnection {
        self.connection_taken = true;
        &mut self.conn
    }

    /// Whether [`Db::connection`] was asked for since the last call: what ran through it
    /// is not in the [`Watch`].
    pub(crate) fn took_connection(&mut self) -> bool {
        std::mem::take(&mut self.connection_taken)
    }

    /// The connection and where the migrator's lock is taken, for the lock's calls.
    pub(crate) fn lock_parts(&mut self) -> (&mut AnyConnection, &mut LockSite) {
        (&mut self.conn, &mut self.lock_site)
    }

    /// The module whose migration is running; `None` for core.
    pub fn module(&self) -> Option<&str> {
        self.running.and_then(|m| m.module)
    }

    /// The name of the migration that is running, if any: one function can serve several
    /// migrations registered by hand (see [`Registry::from_migrations`](crate::Registry)).
    pub fn migration_name(&self) -> Option<&'static str> {
        self.running.map(|m| m.name)
    }

    /// Statements run since the running migration started.
    pub(crate) fn take_executed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.executed)
    }

    /// Records the SQL of what runs from here on, for a pretended run; with `listing`, the
    /// statements `Db` runs are recorded and not run.
    pub(crate) fn start_capture(&mut self, listing: bool) {
        use diesel::Connection;
        use diesel::connection::InstrumentationEvent;
        let sql = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let gate = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (seen, open) = (std::sync::Arc::clone(&sql), std::sync::Arc::clone(&gate));
        self.conn
            .set_instrumentation(move |event: InstrumentationEvent<'_>| {
                if let InstrumentationEvent::StartQuery { query, .. } = event
                    && open.load(std::sync::atomic::Ordering::SeqCst)
                {
                    let text = query.to_string();
                    if !is_transaction_control(&text)
                        && let Ok(mut seen) = seen.lock()
                    {
                        seen.push(text);
                    }
                }
            });
        self.capture = Some(Capture { listing, sql, gate });
    }

    /// Whether the statements of the migration about to run are only listed.
    pub(crate) fn set_listing(&mut self, listing: bool) {
        if let Some(capture) = &mut self.capture {
            capture.listing = listing;
        }
    }

    /// Opens the gate while a migration's own code runs; returns what it recorded when
    /// closed again.
    pub(crate) fn captured(&mut self, open: bool) -> Vec<String> {
        match &self.capture {
            Some(capture) => {
                capture.reopen(open);
                if open {
                    return Vec::new();
                }
                capture
                    .sql
                    .lock()
                    .map(|mut sql| std::mem::take(&mut *sql))
                    .unwrap_or_default()
            }
            None => Vec::new(),
        }
    }

    pub(crate) fn stop_capture(&mut self) {
        use diesel::Connection;
        self.capture = None;
        self.conn
            .set_instrumentation(None::<fn(diesel::connection::InstrumentationEvent<'_>)>);
    }

    /// Writes each statement to the migrations table before it runs, until
    /// [`Db::stop_journal`].
    pub(crate) fn journal_with(&mut self, hook: JournalHook) {
        self.journal = Some(hook);
    }

    pub(crate) fn stop_journal(&mut self) {
        self.journal = None;
    }

    /// Marks `migration` (or none) as the one running, and forgets the statements run.
    pub(crate) fn enter(&mut self, migration: Option<&'static Migration>) {
        self.running = migration;
        self.executed.clear();
    }

    /// Starts (`true`) or stops watching statements for what they may do to foreign keys.
    pub(crate) fn watch(&mut self, on: bool) {
        self.watch = on.then(Watch::default);
    }

    /// What was seen since the last call, and a fresh start.
    pub(crate) fn watched(&mut self) -> Option<Watch> {
        self.watch.as_mut().map(std::mem::take)
    }

    /// Says whether the running migration's own transaction guards its statements.
    pub(crate) fn guard(&mut self, guarded: bool) {
        self.guarded = guarded;
        self.half_done = None;
    }

    /// A schema statement that failed part-way since [`Db::guard`], if any.
    pub(crate) fn take_half_done(&mut self) -> Option<String> {
        self.half_done.take()
    }

    /// Runs the statements; where DDL is transactional, all or nothing: a savepoint inside
    /// a migration, a transaction of its own outside one.
    fn atomically(&mut self, statements: &[String]) -> Result<()> {
        let atomic = statements.len() > 1 && self.dialect().transactional_ddl();
        if atomic && self.guarded && self.capture.is_none() {
            // The migration's transaction takes the parts back with it; a failure after
            // the first part fails the migration even if its code carries on.
            for (done, sql) in statements.iter().enumerate() {
                if let Err(error) = self.execute(sql) {
                    if done > 0 {
                        self.half_done = Some(error.to_string());
                    }
                    return Err(error);
                }
            }
            return Ok(());
        }
        if atomic {
            self.conn.begin_nested()?;
        }
        let result = statements.iter().try_for_each(|sql| self.execute(sql));
        if atomic {
            match &result {
                Ok(()) => self.conn.commit()?,
                Err(_) => {
                    // The statement's own error is what matters.
                    let _ = self.conn.rollback();
                }
            }
        }
        result
    }

    /// A rebuild, which needs foreign keys off: the runner turns them off around each
    /// migration; outside one, the rebuild does so itself and checks them before committing.
    fn rebuild(&mut self, table: &str, statements: &[String]) -> Result<()> {
        let dialect = self.dialect();
        if !dialect.foreign_keys_enforced(&mut self.conn)? {
            return self.atomically(statements);
        }
        if self.conn.in_transaction() {
            return Err(SchemaError::RebuildWithForeignKeys {
                table: table.to_owned(),
            }
            .into());
        }
        dialect.set_foreign_keys(&mut self.conn, false)?;
        let result = (|| {
            self.conn.begin_nested()?;
            let work = statements
                .iter()
                .try_for_each(|sql| self.execute(sql))
                .and_then(|()| self.check_foreign_keys());
            match work {
                Ok(()) => self.conn.commit(),
                Err(error) => {
                    let _ = self.conn.rollback();
                    Err(error)
                }
            }
        })();
        dialect.set_foreign_keys(&mut self.conn, true)?;
        result
    }

    /// Refuses rows left pointing at nothing while enforcement was suspended.
    pub(crate) fn check_foreign_keys(&mut self) -> Result<()> {
        let violations = self.dialect().foreign_key_violations(&mut self.conn)?;
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Error::ForeignKeyViolations { rows: violations })
        }
    }
}

impl Runner for Db {
    fn backend(&self) -> Backend {
        Db::backend(self)
    }

    fn read_table(&mut self, table: &str) -> Result<TableDef> {
        self.dialect().read_table(&mut self.conn, table)
    }

    fn run(&mut self, statement: Statement) -> Result<()> {
        // `Db`'s own queries (reading a table back, savepoints) are not the migration's SQL.
        let was = self.capture.as_ref().map(Capture::close);
        let result = self.run_statement(statement);
        if let (Some(capture), Some(was)) = (&self.capture, was) {
            capture.reopen(was);
        }
        result
    }
}

impl Db {
    fn run_statement(&mut self, statement: Statement) -> Result<()> {
        if let (Some(module), Some((table, action))) = (self.module(), statement.new_table_name())
            && !arte_vocab::name::table_belongs_to(module, table)
        {
            return Err(SchemaError::ModulePrefix {
                module: module.to_owned(),
                table: table.to_owned(),
                action,
            }
            .into());
        }
        let dialect = self.dialect();
        let rebuilt = statement
            .rebuilt_table(|actions| dialect.rebuilds(actions))
            .map(str::to_owned);
        let live = match &rebuilt {
            Some(table) => Some(self.read_table(table)?),
            None => None,
        };
        if self.watch.is_some()
            && let Some(table) = statement.dropped_table()
        {
            let empty = self.is_empty(table);
            if let Some(watch) = &mut self.watch {
                watch.empty_drop = empty;
            }
        }
        dialect.refuse_on_live(&mut self.conn, &statement)?;
        let statements = render::to_sql(dialect, statement, live.as_ref())?;
        match rebuilt {
            Some(table) => self.rebuild(&table, &statements),
            None => self.atomically(&statements),
        }
    }
}

impl Db {
    /// Whether `table` has no row (`false` when it cannot tell, a missing table included).
    fn is_empty(&mut self, table: &str) -> bool {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct One {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            #[allow(dead_code)]
            one: i32,
        }
        let sql = format!(
            "SELECT 1 AS one FROM {} LIMIT 1",
            self.dialect().quote(table)
        );
        diesel::sql_query(sql)
            .load::<One>(&mut self.conn)
            .is_ok_and(|rows| rows.is_empty())
    }
}

/// `BEGIN`, `COMMIT`, savepoints: how a query is wrapped, not what it does.
fn is_transaction_control(sql: &str) -> bool {
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "BEGIN" | "COMMIT" | "ROLLBACK" | "SAVEPOINT" | "RELEASE" | "START" | "END"
    )
}
