//! The migration's file, as the compiler names it: read again for what the attribute's own
//! tokens do not hold, its checksum and the `down` beside `up`. It is parsed once, and that
//! one parse serves every use.

use proc_macro2::TokenStream;
use std::path::PathBuf;
use syn::{Attribute, Item, ItemFn, LitStr, UseTree};

use super::checksum;
use super::parse::column_type_literals;

/// Where the attribute stands: its file, when the compiler names one, and its line.
pub struct Site {
    /// The file, when the attribute is in one the compiler can name.
    pub file: Option<PathBuf>,
    /// The line of the attribute's `#`, from 1.
    pub line: usize,
}

/// What the migration's file says of the `down` beside `up`.
#[derive(Debug, PartialEq, Eq)]
pub enum Down {
    /// A `fn down` in the same item list as `up`: the column types its body writes as
    /// literals.
    Defined(Vec<Written>),
    /// Another item named `down` there: an import by name, a `const`, a `static`.
    Declared,
    /// Nothing named `down`, and nothing that could bring one in.
    Missing,
    /// A glob import or an item macro there might bring one in: the compiler decides.
    Unknown,
    /// The file could not be read, or `up` was not found in it.
    Unread,
}

/// A string literal of the file, and its line.
#[derive(Debug, PartialEq, Eq)]
pub struct Written {
    /// The line, from 1.
    pub line: usize,
    /// The literal's value.
    pub text: String,
}

/// What the file adds to the function's tokens.
pub struct Source {
    /// A checksum of the file's tokens, or of the function's when there is no file.
    pub checksum: String,
    /// The `down` beside `up`.
    pub down: Down,
    /// The column types the file's `up` writes as literals, when the file's `up` is the
    /// function the compiler handed over (see [`as_handed_over`]); `None` otherwise.
    pub up_types: Option<Vec<String>>,
}

/// Reads the file of the attribute at `site`, which stands on the function `up` and names
/// the migration `name`; `item` is the function's tokens, for when there is no file.
pub fn read(site: &Site, name: &str, up: &str, item: &TokenStream) -> Source {
    let text = site
        .file
        .as_deref()
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map(|text| {
            // The compiler reads a file with its line ends made `\n`, and so must the lexer
            // here, for the checksum to see the text the compiler's lexer saw.
            if text.contains("\r\n") {
                text.replace("\r\n", "\n")
            } else {
                text
            }
        });
    let read = text
        .as_deref()
        .and_then(|text| read_text(text, name, up, site.line));
    match (read, text) {
        (Some(read), Some(text)) => Source {
            checksum: read
                .checksum
                .or_else(|| checksum::of_text(&text))
                .unwrap_or_else(|| checksum::of_tokens(item)),
            down: read.down,
            up_types: read.up_types,
        },
        _ => Source {
            checksum: checksum::of_tokens(item),
            down: Down::Unread,
            up_types: None,
        },
    }
}

/// What one parse of the file gives.
struct Read {
    /// `None` when the file needs [`checksum::of_text`].
    checksum: Option<String>,
    down: Down,
    up_types: Option<Vec<String>>,
}

/// What the file's `text` says; `None` when it does not parse.
fn read_text(text: &str, name: &str, up: &str, line: usize) -> Option<Read> {
    // Inside a macro, the compiler's lexer gives every token of a string it parses the
    // attribute's span, with no line of its own; proc-macro2's own lexer keeps lines. It is
    // also much cheaper: each token of the compiler's is a call across the macro's bridge.
    // Only plain values leave this scope: its tokens must not meet the compiler's.
    let _lexer = OwnLexer::force();
    let file = syn::parse_file(text).ok()?;
    let found = up_in(&file.items, name, up, line);
    Some(Read {
        checksum: checksum::of_file(&file),
        down: found.map_or(Down::Unread, |(items, _)| down_among(items)),
        up_types: found
            .and_then(|(_, function)| as_handed_over(function))
            .map(|function| {
                column_type_literals(&function.block)
                    .into_iter()
                    .map(LitStr::value)
                    .collect()
            }),
    })
}

/// The `down` in the item list that holds the function `up` whose `#[migration("name")]`
/// starts on `line`: the file's top level, or an inline `mod`.
#[cfg(test)]
fn down_beside(text: &str, name: &str, up: &str, line: usize) -> Down {
    read_text(text, name, up, line).map_or(Down::Unread, |source| source.down)
}

/// proc-macro2 set to its own lexer while this lives. `proc_macro2::fallback` is public
/// but left out of proc-macro2's docs; the trybuild tests of `down` (a line in a message,
/// a missing `down` found) fail if it ever stops doing this.
struct OwnLexer;

impl OwnLexer {
    fn force() -> OwnLexer {
        proc_macro2::fallback::force();
        OwnLexer
    }
}

impl Drop for OwnLexer {
    fn drop(&mut self) {
        // Back to the compiler's, when inside a macro (outside, as in tests, the own one stays).
        proc_macro2::fallback::unforce();
    }
}

/// Attributes that change nothing of the function they stand on before `#[migration]` sees
/// it. Any other attribute there may be a macro, expanded first, that hands `#[migration]`
/// another function than the file's.
const INERT: &[&str] = &[
    "allow",
    "cfg",
    "cold",
    "deny",
    "deprecated",
    "doc",
    "expect",
    "forbid",
    "inline",
    "must_use",
    "track_caller",
    "warn",
];

/// `function`, found in the file, when it is the function the compiler handed over: when
/// every attribute before its `#[migration]` is inert.
fn as_handed_over(function: &ItemFn) -> Option<&ItemFn> {
    let inert = |attr: &Attribute| {
        let path = attr.path();
        match path.segments.first() {
            Some(first) if path.segments.len() > 1 => {
                first.ident == "rustfmt" || first.ident == "clippy"
            }
            Some(first) => INERT.iter().any(|name| first.ident == name),
            None => false,
        }
    };
    function
        .attrs
        .iter()
        .take_while(|attr| !is_migration(attr))
        .all(inert)
        .then_some(function)
}

/// The item list holding the `up` function whose `#[migration]` names `name` on `line`,
/// and that function.
fn up_in<'a>(
    items: &'a [Item],
    name: &str,
    up: &str,
    line: usize,
) -> Option<(&'a [Item], &'a ItemFn)> {
    items.iter().find_map(|item| match item {
        Item::Fn(function) if function.sig.ident == up && names(function, name, line) => {
            Some((items, function))
        }
        Item::Mod(module) => module
            .content
            .as_ref()
            .and_then(|(_, content)| up_in(content, name, up, line)),
        _ => None,
    })
}

/// Whether `function` carries `#[migration("name", …)]` (or `#[arte_core::migration(…)]`)
/// starting on `line`.
fn names(function: &ItemFn, name: &str, line: usize) -> bool {
    function.attrs.iter().any(|attr| {
        is_migration(attr)
            && attr.pound_token.span.start().line == line
            && attr
                .parse_args_with(|input: syn::parse::ParseStream<'_>| {
                    let first: LitStr = input.parse()?;
                    input.parse::<TokenStream>()?;
                    Ok(first)
                })
                .is_ok_and(|first| first.value() == name)
    })
}

/// Whether `attr` is a `#[migration]` (or `#[arte_core::migration]`).
fn is_migration(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|s| s.ident == "migration")
}

/// What `items` hold named `down`.
fn down_among(items: &[Item]) -> Down {
    let mut unknown = false;
    for item in items {
        match item {
            Item::Fn(function) if function.sig.ident == "down" => {
                let written = column_type_literals(&function.block)
                    .into_iter()
                    .map(|lit| Written {
                        line: lit.span().start().line,
                        text: lit.value(),
                    })
                    .collect();
                return Down::Defined(written);
            }
            Item::Const(item) if item.ident == "down" => return Down::Declared,
            Item::Static(item) if item.ident == "down" => return Down::Declared,
            Item::Use(item) => match imports_down(&item.tree, &mut Vec::new()) {
                Import::Down => return Down::Declared,
                Import::Maybe => unknown = true,
                Import::Not => {}
            },
            Item::Macro(item) if !item.mac.path.is_ident("macro_rules") => unknown = true,
            Item::Verbatim(_) => unknown = true,
            _ => {}
        }
    }
    if unknown {
        Down::Unknown
    } else {
        Down::Missing
    }
}

/// Whether a `use` brings in something named `down`.
enum Import {
    Down,
    Maybe,
    Not,
}

/// Crates that have nothing named `down`: a glob import of theirs brings none in.
const WITHOUT_DOWN: &[&str] = &["arte_core", "std", "core", "alloc"];

/// What `tree` imports, `path` being the segments before it.
fn imports_down(tree: &UseTree, path: &mut Vec<String>) -> Import {
    match tree {
        UseTree::Path(segment) => {
            path.push(segment.ident.to_string());
            let import = imports_down(&segment.tree, path);
            path.pop();
            import
        }
        UseTree::Name(item) if item.ident == "down" => Import::Down,
        UseTree::Rename(item) if item.rename == "down" => Import::Down,
        UseTree::Name(_) | UseTree::Rename(_) => Import::Not,
        UseTree::Glob(_) => match path.first() {
            Some(root) if WITHOUT_DOWN.contains(&root.as_str()) => Import::Not,
            _ => Import::Maybe,
        },
        UseTree::Group(group) => {
            let mut found = Import::Not;
            for tree in &group.items {
                match imports_down(tree, path) {
                    Import::Down => return Import::Down,
                    Import::Maybe => found = Import::Maybe,
                    Import::Not => {}
                }
            }
            found
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Down, Written, down_beside};

    const NAME: &str = "2026_01_01_00_00_create_table_items";

    /// The `down` beside the `up` whose attribute is on `line` of `text`.
    fn down(text: &str, line: usize) -> Down {
        down_beside(text, NAME, "up", line)
    }

    #[test]
    fn a_down_function_beside_up_is_found_with_its_column_types_and_their_lines() {
        let text = r#"
use arte_core::prelude::*;

#[migration("2026_01_01_00_00_create_table_items")]
pub fn up(db: &mut Db) -> Result<()> { Ok(()) }

pub fn down(db: &mut Db) -> Result<()> {
    db.schema()
        .alter_table("items")
        .add_column("a", "text", |c| c)
        .change_column("b", "strng", |c| c)
        .execute()
}
"#;
        let written = |line: usize, text: &str| Written {
            line,
            text: text.to_owned(),
        };
        assert_eq!(
            down(text, 4),
            Down::Defined(vec![written(10, "text"), written(11, "strng")])
        );
    }

    #[test]
    fn a_down_imported_by_name_or_renamed_counts() {
        for import in [
            "use shared::down;",
            "use shared::{self, down};",
            "use shared::undo as down;",
            "pub use crate::shared::down;",
        ] {
            let text = format!(
                "{import}\n#[migration(\"{NAME}\")]\npub fn up(db: &mut Db) -> Result<()> {{ Ok(()) }}\n"
            );
            assert_eq!(down(&text, 2), Down::Declared, "{import}");
        }
    }

    #[test]
    fn only_the_item_list_of_up_counts() {
        let text = r#"
mod first {
    #[migration("2026_01_01_00_00_create_table_items")]
    pub fn up(db: &mut Db) -> Result<()> { Ok(()) }
    pub fn down(db: &mut Db) -> Result<()> { Ok(()) }
}
mod second {
    use arte_core::prelude::*;
    #[migration("2026_01_01_00_00_create_table_items")]
    pub fn up(db: &mut Db) -> Result<()> { Ok(()) }
}
"#;
        assert_eq!(down(text, 3), Down::Defined(Vec::new()));
        assert_eq!(down(text, 9), Down::Missing);
    }

    #[test]
    fn a_glob_import_or_an_item_macro_leaves_it_to_the_compiler() {
        for item in ["use super::*;", "use shared::{*, other};", "make_down!();"] {
            let text = format!(
                "use arte_core::prelude::*;\n{item}\n#[migration(\"{NAME}\")]\npub fn up(db: &mut Db) -> Result<()> {{ Ok(()) }}\n"
            );
            assert_eq!(down(&text, 3), Down::Unknown, "{item}");
        }
    }

    #[test]
    fn an_attribute_not_found_on_its_line_leaves_the_file_unread() {
        let text = format!(
            "#[migration(\"{NAME}\")]\npub fn up(db: &mut Db) -> Result<()> {{ Ok(()) }}\n"
        );
        assert_eq!(down(&text, 1), Down::Missing);
        assert_eq!(down(&text, 2), Down::Unread);
        assert_eq!(
            down_beside(&text, "2026_01_01_00_01_other", "up", 1),
            Down::Unread
        );
    }
}
