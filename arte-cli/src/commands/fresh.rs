use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let filter = scope.filter();
    let report = super::migrator(config, &filter)?.fresh(&filter, None)?;
    output::nothing_done(&report.rolled_back);
    output::nothing_done(&report.migrated);
    Ok(())
}
