//! The command line as a process on every backend: the fixture application's migrations
//! applied, rolled back and refused on SQLite, PostgreSQL and MariaDB, and the database
//! read back after each command.

use arte_tests::process::{self, Run};
use arte_tests::{Kind, Scratch, TestDb, per_backend};

/// A project directory (`shop` the only enabled module unless a test says otherwise)
/// whose database is the test's own.
struct Project<'a> {
    dir: Scratch,
    db: &'a TestDb,
}

impl<'a> Project<'a> {
    fn new(db: &'a TestDb) -> Project<'a> {
        let dir = Scratch::new("cli-backend");
        std::fs::write(dir.join("arte.toml"), "[modules]\nenabled = [\"shop\"]\n")
            .unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
        Project { dir, db }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs the fixture; the first line every command prints, which names the database,
    /// is checked and left out of the `Run`.
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut env = env.to_vec();
        env.push(("DATABASE_URL", self.db.url()));
        let mut run = process::run(
            env!("CARGO_BIN_EXE_arte-fixture"),
            self.dir.path(),
            args,
            &env,
        );
        if let Some(rest) = run.stdout.strip_prefix("Database: ") {
            let (shown, rest) = rest.split_once('\n').unwrap_or((rest, ""));
            let expected = arte_core::DatabaseUrl::parse(self.db.url())
                .map(|url| url.to_string())
                .unwrap_or_default();
            assert_eq!(shown, expected, "the first line names the database");
            run.stdout = rest.to_owned();
        }
        run
    }

    /// `module/name` of each applied migration, in the order applied.
    fn recorded(&self) -> Vec<String> {
        let label = match self.db.kind() {
            Kind::Mysql => "CONCAT(module, '/', name)",
            Kind::Sqlite | Kind::Postgres => "module || '/' || name",
        };
        self.db
            .strings(&format!("SELECT {label} AS v FROM migrations ORDER BY id"))
    }
}

fn status_prints_a_table_of_every_migration_with_its_state(db: &TestDb) {
    let project = Project::new(db);
    let run = project.run(&["migration:status"]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Module  Migration                                  Status   Batch  Applied at (UTC)"
    );
    assert_eq!(
        lines[1],
        "core    2026_01_01_00_00_create_table_items        Pending"
    );
    assert_eq!(
        lines[4],
        "shop    2026_01_02_00_00_create_table_shop_orders  Pending"
    );
    assert_eq!(lines[6], "0 applied, 4 pending.");

    project.run(&["migration:latest"]).success();
    let run = project.run(&["migration:status", "--root"]);
    run.success();
    let row = run.stdout.lines().nth(1).unwrap_or_default().to_owned();
    assert!(
        row.starts_with("core    2026_01_01_00_00_create_table_items  Applied  1      20"),
        "{run:?}"
    );
    assert!(run.stdout.ends_with("\n3 applied, 0 pending.\n"), "{run:?}");
}

fn latest_prints_one_line_per_migration_with_its_time_then_a_summary(db: &TestDb) {
    let project = Project::new(db);
    let run = project.run(&["migration:latest"]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{run:?}");
    for (line, name) in lines.iter().zip([
        "core     2026_01_01_00_00_create_table_items",
        "core     2026_01_01_00_01_create_table_tags",
        "core     2026_01_01_00_02_seed_items",
        "shop     2026_01_02_00_00_create_table_shop_orders",
    ]) {
        assert!(line.starts_with(&format!("Migrated     {name} ")), "{line}");
        assert!(line.ends_with(" ms"), "{line}");
    }
    assert!(
        lines[4].starts_with("Applied 4 migrations in batch 1 ("),
        "{run:?}"
    );
    assert_eq!(project.recorded().len(), 4);
    assert_eq!(db.count("items"), 2);
    assert_eq!(db.tables(), ["items", "migrations", "shop_orders", "tags"]);

    let again = project.run(&["migration:latest"]);
    again.success();
    assert_eq!(again.stdout, "Nothing to migrate.\n");
}

fn up_and_down_take_steps_and_filters(db: &TestDb) {
    let project = Project::new(db);
    project
        .run(&["migration:up", "--root", "--steps", "2"])
        .success();
    assert_eq!(
        project.recorded(),
        [
            "core/2026_01_01_00_00_create_table_items",
            "core/2026_01_01_00_01_create_table_tags"
        ]
    );
    let run = project.run(&["migration:up", "-m", "shop"]);
    run.success();
    assert!(
        run.stdout
            .starts_with("Migrated     shop     2026_01_02_00_00_create_table_shop_orders"),
        "{run:?}"
    );
    project.run(&["migration:up"]).success();
    assert_eq!(project.recorded().len(), 4);

    let run = project.run(&["migration:down", "--steps", "2"]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Rolled back  core     2026_01_01_00_02_seed_items"),
        "{run:?}"
    );
    assert!(
        lines[1].starts_with("Rolled back  shop     2026_01_02_00_00_create_table_shop_orders"),
        "{run:?}"
    );
    assert!(
        lines[2].starts_with("Rolled back 2 migrations ("),
        "{run:?}"
    );
    project.run(&["migration:down", "--root"]).success();
    assert_eq!(
        project.recorded(),
        ["core/2026_01_01_00_00_create_table_items"]
    );
    assert_eq!(db.tables(), ["items", "migrations"]);
}

fn fresh_rolls_back_and_runs_again(db: &TestDb) {
    let project = Project::new(db);
    project.run(&["migration:latest"]).success();
    db.execute("INSERT INTO items (name) VALUES ('extra')");
    let run = project.run(&["migration:fresh"]);
    run.success();
    assert_eq!(run.stdout.matches("Rolled back  ").count(), 4, "{run:?}");
    assert_eq!(run.stdout.matches("Migrated     ").count(), 4, "{run:?}");
    assert!(
        run.stdout.contains("\nRolled back 4 migrations ("),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("\nApplied 4 migrations in batch 1 ("),
        "{run:?}"
    );
    assert_eq!(db.count("items"), 2);
}

fn a_migration_failing_halfway_exits_1_and_leaves_only_the_ones_before_it(db: &TestDb) {
    let project = Project::new(db);
    let run = project.run_with(
        &["migration:latest", "-m", "broken"],
        &[("ARTE_MODULES", "broken")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .starts_with("Migrated     broken   2026_01_03_00_00_create_table_broken_first"),
        "{run:?}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
    let cause = match db.kind() {
        Kind::Sqlite => "no such table: missing_table".to_owned(),
        Kind::Postgres => "relation \"missing_table\" does not exist".to_owned(),
        Kind::Mysql => format!("Table '{}.missing_table' doesn't exist", db.name()),
    };
    let expected = format!(
        "error: migration `2026_01_03_00_01_create_table_broken_second` of broken failed while migrating: {cause}; the statement was: INSERT INTO missing_table (id) VALUES (1)"
    );
    assert!(run.stderr.starts_with(&expected), "{run:?}");
    match db.kind() {
        Kind::Sqlite | Kind::Postgres => {
            assert_eq!(run.stderr.trim_end(), expected);
            assert_eq!(
                project.recorded(),
                ["broken/2026_01_03_00_00_create_table_broken_first"]
            );
            assert_eq!(db.tables(), ["broken_first", "migrations"]);
        }
        Kind::Mysql => {
            let create =
                "CREATE TABLE `broken_second` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY)";
            let insert = "INSERT INTO broken_second (id) VALUES (1)";
            assert_eq!(
                run.stderr.trim_end(),
                format!(
                    "{expected}. These statements of the migration had taken effect and could not be undone (they were committed as they ran): {create}; {insert}. Undo them by hand, then run `migration:repair`"
                )
            );
            assert_eq!(db.tables(), ["broken_first", "broken_second", "migrations"]);
            // The half-done migration is recorded as failed, with what took effect.
            assert_eq!(
                db.strings("SELECT CONCAT(name, ' ', state) AS v FROM migrations ORDER BY id"),
                [
                    "2026_01_03_00_00_create_table_broken_first applied",
                    "2026_01_03_00_01_create_table_broken_second failed up"
                ]
            );
            let env = [("ARTE_MODULES", "broken")];
            let status = project.run_with(&["migration:status", "-m", "broken"], &env);
            assert_eq!(status.code, 0, "{status:?}");
            assert!(
                status.stdout.contains(&format!(
                    "broken 2026_01_03_00_01_create_table_broken_second (failed, while migrating):\n  took effect:  {create}\n  took effect:  {insert}\n  error:        "
                )),
                "{status:?}"
            );
            // Nothing runs until the database is fixed and the record cleared.
            let refused = project.run_with(&["migration:latest", "-m", "broken"], &env);
            assert_eq!(refused.code, 1, "{refused:?}");
            assert!(
                refused.stderr.starts_with(
                    "error: the migrations table disagrees with the code, so nothing was run: migration `2026_01_03_00_01_create_table_broken_second` of broken failed while migrating after these statements took effect: "
                ),
                "{refused:?}"
            );
            db.execute("DROP TABLE broken_second");
            let repair = project.run_with(&["migration:repair"], &env);
            repair.success();
            assert_eq!(
                repair.stdout,
                "Repair: clear the failed or interrupted run of `2026_01_03_00_01_create_table_broken_second` of broken (delete its row: it is pending again)\nRepaired 1 row.\n"
            );
            assert_eq!(
                project.recorded(),
                ["broken/2026_01_03_00_00_create_table_broken_first"]
            );
        }
    }
}

fn rolling_back_an_irreversible_migration_exits_1_with_nothing_changed(db: &TestDb) {
    let project = Project::new(db);
    let env = [("ARTE_MODULES", "oneway")];
    project
        .run_with(&["migration:latest", "-m", "oneway"], &env)
        .success();
    let run = project.run_with(&["migration:down", "-m", "oneway"], &env);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: migration `2026_01_04_00_00_create_table_oneway_audit` of oneway is irreversible, so it cannot be rolled back; nothing was changed\n"
    );
    assert!(db.tables().contains(&"oneway_audit".to_owned()));
    assert_eq!(project.recorded().len(), 1);
}

fn unknown_types_unsafe_names_and_unprefixed_tables_are_refused_with_nothing_changed(db: &TestDb) {
    let project = Project::new(db);
    let cases = [
        (
            "typo",
            "error: migration `2026_02_01_00_00_create_table_typo_things` of typo failed while migrating: column `price` has the unknown type `monney`; the known types are: smallint, integer, bigint, boolean, text, varchar(n), char(n), decimal(p, s), real, double precision, date, time, timestamp, timestamptz, json, jsonb, uuid, blob, bytea",
        ),
        (
            "badname",
            "error: migration `2026_02_02_00_00_create_table_badname_things` of badname failed while migrating: `name\"; DROP TABLE migrations; --` is not a valid column name; use letters, digits and underscores, starting with a letter or underscore, at most 63 characters",
        ),
        (
            "unprefixed",
            "error: migration `2026_02_03_00_00_create_table_posts` of unprefixed failed while migrating: module `unprefixed` may only create tables whose names start with `unprefixed_`, but this migration creates `posts`; name it `unprefixed_posts`",
        ),
    ];
    for (module, expected) in cases {
        let run = project.run_with(
            &["migration:latest", "-m", module],
            &[("ARTE_MODULES", module)],
        );
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.stderr.trim_end(), expected);
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    assert_eq!(db.tables(), ["migrations"], "nothing was created");
    assert!(project.recorded().is_empty(), "nothing was recorded");
}

fn contract_check_passes_on_the_migrated_database_and_names_each_difference(db: &TestDb) {
    let project = Project::new(db);
    let before = project.run(&["contract:check"]);
    assert_eq!(before.code, 1, "{before:?}");
    assert_eq!(
        before.stdout,
        "table `items` is missing from the database; run the migration that creates it\n\
         table `shop_orders` is missing from the database; run the migration that creates it\n\
         table `tags` is missing from the database; run the migration that creates it\n\
         \n\
         3 of 3 contracts differ from the database.\n"
    );
    assert_eq!(
        before.stderr,
        "error: 3 differences between the contracts and the database\n"
    );

    project.run(&["migration:latest"]).success();
    let run = project.run(&["contract:check"]);
    run.success();
    assert_eq!(run.stdout, "All 3 contracts match the database.\n");

    // Behind the code's back: a column gone, one more, and NULL allowed where the code says not.
    let (drop, add, nullable) = match db.kind() {
        Kind::Sqlite => (
            "ALTER TABLE items DROP COLUMN description",
            "ALTER TABLE shop_orders ADD COLUMN note text",
            None,
        ),
        Kind::Postgres => (
            "ALTER TABLE items DROP COLUMN description",
            "ALTER TABLE shop_orders ADD COLUMN note text",
            Some("ALTER TABLE items ALTER COLUMN name DROP NOT NULL"),
        ),
        Kind::Mysql => (
            "ALTER TABLE items DROP COLUMN description",
            "ALTER TABLE shop_orders ADD COLUMN note text",
            Some("ALTER TABLE items MODIFY COLUMN name varchar(255) NULL"),
        ),
    };
    db.execute(drop);
    db.execute(add);
    if let Some(sql) = nullable {
        db.execute(sql);
    }
    let run = project.run(&["contract:check"]);
    assert_eq!(run.code, 1, "{run:?}");
    let mut expected = Vec::new();
    if nullable.is_some() {
        expected.push("`items.name` accepts NULL in the database, but the contract's field is not an `Option`; make one match the other".to_owned());
    }
    expected.push("`items.description` is missing from the database; add it in a migration or remove the field".to_owned());
    expected.push("`shop_orders.note` (text) is in the database but not in the contract; add the field or drop the column".to_owned());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..expected.len()],
        expected.iter().map(String::as_str).collect::<Vec<_>>()[..],
        "{run:?}"
    );
    assert_eq!(
        run.stderr,
        format!(
            "error: {} differences between the contracts and the database\n",
            expected.len()
        )
    );
}

per_backend!(
    a_panicking_migration_exits_1_with_one_line_and_no_password,
    status_prints_a_table_of_every_migration_with_its_state,
    latest_prints_one_line_per_migration_with_its_time_then_a_summary,
    up_and_down_take_steps_and_filters,
    fresh_rolls_back_and_runs_again,
    a_migration_failing_halfway_exits_1_and_leaves_only_the_ones_before_it,
    rolling_back_an_irreversible_migration_exits_1_with_nothing_changed,
    unknown_types_unsafe_names_and_unprefixed_tables_are_refused_with_nothing_changed,
    contract_check_passes_on_the_migrated_database_and_names_each_difference,
    the_commands_written_from_contracts_run_from_the_command_line,
    latest_atomic_applies_the_batch_in_one_transaction_or_is_refused_on_mysql,
    json_is_one_object_with_its_error_when_the_database_does_not_exist,
    json_of_a_run_failing_part_way_lists_the_migrations_that_took_effect,
);

/// `--json` when the database is not there (a SQLite file in a directory that does not
/// exist; a database the server does not have): one object on stdout whose `error` says
/// what the stderr line says, the stderr line and the exit status as without `--json`,
/// and no password anywhere.
/// A run that fails part-way returns no report; its `--json` object lists all the same
/// the migrations that took effect before the failure, as `migration:status` shows them,
/// and with `--atomic` (where DDL is transactional), none.
fn json_of_a_run_failing_part_way_lists_the_migrations_that_took_effect(db: &TestDb) {
    let project = Project::new(db);
    let env = [("ARTE_MODULES", "shop,broken")];
    if db.kind() != Kind::Mysql {
        let atomic = project.run_with(&["migration:latest", "--atomic", "--json"], &env);
        assert_eq!(atomic.code, 1, "{atomic:?}");
        let value: serde_json::Value = atomic.json();
        assert_eq!(value["migrations"], serde_json::json!([]), "{atomic:?}");
        assert_eq!(value["error"]["exit_code"], 1, "{atomic:?}");
    }
    let run = project.run_with(&["migration:latest", "--json"], &env);
    assert_eq!(run.code, 1, "{run:?}");
    let value: serde_json::Value = run.json();
    let ran: Vec<String> = value["migrations"]
        .as_array()
        .map(|migrations| {
            migrations
                .iter()
                .map(|m| format!("{} {} {}", m["module"], m["name"], m["direction"]))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        ran,
        [
            "\"core\" \"2026_01_01_00_00_create_table_items\" \"up\"",
            "\"core\" \"2026_01_01_00_01_create_table_tags\" \"up\"",
            "\"core\" \"2026_01_01_00_02_seed_items\" \"up\"",
            "\"shop\" \"2026_01_02_00_00_create_table_shop_orders\" \"up\"",
            "\"broken\" \"2026_01_03_00_00_create_table_broken_first\" \"up\"",
        ],
        "{run:?}"
    );
    assert_eq!(value["error"]["exit_code"], 1, "{run:?}");
    let message = value["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "migration `2026_01_03_00_01_create_table_broken_second` of broken failed while migrating"
        ),
        "{run:?}"
    );
    assert_eq!(run.stderr, format!("error: {message}\n"));
}

fn json_is_one_object_with_its_error_when_the_database_does_not_exist(db: &TestDb) {
    let project = Project::new(db);
    let url = match db.kind() {
        Kind::Sqlite => project
            .dir
            .join("no/such/dir/app.sqlite")
            .display()
            .to_string(),
        Kind::Postgres | Kind::Mysql => {
            let (server, _) = db.url().rsplit_once('/').unwrap_or((db.url(), ""));
            let server = match db.kind() {
                // The test server trusts its clients: a password is sent, never checked.
                Kind::Postgres => server.replacen("://postgres@", "://postgres:s3cr3t-pw@", 1),
                _ => server.to_owned(),
            };
            format!("{server}/arte_no_such_database")
        }
    };
    let shown = arte_core::DatabaseUrl::parse(&url)
        .map(|url| url.to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut commands = vec![
        vec!["migration:latest"],
        vec!["migration:down", "--steps", "2"],
        vec!["migration:fresh", "--force"],
    ];
    if db.kind() != Kind::Sqlite {
        // On SQLite, a file that is not there reads as a database where nothing is
        // applied, for the commands that only read.
        commands.push(vec!["migration:up", "--pretend"]);
        commands.push(vec!["migration:status"]);
    }
    // Not `project.run`: the first line, if any, names this database, not the test's.
    let run = |args: &[&str]| {
        process::run(
            env!("CARGO_BIN_EXE_arte-fixture"),
            project.dir.path(),
            args,
            &[("DATABASE_URL", db.url())],
        )
    };
    for command in commands {
        let mut args = command.clone();
        args.extend(["--database-url", url.as_str()]);
        let plain = run(&args);
        args.push("--json");
        let run = run(&args);
        assert_eq!(run.code, 1, "{run:?}");
        assert_eq!(run.code, plain.code, "the exit status is unchanged");
        assert_eq!(run.stderr, plain.stderr, "the stderr line is unchanged");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        match db.kind() {
            Kind::Sqlite => assert!(
                run.stderr
                    .contains("does not exist; create it or choose another path"),
                "{run:?}"
            ),
            Kind::Postgres | Kind::Mysql => assert!(
                run.stderr
                    .starts_with(&format!("error: cannot connect to `{shown}`: ")),
                "{run:?}"
            ),
        }
        let value: serde_json::Value = run.json();
        assert_eq!(value["error"]["exit_code"], 1, "{run:?}");
        let message = value["error"]["message"].as_str().unwrap_or_default();
        assert_eq!(run.stderr, format!("error: {message}\n"));
        assert_eq!(value["database"], shown.as_str());
        assert_eq!(value["migrations"], serde_json::json!([]));
        if command[0] == "migration:status" {
            assert!(value["summary"].is_null(), "{run:?}");
        } else {
            assert_eq!(value["command"], command[0]);
            assert_eq!(value["pretend"], command.contains(&"--pretend"));
        }
        assert!(
            !run.stdout.contains("s3cr3t") && !run.stderr.contains("s3cr3t"),
            "{run:?}"
        );
    }
    if db.kind() == Kind::Mysql {
        // Refused before anything runs, on a database that is there: exit 2.
        let atomic = project.run(&["migration:latest", "--atomic", "--json"]);
        assert_eq!(atomic.code, 2, "{atomic:?}");
        let value: serde_json::Value = atomic.json();
        assert_eq!(value["error"]["exit_code"], 2, "{atomic:?}");
        assert!(db.tables().is_empty(), "{:?}", db.tables());
    }
}

/// `--atomic` from the command line: the batch applied where DDL is transactional; on
/// MySQL/MariaDB refused in a sentence, exit 2, with nothing created.
fn latest_atomic_applies_the_batch_in_one_transaction_or_is_refused_on_mysql(db: &TestDb) {
    let project = Project::new(db);
    let run = project.run(&["migration:latest", "--atomic"]);
    if db.kind() == Kind::Mysql {
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(
            run.stderr.trim_end(),
            "error: `--atomic` cannot run on MySQL/MariaDB: its schema statements commit by themselves, so a batch cannot be taken back as a whole; run without `--atomic` (each migration is then journaled and recorded as it goes)"
        );
        assert!(db.tables().is_empty(), "{:?}", db.tables());
        return;
    }
    run.success();
    assert!(
        run.stdout
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("Applied 4 migrations in batch 1 (")),
        "{run:?}"
    );
    assert_eq!(project.recorded().len(), 4);
    assert_eq!(db.tables(), ["items", "migrations", "shop_orders", "tags"]);
}

/// `contract:check --migrations`, `migration:make --from-contracts` and
/// `migration:squash` as the command line runs them (their engines have suites of their
/// own): the migrations run on a scratch database, never on the configured one.
fn the_commands_written_from_contracts_run_from_the_command_line(db: &TestDb) {
    let project = Project::new(db);
    let run = project.run(&["contract:check", "--migrations"]);
    run.success();
    assert_eq!(
        run.stdout,
        "The migrations build what all 3 contracts declare.\n"
    );
    let run = project.run(&["migration:make", "sync_schema", "--from-contracts"]);
    run.success();
    assert_eq!(
        run.stdout,
        "Nothing to write: the migrations build what the contracts declare.\n"
    );
    assert!(
        db.tables().is_empty(),
        "the configured database is not touched"
    );
    let run = project.run(&["migration:squash", "2026_09_09_00_00_nothing"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: there is no migration `2026_09_09_00_00_nothing` of core; `migration:status` lists them\n"
    );
    let run = project.run(&[
        "contract:check",
        "--migrations",
        "--database-url",
        db.url(),
        "--database-url",
        db.url(),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: `contract:check --migrations` works on one database, and 2 are given (a fleet); give one with `--database-url`; nothing was changed\n"
    );
}

fn a_panicking_migration_exits_1_with_one_line_and_no_password(db: &TestDb) {
    let project = Project::new(db);
    let run = project.run_with(
        &["migration:latest", "-m", "panicky"],
        &[("ARTE_MODULES", "panicky"), ("RUST_BACKTRACE", "1")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(!run.stderr.contains("hunter2"), "{run:?}");
    let panicked = "migration `2026_03_02_00_00_create_table_panicky_things` of panicky panicked: cannot reach postgres://app:***@db.internal/app, giving up";
    match db.kind() {
        Kind::Sqlite | Kind::Postgres => {
            assert_eq!(run.stderr, format!("error: {panicked}\n"));
            assert!(!db.tables().contains(&"panicky_things".to_owned()));
        }
        Kind::Mysql => {
            assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
            assert!(
                run.stderr.starts_with(&format!(
                    "error: migration `2026_03_02_00_00_create_table_panicky_things` of panicky failed while migrating: {panicked}. These statements"
                )),
                "{run:?}"
            );
        }
    }
}

/// MariaDB names a refused user as `'user'@'host'`, after the URL in the error: the line
/// keeps the URL (its password hidden), the database and the server's reason, as does the
/// JSON object.
#[cfg(feature = "mysql")]
#[test]
fn mysql_a_refused_login_keeps_the_servers_reason_and_hides_the_password() {
    let db = TestDb::new(Kind::Mysql, "refused_login");
    let Some((_, server_and_database)) = db.url().rsplit_once('@') else {
        panic!("the test server's URL names no user: {}", db.url());
    };
    let url = format!("mysql://arte_nobody:s3cr3t-pw@{server_and_database}");
    let shown = format!("mysql://arte_nobody:***@{server_and_database}");
    let dir = Scratch::new("refused-login");
    for json in [false, true] {
        let mut args = vec!["migration:status", "--database-url", url.as_str()];
        if json {
            args.push("--json");
        }
        let run = process::run(env!("CARGO_BIN_EXE_arte-fixture"), dir.path(), &args, &[]);
        assert_eq!(run.code, 1, "{run:?}");
        let line = run.stderr.trim_end();
        assert!(
            line.starts_with(&format!(
                "error: cannot connect to `{shown}`: Access denied for user 'arte_nobody'@'"
            )) && line.ends_with(
                "(using password: YES); check the URL's user name and password, and that the server lets that user in"
            ),
            "{run:?}"
        );
        assert!(!format!("{run:?}").contains("s3cr3t"), "{run:?}");
        if json {
            let value: serde_json::Value = run.json();
            assert_eq!(value["database"], shown.as_str());
            assert_eq!(
                format!(
                    "error: {}",
                    value["error"]["message"].as_str().unwrap_or("")
                ),
                line
            );
        }
    }
}
