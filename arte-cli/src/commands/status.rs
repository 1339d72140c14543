use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let filter = scope.filter();
    let statuses = super::reader(config, &filter)?.list(&filter)?;
    output::status(&statuses);
    Ok(())
}
