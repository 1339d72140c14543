//! `migration:repair [--pretend]`.

use crate::cli::{Destructive, Repair};
use crate::{guard, output};
use anyhow::Result;
use arte_core::{Filter, Settings};

pub fn run(settings: &Settings, args: &Destructive<Repair>) -> Result<()> {
    let repair = &args.args;
    let config = super::config(settings, &repair.database, Some(&repair.lock))?;
    if !repair.pretend {
        guard::confirm(
            &config,
            args.force,
            "migration:repair",
            "change the migrations table (accept changed migrations, forget missing ones, clear failed runs)",
        )?;
    }
    let report = super::migrator(&config, &Filter::all())?
        .pretend(repair.pretend)
        .repair()?;
    output::repair(&config.database, &report);
    Ok(())
}
