//! `migration:status [--json] [--check]`: reads only.

use crate::Check;
use crate::cli::Status;
use crate::output;
use anyhow::Result;
use arte_core::{Config, State};

pub fn run(config: &Config, args: &Status) -> Result<()> {
    let filter = args.scope.filter();
    let statuses = super::reader(config, &filter)?.list(&filter)?;
    output::status(&config.database, &statuses);
    if args.check {
        let trouble = statuses.iter().any(|s| {
            matches!(
                s.state,
                State::Changed
                    | State::Missing
                    | State::Failed
                    | State::Interrupted
                    | State::Running
            )
        });
        let pending = statuses.iter().any(|s| s.state == State::Pending);
        if trouble {
            return Err(Check(4).into());
        }
        if pending {
            return Err(Check(3).into());
        }
    }
    Ok(())
}
