//! `contract:check --migrations`: runs every migration on a scratch database of the
//! configured kind (no live database needed: SQLite in memory; on PostgreSQL and MySQL a
//! database created on the configured server and dropped after) and compares the result
//! with the contracts. Exits 1 with one line per difference.

use crate::output;
use anyhow::{Result, bail};
use arte_core::contract::{self, check::Difference};
use arte_core::{Config, Registry};

pub fn run(config: &Config) -> Result<()> {
    let contracts = contract::registered();
    if contracts.is_empty() {
        no_contracts();
        return Ok(());
    }
    let differences = contract::check_migrations(
        &config.database,
        &Registry::collect()?,
        &contracts,
        &config.table,
        config.modules.as_deref(),
    )?;
    report(contracts.len(), &differences);
    match differences.len() {
        0 => Ok(()),
        1 => bail!("1 difference between the contracts and what the migrations build"),
        n => bail!("{n} differences between the contracts and what the migrations build"),
    }
}

// -- Output, through `output` (`-q` silences it).

fn no_contracts() {
    output::no_contracts();
}

fn report(checked: usize, differences: &[Difference]) {
    if differences.is_empty() {
        match checked {
            1 => output::say("The migrations build what the 1 contract declares."),
            n => output::say(&format!(
                "The migrations build what all {n} contracts declare."
            )),
        }
        return;
    }
    for difference in differences {
        output::say(&difference.to_string());
    }
    let mut tables: Vec<&str> = differences.iter().map(Difference::table).collect();
    tables.sort_unstable();
    tables.dedup();
    let tables = match tables.len() {
        1 => "1 table differs".to_owned(),
        n => format!("{n} tables differ"),
    };
    output::say(&format!(
        "\n{tables} between the contracts and the migrations."
    ));
}
