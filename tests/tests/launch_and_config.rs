//! The stand-alone `arte` with the application `arte.toml` names: cargo's failures to
//! build it are configuration errors naming `arte.toml` (exit 2, one line, and with
//! `--json` the command's object), told from the application's own exit status, which
//! passes through as it is. And settings refused, from `arte.toml` or the environment,
//! each on one line naming where it was written.
//!
//! The applications here are packages without dependencies, each built into a target
//! directory of its own in a fraction of a second; the stand-alone `arte` is built once,
//! into `target/readme-app`, where `readme_app.rs` builds it the same way (one build of
//! arte-cli for both).

use arte_tests::process::{self, Run};
use arte_tests::{Scratch, workspace};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The stand-alone `arte` (arte-cli's own binary, with no migrations), built from this
/// checkout once for every test here.
fn standalone() -> &'static str {
    static ARTE: OnceLock<String> = OnceLock::new();
    ARTE.get_or_init(|| {
        // Where `readme_app.rs` builds it too: one build of arte-cli for both.
        let target = workspace().join("target").join("readme-app");
        let copy = target.join("launch-and-config-arte");
        arte_tests::standalone_arte(&target, &copy)
            .display()
            .to_string()
    })
}

/// The package `shopfront` (a workspace of its own) with these binaries and `arte.toml`.
struct App {
    scratch: Scratch,
}

impl App {
    fn new(label: &str, arte_toml: &str, bins: &[(&str, &str)]) -> App {
        let app = App {
            scratch: Scratch::new(label),
        };
        app.manifest("");
        app.arte_toml(arte_toml);
        std::fs::create_dir_all(app.scratch.join("src/bin")).unwrap_or_else(|e| panic!("{e}"));
        for (name, main) in bins {
            std::fs::write(app.scratch.join(&format!("src/bin/{name}.rs")), main)
                .unwrap_or_else(|e| panic!("cannot write the binary {name}: {e}"));
        }
        app
    }

    /// `Cargo.toml`, with `package` added to its `[package]`.
    fn manifest(&self, package: &str) {
        let text = format!(
            "[package]\nname = \"shopfront\"\nversion = \"0.1.0\"\nedition = \"2024\"\n{package}\n[workspace]\n"
        );
        std::fs::write(self.scratch.join("Cargo.toml"), text)
            .unwrap_or_else(|e| panic!("cannot write Cargo.toml: {e}"));
    }

    fn arte_toml(&self, text: &str) {
        std::fs::write(self.scratch.join("arte.toml"), text)
            .unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
    }

    fn arte_toml_path(&self) -> String {
        self.scratch.join("arte.toml").display().to_string()
    }

    /// The stand-alone `arte` with `args`, in the application's directory.
    fn arte(&self, args: &[&str]) -> Run {
        let target = self.scratch.join("target").display().to_string();
        process::run(
            standalone(),
            self.scratch.path(),
            args,
            &[("CARGO_TARGET_DIR", &target)],
        )
    }
}

/// A binary that prints its arguments and whether arte launched it, and exits with `code`.
fn exits_with(code: i32) -> String {
    format!(
        "fn main() {{\n    let args: Vec<String> = std::env::args().skip(1).collect();\n    println!(\"{{}} launched={{}}\", args.join(\" \"), std::env::var(\"ARTE_LAUNCHED\").unwrap_or_default());\n    std::process::exit({code});\n}}\n"
    )
}

/// The one line on stderr, without `error: ` and the newline.
fn one_error_line(run: &Run) -> &str {
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    run.stderr
        .strip_prefix("error: ")
        .and_then(|line| line.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("not one error line: {run:?}"))
}

#[test]
fn a_package_that_is_not_there_is_a_configuration_error_naming_arte_toml() {
    let app = App::new(
        "launch-package",
        "[app]\npackage = \"shopfrnt\"\n",
        &[("shop", &exits_with(0))],
    );
    let run = app.arte(&["migration:status"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    let message = one_error_line(&run);
    assert!(
        message.starts_with(&format!(
            "cannot build the application that `{}` names (`[app] package = \"shopfrnt\"`): cargo says: ",
            app.arte_toml_path()
        )) && message.contains("`shopfrnt`")
            && message.ends_with("; fix `package` under `[app]` in arte.toml"),
        "{run:?}"
    );

    // With `--json`, the command's object says the same, and stdout holds nothing else.
    let json = app.arte(&["migration:status", "--json"]);
    assert_eq!(json.code, 2, "{json:?}");
    let value = json.json();
    assert_eq!(value["error"]["exit_code"], 2, "{json:?}");
    assert_eq!(value["error"]["message"], one_error_line(&json));
    assert_eq!(value["error"]["message"], message);
    assert_eq!(value["migrations"], serde_json::json!([]));
}

#[test]
fn a_binary_that_is_not_there_is_a_configuration_error_in_json_too() {
    let app = App::new(
        "launch-bin",
        "[app]\npackage = \"shopfront\"\nbin = \"nope\"\n",
        &[("shop", &exits_with(0))],
    );
    let run = app.arte(&["migration:latest", "--json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let value = run.json();
    assert_eq!(value["command"], "migration:latest", "{run:?}");
    assert_eq!(value["error"]["exit_code"], 2, "{run:?}");
    let message = value["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(message, one_error_line(&run));
    assert!(
        message.starts_with(&format!(
            "cannot build the application that `{}` names (`[app] bin = \"nope\"`): cargo says: no bin target named `nope`",
            app.arte_toml_path()
        )) && message.ends_with("; fix `bin` under `[app]` in arte.toml"),
        "{run:?}"
    );
}

#[test]
fn the_application_s_own_exit_status_passes_through_even_101() {
    // 101 is also cargo's own failure, and a panic's: the application's passes as it is.
    let app = App::new(
        "launch-status",
        "[app]\npackage = \"shopfront\"\n",
        &[("shop", &exits_with(101))],
    );
    let run = app.arte(&["migration:status", "--json"]);
    assert_eq!(run.code, 101, "{run:?}");
    assert_eq!(
        run.stdout, "migration:status --json launched=1\n",
        "{run:?}"
    );
    assert!(run.stderr.is_empty(), "{run:?}");

    // Two binaries: `[app] bin` says which, else the package's `default-run`, as for
    // `cargo run`; neither is refused before anything runs.
    std::fs::write(app.scratch.join("src/bin/other.rs"), exits_with(7))
        .unwrap_or_else(|e| panic!("{e}"));
    let which = app.arte(&["migration:status"]);
    assert_eq!(which.code, 2, "{which:?}");
    assert!(which.stdout.is_empty(), "{which:?}");
    let message = one_error_line(&which);
    assert!(
        message.starts_with(&format!(
            "the package `shopfront` that `{}` names has several binaries (",
            app.arte_toml_path()
        )) && message.contains("`other`")
            && message.contains("`shop`")
            && message.ends_with("; say which one calls `arte_cli::main()` with `bin = \"…\"` under `[app]` in arte.toml"),
        "{which:?}"
    );
    app.manifest("default-run = \"shop\"");
    let default = app.arte(&["migration:status"]);
    assert_eq!(default.code, 101, "{default:?}");
    assert_eq!(default.stdout, "migration:status launched=1\n");
    app.arte_toml("[app]\npackage = \"shopfront\"\nbin = \"other\"\n");
    let named = app.arte(&["migration:up", "--steps", "2"]);
    assert_eq!(named.code, 7, "{named:?}");
    assert_eq!(named.stdout, "migration:up --steps 2 launched=1\n");
}

#[test]
fn code_that_does_not_compile_is_refused_after_the_compiler_s_errors() {
    let app = App::new(
        "launch-compile",
        "[app]\npackage = \"shopfront\"\nbin = \"shop\"\n",
        &[("shop", "fn main() {\n    let _: u32 = \"no\";\n}\n")],
    );
    let run = app.arte(&["migration:status", "--json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let value = run.json();
    let message = value["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message,
        format!(
            "cannot build the application that `{}` names (`[app] package = \"shopfront\"`): cargo says: could not compile `shopfront` (bin \"shop\") due to 1 previous error; fix the errors the compiler shows above",
            app.arte_toml_path()
        ),
        "{run:?}"
    );
    // The compiler's own report comes first, then the one line.
    assert!(
        run.stderr.starts_with("error[E0308]: mismatched types\n"),
        "{run:?}"
    );
    assert!(
        run.stderr.ends_with(&format!("error: {message}\n")),
        "{run:?}"
    );
}

/// A scratch directory holding `arte.toml` with `text`, for the fixture to run in, and
/// the file's path.
fn configured(label: &str, text: &str) -> (Scratch, PathBuf) {
    let scratch = Scratch::new(label);
    let file = scratch.join("arte.toml");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write arte.toml: {e}"));
    (scratch, file)
}

/// The fixture application (migrations compiled in) in `dir`.
fn fixture(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    process::run(env!("CARGO_BIN_EXE_arte-fixture"), dir, args, env)
}

#[test]
fn arte_toml_refused_says_its_line_and_key_on_one_line() {
    let (scratch, file) = configured(
        "config-toml",
        "[modules]\nenabled = [\"shop\"]\n\n[migrations]\nlock_timeout = \"x\"\n",
    );
    let run = fixture(scratch.path(), &["migration:status"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        one_error_line(&run),
        format!(
            "`{}` line 5: `[migrations] lock_timeout` must be a whole number of seconds, not the string \"x\"; fix it",
            file.display()
        )
    );

    std::fs::write(&file, "[modules]\nenabled = [\"shop\"]\n[migrations\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let expected = format!(
        "`{}` line 3: `[migrations` is not valid TOML (invalid table header, expected `.`, `]`); fix it",
        file.display()
    );
    let run = fixture(scratch.path(), &["migration:status", "--json"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.json()["error"]["message"], expected.as_str());
    assert_eq!(one_error_line(&run), expected);
    // The stand-alone arte reads arte.toml before anything else, and says the same.
    let run = process::run(standalone(), scratch.path(), &["migration:status"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(one_error_line(&run), expected);
}

#[test]
fn settings_from_the_environment_refused_name_their_variable() {
    let (scratch, _) = configured("config-env", "[modules]\nenabled = [\"shop\"]\n");
    for (variable, value, expected) in [
        (
            "ARTE_OUT_OF_ORDER",
            "foo",
            "ARTE_OUT_OF_ORDER is `foo`, which is not an out-of-order policy; write `allow` or `error`",
        ),
        (
            "ARTE_LOCK_TIMEOUT",
            "soon",
            "ARTE_LOCK_TIMEOUT is `soon`, which is not a number of seconds; write for example `ARTE_LOCK_TIMEOUT=60`",
        ),
        (
            "ARTE_ATOMIC",
            "maybe",
            "ARTE_ATOMIC is `maybe`; write `true` or `false`",
        ),
    ] {
        let run = fixture(scratch.path(), &["migration:status"], &[(variable, value)]);
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(one_error_line(&run), expected);
    }
    // From a `.env` file, the file is named too.
    std::fs::write(scratch.join(".env"), "ARTE_OUT_OF_ORDER=foo\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let run = fixture(scratch.path(), &["migration:status", "--json"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.json()["error"]["message"],
        format!(
            "ARTE_OUT_OF_ORDER (set in `{}`) is `foo`, which is not an out-of-order policy; write `allow` or `error`",
            scratch.join(".env").display()
        )
    );
}

/// `message` is `before`, then the fixture's modules (`shop` among them), then `after`.
fn with_the_modules(message: &str, before: &str, after: &str) -> bool {
    message
        .strip_prefix(before)
        .and_then(|rest| rest.strip_suffix(after))
        .is_some_and(|modules| modules.split(", ").any(|module| module == "shop"))
}

#[test]
fn a_misspelt_enabled_module_is_refused_naming_where_it_was_enabled() {
    let (scratch, file) = configured(
        "config-modules",
        "# the project\n\n[modules]\nenabled = [\"shop\",\n    \"catlog\"]\n",
    );
    let before = format!(
        "module `catlog` in `[modules] enabled` (`{}` line 5) is not a module of this application; its modules are: ",
        file.display()
    );
    for command in ["migration:status", "migration:latest"] {
        let run = fixture(scratch.path(), &[command], &[]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(
            with_the_modules(one_error_line(&run), &before, "; fix the name"),
            "{run:?}"
        );
    }
    let json = fixture(scratch.path(), &["migration:latest", "--json"], &[]);
    assert_eq!(json.code, 2, "{json:?}");
    assert_eq!(json.json()["error"]["message"], one_error_line(&json));
    // Refused before anything ran: not even the database file.
    assert!(!scratch.join("database.sqlite").exists());

    // ARTE_MODULES wins over arte.toml, and is named instead; from `.env`, with the file.
    let run = fixture(
        scratch.path(),
        &["migration:latest"],
        &[("ARTE_MODULES", "shop,nope,zip")],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        with_the_modules(
            one_error_line(&run),
            "modules `nope`, `zip` in ARTE_MODULES are not modules of this application; its modules are: ",
            "; fix the names"
        ),
        "{run:?}"
    );
    std::fs::write(scratch.join(".env"), "ARTE_MODULES=nope\n").unwrap_or_else(|e| panic!("{e}"));
    let run = fixture(scratch.path(), &["migration:status"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        with_the_modules(
            one_error_line(&run),
            &format!(
                "module `nope` in ARTE_MODULES (set in `{}`) is not a module of this application; its modules are: ",
                scratch.join(".env").display()
            ),
            "; fix the name"
        ),
        "{run:?}"
    );
    assert!(!scratch.join("database.sqlite").exists());

    // Spelt right, the module runs.
    std::fs::remove_file(scratch.join(".env")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&file, "[modules]\nenabled = [\"shop\"]\n").unwrap_or_else(|e| panic!("{e}"));
    let run = fixture(scratch.path(), &["migration:latest", "-q"], &[]);
    run.success();
    assert!(
        arte_tests::sqlite::tables(&scratch.join("database.sqlite"))
            .contains(&"shop_orders".to_owned())
    );
}

#[test]
fn a_bad_migrations_table_name_says_where_it_was_set() {
    let (scratch, file) = configured(
        "config-table",
        "[modules]\nenabled = [\"shop\"]\n\n[migrations]\ntable = \"bad name\"\n",
    );
    let rule = "use letters, digits and underscores, starting with a letter or underscore, at most 63 characters";
    let run = fixture(scratch.path(), &["migration:latest"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        one_error_line(&run),
        format!(
            "`[migrations] table` (`{}` line 5) is `bad name`, which cannot name the migrations table; {rule}",
            file.display()
        )
    );
    let run = fixture(
        scratch.path(),
        &["migration:status"],
        &[("ARTE_MIGRATIONS_TABLE", "bad-name")],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        one_error_line(&run),
        format!(
            "ARTE_MIGRATIONS_TABLE is `bad-name`, which cannot name the migrations table; {rule}"
        )
    );
    assert!(!scratch.join("database.sqlite").exists());
}

#[test]
fn a_trailing_comment_in_the_urls_file_is_skipped_and_a_missing_one_says_what_to_do() {
    let (scratch, file) = configured(
        "config-urls-file",
        "[modules]\nenabled = [\"shop\"]\n\n[database]\nurls_file = \"tenants.txt\"\n",
    );
    let run = fixture(scratch.path(), &["migration:status"], &[]);
    assert_eq!(run.code, 2, "{run:?}");
    let message = one_error_line(&run);
    assert!(
        message.starts_with(&format!(
            "`{}` (the `urls_file` of `{}`) cannot be read: ",
            scratch.join("tenants.txt").display(),
            file.display()
        )) && message.ends_with(&format!(
            "; create it, or fix `urls_file` under `[database]` in `{}`",
            file.display()
        )),
        "{run:?}"
    );

    std::fs::write(
        scratch.join("tenants.txt"),
        "# the tenants\na.sqlite  # the first\n\nb.sqlite\t#the second\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = fixture(scratch.path(), &["migration:latest", "--json"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let value = run.json();
    let databases: Vec<&str> = value["databases"]
        .as_array()
        .map(|dbs| {
            dbs.iter()
                .filter_map(|db| db["database"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let expected =
        [scratch.join("a.sqlite"), scratch.join("b.sqlite")].map(|p| p.display().to_string());
    assert_eq!(databases, expected, "{run:?}");
    for name in ["a.sqlite", "b.sqlite"] {
        assert!(
            arte_tests::sqlite::tables(&scratch.join(name)).contains(&"shop_orders".to_owned()),
            "{name}"
        );
    }
}

#[test]
fn a_usage_error_s_json_names_the_database_given_after_the_mistake() {
    let (scratch, _) = configured("config-json-usage", "[modules]\nenabled = [\"shop\"]\n");
    let given = scratch.join("given.sqlite").display().to_string();
    let other = scratch.join("other.sqlite").display().to_string();
    for args in [
        vec![
            "migration:latest",
            "--bogus",
            "--json",
            "--database-url",
            &given,
        ],
        vec![
            "migration:latest",
            "--json",
            "--bogus",
            "--database-url",
            &given,
        ],
        vec![
            "migration:latest",
            "--database-url",
            &given,
            "--json",
            "--bogus",
        ],
        vec![
            "migration:latest",
            "--bogus",
            "--json",
            &format!("--database-url={given}"),
        ],
    ] {
        let run = fixture(scratch.path(), &args, &[]);
        assert_eq!(run.code, 2, "{run:?}");
        let value = run.json();
        assert_eq!(value["database"], given.as_str(), "{args:?}: {run:?}");
        assert_eq!(value["error"]["exit_code"], 2, "{run:?}");
    }
    // Several, after the mistake: a fleet's object.
    let run = fixture(
        scratch.path(),
        &[
            "migration:status",
            "--bogus",
            "--json",
            "--database-url",
            &given,
            "--database-url",
            &other,
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.json()["databases"], serde_json::json!([]), "{run:?}");
    assert!(!scratch.join("given.sqlite").exists());
}

#[test]
fn the_out_of_order_refusal_names_where_the_policy_was_set() {
    let (scratch, file) = configured("config-out-of-order", "[modules]\nenabled = [\"shop\"]\n");
    fixture(scratch.path(), &["migration:latest", "--core", "-q"], &[]).success();
    // The oldest core migration pending again, older than the newest applied.
    let database = scratch.join("database.sqlite");
    let oldest = arte_tests::sqlite::strings(
        &database,
        "SELECT name FROM migrations WHERE module = 'core' ORDER BY name LIMIT 1",
    );
    let newest = arte_tests::sqlite::strings(
        &database,
        "SELECT name FROM migrations WHERE module = 'core' ORDER BY name DESC LIMIT 1",
    );
    arte_tests::sqlite::execute(
        &database,
        &format!("DELETE FROM migrations WHERE name = '{}'", oldest[0]),
    );
    let refusal = |place: &str| {
        format!(
            "the migrations table disagrees with the code, so nothing was run: migration `{}` of core is pending but older than `{}`, the newest applied of core, and {place} sets the out-of-order policy to `error`; set it to `allow` to run it",
            oldest[0], newest[0]
        )
    };
    let run = fixture(
        scratch.path(),
        &["migration:latest", "--core"],
        &[("ARTE_OUT_OF_ORDER", "error")],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(one_error_line(&run), refusal("ARTE_OUT_OF_ORDER"));

    std::fs::write(
        &file,
        "[modules]\nenabled = [\"shop\"]\n\n[migrations]\nout_of_order = \"error\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = fixture(scratch.path(), &["migration:up", "--core", "--json"], &[]);
    assert_eq!(run.code, 1, "{run:?}");
    let expected = refusal(&format!(
        "`[migrations] out_of_order` (`{}` line 5)",
        file.display()
    ));
    assert_eq!(one_error_line(&run), expected);
    assert_eq!(run.json()["error"]["message"], expected.as_str());
}

/// `ARTE_ATOMIC` and arte.toml's `atomic` refused on MySQL/MariaDB name themselves, not
/// `--atomic`, which was not given; given, the flag is named.
#[cfg(feature = "mysql")]
#[test]
fn atomic_refused_on_mysql_names_where_it_was_set() {
    use arte_tests::backends::{Kind, TestDb};
    let db = TestDb::new(Kind::Mysql, "atomic_origin");
    let (scratch, file) = configured("config-atomic", "[modules]\nenabled = [\"shop\"]\n");
    let reason = "cannot run on MySQL/MariaDB: its schema statements commit by themselves, so a batch cannot be taken back as a whole;";
    let latest = ["migration:latest", "--database-url", db.url()];

    let run = fixture(scratch.path(), &latest, &[("ARTE_ATOMIC", "true")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        one_error_line(&run),
        format!(
            "ARTE_ATOMIC asks for each batch in one transaction, which {reason} set it to `false` (each migration is then journaled and recorded as it goes)"
        )
    );

    std::fs::write(
        &file,
        "[modules]\nenabled = [\"shop\"]\n\n[migrations]\natomic = true\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = fixture(scratch.path(), &latest, &[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        one_error_line(&run),
        format!(
            "`[migrations] atomic` (`{}` line 5) asks for each batch in one transaction, which {reason} set it to `false` (each migration is then journaled and recorded as it goes)",
            file.display()
        )
    );

    // The flag given, the flag is what is named.
    let run = fixture(
        scratch.path(),
        &["migration:latest", "--atomic", "--database-url", db.url()],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        one_error_line(&run),
        format!(
            "`--atomic` {reason} run without `--atomic` (each migration is then journaled and recorded as it goes)"
        )
    );
    assert!(db.tables().is_empty(), "{:?}", db.tables());
}
