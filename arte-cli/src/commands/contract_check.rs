//! `contract:check`: every contract compared with the live database.

use crate::output;
use anyhow::{Result, bail};
use arte_core::{Config, Filter, Migrator};

pub fn run(config: &Config) -> Result<()> {
    output::database(&config.database);
    let contracts = arte_core::contract::registered().len();
    if contracts == 0 {
        output::no_contracts();
        return Ok(());
    }
    let differences = reader(config)?.check_contracts()?;
    output::contract_check(contracts, &differences);
    match differences.len() {
        0 => Ok(()),
        1 => bail!("1 difference between the contracts and the database"),
        n => bail!("{n} differences between the contracts and the database"),
    }
}

/// On a fleet: one line per database, failed where its schema differs from the contracts.
pub fn fleet(configs: &[Config], jobs: usize) -> Result<()> {
    let contracts = arte_core::contract::registered().len();
    super::fleet::run("contract:check", configs, jobs, None, |config| {
        let differences = reader(config)?.check_contracts()?;
        match differences.as_slice() {
            [] => Ok(super::fleet::Outcome {
                summary: match contracts {
                    1 => "the 1 contract matches".to_owned(),
                    n => format!("all {n} contracts match"),
                },
                json: serde_json::Value::Null,
                code: 0,
                failure: None,
            }),
            differences => {
                let list: Vec<String> = differences.iter().map(ToString::to_string).collect();
                bail!(
                    "{} between the contracts and the database: {}",
                    match list.len() {
                        1 => "1 difference".to_owned(),
                        n => format!("{n} differences"),
                    },
                    list.join("; ")
                )
            }
        }
    })
}

/// A migrator that only reads: a SQLite file that is not there is not created, and reads
/// as an empty database.
fn reader(config: &Config) -> Result<Migrator> {
    super::silent_migrator(config, &Filter::all(), true)
}
