//! The form of a migration name: `YYYY_MM_DD_HH_MM_description`.

/// Why a migration name was refused; `Display` is the compile error's text.
#[derive(Debug, PartialEq, Eq)]
pub enum NameError {
    Form,
    UpperCase,
    EmptyDescription,
    Description,
    Date(&'static str, u32),
}

impl NameError {
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

/// Checks that `name` has the form of a migration name.
pub fn validate(name: &str) -> Result<(), NameError> {
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(NameError::UpperCase);
    }
    let bytes = name.as_bytes();
    // `YYYY_MM_DD_HH_MM` is 16 bytes; digits at fixed places, underscores between.
    let stamp_ok = bytes.len() >= 16
        && bytes[..16].iter().enumerate().all(|(i, b)| match i {
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
    let rest = &name[16..];
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

/// `[a-z0-9]+(_[a-z0-9]+)*`
pub fn is_snake(text: &str) -> bool {
    !text.is_empty()
        && text.split('_').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
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
        assert_eq!(validate("2026_01_01_00_00_create_table_items"), Ok(()));
        assert_eq!(validate("2024_02_29_23_59_leap_day2"), Ok(()));
    }

    #[test]
    fn refuses_each_kind_of_mistake() {
        assert_eq!(validate("2026_1_01_00_00_x"), Err(NameError::Form));
        assert_eq!(validate("create_table_items"), Err(NameError::Form));
        assert_eq!(
            validate("2026_13_01_00_00_x"),
            Err(NameError::Date("month", 13))
        );
        assert_eq!(
            validate("2025_02_29_00_00_x"),
            Err(NameError::Date("day", 29))
        );
        assert_eq!(
            validate("2026_04_31_00_00_x"),
            Err(NameError::Date("day", 31))
        );
        assert_eq!(
            validate("2026_01_01_24_00_x"),
            Err(NameError::Date("hour", 24))
        );
        assert_eq!(
            validate("2026_01_01_00_60_x"),
            Err(NameError::Date("minute", 60))
        );
        assert_eq!(
            validate("2026_01_01_00_00_Items"),
            Err(NameError::UpperCase)
        );
        assert_eq!(
            validate("2026_01_01_00_00"),
            Err(NameError::EmptyDescription)
        );
        assert_eq!(
            validate("2026_01_01_00_00_"),
            Err(NameError::EmptyDescription)
        );
        assert_eq!(validate("2026_01_01_00_00x"), Err(NameError::Form));
        assert_eq!(
            validate("2026_01_01_00_00_a__b"),
            Err(NameError::Description)
        );
        assert_eq!(
            validate("2026_01_01_00_00_a-b"),
            Err(NameError::Description)
        );
    }
}
