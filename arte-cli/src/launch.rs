//! The `arte` binary: runs the application named in `arte.toml`, whose own binary holds
//! the migrations, with `cargo run` (as `cargo xtask` does).

use crate::config::{self, PROJECT_FILE};
use crate::output;
use std::process::Command;

/// Entry of the generic `arte` binary. When this program holds migrations of its own, or
/// no `arte.toml` names an application, it runs the command itself; otherwise it hands the
/// arguments to the application's binary through `cargo run` and exits with its status.
pub fn launch() -> ! {
    let holds_migrations = !arte_core::ProjectLayout::registered().is_empty()
        || arte_core::Registry::collect().is_ok_and(|r| !r.migrations().is_empty());
    let project = std::env::current_dir()
        .ok()
        .map(|cwd| config::find_project_file(&cwd));
    let (dir, app) = match project {
        Some(Ok(Some((dir, file)))) if !holds_migrations => match file.app {
            Some(app) => (dir, app),
            None => crate::main(),
        },
        Some(Err(error)) => {
            output::error(&error.to_string());
            std::process::exit(1)
        }
        _ => crate::main(),
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
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(error) => {
            output::error(&format!(
                "cannot run `cargo run --package {}` for the application named in {PROJECT_FILE}: {error}; is cargo on the PATH?",
                app.package
            ));
            std::process::exit(1)
        }
    }
}
