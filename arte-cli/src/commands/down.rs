use crate::cli::Stepped;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, args: &Stepped) -> Result<()> {
    let filter = args.scope.filter();
    let report = super::migrator(config, &filter)?.down(args.steps as usize, &filter)?;
    output::nothing_done(&report);
    Ok(())
}
