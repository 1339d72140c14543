//! `migration:make --from-contracts` round trips, per backend: for each edit of the
//! contracts (`fixture/from_contracts/src/edits/`), the migration is written
//! (`plan_migration`), pinned as a golden file (`golden/from_contracts/<backend>/`),
//! compiled into the application with no edit, run (`latest`), checked against the edit's
//! contracts, rolled back (`down`), and the catalog read back is what it was before.
//! The squash of the base migrations is written, pinned and compiled the same way: a
//! database that ran the old history counts it as applied, a new one runs it alone, and
//! both end with the same catalog.
//!
//! One application per backend is built once, with every edit's migration in it, in a
//! target directory the suites share (`target/from-contracts`). `ARTE_UPDATE_GOLDEN=1`
//! rewrites the golden files.

use arte_core::contract::{Generate, Renames, plan_migration, plan_squash};
use arte_core::{DatabaseUrl, Registry};
use arte_tests::{
    ColumnInfo, ForeignKeyInfo, IndexInfo, Kind, Scratch, TestDb, per_backend, workspace,
};
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../fixture/from_contracts/src/edits/mod.rs"]
#[allow(dead_code)]
mod edits;

// The base migrations, each where it stands (the application compiles them with
// `migrations!()`).
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_01_create_table_items.rs"]
mod create_table_items;
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_02_create_table_tags.rs"]
mod create_table_tags;
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_00_create_table_users.rs"]
mod create_table_users;
#[path = "../fixture/from_contracts/server/migrations/2026_01_01_00_03_seed_catalog.rs"]
mod seed_catalog;

per_backend!(every_edit_round_trips_and_the_squash_replaces_the_history);

/// The last base migration, up to which the squash goes.
const BASE_LAST: &str = "2026_01_01_00_03_seed_catalog";

fn backend_dir(kind: Kind) -> &'static str {
    match kind {
        Kind::Sqlite => "sqlite",
        Kind::Postgres => "postgres",
        Kind::Mysql => "mysql",
    }
}

/// Compares `text` with the golden file `name` of `kind`, or writes it there with
/// `ARTE_UPDATE_GOLDEN=1`.
fn golden(kind: Kind, name: &str, text: &str) {
    let path = workspace()
        .join("tests/golden/from_contracts")
        .join(backend_dir(kind))
        .join(format!("{name}.rs"));
    if std::env::var_os("ARTE_UPDATE_GOLDEN").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the golden file {}: {e}; write it with ARTE_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    assert!(
        pinned == text,
        "the migration differs from its golden file {} (ARTE_UPDATE_GOLDEN=1 rewrites it):\n{text}",
        path.display()
    );
}

/// A copy of the round-trip application, built in the shared target directory.
struct App {
    dir: Scratch,
    /// The driver's binary: one per backend, since the three tests build their crates
    /// into one target directory at once (a shared name let one test run, or miss,
    /// another's binary).
    bin: String,
}

impl App {
    fn new(kind: Kind) -> App {
        let dir = Scratch::new(&format!("from-contracts-{}", backend_dir(kind)));
        let fixture = workspace().join("tests/fixture/from_contracts");
        copy_dir(&fixture, dir.path());
        let ws = workspace();
        let mut features = vec!["sqlite", "decimal"];
        if cfg!(feature = "postgres") {
            features.push("postgres");
        }
        if cfg!(feature = "mysql") {
            features.push("mysql");
        }
        let features: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        let bin = format!("arte-from-contracts-app-{}", backend_dir(kind));
        let manifest = format!(
            "[package]\nname = \"arte-from-contracts-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [[bin]]\nname = \"{bin}\"\npath = \"src/main.rs\"\n\n\
             [dependencies]\narte-core = {{ path = \"{}\", features = [{}] }}\n\
             diesel = {{ version = \"2.3\", default-features = false }}\n\n[workspace]\n",
            ws.join("arte-core").display(),
            features.join(", ")
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock"))
            .unwrap_or_else(|e| panic!("{e}"));
        App { dir, bin }
    }

    fn write_migration(&self, name: &str, source: &str) {
        let path = self.dir.join(&format!("server/migrations/{name}.rs"));
        std::fs::write(&path, source)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    fn target() -> PathBuf {
        workspace().join("target").join("from-contracts")
    }

    fn build(&self) {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(["build", "--offline", "--quiet"])
            .current_dir(self.dir.path())
            .env("CARGO_TARGET_DIR", App::target())
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo: {e}"));
        assert!(
            output.status.success(),
            "the application with the generated migrations does not compile:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Runs the driver; returns its exit code and stdout.
    fn run(&self, url: &str, scope: &str, action: &str) -> (i32, String) {
        let output = Command::new(App::target().join("debug").join(&self.bin))
            .args([url, scope, action])
            .output()
            .unwrap_or_else(|e| panic!("cannot run the application: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let code = output.status.code().unwrap_or(-1);
        assert!(stderr.is_empty() || code != 0, "{scope} {action}: {stderr}");
        (code, format!("{stdout}{stderr}"))
    }

    fn ok(&self, url: &str, scope: &str, action: &str) -> String {
        let (code, out) = self.run(url, scope, action);
        assert_eq!(code, 0, "`{scope} {action}` failed:\n{out}");
        out
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap_or_else(|e| panic!("{e}"));
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// One table as the catalog reports it; columns by name, since a column a `down` adds
/// back comes last (PostgreSQL cannot put it back in its place).
#[derive(Debug, PartialEq)]
struct TableShape {
    name: String,
    columns: Vec<ColumnInfo>,
    key: Vec<String>,
    indexes: Vec<IndexInfo>,
    foreign_keys: Vec<ForeignKeyInfo>,
}

fn catalog(db: &TestDb) -> Vec<TableShape> {
    db.tables()
        .into_iter()
        .filter(|t| t != "migrations")
        .map(|name| {
            let mut columns = db.columns(&name);
            columns.sort_by(|a, b| a.name.cmp(&b.name));
            TableShape {
                key: db.primary_key(&name),
                indexes: db.indexes(&name),
                foreign_keys: db.foreign_keys(&name),
                columns,
                name,
            }
        })
        .collect()
}

fn every_edit_round_trips_and_the_squash_replaces_the_history(db: &TestDb) {
    let kind = db.kind();
    let url = DatabaseUrl::parse(db.url()).unwrap_or_else(|e| panic!("{e}"));
    let registry = Registry::collect().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(registry.migrations().len(), 4, "the base migrations");
    let app = App::new(kind);

    for (at, edit) in edits::EDITS.iter().enumerate() {
        let name = edit.migration(at + 1);
        let renames = Renames::parse(edit.renames).unwrap_or_else(|e| panic!("{e}"));
        let plan = plan_migration(
            &url,
            &registry,
            &(edit.contracts)(),
            &Generate::new(name.clone()).renames(renames),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", edit.name));
        assert!(!plan.is_empty(), "{}: nothing to write", edit.name);
        let drops = matches!(edit.name, "e07_drop_field" | "e17_drop_table");
        assert_eq!(
            !plan.destructive.is_empty(),
            drops,
            "{}: {:?}",
            edit.name,
            plan.destructive
        );
        if drops {
            assert!(plan.source.contains("// Drops `"), "{}", plan.source);
        }
        golden(kind, edit.name, &plan.source);
        app.write_migration(&name, &plan.source);
    }
    let squash = plan_squash(&url, &registry, BASE_LAST, None, "migrations")
        .unwrap_or_else(|e| panic!("squash: {e}"));
    assert_eq!(squash.replaced.len(), 4);
    assert_eq!(squash.data_migrations, [BASE_LAST]);
    golden(kind, "squash", &squash.source);
    app.write_migration(&squash.file_name, &squash.source);

    app.build();

    let url = db.url();
    assert_eq!(app.ok(url, "base", "latest"), "4 ran\n");
    app.ok(url, "base", "check");
    for edit in edits::EDITS {
        let before = catalog(db);
        assert_eq!(app.ok(url, edit.name, "latest"), "1 ran\n", "{}", edit.name);
        let (code, differences) = app.run(url, edit.name, "check");
        assert_eq!(
            code, 0,
            "{}: the database differs from the contracts:\n{differences}",
            edit.name
        );
        assert_ne!(
            catalog(db),
            before,
            "{}: the migration changed nothing",
            edit.name
        );
        assert_eq!(
            app.ok(url, edit.name, "down"),
            "1 rolled back\n",
            "{}",
            edit.name
        );
        assert_eq!(
            catalog(db),
            before,
            "{}: down did not restore the schema",
            edit.name
        );
    }

    // The database that ran the old history counts the squash as applied.
    assert_eq!(app.ok(url, "squashed", "latest"), "0 ran\n");
    assert_eq!(
        app.ok(url, "squashed", "status"),
        format!("{BASE_LAST} Applied\n")
    );
    app.ok(url, "squashed", "check");
    // A new one runs it alone, and ends with the same catalog.
    let fresh = TestDb::new(kind, "squash_fresh");
    assert_eq!(app.ok(fresh.url(), "squashed", "latest"), "1 ran\n");
    assert_eq!(catalog(&fresh), catalog(db));
    app.ok(fresh.url(), "squashed", "check");
    assert_eq!(app.ok(fresh.url(), "squashed", "down"), "1 rolled back\n");
    assert_eq!(fresh.tables(), ["migrations"]);
}

#[test]
fn the_golden_migrations_are_rustfmt_clean() {
    let dir = workspace().join("tests/golden/from_contracts");
    let mut files = Vec::new();
    for backend in ["sqlite", "postgres", "mysql"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(backend)) {
            files.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
        }
    }
    assert!(
        files.len() >= 20,
        "the golden files are missing: {}",
        dir.display()
    );
    let output = Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run rustfmt (`rustup component add rustfmt`): {e}"));
    assert!(
        output.status.success(),
        "rustfmt would change the generated migrations:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
