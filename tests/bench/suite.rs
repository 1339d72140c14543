//! The migration benchmarks: apply, status, rollback all and rollback one at a time, for
//! the floor and both arte workloads, each repetition on fresh databases.

use crate::measure::{Case, Op, Samples, Side, median, time};
use crate::target::{Fresh, Servers, Target};
use crate::workload::{Sql, Workload};
use arte_core::{Db, Filter, Migrator, Registry, State};
use std::time::Instant;

/// How many times status is timed in each repetition (it takes milliseconds).
pub const STATUS_SAMPLES: usize = 5;

/// A migrator over `registry` on the database `db`.
fn migrator(db: &Fresh, registry: &Registry) -> Migrator {
    let conn = Db::connect(db.url()).unwrap_or_else(|e| panic!("cannot connect arte: {e}"));
    Migrator::with_registry(conn, registry.clone())
}

/// Panics unless an arte call succeeded and did what it should.
fn expect_ok<T>(what: &str, result: arte_core::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("arte failed during {what}: {e}"))
}

fn expect_count(what: &str, got: usize, want: usize) {
    assert_eq!(got, want, "{what}: expected {want} migrations, got {got}");
}

/// Measures one backend at one N; times the first `down_max` of the N `down(1)` calls.
pub fn run_case(target: Target, n: usize, reps: usize, down_max: usize, servers: &Servers) -> Case {
    let down_calls = n.min(down_max);
    let sql = Sql::of(target.backend());
    let registries: Vec<(Workload, Registry)> = Workload::ALL
        .into_iter()
        .map(|w| (w, w.registry(n)))
        .collect();
    let all = Filter::all();
    // Where DDL is transactional: MySQL refuses `--atomic`.
    let mut atomic = target.backend() != arte_core::Backend::Mysql;
    let mut atomic_refused = None;
    let mut samples = Samples::default();
    let started = Instant::now();
    for rep in 1..=reps {
        eprint!("  {} N={n} rep {rep}/{reps}: floor", target.key());
        {
            let db = Fresh::new(target, servers);
            let mut plain = db.plain();
            let (d, ()) = time(|| plain.apply(sql, n));
            samples.record(Op::Apply, Side::Floor, d);
            let (d, ()) = time(|| plain.roll_back(sql, n));
            samples.record(Op::RollbackAll, Side::Floor, d);
        }
        eprint!(", floor with a row");
        {
            let db = Fresh::new(target, servers);
            // The migrations table as arte makes it: arte creates it.
            let empty =
                Registry::from_migrations(std::iter::empty()).expect("no names, no duplicates");
            let mut ledger = migrator(&db, &empty);
            expect_ok("creating the migrations table", ledger.latest(&all));
            drop(ledger);
            let registry = &registries[0].1;
            let mut plain = db.plain();
            let (d, ()) = time(|| plain.apply_recorded(sql, registry));
            samples.record(Op::Apply, Side::Recorded, d);
            let (d, ()) = time(|| plain.roll_back_recorded(sql, registry));
            samples.record(Op::RollbackAll, Side::Recorded, d);
        }
        if atomic {
            let db = Fresh::new(target, servers);
            let mut plain = db.plain();
            match time(|| plain.apply_in_one_transaction(sql, n)) {
                (d, Ok(())) => samples.record(Op::ApplyAtomic, Side::Floor, d),
                // Not a benchmark's failure: the database cannot hold N migrations in one
                // transaction, and neither side is measured.
                (_, Err(e)) => {
                    atomic = false;
                    atomic_refused = Some(e.to_string());
                }
            }
        }
        for (workload, registry) in &registries {
            let side = Side::Arte((*workload).into());
            eprint!(
                ", {}",
                match workload {
                    Workload::Builder => "builder",
                    Workload::RawSql => "raw SQL",
                }
            );
            {
                let db = Fresh::new(target, servers);
                let mut arte = migrator(&db, registry);
                let (d, report) = time(|| arte.latest(&all));
                let report = expect_ok("apply", report);
                expect_count("apply", report.steps.len(), n);
                samples.record(Op::Apply, side, d);

                // Status is quick: warm both readers up once, then time each a few times,
                // alternately, and keep every sample.
                let mut plain = (*workload == Workload::Builder).then(|| db.plain());
                expect_ok("status", arte.list(&all));
                if let Some(plain) = &mut plain {
                    plain.ledger();
                }
                for _ in 0..STATUS_SAMPLES {
                    let (d, statuses) = time(|| arte.list(&all));
                    let statuses = expect_ok("status", statuses);
                    expect_count("status", statuses.len(), n);
                    assert!(
                        statuses.iter().all(|s| s.state == State::Applied),
                        "status: every migration should be applied"
                    );
                    samples.record(Op::Status, side, d);
                    if let Some(plain) = &mut plain {
                        let (d, rows) = time(|| plain.ledger());
                        expect_count("the floor's status", rows.len(), n);
                        samples.record(Op::Status, Side::Floor, d);
                    }
                }
                drop(plain);
                // And on a new migrator, which keeps nothing yet, against the plain read on
                // a new connection: both pay the connection's first statements (SQLite
                // reads the schema, a server's session fills its caches). Each connection
                // is made before the clock starts.
                for _ in 0..STATUS_SAMPLES {
                    let mut fresh = migrator(&db, registry);
                    let (d, statuses) = time(|| fresh.list(&all));
                    expect_count("status", expect_ok("status", statuses).len(), n);
                    samples.record(Op::StatusFresh, side, d);
                    if *workload == Workload::Builder {
                        let mut plain = db.plain();
                        let (d, rows) = time(|| plain.ledger());
                        expect_count("the floor's status", rows.len(), n);
                        samples.record(Op::StatusFresh, Side::Floor, d);
                    }
                }

                let (d, report) = time(|| arte.rollback(&all, None));
                let report = expect_ok("rollback", report);
                expect_count("rollback", report.steps.len(), n);
                samples.record(Op::RollbackAll, side, d);
            }
            if atomic {
                let db = Fresh::new(target, servers);
                let mut arte = migrator(&db, registry).atomic(true);
                let (d, report) = time(|| arte.latest(&all));
                let report = expect_ok("apply --atomic", report);
                expect_count("apply --atomic", report.steps.len(), n);
                samples.record(Op::ApplyAtomic, side, d);
            }
            {
                let db = Fresh::new(target, servers);
                let mut arte = migrator(&db, registry);
                expect_ok("apply before one-at-a-time rollback", arte.latest(&all));
                let (d, ()) = time(|| {
                    for _ in 0..down_calls {
                        let report = expect_ok("down(1)", arte.down(1, &all));
                        expect_count("down(1)", report.steps.len(), 1);
                    }
                });
                samples.record(Op::RollbackOneByOne, side, d);
            }
        }
        eprintln!(" ({:.0?} so far)", started.elapsed());
    }
    Case {
        target: target.key().to_owned(),
        n,
        reps,
        down_calls,
        samples,
        atomic_refused,
    }
}

/// `arte-bench probe`: arte alone (the schema builder's workload), one operation at a time,
/// for a profiler to look at: `apply` (latest), `status` (`list`, 1,000 times),
/// `status-fresh` (`list` on 200 new migrators, with the floor's read on 200 new
/// connections: the medians), `rollback` (all) or `down` (N `down(1)` calls, at most
/// 1,000), each on a fresh database and timed; or the floor with a row (`floor-apply`,
/// `floor-rollback`), to set beside arte's under a profiler.
pub fn probe(target: Target, n: usize, op: &str, reps: usize, servers: &Servers) {
    let registry = Workload::Builder.registry(n);
    let all = Filter::all();
    for _ in 0..reps {
        let db = Fresh::new(target, servers);
        if let Some(floor_op) = op.strip_prefix("floor-") {
            // The floor with a row, for a profiler to set beside arte's.
            let empty =
                Registry::from_migrations(std::iter::empty()).expect("no names, no duplicates");
            expect_ok(
                "creating the migrations table",
                migrator(&db, &empty).latest(&all),
            );
            let sql = Sql::of(target.backend());
            let mut plain = db.plain();
            let (applied, ()) = time(|| plain.apply_recorded(sql, &registry));
            let d = match floor_op {
                "apply" => applied,
                "rollback" => time(|| plain.roll_back_recorded(sql, &registry)).0,
                other => panic!("unknown operation `floor-{other}`: floor-apply or floor-rollback"),
            };
            println!("{} N={n} {op}: {d:.2?}", target.key());
            continue;
        }
        let mut arte = migrator(&db, &registry);
        let (applied, report) = time(|| arte.latest(&all));
        expect_ok("apply", report);
        let (d, ()) = match op {
            "apply" => (applied, ()),
            "status" => time(|| {
                for _ in 0..1000 {
                    expect_ok("status", arte.list(&all));
                }
            }),
            "status-fresh" => {
                // Status on a new migrator against the plain read on a new connection, 200
                // of each, alternately; each connection is made before the clock starts.
                let (mut arte_times, mut floor_times) = (Vec::new(), Vec::new());
                for _ in 0..200 {
                    let mut fresh = migrator(&db, &registry);
                    let (d, statuses) = time(|| fresh.list(&all));
                    expect_ok("status", statuses);
                    arte_times.push(d);
                    let mut plain = db.plain();
                    let (d, _) = time(|| plain.ledger());
                    floor_times.push(d);
                }
                println!(
                    "{} N={n} status on a new migrator: median {:.2?}; the floor's on a new connection: {:.2?}",
                    target.key(),
                    median(&arte_times).unwrap_or_default(),
                    median(&floor_times).unwrap_or_default(),
                );
                (arte_times.iter().sum(), ())
            }
            "rollback" => time(|| {
                expect_ok("rollback", arte.rollback(&all, None));
            }),
            "down" => time(|| {
                // As `migrations --down-max`: the first 1,000 calls at larger N.
                for _ in 0..n.min(1000) {
                    expect_ok("down(1)", arte.down(1, &all));
                }
            }),
            other => panic!("unknown operation `{other}`: apply, status, rollback or down"),
        };
        println!("{} N={n} {op}: {d:.2?}", target.key());
        if op == "status" {
            let mut plain = db.plain();
            let (floor, ()) = time(|| {
                for _ in 0..1000 {
                    plain.ledger();
                }
            });
            println!("{} N={n} the floor's status: {floor:.2?}", target.key());
        }
    }
}
