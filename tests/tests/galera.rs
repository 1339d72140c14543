//! A real 3-node MariaDB Galera Cluster (`tests/clusters/galera.sh`), started by this suite
//! and stopped when it ends, failed or not. On a cluster `GET_LOCK` holds on one node only,
//! so arte takes a lock row instead (README, "Clusters"); this proves it under fire:
//!
//! - sixteen processes spread over the three nodes race `migration:latest`, twenty trials,
//!   each on a fresh database: every process exits 0, every migration runs exactly once,
//!   and every node shows the same tables and the same migrations table;
//! - a migrator killed with SIGKILL mid-migration: its lock is released within the lease,
//!   the journal shows what took effect, `status` agrees on every node, and the documented
//!   fix and `migration:repair` bring it back;
//! - a migrator whose lock another took over (its lease having run out) stops at its next
//!   statement, its migration recorded as interrupted;
//! - a node's `mariadbd` killed with SIGKILL while a migrator runs on another: the
//!   migrators on the surviving nodes finish, nothing is applied twice or lost, `status`
//!   agrees on the survivors, and on the node once it is back.
//!
//! Runs once, with the `mysql` feature (CI's `--all-features`); `ARTE_GALERA_TRIALS` sets
//! the number of racing trials (20 by default).
#![cfg(feature = "mysql")]

use arte_tests::clusters::Cluster;
use arte_tests::slow::{self, SLOW};
use arte_tests::{Kind, Scratch, TestDb};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The lease of arte's lock row on a cluster (arte-core's `galera::LEASE`).
const LEASE: Duration = Duration::from_secs(30);

/// How often a holder renews its lease (arte-core's `galera::RENEW_EVERY`).
const HEARTBEAT: Duration = Duration::from_secs(3);

/// How long any one process may take.
const LIMIT: Duration = Duration::from_secs(180);

const PROCESSES: usize = 16;

/// The fixture's migrations that `ARTE_MODULES=slow` enables: its core ones and `slow`'s.
const MIGRATIONS: usize = 7;

#[test]
fn on_a_galera_cluster_one_migrator_runs_at_a_time_and_kills_lose_nothing() {
    let started = Instant::now();
    let cluster = Cluster::start("galera.sh");
    eprintln!("galera: the cluster started in {:?}", cluster.started_in());
    assert_eq!(cluster.urls().len(), 3, "{:?}", cluster.urls());
    let suite = Suite {
        cluster: &cluster,
        dir: Scratch::new("galera"),
    };
    suite.racing_processes_on_three_nodes_apply_each_migration_exactly_once();
    suite.a_killed_migrator_releases_the_lock_within_the_lease_and_is_repaired();
    suite.a_migrator_whose_lock_is_taken_over_stops_at_its_next_statement();
    suite.a_killed_node_loses_nothing_and_agrees_once_it_is_back();
    eprintln!(
        "galera: the whole suite took {:?} (the cluster started in {:?})",
        started.elapsed(),
        cluster.started_in()
    );
}

struct Suite<'a> {
    cluster: &'a Cluster,
    dir: Scratch,
}

/// A process of the fixture application, started on one node.
struct Running {
    node: usize,
    child: Child,
}

/// How a process ended.
struct Ended {
    node: usize,
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Ended {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "node {}, exit {}\n--- stdout\n{}--- stderr\n{}",
            self.node, self.code, self.stdout, self.stderr
        )
    }
}

impl Suite<'_> {
    /// The test database `db` as node `node` (1 to 3) sees it.
    fn on(&self, db: &TestDb, node: usize) -> TestDb {
        db.view(&self.cluster.urls()[node - 1])
    }

    /// A fresh database, created on node 1, once every node has it.
    fn fresh(&self, label: &str) -> TestDb {
        let db = TestDb::on_server(Kind::Mysql, &self.cluster.urls()[0], label);
        let waiting = Instant::now();
        for node in 1..=3 {
            while !self.on(&db, node).can_connect() {
                assert!(
                    waiting.elapsed() < Duration::from_secs(30),
                    "database {} never reached node {node}",
                    db.name()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        db
    }

    fn spawn(&self, db: &TestDb, node: usize, args: &[&str], pause_ms: u64) -> Running {
        let child = Command::new(env!("CARGO_BIN_EXE_arte-fixture"))
            .args(args)
            .current_dir(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("DATABASE_URL", self.on(db, node).url())
            .env("ARTE_MODULES", "slow")
            .env("ARTE_FIXTURE_PAUSE_MS", pause_ms.to_string())
            .env("ARTE_LOCK_TIMEOUT", "120")
            .env_remove("ARTE_MIGRATIONS_TABLE")
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the fixture: {e}"));
        Running { node, child }
    }

    fn run(&self, db: &TestDb, node: usize, args: &[&str]) -> Ended {
        wait(self.spawn(db, node, args, 0))
    }

    /// `migration:status` on every node in `nodes`: the same lines on each (but the first,
    /// which names the node's URL). Returns them.
    fn status_agrees(&self, db: &TestDb, nodes: &[usize], when: &str) -> String {
        let mut seen: Option<(usize, String)> = None;
        for &node in nodes {
            let status = self.run(db, node, &["migration:status"]);
            assert_eq!(status.code, 0, "{when}: status works: {status:?}");
            let lines: String = status
                .stdout
                .lines()
                .filter(|line| !line.starts_with("Database:"))
                .map(|line| format!("{line}\n"))
                .collect();
            match &seen {
                None => seen = Some((node, lines)),
                Some((first, expected)) => assert_eq!(
                    &lines, expected,
                    "{when}: status on node {node} differs from node {first}"
                ),
            }
        }
        seen.map(|(_, lines)| lines).unwrap_or_default()
    }

    /// Every node in `nodes` has the same tables, the same migrations table and the same
    /// rows of `slow_a1`, and each matches its record. Polls for a moment: a node applies
    /// what another committed a moment after.
    fn nodes_agree(&self, db: &TestDb, nodes: &[usize], when: &str) {
        let snapshot = |node: usize| {
            let view = self.on(db, node);
            let tables = view.tables();
            let rows = if tables.contains(&"migrations".to_owned()) {
                view.strings(
                    "SELECT CONCAT_WS(' ', id, module, name, batch, executed_at, checksum, state, \
                     COALESCE(statements, '-'), COALESCE(pending, '-')) AS v FROM migrations ORDER BY id",
                )
            } else {
                Vec::new()
            };
            let seeded = if tables.contains(&"slow_a1".to_owned()) {
                view.strings(
                    "SELECT CONCAT(id, ' ', COALESCE(note, '')) AS v FROM slow_a1 ORDER BY id",
                )
            } else {
                Vec::new()
            };
            (tables, rows, seeded)
        };
        let waiting = Instant::now();
        loop {
            let first = snapshot(nodes[0]);
            let differing: Vec<usize> = nodes[1..]
                .iter()
                .copied()
                .filter(|&node| snapshot(node) != first)
                .collect();
            if differing.is_empty() {
                break;
            }
            if waiting.elapsed() > Duration::from_secs(20) {
                for &node in nodes {
                    eprintln!("node {node}: {:?}", snapshot(node));
                }
                panic!("{when}: nodes {differing:?} differ from node {}", nodes[0]);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        for &node in nodes {
            slow::assert_consistent(&self.on(db, node), &format!("{when}, node {node}"));
        }
    }

    fn racing_processes_on_three_nodes_apply_each_migration_exactly_once(&self) {
        let trials: usize = std::env::var("ARTE_GALERA_TRIALS")
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(20);
        let started = Instant::now();
        let mut slowest = Duration::ZERO;
        for trial in 0..trials {
            let when = format!("trial {trial}");
            let db = self.fresh("galera_race");
            let trial_started = Instant::now();
            let running: Vec<Running> = (0..PROCESSES)
                .map(|i| self.spawn(&db, 1 + (i + trial) % 3, &["migration:latest"], 2))
                .collect();
            let ended: Vec<Ended> = running.into_iter().map(wait).collect();
            slowest = slowest.max(trial_started.elapsed());
            for process in &ended {
                assert_eq!(process.code, 0, "{when}: {process:?}");
                assert!(!process.stderr.contains("error"), "{when}: {process:?}");
            }
            exactly_once(&ended, &when);
            self.nodes_agree(&db, &[1, 2, 3], &when);
            let on_node_3 = self.on(&db, 3);
            assert_eq!(slow::applied(&on_node_3).len(), SLOW.len(), "{when}");
            assert_eq!(
                on_node_3.strings("SELECT DISTINCT CAST(batch AS CHAR) AS v FROM migrations"),
                ["1"],
                "{when}: one batch, by one process"
            );
            let status = self.status_agrees(&db, &[1, 2, 3], &when);
            assert!(
                status.contains(&format!("\n{MIGRATIONS} applied, 0 pending.")),
                "{when}: {status}"
            );
        }
        eprintln!(
            "galera: {trials} trials of {PROCESSES} processes racing `latest` over 3 nodes in {:?} (slowest trial {slowest:?})",
            started.elapsed()
        );
    }

    fn a_killed_migrator_releases_the_lock_within_the_lease_and_is_repaired(&self) {
        let started = Instant::now();
        let db = self.fresh("galera_sigkill");
        let mut victim = self.spawn(&db, 2, &["migration:latest"], 300);
        let pid = victim.child.id();
        // Killed in the middle of a migration, a statement of it having taken effect.
        self.wait_for_a_migration(&db, 2);
        let _ = victim.child.kill();
        let killed = Instant::now();
        let _ = victim.child.wait();

        // Another migrator, on another node, waits for the dead holder's lease, then finds
        // the interrupted migration and refuses.
        let next = self.run(&db, 3, &["migration:latest"]);
        let released = killed.elapsed();
        assert_eq!(next.code, 1, "{next:?}");
        assert!(
            next.stderr.contains("waiting for the lock")
                && next
                    .stderr
                    .contains(&format!("held by process {pid} on host")),
            "the waiter names the dead holder: {next:?}"
        );
        assert!(
            next.stderr.contains("was interrupted while")
                && next.stderr.contains("then run `migration:repair`"),
            "{next:?}"
        );
        assert!(
            released < LEASE + Duration::from_secs(10),
            "the lock was released {released:?} after the kill, the lease being {LEASE:?}"
        );
        eprintln!("galera: a killed migrator's lock was released after {released:?}");

        let status = self.status_agrees(&db, &[1, 2, 3], "after the kill");
        assert!(
            status.contains("Interrupted") && status.contains("(interrupted, while "),
            "{status}"
        );
        slow::fix_by_hand(&self.on(&db, 1), &status);
        let repaired = self.run(&db, 1, &["migration:repair"]);
        assert_eq!(repaired.code, 0, "{repaired:?}");
        let latest = self.run(&db, 2, &["migration:latest"]);
        assert_eq!(latest.code, 0, "{latest:?}");
        self.nodes_agree(&db, &[1, 2, 3], "repaired, then latest");
        assert_eq!(slow::applied(&self.on(&db, 1)).len(), SLOW.len());
        let status = self.status_agrees(&db, &[1, 2, 3], "repaired, then latest");
        assert!(
            status.contains(&format!("\n{MIGRATIONS} applied, 0 pending.")),
            "{status}"
        );
        eprintln!(
            "galera: kill, lease, repair and latest in {:?}",
            started.elapsed()
        );
    }

    fn a_migrator_whose_lock_is_taken_over_stops_at_its_next_statement(&self) {
        let db = self.fresh("galera_taken_over");
        let victim = self.spawn(&db, 1, &["migration:latest"], 400);
        self.wait_for_a_migration(&db, 1);
        // What a migrator on another node does once a lease has run out (the holder having
        // stalled longer than the lease): the row becomes its own.
        self.on(&db, 2).execute(
            "UPDATE arte_locks SET token = 'another', pid = 1, \
             expires_at = UTC_TIMESTAMP(6) + INTERVAL 300 SECOND",
        );
        let taken_over = Instant::now();
        let victim = wait(victim);
        let stopped = taken_over.elapsed();
        assert_ne!(victim.code, 0, "{victim:?}");
        assert!(
            stopped < HEARTBEAT + Duration::from_secs(5),
            "the holder stopped {stopped:?} after its lock was taken over: {victim:?}"
        );
        eprintln!(
            "galera: a migrator whose lock was taken over stopped {stopped:?} after, saying: {}",
            victim.stderr.trim()
        );
        let status = self.status_agrees(&db, &[1, 2, 3], "taken over");
        assert!(
            status.contains("Running"),
            "the new holder holds it: {status}"
        );
        self.on(&db, 3).execute("DELETE FROM arte_locks");
        let status = self.status_agrees(&db, &[1, 2, 3], "taken over, then released");
        assert!(status.contains("(interrupted, while "), "{status}");
        slow::fix_by_hand(&self.on(&db, 1), &status);
        let repaired = self.run(&db, 3, &["migration:repair"]);
        assert_eq!(repaired.code, 0, "{repaired:?}");
        let latest = self.run(&db, 2, &["migration:latest"]);
        assert_eq!(latest.code, 0, "{latest:?}");
        self.nodes_agree(&db, &[1, 2, 3], "taken over, repaired, then latest");
    }

    /// Waits until a migrator working through node `node` is in the middle of a migration,
    /// a statement of it having taken effect.
    fn wait_for_a_migration(&self, db: &TestDb, node: usize) {
        let view = self.on(db, node);
        let waiting = Instant::now();
        loop {
            let journaled = view.tables().contains(&"migrations".to_owned())
                && !view
                    .strings(
                        "SELECT name AS v FROM migrations \
                         WHERE state = 'migrating' AND statements IS NOT NULL",
                    )
                    .is_empty();
            if journaled {
                return;
            }
            assert!(
                waiting.elapsed() < Duration::from_secs(60),
                "the migrator on node {node} never started a migration"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn a_killed_node_loses_nothing_and_agrees_once_it_is_back(&self) {
        let started = Instant::now();
        let db = self.fresh("galera_node_kill");
        let holder = self.spawn(&db, 1, &["migration:latest"], 400);
        self.wait_for_a_migration(&db, 1);
        // Migrators waiting for the lock on every node, those of node 3 about to lose it.
        let waiting: Vec<Running> = [1, 2, 1, 2, 1, 2, 3, 3]
            .into_iter()
            .map(|node| self.spawn(&db, node, &["migration:latest"], 0))
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let node_killed = Instant::now();
        self.cluster.run(&["stop-node", "3"]);
        eprintln!(
            "galera: node 3 killed; the survivors evicted it after {:?}",
            node_killed.elapsed()
        );
        let holder = wait(holder);
        assert_eq!(
            holder.code, 0,
            "the holder, on node 1, finishes: {holder:?}"
        );
        let others: Vec<Ended> = waiting.into_iter().map(wait).collect();
        for process in &others {
            if process.node == 3 {
                assert_ne!(process.code, 0, "node 3 is gone: {process:?}");
            } else {
                assert_eq!(process.code, 0, "{process:?}");
            }
        }
        let mut everyone = others;
        everyone.push(holder);
        exactly_once(&everyone, "node 3 killed");
        self.nodes_agree(&db, &[1, 2], "node 3 down");
        let status = self.status_agrees(&db, &[1, 2], "node 3 down");
        assert!(
            status.contains(&format!("\n{MIGRATIONS} applied, 0 pending.")),
            "{status}"
        );

        let back = Instant::now();
        self.cluster.run(&["start-node", "3"]);
        eprintln!("galera: node 3 rejoined in {:?}", back.elapsed());
        self.nodes_agree(&db, &[1, 2, 3], "node 3 back");
        let status = self.status_agrees(&db, &[1, 2, 3], "node 3 back");
        assert!(
            status.contains(&format!("\n{MIGRATIONS} applied, 0 pending.")),
            "{status}"
        );
        eprintln!(
            "galera: node kill, finish and rejoin in {:?}",
            started.elapsed()
        );
    }
}

/// Every migration of the fixture (its core ones and `slow`'s) ran in exactly one of the
/// processes, as their `Migrated` lines say.
fn exactly_once(ended: &[Ended], when: &str) {
    let mut migrated: Vec<&str> = ended
        .iter()
        .flat_map(|process| process.stdout.lines())
        .filter_map(|line| line.strip_prefix("Migrated"))
        .filter_map(|line| line.split_whitespace().nth(1))
        .collect();
    migrated.sort_unstable();
    let ran = migrated.len();
    migrated.dedup();
    assert_eq!(
        ran,
        migrated.len(),
        "{when}: a migration ran twice: {ended:?}"
    );
    assert_eq!(ran, MIGRATIONS, "{when}: {migrated:?}");
    for (name, _) in SLOW {
        assert!(migrated.contains(&name), "{when}: {name} never ran");
    }
}

/// Waits for a process, killing it past [`LIMIT`].
fn wait(running: Running) -> Ended {
    let Running { node, mut child } = running;
    let deadline = Instant::now() + LIMIT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                panic!("a migrator on node {node} still runs after {LIMIT:?}");
            }
        }
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot read the fixture's output: {e}"));
    Ended {
        node,
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
