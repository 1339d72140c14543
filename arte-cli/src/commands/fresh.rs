use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let filter = scope.filter();
    let mut migrator = super::migrator(config, &filter)?;
    // `Migrator::fresh` in two calls, so that each half's lines come in the order they happen.
    let rolled_back = migrator.rollback(&filter, Some(usize::MAX))?;
    output::nothing_done(&rolled_back);
    let migrated = migrator.migrate(&filter, None)?;
    output::nothing_done(&migrated);
    Ok(())
}
