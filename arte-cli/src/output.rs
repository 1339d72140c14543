//! The only module that prints: tables, progress lines, summaries and errors.

use arte_core::contract::check::Difference;
use arte_core::{Direction, MigrationStatus, Planned, RepairReport, Report, State, Step};
use std::io::Write;
use std::time::Duration;

/// `1.23 ms`, `0.04 ms`, `2.10 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn state_word(state: State) -> &'static str {
    match state {
        State::Pending => "Pending",
        State::Applied => "Applied",
        State::Changed => "Changed",
        State::Missing => "Missing",
        State::Failed => "Failed",
        State::Interrupted => "Interrupted",
        State::Running => "Running",
        _ => "Unknown",
    }
}

/// The `migration:status` table.
pub fn status(statuses: &[MigrationStatus]) {
    if statuses.is_empty() {
        println!("No migrations found.");
        return;
    }
    let header = ["Module", "Migration", "Status", "Batch", "Applied at (UTC)"];
    let rows: Vec<[String; 5]> = statuses
        .iter()
        .map(|s| {
            [
                s.module.clone(),
                s.name.clone(),
                state_word(s.state).to_owned(),
                s.applied.map(|a| a.batch.to_string()).unwrap_or_default(),
                s.applied
                    .map(|a| a.executed_at.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut out = std::io::stdout().lock();
    let line = |cells: [&str; 5]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(header));
    for row in &rows {
        let _ = writeln!(
            out,
            "{}",
            line([&row[0], &row[1], &row[2], &row[3], &row[4]])
        );
    }
    let count = |state: State| statuses.iter().filter(|s| s.state == state).count();
    let mut summary = format!(
        "{} applied, {} pending",
        count(State::Applied) + count(State::Changed),
        count(State::Pending)
    );
    if count(State::Changed) > 0 {
        summary.push_str(&format!(
            "; {} changed since it was applied (its file was edited afterwards)",
            count(State::Changed)
        ));
    }
    if count(State::Missing) > 0 {
        summary.push_str(&format!(
            "; {} missing (applied, but no longer in this program)",
            count(State::Missing)
        ));
    }
    let incomplete = count(State::Failed) + count(State::Interrupted);
    if incomplete > 0 {
        summary.push_str(&format!(
            "; {incomplete} failed or interrupted (fix the database, then run `migration:repair`)"
        ));
    }
    if count(State::Running) > 0 {
        summary.push_str(&format!(
            "; {} running in another process",
            count(State::Running)
        ));
    }
    let _ = writeln!(out, "\n{summary}.");
    for status in statuses {
        let Some(incomplete) = &status.incomplete else {
            continue;
        };
        let _ = writeln!(
            out,
            "\n{} {} ({}, while {}):",
            status.module,
            status.name,
            state_word(status.state).to_lowercase(),
            match incomplete.direction {
                Direction::Up => "migrating",
                Direction::Down => "rolling back",
            }
        );
        if incomplete.statements.is_empty() {
            let _ = writeln!(out, "  no statement took effect");
        }
        for statement in &incomplete.statements {
            let _ = writeln!(out, "  took effect:  {statement}");
        }
        if let Some(pending) = &incomplete.pending {
            let _ = writeln!(out, "  may have:     {pending}");
        }
        if let Some(error) = &incomplete.error {
            let _ = writeln!(out, "  error:        {error}");
        }
    }
}

/// Another migrator holds the lock: one line on stderr, about a second into the wait.
pub fn lock_wait(table: &str, holder: Option<&str>, timeout: Duration) {
    let holder = holder.map(|h| format!(", held by {h}")).unwrap_or_default();
    eprintln!(
        "waiting for the lock on the `{table}` migrations table{holder}; giving up after {} s",
        timeout.as_secs()
    );
}

/// Pending migrations older than the newest applied, which the `allow` policy runs.
pub fn out_of_order(migrations: &[Planned]) {
    let names: Vec<String> = migrations
        .iter()
        .map(|m| format!("`{}` of {}", m.name, m.module))
        .collect();
    eprintln!(
        "note: running {} older than the newest applied migration (out-of-order policy `allow`): {}",
        if names.len() == 1 {
            "a migration"
        } else {
            "migrations"
        },
        names.join(", ")
    );
}

/// `migration:repair`'s result.
pub fn repair(report: &RepairReport) {
    if report.actions.is_empty() {
        println!("Nothing to repair: the migrations table matches the code.");
        return;
    }
    let verb = if report.pretended {
        "Would repair"
    } else {
        "Repair"
    };
    for action in &report.actions {
        println!("{verb}: {action}");
    }
    if report.pretended {
        println!("Nothing was changed (--pretend).");
    } else {
        let n = report.actions.len();
        println!("Repaired {n} row{}.", if n == 1 { "" } else { "s" });
    }
}

/// One line per migration as it completes.
pub fn step(step: &Step) {
    let verb = match step.direction {
        Direction::Up => "Migrated",
        Direction::Down => "Rolled back",
    };
    println!(
        "{verb:<11}  {:<8} {:<48} {}",
        step.module,
        step.name,
        duration(step.duration)
    );
}

/// The line for an operation that found nothing to do (others end with [`summary`]).
pub fn nothing_done(report: &Report) {
    if report.steps.is_empty() {
        nothing(report.direction);
    }
}

/// `Nothing to migrate.` or `Nothing to roll back.`
pub fn nothing(direction: Direction) {
    match direction {
        Direction::Up => println!("Nothing to migrate."),
        Direction::Down => println!("Nothing to roll back."),
    }
}

/// The line after an operation that ran migrations.
pub fn summary(report: &Report) {
    let count = report.steps.len();
    let noun = if count == 1 {
        "migration"
    } else {
        "migrations"
    };
    match (report.direction, count) {
        (_, 0) => {}
        (Direction::Up, _) => {
            let batch = report.steps.first().map(|s| s.batch).unwrap_or_default();
            println!(
                "Applied {count} {noun} in batch {batch} ({}).",
                duration(report.elapsed)
            );
        }
        (Direction::Down, _) => {
            println!("Rolled back {count} {noun} ({}).", duration(report.elapsed))
        }
    }
}

/// `migration:make`'s result.
pub fn created(path: &std::path::Path, note: Option<&str>) {
    println!("Created {}", path.display());
    if let Some(note) = note {
        println!("{note}");
    }
}

/// `contract:check` when this program registers no contract.
pub fn no_contracts() {
    println!("No contracts to check.");
}

/// `contract:check`'s result: one line per difference, then a summary over the `checked`
/// contracts.
pub fn contract_check(checked: usize, differences: &[Difference]) {
    let contracts = |n: usize| if n == 1 { "contract" } else { "contracts" };
    if differences.is_empty() {
        match checked {
            1 => println!("The 1 contract matches the database."),
            n => println!("All {n} contracts match the database."),
        }
        return;
    }
    let mut out = std::io::stdout().lock();
    for difference in differences {
        let _ = writeln!(out, "{difference}");
    }
    let mut tables: Vec<&str> = differences.iter().map(Difference::table).collect();
    tables.sort_unstable();
    tables.dedup();
    let differ = if tables.len() == 1 {
        "differs"
    } else {
        "differ"
    };
    let _ = writeln!(
        out,
        "\n{} of {checked} {} {differ} from the database.",
        tables.len(),
        contracts(checked)
    );
}

/// The one line a failure prints.
pub fn error(message: &str) {
    eprintln!("error: {message}");
}
