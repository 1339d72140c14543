//! `migration:status` as a whole process: the example application's CLI binary
//! (`arte-example`, 5 migrations, every backend compiled in) against a raw program (this
//! binary's `raw-status`) that opens the same database, reads the migrations table with
//! plain diesel and prints the same table. Both are spawned alternately; the ratio is of
//! the medians.

use crate::floor::LedgerRow;
use crate::measure::{human, median, ratio, time};
use crate::target::{Fresh, ScratchDir, Servers, Target, open_plain};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// `raw-status --database-url URL`: the raw program. Prints what `migration:status` prints
/// when every migration is applied.
pub fn raw_status(url: &str) {
    let target = if url.starts_with("postgres") {
        Target::Postgres
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        Target::Mysql
    } else {
        Target::Sqlite
    };
    let mut rows = open_plain(target, url).ledger();
    // migration:status's order: by name, core before modules, modules by name.
    rows.sort_by(|a, b| {
        (&a.name, a.module != "core", &a.module).cmp(&(&b.name, b.module != "core", &b.module))
    });
    // migration:status's first line names the database (these URLs hold no password).
    print!("Database: {url}\n{}", status_table(&rows));
}

/// The `migration:status` table of applied rows, in the CLI's layout.
fn status_table(rows: &[LedgerRow]) -> String {
    if rows.is_empty() {
        return "No migrations found.\n".into();
    }
    let header = ["Module", "Migration", "Status", "Batch", "Applied at (UTC)"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.module.clone(),
                r.name.clone(),
                "Applied".into(),
                r.batch.to_string(),
                r.executed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let line = |row: [&str; 5]| {
        let padded: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_owned() + "\n"
    };
    let mut out = line(header);
    for row in &cells {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    out.push_str(&format!("\n{} applied, 0 pending.\n", rows.len()));
    out
}

fn spawn(program: &Path, args: &[&str], dir: &Path) -> Output {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("ARTE_MODULES")
        .env_remove("ARTE_MIGRATIONS_TABLE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} {} failed: {}\n{}",
        program.display(),
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// One backend's medians: the CLI process and the raw one.
pub struct ProcessResult {
    pub target: Target,
    pub arte: Duration,
    pub raw: Duration,
    pub same_output: bool,
}

/// Spawns `example_bin migration:status` and `raw-status` `spawns` times each, alternately,
/// on a fresh database of `target` where the example's 5 migrations have run.
pub fn measure(
    target: Target,
    example_bin: &Path,
    spawns: usize,
    servers: &Servers,
) -> ProcessResult {
    let db = Fresh::new(target, servers);
    let dir = ScratchDir::new("status");
    let url = db.url();
    let this = std::env::current_exe().expect("the benchmark knows its own path");
    spawn(
        example_bin,
        &["migration:latest", "--database-url", url],
        dir.path(),
    );
    let arte_args = ["migration:status", "--database-url", url];
    let raw_args = ["raw-status", "--database-url", url];
    let arte_out = spawn(example_bin, &arte_args, dir.path()).stdout;
    let raw_out = spawn(&this, &raw_args, dir.path()).stdout;
    let same_output = arte_out == raw_out;
    if !same_output {
        eprintln!(
            "warning: the raw program's table differs from migration:status's on {}:\n--- migration:status\n{}--- raw-status\n{}",
            target.key(),
            String::from_utf8_lossy(&arte_out),
            String::from_utf8_lossy(&raw_out)
        );
    }
    let mut arte = Vec::with_capacity(spawns);
    let mut raw = Vec::with_capacity(spawns);
    for _ in 0..spawns {
        arte.push(time(|| spawn(example_bin, &arte_args, dir.path())).0);
        raw.push(time(|| spawn(&this, &raw_args, dir.path())).0);
    }
    ProcessResult {
        target,
        arte: median(&arte).unwrap_or_default(),
        raw: median(&raw).unwrap_or_default(),
        same_output,
    }
}

/// The table of every backend's result.
pub fn table(results: &[ProcessResult], spawns: usize) -> String {
    let mut out = format!(
        "#### `migration:status` as a process (5 migrations applied), median of {spawns} spawns each\n\n\
         | backend | raw program (`arte-bench raw-status`) | `arte-example migration:status` | × | same output |\n\
         |---|--:|--:|--:|---|\n"
    );
    for r in results {
        out.push_str(&format!(
            "| {} | {} | {} | **{}** | {} |\n",
            r.target.key(),
            human(r.raw),
            human(r.arte),
            ratio(r.arte, r.raw),
            if r.same_output { "yes" } else { "no" }
        ));
    }
    out
}
