//! The README's "Add arte to your own project", built file by file as a new application
//! and driven through the commands it shows, including `migration:make` and the `arte`
//! launcher. It builds in a target directory of its own (`target/readme-app`).

use arte_tests::{Scratch, sqlite, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

/// Both tests build into `target/readme-app`, where the README application's own binary
/// `arte` and the stand-alone `arte` land at the same path: one test at a time.
fn target_dir_lock() -> MutexGuard<'static, ()> {
    static TARGET: Mutex<()> = Mutex::new(());
    // A test that failed while holding it leaves nothing half done for the other.
    TARGET
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Every fenced block of the README whose info string says `file=PATH`.
fn readme_files() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(workspace().join("README.md"))
        .unwrap_or_else(|e| panic!("cannot read README.md: {e}"));
    let mut files = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        match current.as_mut() {
            Some(_) if line.trim_end() == "```" => files.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {
                let path = line.strip_prefix("```").and_then(|info| {
                    info.split_whitespace()
                        .find_map(|w| w.strip_prefix("file="))
                });
                if let Some(path) = path {
                    current = Some((path.to_owned(), String::new()));
                }
            }
        }
    }
    files
}

struct App {
    dir: Scratch,
    target: PathBuf,
}

impl App {
    fn cargo(&self) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .current_dir(self.dir.path())
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("DATABASE_URL")
            .env_remove("ARTE_MODULES")
            .env_remove("ARTE_MIGRATIONS_TABLE");
        command
    }

    /// `cargo run --bin arte -- ARGS` in the application's directory.
    fn arte(&self, args: &[&str]) -> String {
        let mut command = self.cargo();
        command
            .args(["run", "--offline", "--quiet", "--bin", "arte", "--"])
            .args(args);
        run(command, args)
    }

    fn db(&self) -> PathBuf {
        self.dir.join("database.sqlite")
    }
}

fn run(mut command: Command, what: &[&str]) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what:?} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

#[test]
fn the_readme_application_builds_migrates_and_makes_new_migrations() {
    let _target = target_dir_lock();
    let files = readme_files();
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "build.rs",
            "src/lib.rs",
            "src/bin/arte.rs",
            "server/migrations/2026_01_01_00_00_create_table_items.rs",
            "modules/catalog/migrations/2026_01_02_00_00_create_table_catalog_entries.rs",
            "src/contracts.rs",
        ]
    );
    let app = App {
        dir: Scratch::new("readme-app"),
        target: workspace().join("target").join("readme-app"),
    };
    let ws = workspace();
    for (path, text) in &files {
        // The published versions stand for this checkout's crates.
        let text = text
            .replace(
                "arte-core = \"0.1\"",
                &format!(
                    "arte-core = {{ path = \"{}\" }}",
                    ws.join("arte-core").display()
                ),
            )
            .replace(
                "arte-cli = \"0.1\"",
                &format!(
                    "arte-cli = {{ path = \"{}\" }}",
                    ws.join("arte-cli").display()
                ),
            );
        let file = app.dir.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
    std::fs::copy(ws.join("Cargo.lock"), app.dir.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("{e}"));

    let status = app.arte(&["migration:status"]);
    assert!(
        status.starts_with(&format!("Database: {}\n", app.db().display())),
        "{status}"
    );
    let rows: Vec<Vec<&str>> = status
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[1],
        ["core", "2026_01_01_00_00_create_table_items", "Pending"],
        "{status}"
    );
    assert_eq!(
        rows[2],
        [
            "catalog",
            "2026_01_02_00_00_create_table_catalog_entries",
            "Pending"
        ],
        "{status}"
    );
    assert!(status.ends_with("0 applied, 2 pending.\n"), "{status}");

    let latest = app.arte(&["migration:latest"]);
    assert!(
        latest.ends_with(" ms).\n") && latest.contains("Applied 2 migrations in batch 1"),
        "{latest}"
    );
    assert_eq!(
        sqlite::tables(&app.db()),
        ["catalog_entries", "items", "migrations"]
    );

    // A new file is compiled in by the next run, with no edit anywhere.
    let made = app.arte(&["migration:make", "create_table_orders"]);
    assert!(
        made.starts_with(&format!(
            "Created {}",
            app.dir.join("server/migrations").display()
        )),
        "{made}"
    );
    let made = app.arte(&["migration:make", "-m", "catalog", "create_table_tags"]);
    assert!(made.contains("modules/catalog/migrations/"), "{made}");
    let latest = app.arte(&["migration:latest"]);
    assert!(
        latest.contains("_create_table_orders ") && latest.contains("_create_table_tags "),
        "{latest}"
    );
    assert!(
        latest.contains("Applied 2 migrations in batch 2"),
        "{latest}"
    );
    assert_eq!(
        sqlite::tables(&app.db()),
        [
            "catalog_entries",
            "catalog_tags",
            "items",
            "migrations",
            "orders"
        ]
    );

    // The stand-alone `arte` runs the application named in arte.toml.
    std::fs::write(
        app.dir.join("arte.toml"),
        "[app]\npackage = \"shopfront\"\nbin = \"arte\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let arte = arte_tests::standalone_arte(&app.target, &app.target.join("standalone-arte"));
    let mut launcher = Command::new(arte);
    launcher
        .arg("migration:down")
        .arg("--root")
        .current_dir(app.dir.path())
        .env("CARGO_TARGET_DIR", &app.target)
        .env_remove("DATABASE_URL");
    let down = run(launcher, &["arte migration:down --root"]);
    assert!(
        down.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("Rolled back  core     "))
            && down.contains("_create_table_orders "),
        "{down}"
    );
    assert!(!sqlite::tables(&app.db()).contains(&"orders".to_owned()));
}

fn launch(arte: &Path, dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    Command::new(arte)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("DATABASE_URL")
        .env_remove("ARTE_MODULES")
        .env_remove("ARTE_MIGRATIONS_TABLE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run arte {args:?}: {e}"))
}

#[test]
fn arte_init_sets_up_a_fresh_crate_that_then_migrates_and_checks_its_contracts() {
    let _target = target_dir_lock();
    let target = workspace().join("target").join("readme-app");
    let scratch = Scratch::new("init");
    let tools = Scratch::new("init-tools");
    let arte = arte_tests::standalone_arte(&target, &tools.path().join("arte"));

    // Without an application, the stand-alone arte says how to point it at one.
    let lost = launch(&arte, scratch.path(), &target, &["migration:status"]);
    assert_eq!(lost.status.code(), Some(2), "{lost:?}");
    let stderr = String::from_utf8_lossy(&lost.stderr);
    assert!(
        stderr.starts_with("error: this `arte` has no migrations compiled in, and no arte.toml here names an application that has; run `arte init`"),
        "{stderr}"
    );
    let no_crate = launch(&arte, scratch.path(), &target, &["init"]);
    assert_eq!(no_crate.status.code(), Some(2), "{no_crate:?}");
    assert!(!scratch.join("arte.toml").exists());

    let mut new = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    new.args(["new", "--lib", "--vcs", "none", "--offline", "initshop"])
        .current_dir(scratch.path());
    run(new, &["cargo new shop"]);
    let shop = scratch.join("initshop");
    let init = launch(&arte, &shop, &target, &["init"]);
    assert!(init.status.success(), "{init:?}");
    for file in [
        "arte.toml",
        "build.rs",
        "src/bin/arte.rs",
        "server/migrations/.gitkeep",
    ] {
        assert!(shop.join(file).exists(), "{file} is written");
    }
    let ignored = std::fs::read_to_string(shop.join(".gitignore")).unwrap_or_default();
    assert!(ignored.lines().any(|l| l == "database.sqlite"), "{ignored}");
    let again = launch(&arte, &shop, &target, &["init"]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "init twice is refused: {again:?}"
    );

    // The published versions stand for this checkout's crates.
    let use_this_checkout = |crate_dir: &Path| {
        let manifest = crate_dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap_or_default();
        let version = env!("CARGO_PKG_VERSION");
        let ws = workspace();
        let text = text
            .replace(
                &format!("arte-core = \"{version}\""),
                &format!(
                    "arte-core = {{ path = \"{}\" }}",
                    ws.join("arte-core").display()
                ),
            )
            .replace(
                &format!("arte-cli = \"{version}\""),
                &format!(
                    "arte-cli = {{ path = \"{}\" }}",
                    ws.join("arte-cli").display()
                ),
            );
        std::fs::write(&manifest, text).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(ws.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    use_this_checkout(&shop);

    let made = launch(
        &arte,
        &shop,
        &target,
        &["migration:make", "create_table_items"],
    );
    assert!(made.status.success(), "{made:?}");
    let latest = launch(&arte, &shop, &target, &["migration:latest"]);
    assert!(latest.status.success(), "{latest:?}");
    let stdout = String::from_utf8_lossy(&latest.stdout);
    assert!(
        stdout.contains("_create_table_items ")
            && stdout.contains("Applied 1 migration in batch 1"),
        "{stdout}"
    );
    assert_eq!(
        sqlite::tables(&shop.join("database.sqlite")),
        ["items", "migrations"]
    );
    let check = launch(&arte, &shop, &target, &["contract:check"]);
    assert!(check.status.success(), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).contains("No contracts to check."));

    // A crate laid out as the README's, its library calling `migrations!()`: the binary
    // `init` writes links the library instead of calling it a second time.
    let mut new = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    new.args(["new", "--lib", "--vcs", "none", "--offline", "initlib"])
        .current_dir(scratch.path());
    run(new, &["cargo new initlib"]);
    let lib = scratch.join("initlib");
    std::fs::write(lib.join("src/lib.rs"), "arte_core::migrations!();\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let init = launch(&arte, &lib, &target, &["init"]);
    assert!(init.status.success(), "{init:?}");
    let bin = std::fs::read_to_string(lib.join("src/bin/arte.rs")).unwrap_or_default();
    assert!(
        bin.contains("use initlib as _;") && !bin.contains("arte_core::migrations!"),
        "{bin}"
    );
    use_this_checkout(&lib);
    let made = launch(
        &arte,
        &lib,
        &target,
        &["migration:make", "create_table_items"],
    );
    assert!(made.status.success(), "{made:?}");
    let latest = launch(&arte, &lib, &target, &["migration:latest"]);
    assert!(latest.status.success(), "{latest:?}");
    assert_eq!(
        sqlite::tables(&lib.join("database.sqlite")),
        ["items", "migrations"]
    );
}
