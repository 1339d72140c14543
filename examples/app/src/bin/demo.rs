//! `cargo run -p arte-example --bin demo`: migrates the database, checks that it matches the
//! contracts, then tours the typed query layer.

use arte_core::{Config, Filter, Migrator};

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
    // The database the command line uses, resolved the same way: `DATABASE_URL` (the
    // environment or a `.env` file), `arte.toml`, else the project's `database.sqlite`.
    let config = Config::load()?;
    let mut migrator = config.configure(Migrator::new(config.connect()?)?);
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
