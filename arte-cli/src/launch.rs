//! The `arte` binary: runs the application named in `arte.toml`, whose own binary holds
//! the migrations, with `cargo run` (as `cargo xtask` does).

use crate::config::{self, PROJECT_FILE};
use crate::output;
use std::process::Command;

/// When this program holds no migrations of its own and an `arte.toml` names an
/// application, hands the arguments to the application's binary through `cargo run` and
/// returns its exit status; `None` when this program runs the command itself.
pub(crate) fn hand_off() -> Option<i32> {
    let holds_migrations = !arte_core::ProjectLayout::registered().is_empty()
        || arte_core::Registry::collect().is_ok_and(|r| !r.migrations().is_empty());
    let project = std::env::current_dir()
        .ok()
        .map(|cwd| config::find_project_file(&cwd));
    let (dir, app) = match project {
        Some(Ok(Some((dir, file)))) if !holds_migrations => (dir, file.app?),
        Some(Err(error)) => {
            output::error(&error.to_string());
            return Some(1);
        }
        _ => return None,
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("run")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--package")
        .arg(&app.package);
    if let Some(bin) = &app.bin {
        command.arg("--bin").arg(bin);
    }
    command.arg("--").args(std::env::args_os().skip(1));
    match command.status() {
        Ok(status) => Some(status.code().unwrap_or(1)),
        Err(error) => {
            output::error(&format!(
                "cannot run `cargo run --package {}` for the application named in {PROJECT_FILE}: {error}; is cargo on the PATH?",
                app.package
            ));
            Some(1)
        }
    }
}
