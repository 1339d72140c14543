//! `migration:make NAME [-m MODULE]`: writes a new migration file that compiles as it is.

use crate::Usage;
use crate::cli::Make;
use crate::output;
use anyhow::{Context, Result, anyhow};
use arte_core::{ProjectLayout, Registry};
use arte_vocab::name::{ModuleNameError, is_name, validate_module_name};
use chrono::{DateTime, Duration, NaiveDateTime, Timelike, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

const STAMP: &str = "%Y_%m_%d_%H_%M";

pub fn run(layout: Option<&ProjectLayout>, args: &Make) -> Result<()> {
    check_description(&args.name)?;
    if let Some(module) = &args.module {
        check_module(module)?;
    }
    let dir = match (&args.path, layout, &args.module) {
        (Some(path), _, _) => path.clone(),
        (None, Some(layout), Some(module)) => layout.module_dir(module),
        (None, Some(layout), None) => layout.core_dir(),
        (None, None, _) => {
            return Err(anyhow!(
                "this program knows no migrations directory; call `arte_core::migrations!();` in the crate that holds the migrations, or give `--path DIR`"
            ));
        }
    };
    let name = new_name(layout, &dir, &args.name);
    let path = dir.join(format!("{name}.rs"));
    let created_dir = !dir.is_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot create `{}` (it is never overwritten)",
                path.display()
            )
        })?;
    file.write_all(skeleton(&name, &args.name, args.module.as_deref()).as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    // Cargo rebuilds the crate that calls `migrations!()` when that file looks changed.
    if let Some(anchor) = layout.and_then(ProjectLayout::anchor)
        && let Ok(anchor) = std::fs::File::options().append(true).open(anchor)
    {
        let _ = anchor.set_modified(std::time::SystemTime::now());
    }
    let note = created_dir.then(|| format!("(created the directory `{}`)", dir.display()));
    output::created(&path, note.as_deref());
    Ok(())
}

fn check_description(name: &str) -> Result<()> {
    if !is_name(name) {
        return Err(Usage(format!(
            "migration name `{name}` must be snake case (lower-case letters, digits, single underscores, starting with a letter), for example `create_table_items`; nothing was written"
        ))
        .into());
    }
    Ok(())
}

/// `YYYY_MM_DD_HH_MM_<description>`, stamped as [`next_stamp`] says, for a migration to
/// be written into `dir`.
pub(super) fn new_name(layout: Option<&ProjectLayout>, dir: &Path, description: &str) -> String {
    let stamp = next_stamp(Utc::now(), &latest_stamp(layout, dir));
    format!("{}_{description}", stamp.format(STAMP))
}

pub(super) fn check_module(module: &str) -> Result<()> {
    match validate_module_name(module) {
        Ok(()) => Ok(()),
        Err(ModuleNameError::Reserved) => Err(Usage(
            "`core` is not a module; leave out `-m` to make a core migration".to_owned(),
        )
        .into()),
        Err(ModuleNameError::NotSnake | ModuleNameError::StartsWithDigit) => Err(Usage(format!(
            "module name `{module}` must be snake case, starting with a letter, for example `blog`; nothing was written"
        ))
        .into()),
    }
}

/// The newest timestamp among the project's migration files, the target directory's and
/// this program's migrations.
fn latest_stamp(layout: Option<&ProjectLayout>, target: &Path) -> Option<NaiveDateTime> {
    let mut dirs: Vec<PathBuf> = vec![target.to_path_buf()];
    if let Some(layout) = layout {
        dirs.push(layout.core_dir());
        if let Ok(entries) = std::fs::read_dir(layout.modules_dir()) {
            dirs.extend(
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path().join("migrations")),
            );
        }
    }
    let mut names: Vec<String> = Registry::collect()
        .map(|r| r.migrations().iter().map(|m| m.name().to_owned()).collect())
        .unwrap_or_default();
    for dir in dirs {
        names.extend(file_names(&dir));
    }
    names.iter().filter_map(|name| parse_stamp(name)).max()
}

fn file_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_stamp(name: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(name.get(..16)?, STAMP).ok()
}

/// Now, to the minute; or a minute after the newest existing migration, so that names
/// always sort in the order they were made.
fn next_stamp(now: DateTime<Utc>, latest: &Option<NaiveDateTime>) -> NaiveDateTime {
    let now = now
        .naive_utc()
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or_else(|| now.naive_utc());
    match latest {
        Some(latest) if *latest >= now => *latest + Duration::minutes(1),
        _ => now,
    }
}

/// `create_table_items` and `create_items_table` name the table they create.
fn created_table(description: &str) -> Option<&str> {
    description
        .strip_prefix("create_table_")
        .or_else(|| description.strip_prefix("create_")?.strip_suffix("_table"))
        .filter(|t| !t.is_empty())
}

fn skeleton(name: &str, description: &str, module: Option<&str>) -> String {
    let attribute = match module {
        Some(module) => format!("#[migration(\"{name}\", module = \"{module}\")]"),
        None => format!("#[migration(\"{name}\")]"),
    };
    match created_table(description) {
        Some(table) => {
            let table = match module {
                Some(module) if !table.starts_with(&format!("{module}_")) => {
                    format!("{module}_{table}")
                }
                _ => table.to_owned(),
            };
            format!(
                r#"use arte_core::prelude::*;

const TABLE: &str = "{table}";

{attribute}
pub fn up(db: &mut Db) -> Result<()> {{
    db.schema()
        .create_table(TABLE)
        .add_id_column()
        .add_timestamp_columns()
        .execute()
}}

pub fn down(db: &mut Db) -> Result<()> {{
    db.schema().drop_table(TABLE).execute()
}}
"#
            )
        }
        None => format!(
            r#"use arte_core::prelude::*;

{attribute}
pub fn up(db: &mut Db) -> Result<()> {{
    // Change the schema here, for example:
    // db.schema().create_table("items").add_id_column().execute()?;
    let _ = db;
    Ok(())
}}

pub fn down(db: &mut Db) -> Result<()> {{
    // Undo what `up` did.
    let _ = db;
    Ok(())
}}
"#
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid test date")
    }

    #[test]
    fn stamps_are_the_current_minute_when_nothing_is_newer() {
        let stamp = next_stamp(
            at(2026, 11, 26, 10, 30, 45),
            &parse_stamp("2026_01_01_00_00_a"),
        );
        assert_eq!(stamp.format(STAMP).to_string(), "2026_11_26_10_30");
    }

    #[test]
    fn a_second_migration_in_the_same_minute_sorts_after_the_first() {
        let stamp = next_stamp(
            at(2026, 12, 31, 23, 59, 5),
            &parse_stamp("2026_12_31_23_59_z"),
        );
        assert_eq!(stamp.format(STAMP).to_string(), "2027_01_01_00_00");
    }

    #[test]
    fn table_names_come_from_create_names() {
        assert_eq!(created_table("create_table_items"), Some("items"));
        assert_eq!(created_table("create_items_table"), Some("items"));
        assert_eq!(created_table("add_price_to_items"), None);
    }

    #[test]
    fn module_skeletons_carry_the_prefix() {
        let text = skeleton(
            "2026_01_01_00_00_create_table_posts",
            "create_table_posts",
            Some("blog"),
        );
        assert!(text.contains("const TABLE: &str = \"blog_posts\";"));
        assert!(text.contains("module = \"blog\""));
    }
}
