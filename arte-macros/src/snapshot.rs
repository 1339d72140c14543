//! The one helper of the expansion snapshots: each macro's tests expand an input, and the
//! result, formatted, is compared with `src/snapshots/<name>.snap`, so that a change to
//! generated code shows in review.

use proc_macro2::TokenStream;

/// Formats `tokens` as a file and compares them with the snapshot `name`. Absolute paths
/// under this crate are written `$CARGO_MANIFEST_DIR`, so the snapshot holds on any checkout.
pub fn assert_expansion(name: &str, tokens: TokenStream) {
    let text = tokens.to_string();
    assert!(
        !text.contains("compile_error"),
        "{name} expanded to an error: {text}"
    );
    let file = match syn::parse2::<syn::File>(tokens) {
        Ok(file) => file,
        Err(error) => panic!("{name} did not expand to items: {error}\n{text}"),
    };
    let formatted =
        prettyplease::unparse(&file).replace(env!("CARGO_MANIFEST_DIR"), "$CARGO_MANIFEST_DIR");
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, formatted);
    });
}
