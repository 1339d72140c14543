//! The only module that prints: tables, progress lines, summaries, JSON and errors.
//!
//! On a terminal a migration's line appears when it starts and is completed with its time
//! when it ends, with colours unless `NO_COLOR` is set; piped, each line appears whole
//! when its migration ends, without colours. `-q` prints nothing but errors (and the
//! warnings of data a written migration would lose); `--json` prints one JSON object on
//! stdout instead of the lines, whatever the outcome: the command's own, kept until it
//! ends ([`json_result`]), with its `error`.

use arte_core::contract::check::Difference;
use arte_core::{
    DatabaseUrl, Direction, MigrationStatus, Planned, RepairReport, Report, State, Step,
};
use serde_json::{Value, json};
use std::io::{IsTerminal, Write};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

/// How this run prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// One JSON object on stdout, and nothing else there.
    pub json: bool,
    /// Nothing but errors.
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy)]
struct Printer {
    mode: Mode,
    terminal: bool,
    color: bool,
}

static PRINTER: OnceLock<Printer> = OnceLock::new();

/// Sets how this run prints; the first call wins.
pub fn init(mode: Mode) {
    let terminal = std::io::stdout().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = PRINTER.set(Printer {
        mode,
        terminal,
        color,
    });
}

fn printer() -> Printer {
    *PRINTER.get_or_init(|| Printer {
        mode: Mode::default(),
        terminal: false,
        color: false,
    })
}

/// Whether lines for people are printed (not `--json`, not `-q`).
fn lines() -> bool {
    let p = printer();
    !p.mode.json && !p.mode.quiet
}

const GREEN: &str = "32";
const YELLOW: &str = "33";
const RED: &str = "31";
const DIM: &str = "2";
const BOLD: &str = "1";

fn paint(text: &str, code: &str) -> String {
    if printer().color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// `1.23 ms`, `0.04 ms`, `2.10 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// A duration in `--json`: milliseconds, to three decimals.
pub fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The first line of every command that works on a database.
pub fn database(url: &DatabaseUrl) {
    if lines() {
        println!("{} {url}", paint("Database:", DIM));
    }
}

/// The JSON word of a state: `applied`, `pending`, …
fn state_key(state: State) -> &'static str {
    match state {
        State::Pending => "pending",
        State::Applied => "applied",
        State::Changed => "changed",
        State::Missing => "missing",
        State::Failed => "failed",
        State::Interrupted => "interrupted",
        State::Running => "running",
        State::Blocked => "blocked",
        _ => "unknown",
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
        State::Blocked => "Blocked",
        _ => "Unknown",
    }
}

fn state_color(state: State) -> &'static str {
    match state {
        State::Applied => GREEN,
        State::Pending | State::Running => YELLOW,
        _ => RED,
    }
}

/// The counts of a status: `(applied, pending, changed, missing, failed, interrupted,
/// running)`.
fn count(statuses: &[MigrationStatus], state: State) -> usize {
    statuses.iter().filter(|s| s.state == state).count()
}

/// The `migration:status` table, or its JSON.
pub fn status(url: &DatabaseUrl, statuses: &[MigrationStatus]) {
    if printer().mode.json {
        return keep_json(status_json(url, statuses));
    }
    if printer().mode.quiet {
        return;
    }
    database(url);
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
    let line = |cells: [&str; 5], state: Option<State>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, width))| {
                let text = format!("{cell:<width$}");
                match (i, state) {
                    (2, Some(state)) => paint(&text, state_color(state)),
                    _ => text,
                }
            })
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", paint(&line(header, None), BOLD));
    for (row, status) in rows.iter().zip(statuses) {
        let _ = writeln!(
            out,
            "{}",
            line(
                [&row[0], &row[1], &row[2], &row[3], &row[4]],
                Some(status.state)
            )
        );
    }
    let mut summary = format!(
        "{} applied, {} pending",
        count(statuses, State::Applied) + count(statuses, State::Changed),
        count(statuses, State::Pending)
    );
    if count(statuses, State::Changed) > 0 {
        summary.push_str(&format!(
            "; {} changed since it was applied (its file was edited afterwards)",
            count(statuses, State::Changed)
        ));
    }
    if count(statuses, State::Missing) > 0 {
        summary.push_str(&format!(
            "; {} missing (applied, but no longer in this program)",
            count(statuses, State::Missing)
        ));
    }
    let incomplete = count(statuses, State::Failed) + count(statuses, State::Interrupted);
    if incomplete > 0 {
        summary.push_str(&format!(
            "; {incomplete} failed or interrupted (fix the database, then run `migration:repair`)"
        ));
    }
    if count(statuses, State::Running) > 0 {
        summary.push_str(&format!(
            "; {} running in another process",
            count(statuses, State::Running)
        ));
    }
    if count(statuses, State::Blocked) > 0 {
        summary.push_str(&format!(
            "; {} blocked (a squash this database cannot run, having run only some of the migrations it replaces: run the rest with a release from before the squash)",
            count(statuses, State::Blocked)
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
            gerund(incomplete.direction)
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

fn gerund(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "migrating",
        Direction::Down => "rolling back",
    }
}

/// `migration:status --json`.
pub fn status_json(url: &DatabaseUrl, statuses: &[MigrationStatus]) -> Value {
    let migrations: Vec<Value> = statuses
        .iter()
        .map(|s| {
            json!({
                "module": s.module,
                "name": s.name,
                "state": state_key(s.state),
                "batch": s.applied.map(|a| a.batch),
                "applied_at": s.applied.map(|a| a.executed_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
                "duration_ms": s.applied.map(|a| millis(a.duration)),
                "file": s.location.map(|l| l.file),
                "took_effect": s.incomplete.as_ref().map(|i| i.statements.clone()).unwrap_or_default(),
                "may_have_taken_effect": s.incomplete.as_ref().and_then(|i| i.pending.clone()),
                "error": s.incomplete.as_ref().and_then(|i| i.error.clone()),
            })
        })
        .collect();
    json!({
        "database": url.to_string(),
        "migrations": migrations,
        "summary": {
            "applied": count(statuses, State::Applied),
            "pending": count(statuses, State::Pending),
            "changed": count(statuses, State::Changed),
            "missing": count(statuses, State::Missing),
            "failed": count(statuses, State::Failed),
            "interrupted": count(statuses, State::Interrupted),
            "running": count(statuses, State::Running),
            "blocked": count(statuses, State::Blocked),
        },
        "error": null,
    })
}

fn verb(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "Migrated",
        Direction::Down => "Rolled back",
    }
}

fn line(verb: &str, module: &str, name: &str) -> String {
    format!("{verb:<11}  {module:<8} {name:<48}")
}

/// A migration starts: on a terminal, its line appears now, and [`step`] completes it.
pub fn starting(migration: &Planned, direction: Direction) {
    let p = printer();
    if lines() && p.terminal {
        let verb = match direction {
            Direction::Up => "Migrating",
            Direction::Down => "Rolling back",
        };
        print!(
            "{}",
            paint(&line(verb, &migration.module, &migration.name), DIM)
        );
        let _ = std::io::stdout().flush();
    }
}

/// A migration ended: its line, with its time. One a squash replaced, rolled back, ran
/// nothing: its line says that only its row was forgotten.
pub fn step(step: &Step) {
    if !lines() {
        return;
    }
    let (verb, color) = match (&step.replaced_by, step.direction) {
        (Some(_), _) => ("Forgot", DIM),
        (None, Direction::Up) => (verb(step.direction), GREEN),
        (None, Direction::Down) => (verb(step.direction), YELLOW),
    };
    let text = line(verb, &step.module, &step.name);
    let verb_part = paint(verb, color);
    let rest = &text[verb.len()..];
    let carriage = if printer().terminal { "\r\x1b[2K" } else { "" };
    let why = match &step.replaced_by {
        Some(squash) => {
            format!("  (replaced by the squash `{squash}`: its row forgotten, its tables kept)")
        }
        None => String::new(),
    };
    println!(
        "{carriage}{verb_part}{rest} {}{why}",
        paint(&duration(step.duration), DIM)
    );
}

/// `Nothing to migrate.` or `Nothing to roll back.`
pub fn nothing(direction: Direction) {
    if lines() {
        match direction {
            Direction::Up => println!("Nothing to migrate."),
            Direction::Down => println!("Nothing to roll back."),
        }
    }
}

/// The line after an operation that ran migrations.
pub fn summary(report: &Report) {
    if !lines() {
        return;
    }
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
            let forgotten = forgotten(report);
            let rolled_back = count - forgotten;
            let noun = |n: usize| if n == 1 { "migration" } else { "migrations" };
            let what = match (rolled_back, forgotten) {
                (_, 0) => format!("Rolled back {count} {}", noun(count)),
                (0, _) => format!(
                    "Forgot the rows of {forgotten} {} a squash replaced",
                    noun(forgotten)
                ),
                _ => format!(
                    "Rolled back {rolled_back} {}, and forgot the rows of {forgotten} a squash replaced",
                    noun(rolled_back)
                ),
            };
            println!("{what} ({}).", duration(report.elapsed))
        }
    }
}

/// A pretended run: each migration with the SQL it would run.
pub fn pretended(reports: &[&Report]) {
    if !lines() {
        return;
    }
    let mut any = false;
    for report in reports {
        any |= !report.steps.is_empty();
        pretended_steps(report);
    }
    if !any {
        println!("Nothing to do.");
    }
    println!("Nothing was changed (--pretend).");
}

/// A pretended operation that failed: the migrations it listed before the one that
/// failed, whose error follows on stderr.
pub fn pretended_before_failure(reports: &[&Report]) {
    if lines() && reports.iter().any(|report| !report.steps.is_empty()) {
        for report in reports {
            pretended_steps(report);
        }
        println!("Nothing was changed (--pretend).");
    }
}

/// Each migration of a pretended report, with its SQL.
fn pretended_steps(report: &Report) {
    for step in &report.steps {
        let verb = match (&step.replaced_by, step.direction) {
            (Some(_), _) => "Would forget",
            (None, Direction::Up) => "Would migrate",
            (None, Direction::Down) => "Would roll back",
        };
        let how = if step.checked {
            "checked by the database, then rolled back"
        } else {
            "listed only: the database could not take it back"
        };
        println!(
            "{} {} {} ({how})",
            paint(verb, YELLOW),
            step.module,
            step.name
        );
        if step.sql.is_empty() {
            println!("    -- no SQL");
        }
        for sql in &step.sql {
            println!("    {sql};");
        }
    }
}

/// The JSON of a command that ran (or pretended to run) migrations.
pub fn run_json(url: &DatabaseUrl, command: &str, pretend: bool, reports: &[&Report]) {
    keep_json(run_value(url, command, pretend, reports));
}

/// [`run_json`]'s object.
pub fn run_value(url: &DatabaseUrl, command: &str, pretend: bool, reports: &[&Report]) -> Value {
    let migrations: Vec<Value> = reports
        .iter()
        .flat_map(|report| &report.steps)
        .map(|step| {
            let mut value = json!({
                "module": step.module,
                "name": step.name,
                "direction": match step.direction { Direction::Up => "up", Direction::Down => "down" },
                "batch": step.batch,
                "duration_ms": millis(step.duration),
                "replaced_by": step.replaced_by,
            });
            if pretend {
                value["sql"] = json!(step.sql);
                value["checked"] = json!(step.checked);
            }
            value
        })
        .collect();
    json!({
        "database": url.to_string(),
        "command": command,
        "pretend": pretend,
        "migrations": migrations,
        "error": null,
    })
}

/// The object `--json` prints, kept until the command ends: [`json_result`] prints it.
static KEPT: Mutex<Option<Value>> = Mutex::new(None);

/// Keeps the command's `--json` object, for [`json_result`] to print once it ends.
fn keep_json(value: Value) {
    *KEPT.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
}

/// What `--json` prints for a command that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `migration:status`: `database`, `migrations`, `summary`, `error`.
    Status,
    /// A command that runs migrations: `database`, `command`, `pretend`, `migrations`,
    /// `error`.
    Run {
        /// `migration:latest`, …
        command: &'static str,
        /// `--pretend`.
        pretend: bool,
    },
    /// `migration:repair`: `database`, `command`, `pretend`, `actions`, `error`.
    Repair {
        /// `--pretend`.
        pretend: bool,
    },
    /// A command line whose command is not one of arte's (a usage error): `command` `null`
    /// and `error`.
    Unknown,
}

impl Shape {
    /// The command's name; `None` for a command that is not one of arte's.
    pub fn command(self) -> Option<&'static str> {
        match self {
            Shape::Status => Some("migration:status"),
            Shape::Run { command, .. } => Some(command),
            Shape::Repair { .. } => Some("migration:repair"),
            Shape::Unknown => None,
        }
    }
}

/// The database (or fleet) a command that failed before it had its `--json` object was
/// to work on, as far as it could be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One database, shown with its password hidden; `None` when it could not be told.
    One(Option<String>),
    /// A fleet of this many databases.
    Fleet(usize),
}

/// The `--json` object of a command that failed before it had one of its own: its shape,
/// with nothing done (`migrations` and `actions` empty, `summary` of a status `null`,
/// since counts of 0 would read as up to date); [`json_result`] sets `error`.
pub fn unfinished(shape: Shape, target: &Target) -> Value {
    let database = match target {
        Target::One(database) => database,
        Target::Fleet(total) => {
            return json!({
                "command": shape.command(),
                "databases": [],
                "summary": { "databases": total, "succeeded": 0, "failed": 0, "duration_ms": 0.0 },
                "error": null,
            });
        }
    };
    match shape {
        Shape::Status => json!({
            "database": database,
            "migrations": [],
            "summary": null,
            "error": null,
        }),
        Shape::Run { command, pretend } => json!({
            "database": database,
            "command": command,
            "pretend": pretend,
            "migrations": [],
            "error": null,
        }),
        Shape::Repair { pretend } => json!({
            "database": database,
            "command": shape.command(),
            "pretend": pretend,
            "actions": [],
            "error": null,
        }),
        Shape::Unknown => json!({ "command": null, "error": null }),
    }
}

/// Prints the one object of a `--json` run, on stdout, as the command ends: the command's
/// own, or `unfinished()` when it failed before it had one; `error` is `null`, or the
/// failure's `message` and `exit_code`. Every password is hidden.
pub fn json_result(failure: Option<(&str, i32)>, unfinished: impl FnOnce() -> Value) {
    let kept = KEPT.lock().unwrap_or_else(PoisonError::into_inner).take();
    let mut value = kept.unwrap_or_else(unfinished);
    if let Some(object) = value.as_object_mut() {
        let error = failure.map(|(message, code)| json!({ "message": message, "exit_code": code }));
        object.insert("error".to_owned(), error.unwrap_or(Value::Null));
    }
    let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
    println!("{}", DatabaseUrl::redact_any(&text));
}

/// Another migrator holds the lock: one line on stderr, about a second into the wait.
pub fn lock_wait(table: &str, database: Option<&str>, holder: Option<&str>, timeout: Duration) {
    // Not an error: `-q` silences it (the timeout's error names the holder too).
    if printer().mode.quiet {
        return;
    }
    let holder = holder.map(|h| format!(", held by {h}")).unwrap_or_default();
    eprintln!(
        "waiting for the lock on the `{table}` migrations table{}{holder}; giving up after {} s",
        of_database(database),
        timeout.as_secs()
    );
}

/// ` of `<database>``, for a line about one database of a fleet (the others' lines
/// interleave with it); nothing for the one database of a command.
fn of_database(database: Option<&str>) -> String {
    database.map(|d| format!(" of `{d}`")).unwrap_or_default()
}

/// Pending migrations older than the newest applied, which the `allow` policy runs: a
/// [`note`], which `-q` silences.
pub fn out_of_order(migrations: &[Planned], database: Option<&str>) {
    let names: Vec<String> = migrations
        .iter()
        .map(|m| format!("`{}` of {}", m.name, m.module))
        .collect();
    // Said before anything runs (a listener may still stop the run, `--pretend` only
    // shows it): what the policy lets run, not what ran.
    let one = names.len() == 1;
    note(&format!(
        "{} {} pending but older than the newest applied migration of {}{}; the out-of-order policy `allow` lets {} run",
        names.join(", "),
        if one { "is" } else { "are" },
        if one { "its module" } else { "their modules" },
        match database {
            Some(database) => format!(" in `{database}`"),
            None => String::new(),
        },
        if one { "it" } else { "them" },
    ));
}

/// `migration:repair --json`.
pub fn repair_value(url: &DatabaseUrl, report: &RepairReport) -> Value {
    let actions: Vec<String> = report.actions.iter().map(ToString::to_string).collect();
    json!({
        "database": url.to_string(),
        "command": "migration:repair",
        "pretend": report.pretended,
        "actions": actions,
        "error": null,
    })
}

/// `migration:repair`'s result.
pub fn repair(url: &DatabaseUrl, report: &RepairReport) {
    if printer().mode.json {
        return keep_json(repair_value(url, report));
    }
    if !lines() {
        return;
    }
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

/// `migration:make`'s and `init`'s result.
pub fn created(path: &std::path::Path, note: Option<&str>) {
    if lines() {
        println!("Created {}", path.display());
        if let Some(note) = note {
            println!("{note}");
        }
    }
}

/// A line for people, which `-q` silences.
pub fn say(text: &str) {
    if lines() {
        println!("{text}");
    }
}

/// A note on stderr (`note: …`): something worth knowing that is not an error, which
/// `-q` silences.
pub fn note(text: &str) {
    if !printer().mode.quiet {
        eprintln!("note: {text}");
    }
}

/// A warning on stderr (`warning: …`): data a written migration would lose, printed even
/// with `-q`, so that it is seen.
pub fn warning(text: &str) {
    eprintln!("warning: {text}");
}

/// `contract:check` when this program registers no contract.
pub fn no_contracts() {
    say("No contracts to check.");
}

/// `contract:check`'s result: one line per difference, then a summary over the `checked`
/// contracts.
pub fn contract_check(checked: usize, differences: &[Difference]) {
    if printer().mode.quiet {
        return;
    }
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

/// The states that need a person: `migration:status --check` exits 4 on them, and a
/// fleet's status line counts each.
pub const TROUBLE: [State; 6] = [
    State::Changed,
    State::Missing,
    State::Failed,
    State::Interrupted,
    State::Running,
    State::Blocked,
];

/// A fleet: a status in one line, `5 applied, 2 pending` and whatever else there is.
pub fn status_counts(statuses: &[MigrationStatus]) -> String {
    let mut parts = vec![
        format!("{} applied", count(statuses, State::Applied)),
        format!("{} pending", count(statuses, State::Pending)),
    ];
    for state in TROUBLE {
        let n = count(statuses, state);
        if n > 0 {
            parts.push(format!("{n} {}", state_key(state)));
        }
    }
    parts.join(", ")
}

/// A fleet: what an operation did on one database, in a few words.
pub fn fleet_summary(reports: &[&Report], pretend: bool) -> String {
    let mut parts = Vec::new();
    for report in reports {
        let n = report.steps.len();
        let noun = if n == 1 { "migration" } else { "migrations" };
        let text = match (report.direction, n, pretend) {
            (Direction::Up, 0, _) => "nothing to migrate".to_owned(),
            (Direction::Down, 0, _) => "nothing to roll back".to_owned(),
            (Direction::Up, n, false) => {
                let batch = report.steps.first().map(|s| s.batch).unwrap_or_default();
                format!("applied {n} {noun} in batch {batch}")
            }
            (Direction::Down, n, false) => format!("rolled back {n} {noun}"),
            (Direction::Up, n, true) => format!("would apply {n} {noun}"),
            (Direction::Down, n, true) => format!("would roll back {n} {noun}"),
        };
        let text = match forgotten(report) {
            0 => text,
            n => format!("{text} ({n} of them only forgotten: a squash replaced them)"),
        };
        parts.push(text);
    }
    if pretend {
        parts.push("nothing was changed (--pretend)".to_owned());
    }
    parts.join(", ")
}

/// Of the migrations a report rolled back, those a squash replaced: only their rows were
/// forgotten.
fn forgotten(report: &Report) -> usize {
    report
        .steps
        .iter()
        .filter(|s| s.replaced_by.is_some())
        .count()
}

/// A fleet: the line of one database, as it finishes. A failed database's line is an
/// error, which `-q` keeps: the fleet's error says that each one's line says why.
pub fn fleet_line(url: &DatabaseUrl, ok: bool, text: &str, took: Duration) {
    let p = printer();
    if p.mode.json || (p.mode.quiet && ok) {
        return;
    }
    let mark = if ok {
        paint("ok    ", GREEN)
    } else {
        paint("FAILED", RED)
    };
    println!("{mark} {url}  {text} ({})", duration(took));
}

/// A fleet: the last line, after every database.
pub fn fleet_total(total: usize, failed: usize, took: Duration) {
    if !lines() {
        return;
    }
    let noun = if total == 1 { "database" } else { "databases" };
    println!(
        "{total} {noun}: {} succeeded, {failed} failed ({}).",
        total - failed,
        duration(took)
    );
}

/// A fleet's `--json`: one object with every database's.
pub fn fleet_json(command: &str, databases: Vec<Value>, failed: usize, took: Duration) {
    let total = databases.len();
    keep_json(json!({
        "command": command,
        "databases": databases,
        "summary": {
            "databases": total,
            "succeeded": total - failed,
            "failed": failed,
            "duration_ms": millis(took),
        },
        "error": null,
    }));
}

/// The one line a failure prints, on stderr.
pub fn error(message: &str) {
    let p = printer();
    let on_terminal = std::io::stderr().is_terminal();
    if p.terminal && !p.mode.json && !p.mode.quiet {
        // A progress line may be open; the error starts on a line of its own.
        print!("\r\x1b[2K");
        let _ = std::io::stdout().flush();
    }
    let label = if on_terminal && p.color {
        format!("\x1b[{RED}merror:\x1b[0m")
    } else {
        "error:".to_owned()
    };
    eprintln!("{label} {message}");
}

/// A question on the terminal; the answer, trimmed.
pub fn ask(question: &str) -> Option<String> {
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).ok()?;
    Some(answer.trim().to_owned())
}
