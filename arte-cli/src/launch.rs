//! The stand-alone `arte` (`cargo install arte-cli`): a program with no migrations of its
//! own. In a project whose `arte.toml` names the application, it runs the application's
//! binary, which holds the migrations, with `cargo run` (as `cargo xtask` does), showing
//! cargo's build progress on a terminal. Elsewhere it offers `arte init` and says how to
//! point it at an application, instead of pretending to be one.

use crate::Usage;
use arte_core::config::{PROJECT_FILE, find_project_file};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::Command;

/// Set on the application's process, so that an application without migrations does
/// not hand off to itself forever.
const LAUNCHED: &str = "ARTE_LAUNCHED";

/// Whether this program has migrations compiled in.
pub(crate) fn holds_migrations() -> bool {
    !arte_core::ProjectLayout::registered().is_empty()
        || arte_core::Registry::collect().is_ok_and(|r| !r.migrations().is_empty())
}

/// When this program holds no migrations and an `arte.toml` names an application, runs
/// the application's binary with `args` and returns its exit status, or why it could not
/// be run (a [`Usage`] error exits 2, any other 1); `None` when this program answers
/// itself (`init`, `--help`, or the message that says what to do).
pub(crate) fn hand_off(args: &[OsString]) -> Option<anyhow::Result<i32>> {
    // `init` is the stand-alone arte's own; in a project set up already it says so.
    if holds_migrations() || args.get(1).is_some_and(|arg| arg == "init") {
        return None;
    }
    let cwd = std::env::current_dir().ok()?;
    let (dir, app) = match find_project_file(&cwd) {
        Ok(Some((dir, file))) => (dir, file.app?),
        Ok(None) => return None,
        Err(error) => return Some(Err(Usage(error.to_string()).into())),
    };
    if std::env::var_os(LAUNCHED).is_some() {
        return Some(Err(Usage(format!(
            "the application `{}` that {PROJECT_FILE} names holds no migrations; call `arte_core::migrations!();` in it",
            app.package
        ))
        .into()));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.arg("run");
    // On a terminal the first build shows cargo's progress; piped, only errors.
    if !std::io::stderr().is_terminal() {
        command.arg("--quiet");
    }
    command
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--package")
        .arg(&app.package);
    if let Some(bin) = &app.bin {
        command.arg("--bin").arg(bin);
    }
    command
        .arg("--")
        .args(args.iter().skip(1))
        .env(LAUNCHED, "1");
    Some(match command.status() {
        Ok(status) => Ok(status.code().unwrap_or(1)),
        Err(error) => Err(anyhow::anyhow!(
            "cannot run `cargo run --package {}` for the application named in {PROJECT_FILE}: {error}; is cargo on the PATH?",
            app.package
        )),
    })
}

/// The sentence for a command the stand-alone `arte` cannot run itself.
pub(crate) fn not_an_application() -> String {
    format!(
        "this `arte` has no migrations compiled in, and no {PROJECT_FILE} here names an application that has; run `arte init` in your application's crate, or add an {PROJECT_FILE} with `[app] package = \"your-crate\"`, or run your application's own binary (`cargo run --bin arte -- …`)"
    )
}
