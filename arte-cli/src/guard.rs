//! The production guard: where `ARTE_ENV` or `APP_ENV` says `production`, a command that
//! can lose data asks on the terminal first, and without a terminal refuses (exit 2,
//! nothing changed) unless `--force` is given.

use crate::{Usage, output};
use anyhow::Result;
use arte_core::Config;
use std::io::IsTerminal;

/// The variable that says production, and its value, when one does.
fn production() -> Option<(&'static str, String)> {
    ["ARTE_ENV", "APP_ENV"].into_iter().find_map(|name| {
        std::env::var(name)
            .ok()
            .filter(|value| value.trim().eq_ignore_ascii_case("production"))
            .map(|value| (name, value))
    })
}

/// Goes on when not in production, with `--force`, or when the person at the terminal
/// types `yes`; refuses otherwise, before anything changes.
pub fn confirm(configs: &[Config], force: bool, command: &str, what: &str) -> Result<()> {
    let Some((variable, value)) = production() else {
        return Ok(());
    };
    if force {
        return Ok(());
    }
    let target = match configs {
        [config] => config.database.to_string(),
        fleet => format!("{} databases", fleet.len()),
    };
    let refusal = |why: &str| {
        // Said first, as by every command on one database (the command goes on to say it
        // when the answer is `yes`).
        if let [config] = configs {
            output::database(&config.database);
        }
        Err(Usage(format!(
            "`{command}` would {what} on {target}, and {variable}={value} says this is production; {why}; nothing was changed"
        ))
        .into())
    };
    if !std::io::stdin().is_terminal() {
        return refusal("run it again with `--force` to go on without a question");
    }
    let answer = output::ask(&format!(
        "`{command}` will {what} on {target} ({variable}={value}). Type `yes` to go on:"
    ));
    match answer.as_deref() {
        Some("yes") => Ok(()),
        _ => refusal("the answer was not `yes`"),
    }
}
