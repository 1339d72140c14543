//! MariaDB Galera Cluster: a migrator lock that holds across the nodes.
//!
//! `GET_LOCK` is local to one node of a Galera cluster: a migrator on another node gets the
//! same name at once. On a cluster (a connection whose `wsrep_on` is `ON`, asked once when
//! it connects) the lock is a row of the table `arte_locks` instead, keyed by the lock's
//! name:
//!
//! - **Taking it** is one autocommitted, replicated write: an `INSERT` of the row, or, when
//!   the row is there but its lease has run out, an `UPDATE` that takes it over. Galera
//!   certifies every write against the writes the cluster ordered before it: of two
//!   migrators that write the row on two nodes at once, the second fails certification
//!   (or, retried, finds the row), so exactly one holds the lock. A write that fails
//!   certification is a lock not taken, tried again like any other.
//! - **The lease.** The row says until when it holds (`expires_at`, the node's UTC clock
//!   plus [`LEASE`]); a holder that dies stops renewing it, and once it has run out the
//!   next migrator takes the row over. Nodes' clocks must agree to well within the lease.
//! - **The heartbeat.** While the lock is held, a thread of the holder's, on a connection
//!   of its own to the same URL, renews the lease every [`RENEW_EVERY`], so a migration may
//!   run for as long as it needs. Should a renewal find the row taken by another migrator
//!   (the lease ran out while the cluster or this process stalled), the heartbeat kills
//!   the migrator's connection, when both are on the same node, so that it stops at its
//!   next statement, and the release reports the lock lost.
//! - **Releasing it** stops the heartbeat and deletes the row (only if it is still this
//!   holder's).
//! - **The holder** is in the row: host, process id, node, connection and since when, for
//!   the line that says who is being waited for.
//!
//! Each connection to a cluster also reads with `wsrep_sync_wait = 1`, so what it reads
//! (the migrations table, the lock row) is what the cluster had committed when it asked,
//! on whichever node.

use crate::backend::prepared::{Part, Prepared};
use crate::backend::{Held, failed, one_line};
use crate::error::{Error, Result};
use crate::url::DatabaseUrl;
use diesel::connection::SimpleConnection;
use diesel::result::DatabaseErrorKind;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{MysqlConnection, QueryableByName, RunQueryDsl};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a lock row holds without renewal: longer than a cluster stalls while it
/// evicts a dead node (Galera's `evs.inactive_timeout`, 15 s by default).
const LEASE: Duration = Duration::from_secs(30);

/// How often the heartbeat renews the lease: ten times within one lease.
const RENEW_EVERY: Duration = Duration::from_secs(3);

/// How soon the heartbeat tries again after a renewal that failed.
const RETRY_AFTER: Duration = Duration::from_millis(500);

/// How long a release waits for the heartbeat to end: a renewal stuck on a node that no
/// longer answers is left behind (it can no longer stop anything).
const STOP_WAIT: Duration = Duration::from_secs(10);

/// arte's lock table on a cluster (Galera needs a primary key on every table).
const TABLE: &str = "arte_locks";

const CREATE: &str = "CREATE TABLE IF NOT EXISTS `arte_locks` (\
     `name` varchar(191) NOT NULL, \
     `token` varchar(64) NOT NULL, \
     `host` varchar(255) NOT NULL, \
     `pid` bigint NOT NULL, \
     `node` varchar(255) NOT NULL, \
     `connection_id` bigint NOT NULL, \
     `acquired_at` datetime(6) NOT NULL, \
     `expires_at` datetime(6) NOT NULL, \
     PRIMARY KEY (`name`)\
     ) ENGINE=InnoDB";

const INSERT: &str = "INSERT INTO `arte_locks` \
     (name, token, host, pid, node, connection_id, acquired_at, expires_at) \
     VALUES (?, ?, ?, ?, COALESCE(@@wsrep_node_name, ''), CONNECTION_ID(), \
     UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)";

const TAKE_OVER: &str = "UPDATE `arte_locks` SET token = ?, host = ?, pid = ?, \
     node = COALESCE(@@wsrep_node_name, ''), connection_id = CONNECTION_ID(), \
     acquired_at = UTC_TIMESTAMP(6), expires_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND \
     WHERE name = ? AND expires_at < UTC_TIMESTAMP(6)";

const RENEW: &str = "UPDATE `arte_locks` SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND \
     WHERE name = ? AND token = ?";

const RELEASE: &str = "DELETE FROM `arte_locks` WHERE name = ? AND token = ?";

const TOKEN: &str = "SELECT token AS v FROM `arte_locks` WHERE name = ?";

const HOLDER: &str = "SELECT host, CAST(pid AS SIGNED) AS pid, node, \
     CAST(connection_id AS SIGNED) AS connection_id, \
     DATE_FORMAT(acquired_at, '%Y-%m-%d %H:%i:%s') AS since, \
     CAST(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), expires_at) AS SIGNED) AS seconds_left \
     FROM `arte_locks` WHERE name = ? AND expires_at >= UTC_TIMESTAMP(6)";

/// Which server a connection is on: its host and port, and the node's identity in the
/// cluster (`wsrep_gcomm_uuid`, new each time the node starts).
const SERVER: &str = "SELECT CAST(CONNECTION_ID() AS SIGNED) AS id, \
     CONCAT(@@hostname, ':', @@port, ' ', COALESCE((SELECT VARIABLE_VALUE \
     FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_GCOMM_UUID'), '')) AS server";

const WSREP_ON: &str = "SHOW VARIABLES LIKE 'wsrep_on'";

pub(super) const CLUSTER: &str = "SELECT CAST(@arte_galera AS SIGNED) AS cluster";

// -- Which connections are to a cluster.

/// The URLs of the clusters this process connected to. A connection to a cluster carries
/// its URL's index here in the session variable `@arte_galera`, so that its lock can open
/// the heartbeat's connection: one entry per URL, however many connections.
static CLUSTERS: Mutex<Vec<DatabaseUrl>> = Mutex::new(Vec::new());

fn register(url: &DatabaseUrl) -> usize {
    let mut urls = CLUSTERS.lock().unwrap_or_else(PoisonError::into_inner);
    match urls.iter().position(|known| known == url) {
        Some(index) => index,
        None => {
            urls.push(url.clone());
            urls.len() - 1
        }
    }
}

pub(super) fn registered(index: i64) -> Option<DatabaseUrl> {
    let urls = CLUSTERS.lock().unwrap_or_else(PoisonError::into_inner);
    usize::try_from(index)
        .ok()
        .and_then(|index| urls.get(index).cloned())
}

#[derive(QueryableByName)]
struct Variable {
    #[diesel(sql_type = Text, column_name = Value)]
    value: String,
}

/// Asks a new connection whether it is to a Galera cluster, once; if so, marks the
/// session as one, and makes its reads wait until the node has applied what the cluster
/// committed before them.
pub(super) fn on_connect(conn: &mut MysqlConnection, url: &DatabaseUrl) -> Result<()> {
    let rows: Vec<Variable> = diesel::sql_query(WSREP_ON)
        .load(conn)
        .map_err(failed(WSREP_ON))?;
    if rows
        .first()
        .is_some_and(|row| row.value.eq_ignore_ascii_case("ON"))
    {
        let sql = format!(
            "SET @arte_galera = {}, SESSION wsrep_sync_wait = @@SESSION.wsrep_sync_wait | 1",
            register(url)
        );
        conn.batch_execute(&sql).map_err(failed(&sql))?;
    }
    Ok(())
}

/// The URL of the cluster this connection is to, `None` when it is not to one.
pub(super) fn cluster(conn: &mut MysqlConnection) -> Result<Option<DatabaseUrl>> {
    // A statement kept, one round trip (the lock asks with its own statement).
    let rows: Vec<Option<i64>> = Prepared::<Nullable<BigInt>>::new(vec![Part::Sql(CLUSTER)])
        .load(conn)
        .map_err(failed(CLUSTER))?;
    Ok(rows.into_iter().next().flatten().and_then(registered))
}

// -- Taking and releasing the lock.

/// Takes the lock `name` without waiting: `None` when a live holder has it, or when a
/// migrator on another node wrote the row at the same moment and won.
pub(super) fn try_lock(
    conn: &mut MysqlConnection,
    name: &str,
    url: DatabaseUrl,
) -> Result<Option<Held>> {
    let token = token();
    let me = Me::this_process();
    let taken = match take(conn, name, &token, &me) {
        Ok(taken) => taken,
        Err(_) => {
            // The first lock on this database: make the table (in total order on every
            // node, as Galera runs DDL) unless another migrator just has, then try again.
            if !super::live::table_exists(conn, TABLE)? {
                conn.batch_execute(CREATE).map_err(failed(CREATE))?;
            }
            take(conn, name, &token, &me)?
        }
    };
    if !taken {
        return Ok(None);
    }
    match Lease::start(conn, name, &token, url) {
        Ok(lease) => Ok(Some(Held::Lease(lease))),
        Err(error) => {
            // Without a heartbeat the lease would run out under a long migration.
            let _ = release(conn, name, &token);
            Err(error)
        }
    }
}

/// This process, as the lock row names it.
struct Me {
    host: String,
    pid: i64,
}

impl Me {
    fn this_process() -> Me {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|host| host.trim().to_owned())
            .filter(|host| !host.is_empty())
            .unwrap_or_else(|| "an unknown host".to_owned());
        Me {
            host,
            pid: i64::from(std::process::id()),
        }
    }
}

/// One attempt: the row inserted, or an expired one taken over. A write that lost to
/// another node's (certification) is a lock not taken.
fn take(conn: &mut MysqlConnection, name: &str, token: &str, me: &Me) -> Result<bool> {
    let lease = lease_seconds();
    let inserted = diesel::sql_query(INSERT)
        .bind::<Text, _>(name)
        .bind::<Text, _>(token)
        .bind::<Text, _>(&me.host)
        .bind::<BigInt, _>(me.pid)
        .bind::<BigInt, _>(lease)
        .execute(conn);
    match inserted {
        Ok(_) => return Ok(true),
        Err(error) if lost_race(&error) => return Ok(false),
        Err(diesel::result::Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(error) => return Err(failed(INSERT)(error)),
    }
    let taken_over = diesel::sql_query(TAKE_OVER)
        .bind::<Text, _>(token)
        .bind::<Text, _>(&me.host)
        .bind::<BigInt, _>(me.pid)
        .bind::<BigInt, _>(lease)
        .bind::<Text, _>(name)
        .execute(conn);
    match taken_over {
        Ok(rows) => Ok(rows == 1),
        Err(error) if lost_race(&error) => Ok(false),
        Err(error) => Err(failed(TAKE_OVER)(error)),
    }
}

/// A write that failed certification (or a local deadlock with one that passed):
/// Galera's error 1213.
fn lost_race(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)
    )
}

fn lease_seconds() -> i64 {
    i64::try_from(LEASE.as_secs()).unwrap_or(i64::MAX)
}

/// Deletes the row if it is still this holder's; whether it was.
fn release(conn: &mut MysqlConnection, name: &str, token: &str) -> Result<bool> {
    let mut attempts = 0;
    loop {
        let deleted = diesel::sql_query(RELEASE)
            .bind::<Text, _>(name)
            .bind::<Text, _>(token)
            .execute(conn);
        match deleted {
            Ok(rows) => return Ok(rows > 0),
            Err(error) if lost_race(&error) && attempts < 5 => attempts += 1,
            Err(error) => return Err(failed(RELEASE)(error)),
        }
    }
}

/// Stops the heartbeat, then deletes the row; an error when the lease was lost meanwhile.
pub(super) fn unlock(conn: &mut MysqlConnection, name: &str, mut lease: Lease) -> Result<()> {
    let lost = lease.stop(Stop::Quietly);
    if lost || !release(conn, name, &lease.token)? {
        return Err(Error::LockLost {
            table: name.strip_prefix("arte:").unwrap_or(name).to_owned(),
            lease_seconds: LEASE.as_secs(),
        });
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Holder {
    #[diesel(sql_type = Text)]
    host: String,
    #[diesel(sql_type = BigInt)]
    pid: i64,
    #[diesel(sql_type = Text)]
    node: String,
    #[diesel(sql_type = BigInt)]
    connection_id: i64,
    #[diesel(sql_type = Text)]
    since: String,
    #[diesel(sql_type = BigInt)]
    seconds_left: i64,
}

/// `process 4242 on host build-7, through Galera node node2 (connection 17), since
/// 2026-12-01 10:00:01 UTC, its lease running for 28 s more unless renewed`; `None` when
/// there is no row, or its lease has run out (its holder is gone). Reads only: no table,
/// no holder.
pub(super) fn lock_holder(conn: &mut MysqlConnection, name: &str) -> Result<Option<String>> {
    if !super::live::table_exists(conn, TABLE)? {
        return Ok(None);
    }
    let rows: Vec<Holder> = diesel::sql_query(HOLDER)
        .bind::<Text, _>(name)
        .load(conn)
        .map_err(failed(HOLDER))?;
    Ok(rows.into_iter().next().map(|holder| {
        let node = if holder.node.is_empty() {
            String::new()
        } else {
            format!(", through Galera node {}", one_line(&holder.node))
        };
        format!(
            "process {} on host {}{node} (connection {}), since {} UTC, its lease running for {} s more unless renewed",
            holder.pid,
            one_line(&holder.host),
            holder.connection_id,
            holder.since,
            holder.seconds_left.max(0)
        )
    }))
}

/// A token no other acquisition has: this process, the time, a counter and randomness.
fn token() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.write_u32(std::process::id());
        hasher.write_u128(nanos);
        hasher.write_u64(count);
        hasher.finish()
    };
    format!("{}-{:016x}{:016x}", std::process::id(), half(1), half(2))
}

// -- The heartbeat.

/// A lock held on a cluster: the lease and the thread that renews it. Dropped without
/// [`unlock`], the heartbeat deletes the row itself.
pub(crate) struct Lease {
    name: String,
    token: String,
    stop: Option<Sender<Stop>>,
    thread: Option<JoinHandle<()>>,
    /// Set before the heartbeat is told to stop: from then on it stops nothing.
    stopping: Arc<AtomicBool>,
    lost: Arc<AtomicBool>,
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease")
            .field("name", &self.name)
            .field("lost", &self.lost.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// How the heartbeat ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The lock is being released on the migrator's connection.
    Quietly,
    /// The lease was dropped without a release: the heartbeat deletes the row.
    Release,
}

#[derive(QueryableByName)]
struct Server {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    server: String,
}

fn server(conn: &mut MysqlConnection) -> Result<Server> {
    let rows: Vec<Server> = diesel::sql_query(SERVER)
        .load(conn)
        .map_err(failed(SERVER))?;
    rows.into_iter()
        .next()
        .ok_or_else(|| Error::msg(format!("`{SERVER}` returned no row")))
}

impl Lease {
    /// Opens the heartbeat's connection and starts renewing the lease of the row just
    /// taken on `conn`.
    fn start(
        conn: &mut MysqlConnection,
        name: &str,
        token: &str,
        url: DatabaseUrl,
    ) -> Result<Lease> {
        let migrator = server(conn)?;
        let mut heartbeat = super::live::establish(&url)?;
        let beside = server(&mut heartbeat)?;
        // The migrator's connection can be stopped only from its own node.
        let fence = (beside.server == migrator.server).then_some(migrator.id);
        let (stop, stopped) = mpsc::channel();
        let stopping = Arc::new(AtomicBool::new(false));
        let lost = Arc::new(AtomicBool::new(false));
        let beat = Heartbeat {
            conn: Some(heartbeat),
            url,
            name: name.to_owned(),
            token: token.to_owned(),
            fence,
            stopping: Arc::clone(&stopping),
            lost: Arc::clone(&lost),
        };
        let thread = std::thread::Builder::new()
            .name("arte-galera-heartbeat".to_owned())
            .spawn(move || beat.run(&stopped))
            .map_err(|error| {
                Error::msg(format!("cannot start the lock's heartbeat thread: {error}"))
            })?;
        Ok(Lease {
            name: name.to_owned(),
            token: token.to_owned(),
            stop: Some(stop),
            thread: Some(thread),
            stopping,
            lost,
        })
    }

    /// Ends the heartbeat and waits for it (for at most [`STOP_WAIT`]); whether the lease
    /// was lost.
    fn stop(&mut self, how: Stop) -> bool {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(how);
        }
        if let Some(thread) = self.thread.take() {
            let deadline = Instant::now() + STOP_WAIT;
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(2));
            }
            if thread.is_finished() {
                let _ = thread.join();
            }
        }
        self.lost.load(Ordering::SeqCst)
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.stop(Stop::Release);
    }
}

struct Heartbeat {
    conn: Option<MysqlConnection>,
    url: DatabaseUrl,
    name: String,
    token: String,
    /// The migrator's connection, to kill should the lock be lost (same node only).
    fence: Option<i64>,
    stopping: Arc<AtomicBool>,
    lost: Arc<AtomicBool>,
}

/// What a renewal found.
enum Renewal {
    Renewed,
    Lost,
}

impl Heartbeat {
    fn run(mut self, stopped: &mpsc::Receiver<Stop>) {
        let mut wait = RENEW_EVERY;
        loop {
            match stopped.recv_timeout(wait) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(Stop::Release) => {
                    if let Some(conn) = self.conn.as_mut() {
                        let _ = release(conn, &self.name, &self.token);
                    }
                    return;
                }
                Ok(Stop::Quietly) | Err(RecvTimeoutError::Disconnected) => return,
            }
            wait = match self.renew() {
                Ok(Renewal::Renewed) => RENEW_EVERY,
                Ok(Renewal::Lost) if !self.stopping.load(Ordering::SeqCst) => {
                    self.lost.store(true, Ordering::SeqCst);
                    if let (Some(conn), Some(id)) = (self.conn.as_mut(), self.fence) {
                        let _ = conn.batch_execute(&format!("KILL CONNECTION {id}"));
                    }
                    return;
                }
                // Released meanwhile: the row is gone because it was let go.
                Ok(Renewal::Lost) => return,
                Err(_) => RETRY_AFTER,
            };
        }
    }

    /// One renewal; an error (the node gone, a write that lost to another) is tried again
    /// soon, on a new connection unless it was only a lost race.
    fn renew(&mut self) -> Result<Renewal> {
        if self.conn.is_none() {
            self.conn = Some(super::live::establish(&self.url)?);
        }
        let Some(conn) = self.conn.as_mut() else {
            return Err(Error::msg("the heartbeat has no connection"));
        };
        let renewed = diesel::sql_query(RENEW)
            .bind::<BigInt, _>(lease_seconds())
            .bind::<Text, _>(&self.name)
            .bind::<Text, _>(&self.token)
            .execute(conn);
        match renewed {
            Ok(rows) if rows > 0 => Ok(Renewal::Renewed),
            Ok(_) => {
                // No row of ours: read it back (waiting for the node to catch up) before
                // concluding another migrator has the lock.
                let rows: Vec<Token> = diesel::sql_query(TOKEN)
                    .bind::<Text, _>(&self.name)
                    .load(conn)
                    .map_err(failed(TOKEN))?;
                if rows.iter().any(|row| row.v == self.token) {
                    Ok(Renewal::Renewed)
                } else {
                    Ok(Renewal::Lost)
                }
            }
            Err(error) => {
                if !lost_race(&error) {
                    self.conn = None;
                }
                Err(failed(RENEW)(error))
            }
        }
    }
}

#[derive(QueryableByName)]
struct Token {
    #[diesel(sql_type = Text)]
    v: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_and_name_the_process() {
        let first = token();
        let second = token();
        assert_ne!(first, second);
        assert!(first.starts_with(&format!("{}-", std::process::id())));
        assert!(first.len() <= 64, "fits the token column: {first}");
    }

    #[test]
    fn the_heartbeat_renews_many_times_within_one_lease() {
        assert!(RENEW_EVERY * 5 <= LEASE);
        assert!(RETRY_AFTER < RENEW_EVERY);
    }

    #[test]
    fn one_url_is_registered_once() -> Result<()> {
        let url = DatabaseUrl::parse("mysql://root:secret@127.0.0.1:13306/app")?;
        let first = register(&url);
        assert_eq!(register(&url), first);
        assert!(registered(i64::try_from(first).unwrap_or(-1)).is_some_and(|known| known == url));
        assert!(registered(-1).is_none());
        Ok(())
    }
}
