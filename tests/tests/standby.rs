//! A PostgreSQL primary and a hot standby streaming from it (`tests/clusters/pg_standby.sh`),
//! started by this suite and stopped when it ends, failed or not. On the standby
//! `migration:status` works (it only reads), and every command that writes refuses at once,
//! in one sentence saying the database is a read-only standby, and changes nothing; after
//! `latest` on the primary, the standby's `status` shows the same migrations once it has
//! replayed them.
//!
//! Runs once, with the `postgres` feature (CI's `--all-features`).
#![cfg(feature = "postgres")]

use arte_tests::clusters::Cluster;
use arte_tests::process::{self, Run};
use arte_tests::{Kind, Scratch, TestDb};
use std::time::{Duration, Instant};

/// The commands that write, each refused on a standby.
const WRITING: [&[&str]; 6] = [
    &["migration:latest"],
    &["migration:down"],
    &["migration:rollback"],
    &["migration:reset"],
    &["migration:fresh"],
    &["migration:repair"],
];

#[test]
fn on_a_standby_status_reads_and_every_command_that_writes_refuses_at_once() {
    let started = Instant::now();
    let cluster = Cluster::start("pg_standby.sh");
    eprintln!(
        "standby: the primary and its standby started in {:?}",
        cluster.started_in()
    );
    assert_eq!(cluster.urls().len(), 2, "{:?}", cluster.urls());
    let dir = Scratch::new("standby");
    let db = TestDb::on_server(Kind::Postgres, &cluster.urls()[0], "standby");
    let standby = db.view(&cluster.urls()[1]);
    let waiting = Instant::now();
    while !standby.can_connect() {
        assert!(
            waiting.elapsed() < Duration::from_secs(30),
            "the database never reached the standby"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = |on: &TestDb, args: &[&str]| -> Run {
        process::run(
            env!("CARGO_BIN_EXE_arte-fixture"),
            dir.path(),
            args,
            &[("DATABASE_URL", on.url()), ("ARTE_MODULES", "slow")],
        )
    };

    let status = run(&standby, &["migration:status"]);
    status.success();
    assert!(
        status.stdout.contains("\n0 applied, 7 pending."),
        "{status:?}"
    );
    refuses_everything_that_writes(&db, &standby, &run, "before any migration");

    run(&db, &["migration:latest"]).success();
    let on_primary = lines(&run(&db, &["migration:status"]));
    assert!(
        on_primary.contains("\n7 applied, 0 pending."),
        "{on_primary}"
    );
    let replayed = Instant::now();
    loop {
        let status = run(&standby, &["migration:status"]);
        status.success();
        if lines(&status) == on_primary {
            break;
        }
        assert!(
            replayed.elapsed() < Duration::from_secs(30),
            "the standby never showed the primary's migrations: {status:?}\non the primary:\n{on_primary}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!(
        "standby: the standby showed the primary's migrations {:?} after `latest` ended",
        replayed.elapsed()
    );
    refuses_everything_that_writes(&db, &standby, &run, "after latest on the primary");
    assert_eq!(lines(&run(&standby, &["migration:status"])), on_primary);
    eprintln!("standby: the whole suite took {:?}", started.elapsed());
}

/// Every command that writes, on the standby: exit 1 at once, one line that says the
/// database is a read-only standby, and the primary's tables and migrations as they were.
fn refuses_everything_that_writes(
    primary: &TestDb,
    standby: &TestDb,
    run: &dyn Fn(&TestDb, &[&str]) -> Run,
    when: &str,
) {
    let before = dump(primary);
    for args in WRITING {
        let started = Instant::now();
        let refused = run(standby, args);
        let took = started.elapsed();
        assert_eq!(refused.code, 1, "{when}: {args:?}: {refused:?}");
        assert!(
            took < Duration::from_secs(5),
            "{when}: {args:?} took {took:?}, not at once"
        );
        let errors: Vec<&str> = refused.stderr.lines().collect();
        assert_eq!(errors.len(), 1, "{when}: {args:?}: one line: {refused:?}");
        assert!(
            errors[0].starts_with("error: the database `")
                && errors[0].contains(&format!("`{}` at 127.0.0.1:", standby.name()))
                && errors[0].contains("is a read-only standby (it is recovering from its primary)")
                && errors[0].contains("run migrations on the primary"),
            "{when}: {args:?}: {refused:?}"
        );
        assert!(
            !refused.stdout.contains("Migrated") && !refused.stdout.contains("Rolled back"),
            "{when}: {args:?}: {refused:?}"
        );
        assert!(
            refused.stdout.starts_with("Database: "),
            "{when}: {args:?}: the database is said first: {refused:?}"
        );
        assert_eq!(dump(primary), before, "{when}: {args:?} changed nothing");
        if args == ["migration:latest"] {
            eprintln!(
                "standby: {when}, `latest` on the standby said: {}",
                errors[0]
            );
        }
    }
}

/// The tables of the database and its migrations table's rows.
fn dump(db: &TestDb) -> (Vec<String>, Vec<String>) {
    let tables = db.tables();
    let rows = if tables.contains(&"migrations".to_owned()) {
        db.strings(
            "SELECT concat_ws(' ', id, module, name, batch, executed_at, checksum, state) AS v \
             FROM migrations ORDER BY id",
        )
    } else {
        Vec::new()
    };
    (tables, rows)
}

/// What `status` printed, but the first line, which names the server.
fn lines(run: &Run) -> String {
    run.stdout
        .lines()
        .filter(|line| !line.starts_with("Database:"))
        .map(|line| format!("{line}\n"))
        .collect()
}
