//! The throwaway clusters of `tests/clusters/` (a 3-node MariaDB Galera Cluster, a
//! PostgreSQL primary with a hot standby), started by the suite that needs one and
//! stopped when its guard drops, a failing test included.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A cluster started by one of the scripts of `tests/clusters/`; dropping it runs the
/// script's `stop`, which kills what is left and deletes the cluster's directory.
pub struct Cluster {
    script: PathBuf,
    urls: Vec<String>,
    started_in: Duration,
}

impl Cluster {
    /// Runs `tests/clusters/<script> start` and waits for it (the script waits until the
    /// cluster is ready). The guard exists before the start, so a start that fails half-way
    /// is stopped too.
    ///
    /// # Panics
    ///
    /// When the script fails, with its output.
    pub fn start(script: &str) -> Cluster {
        let mut cluster = Cluster {
            script: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("clusters")
                .join(script),
            urls: Vec::new(),
            started_in: Duration::ZERO,
        };
        let started = Instant::now();
        let output = cluster.run(&["start"]);
        cluster.started_in = started.elapsed();
        cluster.urls = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        cluster
    }

    /// The client URLs the script printed, one per server, in its order (Galera: node 1,
    /// 2, 3; the standby script: the primary, then the standby).
    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// How long `start` took.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// Runs the script with `args` (`stop-node 3`, `start-node 3`) and returns its output.
    ///
    /// # Panics
    ///
    /// When the script fails, with its output.
    pub fn run(&self, args: &[&str]) -> Output {
        let output = self.command(args);
        assert!(
            output.status.success(),
            "`{} {}` failed ({}):\n{}{}",
            self.script.display(),
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn command(&self, args: &[&str]) -> Output {
        Command::new("bash")
            .arg(&self.script)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.script.display()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let output = self.command(&["stop"]);
        if !output.status.success() {
            eprintln!(
                "warning: `{} stop` failed ({}): {}",
                self.script.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
