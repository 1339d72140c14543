use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;
use arte_core::{Direction, Event};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub fn run(config: &Config, scope: &Scope) -> Result<()> {
    let filter = scope.filter();
    let mut migrator = super::migrator(config, &filter)?;
    // Lines come in the order things happen: when nothing was rolled back, say so before
    // the first migration runs, not after the whole operation.
    let rollback_said = Arc::new(AtomicBool::new(false));
    let said = Arc::clone(&rollback_said);
    migrator.listen(move |event| {
        match event {
            Event::BeforeRollback { .. } => said.store(true, Ordering::Relaxed),
            Event::BeforeMigrate { .. } if !said.swap(true, Ordering::Relaxed) => {
                output::nothing(Direction::Down)
            }
            _ => {}
        }
        Ok(())
    });
    let report = migrator.fresh(&filter, None)?;
    if !rollback_said.load(Ordering::Relaxed) {
        output::nothing(Direction::Down);
    }
    output::nothing_done(&report.migrated);
    Ok(())
}
