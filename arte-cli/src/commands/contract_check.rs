use crate::config::Config;
use crate::output;
use anyhow::{Result, bail};
use arte_core::{Db, Migrator};

pub fn run(config: &Config) -> Result<()> {
    let contracts = arte_core::contract::registered().len();
    if contracts == 0 {
        output::no_contracts();
        return Ok(());
    }
    let db = Db::connect_url(&config.database)?;
    let differences = Migrator::new(db)?.check_contracts()?;
    output::contract_check(contracts, &differences);
    match differences.len() {
        0 => Ok(()),
        1 => bail!("1 difference between the contracts and the database"),
        n => bail!("{n} differences between the contracts and the database"),
    }
}
