//! One module per command; each turns its arguments into Migrator calls and output.

pub mod contract_check;
pub mod down;
pub mod fresh;
pub mod latest;
pub mod make;
pub mod repair;
pub mod status;
pub mod up;

use crate::cli::Scope;
use crate::config::Config;
use crate::output;
use anyhow::Result;
use arte_core::{Db, Event, Filter, Migrator, Registry};

impl Scope {
    pub fn filter(&self) -> Filter {
        match (&self.module, self.core) {
            (Some(module), _) => Filter::module(module.clone()),
            (None, true) => Filter::core(),
            (None, false) => Filter::all(),
        }
    }
}

/// Checks the filter, connects and builds the migrator, which prints each migration as it
/// completes.
pub fn migrator(config: &Config, filter: &Filter) -> Result<Migrator> {
    Registry::collect()?.check_filter(filter, config.modules.as_deref())?;
    let db = Db::connect_url(&config.database)?;
    configured(config, db)
}

/// A migrator for a command that only reads: a SQLite file that is not there is not
/// created, and reads as a database where nothing is applied yet.
pub fn reader(config: &Config, filter: &Filter) -> Result<Migrator> {
    Registry::collect()?.check_filter(filter, config.modules.as_deref())?;
    let db = if config.database.exists() {
        Db::connect_url(&config.database)?
    } else {
        Db::connect("sqlite::memory:")?
    };
    configured(config, db)
}

fn configured(config: &Config, db: Db) -> Result<Migrator> {
    let mut migrator = Migrator::new(db)?
        .table_name(config.table.clone())
        .lock_timeout(config.lock_timeout)
        .out_of_order(config.out_of_order);
    if let Some(modules) = &config.modules {
        migrator = migrator.enable_modules(modules.iter().cloned());
    }
    let table = config.table.clone();
    migrator.listen(move |event| {
        match event {
            Event::Migrated { step } | Event::RolledBack { step } => output::step(step),
            Event::AfterMigrate { report } | Event::AfterRollback { report } => {
                output::summary(report)
            }
            Event::LockWait { holder, timeout } => output::lock_wait(&table, *holder, *timeout),
            Event::OutOfOrder { migrations } => output::out_of_order(migrations),
            _ => {}
        }
        Ok(())
    });
    Ok(migrator)
}
