//! The checksum of a migration: a SHA-256 of its file's tokens as the compiler prints them,
//! so that formatting and comments do not change it. Databases store it, so for the same
//! file it must never move (`tests/checksum.rs` pins it as a build computes it).
//!
//! The text hashed is the one [`of_text`] makes: the compiler lexes the file, syn parses
//! it and gives the tokens back, and the compiler prints them. syn gives back most tokens
//! one by one (splitting some joined punctuation, as the `>>` that closes two generic
//! lists), and each then prints with the spacing a token that crossed the macro's bridge
//! has; but the tokens of a macro call and of an attribute's list it keeps as the compiler
//! lexed them, and those print as they were written (`clippy::all`, not `clippy :: all`).
//!
//! Every token crossing that bridge is a call into the compiler, and parsing the compiler's
//! tokens crosses it for each one: [`of_file`] gets the same text from the file as
//! proc-macro2's own lexer read it (`source.rs`), making each token the compiler's as it
//! would have crossed, and letting the compiler lex again only the text of the groups syn
//! keeps.

use proc_macro2::{Delimiter, LineColumn, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use syn::visit::{self, Visit};

/// The checksum of `file`, parsed with proc-macro2's own lexer from the migration's file;
/// `None` when it holds a construct syn keeps as raw tokens of its own choosing
/// (`Verbatim`), for which only [`of_text`] is sure to give the checksum.
pub fn of_file(file: &syn::File) -> Option<String> {
    let tokens = file.to_token_stream();
    if !proc_macro::is_available() {
        // Outside the compiler, as in unit tests, proc-macro2 prints them.
        return Some(hex_digest(&tokens.to_string()));
    }
    let kept = Kept::of(file)?;
    let tokens = kept.to_compiler(tokens)?;
    Some(hex_digest(&tokens.to_string()))
}

/// The checksum of the file's `text`, lexed by the compiler; `None` when syn cannot parse
/// it. Exact for every file, and costly; called outside the scope of `source.rs`'s own lexer.
pub fn of_text(text: &str) -> Option<String> {
    let file = syn::parse_file(text).ok()?;
    Some(hex_digest(&file.to_token_stream().to_string()))
}

/// The checksum of the function's tokens, for a migration whose file cannot be read.
pub fn of_tokens(item: &TokenStream) -> String {
    hex_digest(&item.to_string())
}

fn hex_digest(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The groups whose tokens syn keeps as they were lexed: a macro call's, an attribute's
/// list; each by where it starts and ends in the file.
#[derive(Default)]
struct Kept {
    groups: HashSet<Place>,
    verbatim: bool,
}

impl Kept {
    /// `None` when `file` holds a `Verbatim` node.
    fn of(file: &syn::File) -> Option<Kept> {
        let mut kept = Kept::default();
        kept.visit_file(file);
        (!kept.verbatim).then_some(kept)
    }

    fn keep(&mut self, span: &proc_macro2::extra::DelimSpan) {
        self.groups.insert(place(span.join()));
    }

    /// The compiler's tokens for `tokens`: made one by one, as each would have crossed the
    /// bridge, but for the kept groups, whose text the compiler lexes. `None` if the
    /// compiler does not take a token back.
    fn to_compiler(&self, tokens: TokenStream) -> Option<proc_macro::TokenStream> {
        let span = proc_macro::Span::call_site();
        let mut trees: Vec<proc_macro::TokenTree> = Vec::new();
        let mut tokens = tokens.into_iter();
        while let Some(tree) = tokens.next() {
            trees.push(match tree {
                // A negative literal of syn's (`-1` in a pattern): proc-macro2 stores it as a
                // `-` spanning the whole literal and the literal without its sign; the
                // compiler takes it whole, and splits it as it pleases.
                TokenTree::Punct(minus)
                    if minus.as_char() == '-' && wider_than_one(minus.span()) =>
                {
                    match tokens.next() {
                        Some(TokenTree::Literal(literal)) => format!("-{literal}")
                            .parse::<proc_macro::Literal>()
                            .ok()?
                            .into(),
                        _ => return None,
                    }
                }
                TokenTree::Group(group) => {
                    let stream = if self.groups.contains(&place(group.span())) {
                        let text = group.span().source_text()?;
                        text.get(1..text.len() - 1)?.parse().ok()?
                    } else if let Some(text) = doc_comment(&group) {
                        doc_attribute(&text)?
                    } else {
                        self.to_compiler(group.stream())?
                    };
                    let delimiter = match group.delimiter() {
                        Delimiter::Parenthesis => proc_macro::Delimiter::Parenthesis,
                        Delimiter::Brace => proc_macro::Delimiter::Brace,
                        Delimiter::Bracket => proc_macro::Delimiter::Bracket,
                        Delimiter::None => proc_macro::Delimiter::None,
                    };
                    proc_macro::Group::new(delimiter, stream).into()
                }
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    match name.strip_prefix("r#") {
                        Some(raw) => proc_macro::Ident::new_raw(raw, span),
                        None => proc_macro::Ident::new(&name, span),
                    }
                    .into()
                }
                TokenTree::Punct(punct) => {
                    let spacing = match punct.spacing() {
                        Spacing::Joint => proc_macro::Spacing::Joint,
                        Spacing::Alone => proc_macro::Spacing::Alone,
                    };
                    proc_macro::Punct::new(punct.as_char(), spacing).into()
                }
                TokenTree::Literal(literal) => literal
                    .to_string()
                    .parse::<proc_macro::Literal>()
                    .ok()?
                    .into(),
            });
        }
        Some(trees.into_iter().collect())
    }
}

impl<'ast> Visit<'ast> for Kept {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.keep(mac.delimiter.span());
    }

    fn visit_meta_list(&mut self, list: &'ast syn::MetaList) {
        self.keep(list.delimiter.span());
    }

    fn visit_expr(&mut self, node: &'ast syn::Expr) {
        self.verbatim |= matches!(node, syn::Expr::Verbatim(_));
        visit::visit_expr(self, node);
    }

    fn visit_item(&mut self, node: &'ast syn::Item) {
        self.verbatim |= matches!(node, syn::Item::Verbatim(_));
        visit::visit_item(self, node);
    }

    fn visit_foreign_item(&mut self, node: &'ast syn::ForeignItem) {
        self.verbatim |= matches!(node, syn::ForeignItem::Verbatim(_));
        visit::visit_foreign_item(self, node);
    }

    fn visit_impl_item(&mut self, node: &'ast syn::ImplItem) {
        self.verbatim |= matches!(node, syn::ImplItem::Verbatim(_));
        visit::visit_impl_item(self, node);
    }

    fn visit_trait_item(&mut self, node: &'ast syn::TraitItem) {
        self.verbatim |= matches!(node, syn::TraitItem::Verbatim(_));
        visit::visit_trait_item(self, node);
    }

    fn visit_pat(&mut self, node: &'ast syn::Pat) {
        self.verbatim |= matches!(node, syn::Pat::Verbatim(_));
        visit::visit_pat(self, node);
    }

    fn visit_type(&mut self, node: &'ast syn::Type) {
        self.verbatim |= matches!(node, syn::Type::Verbatim(_));
        visit::visit_type(self, node);
    }

    fn visit_type_param_bound(&mut self, node: &'ast syn::TypeParamBound) {
        self.verbatim |= matches!(node, syn::TypeParamBound::Verbatim(_));
        visit::visit_type_param_bound(self, node);
    }
}

/// Where a span of proc-macro2's own lexer starts and ends in the file, in lines and
/// characters: as good a key as the bytes it spans, and found by a binary search over the
/// lines, where `Span::byte_range` counts the characters before it (in a macro built
/// without optimisation, as cargo builds them by default, that count was an eighth of the
/// macro's time).
type Place = (LineColumn, LineColumn);

fn place(span: Span) -> Place {
    (span.start(), span.end())
}

/// Whether `span` covers more than one character of the file.
fn wider_than_one(span: Span) -> bool {
    let (start, end) = place(span);
    end.line != start.line || end.column > start.column + 1
}

/// The text of the doc comment that `group` (`[doc = "…"]`) stands for, when it stands for
/// one. proc-macro2's lexer gives each token of a doc comment the span of the whole comment,
/// so its `=` is longer than the one character an `=` of source takes.
fn doc_comment(group: &proc_macro2::Group) -> Option<String> {
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let mut tokens = group.stream().into_iter();
    let (
        Some(TokenTree::Ident(doc)),
        Some(TokenTree::Punct(eq)),
        Some(TokenTree::Literal(text)),
        None,
    ) = (tokens.next(), tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    if doc != "doc" || eq.as_char() != '=' || !wider_than_one(eq.span()) {
        return None;
    }
    match syn::Lit::new(text) {
        syn::Lit::Str(text) => Some(text.value()),
        _ => None,
    }
}

/// `doc = "…"` as the compiler makes it of a doc comment's text: every character escaped
/// as `char::escape_debug` does (proc-macro2 leaves `'` alone, and the compiler does not).
fn doc_attribute(text: &str) -> Option<proc_macro::TokenStream> {
    let span = proc_macro::Span::call_site();
    let escaped: String = text.chars().flat_map(char::escape_debug).collect();
    let literal = format!("\"{escaped}\"")
        .parse::<proc_macro::Literal>()
        .ok()?;
    let trees: [proc_macro::TokenTree; 3] = [
        proc_macro::Ident::new("doc", span).into(),
        proc_macro::Punct::new('=', proc_macro::Spacing::Alone).into(),
        literal.into(),
    ];
    Some(trees.into_iter().collect())
}
