//! The commands that run migrations: `latest`, `up`, `down`, `rollback`, `reset`, `fresh`.
//! Each resolves its settings, asks first in production where it can lose data, prints the
//! database it works on, then runs (or, with `--pretend`, pretends) and prints.

use crate::cli::{Destructive, Rollback, Run, Stepped};
use crate::{guard, output};
use anyhow::Result;
use arte_core::{Config, Direction, Event, Migrator, Report, Settings, Step};
use std::sync::{Arc, Mutex, PoisonError};

/// What one command asks of the migrator.
#[derive(Debug, Clone, Copy)]
enum Operation {
    Latest,
    Up(usize),
    Down(usize),
    Rollback(Option<usize>),
    RollbackBatch(i32),
    Reset,
    Fresh,
}

pub fn latest(settings: &Settings, args: &Run) -> Result<()> {
    execute(settings, "migration:latest", args, None, Operation::Latest)
}

pub fn up(settings: &Settings, args: &Stepped) -> Result<()> {
    execute(
        settings,
        "migration:up",
        &args.run,
        None,
        Operation::Up(args.steps as usize),
    )
}

pub fn down(settings: &Settings, args: &Destructive<Stepped>) -> Result<()> {
    execute(
        settings,
        "migration:down",
        &args.args.run,
        Some((args.force, "roll back migrations")),
        Operation::Down(args.args.steps as usize),
    )
}

pub fn rollback(settings: &Settings, args: &Destructive<Rollback>) -> Result<()> {
    let operation = match (args.args.batch, args.args.steps) {
        (Some(batch), _) => Operation::RollbackBatch(batch),
        (None, steps) => Operation::Rollback(steps.map(|s| s as usize)),
    };
    execute(
        settings,
        "migration:rollback",
        &args.args.run,
        Some((args.force, "roll back migrations")),
        operation,
    )
}

pub fn reset(settings: &Settings, args: &Destructive<Run>) -> Result<()> {
    execute(
        settings,
        "migration:reset",
        &args.args,
        Some((args.force, "roll back every migration")),
        Operation::Reset,
    )
}

pub fn fresh(settings: &Settings, args: &Destructive<Run>) -> Result<()> {
    execute(
        settings,
        "migration:fresh",
        &args.args,
        Some((
            args.force,
            "roll back every migration and run them again (the tables' rows are lost)",
        )),
        Operation::Fresh,
    )
}

/// Resolves the database (or fleet), asks first in production where the command can lose
/// data (`guard`: whether `--force` was given, and what it would do), then runs.
fn execute(
    settings: &Settings,
    command: &'static str,
    args: &Run,
    guard: Option<(bool, &str)>,
    operation: Operation,
) -> Result<()> {
    let mut configs = super::configs(settings, &args.database, Some(&args.lock))?;
    // `--atomic` turns it on whatever the configuration says.
    for config in &mut configs {
        config.atomic |= args.atomic;
    }
    if let Some((force, what)) = guard
        && !args.pretend
    {
        guard::confirm(&configs, force, command, what)?;
    }
    match configs.as_slice() {
        [config] => perform(config, command, args, operation),
        _ => super::fleet::run(
            command,
            &configs,
            args.database.jobs as usize,
            args.json.then_some(output::Shape::Run {
                command,
                pretend: args.pretend,
            }),
            |config| on_one_of_a_fleet(config, command, args, operation),
        ),
    }
}

/// One database of a fleet: the migrator prints no migration (only a wait for the lock and
/// the out-of-order note, naming the database); the outcome is one line.
fn on_one_of_a_fleet(
    config: &Config,
    command: &str,
    args: &Run,
    operation: Operation,
) -> Result<super::fleet::Outcome> {
    let filter = args.scope.filter();
    let mut migrator = super::announcing(
        config,
        super::silent_migrator(config, &filter, args.pretend)?,
    )
    .pretend(args.pretend);
    let took_effect = (!args.pretend).then(|| follow_what_takes_effect(&mut migrator));
    // A refused setting names where it was set, as on one database.
    let ran = run(&mut migrator, &filter, operation, args.pretend, true)
        .map_err(|error| crate::with_origins(error, config, args.atomic));
    let (reports, failure) = match ran {
        Ok(reports) => (reports, None),
        // A failure after some migrations took effect is told with them.
        Err(error) => match took_effect.as_ref().map(what_took_effect) {
            Some(done) if !done.is_empty() => (done, Some(error)),
            _ => return Err(error),
        },
    };
    let reports: Vec<&Report> = reports.iter().collect();
    Ok(super::fleet::Outcome {
        summary: output::fleet_summary(&reports, args.pretend),
        json: output::run_value(&config.database, command, args.pretend, &reports),
        code: 0,
        failure,
    })
}

/// The migrations that took effect, followed from the migrator's events, which announce a
/// migration once it has committed (an `--atomic` batch's once the batch has): a failed
/// operation returns no report.
fn follow_what_takes_effect(migrator: &mut Migrator) -> Arc<Mutex<Vec<Step>>> {
    let took_effect = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&took_effect);
    migrator.listen(move |event| {
        if let Event::Migrated { step } | Event::RolledBack { step } = event {
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((*step).clone());
        }
        Ok(())
    });
    took_effect
}

/// What [`follow_what_takes_effect`] saw, a report per run of one direction (`fresh` rolls
/// back, then applies).
fn what_took_effect(took_effect: &Arc<Mutex<Vec<Step>>>) -> Vec<Report> {
    let steps = std::mem::take(&mut *took_effect.lock().unwrap_or_else(PoisonError::into_inner));
    let mut reports: Vec<Report> = Vec::new();
    for step in steps {
        match reports.last_mut() {
            Some(report) if report.direction == step.direction => report.steps.push(step),
            _ => reports.push(Report {
                direction: step.direction,
                steps: vec![step],
                elapsed: std::time::Duration::ZERO,
            }),
        }
    }
    reports
}

fn perform(config: &Config, command: &str, args: &Run, operation: Operation) -> Result<()> {
    let filter = args.scope.filter();
    // Pretending creates nothing, not even the database file.
    let migrator = if args.pretend {
        super::reader(config, &filter)?
    } else {
        super::migrator(config, &filter)?
    };
    let mut migrator = migrator.pretend(args.pretend);
    // First, pretending too: a run that fails still said which database it was on.
    output::database(&config.database);
    // With `--json`, the migrations that took effect before a failure are in its object
    // too.
    let took_effect = (args.json && !args.pretend).then(|| follow_what_takes_effect(&mut migrator));
    // A failure is printed, `--json` included, where every command's is (`App::run_from`).
    let reports = match run(&mut migrator, &filter, operation, args.pretend, false) {
        Ok(reports) => reports,
        Err(error) => {
            if let Some(took_effect) = &took_effect {
                let done = what_took_effect(took_effect);
                let done: Vec<&Report> = done.iter().collect();
                output::run_json(&config.database, command, false, &done);
            }
            // Pretending: what would have run before the migration that failed.
            let listed = migrator.pretended_before_failure();
            if !listed.is_empty() {
                let listed: Vec<&Report> = listed.iter().collect();
                if args.json {
                    output::run_json(&config.database, command, true, &listed);
                } else {
                    output::pretended_before_failure(&listed);
                }
            }
            return Err(error);
        }
    };
    let reports: Vec<&Report> = reports.iter().collect();
    if args.json {
        output::run_json(&config.database, command, args.pretend, &reports);
    } else if args.pretend {
        output::pretended(&reports);
    } else {
        for report in reports {
            if report.steps.is_empty() {
                output::nothing(report.direction);
            }
        }
    }
    Ok(())
}

/// Runs the operation; `silent` for a fleet, whose databases print one line each.
fn run(
    migrator: &mut Migrator,
    filter: &arte_core::Filter,
    operation: Operation,
    pretend: bool,
    silent: bool,
) -> Result<Vec<Report>> {
    Ok(match operation {
        Operation::Latest => vec![migrator.latest(filter)?],
        Operation::Up(steps) => vec![migrator.up(steps, filter)?],
        Operation::Down(steps) => vec![migrator.down(steps, filter)?],
        Operation::Rollback(steps) => vec![migrator.rollback(filter, steps)?],
        Operation::RollbackBatch(batch) => vec![migrator.rollback_batch(filter, batch)?],
        Operation::Reset => vec![migrator.reset(filter)?],
        Operation::Fresh if pretend || silent => {
            let report = migrator.fresh(filter, None)?;
            vec![report.rolled_back, report.migrated]
        }
        Operation::Fresh => {
            // Lines come in the order things happen: when nothing was rolled back, say so
            // before the first migration runs, not after the whole operation.
            let said = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let flag = std::sync::Arc::clone(&said);
            migrator.listen(move |event| {
                use std::sync::atomic::Ordering;
                match event {
                    arte_core::Event::BeforeRollback { .. } => flag.store(true, Ordering::Relaxed),
                    arte_core::Event::BeforeMigrate { .. }
                        if !flag.swap(true, Ordering::Relaxed) =>
                    {
                        output::nothing(Direction::Down)
                    }
                    _ => {}
                }
                Ok(())
            });
            let report = migrator.fresh(filter, None)?;
            if !said.load(std::sync::atomic::Ordering::Relaxed) {
                output::nothing(Direction::Down);
            }
            let mut reports = Vec::new();
            if !report.rolled_back.steps.is_empty() {
                reports.push(report.rolled_back);
            }
            reports.push(report.migrated);
            reports
        }
    })
}
