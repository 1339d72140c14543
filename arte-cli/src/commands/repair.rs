//! `migration:repair [--pretend]`.

use crate::cli::{Destructive, Repair};
use crate::{guard, output};
use anyhow::Result;
use arte_core::{Filter, Settings};

pub fn run(settings: &Settings, args: &Destructive<Repair>) -> Result<()> {
    let repair = &args.args;
    let configs = super::configs(settings, &repair.database, Some(&repair.lock))?;
    if !repair.pretend {
        guard::confirm(
            &configs,
            args.force,
            "migration:repair",
            "change the migrations table (accept changed migrations, forget missing ones, clear failed runs)",
        )?;
    }
    if let [config] = configs.as_slice() {
        // Said first, as by every command on one database, whatever follows.
        output::database(&config.database);
        let report = super::migrator(config, &Filter::all())?
            .pretend(repair.pretend)
            .repair()?;
        output::repair(&config.database, &report);
        return Ok(());
    }
    super::fleet::run(
        "migration:repair",
        &configs,
        repair.database.jobs as usize,
        repair.json.then_some(output::Shape::Repair {
            pretend: repair.pretend,
        }),
        |config| {
            let report = super::silent_migrator(config, &Filter::all(), repair.pretend)?
                .pretend(repair.pretend)
                .repair()?;
            let n = report.actions.len();
            let rows = if n == 1 { "row" } else { "rows" };
            Ok(super::fleet::Outcome {
                summary: match (n, report.pretended) {
                    (0, _) => "nothing to repair".to_owned(),
                    (n, true) => format!("would repair {n} {rows} (--pretend)"),
                    (n, false) => format!("repaired {n} {rows}"),
                },
                json: output::repair_value(&config.database, &report),
                code: 0,
                failure: None,
            })
        },
    )
}
