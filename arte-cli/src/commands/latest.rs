use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let report = super::migrator(config)?.latest(&scope.filter())?;
    output::nothing_done(&report);
    Ok(())
}
