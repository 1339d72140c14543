use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let filter = scope.filter();
    let report = super::migrator(config, &filter)?.latest(&filter)?;
    output::nothing_done(&report);
    Ok(())
}
