//! The one helper of the expansion snapshots: each macro's tests expand an input, and the
//! result, formatted, is compared with `src/snapshots/<name>.snap`, so that a change to
//! generated code shows in review.

use proc_macro2::{Group, Literal, TokenStream, TokenTree};

/// What stands for this crate's directory in a snapshot.
const PLACEHOLDER: &str = "$CARGO_MANIFEST_DIR";

/// Formats `tokens` as a file and compares them with the snapshot `name`. Absolute paths
/// under this crate are written `$CARGO_MANIFEST_DIR`, so the snapshot holds on any checkout.
///
/// The path is replaced in the tokens' literals, before formatting: prettyplease wraps the
/// tokens of a macro call (such as `inventory::submit! { .. }`) by their printed width, so a
/// replacement in the formatted text would leave lines wrapped where the checkout's path,
/// not the placeholder, made them too long.
pub fn assert_expansion(name: &str, tokens: TokenStream) {
    let text = tokens.to_string();
    assert!(
        !text.contains("compile_error"),
        "{name} expanded to an error: {text}"
    );
    let file = match syn::parse2::<syn::File>(without_manifest_dir(tokens)) {
        Ok(file) => file,
        Err(error) => panic!("{name} did not expand to items: {error}\n{text}"),
    };
    let formatted = prettyplease::unparse(&file);
    assert!(
        !formatted.contains(env!("CARGO_MANIFEST_DIR")),
        "{name} holds this crate's directory outside a literal, where it cannot be replaced by {PLACEHOLDER}:\n{formatted}"
    );
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, formatted);
    });
}

/// `tokens` with this crate's directory, in every literal at any depth, replaced by
/// [`PLACEHOLDER`].
fn without_manifest_dir(tokens: TokenStream) -> TokenStream {
    // The directory as it reads inside a string literal's source (escaped, so that a
    // backslash of a Windows path matches too).
    let quoted = Literal::string(env!("CARGO_MANIFEST_DIR")).to_string();
    let dir = &quoted[1..quoted.len() - 1];
    replace_in(tokens, dir)
}

fn replace_in(tokens: TokenStream, dir: &str) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let mut replaced = Group::new(group.delimiter(), replace_in(group.stream(), dir));
                replaced.set_span(group.span());
                TokenTree::Group(replaced)
            }
            TokenTree::Literal(literal) => {
                let source = literal.to_string();
                if !source.contains(dir) {
                    return TokenTree::Literal(literal);
                }
                let source = source.replace(dir, PLACEHOLDER);
                let mut replaced = match source.parse::<Literal>() {
                    Ok(replaced) => replaced,
                    Err(error) => panic!("{source} does not read as a literal: {error}"),
                };
                replaced.set_span(literal.span());
                TokenTree::Literal(replaced)
            }
            other => other,
        })
        .collect()
}
