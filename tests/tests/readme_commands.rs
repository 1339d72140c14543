//! Every shell command of the README that uses this repository's binaries, run as written
//! against a scratch database: the `cargo run -p arte-…` lines of its `sh` blocks and of its
//! text, and every `$ arte …` of its transcripts (`arte` is `cargo run -p arte-cli --` in
//! this repository), in the order the README shows them. Each transcript's lines must come
//! out as shown, times and dates aside; a transcript that shows an error must fail.
//!
//! The only change to a command: a database URL of a server (`postgres://…@127.0.0.1…/app`)
//! is replaced by a scratch database of the same server, created and dropped by the test.
//! The test commands themselves (`cargo test …`) and the application commands of "Add arte
//! to your own project" (`cargo run --bin arte …`, built by `readme_app.rs`) are not run
//! here.

use arte_tests::{Scratch, workspace};
use std::process::Command;

/// A command of the README, and the output its transcript shows (none for a command
/// of an `sh` block or the text).
#[derive(Debug)]
struct Shown {
    command: String,
    output: Vec<String>,
}

fn readme_commands(readme: &str) -> Vec<Shown> {
    let mut found = Vec::new();
    let mut block: Option<String> = None;
    let mut transcript: Option<Shown> = None;
    for line in readme.lines() {
        match &block {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    block = Some(info.trim().to_owned());
                    continue;
                }
                // Commands in the text: `cargo run -p arte-…`.
                for part in line.split('`').skip(1).step_by(2) {
                    // `cargo run -p arte-cli --` alone names `arte`; it is no command.
                    if part.starts_with("cargo run -p arte-") && !part.ends_with("--") {
                        found.push(Shown {
                            command: part.to_owned(),
                            output: Vec::new(),
                        });
                    }
                }
            }
            Some(info) => {
                if line.trim_end() == "```" {
                    found.extend(transcript.take());
                    block = None;
                    continue;
                }
                if info == "sh" {
                    let command = line.split(" #").next().unwrap_or("").trim();
                    if command.starts_with("cargo run -p arte-") {
                        found.push(Shown {
                            command: command.to_owned(),
                            output: Vec::new(),
                        });
                    }
                } else if info.is_empty() {
                    if let Some(command) = line.strip_prefix("$ arte ") {
                        found.extend(transcript.take());
                        transcript = Some(Shown {
                            command: format!("cargo run -p arte-cli -- {command}"),
                            output: Vec::new(),
                        });
                    } else if let Some(shown) = transcript.as_mut() {
                        shown.output.push(line.to_owned());
                    }
                }
            }
        }
    }
    found
}

/// Times, dates and the database's name as the README cannot know them.
fn normalized(line: &str) -> String {
    if line.starts_with("Database: ") {
        return "Database: <database>".to_owned();
    }
    let mut out = String::new();
    let mut words = line.split(' ').peekable();
    while let Some(word) = words.next() {
        let is_time = word.contains('.')
            && word
                .trim_end_matches([')', '.', ','])
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '(')
            && matches!(
                words.peek(),
                Some(&"ms")
                    | Some(&"s")
                    | Some(&"ms)")
                    | Some(&"s)")
                    | Some(&"ms).")
                    | Some(&"s).")
            );
        let is_date = word.len() == 10
            && word.as_bytes().get(4) == Some(&b'-')
            && word.chars().filter(|c| *c == '-').count() == 2;
        let is_clock = word.len() == 8 && word.chars().filter(|c| *c == ':').count() == 2;
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(if is_time {
            "<time>"
        } else if is_date {
            "<date>"
        } else if is_clock {
            "<clock>"
        } else {
            word
        });
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_command_of_the_readme_runs_as_written() {
    let root = workspace();
    let readme = std::fs::read_to_string(root.join("README.md"))
        .unwrap_or_else(|e| panic!("cannot read README.md: {e}"));
    let commands = readme_commands(&readme);
    assert!(commands.len() >= 15, "{commands:#?}");
    let scratch = Scratch::new("readme-commands");
    // The transcripts are one session from an empty database; the other commands use one
    // of their own.
    let session = scratch.sqlite_url("session.sqlite");
    let others = scratch.sqlite_url("others.sqlite");
    #[cfg(feature = "postgres")]
    let postgres = arte_tests::TestDb::new(arte_tests::Kind::Postgres, "readme_commands");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for shown in &commands {
        let command = if shown
            .command
            .contains("postgres://postgres@127.0.0.1:5432/app")
        {
            #[cfg(feature = "postgres")]
            {
                shown
                    .command
                    .replace("postgres://postgres@127.0.0.1:5432/app", postgres.url())
            }
            #[cfg(not(feature = "postgres"))]
            continue;
        } else {
            shown.command.clone()
        };
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words.first(), Some(&"cargo"), "{command}");
        let output = Command::new(&cargo)
            .args(["run", "-q"])
            .args(&words[2..])
            .current_dir(&root)
            .env(
                "DATABASE_URL",
                if shown.output.is_empty() {
                    &others
                } else {
                    &session
                },
            )
            .env_remove("ARTE_MODULES")
            .env_remove("ARTE_MIGRATIONS_TABLE")
            .env_remove("APP_ENV")
            .env_remove("ARTE_ENV")
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{command}`: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let everything = format!("{stdout}{stderr}");
        let fails = shown.output.iter().any(|l| l.starts_with("error: "));
        assert_eq!(
            output.status.success(),
            !fails,
            "`{command}` exited {:?}:\n{everything}",
            output.status.code()
        );
        if command.contains("--json") {
            let value: serde_json::Value = serde_json::from_str(&stdout)
                .unwrap_or_else(|e| panic!("`{command}` printed no JSON ({e}):\n{stdout}"));
            for key in ["database", "migrations", "summary"] {
                assert!(
                    value.get(key).is_some(),
                    "`{command}`: no `{key}`:\n{stdout}"
                );
            }
            continue;
        }
        let actual: Vec<String> = everything.lines().map(normalized).collect();
        let mut from = 0;
        for line in shown.output.iter().map(|l| normalized(l)) {
            match actual[from..].iter().position(|a| *a == line) {
                Some(at) => from += at + 1,
                None => panic!(
                    "`{command}` did not print, in this order, the README's line\n  {line}\nit printed:\n{everything}"
                ),
            }
        }
    }
}
