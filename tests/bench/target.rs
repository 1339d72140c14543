//! Where a benchmark runs: a fresh database per repetition, created on demand and dropped
//! (or, for SQLite, its file removed) when the [`Fresh`] handle is dropped.

use arte_core::Backend;
use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A backend as the benchmark knows it: SQLite twice (on disk and on tmpfs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file in the system's temporary directory: fsync reaches the disk.
    Sqlite,
    /// A SQLite file on tmpfs (`/dev/shm`): fsync costs nothing.
    SqliteTmpfs,
    /// A database on the PostgreSQL server.
    Postgres,
    /// A database on the MySQL/MariaDB server.
    Mysql,
}

impl Target {
    pub const ALL: [Target; 4] = [
        Target::Sqlite,
        Target::SqliteTmpfs,
        Target::Postgres,
        Target::Mysql,
    ];

    /// The name on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Target::Sqlite => "sqlite",
            Target::SqliteTmpfs => "sqlite-tmpfs",
            Target::Postgres => "postgres",
            Target::Mysql => "mysql",
        }
    }

    pub fn parse(key: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn backend(self) -> Backend {
        match self {
            Target::Sqlite | Target::SqliteTmpfs => Backend::Sqlite,
            Target::Postgres => Backend::Postgres,
            Target::Mysql => Backend::Mysql,
        }
    }

    pub fn describe(self, servers: &Servers) -> String {
        match self {
            Target::Sqlite => format!(
                "SQLite, a file in {} (fsync reaches the disk)",
                std::env::temp_dir().display()
            ),
            Target::SqliteTmpfs => "SQLite, a file in /dev/shm (tmpfs: fsync costs nothing)".into(),
            Target::Postgres => format!("PostgreSQL at {}", servers.postgres),
            Target::Mysql => format!("MySQL/MariaDB at {}", servers.mysql),
        }
    }
}

/// The servers' administrative URLs, through which databases are created and dropped.
#[derive(Debug, Clone)]
pub struct Servers {
    pub postgres: String,
    pub mysql: String,
}

impl Default for Servers {
    fn default() -> Self {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .filter(|url| !url.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        Servers {
            postgres: var(
                "ARTE_TEST_POSTGRES_URL",
                "postgres://postgres@127.0.0.1:5432/postgres",
            ),
            mysql: var("ARTE_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"),
        }
    }
}

/// A plain diesel connection, without arte: what the floor runs on.
pub enum Plain {
    Sqlite(SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(diesel::MysqlConnection),
}

/// `arte_bench_<pid>_<n>`, unique within this process.
fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "arte_bench_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// One fresh, empty database; dropped with this handle.
pub struct Fresh {
    target: Target,
    url: String,
    home: Home,
}

enum Home {
    /// The directory holding the SQLite file, removed on drop.
    Dir(PathBuf),
    /// A server database, dropped through the admin URL.
    Server { admin_url: String, name: String },
}

impl Fresh {
    /// Creates a new empty database on `target`.
    pub fn new(target: Target, servers: &Servers) -> Fresh {
        let name = unique_name();
        match target {
            Target::Sqlite | Target::SqliteTmpfs => {
                let base = match target {
                    Target::Sqlite => std::env::temp_dir(),
                    _ => PathBuf::from("/dev/shm"),
                };
                let dir = base.join(name.replace('_', "-"));
                std::fs::create_dir_all(&dir)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
                let url = format!("sqlite://{}", dir.join("bench.sqlite3").display());
                Fresh {
                    target,
                    url,
                    home: Home::Dir(dir),
                }
            }
            Target::Postgres | Target::Mysql => {
                let admin_url = match target {
                    Target::Postgres => servers.postgres.clone(),
                    _ => servers.mysql.clone(),
                };
                let quoted = quote_name(target, &name);
                admin(
                    target,
                    &admin_url,
                    &format!("DROP DATABASE IF EXISTS {quoted}"),
                );
                admin(target, &admin_url, &format!("CREATE DATABASE {quoted}"));
                Fresh {
                    target,
                    url: with_database(&admin_url, &name),
                    home: Home::Server { admin_url, name },
                }
            }
        }
    }

    /// The URL arte connects to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A plain diesel connection to it, set up as arte sets up its own (SQLite: the same
    /// busy timeout and foreign keys on), so that only the work differs.
    pub fn plain(&self) -> Plain {
        open_plain(self.target, &self.url)
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        match &self.home {
            Home::Dir(dir) => {
                if let Err(error) = std::fs::remove_dir_all(dir) {
                    eprintln!("warning: cannot remove {}: {error}", dir.display());
                }
            }
            Home::Server { admin_url, name } => {
                let quoted = quote_name(self.target, name);
                let force = if self.target == Target::Postgres {
                    " WITH (FORCE)"
                } else {
                    ""
                };
                admin(
                    self.target,
                    admin_url,
                    &format!("DROP DATABASE IF EXISTS {quoted}{force}"),
                );
            }
        }
    }
}

/// Opens a plain diesel connection to `url` of `target`'s backend.
pub fn open_plain(target: Target, url: &str) -> Plain {
    let fail = |e: diesel::ConnectionError| -> ! { panic!("cannot connect to {url}: {e}") };
    match target {
        Target::Sqlite | Target::SqliteTmpfs => {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let mut conn = SqliteConnection::establish(path).unwrap_or_else(|e| fail(e));
            conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
                .expect("SQLite accepts its own pragmas");
            Plain::Sqlite(conn)
        }
        #[cfg(feature = "postgres")]
        Target::Postgres => {
            Plain::Postgres(diesel::PgConnection::establish(url).unwrap_or_else(|e| fail(e)))
        }
        #[cfg(feature = "mysql")]
        Target::Mysql => {
            Plain::Mysql(diesel::MysqlConnection::establish(url).unwrap_or_else(|e| fail(e)))
        }
        #[allow(unreachable_patterns)]
        _ => not_compiled_in(target),
    }
}

/// Panics for a server backend this build lacks, naming the feature to enable.
pub fn not_compiled_in(target: Target) -> ! {
    panic!(
        "the {} benchmarks need arte-tests' `{}` feature: cargo run --release -p arte-tests --features postgres,mysql --bin arte-bench",
        target.key(),
        target.key()
    )
}

/// Whether this build can run `target`.
pub fn compiled_in(target: Target) -> bool {
    match target {
        Target::Sqlite | Target::SqliteTmpfs => true,
        Target::Postgres => cfg!(feature = "postgres"),
        Target::Mysql => cfg!(feature = "mysql"),
    }
}

fn quote_name(target: Target, name: &str) -> String {
    match target {
        Target::Mysql => format!("`{name}`"),
        _ => format!("\"{name}\""),
    }
}

/// Runs one statement through a new connection to the server's admin database.
fn admin(target: Target, admin_url: &str, sql: &str) {
    let result = match open_plain(target, admin_url) {
        Plain::Sqlite(_) => Err(diesel::result::Error::QueryBuilderError(
            "SQLite has no admin database".into(),
        )),
        #[cfg(feature = "postgres")]
        Plain::Postgres(mut conn) => conn.batch_execute(sql),
        #[cfg(feature = "mysql")]
        Plain::Mysql(mut conn) => conn.batch_execute(sql),
    };
    result.unwrap_or_else(|e| panic!("`{sql}` failed on {admin_url}: {e}"));
}

/// `url` with its database (the path after the authority) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = url.split_at(url.find('?').unwrap_or(url.len()));
    let authority_start = head.find("://").map_or(0, |i| i + 3);
    let path_start = head[authority_start..]
        .find('/')
        .map_or(head.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &head[..path_start])
}

/// A scratch directory for files of one run, removed when dropped.
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    pub fn new(label: &str) -> ScratchDir {
        let dir = std::env::temp_dir().join(format!("arte-bench-{label}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        ScratchDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
