//! Fleets of databases: the command line run on each database of a list (`--database-url`
//! given several times, `arte.toml`'s `[[databases]]` and `urls_file`), `--jobs` at a
//! time, one line per database, going on past a failure and exiting non-zero, `--json`
//! per database. The fleets mix SQLite files with PostgreSQL and MariaDB databases where
//! this build has them.

use arte_tests::process::{self, Run};
use arte_tests::{Kind, Scratch, TestDb};

/// The fixture application's migrations with the `shop` module enabled: 4 migrations.
const MIGRATIONS: usize = 4;

fn project() -> Scratch {
    let dir = Scratch::new("fleet");
    std::fs::write(dir.join("arte.toml"), "[modules]\nenabled = [\"shop\"]\n")
        .unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
    dir
}

fn run(dir: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Run {
    process::run(env!("CARGO_BIN_EXE_arte-fixture"), dir.path(), args, env)
}

/// A SQLite database per label, and one of each server this build has.
fn databases(labels: &[&str]) -> Vec<TestDb> {
    let servers = [
        #[cfg(feature = "postgres")]
        (Kind::Postgres, "fleet_pg"),
        #[cfg(feature = "mysql")]
        (Kind::Mysql, "fleet_my"),
    ];
    labels
        .iter()
        .map(|label| (Kind::Sqlite, *label))
        .chain(servers)
        .map(|(kind, label)| TestDb::new(kind, label))
        .collect()
}

/// `args`, then `--database-url` for each of `dbs`.
fn with_urls<'a>(mut args: Vec<&'a str>, dbs: &'a [TestDb]) -> Vec<&'a str> {
    for db in dbs {
        args.extend(["--database-url", db.url()]);
    }
    args
}

fn recorded(db: &TestDb) -> usize {
    db.strings("SELECT name AS v FROM migrations").len()
}

fn shown(db: &TestDb) -> String {
    arte_core::DatabaseUrl::parse(db.url())
        .map(|url| url.to_string())
        .unwrap_or_default()
}

/// A PostgreSQL database that is not there, with a password that must not be printed.
const BROKEN: &str = "postgres://postgres:hunter2@127.0.0.1:5432/arte_fleet_no_such_database";

/// How the broken database's failure begins: the server's refusal, or, in a build without
/// PostgreSQL, the sentence that says so.
#[cfg(feature = "postgres")]
const BROKEN_FAILS: &str = "cannot connect to `postgres://postgres:***@";
#[cfg(not(feature = "postgres"))]
const BROKEN_FAILS: &str = "the database URL `postgres://postgres:***@127.0.0.1:5432/arte_fleet_no_such_database` is for PostgreSQL, which this build does not include";

#[test]
fn a_fleet_runs_the_command_on_each_database_and_goes_on_past_a_failure() {
    let dir = project();
    let dbs = databases(&["fleet_a", "fleet_b"]);
    let mut args = vec!["migration:latest"];
    for (i, db) in dbs.iter().enumerate() {
        args.extend(["--database-url", db.url()]);
        if i == 0 {
            args.extend(["--database-url", BROKEN]);
        }
    }
    args.extend(["--jobs", "3"]);
    let run = run(&dir, &args, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let total = dbs.len() + 1;
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: 1 of {total} databases failed (each one's line says why); the others were not stopped"
        )
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), total + 1, "{run:?}");
    for db in &dbs {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&format!("ok     {}  ", shown(db))))
            .unwrap_or_else(|| panic!("no line for {}: {run:?}", db.url()));
        assert!(
            line.contains(&format!("applied {MIGRATIONS} migrations in batch 1 (")),
            "{line}"
        );
        assert_eq!(recorded(db), MIGRATIONS);
    }
    let failed = lines
        .iter()
        .find(|l| {
            l.starts_with(&format!(
                "FAILED postgres://postgres:***@127.0.0.1:5432/arte_fleet_no_such_database  {BROKEN_FAILS}"
            ))
        })
        .unwrap_or_else(|| panic!("no line for the broken database: {run:?}"));
    #[cfg(feature = "postgres")]
    assert!(failed.contains("does not exist"), "{failed}");
    #[cfg(not(feature = "postgres"))]
    let _ = failed;
    assert!(
        lines[total].starts_with(&format!(
            "{total} databases: {} succeeded, 1 failed (",
            total - 1
        )),
        "{run:?}"
    );
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"));

    // Run again: nothing to do anywhere but the broken one.
    let again = self::run(&dir, &args, &[]);
    assert_eq!(again.code, 1, "{again:?}");
    assert_eq!(
        again.stdout.matches("nothing to migrate").count(),
        dbs.len()
    );
}

#[test]
fn with_one_job_the_databases_go_in_the_fleets_order() {
    let dir = project();
    let dbs = databases(&["order_a", "order_b", "order_c"]);
    let args = with_urls(vec!["migration:status", "--jobs", "1"], &dbs);
    let run = run(&dir, &args, &[]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    for (line, db) in lines.iter().zip(&dbs) {
        assert!(
            line.starts_with(&format!(
                "ok     {}  0 applied, {MIGRATIONS} pending (",
                shown(db)
            )),
            "{line}"
        );
    }
    assert!(lines[dbs.len()].starts_with(&format!(
        "{} databases: {} succeeded, 0 failed (",
        dbs.len(),
        dbs.len()
    )));
}

#[test]
fn the_fleet_of_arte_toml_is_its_databases_then_its_file_of_urls() {
    let dir = project();
    let dbs = databases(&["toml_a", "toml_b", "toml_c"]);
    let (listed, in_file) = dbs.split_at(2);
    let mut toml = String::from(
        "[modules]\nenabled = [\"shop\"]\n\n[database]\nurls_file = \"tenants.txt\"\n",
    );
    for db in listed {
        toml.push_str(&format!("\n[[databases]]\nurl = \"{}\"\n", db.url()));
    }
    std::fs::write(dir.join("arte.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    let mut file = String::from("# one tenant per line\n\n");
    for db in in_file {
        file.push_str(db.url());
        file.push('\n');
    }
    std::fs::write(dir.join("tenants.txt"), file).unwrap_or_else(|e| panic!("{e}"));

    let status = run(&dir, &["migration:status", "--check"], &[]);
    assert_eq!(status.code, 3, "pending everywhere: {status:?}");
    let latest = run(&dir, &["migration:latest", "--jobs", "4"], &[]);
    latest.success();
    for db in &dbs {
        assert_eq!(recorded(db), MIGRATIONS, "{}", db.url());
    }
    let status = run(&dir, &["migration:status", "--check", "--json"], &[]);
    status.success();
    let json: serde_json::Value = status.json();
    let urls: Vec<String> = json["databases"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|d| d["database"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        urls,
        dbs.iter().map(shown).collect::<Vec<_>>(),
        "the fleet's order"
    );
    assert_eq!(json["summary"]["databases"], dbs.len());
    assert_eq!(json["summary"]["failed"], 0);
    for database in json["databases"].as_array().into_iter().flatten() {
        assert_eq!(database["summary"]["applied"], MIGRATIONS);
        assert_eq!(database["ok"], true);
    }

    // `[database] url` and a fleet together are refused before anything runs.
    std::fs::write(
        dir.join("arte.toml"),
        "[database]\nurl = \"one.sqlite\"\n\n[[databases]]\nurl = \"two.sqlite\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let refused = run(&dir, &["migration:latest"], &[]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("names one database (`[database] url`) and a fleet (`[[databases]]` or `urls_file`); keep one of them"), "{refused:?}");
    assert!(!dir.join("one.sqlite").exists() && !dir.join("two.sqlite").exists());
}

#[test]
fn json_reports_each_database_and_its_error() {
    let dir = project();
    let dbs = databases(&["json_a"]);
    let args = with_urls(
        vec!["migration:latest", "--json", "--database-url", BROKEN],
        &dbs,
    );
    let run = run(&dir, &args, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let json: serde_json::Value = run.json();
    assert_eq!(json["command"], "migration:latest");
    assert_eq!(json["summary"]["failed"], 1);
    assert_eq!(json["summary"]["succeeded"], dbs.len());
    let broken = &json["databases"][0];
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["exit_code"], 1);
    // The object one database's failure prints, with nothing done.
    assert_eq!(broken["command"], "migration:latest");
    assert_eq!(broken["pretend"], false);
    assert_eq!(broken["migrations"], serde_json::json!([]));
    let message = broken["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with(BROKEN_FAILS), "{message}");
    for (i, db) in dbs.iter().enumerate() {
        let object = &json["databases"][i + 1];
        assert_eq!(object["ok"], true);
        assert_eq!(object["database"], shown(db));
        assert_eq!(
            object["migrations"].as_array().map(Vec::len),
            Some(MIGRATIONS)
        );
    }
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"));
}

#[test]
fn in_production_a_fleet_is_asked_for_once_and_refused_without_a_terminal() {
    let dir = project();
    let dbs = databases(&["prod_a", "prod_b"]);
    let args = with_urls(vec!["migration:fresh"], &dbs);
    let run = run(&dir, &args, &[("ARTE_ENV", "production")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: `migration:fresh` would roll back every migration and run them again (the tables' rows are lost) on {} databases, and ARTE_ENV=production says this is production; run it again with `--force` to go on without a question; nothing was changed",
            dbs.len()
        )
    );
    for db in &dbs {
        assert!(db.tables().is_empty(), "{}", db.url());
    }
}

#[test]
fn json_is_one_object_when_a_fleet_fails_or_is_refused_before_it_runs() {
    let dir = project();
    let dbs = databases(&["json_refused_a", "json_refused_b"]);
    let args = with_urls(vec!["migration:reset", "--json"], &dbs);
    let plain: Vec<&str> = args.iter().copied().filter(|a| *a != "--json").collect();
    let env = [("APP_ENV", "production")];
    let before = run(&dir, &plain, &env);
    let refused = run(&dir, &args, &env);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert_eq!(refused.code, before.code, "the exit status is unchanged");
    assert_eq!(
        refused.stderr, before.stderr,
        "the stderr line is unchanged"
    );
    let json: serde_json::Value = refused.json();
    assert_eq!(json["command"], "migration:reset");
    assert_eq!(json["databases"], serde_json::json!([]));
    assert_eq!(json["summary"]["databases"], dbs.len());
    assert_eq!(json["summary"]["succeeded"], 0);
    assert_eq!(json["error"]["exit_code"], 2);
    assert_eq!(
        format!(
            "error: {}\n",
            json["error"]["message"].as_str().unwrap_or_default()
        ),
        refused.stderr
    );

    // A database that fails: the fleet's object, its `error` the stderr line's.
    let mut reachable = vec!["migration:status", "--json"];
    for db in &dbs {
        reachable.extend(["--database-url", db.url()]);
    }
    let mut args = reachable.clone();
    args.extend(["--database-url", BROKEN]);
    let failed = run(&dir, &args, &[]);
    assert_eq!(failed.code, 1, "{failed:?}");
    let json: serde_json::Value = failed.json();
    assert_eq!(json["summary"]["failed"], 1);
    assert_eq!(json["error"]["exit_code"], 1);
    assert_eq!(
        format!(
            "error: {}\n",
            json["error"]["message"].as_str().unwrap_or_default()
        ),
        failed.stderr
    );
    assert!(json["databases"][0]["error"].is_null(), "{failed:?}");
    let broken = &json["databases"][dbs.len()];
    assert_eq!(broken["ok"], false, "{failed:?}");
    assert_eq!(broken["migrations"], serde_json::json!([]), "{failed:?}");
    assert!(
        broken
            .get("summary")
            .is_some_and(serde_json::Value::is_null),
        "{failed:?}"
    );
    assert!(!failed.stdout.contains("hunter2") && !failed.stderr.contains("hunter2"));

    // Every database succeeding: `error` is null.
    let ok = run(&dir, &reachable, &[]);
    ok.success();
    let json: serde_json::Value = ok.json();
    assert!(
        json.get("error").is_some_and(serde_json::Value::is_null),
        "{ok:?}"
    );
}

/// The migrations before the one that fails, applied on every database of the fleet.
const BEFORE_THE_FAILURE: usize = 5;

#[test]
fn a_database_failing_part_way_says_what_took_effect_in_its_line_and_its_json() {
    let dir = project();
    let dbs = databases(&["part_way_a", "part_way_b"]);
    let args = with_urls(vec!["migration:latest"], &dbs);
    let env = [("ARTE_MODULES", "shop,broken")];
    let run = run(&dir, &args, &env);
    assert_eq!(run.code, 1, "{run:?}");
    let failure =
        "migration `2026_01_03_00_01_create_table_broken_second` of broken failed while migrating";
    for db in &dbs {
        let prefix = format!(
            "FAILED {}  applied {BEFORE_THE_FAILURE} migrations in batch 1, then: {failure}",
            shown(db)
        );
        assert!(
            run.stdout.lines().any(|line| line.starts_with(&prefix)),
            "no line starting {prefix:?}: {run:?}"
        );
        // Where DDL is not transactional (MariaDB) the failed one has a row too, which
        // says it failed.
        let applied = db.strings(
            "SELECT name AS v FROM migrations WHERE name <> '2026_01_03_00_01_create_table_broken_second'",
        );
        assert_eq!(applied.len(), BEFORE_THE_FAILURE, "{applied:?}");
    }

    let dbs = databases(&["part_way_json_a", "part_way_json_b"]);
    let args = with_urls(vec!["migration:latest", "--json"], &dbs);
    let run = self::run(&dir, &args, &env);
    assert_eq!(run.code, 1, "{run:?}");
    let json: serde_json::Value = run.json();
    assert_eq!(json["summary"]["failed"], dbs.len(), "{run:?}");
    for (i, db) in dbs.iter().enumerate() {
        let object = &json["databases"][i];
        assert_eq!(object["database"], shown(db));
        assert_eq!(object["ok"], false);
        assert_eq!(object["exit_code"], 1);
        assert_eq!(object["error"]["exit_code"], 1);
        let message = object["error"]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(failure), "{message}");
        let names: Vec<&str> = object["migrations"]
            .as_array()
            .map(|all| all.iter().filter_map(|m| m["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names.len(), BEFORE_THE_FAILURE, "{object}");
        assert_eq!(
            names.last().copied(),
            Some("2026_01_03_00_00_create_table_broken_first"),
            "{object}"
        );
    }
}

#[test]
fn quiet_prints_a_failed_databases_line_and_no_other() {
    let dir = project();
    let dbs = databases(&["quiet_a"]);
    let args = with_urls(
        vec!["-q", "migration:latest", "--database-url", BROKEN],
        &dbs,
    );
    let run = run(&dir, &args, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: 1 of {} databases failed (each one's line says why); the others were not stopped",
            dbs.len() + 1
        )
    );
    // The failed database's line, which the error points to, and nothing else.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{run:?}");
    assert!(
        lines[0].starts_with(&format!(
            "FAILED postgres://postgres:***@127.0.0.1:5432/arte_fleet_no_such_database  {BROKEN_FAILS}"
        )),
        "{run:?}"
    );
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"));
    for db in &dbs {
        assert_eq!(recorded(db), MIGRATIONS, "{}", db.url());
    }

    // Failing part-way: the line says what took effect, then why.
    let dbs = databases(&["quiet_part_way_a", "quiet_part_way_b"]);
    let args = with_urls(vec!["-q", "migration:latest"], &dbs);
    let run = self::run(&dir, &args, &[("ARTE_MODULES", "shop,broken")]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), dbs.len(), "{run:?}");
    for db in &dbs {
        let prefix = format!(
            "FAILED {}  applied {BEFORE_THE_FAILURE} migrations in batch 1, then: migration `2026_01_03_00_01_create_table_broken_second` of broken failed while migrating",
            shown(db)
        );
        assert!(
            lines.iter().any(|line| line.starts_with(&prefix)),
            "no line starting {prefix:?}: {run:?}"
        );
    }

    // Every database succeeding: nothing at all.
    let dbs = databases(&["quiet_ok_a", "quiet_ok_b"]);
    let args = with_urls(vec!["-q", "migration:status"], &dbs);
    let run = self::run(&dir, &args, &[]);
    run.success();
    assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{run:?}");
}

/// Whether a JSON number has at most three decimals, as written.
fn three_decimals_at_most(value: &serde_json::Value) -> bool {
    value.is_number()
        && value
            .to_string()
            .split_once('.')
            .is_none_or(|(_, decimals)| decimals.len() <= 3)
}

#[test]
fn a_fleets_json_durations_have_three_decimals_like_a_migrations() {
    let dir = project();
    let dbs = databases(&["rounded_a", "rounded_b"]);
    let args = with_urls(
        vec!["migration:latest", "--json", "--database-url", BROKEN],
        &dbs,
    );
    let run = run(&dir, &args, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let json: serde_json::Value = run.json();
    let databases = json["databases"].as_array().cloned().unwrap_or_default();
    assert_eq!(databases.len(), dbs.len() + 1, "{run:?}");
    for database in &databases {
        let took = &database["duration_ms"];
        assert!(three_decimals_at_most(took), "{took} in {database}");
        for migration in database["migrations"].as_array().into_iter().flatten() {
            let took = &migration["duration_ms"];
            assert!(three_decimals_at_most(took), "{took} in {migration}");
        }
    }
    let took = &json["summary"]["duration_ms"];
    assert!(three_decimals_at_most(took), "{took}");
}
