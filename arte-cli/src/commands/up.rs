use crate::cli::Stepped;
use crate::config::Config;
use crate::output;
use anyhow::Result;

pub fn run(config: &Config, args: &Stepped) -> Result<()> {
    let report = super::migrator(config)?.up(args.steps as usize, &args.scope.filter())?;
    output::nothing_done(&report);
    Ok(())
}
