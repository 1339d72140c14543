//! `arte-bench`: arte's migration runner against the least the same work can cost (the
//! "floor": the same DDL through a plain diesel connection), measured in the same run.
//! BENCHMARKS.md says how to run it (`tests/bench/run.sh`) and what it found.
//!
//! ```text
//! arte-bench migrations [--n 100,1000] [--backends sqlite,sqlite-tmpfs,postgres,mysql]
//!                       [--reps 5] [--reps-large 3] [--mysql-reps K] [--mysql-max-n 1000]
//!                       [--down-max 1000]
//! arte-bench status-process --example-bin PATH [--spawns 30] [--backends …]
//! arte-bench raw-status --database-url URL
//! ```

mod floor;
mod measure;
mod status_process;
mod suite;
mod target;
mod workload;

use measure::{Case, scaling_table, thousands};
use std::path::PathBuf;
use std::time::Instant;
use target::{Servers, Target, compiled_in};
use workload::Sql;

const USAGE: &str = "usage:
  arte-bench migrations [--n 100,1000,10000] [--backends sqlite,sqlite-tmpfs,postgres,mysql]
                        [--reps 5] [--reps-large 3] [--mysql-reps K] [--mysql-max-n 1000]
                        [--down-max 1000]
  arte-bench status-process --example-bin PATH [--spawns 30] [--backends …]
  arte-bench raw-status --database-url URL
  arte-bench probe --backends B --n N --op apply|status|status-fresh|rollback|down|floor-apply|floor-rollback [--reps K]
                   (arte alone, for a profiler)

--reps is the number of repetitions for N <= 1,000, --reps-large for larger N.
MySQL/MariaDB, whose DDL is the slowest, has --mysql-reps repetitions at every N (default:
--reps for N <= 1,000, --reps-large above) and skips N over --mysql-max-n.
--down-max times only the first K of the N one-at-a-time rollbacks (`down(1)` calls) when
N is larger: each call is a whole operation (lock, its own transaction and commit), so
10,000 calls per workload, backend and repetition make the suite long.
Server URLs come from ARTE_TEST_POSTGRES_URL and ARTE_TEST_MYSQL_URL
(defaults postgres://postgres@127.0.0.1:5432/postgres, mysql://root@127.0.0.1:3306/mysql).";

struct Options {
    ns: Vec<usize>,
    targets: Vec<Target>,
    reps: usize,
    reps_large: usize,
    mysql_reps: Option<usize>,
    mysql_max_n: usize,
    down_max: usize,
    spawns: usize,
    example_bin: Option<PathBuf>,
    database_url: Option<String>,
    op: String,
}

fn usage_error(message: &str) -> ! {
    eprintln!("error: {message}\n\n{USAGE}");
    std::process::exit(2)
}

fn list<T>(value: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).unwrap_or_else(|| usage_error(&format!("unknown value `{s}`"))))
        .collect()
}

fn number(value: &str) -> usize {
    value
        .replace('_', "")
        .parse()
        .unwrap_or_else(|_| usage_error(&format!("`{value}` is not a number")))
}

fn parse(args: &[String]) -> Options {
    let mut options = Options {
        ns: vec![100, 1_000],
        targets: Target::ALL.to_vec(),
        reps: 5,
        reps_large: 3,
        mysql_reps: None,
        mysql_max_n: 1_000,
        down_max: 1_000,
        spawns: 30,
        example_bin: None,
        database_url: None,
        op: "apply".to_owned(),
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .unwrap_or_else(|| usage_error(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--n" => options.ns = list(&value(), |s| Some(number(s))),
            "--backends" => options.targets = list(&value(), Target::parse),
            "--reps" => options.reps = number(&value()).max(1),
            "--reps-large" => options.reps_large = number(&value()).max(1),
            "--mysql-reps" => options.mysql_reps = Some(number(&value()).max(1)),
            "--mysql-max-n" => options.mysql_max_n = number(&value()),
            "--down-max" => options.down_max = number(&value()).max(1),
            "--spawns" => options.spawns = number(&value()).max(1),
            "--example-bin" => options.example_bin = Some(PathBuf::from(value())),
            "--database-url" => options.database_url = Some(value()),
            "--op" => options.op = value(),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0)
            }
            other => usage_error(&format!("unknown option `{other}`")),
        }
    }
    for target in &options.targets {
        if !compiled_in(*target) {
            target::not_compiled_in(*target);
        }
    }
    options
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        usage_error("which benchmark?")
    };
    let options = parse(rest);
    let servers = Servers::default();
    match command.as_str() {
        "migrations" => migrations(&options, &servers),
        "status-process" => status_process(&options, &servers),
        "raw-status" => match &options.database_url {
            Some(url) => status_process::raw_status(url),
            None => usage_error("raw-status needs --database-url"),
        },
        "probe" => {
            for target in &options.targets {
                for &n in &options.ns {
                    suite::probe(*target, n, &options.op, options.reps, &servers);
                }
            }
        }
        "-h" | "--help" => println!("{USAGE}"),
        other => usage_error(&format!("unknown benchmark `{other}`")),
    }
}

fn migrations(options: &Options, servers: &Servers) {
    let started = Instant::now();
    println!(
        "### Migrations: arte against the floor\n\n\
         Each migration creates a six-column table and an index. The floor runs the same \
         statements through a plain diesel connection, one transaction per migration (none \
         on MySQL), without bookkeeping; its status is a plain read of the migrations \
         table, and its one-at-a-time rollback is its whole rollback. × is arte / floor. \
         The floor with a row adds the one statement any tool that records its migrations \
         runs, the row's INSERT (apply) or DELETE (rollback) in a migrations table laid out \
         as arte's, in the migration's transaction: its × is what the record itself costs, \
         and × row is arte / floor with a row, arte's own work.\n"
    );
    for target in &options.targets {
        println!("### {}\n", target.describe(servers));
        println!(
            "The DDL of one migration:\n\n```sql\n{}\n```\n",
            Sql::of(target.backend()).describe()
        );
        let mut cases: Vec<Case> = Vec::new();
        for &n in &options.ns {
            if *target == Target::Mysql && n > options.mysql_max_n {
                println!(
                    "N = {} skipped on MySQL/MariaDB (over --mysql-max-n {}).\n",
                    thousands(n),
                    thousands(options.mysql_max_n)
                );
                continue;
            }
            let reps = match options.mysql_reps {
                Some(reps) if *target == Target::Mysql => reps,
                _ if n > 1_000 => options.reps_large,
                _ => options.reps,
            };
            let case_started = Instant::now();
            let case = suite::run_case(*target, n, reps, options.down_max, servers);
            println!("{}", case.table());
            if let Some(error) = &case.atomic_refused {
                println!(
                    "(Apply in one transaction is not measured: the floor's one transaction of {} migrations failed with \"{error}\".)\n",
                    thousands(n)
                );
            }
            println!(
                "({} at N = {} took {:.0?} in all.)\n",
                target.key(),
                thousands(n),
                case_started.elapsed()
            );
            cases.push(case);
        }
        if cases.len() > 1 {
            println!("{}", scaling_table(target.key(), &cases));
        }
    }
    println!("(The whole run took {:.0?}.)", started.elapsed());
}

fn status_process(options: &Options, servers: &Servers) {
    let Some(example_bin) = &options.example_bin else {
        usage_error("status-process needs --example-bin PATH (target/release/arte-example)")
    };
    // The programs run in a scratch directory: a relative path would not be found there.
    let example_bin = std::fs::canonicalize(example_bin)
        .unwrap_or_else(|e| usage_error(&format!("{}: {e}", example_bin.display())));
    let results: Vec<_> = options
        .targets
        .iter()
        .map(|&target| {
            eprintln!(
                "  status process on {}: {} spawns each",
                target.key(),
                options.spawns
            );
            status_process::measure(target, &example_bin, options.spawns, servers)
        })
        .collect();
    println!("{}", status_process::table(&results, options.spawns));
}
