use crate::cli::Repair;
use crate::config::Config;
use crate::output;
use anyhow::Result;
use arte_core::Filter;

pub fn run(config: &Config, args: &Repair) -> Result<()> {
    let report = super::migrator(config, &Filter::all())?.repair(args.pretend)?;
    output::repair(&report);
    Ok(())
}
