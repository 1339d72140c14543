//! `contract:check`: every contract compared with the live database.

use crate::output;
use anyhow::{Result, bail};
use arte_core::{Config, Migrator};

pub fn run(config: &Config) -> Result<()> {
    output::database(&config.database);
    let contracts = arte_core::contract::registered().len();
    if contracts == 0 {
        output::no_contracts();
        return Ok(());
    }
    let differences = Migrator::new(config.connect()?)?.check_contracts()?;
    output::contract_check(contracts, &differences);
    match differences.len() {
        0 => Ok(()),
        1 => bail!("1 difference between the contracts and the database"),
        n => bail!("{n} differences between the contracts and the database"),
    }
}
