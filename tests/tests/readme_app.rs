//! The README's "Add arte to your own project", built file by file as a new application
//! and driven through the commands it shows, including `migration:make` and the `arte`
//! launcher. It builds in a target directory of its own (`target/readme-app`).

use arte_tests::{Scratch, sqlite};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| panic!("the tests crate has no parent directory"))
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
    let rows: Vec<Vec<&str>> = status
        .lines()
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
    let mut build = app.cargo();
    build
        .args([
            "build",
            "--offline",
            "--quiet",
            "-p",
            "arte-cli",
            "--bin",
            "arte",
            "--manifest-path",
        ])
        .arg(ws.join("Cargo.toml"));
    run(build, &["build arte"]);
    let mut launcher = Command::new(app.target.join("debug").join("arte"));
    launcher
        .arg("migration:down")
        .arg("--root")
        .current_dir(app.dir.path())
        .env("CARGO_TARGET_DIR", &app.target)
        .env_remove("DATABASE_URL");
    let down = run(launcher, &["arte migration:down --root"]);
    assert!(
        down.starts_with("Rolled back  core     ") && down.contains("_create_table_orders "),
        "{down}"
    );
    assert!(!sqlite::tables(&app.db()).contains(&"orders".to_owned()));
}
