//! The stand-alone `arte` (`cargo install arte-cli`): a program with no migrations of its
//! own. In a project whose `arte.toml` names the application, it builds the application's
//! binary, which holds the migrations, with cargo and runs it (as `cargo xtask` does),
//! showing cargo's build progress on a terminal. Elsewhere it offers `arte init` and says
//! how to point it at an application, instead of pretending to be one.
//!
//! Building and running are two steps, so that cargo's failures are told from the
//! application's own exit status: `cargo build --message-format json` either fails (a
//! package or binary that `[app]` names wrongly, code that does not compile), which is a
//! refusal naming `arte.toml` (exit 2, and with `--json` the command's object), or names
//! the binary it built, which then runs directly, its exit status passed through whatever
//! it is. `cargo run`'s exit status cannot say which: 101 is cargo's own failure, and a
//! panic's.

use crate::Usage;
use anyhow::anyhow;
use arte_core::config::{AppSpec, PROJECT_FILE, find_project_file};
use serde_json::Value;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Set on the application's process, so that an application without migrations does
/// not hand off to itself forever.
const LAUNCHED: &str = "ARTE_LAUNCHED";

/// Whether this program has migrations compiled in.
pub(crate) fn holds_migrations() -> bool {
    !arte_core::ProjectLayout::registered().is_empty()
        || arte_core::Registry::collect().is_ok_and(|r| !r.migrations().is_empty())
}

/// When this program holds no migrations and an `arte.toml` names an application, builds
/// and runs the application's binary with `args` and returns its exit status, or why it
/// could not be (a [`Usage`] error, such as cargo's failure to build what `[app]` names,
/// exits 2, any other 1); `None` when this program answers itself (`init`, `--help`, or
/// the message that says what to do).
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
    let program = match build(&dir, &app) {
        Ok(program) => program,
        Err(error) => return Some(Err(error)),
    };
    let status = Command::new(&program)
        .args(args.iter().skip(1))
        .env(LAUNCHED, "1")
        .status();
    Some(match status {
        Ok(status) => Ok(status.code().unwrap_or(1)),
        Err(error) => Err(anyhow!(
            "cannot run `{}`, the binary of the application that `{}` names: {error}; run the command again",
            program.display(),
            dir.join(PROJECT_FILE).display(),
        )),
    })
}

/// Builds the application that `arte.toml` (in `dir`) names and returns its binary's path.
/// Cargo's own lines pass through to stderr as they come (its progress, the compiler's
/// diagnostics) up to its error, which becomes the one sentence of a [`Usage`] error.
fn build(dir: &Path, app: &AppSpec) -> anyhow::Result<PathBuf> {
    let project_file = dir.join(PROJECT_FILE);
    let terminal = std::io::stderr().is_terminal();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The compiler's diagnostics in colour where arte's own output would be (`output.rs`).
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut command = Command::new(cargo);
    command.arg("build").arg("--message-format").arg(if color {
        "json-diagnostic-rendered-ansi"
    } else {
        "json"
    });
    // On a terminal the first build shows cargo's progress; piped, only what went wrong.
    if !terminal {
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
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|error| {
        anyhow!(
            "cannot run `cargo build --package {}` for the application that `{}` names: {error}; is cargo on the PATH?",
            app.package,
            project_file.display()
        )
    })?;
    let relay = child
        .stderr
        .take()
        .map(|stderr| std::thread::spawn(move || relay(stderr)));
    let mut built = Built::default();
    if let Some(stdout) = child.stdout.take() {
        let mut stdout = BufReader::new(stdout);
        for line in stdout.by_ref().split(b'\n') {
            let Ok(line) = line else { break };
            built.read(&String::from_utf8_lossy(&line));
        }
        // Drained to the end whatever happened, so that cargo is never left waiting.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    }
    let status = child.wait();
    let report = relay
        .and_then(|relay| relay.join().ok())
        .unwrap_or_default();
    match status {
        Ok(status) if status.success() => {
            // Nothing of cargo's is lost: what looked like an error was not one.
            for line in &report {
                eprintln!("{line}");
            }
            built.binary(&project_file, app)
        }
        Ok(status) => Err(Usage(refusal(&project_file, app, &built, &report, status)).into()),
        Err(error) => Err(anyhow!(
            "cargo, building the application that `{}` names, cannot be waited for: {error}",
            project_file.display()
        )),
    }
}

/// Passes cargo's stderr through, line by line, up to its first error; returns the lines
/// from there on, for the refusal.
fn relay(stderr: impl Read) -> Vec<String> {
    let mut report = Vec::new();
    let mut stderr = BufReader::new(stderr);
    for line in stderr.by_ref().split(b'\n') {
        let Ok(line) = line else { break };
        let line = String::from_utf8_lossy(&line).trim_end().to_owned();
        if report.is_empty() && !line.starts_with("error") {
            eprintln!("{line}");
        } else {
            report.push(line);
        }
    }
    let _ = std::io::copy(&mut stderr, &mut std::io::sink());
    report
}

/// What `cargo build --message-format json` said on stdout.
#[derive(Debug, Default)]
struct Built {
    /// The binaries of the package: name, path, and the package's manifest.
    binaries: Vec<(String, PathBuf, PathBuf)>,
    /// Whether the compiler refused code.
    compile_errors: bool,
}

impl Built {
    /// Reads one line of cargo's stdout: the compiler's diagnostics go to stderr as the
    /// compiler renders them, and the binaries built are kept.
    fn read(&mut self, line: &str) {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            // Not cargo's JSON: not the command's output either, which stdout is for.
            if !line.trim().is_empty() {
                eprintln!("{line}");
            }
            return;
        };
        match message["reason"].as_str() {
            Some("compiler-message") => {
                if let Some(rendered) = message["message"]["rendered"].as_str() {
                    eprint!("{rendered}");
                }
                self.compile_errors |= message["message"]["level"] == "error";
            }
            Some("compiler-artifact") => {
                let bin = message["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"));
                let name = message["target"]["name"].as_str();
                let path = message["executable"].as_str();
                let manifest = message["manifest_path"].as_str().unwrap_or_default();
                if let (true, Some(name), Some(path)) = (bin, name, path) {
                    self.binaries
                        .push((name.to_owned(), path.into(), manifest.into()));
                }
            }
            _ => {}
        }
    }

    /// The binary to run: the one `[app] bin` names, the package's only one, or its
    /// `default-run`, as `cargo run` would choose.
    fn binary(mut self, project_file: &Path, app: &AppSpec) -> anyhow::Result<PathBuf> {
        if let Some(bin) = &app.bin {
            self.binaries.retain(|(name, _, _)| name == bin);
        }
        self.binaries.dedup_by(|a, b| a.1 == b.1);
        if let [(_, path, _)] = self.binaries.as_slice() {
            return Ok(path.clone());
        }
        let Some((_, _, manifest)) = self.binaries.first() else {
            return Err(Usage(format!(
                "the package `{}` that `{}` names (`[app] package`) has no binary to run; add `src/bin/arte.rs` with `fn main() {{ arte_cli::main() }}` to it (`arte init` writes it), or name the package that has one",
                app.package,
                project_file.display()
            ))
            .into());
        };
        if let Some(default) = default_run(manifest)
            && let Some((_, path, _)) = self.binaries.iter().find(|(name, _, _)| *name == default)
        {
            return Ok(path.clone());
        }
        let names: Vec<String> = self
            .binaries
            .iter()
            .map(|(name, _, _)| format!("`{name}`"))
            .collect();
        Err(Usage(format!(
            "the package `{}` that `{}` names has several binaries ({}); say which one calls `arte_cli::main()` with `bin = \"…\"` under `[app]` in {PROJECT_FILE}",
            app.package,
            project_file.display(),
            names.join(", ")
        ))
        .into())
    }
}

/// The `default-run` of the package whose manifest is at `manifest`.
fn default_run(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let manifest: toml::Table = toml::from_str(&text).ok()?;
    Some(
        manifest
            .get("package")?
            .get("default-run")?
            .as_str()?
            .to_owned(),
    )
}

/// The one sentence for cargo's failure to build the application: the `[app]` setting it
/// is about, cargo's reason (its `report` on stderr), and what to do.
fn refusal(
    project_file: &Path,
    app: &AppSpec,
    built: &Built,
    report: &[String],
    status: std::process::ExitStatus,
) -> String {
    // Cargo's progress notes aside ("warning: build failed, waiting for other jobs").
    let mut lines = report
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty() && *line != "Caused by:" && !line.starts_with("warning: "));
    let mut reason = match lines.next() {
        Some(first) => first.strip_prefix("error: ").unwrap_or(first).to_owned(),
        None => format!("cargo build ended with {status}"),
    };
    let rest: Vec<&str> = lines.collect();
    if rest.len() > 3 {
        // A long report (a build script's output, say) stays as cargo wrote it, above.
        for line in report {
            eprintln!("{line}");
        }
        reason.push_str(" (cargo's whole report is above)");
    } else {
        // Each further error after a `;`, each cause after a `:`, help in parentheses.
        let mut help = Vec::new();
        for line in rest {
            if let Some(error) = line.strip_prefix("error: ") {
                reason.push_str("; ");
                reason.push_str(error);
            } else if let Some(text) = line
                .strip_prefix("help: ")
                .or_else(|| line.strip_prefix("note: "))
            {
                help.push(text);
            } else {
                reason.push_str(": ");
                reason.push_str(line);
            }
        }
        if !help.is_empty() {
            reason.push_str(&format!(" ({})", help.join("; ")));
        }
    }
    let package = format!("package = \"{}\"", app.package);
    let (setting, fix) = match &app.bin {
        _ if built.compile_errors => (
            package,
            "fix the errors the compiler shows above".to_owned(),
        ),
        Some(bin) if reason.contains("bin target") && reason.contains(&format!("`{bin}`")) => (
            format!("bin = \"{bin}\""),
            format!("fix `bin` under `[app]` in {PROJECT_FILE}"),
        ),
        _ if reason.contains(&format!("`{}`", app.package)) => (
            package,
            format!("fix `package` under `[app]` in {PROJECT_FILE}"),
        ),
        _ => (
            package,
            format!(
                "fix what cargo says, or `[app]` in {PROJECT_FILE} if it names the wrong package"
            ),
        ),
    };
    format!(
        "cannot build the application that `{}` names (`[app] {setting}`): cargo says: {reason}; {fix}",
        project_file.display()
    )
}

/// The sentence for a command the stand-alone `arte` cannot run itself.
pub(crate) fn not_an_application() -> String {
    format!(
        "this `arte` has no migrations compiled in, and no {PROJECT_FILE} here names an application that has; run `arte init` in your application's crate, or add an {PROJECT_FILE} with `[app] package = \"your-crate\"`, or run your application's own binary (`cargo run --bin arte -- …`)"
    )
}
