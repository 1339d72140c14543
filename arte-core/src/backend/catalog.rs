//! A table as a database's catalog describes it, in arte's own terms: what the contract
//! check compares with a contract, and what `migration:make --from-contracts` starts from.
//!
//! Each backend reads its catalog into these types (`<backend>/catalog.rs`); the rules
//! that do not depend on the backend (reading a default back, comparing two types' widths)
//! live here, so that every backend reads alike.

use crate::schema::Action;
use arte_vocab::ColumnType;

/// One table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CatalogTable {
    /// The table's name.
    pub name: String,
    /// Its columns, in table order.
    pub columns: Vec<CatalogColumn>,
    /// The primary key's columns, in key order; empty when it has none.
    pub primary_key: Vec<String>,
    /// Its indexes and unique constraints, the primary key's excepted, by name.
    pub indexes: Vec<CatalogIndex>,
    /// Its foreign keys, by name.
    pub foreign_keys: Vec<CatalogForeignKey>,
}

impl CatalogTable {
    /// A table of this name with nothing in it yet.
    pub fn new(name: &str) -> CatalogTable {
        CatalogTable {
            name: name.to_owned(),
            columns: Vec::new(),
            primary_key: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        }
    }

    /// The column of this name.
    pub fn column(&self, name: &str) -> Option<&CatalogColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CatalogColumn {
    /// The column's name.
    pub name: String,
    /// The type as the catalog writes it, lower-cased.
    pub found: String,
    /// The type in arte's terms, when it is one arte writes.
    pub ty: Option<ColumnType>,
    /// Whether it accepts NULL.
    pub nullable: bool,
    /// Its default, when it has one (an auto-incrementing key has none).
    pub default: Option<CatalogDefault>,
    /// An auto-incrementing key (`add_id_column`).
    pub auto_increment: bool,
}

/// An index, unique or not.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CatalogIndex {
    /// Its name in the database (SQLite's own for the index of a unique constraint).
    pub name: String,
    /// Its columns, in key order.
    pub columns: Vec<String>,
    /// Whether it is unique.
    pub unique: bool,
    /// A unique *constraint*, which on SQLite and PostgreSQL is dropped as one
    /// (`drop_unique`), not as an index.
    pub constraint: bool,
    /// An index the database made for a foreign key by itself, which goes with it (MySQL).
    pub implicit: bool,
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CatalogForeignKey {
    /// Its name (on SQLite, which does not keep one, the conventional one).
    pub name: String,
    /// This table's columns.
    pub columns: Vec<String>,
    /// The table it points at.
    pub ref_table: String,
    /// That table's columns.
    pub ref_columns: Vec<String>,
    /// What a delete of the row it points at does.
    pub on_delete: Action,
    /// What a change of the key it points at does.
    pub on_update: Action,
}

impl CatalogForeignKey {
    /// Whether both keys point the same columns at the same columns and act alike.
    pub fn same_as(
        &self,
        other: &CatalogForeignKey,
        same_name: impl Fn(&str, &str) -> bool,
    ) -> bool {
        let all = |a: &[String], b: &[String]| {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_name(a, b))
        };
        all(&self.columns, &other.columns)
            && same_name(&self.ref_table, &other.ref_table)
            && all(&self.ref_columns, &other.ref_columns)
            && same_action(self.on_delete, other.on_delete)
            && same_action(self.on_update, other.on_update)
    }

    /// `ON DELETE CASCADE ON UPDATE RESTRICT`, or `no actions`, for messages.
    pub fn actions(&self) -> String {
        let mut parts = Vec::new();
        if !same_action(self.on_delete, Action::NoAction) {
            parts.push(format!("ON DELETE {}", self.on_delete.sql()));
        }
        if !same_action(self.on_update, Action::NoAction) {
            parts.push(format!("ON UPDATE {}", self.on_update.sql()));
        }
        if parts.is_empty() {
            "no actions".to_owned()
        } else {
            parts.join(" ")
        }
    }
}

/// `RESTRICT` and `NO ACTION` differ only in when the database checks, and MySQL reports
/// a key without an action as `RESTRICT`: they count as one.
pub(crate) fn same_action(a: Action, b: Action) -> bool {
    let plain = |action| matches!(action, Action::NoAction | Action::Restrict);
    a == b || plain(a) && plain(b)
}

/// A column's default in arte's terms: what a default written by the schema builder reads
/// back as, on any database.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CatalogDefault {
    /// A number, in its shortest form: `12.5` for `12.50`, `-1` for `'-1'::integer`.
    Number(String),
    /// `true` or `false` (a boolean column's `1` and `0` too).
    Bool(bool),
    /// A string literal, unquoted.
    Text(String),
    /// An SQL expression, as the database writes it: `CURRENT_TIMESTAMP`.
    Expression(String),
}

impl CatalogDefault {
    /// Whether two defaults say the same: expressions compare without case, spaces and a
    /// trailing `()` (`current_timestamp()` is `CURRENT_TIMESTAMP`).
    pub fn same_as(&self, other: &CatalogDefault) -> bool {
        match (self, other) {
            (CatalogDefault::Expression(a), CatalogDefault::Expression(b)) => {
                expression_key(a) == expression_key(b)
            }
            _ => self == other,
        }
    }

    /// The default as SQL, for messages: `0`, `'new'`, `CURRENT_TIMESTAMP`.
    pub fn sql(&self) -> String {
        match self {
            CatalogDefault::Number(n) => n.clone(),
            CatalogDefault::Bool(b) => b.to_string(),
            CatalogDefault::Text(text) => format!("'{}'", text.replace('\'', "''")),
            CatalogDefault::Expression(sql) => sql.clone(),
        }
    }
}

fn expression_key(sql: &str) -> String {
    let key: String = sql
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    key.strip_suffix("()").map(str::to_owned).unwrap_or(key)
}

/// Reads a default as a catalog reports it, for a column of type `ty`: PostgreSQL's casts
/// (`'new'::character varying`), MySQL's `current_timestamp()` and quoted literals, and
/// SQLite's text as written. `NULL` is no default.
pub(crate) fn parse_default(text: &str, ty: Option<ColumnType>) -> Option<CatalogDefault> {
    let mut text = text.trim();
    // Parentheses around the whole, and PostgreSQL's casts after it.
    loop {
        let before = text;
        if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')'))
            && balanced(inner)
        {
            text = inner.trim();
        }
        if let Some(at) = cast_at(text) {
            text = text[..at].trim();
        }
        if text == before {
            break;
        }
    }
    if text.is_empty() || text.eq_ignore_ascii_case("null") {
        return None;
    }
    let boolean = matches!(ty, Some(ColumnType::Boolean));
    let numeric = matches!(
        ty,
        Some(
            ColumnType::SmallInt
                | ColumnType::Integer
                | ColumnType::BigInt
                | ColumnType::Decimal(..)
                | ColumnType::Real
                | ColumnType::Double
        )
    );
    let literal = |value: &str| -> Option<CatalogDefault> {
        if boolean {
            match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "t" => return Some(CatalogDefault::Bool(true)),
                "0" | "false" | "f" => return Some(CatalogDefault::Bool(false)),
                _ => {}
            }
        }
        number(value).map(CatalogDefault::Number)
    };
    if let Some(quoted) = unquote(text) {
        if (boolean || numeric)
            && let Some(value) = literal(&quoted)
        {
            return Some(value);
        }
        return Some(CatalogDefault::Text(quoted));
    }
    if let Some(value) = literal(text) {
        return Some(value);
    }
    match text.to_ascii_lowercase().as_str() {
        "true" => Some(CatalogDefault::Bool(true)),
        "false" => Some(CatalogDefault::Bool(false)),
        _ => Some(CatalogDefault::Expression(text.to_owned())),
    }
}

/// Where a trailing `::type` cast starts, outside quotes.
fn cast_at(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut last = None;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b':' if !quoted && bytes.get(i + 1) == Some(&b':') && i > 0 && bytes[i - 1] != b':' => {
                last = Some(i)
            }
            _ => {}
        }
    }
    let at = last?;
    // Only a type name after it: letters, digits, spaces, parentheses and commas.
    text[at + 2..]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _(),[]\"".contains(c))
        .then_some(at)
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !quoted
}

/// `'it''s'` as `it's`; `None` unless the whole is one quoted string.
fn unquote(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside, quotes come doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// A decimal number in its shortest form (`12.50` is `12.5`, `+1` is `1`, `-0` is `0`);
/// `None` for anything else.
pub(crate) fn number(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let magnitude = if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    };
    Some(if negative && magnitude != "0" {
        format!("-{magnitude}")
    } else {
        magnitude
    })
}

/// How the database's type compares with the type a contract declares, for two types of
/// one family (text, or exact numbers) that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    /// The database's column cannot hold every value the contract's can.
    Narrower,
    /// It holds more than the contract's.
    Wider,
    /// Neither: another type altogether.
    Other,
}

/// Compares the database's type `found` with the contract's `declared`.
pub(crate) fn width(declared: ColumnType, found: ColumnType) -> Width {
    let text = |ty| match ty {
        ColumnType::Text => Some(u32::MAX),
        ColumnType::Varchar(n) => Some(n),
        _ => None,
    };
    if let (Some(declared), Some(found)) = (text(declared), text(found)) {
        return if found < declared {
            Width::Narrower
        } else {
            Width::Wider
        };
    }
    if let (ColumnType::Decimal(dp, ds), ColumnType::Decimal(fp, fs)) = (declared, found) {
        let (d_whole, f_whole) = (dp.saturating_sub(ds), fp.saturating_sub(fs));
        return if f_whole >= d_whole && fs >= ds {
            Width::Wider
        } else if f_whole <= d_whole && fs <= ds {
            Width::Narrower
        } else {
            Width::Other
        };
    }
    Width::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, ty: ColumnType) -> Option<CatalogDefault> {
        parse_default(text, Some(ty))
    }

    #[test]
    fn defaults_read_back_alike_from_every_catalog() {
        use CatalogDefault::*;
        let cases: &[(&str, ColumnType, Option<CatalogDefault>)] = &[
            // PostgreSQL
            (
                "'-1'::integer",
                ColumnType::Integer,
                Some(Number("-1".into())),
            ),
            (
                "'x''y'::character varying",
                ColumnType::Varchar(20),
                Some(Text("x'y".into())),
            ),
            (
                "12.50",
                ColumnType::Decimal(10, 2),
                Some(Number("12.5".into())),
            ),
            (
                "'-3.5'::numeric",
                ColumnType::Decimal(10, 2),
                Some(Number("-3.5".into())),
            ),
            ("true", ColumnType::Boolean, Some(Bool(true))),
            (
                "CURRENT_TIMESTAMP",
                ColumnType::Timestamp,
                Some(Expression("CURRENT_TIMESTAMP".into())),
            ),
            ("'abc'::text", ColumnType::Text, Some(Text("abc".into()))),
            (
                "'2026-01-01'::date",
                ColumnType::Date,
                Some(Text("2026-01-01".into())),
            ),
            ("'{}'::jsonb", ColumnType::Jsonb, Some(Text("{}".into()))),
            // MySQL and MariaDB
            (
                "current_timestamp()",
                ColumnType::Timestamp,
                Some(Expression("current_timestamp()".into())),
            ),
            ("NULL", ColumnType::Text, None),
            ("'NULL'", ColumnType::Varchar(10), Some(Text("NULL".into()))),
            ("1", ColumnType::Boolean, Some(Bool(true))),
            (
                "-3.50",
                ColumnType::Decimal(10, 2),
                Some(Number("-3.5".into())),
            ),
            // SQLite
            ("0", ColumnType::Boolean, Some(Bool(false))),
            ("'it''s'", ColumnType::Text, Some(Text("it's".into()))),
            ("1.5", ColumnType::Double, Some(Number("1.5".into()))),
            (
                "(datetime('now'))",
                ColumnType::Timestamp,
                Some(Expression("datetime('now')".into())),
            ),
        ];
        for (text, ty, expected) in cases {
            assert_eq!(&read(text, *ty), expected, "{text}");
        }
        assert!(
            Expression("CURRENT_TIMESTAMP".into())
                .same_as(&Expression("current_timestamp()".into()))
        );
    }

    #[test]
    fn numbers_take_their_shortest_form() {
        for (text, shortest) in [
            ("12.50", "12.5"),
            ("+1", "1"),
            ("-0", "0"),
            ("007", "7"),
            ("0.0", "0"),
            ("-0.50", "-0.5"),
            (".5", "0.5"),
        ] {
            assert_eq!(number(text).as_deref(), Some(shortest), "{text}");
        }
        for text in ["", "-", "1e5", "abc", "1.2.3", "."] {
            assert_eq!(number(text), None, "{text}");
        }
    }

    #[test]
    fn widths_compare_lengths_and_precision() {
        use ColumnType::*;
        assert_eq!(width(Varchar(255), Varchar(100)), Width::Narrower);
        assert_eq!(width(Varchar(100), Text), Width::Wider);
        assert_eq!(width(Text, Varchar(255)), Width::Narrower);
        assert_eq!(width(Decimal(10, 2), Decimal(12, 2)), Width::Wider);
        assert_eq!(width(Decimal(10, 2), Decimal(8, 2)), Width::Narrower);
        assert_eq!(width(Decimal(10, 2), Decimal(10, 4)), Width::Other);
        assert_eq!(width(Char(2), Varchar(2)), Width::Other);
        assert_eq!(width(Json, Jsonb), Width::Other);
    }
}
