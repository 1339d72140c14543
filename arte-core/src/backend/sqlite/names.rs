//! The names of a table's constraints, which SQLite keeps only in the `CREATE TABLE` it
//! was given: `pragma_foreign_key_list` and `pragma_index_list` name none of them.

use crate::schema::conventional_name;

/// The table-level `CONSTRAINT "name" FOREIGN KEY (…)` and `CONSTRAINT "name" UNIQUE (…)`
/// of a `CREATE TABLE`, by their columns.
#[derive(Debug, Default, PartialEq)]
pub(super) struct ConstraintNames {
    foreign_keys: Vec<(Vec<String>, String)>,
    uniques: Vec<(Vec<String>, String)>,
}

impl ConstraintNames {
    /// Reads them from the table's `sql`; anything it cannot read is left out (and the
    /// constraint keeps its conventional name).
    pub(super) fn of(sql: &str) -> ConstraintNames {
        let tokens = tokens(sql);
        let mut names = ConstraintNames::default();
        let mut at = 0;
        while at < tokens.len() {
            if let Some((kind, columns, name, next)) = constraint_at(&tokens, at) {
                match kind {
                    Kind::ForeignKey => names.foreign_keys.push((columns, name)),
                    Kind::Unique => names.uniques.push((columns, name)),
                }
                at = next;
            } else {
                at += 1;
            }
        }
        names
    }

    /// The name of `table`'s foreign key over `columns`: the one it was given, or the
    /// one arte's builder gives it (by which it is dropped).
    pub(super) fn foreign_key_name(&self, table: &str, columns: &[String]) -> String {
        self.foreign_key(columns).map_or_else(
            || conventional_name(table, columns, "foreign"),
            str::to_owned,
        )
    }

    /// The name of `table`'s unique constraint over `columns`, as
    /// [`ConstraintNames::foreign_key_name`] names a foreign key.
    pub(super) fn unique_name(&self, table: &str, columns: &[String]) -> String {
        self.unique(columns).map_or_else(
            || conventional_name(table, columns, "unique"),
            str::to_owned,
        )
    }

    /// The name of the foreign key over exactly `columns`, in order, when it was given one.
    fn foreign_key(&self, columns: &[String]) -> Option<&str> {
        find(&self.foreign_keys, columns)
    }

    /// The name of the unique constraint over exactly `columns`, in order, when it was
    /// given one.
    fn unique(&self, columns: &[String]) -> Option<&str> {
        find(&self.uniques, columns)
    }
}

fn find<'a>(named: &'a [(Vec<String>, String)], columns: &[String]) -> Option<&'a str> {
    named
        .iter()
        .find(|(of, _)| {
            of.len() == columns.len()
                && of
                    .iter()
                    .zip(columns)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
        })
        .map(|(_, name)| name.as_str())
}

enum Kind {
    ForeignKey,
    Unique,
}

/// `CONSTRAINT name FOREIGN KEY ( a , b )` or `CONSTRAINT name UNIQUE ( a , b )` starting
/// at `at`: its kind, columns, name and the token after its `)`.
fn constraint_at(tokens: &[Token], at: usize) -> Option<(Kind, Vec<String>, String, usize)> {
    let word = |i: usize, w: &str| matches!(tokens.get(i), Some(Token::Word(x)) if x.eq_ignore_ascii_case(w));
    if !word(at, "CONSTRAINT") {
        return None;
    }
    let name = tokens.get(at + 1)?.name()?;
    let (kind, open) = if word(at + 2, "FOREIGN") && word(at + 3, "KEY") {
        (Kind::ForeignKey, at + 4)
    } else if word(at + 2, "UNIQUE") {
        (Kind::Unique, at + 3)
    } else {
        return None;
    };
    if tokens.get(open) != Some(&Token::Punct('(')) {
        return None;
    }
    let mut columns = Vec::new();
    let mut i = open + 1;
    loop {
        columns.push(tokens.get(i)?.name()?);
        match tokens.get(i + 1)? {
            Token::Punct(',') => i += 2,
            Token::Punct(')') => return Some((kind, columns, name, i + 2)),
            _ => return None,
        }
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    /// A bare word.
    Word(String),
    /// A quoted identifier (`"…"`, `` `…` ``, `[…]`), unquoted.
    Quoted(String),
    /// A string literal, whose text matters to no name.
    Literal,
    Punct(char),
}

impl Token {
    fn name(&self) -> Option<String> {
        match self {
            Token::Word(w) | Token::Quoted(w) => Some(w.clone()),
            _ => None,
        }
    }
}

/// SQLite's tokens, as far as names go: words, quoted identifiers, string literals (their
/// text could hold anything), punctuation; comments and blanks dropped.
fn tokens(sql: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '\'' | '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    if c == close {
                        // A doubled quote stands for one inside (not in `[…]`).
                        if close != ']' && chars.peek() == Some(&close) {
                            chars.next();
                            text.push(close);
                            continue;
                        }
                        break;
                    }
                    text.push(c);
                }
                out.push(if c == '\'' {
                    Token::Literal
                } else {
                    Token::Quoted(text)
                });
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_alphanumeric() || next == '_' || next == '$' {
                        word.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Word(word));
            }
            c => out.push(Token::Punct(c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ConstraintNames;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn named_foreign_keys_and_unique_constraints_are_found_by_their_columns() {
        let names = ConstraintNames::of(
            r#"CREATE TABLE "orders" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
               "user_id" bigint, "a" text DEFAULT 'CONSTRAINT "x" UNIQUE ("a")', b text,
               -- CONSTRAINT "commented" FOREIGN KEY ("b") REFERENCES "u" ("id")
               CONSTRAINT "orders_owner_fk" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
               CONSTRAINT [pair] UNIQUE (`a`, b),
               constraint "it""s" foreign key (b) references "users")"#,
        );
        assert_eq!(
            names.foreign_key(&cols(&["user_id"])),
            Some("orders_owner_fk")
        );
        assert_eq!(names.foreign_key(&cols(&["b"])), Some("it\"s"));
        assert_eq!(names.unique(&cols(&["a", "b"])), Some("pair"));
        assert_eq!(names.unique(&cols(&["A", "B"])), Some("pair"));
        assert_eq!(names.unique(&cols(&["b", "a"])), None);
        assert_eq!(
            names.unique(&cols(&["a"])),
            None,
            "a string literal is no constraint"
        );
    }

    #[test]
    fn a_table_without_named_constraints_names_none() {
        let names = ConstraintNames::of(
            "CREATE TABLE t (id integer PRIMARY KEY, p integer REFERENCES parent (id), u text UNIQUE)",
        );
        assert_eq!(names, ConstraintNames::default());
    }
}
