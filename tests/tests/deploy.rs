//! The deploy pipeline on every backend, as processes: `--pretend` changes nothing (the
//! database dumped before and after is the same to the byte), the production guard
//! refuses without `--force`, `status --check` exits 0, 3 or 4, `--json` follows its
//! documented schema, and `rollback` and `reset` undo what they say.

use arte_tests::process::{self, Run};
use arte_tests::{Kind, Scratch, TestDb, per_backend};
use std::process::Command;

per_backend!(
    pretend_prints_each_migrations_sql_and_changes_nothing,
    pretend_shows_what_a_migration_sends_through_its_connection,
    the_production_guard_refuses_without_force_or_a_terminal,
    status_check_exits_0_when_up_to_date_3_when_pending_4_when_changed,
    json_output_follows_its_schema,
    rollback_takes_a_batch_or_steps_and_reset_rolls_back_everything,
);

struct Project<'a> {
    dir: Scratch,
    db: &'a TestDb,
}

impl<'a> Project<'a> {
    fn new(db: &'a TestDb) -> Project<'a> {
        let dir = Scratch::new("deploy");
        std::fs::write(dir.join("arte.toml"), "[modules]\nenabled = [\"shop\"]\n")
            .unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
        Project { dir, db }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut env = env.to_vec();
        env.push(("DATABASE_URL", self.db.url()));
        process::run(
            env!("CARGO_BIN_EXE_arte-fixture"),
            self.dir.path(),
            args,
            &env,
        )
    }

    /// Everything in the database, as its own tools dump it: the file's bytes for
    /// SQLite (as hex), `pg_dump` for PostgreSQL (without the random key of its
    /// `\restrict` lines), `mariadb-dump` for MariaDB.
    fn dump(&self) -> String {
        let output = match self.db.kind() {
            Kind::Sqlite => {
                let path = self.db.url().trim_start_matches("sqlite://");
                let bytes = std::fs::read(path).unwrap_or_default();
                return bytes.iter().map(|b| format!("{b:02x}")).collect();
            }
            Kind::Postgres => Command::new("pg_dump")
                .args(["--no-owner", "--dbname", self.db.url()])
                .output(),
            Kind::Mysql => Command::new("mariadb-dump")
                .args([
                    "--protocol=tcp",
                    "-h127.0.0.1",
                    "-uroot",
                    "--skip-dump-date",
                    "--skip-comments",
                    self.db.name(),
                ])
                .output(),
        };
        let output = output.unwrap_or_else(|e| panic!("cannot dump the database: {e}"));
        assert!(
            output.status.success(),
            "the dump failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.starts_with("\\restrict") && !line.starts_with("\\unrestrict"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A dump without the values of PostgreSQL's sequences, which a pretended data migration
/// draws from and no rollback puts back (putting them back could hand out again a number
/// another session drew meanwhile).
fn without_sequences(dump: &str) -> String {
    dump.lines()
        .filter(|line| !line.starts_with("SELECT pg_catalog.setval("))
        .collect::<Vec<_>>()
        .join("\n")
}

fn pretend_prints_each_migrations_sql_and_changes_nothing(db: &TestDb) {
    let project = Project::new(db);
    project.run(&["migration:up", "--steps", "2"]).success();
    let before = project.dump();
    let checked = match db.kind() {
        Kind::Sqlite | Kind::Postgres => "(checked by the database, then rolled back)",
        Kind::Mysql => "(listed only: the database could not take it back)",
    };
    let commands: [&[&str]; 7] = [
        &["migration:latest", "--pretend"],
        &["migration:up", "--pretend"],
        &["migration:down", "--pretend"],
        &["migration:rollback", "--pretend"],
        &["migration:reset", "--pretend"],
        &["migration:fresh", "--pretend"],
        &["migration:repair", "--pretend"],
    ];
    for args in commands {
        let run = project.run(args);
        run.success();
        assert!(run.stdout.starts_with("Database: "), "{args:?}: {run:?}");
        assert!(
            run.stdout.ends_with("Nothing was changed (--pretend).\n")
                || run
                    .stdout
                    .ends_with("Nothing to repair: the migrations table matches the code.\n"),
            "{args:?}: {run:?}"
        );
        assert_eq!(
            without_sequences(&project.dump()),
            without_sequences(&before),
            "{args:?} changed the database"
        );
    }
    let latest = project.run(&["migration:latest", "--pretend"]);
    assert!(
        latest.stdout.contains(&format!(
            "Would migrate core 2026_01_01_00_02_seed_items {checked}\n    INSERT INTO items (name) VALUES ('Notebook'), ('Pencil');\n"
        )),
        "{latest:?}"
    );
    assert!(
        latest
            .stdout
            .contains("Would migrate shop 2026_01_02_00_00_create_table_shop_orders"),
        "{latest:?}"
    );
    let fresh = project.run(&["migration:fresh", "--pretend"]);
    let rolled_back = fresh
        .stdout
        .find("Would roll back core 2026_01_01_00_01_create_table_tags")
        .unwrap_or(usize::MAX);
    let migrated = fresh
        .stdout
        .find("Would migrate core 2026_01_01_00_01_create_table_tags")
        .unwrap_or(0);
    assert!(rolled_back < migrated, "down, then up: {fresh:?}");
}

fn pretend_shows_what_a_migration_sends_through_its_connection(db: &TestDb) {
    let project = Project::new(db);
    let env = [("ARTE_MODULES", "data")];
    let before = project.dump();
    let run = project.run_with(&["migration:latest", "--pretend", "-m", "data"], &env);
    match db.kind() {
        Kind::Sqlite | Kind::Postgres => {
            run.success();
            assert!(run.stdout.contains("CREATE TABLE"), "{run:?}");
            assert!(
                run.stdout
                    .contains("    INSERT INTO data_rows (note) VALUES ('from the connection')"),
                "the diesel query is shown: {run:?}"
            );
        }
        Kind::Mysql => {
            // Also when the migration wraps the database's error in one of its own.
            let wrapped = project.run_with(
                &["migration:latest", "--pretend", "-m", "data"],
                &[("ARTE_MODULES", "data"), ("ARTE_FIXTURE_WRAP_ERRORS", "1")],
            );
            for run in [&run, &wrapped] {
                assert_eq!(run.code, 1, "{run:?}");
                assert!(
                    run.stderr.contains(
                        "sends queries of its own through `db.connection()`, which `--pretend` cannot run on MySQL/MariaDB"
                    ),
                    "{run:?}"
                );
            }
        }
    }
    assert_eq!(project.dump(), before);
}

fn the_production_guard_refuses_without_force_or_a_terminal(db: &TestDb) {
    let project = Project::new(db);
    project.run(&["migration:latest"]).success();
    let before = project.dump();
    for (variable, args) in [
        ("APP_ENV", &["migration:fresh"][..]),
        ("ARTE_ENV", &["migration:down"][..]),
        ("APP_ENV", &["migration:rollback"][..]),
        ("APP_ENV", &["migration:reset"][..]),
        ("ARTE_ENV", &["migration:repair"][..]),
    ] {
        let run = project.run_with(args, &[(variable, "production")]);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains(
                "says this is production; run it again with `--force` to go on without a question; nothing was changed"
            ) && run.stderr.contains(&format!("{variable}=production")),
            "{run:?}"
        );
        assert!(
            run.stdout.starts_with("Database: ") && run.stdout.lines().count() == 1,
            "the database is said first: {run:?}"
        );
        assert_eq!(project.dump(), before, "{args:?} changed the database");
    }
    // Pretending changes nothing, so it needs no question.
    project
        .run_with(
            &["migration:fresh", "--pretend"],
            &[("APP_ENV", "production")],
        )
        .success();
    // Elsewhere, and with --force, it goes on.
    project
        .run_with(&["migration:down"], &[("APP_ENV", "staging")])
        .success();
    project
        .run_with(
            &["migration:fresh", "--force"],
            &[("APP_ENV", "production")],
        )
        .success();
    assert_ne!(project.dump(), before);
}

fn status_check_exits_0_when_up_to_date_3_when_pending_4_when_changed(db: &TestDb) {
    let project = Project::new(db);
    assert_eq!(project.run(&["migration:status", "--check"]).code, 3);
    project.run(&["migration:latest"]).success();
    project.run(&["migration:status", "--check"]).success();
    db.execute("UPDATE migrations SET checksum = 'edited' WHERE name = '2026_01_01_00_00_create_table_items'");
    let changed = project.run(&["migration:status", "--check"]);
    assert_eq!(changed.code, 4, "{changed:?}");
    assert!(
        changed.stdout.contains("Changed"),
        "the table is printed too"
    );
    assert_eq!(
        project.run(&["migration:status"]).code,
        0,
        "without --check, 0"
    );
}

fn json_output_follows_its_schema(db: &TestDb) {
    let project = Project::new(db);
    let shown = arte_core::DatabaseUrl::parse(db.url())
        .map(|u| u.to_string())
        .unwrap_or_default();
    let status = project.run(&["migration:status", "--json"]).json();
    assert_eq!(status["database"], shown);
    assert_eq!(status["summary"]["pending"], 4);
    assert_eq!(status["summary"]["applied"], 0);
    let first = &status["migrations"][0];
    assert_eq!(first["module"], "core");
    assert_eq!(first["name"], "2026_01_01_00_00_create_table_items");
    assert_eq!(first["state"], "pending");
    assert!(first["batch"].is_null() && first["applied_at"].is_null());
    assert!(
        first["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("2026_01_01_00_00_create_table_items.rs"))
    );

    let pretended = project
        .run(&["migration:latest", "--pretend", "--json"])
        .json();
    assert_eq!(pretended["command"], "migration:latest");
    assert_eq!(pretended["pretend"], true);
    assert!(pretended["error"].is_null());
    let steps = pretended["migrations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(steps.len(), 4);
    assert!(
        steps[0]["sql"][0]
            .as_str()
            .is_some_and(|s| s.starts_with("CREATE TABLE"))
    );
    assert_eq!(steps[0]["checked"], db.kind() != Kind::Mysql);

    let ran = project.run(&["migration:latest", "--json"]).json();
    assert_eq!(ran["pretend"], false);
    let steps = ran["migrations"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[3]["direction"], "up");
    assert_eq!(steps[3]["batch"], 1);
    assert!(steps[3]["duration_ms"].as_f64().is_some());
    assert!(steps[3].get("sql").is_none(), "SQL only where pretended");

    let status = project.run(&["migration:status", "--json"]).json();
    assert_eq!(status["summary"]["applied"], 4);
    let applied_at = status["migrations"][0]["applied_at"]
        .as_str()
        .unwrap_or_default();
    assert!(
        applied_at.ends_with('Z') && applied_at.contains('T'),
        "{applied_at}"
    );

    let failed = project.run_with(
        &["migration:latest", "-m", "broken", "--json"],
        &[("ARTE_MODULES", "broken")],
    );
    assert_eq!(failed.code, 1);
    let failed = failed.json();
    assert_eq!(failed["error"]["exit_code"], 1);
    assert!(
        failed["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("broken_second"))
    );
}

fn rollback_takes_a_batch_or_steps_and_reset_rolls_back_everything(db: &TestDb) {
    let project = Project::new(db);
    project
        .run(&["migration:up", "--core", "--steps", "2"])
        .success();
    project.run(&["migration:up", "-m", "shop"]).success();
    project.run(&["migration:latest"]).success();
    let batches = || db.strings("SELECT CAST(batch AS CHAR(10)) AS v FROM migrations ORDER BY id");
    assert_eq!(batches(), ["1", "1", "2", "3"]);
    // Batch 2 is not the last one.
    let run = project.run(&["migration:rollback", "--batch", "2"]);
    run.success();
    assert!(
        run.stdout
            .contains("Rolled back  shop     2026_01_02_00_00_create_table_shop_orders"),
        "{run:?}"
    );
    assert_eq!(batches(), ["1", "1", "3"]);
    project
        .run(&["migration:rollback", "--steps", "1"])
        .success();
    assert_eq!(batches(), ["1", "1"]);
    project.run(&["migration:latest"]).success();
    // The next batch follows the highest one recorded.
    assert_eq!(batches(), ["1", "1", "2", "2"]);
    let run = project.run(&["migration:rollback"]);
    run.success();
    assert!(
        run.stdout.contains("Rolled back 2 migrations"),
        "the last batch: {run:?}"
    );
    assert_eq!(batches(), ["1", "1"]);
    let reset = project.run(&["migration:reset"]);
    reset.success();
    assert!(
        reset.stdout.contains("Rolled back 2 migrations"),
        "{reset:?}"
    );
    assert_eq!(db.tables(), ["migrations"]);
    assert_eq!(
        project.run(&["migration:reset"]).stdout.lines().last(),
        Some("Nothing to roll back.")
    );
}
