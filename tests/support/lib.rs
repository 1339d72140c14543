//! Helpers the end-to-end suites share: scratch directories and SQLite files of their own.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub mod backends;
pub mod cascade;
pub mod clusters;
pub mod named;
pub mod orphans;
pub mod slow;
pub mod statements;
pub use backends::{ColumnInfo, ForeignKeyInfo, IndexInfo, Kind, TestDb};

/// The workspace's directory (this crate's parent).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| panic!("the tests crate has no parent directory"))
}

/// The stand-alone `arte` (arte-cli's own binary, with no migrations), built from this
/// checkout into `target` and copied to `to`: an application's own binary named `arte`,
/// built into the same target directory, lands where cargo put this one.
pub fn standalone_arte(target: &Path, to: &Path) -> PathBuf {
    let output =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "build",
                "--offline",
                "--quiet",
                "-p",
                "arte-cli",
                "--bin",
                "arte",
                "--manifest-path",
            ])
            .arg(workspace().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target)
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
    assert!(
        output.status.success(),
        "cannot build the stand-alone arte:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::copy(target.join("debug").join("arte"), to)
        .unwrap_or_else(|e| panic!("cannot copy the stand-alone arte: {e}"));
    to.to_path_buf()
}

/// The value of an arte result; a panic with arte's message when it failed.
#[track_caller]
pub fn ok<T>(result: arte_core::Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("arte failed: {error}"),
    }
}

/// The error's message; a panic when there was none.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(result: arte_core::Result<T>) -> String {
    match result {
        Ok(value) => panic!("expected an error, but got {value:?}"),
        Err(error) => error.to_string(),
    }
}

/// A directory of its own for one test, removed when dropped.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// A new empty directory under the system's temporary directory.
    pub fn new(label: &str) -> Scratch {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "arte-{label}-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        if let Err(error) = std::fs::create_dir_all(&path) {
            panic!(
                "cannot create scratch directory {}: {error}",
                path.display()
            );
        }
        Scratch { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside it.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// `sqlite://<dir>/<name>`, a database file of this test's own.
    pub fn sqlite_url(&self, name: &str) -> String {
        format!("sqlite://{}", self.join(name).display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Reading a SQLite file back with diesel, independent of arte.
pub mod sqlite {
    use diesel::sql_types::{BigInt, Text};
    use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
    use std::path::Path;

    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }

    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn open(path: &Path) -> SqliteConnection {
        match SqliteConnection::establish(&path.to_string_lossy()) {
            Ok(conn) => conn,
            Err(error) => panic!("cannot open {}: {error}", path.display()),
        }
    }

    /// The user tables of the database, sorted.
    pub fn tables(path: &Path) -> Vec<String> {
        let mut conn = open(path);
        let rows: Vec<Name> = diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .load(&mut conn)
        .unwrap_or_else(|e| panic!("cannot list tables: {e}"));
        rows.into_iter().map(|r| r.name).collect()
    }

    /// Every row of `sql`, which must select one text column named `name`.
    pub fn strings(path: &Path, sql: &str) -> Vec<String> {
        let mut conn = open(path);
        let rows: Vec<Name> = diesel::sql_query(sql)
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("query `{sql}` failed: {e}"));
        rows.into_iter().map(|r| r.name).collect()
    }

    /// A single number: `sql` must select one row with a column named `n`.
    pub fn number(path: &Path, sql: &str) -> i64 {
        let mut conn = open(path);
        let rows: Vec<Number> = diesel::sql_query(sql)
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("query `{sql}` failed: {e}"));
        rows.first()
            .map(|r| r.n)
            .unwrap_or_else(|| panic!("`{sql}` returned no row"))
    }

    /// Runs statements.
    pub fn execute(path: &Path, sql: &str) {
        let mut conn = open(path);
        diesel::connection::SimpleConnection::batch_execute(&mut conn, sql)
            .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"));
    }
}

/// Running a command-line program as a process, for the CLI suites.
pub mod process {
    use std::path::Path;
    use std::process::Command;

    /// What a run printed and how it ended.
    pub struct Run {
        /// The exit status (-1 when killed by a signal).
        pub code: i32,
        /// Everything on stdout.
        pub stdout: String,
        /// Everything on stderr.
        pub stderr: String,
    }

    impl std::fmt::Debug for Run {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "exit {}\n--- stdout\n{}--- stderr\n{}",
                self.code, self.stdout, self.stderr
            )
        }
    }

    impl Run {
        /// Panics unless the run exited 0 with nothing on stderr.
        pub fn success(&self) {
            assert_eq!(self.code, 0, "{self:?}");
            assert!(self.stderr.is_empty(), "{self:?}");
        }

        /// The one JSON object a `--json` run prints on stdout; panics, showing the run,
        /// when stdout holds none.
        pub fn json(&self) -> serde_json::Value {
            serde_json::from_str(&self.stdout)
                .unwrap_or_else(|e| panic!("no JSON object ({e}): {self:?}"))
        }
    }

    /// Runs `program` in `dir` with arte's settings cleared from the environment, then `env` set.
    pub fn run(program: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env_remove("ARTE_MODULES")
            .env_remove("ARTE_MIGRATIONS_TABLE");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}
