//! The commands that run migrations: `latest`, `up`, `down`, `rollback`, `reset`, `fresh`.
//! Each resolves its settings, asks first in production where it can lose data, prints the
//! database it works on, then runs (or, with `--pretend`, pretends) and prints.

use crate::cli::{Destructive, Rollback, Run, Stepped};
use crate::{exit_code, guard, output};
use anyhow::Result;
use arte_core::{Config, Direction, Migrator, Report, Settings};

/// What one command asks of the migrator.
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
    execute(settings, "migration:latest", args, Operation::Latest)
}

pub fn up(settings: &Settings, args: &Stepped) -> Result<()> {
    execute(
        settings,
        "migration:up",
        &args.run,
        Operation::Up(args.steps as usize),
    )
}

pub fn down(settings: &Settings, args: &Destructive<Stepped>) -> Result<()> {
    let run = &args.args.run;
    let config = super::config(settings, &run.database, Some(&run.lock))?;
    if !run.pretend {
        guard::confirm(
            &config,
            args.force,
            "migration:down",
            "roll back migrations",
        )?;
    }
    perform(
        &config,
        "migration:down",
        run,
        Operation::Down(args.args.steps as usize),
    )
}

pub fn rollback(settings: &Settings, args: &Destructive<Rollback>) -> Result<()> {
    let run = &args.args.run;
    let config = super::config(settings, &run.database, Some(&run.lock))?;
    if !run.pretend {
        guard::confirm(
            &config,
            args.force,
            "migration:rollback",
            "roll back migrations",
        )?;
    }
    let operation = match (args.args.batch, args.args.steps) {
        (Some(batch), _) => Operation::RollbackBatch(batch),
        (None, steps) => Operation::Rollback(steps.map(|s| s as usize)),
    };
    perform(&config, "migration:rollback", run, operation)
}

pub fn reset(settings: &Settings, args: &Destructive<Run>) -> Result<()> {
    let run = &args.args;
    let config = super::config(settings, &run.database, Some(&run.lock))?;
    if !run.pretend {
        guard::confirm(
            &config,
            args.force,
            "migration:reset",
            "roll back every migration",
        )?;
    }
    perform(&config, "migration:reset", run, Operation::Reset)
}

pub fn fresh(settings: &Settings, args: &Destructive<Run>) -> Result<()> {
    let run = &args.args;
    let config = super::config(settings, &run.database, Some(&run.lock))?;
    if !run.pretend {
        guard::confirm(
            &config,
            args.force,
            "migration:fresh",
            "roll back every migration and run them again (the tables' rows are lost)",
        )?;
    }
    perform(&config, "migration:fresh", run, Operation::Fresh)
}

fn execute(settings: &Settings, command: &str, args: &Run, operation: Operation) -> Result<()> {
    let config = super::config(settings, &args.database, Some(&args.lock))?;
    perform(&config, command, args, operation)
}

fn perform(config: &Config, command: &str, args: &Run, operation: Operation) -> Result<()> {
    let mut config = config.clone();
    config.atomic |= args.atomic;
    let config = &config;
    let filter = args.scope.filter();
    // Pretending creates nothing, not even the database file.
    let migrator = if args.pretend {
        super::reader(config, &filter)?
    } else {
        super::migrator(config, &filter)?
    };
    let mut migrator = migrator.pretend(args.pretend);
    if !args.pretend {
        output::database(&config.database);
    }
    let result = run(&mut migrator, &filter, operation, args.pretend);
    if args.json {
        let reports: Vec<&Report> = result
            .as_ref()
            .map(|r| r.iter().collect())
            .unwrap_or_default();
        let error = result.as_ref().err().map(|e| (e.to_string(), exit_code(e)));
        output::run_json(
            &config.database,
            command,
            args.pretend,
            &reports,
            error.as_ref().map(|(m, c)| (m.as_str(), *c)),
        );
    } else if args.pretend {
        if let Ok(reports) = &result {
            output::database(&config.database);
            output::pretended(&reports.iter().collect::<Vec<_>>());
        }
    } else if let Ok(reports) = &result {
        for report in reports {
            if report.steps.is_empty() {
                output::nothing(report.direction);
            }
        }
    }
    result.map(|_| ())
}

fn run(
    migrator: &mut Migrator,
    filter: &arte_core::Filter,
    operation: Operation,
    pretend: bool,
) -> Result<Vec<Report>> {
    Ok(match operation {
        Operation::Latest => vec![migrator.latest(filter)?],
        Operation::Up(steps) => vec![migrator.up(steps, filter)?],
        Operation::Down(steps) => vec![migrator.down(steps, filter)?],
        Operation::Rollback(steps) => vec![migrator.rollback(filter, steps)?],
        Operation::RollbackBatch(batch) => vec![migrator.rollback_batch(filter, batch)?],
        Operation::Reset => vec![migrator.reset(filter)?],
        Operation::Fresh if pretend => {
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
