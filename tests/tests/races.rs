//! Sixteen processes at once, mixing `latest`, `down` and `status` on one database, twenty
//! rounds, on every backend: every process ends (none hangs) with exit 0, and after every
//! round the applied migrations are the first ones in order, with no gap, and their
//! tables exist and no others.

use arte_tests::slow;
use arte_tests::{Kind, Scratch, TestDb, per_backend};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

per_backend!(racing_latest_down_and_status_always_leave_the_record_in_order);

const PROCESSES: usize = 16;
const LIMIT: Duration = Duration::from_secs(120);

fn spawn(dir: &Scratch, db: &TestDb, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_arte-fixture"))
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("DATABASE_URL", db.url())
        .env("ARTE_MODULES", "slow")
        .env("ARTE_FIXTURE_PAUSE_MS", "2")
        .env_remove("ARTE_MIGRATIONS_TABLE")
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start the fixture: {e}"))
}

fn racing_latest_down_and_status_always_leave_the_record_in_order(db: &TestDb) {
    let rounds: usize = std::env::var("ARTE_RACE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let dir = Scratch::new("races");
    let commands: [&[&str]; 4] = [
        &["migration:latest"],
        &["migration:down", "--steps", "1"],
        &["migration:down", "--steps", "2"],
        &["migration:status"],
    ];
    let started = Instant::now();
    for round in 0..rounds {
        let children: Vec<(String, Child)> = (0..PROCESSES)
            .map(|i| {
                let args = commands[(i * 7 + round * 3) % commands.len()];
                (args.join(" "), spawn(&dir, db, args))
            })
            .collect();
        for (args, mut child) in children {
            let deadline = Instant::now() + LIMIT;
            let status = loop {
                match child.try_wait() {
                    Ok(Some(status)) => break status,
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(20))
                    }
                    _ => {
                        let _ = child.kill();
                        panic!("round {round}: `{args}` still runs after {LIMIT:?}");
                    }
                }
            };
            let output = child
                .wait_with_output()
                .unwrap_or_else(|e| panic!("cannot read the fixture's output: {e}"));
            assert!(
                status.success(),
                "round {round}: `{args}` failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_in_order(db, round);
    }
    eprintln!(
        "{rounds} rounds of {PROCESSES} processes on {:?} in {:?}",
        db.kind(),
        started.elapsed()
    );
}

fn assert_in_order(db: &TestDb, round: usize) {
    slow::assert_consistent(db, &format!("round {round}"));
    if db.kind() == Kind::Mysql && !slow::applied(db).is_empty() {
        let incomplete = db.strings("SELECT name AS v FROM migrations WHERE state <> 'applied'");
        assert!(incomplete.is_empty(), "round {round}: {incomplete:?}");
    }
}
