//! The command line as a process: exit codes, stdout, stderr, and the database after.
//!
//! `arte-fixture` is an application (tests/fixture) with three core migrations and the
//! modules `shop`, `broken` (its second migration fails halfway), `oneway` (irreversible),
//! and `typo`, `badname`, `unprefixed` (each refused before any SQL). The suites that run
//! the migrations on every backend are in `cli_backends.rs`.

use arte_tests::Scratch;
use arte_tests::process::{self, Run};
use std::path::Path;
use std::process::Command;

/// Runs the fixture in `dir` with a clean environment of arte settings plus `env`.
fn arte_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    process::run(env!("CARGO_BIN_EXE_arte-fixture"), dir, args, env)
}

/// A project directory with its own database; `shop` is the only enabled module unless a
/// test says otherwise.
struct Project {
    scratch: Scratch,
}

impl Project {
    fn new(label: &str) -> Project {
        let scratch = Scratch::new(label);
        // An empty project file makes this directory the project: the default database lands here.
        std::fs::write(
            scratch.join("arte.toml"),
            "[modules]\nenabled = [\"shop\"]\n",
        )
        .unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
        Project { scratch }
    }

    fn run(&self, args: &[&str]) -> Run {
        arte_in(self.scratch.path(), args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        arte_in(self.scratch.path(), args, env)
    }

    fn db(&self) -> std::path::PathBuf {
        self.scratch.join("database.sqlite")
    }
}

fn success(run: &Run) {
    run.success();
}

#[test]
fn usage_errors_exit_2_with_one_clear_message() {
    let project = Project::new("cli-usage");
    let both = project.run(&["migration:status", "--root", "-m", "shop"]);
    assert_eq!(both.code, 2, "{both:?}");
    assert!(
        both.stderr
            .starts_with("error: the argument '--core' cannot be used with '--module <NAME>'"),
        "{both:?}"
    );

    let unknown = project.run(&["migration:latest", "-m", "billing"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert_eq!(
        unknown.stderr,
        "error: unknown module `billing`; the known modules are: badname, broken, data, oneway, panicky, shop, slow, typo, unprefixed\n"
    );
    let disabled = project.run(&["migration:latest", "-m", "broken"]);
    assert_eq!(disabled.code, 2, "{disabled:?}");
    assert_eq!(
        disabled.stderr,
        "error: module `broken` is not enabled; the enabled modules are: shop\n"
    );

    for steps in ["0", "two", "-1"] {
        let run = project.run(&["migration:down", "--steps", steps]);
        assert_eq!(run.code, 2, "--steps {steps}: {run:?}");
        // The option is named, a negative number too.
        assert!(
            run.stderr
                .starts_with(&format!("error: invalid value '{steps}' for '--steps <N>'")),
            "--steps {steps}: {run:?}"
        );
    }
    let run = project.run(&["migration:latest", "--lock-timeout", "-5"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("error: invalid value '-5' for '--lock-timeout <SECONDS>'"),
        "{run:?}"
    );
    let nothing = project.run(&[]);
    assert_eq!(nothing.code, 2, "{nothing:?}");
    assert!(
        !project.db().exists(),
        "no usage error touched the database"
    );
    // `contract:check` only reads: an absent database reads as an empty one.
    let check = project.run(&["contract:check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check
            .stdout
            .contains("table `items` is missing from the database"),
        "{check:?}"
    );
    assert!(
        !project.db().exists(),
        "contract:check created the database"
    );
}

#[test]
fn help_lists_every_command() {
    let run = arte_in(Path::new("."), &["--help"], &[]);
    success(&run);
    for command in [
        "migration:status",
        "migration:latest",
        "migration:up",
        "migration:down",
        "migration:fresh",
        "migration:make",
    ] {
        assert!(
            run.stdout.contains(command),
            "{command} missing from {run:?}"
        );
    }
}

#[test]
fn the_database_comes_from_the_flag_then_database_url_then_dotenv_then_the_default() {
    let project = Project::new("cli-url");
    let flag = project.scratch.join("flag.sqlite");
    let flag_url = format!("sqlite://{}", flag.display());
    let env_file = project.scratch.join("env.sqlite");
    let dotenv_file = project.scratch.join("dotenv.sqlite");
    std::fs::write(
        project.scratch.join(".env"),
        format!("DATABASE_URL={}\n", dotenv_file.display()),
    )
    .unwrap_or_else(|e| panic!("cannot write .env: {e}"));

    let env_url = env_file.display().to_string();
    success(&project.run_with(
        &["migration:up", "--database-url", &flag_url],
        &[("DATABASE_URL", &env_url)],
    ));
    assert!(flag.exists() && !env_file.exists());
    success(&project.run_with(&["migration:up"], &[("DATABASE_URL", &env_url)]));
    assert!(env_file.exists() && !dotenv_file.exists());
    success(&project.run(&["migration:up"]));
    assert!(dotenv_file.exists() && !project.db().exists());
    std::fs::remove_file(project.scratch.join(".env")).unwrap_or_else(|e| panic!("{e}"));
    success(&project.run(&["migration:up"]));
    assert!(
        project.db().exists(),
        "the default is database.sqlite in the project directory"
    );
}

#[test]
fn a_blank_database_url_is_refused_instead_of_falling_back_to_the_default() {
    let project = Project::new("cli-blank-url");
    let run = project.run_with(&["migration:latest", "--json"], &[("DATABASE_URL", "")]);
    assert_eq!(run.code, 2, "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("one JSON object: {e}: {run:?}"));
    assert_eq!(
        json["error"]["message"],
        "`DATABASE_URL` is set but empty (in the environment); give it the database's URL, or unset it to use the database arte.toml or the default names"
    );
    // A `.env` file's blank line too, named.
    std::fs::write(project.scratch.join(".env"), "DATABASE_URL=  \n")
        .unwrap_or_else(|e| panic!("cannot write .env: {e}"));
    let run = project.run(&["migration:latest"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "error: `DATABASE_URL` is set but empty (in `{}`); give it the database's URL, or unset it to use the database arte.toml or the default names",
            project.scratch.join(".env").display()
        )
    );
    assert!(
        !project.db().exists(),
        "no database was created or migrated"
    );
    // A value in the environment still wins over the blank `.env` line.
    let url = project.scratch.join("env.sqlite").display().to_string();
    success(&project.run_with(&["migration:latest"], &[("DATABASE_URL", &url)]));
    assert!(!project.db().exists());
}

#[test]
fn unreachable_databases_fail_with_one_line_and_never_show_the_password() {
    let project = Project::new("cli-unreachable");
    // With its feature, a server URL is tried and refused (nothing listens on port 1);
    // without, the build says which feature it lacks.
    let postgres = if cfg!(feature = "postgres") {
        "error: cannot connect to `postgres://app:***@127.0.0.1:1/app`: connection to server at \"127.0.0.1\", port 1 failed: Connection refused. Is the server running on that host and accepting TCP/IP connections? Check the URL, and that the server runs and accepts connections there"
    } else {
        "error: the database URL `postgres://app:***@127.0.0.1:1/app` is for PostgreSQL, which this build does not include; enable the `postgres` feature of arte-core (or of arte-cli, which passes it on) and build again"
    };
    let mysql = if cfg!(feature = "mysql") {
        "error: cannot connect to `mysql://root:***@127.0.0.1:1/app`: Can't connect to server on '127.0.0.1' (115); check the URL, and that the server runs and accepts connections there"
    } else {
        "error: the database URL `mysql://root:***@127.0.0.1:1/app` is for MySQL/MariaDB, which this build does not include; enable the `mysql` feature of arte-core (or of arte-cli, which passes it on) and build again"
    };
    let cases = [
        ("postgres://app:s3cr3t-pw@127.0.0.1:1/app", postgres),
        ("mysql://root:s3cr3t-pw@127.0.0.1:1/app", mysql),
        (
            "oracle://scott:s3cr3t-pw@db/app",
            "error: the database URL `oracle://scott:***@db/app` is not supported: the scheme `oracle` is unknown; use `sqlite://`, `postgres://` or `mysql://`",
        ),
    ];
    for (url, expected) in cases {
        for args in [
            vec!["migration:status", "--database-url", url],
            vec!["migration:latest"],
        ] {
            let run = project.run_with(&args, &[("DATABASE_URL", url)]);
            assert_eq!(run.code, 1, "{run:?}");
            assert_eq!(run.stderr.trim_end(), expected);
            assert!(
                !run.stdout.contains("s3cr3t") && !run.stderr.contains("s3cr3t"),
                "{run:?}"
            );
        }
    }
    let missing_dir = project.scratch.join("no/such/dir/app.sqlite");
    let run = project.run(&[
        "migration:latest",
        "--database-url",
        &missing_dir.display().to_string(),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("does not exist; create it or choose another path"),
        "{run:?}"
    );

    let echoed = project.run(&["migration:status", "postgres://app:s3cr3t-pw@db/app"]);
    assert_eq!(echoed.code, 2, "{echoed:?}");
    assert!(
        echoed.stderr.contains("postgres://app:***@db/app"),
        "{echoed:?}"
    );
    assert!(!echoed.stderr.contains("s3cr3t"), "{echoed:?}");
}

#[test]
fn make_writes_a_compilable_skeleton_named_with_the_current_minute() {
    let project = Project::new("cli-make");
    let dir = project.scratch.join("migrations");
    let dir_arg = dir.display().to_string();
    let run = project.run(&["migration:make", "create_table_items", "--path", &dir_arg]);
    success(&run);
    let files = files_in(&dir);
    assert_eq!(files.len(), 1);
    let name = &files[0];
    let now = chrono_like_now();
    assert!(
        name.ends_with("_create_table_items.rs")
            && name.len() == "2026_01_01_00_00_create_table_items.rs".len(),
        "{name}"
    );
    assert!(
        name.as_str() >= now.as_str() || name.starts_with(&now[..10]),
        "{name} vs {now}"
    );
    assert_eq!(
        run.stdout.lines().next(),
        Some(format!("Created {}", dir.join(name).display()).as_str())
    );
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let stem = name.trim_end_matches(".rs");
    assert!(
        text.contains(&format!("#[migration(\"{stem}\")]")),
        "{text}"
    );
    assert!(text.contains("const TABLE: &str = \"items\";"), "{text}");
    assert!(
        text.contains("pub fn down(db: &mut Db) -> Result<()>"),
        "{text}"
    );

    // Made within the same minute, the second still sorts after the first.
    success(&project.run(&["migration:make", "add_price_to_items", "--path", &dir_arg]));
    success(&project.run(&[
        "migration:make",
        "-m",
        "shop",
        "create_table_carts",
        "--path",
        &dir_arg,
    ]));
    let files = files_in(&dir);
    assert_eq!(files.len(), 3);
    assert!(files[1].ends_with("_add_price_to_items.rs"), "{files:?}");
    assert!(files[2].ends_with("_create_table_carts.rs"), "{files:?}");
    let module = std::fs::read_to_string(dir.join(&files[2])).unwrap_or_default();
    assert!(
        module.contains("module = \"shop\")]") && module.contains("\"shop_carts\""),
        "{module}"
    );
}

#[test]
fn make_never_overwrites_and_writes_nothing_for_a_bad_name() {
    let project = Project::new("cli-make-bad");
    let dir = project.scratch.join("migrations");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let existing = dir.join("2099_12_31_23_59_create_table_items.rs");
    std::fs::write(&existing, "// keep me\n").unwrap_or_else(|e| panic!("{e}"));
    let dir_arg = dir.display().to_string();
    success(&project.run(&["migration:make", "create_table_items", "--path", &dir_arg]));
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap_or_default(),
        "// keep me\n"
    );
    assert_eq!(
        files_in(&dir),
        [
            "2099_12_31_23_59_create_table_items.rs",
            "2100_01_01_00_00_create_table_items.rs"
        ]
    );
    for bad in [
        "CreateItems",
        "create-items",
        "2026_01_01_00_00_x",
        "_x",
        "a__b",
        "",
    ] {
        let run = project.run(&["migration:make", bad, "--path", &dir_arg]);
        assert_eq!(run.code, 2, "{bad}: {run:?}");
        assert!(
            run.stderr
                .starts_with(&format!("error: migration name `{bad}` must be snake case")),
            "{run:?}"
        );
    }
    let run = project.run(&["migration:make", "x", "-m", "core", "--path", &dir_arg]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(files_in(&dir).len(), 2, "nothing was written");
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `YYYY_MM_DD_HH_MM` of now in UTC, from the system clock.
fn chrono_like_now() -> String {
    let output = Command::new("date")
        .args(["-u", "+%Y_%m_%d_%H_%M"])
        .output();
    output
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

#[test]
fn a_relative_sqlite_path_resolves_beside_what_set_it_never_the_working_directory() {
    let project = Project::new("cli-relative");
    let src = project.scratch.join("src");
    std::fs::create_dir_all(&src).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        project.scratch.join(".env"),
        "DATABASE_URL=sqlite://x.sqlite\n",
    )
    .unwrap_or_else(|e| panic!("cannot write .env: {e}"));
    let expected = project.scratch.join("x.sqlite");

    // Reading creates nothing, and names the file beside the .env file.
    let status = arte_in(&src, &["migration:status"], &[]);
    success(&status);
    assert_eq!(
        status.stdout.lines().next(),
        Some(format!("Database: {}", expected.display()).as_str())
    );
    assert!(
        !expected.exists() && !src.join("x.sqlite").exists(),
        "status created a file"
    );
    let pretend = arte_in(&src, &["migration:latest", "--pretend"], &[]);
    success(&pretend);
    assert!(!expected.exists(), "--pretend created a file");

    success(&arte_in(&src, &["migration:latest"], &[]));
    assert!(expected.exists(), "the file is beside the .env file");
    assert!(
        !src.join("x.sqlite").exists(),
        "not in the working directory"
    );

    // arte.toml's own setting is relative to arte.toml.
    std::fs::remove_file(project.scratch.join(".env")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        project.scratch.join("arte.toml"),
        "[database]\nurl = \"sqlite://db/app.sqlite\"\n\n[modules]\nenabled = [\"shop\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(project.scratch.join("db")).unwrap_or_else(|e| panic!("{e}"));
    success(&arte_in(&src, &["migration:latest"], &[]));
    assert!(project.scratch.join("db/app.sqlite").exists());
}

#[test]
fn help_says_what_each_command_does_with_examples_environment_and_exit_codes() {
    let top = arte_in(Path::new("."), &["--help"], &[]);
    success(&top);
    for part in [
        "Examples:",
        "Environment:",
        "DATABASE_URL",
        "APP_ENV",
        "Exit codes:",
        "migration:rollback",
        "migration:reset",
        "migration:repair",
        "init",
    ] {
        assert!(top.stdout.contains(part), "{part} missing from {top:?}");
    }
    for command in [
        "migration:status",
        "migration:latest",
        "migration:up",
        "migration:down",
        "migration:rollback",
        "migration:reset",
        "migration:fresh",
        "migration:repair",
        "contract:check",
    ] {
        let help = arte_in(Path::new("."), &[command, "--help"], &[]);
        success(&help);
        assert!(help.stdout.contains("Examples:"), "{command}: {help:?}");
        assert!(help.stdout.contains("Exit codes:"), "{command}: {help:?}");
        assert!(
            help.stdout.contains("--database-url"),
            "{command}: {help:?}"
        );
    }
    // Options that would do nothing are not offered.
    let make = arte_in(Path::new("."), &["migration:make", "--help"], &[]);
    assert!(
        make.stdout
            .contains("--database-url <URL>  With --from-contracts:"),
        "{make:?}"
    );
    let status = arte_in(Path::new("."), &["migration:status", "--help"], &[]);
    assert!(!status.stdout.contains("--lock-timeout"), "{status:?}");
    assert!(!status.stdout.contains("--pretend"), "{status:?}");
}

#[test]
fn on_a_terminal_a_line_appears_when_a_migration_starts_in_colour_unless_no_color() {
    let project = Project::new("cli-terminal");
    let fixture = env!("CARGO_BIN_EXE_arte-fixture");
    // `script` gives the fixture a terminal of its own.
    let on_terminal = |args: &str, env: &[(&str, &str)]| {
        let mut command = Command::new("script");
        command
            .args(["-qec", &format!("{fixture} {args}"), "/dev/null"])
            .current_dir(project.scratch.path())
            .env_remove("DATABASE_URL")
            .env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("cannot run script: {e}"));
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let coloured = on_terminal("migration:up", &[]);
    assert!(
        coloured.contains("Migrating    core     2026_01_01_00_00_create_table_items"),
        "the line appears when it starts: {coloured:?}"
    );
    assert!(
        coloured.contains("\r\x1b[2K"),
        "and is completed in place: {coloured:?}"
    );
    assert!(
        coloured.contains("\x1b[32mMigrated\x1b[0m"),
        "in colour: {coloured:?}"
    );
    let plain = on_terminal("migration:up", &[("NO_COLOR", "1")]);
    assert!(plain.contains("Migrating    core"), "{plain:?}");
    assert!(
        !plain.contains("\x1b[3"),
        "no colour under NO_COLOR: {plain:?}"
    );
    // Piped: whole lines, no colour, no carriage return.
    let piped = project.run(&["migration:up"]);
    success(&piped);
    assert!(
        !piped.stdout.contains('\x1b') && !piped.stdout.contains('\r'),
        "{piped:?}"
    );
    assert!(
        piped
            .stdout
            .contains("Migrated     core     2026_01_01_00_00_seed_items")
            || piped
                .stdout
                .contains("Migrated     core     2026_01_01_00_02_seed_items"),
        "{piped:?}"
    );
    // -q: nothing but errors.
    let quiet = project.run(&["-q", "migration:down"]);
    success(&quiet);
    assert!(quiet.stdout.is_empty(), "{quiet:?}");
}

#[test]
fn in_production_a_terminal_is_asked_and_only_yes_goes_on() {
    let project = Project::new("cli-confirm");
    success(&project.run(&["migration:latest"]));
    let fixture = env!("CARGO_BIN_EXE_arte-fixture");
    let answer = |text: &str| {
        let mut child = Command::new("script")
            .args(["-qec", &format!("{fixture} migration:down"), "/dev/null"])
            .current_dir(project.scratch.path())
            .env("APP_ENV", "production")
            .env_remove("DATABASE_URL")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run script: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(text.as_bytes());
        }
        let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let applied =
        || arte_tests::sqlite::number(&project.db(), "SELECT count(*) AS n FROM migrations");
    let (code, seen) = answer("no\n");
    assert_eq!(code, Some(2), "{seen}");
    assert!(
        seen.contains("(APP_ENV=production). Type `yes` to go on:"),
        "{seen}"
    );
    assert_eq!(applied(), 4, "nothing was rolled back");
    let (code, seen) = answer("yes\n");
    assert_eq!(code, Some(0), "{seen}");
    assert_eq!(applied(), 3, "one was rolled back");
}

/// `error` of a `--json` object says what the stderr line says, with the exit status.
fn assert_json_error(run: &Run, code: i32) -> serde_json::Value {
    assert_eq!(run.code, code, "{run:?}");
    let value = run.json();
    assert_eq!(value["error"]["exit_code"], code, "{run:?}");
    let message = value["error"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{run:?}");
    assert!(
        run.stderr.starts_with(&format!("error: {message}\n")),
        "the stderr line says the same: {run:?}"
    );
    value
}

#[test]
fn json_is_one_object_even_when_the_command_fails_before_it_runs() {
    let project = Project::new("cli-json-early");
    let shown = project.db().display().to_string();

    // An unknown module: refused before anything runs, exit 2, the stderr line unchanged.
    let unknown = project.run(&["migration:latest", "--json", "-m", "billing"]);
    assert_eq!(
        unknown.stderr,
        "error: unknown module `billing`; the known modules are: badname, broken, data, oneway, panicky, shop, slow, typo, unprefixed\n"
    );
    let value = assert_json_error(&unknown, 2);
    assert_eq!(value["database"], shown.as_str());
    assert_eq!(value["command"], "migration:latest");
    assert_eq!(value["pretend"], false);
    assert_eq!(value["migrations"], serde_json::json!([]));
    let pretended = project.run(&["migration:up", "--pretend", "--json", "-m", "billing"]);
    let value = assert_json_error(&pretended, 2);
    assert_eq!(value["command"], "migration:up");
    assert_eq!(value["pretend"], true);
    let status = project.run(&["migration:status", "--json", "-m", "billing"]);
    let value = assert_json_error(&status, 2);
    assert_eq!(value["database"], shown.as_str());
    assert_eq!(value["migrations"], serde_json::json!([]));
    assert!(
        value["summary"].is_null(),
        "no counts that would read as up to date: {status:?}"
    );

    // The production guard's refusal, without a terminal.
    success(&project.run(&["migration:latest"]));
    for (command, env) in [
        ("migration:down", ("ARTE_ENV", "production")),
        ("migration:repair", ("APP_ENV", "production")),
    ] {
        let refused = project.run_with(&[command, "--json"], &[env]);
        assert_eq!(refused.stderr.lines().count(), 1, "{refused:?}");
        assert!(
            refused.stderr.starts_with(&format!(
                "error: `{command}` would "
            )) && refused.stderr.ends_with(
                "says this is production; run it again with `--force` to go on without a question; nothing was changed\n"
            ),
            "{refused:?}"
        );
        let value = assert_json_error(&refused, 2);
        assert_eq!(value["command"], command);
        assert_eq!(value["database"], shown.as_str());
    }
    assert_eq!(
        arte_tests::sqlite::number(&project.db(), "SELECT count(*) AS n FROM migrations"),
        4,
        "nothing was rolled back"
    );

    // A database that cannot be opened: a SQLite file in a directory that is not there.
    let missing = project.scratch.join("no/such/dir/app.sqlite");
    let missing = missing.display().to_string();
    let plain = project.run(&["migration:latest", "--database-url", &missing]);
    let unreachable = project.run(&["migration:latest", "--json", "--database-url", &missing]);
    assert_eq!(
        unreachable.stderr, plain.stderr,
        "the stderr line is unchanged"
    );
    assert!(
        unreachable
            .stderr
            .contains("does not exist; create it or choose another path"),
        "{unreachable:?}"
    );
    let value = assert_json_error(&unreachable, plain.code);
    assert_eq!(value["error"]["exit_code"], 1);
    assert_eq!(value["database"], missing.as_str());

    // A URL refused as written: shown as given, its password hidden.
    let oracle = project.run(&[
        "migration:fresh",
        "--json",
        "--database-url",
        "oracle://scott:s3cr3t-pw@db/app",
    ]);
    let value = assert_json_error(&oracle, 1);
    assert_eq!(value["database"], "oracle://scott:***@db/app");
    assert!(
        !oracle.stdout.contains("s3cr3t") && !oracle.stderr.contains("s3cr3t"),
        "{oracle:?}"
    );

    // A settings file that cannot be read: the database cannot be told.
    let broken = Project::new("cli-json-bad-toml");
    std::fs::write(broken.scratch.join("arte.toml"), "[modules\n")
        .unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
    let run = broken.run(&["migration:rollback", "--json"]);
    let value = assert_json_error(&run, 2);
    assert!(value["database"].is_null(), "{run:?}");
    assert_eq!(value["command"], "migration:rollback");
}

#[test]
fn json_usage_errors_are_one_object_too_and_clap_keeps_its_text() {
    let project = Project::new("cli-json-usage");
    let shown = project.db().display().to_string();
    for args in [
        ["migration:latest", "--json", "--bogus"],
        ["migration:latest", "--bogus", "--json"],
    ] {
        let run = project.run(&args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr
                .starts_with("error: unexpected argument '--bogus' found\n\nUsage: "),
            "clap's own text: {run:?}"
        );
        let value = run.json();
        assert_eq!(value["error"]["exit_code"], 2, "{run:?}");
        assert_eq!(
            value["error"]["message"],
            "unexpected argument '--bogus' found"
        );
        assert_eq!(value["database"], shown.as_str());
        assert_eq!(value["migrations"], serde_json::json!([]));
    }
    let both = project.run(&["migration:status", "--json", "--root", "-m", "shop"]);
    assert_eq!(both.code, 2, "{both:?}");
    assert_eq!(
        both.json()["error"]["message"],
        "the argument '--core' cannot be used with '--module <NAME>'"
    );
    let steps = project.run(&["migration:down", "--json", "--steps", "0"]);
    assert_eq!(steps.code, 2, "{steps:?}");
    assert_eq!(steps.json()["error"]["exit_code"], 2);
    // No command of arte's: `command` null, clap's text on stderr as ever.
    for (args, message) in [
        (
            &["migration:foo", "--json"][..],
            "unrecognized subcommand 'migration:foo'",
        ),
        (
            &["--bogus", "migration:status", "--json"][..],
            "unexpected argument '--bogus' found",
        ),
    ] {
        let run = project.run(args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.starts_with(&format!("error: {message}\n")),
            "{run:?}"
        );
        assert_eq!(
            run.json(),
            serde_json::json!({ "command": null, "error": { "exit_code": 2, "message": message } })
        );
    }
    // Without `--json`, or for a command that has none, clap's text alone.
    for args in [
        &["migration:latest", "--bogus"][..],
        &["migration:make", "x", "--json"][..],
    ] {
        let run = project.run(args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
    }
    assert!(
        !project.db().exists(),
        "no usage error touched the database"
    );
}

#[test]
fn status_json_says_error_null_when_it_succeeds() {
    let project = Project::new("cli-json-status");
    let status = project.run(&["migration:status", "--json"]);
    success(&status);
    let value = status.json();
    assert!(
        value.get("error").is_some_and(serde_json::Value::is_null),
        "{status:?}"
    );
    assert_eq!(value["summary"]["pending"], 4);
    // `--check` finding pending migrations is not an error: exit 3, `error` null.
    let check = project.run(&["migration:status", "--json", "--check"]);
    assert_eq!(check.code, 3, "{check:?}");
    assert!(check.stderr.is_empty(), "{check:?}");
    assert!(check.json()["error"].is_null(), "{check:?}");
    let latest = project.run(&["migration:latest", "--json"]);
    success(&latest);
    assert!(latest.json()["error"].is_null(), "{latest:?}");
    let repair = project.run(&["migration:repair", "--json"]);
    success(&repair);
    let value = repair.json();
    assert!(value["error"].is_null(), "{repair:?}");
    assert_eq!(value["actions"], serde_json::json!([]));
}

#[test]
fn quiet_silences_the_out_of_order_note() {
    let project = Project::new("cli-quiet-note");
    success(&project.run(&["migration:latest"]));
    // A branch merged late: a core migration older than the newest applied is pending.
    let unapply = || {
        arte_tests::sqlite::execute(
            &project.db(),
            "DELETE FROM migrations WHERE name = '2026_01_01_00_01_create_table_tags'",
        );
        arte_tests::sqlite::execute(&project.db(), "DROP TABLE tags");
    };
    unapply();
    let noted = project.run(&["migration:latest"]);
    assert_eq!(noted.code, 0, "{noted:?}");
    assert_eq!(
        noted.stderr,
        "note: `2026_01_01_00_01_create_table_tags` of core is pending but older than the newest applied migration of its module; the out-of-order policy `allow` lets it run\n"
    );
    unapply();
    let quiet = project.run(&["-q", "migration:latest"]);
    assert_eq!(quiet.code, 0, "{quiet:?}");
    assert!(
        quiet.stdout.is_empty() && quiet.stderr.is_empty(),
        "{quiet:?}"
    );
    assert_eq!(
        arte_tests::sqlite::tables(&project.db()),
        ["items", "migrations", "shop_orders", "tags"],
        "it ran all the same"
    );
    // With -q an error is still printed.
    let failed = project.run(&["-q", "migration:latest", "-m", "billing"]);
    assert_eq!(failed.code, 2, "{failed:?}");
    assert!(failed.stderr.starts_with("error: unknown module `billing`"));
}

#[test]
fn a_fleet_says_the_out_of_order_note_and_its_wait_for_the_lock_naming_the_database() {
    let project = Project::new("cli-fleet-notes");
    let (first, second) = (
        project.scratch.join("a.sqlite"),
        project.scratch.join("b.sqlite"),
    );
    let (a, b) = (first.display().to_string(), second.display().to_string());
    let fleet = [
        "migration:latest",
        "--database-url",
        &a,
        "--database-url",
        &b,
    ];
    success(&project.run(&fleet));
    arte_tests::sqlite::execute(
        &first,
        "DELETE FROM migrations WHERE name = '2026_01_01_00_01_create_table_tags'",
    );
    arte_tests::sqlite::execute(&first, "DROP TABLE tags");
    // The second database's file is locked by another migrator for two seconds.
    let holder = std::fs::File::open(&second).unwrap_or_else(|e| panic!("{e}"));
    holder.lock().unwrap_or_else(|e| panic!("cannot lock: {e}"));
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        drop(holder);
    });
    let run = project.run(&fleet);
    release
        .join()
        .unwrap_or_else(|_| panic!("the holder's thread panicked"));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "note: `2026_01_01_00_01_create_table_tags` of core is pending but older than the newest applied migration of its module in `{a}`; the out-of-order policy `allow` lets it run\n"
        )),
        "{run:?}"
    );
    assert!(
        run.stderr.contains(&format!(
            "waiting for the lock on the `migrations` migrations table of `{b}`"
        )),
        "{run:?}"
    );
    assert_eq!(run.stderr.lines().count(), 2, "{run:?}");
    // `-q` silences both, as on one database.
    arte_tests::sqlite::execute(
        &first,
        "DELETE FROM migrations WHERE name = '2026_01_01_00_01_create_table_tags'",
    );
    arte_tests::sqlite::execute(&first, "DROP TABLE tags");
    let mut quiet = vec!["-q"];
    quiet.extend(fleet);
    let run = project.run(&quiet);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
    // When every database failed, there are no others.
    let missing = project.scratch.join("no/such/dir");
    let (x, y) = (
        missing.join("x.sqlite").display().to_string(),
        missing.join("y.sqlite").display().to_string(),
    );
    let gone = [
        "migration:latest",
        "--database-url",
        &x,
        "--database-url",
        &y,
    ];
    let run = project.run(&gone);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr.lines().last(),
        Some("error: 2 of 2 databases failed (each one's line says why)"),
        "{run:?}"
    );
}

#[test]
fn a_pretend_run_that_fails_says_its_database_first_and_json_stays_one_object() {
    let project = Project::new("cli-pretend-fails");
    let env = [("ARTE_MODULES", "shop,broken")];
    let pretend = project.run_with(&["migration:latest", "--pretend"], &env);
    assert_eq!(pretend.code, 1, "{pretend:?}");
    let lines: Vec<&str> = pretend.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Database: ") && lines[0].ends_with("database.sqlite"),
        "{pretend:?}"
    );
    // Then what would have run before the migration that failed, and the promise.
    let listed: Vec<&str> = lines
        .iter()
        .filter(|line| line.starts_with("Would migrate "))
        .copied()
        .collect();
    assert!(
        listed.first().is_some_and(
            |line| line.starts_with("Would migrate core 2026_01_01_00_00_create_table_items")
        ),
        "{pretend:?}"
    );
    assert!(
        !pretend.stdout.contains("broken_second"),
        "the failing one is the error's: {pretend:?}"
    );
    assert_eq!(
        lines.last(),
        Some(&"Nothing was changed (--pretend)."),
        "{pretend:?}"
    );
    assert!(
        pretend.stderr.starts_with(
            "error: migration `2026_01_03_00_01_create_table_broken_second` of broken failed while migrating"
        ) && pretend.stderr.lines().count() == 1,
        "{pretend:?}"
    );
    assert!(!project.db().exists(), "pretending creates nothing");
    let database = lines[0].to_owned();

    // `--json`: the one object, nothing else on stdout; the same line on stderr.
    let json = project.run_with(&["migration:latest", "--pretend", "--json"], &env);
    assert_eq!(json.code, pretend.code, "{json:?}");
    assert_eq!(json.stderr, pretend.stderr);
    let value = json.json();
    assert_eq!(value["pretend"], true, "{json:?}");
    assert_eq!(value["error"]["exit_code"], 1, "{json:?}");
    let migrations = value["migrations"].as_array().map_or(0, Vec::len);
    assert_eq!(migrations, listed.len(), "{json:?}");
    assert!(!json.stdout.contains("Database:"), "{json:?}");

    // A pretend run that succeeds: the database, then each migration, then the promise.
    let fine = project.run(&["migration:latest", "--pretend"]);
    success(&fine);
    let lines: Vec<&str> = fine.stdout.lines().collect();
    assert_eq!(lines[0], database, "{fine:?}");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("Database:")).count(),
        1
    );
    assert_eq!(
        lines.last(),
        Some(&"Nothing was changed (--pretend)."),
        "{fine:?}"
    );

    // `fresh`: what its rollback would do, then the migrations before the failure.
    project.run(&["migration:latest"]).success();
    let fresh = project.run_with(&["migration:fresh", "--pretend", "--force"], &env);
    assert_eq!(fresh.code, 1, "{fresh:?}");
    let rolled_back = fresh
        .stdout
        .find("Would roll back core 2026_01_01_00_00_create_table_items");
    let migrated = fresh
        .stdout
        .find("Would migrate core 2026_01_01_00_00_create_table_items");
    assert!(
        rolled_back.is_some() && migrated.is_some() && rolled_back < migrated,
        "{fresh:?}"
    );
    assert!(
        fresh.stdout.ends_with("Nothing was changed (--pretend).\n"),
        "{fresh:?}"
    );
    project.run(&["migration:reset", "--force"]).success();

    // The same first line as the run that is not pretended.
    let real = project.run_with(&["migration:latest"], &env);
    assert_eq!(real.code, 1, "{real:?}");
    assert_eq!(
        real.stdout.lines().next(),
        Some(database.as_str()),
        "{real:?}"
    );
}
