//! `migration:status [--json] [--check]`: reads only.

use crate::Check;
use crate::cli::Status;
use crate::output;
use anyhow::Result;
use arte_core::{Config, MigrationStatus, State};

pub fn run(config: &Config, args: &Status) -> Result<()> {
    let filter = args.scope.filter();
    let statuses = super::reader(config, &filter)?.list(&filter)?;
    output::status(&config.database, &statuses);
    match check_code(args, &statuses) {
        0 => Ok(()),
        code => Err(Check(code).into()),
    }
}

/// On a fleet: one line per database with its counts.
pub fn fleet(configs: &[Config], args: &Status) -> Result<()> {
    let filter = args.scope.filter();
    super::fleet::run(
        "migration:status",
        configs,
        args.database.jobs as usize,
        args.json.then_some(output::Shape::Status),
        |config| {
            let statuses = super::silent_migrator(config, &filter, true)?.list(&filter)?;
            Ok(super::fleet::Outcome {
                summary: output::status_counts(&statuses),
                json: output::status_json(&config.database, &statuses),
                code: check_code(args, &statuses),
                failure: None,
            })
        },
    )
}

/// `--check`'s exit status: 4 for changed, missing, failed or interrupted migrations, 3
/// for pending ones, else 0.
fn check_code(args: &Status, statuses: &[MigrationStatus]) -> i32 {
    if !args.check {
        return 0;
    }
    let trouble = statuses.iter().any(|s| output::TROUBLE.contains(&s.state));
    let pending = statuses.iter().any(|s| s.state == State::Pending);
    match (trouble, pending) {
        (true, _) => 4,
        (false, true) => 3,
        (false, false) => 0,
    }
}
