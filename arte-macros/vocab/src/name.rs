//! Names: of migrations (`YYYY_MM_DD_HH_MM_description`), of modules, and of the tables a
//! module may create.

/// The name `core` stands for the application's own migrations; no module may take it.
pub const CORE: &str = "core";

/// Why a migration name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// Not `YYYY_MM_DD_HH_MM_description` at all.
    Form,
    /// Upper-case letters anywhere.
    UpperCase,
    /// A timestamp with nothing after it.
    EmptyDescription,
    /// A description that is not snake case.
    Description,
    /// A date or time that does not exist: which part, and its value.
    Date(&'static str, u32),
}

impl NameError {
    /// What is wrong with `name`, and (after a newline, `help: …`) how to write it.
    pub fn message(&self, name: &str) -> String {
        match self {
            NameError::Form => format!(
                "migration name `{name}` must look like `YYYY_MM_DD_HH_MM_description`\n\
                 help: for example `2026_01_01_00_00_create_table_items`"
            ),
            NameError::UpperCase => format!(
                "migration name `{name}` must be lower case\n\
                 help: write `{}`",
                name.to_lowercase()
            ),
            NameError::EmptyDescription => format!(
                "migration name `{name}` needs a description after the timestamp\n\
                 help: for example `{}_create_table_items`",
                name.trim_end_matches('_')
            ),
            NameError::Description => format!(
                "the description in migration name `{name}` may only hold lower-case letters, \
                 digits and single underscores between words"
            ),
            NameError::Date(part, value) => {
                format!("migration name `{name}` has an impossible {part}: {value:02}")
            }
        }
    }
}

/// The length of a migration name's timestamp, `YYYY_MM_DD_HH_MM`.
pub const STAMP_LEN: usize = 16;

/// Checks that `name` has the form of a migration name: `YYYY_MM_DD_HH_MM_description`,
/// a real date and time, and a snake-case description.
pub fn validate_migration_name(name: &str) -> Result<(), NameError> {
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(NameError::UpperCase);
    }
    let bytes = name.as_bytes();
    // Digits at fixed places, underscores between.
    let stamp_ok = bytes.len() >= STAMP_LEN
        && bytes[..STAMP_LEN].iter().enumerate().all(|(i, b)| match i {
            4 | 7 | 10 | 13 => *b == b'_',
            _ => b.is_ascii_digit(),
        });
    if !stamp_ok {
        return Err(NameError::Form);
    }
    let number = |range: std::ops::Range<usize>| -> u32 {
        name[range]
            .bytes()
            .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let (hour, minute) = (number(11..13), number(14..16));
    if !(1..=12).contains(&month) {
        return Err(NameError::Date("month", month));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(NameError::Date("day", day));
    }
    if hour > 23 {
        return Err(NameError::Date("hour", hour));
    }
    if minute > 59 {
        return Err(NameError::Date("minute", minute));
    }
    let rest = &name[STAMP_LEN..];
    let description = match rest.strip_prefix('_') {
        Some(description) => description,
        None if rest.is_empty() => return Err(NameError::EmptyDescription),
        None => return Err(NameError::Form),
    };
    if description.is_empty() {
        return Err(NameError::EmptyDescription);
    }
    if !is_snake(description) {
        return Err(NameError::Description);
    }
    Ok(())
}

/// Snake case: `[a-z0-9]+(_[a-z0-9]+)*`.
pub fn is_snake(text: &str) -> bool {
    !text.is_empty()
        && text.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A name a person gives: snake case starting with a letter (`blog`, `create_table_items`).
/// Module names and the descriptions `migration:make` takes follow it.
pub fn is_name(text: &str) -> bool {
    is_snake(text) && text.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Why a module name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleNameError {
    /// `core`, which stands for the application's own migrations.
    Reserved,
    /// Not snake case.
    NotSnake,
    /// Snake case, but starting with a digit.
    StartsWithDigit,
}

/// Checks a module's name: snake case, starting with a letter, and not `core`.
pub fn validate_module_name(module: &str) -> Result<(), ModuleNameError> {
    if module == CORE {
        Err(ModuleNameError::Reserved)
    } else if !is_snake(module) {
        Err(ModuleNameError::NotSnake)
    } else if !is_name(module) {
        Err(ModuleNameError::StartsWithDigit)
    } else {
        Ok(())
    }
}

/// Whether `module` may name a module.
pub fn is_module_name(module: &str) -> bool {
    validate_module_name(module).is_ok()
}

/// The prefix every table of `module` carries: `blog_`.
pub fn module_prefix(module: &str) -> String {
    format!("{module}_")
}

/// Whether `module` may create (or rename a table to) `table`: its name starts with the
/// module's prefix.
pub fn table_belongs_to(module: &str, table: &str) -> bool {
    table
        .strip_prefix(module)
        .is_some_and(|rest| rest.starts_with('_'))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_names() {
        assert_eq!(
            validate_migration_name("2026_01_01_00_00_create_table_items"),
            Ok(())
        );
        assert_eq!(
            validate_migration_name("2024_02_29_23_59_leap_day2"),
            Ok(())
        );
    }

    #[test]
    fn refuses_each_kind_of_mistake() {
        let cases = [
            ("2026_1_01_00_00_x", NameError::Form),
            ("create_table_items", NameError::Form),
            ("2026_13_01_00_00_x", NameError::Date("month", 13)),
            ("2025_02_29_00_00_x", NameError::Date("day", 29)),
            ("2026_04_31_00_00_x", NameError::Date("day", 31)),
            ("2026_01_01_24_00_x", NameError::Date("hour", 24)),
            ("2026_01_01_00_60_x", NameError::Date("minute", 60)),
            ("2026_01_01_00_00_Items", NameError::UpperCase),
            ("2026_01_01_00_00", NameError::EmptyDescription),
            ("2026_01_01_00_00_", NameError::EmptyDescription),
            ("2026_01_01_00_00x", NameError::Form),
            ("2026_01_01_00_00_a__b", NameError::Description),
            ("2026_01_01_00_00_a-b", NameError::Description),
        ];
        for (name, error) in cases {
            assert_eq!(validate_migration_name(name), Err(error), "{name}");
        }
    }

    #[test]
    fn module_names_are_snake_case_from_a_letter_and_never_core() {
        assert_eq!(validate_module_name("blog"), Ok(()));
        assert_eq!(validate_module_name("two_fa2"), Ok(()));
        assert_eq!(validate_module_name("core"), Err(ModuleNameError::Reserved));
        assert_eq!(validate_module_name("Blog"), Err(ModuleNameError::NotSnake));
        assert_eq!(validate_module_name("a__b"), Err(ModuleNameError::NotSnake));
        assert_eq!(
            validate_module_name("2fa"),
            Err(ModuleNameError::StartsWithDigit)
        );
    }

    #[test]
    fn a_module_table_carries_the_prefix() {
        assert!(table_belongs_to("blog", "blog_posts"));
        assert!(!table_belongs_to("blog", "posts"));
        assert!(!table_belongs_to("blog", "blogposts"));
        assert!(!table_belongs_to("blog", "blog"));
    }
}
