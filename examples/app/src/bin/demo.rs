//! `cargo run -p arte-example --bin demo`: migrates the database, checks that it matches the
//! contracts, then tours the typed query layer.

use arte_core::{Db, Filter, Migrator};

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> arte_core::Result<()> {
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/demo.sqlite").to_owned());
    let mut migrator = Migrator::new(Db::connect(&url)?)?;
    let report = migrator.latest(&Filter::all())?;
    println!("migrated: {} migration(s) ran", report.steps.len());
    let differences = migrator.check_contracts()?;
    if !differences.is_empty() {
        for difference in &differences {
            println!("{difference}");
        }
        return Err(arte_core::Error::msg(
            "the database does not match the contracts",
        ));
    }
    println!("the database matches the contracts");
    for line in arte_example::demo::run(migrator.db().connection())? {
        println!("{line}");
    }
    Ok(())
}
