use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let statuses = super::migrator(config)?.list(&scope.filter())?;
    output::status(&statuses);
    Ok(())
}
