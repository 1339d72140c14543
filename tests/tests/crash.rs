//! Processes killed with SIGKILL at random moments while they migrate or roll back, on
//! every backend. The fixture's `slow` module pauses between its statements
//! (`ARTE_FIXTURE_PAUSE_MS`), so a kill lands before, between or inside statements.
//!
//! After every kill: `status` works; on SQLite and PostgreSQL the recorded migrations are
//! exactly those whose tables and rows exist (a migration and its row commit together);
//! on MariaDB, whose DDL commits by itself, an interrupted migration is reported with what
//! took effect and what may have, and the documented fix (undo what took effect by hand,
//! read from `status`; then `migration:repair`) brings it back with the command line alone.
//! Either way the next `latest` finishes the job.
//!
//! `ARTE_CRASH_TRIALS` sets the number of trials per backend (20 by default);
//! `tests/crash/soak.sh --trials N` runs many more.

use arte_tests::process::{self, Run};
use arte_tests::slow::{self, SLOW};
use arte_tests::{Kind, Scratch, TestDb, per_backend};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

per_backend!(killed_migrations_leave_a_record_that_matches_the_database);

const PAUSE_MS: &str = "25";

struct Fixture<'a> {
    dir: Scratch,
    db: &'a TestDb,
}

impl Fixture<'_> {
    fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("DATABASE_URL", self.db.url()),
            ("ARTE_MODULES", "slow"),
            ("ARTE_FIXTURE_PAUSE_MS", PAUSE_MS),
        ]
    }

    fn run(&self, args: &[&str]) -> Run {
        process::run(
            env!("CARGO_BIN_EXE_arte-fixture"),
            self.dir.path(),
            args,
            &self.env(),
        )
    }

    /// Starts `args` and kills it with SIGKILL after `after`.
    fn kill_after(&self, args: &[&str], after: Duration) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_arte-fixture"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .env_remove("ARTE_MIGRATIONS_TABLE");
        for (key, value) in self.env() {
            command.env(key, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the fixture: {e}"));
        std::thread::sleep(after);
        // It may have finished already; either way it is gone after this.
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Rows that are not `applied`: `name state`.
    fn incomplete(&self) -> Vec<String> {
        let label = match self.db.kind() {
            Kind::Mysql => "CONCAT(name, ' ', state)",
            Kind::Sqlite | Kind::Postgres => "name || ' ' || state",
        };
        if !self.db.tables().contains(&"migrations".to_owned()) {
            return Vec::new();
        }
        self.db.strings(&format!(
            "SELECT {label} AS v FROM migrations WHERE state <> 'applied' ORDER BY id"
        ))
    }
}

/// A small deterministic generator, seeded per run and printed, so that a failure can be
/// replayed with `ARTE_CRASH_SEED`.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn killed_migrations_leave_a_record_that_matches_the_database(db: &TestDb) {
    let trials: usize = std::env::var("ARTE_CRASH_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(20);
    let seed = std::env::var("ARTE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64 | 1)
                .unwrap_or(88172645463325252)
        });
    eprintln!(
        "crash suite on {:?}: {trials} trials, ARTE_CRASH_SEED={seed}",
        db.kind()
    );
    let mut random = Random(seed);
    let fixture = Fixture {
        dir: Scratch::new("crash"),
        db,
    };
    // How long a whole run takes here, to kill anywhere inside one.
    let started = Instant::now();
    fixture.run(&["migration:latest"]).success();
    let up = started.elapsed();
    let started = Instant::now();
    fixture.run(&["migration:down", "--steps", "4"]).success();
    let down = started.elapsed();
    slow::assert_consistent(db, "calibration");
    let mut interrupted = 0;
    for trial in 0..trials {
        let rolling_back = trial % 2 == 1;
        if rolling_back {
            fixture.run(&["migration:latest"]).success();
        }
        let (args, span): (&[&str], Duration) = if rolling_back {
            (&["migration:down", "--steps", "4"], down)
        } else {
            (&["migration:latest"], up)
        };
        let at = Duration::from_micros(random.below(span.as_micros() as u64));
        let label = format!("trial {trial} ({}, killed at {at:?})", args[0]);
        fixture.kill_after(args, at);

        let mut status = fixture.run(&["migration:status"]);
        // The server may need a moment to see that the killed session is gone; until then
        // status says the migration is running, which is what it looks like.
        let waiting = Instant::now();
        while status.stdout.contains("Running") && waiting.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(100));
            status = fixture.run(&["migration:status"]);
        }
        assert_eq!(
            status.code, 0,
            "{label}: status works after a kill: {status:?}"
        );
        let incomplete = fixture.incomplete();
        match db.kind() {
            Kind::Sqlite | Kind::Postgres => {
                assert!(incomplete.is_empty(), "{label}: {incomplete:?}");
            }
            Kind::Mysql if !incomplete.is_empty() => {
                interrupted += 1;
                assert_eq!(incomplete.len(), 1, "{label}: {incomplete:?}");
                assert!(
                    status.stdout.contains("Interrupted")
                        && status.stdout.contains("(interrupted, while "),
                    "{label}: {status:?}"
                );
                let refused = fixture.run(&["migration:latest"]);
                assert_eq!(refused.code, 1, "{label}: {refused:?}");
                assert!(
                    refused.stderr.contains("was interrupted while")
                        && refused.stderr.contains("then run `migration:repair`"),
                    "{label}: {refused:?}"
                );
                slow::fix_by_hand(db, &status.stdout);
                fixture.run(&["migration:repair"]).success();
                assert!(fixture.incomplete().is_empty(), "{label}");
            }
            Kind::Mysql => {}
        }
        slow::assert_consistent(db, &label);
        fixture.run(&["migration:latest"]).success();
        assert_eq!(
            slow::applied(db).len(),
            SLOW.len(),
            "{label}: latest finishes"
        );
        slow::assert_consistent(db, &format!("{label}, then latest"));
        fixture.run(&["migration:down", "--steps", "4"]).success();
    }
    eprintln!("{interrupted} of {trials} trials left an interrupted migration to repair");
}
