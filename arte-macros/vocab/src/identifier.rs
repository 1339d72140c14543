//! Identifiers: the names of tables, columns, indexes and constraints.
//!
//! arte accepts only plain identifiers, so that quoting alone makes a name safe on every
//! database, and refuses the rest before any SQL is written.

/// The longest identifier every supported database accepts: PostgreSQL's limit of 63
/// bytes. Identifiers are ASCII, so this is also their length in characters.
pub const MAX_IDENTIFIER: usize = 63;

/// Whether `name` is a plain identifier: ASCII letters, digits and underscores, starting
/// with a letter or an underscore, at most [`MAX_IDENTIFIER`] bytes.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= MAX_IDENTIFIER
}

// One wording for both constants below; `concat!` takes only literals.
macro_rules! characters {
    () => {
        "use letters, digits and underscores, starting with a letter or underscore"
    };
}

/// The rule in words, for messages: what a valid name looks like.
pub const IDENTIFIER_RULE: &str = concat!(characters!(), ", at most 63 characters");

/// The characters part of [`IDENTIFIER_RULE`] alone, for messages that go on with an
/// example of their own.
pub const IDENTIFIER_CHARACTERS: &str = characters!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass_and_everything_else_is_refused() {
        for ok in ["items", "_x", "a1", "Items_2", &"a".repeat(63)] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in [
            "",
            "1a",
            "a-b",
            "a b",
            "a\"b",
            "é",
            "itém",
            &"a".repeat(64),
            "a;drop table x",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn the_rule_in_words_names_the_limit() {
        assert!(IDENTIFIER_RULE.starts_with(IDENTIFIER_CHARACTERS));
        assert!(IDENTIFIER_RULE.ends_with(&format!("at most {MAX_IDENTIFIER} characters")));
    }
}
