//! A command on a fleet of databases: `--database-url` given several times, or
//! `arte.toml`'s `[[databases]]` and `urls_file`. `--jobs N` threads each take the next
//! database with a connection of its own; each database's line is printed as it finishes
//! (`-q`: a failed one's only; `--json`: one object for all, in the fleet's order), a
//! failure does not stop the others, and the exit status says the worst: 1 when any
//! failed, else the highest of `migration:status --check`'s codes.

use crate::{exit_code, output};
use anyhow::Result;
use arte_core::Config;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What a command did on one database.
pub struct Outcome {
    /// Its line, after the database's URL.
    pub summary: String,
    /// Its `--json` object.
    pub json: Value,
    /// Its exit status on its own (0, or `migration:status --check`'s 3 or 4).
    pub code: i32,
    /// The failure that ended the command on this database after part of it took effect,
    /// which `summary` and `json` say.
    pub failure: Option<anyhow::Error>,
}

/// The error of a fleet where some database failed: its line said why.
#[derive(Debug)]
pub struct FleetFailed {
    failed: usize,
    total: usize,
}

impl std::fmt::Display for FleetFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let noun = if self.total == 1 {
            "database"
        } else {
            "databases"
        };
        write!(
            f,
            "{} of {} {noun} failed (each one's line says why){}",
            self.failed,
            self.total,
            if self.failed < self.total {
                "; the others were not stopped"
            } else {
                ""
            }
        )
    }
}

impl std::error::Error for FleetFailed {}

/// Runs `task` on every database of `configs`, `jobs` at a time; `json`, the shape of the
/// command's `--json` object when it was asked for (a database that failed before it had
/// one gets that shape, with nothing done).
pub fn run(
    command: &str,
    configs: &[Config],
    jobs: usize,
    json: Option<output::Shape>,
    task: impl Fn(&Config) -> Result<Outcome> + Sync,
) -> Result<()> {
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let (sender, results) = mpsc::channel::<(usize, Result<Outcome>, Duration)>();
    let mut done: Vec<Option<(Result<Outcome>, Duration)>> = std::iter::repeat_with(|| None)
        .take(configs.len())
        .collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, configs.len().max(1)) {
            let sender = sender.clone();
            let (next, task) = (&next, &task);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(config) = configs.get(index) else {
                        return;
                    };
                    let began = Instant::now();
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| task(config)))
                            .unwrap_or_else(|_| Err(anyhow::anyhow!(crate::panics::last())));
                    if sender.send((index, outcome, began.elapsed())).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        for (index, outcome, took) in results {
            if let Some(config) = configs.get(index) {
                match &outcome {
                    Ok(Outcome {
                        summary,
                        failure: None,
                        ..
                    }) => output::fleet_line(&config.database, true, summary, took),
                    Ok(Outcome {
                        summary,
                        failure: Some(error),
                        ..
                    }) => output::fleet_line(
                        &config.database,
                        false,
                        &format!(
                            "{summary}, then: {}",
                            arte_core::DatabaseUrl::redact_any(&error.to_string())
                        ),
                        took,
                    ),
                    Err(error) => output::fleet_line(
                        &config.database,
                        false,
                        &arte_core::DatabaseUrl::redact_any(&error.to_string()),
                        took,
                    ),
                }
            }
            if let Some(slot) = done.get_mut(index) {
                *slot = Some((outcome, took));
            }
        }
    });
    let took = started.elapsed();
    let mut failed = 0;
    let mut worst = 0;
    let mut objects = Vec::with_capacity(configs.len());
    for (config, result) in configs.iter().zip(done) {
        let (outcome, ms) = match result {
            Some((outcome, took)) => (outcome, output::millis(took)),
            None => (Err(anyhow::anyhow!("it was not reached")), 0.0),
        };
        let database = config.database.to_string();
        // The command's object (or, failed before it had one, its shape with nothing
        // done), its exit status on its own, and the failure that ended it there.
        let (mut object, mut code, failure) = match outcome {
            Ok(outcome) => (outcome.json, outcome.code, outcome.failure),
            Err(error) => (
                json.map_or_else(
                    || json!({}),
                    |shape| output::unfinished(shape, &output::Target::One(Some(database.clone()))),
                ),
                0,
                Some(error),
            ),
        };
        match &failure {
            None => worst = worst.max(code),
            Some(error) => {
                failed += 1;
                code = exit_code(error);
                object["error"] = json!({
                    "message": arte_core::DatabaseUrl::redact_any(&error.to_string()),
                    "exit_code": code,
                });
            }
        }
        object["database"] = json!(database);
        object["ok"] = json!(failure.is_none());
        object["exit_code"] = json!(code);
        object["duration_ms"] = json!(ms);
        objects.push(object);
    }
    if json.is_some() {
        output::fleet_json(command, objects, failed, took);
    } else {
        output::fleet_total(configs.len(), failed, took);
    }
    if failed > 0 {
        return Err(FleetFailed {
            failed,
            total: configs.len(),
        }
        .into());
    }
    if worst != 0 {
        return Err(crate::Check(worst).into());
    }
    Ok(())
}
