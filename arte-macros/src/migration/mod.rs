//! `#[migration("NAME", module = "…", irreversible)]`: parse, validate, expand.

mod expand;
mod parse;
mod source;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;
use std::path::Path;

use crate::ctxt::Ctxt;

/// The attribute in full, for help lines.
const FORM: &str = "#[migration(\"2026_01_01_00_00_create_table_items\")]";
/// The signature of a migration function, for help lines.
const SIGNATURE: &str = "pub fn up(db: &mut Db) -> Result<()>";

/// Entry point: `source` is the file the attribute stands in, when the compiler knows it.
pub fn expand(args: TokenStream, item: TokenStream, source: Option<&Path>) -> TokenStream {
    let cx = Ctxt::new();
    let migration = parse::migration(&cx, args, &item, source);
    if let Some(migration) = &migration {
        validate::check(&cx, migration);
    }
    match (cx.check(), migration) {
        (Ok(()), Some(migration)) => expand::expand(&migration),
        // The user's item stays, so one mistake does not bring a page of unrelated errors.
        (result, _) => {
            let errors = result.err().map(|errors| errors.to_compile_error());
            quote!(#item #errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::snapshot::assert_expansion;
    use proc_macro2::TokenStream;
    use quote::ToTokens;
    use std::path::PathBuf;

    /// Expands the `#[migration]` of a fixture file as the compiler would: the attribute's
    /// arguments, the function without the attribute, and the file.
    fn expand_fixture(file: &str) -> TokenStream {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file);
        let text = std::fs::read_to_string(&path).expect("the fixture file reads");
        let parsed = syn::parse_file(&text).expect("the fixture file parses");
        let mut up = parsed
            .items
            .into_iter()
            .find_map(|item| match item {
                syn::Item::Fn(function) if function.sig.ident == "up" => Some(function),
                _ => None,
            })
            .expect("the fixture has an `up` function");
        let at = up
            .attrs
            .iter()
            .position(|attr| attr.path().is_ident("migration"))
            .expect("`up` carries #[migration]");
        let attribute = up.attrs.remove(at);
        let args = match attribute.meta {
            syn::Meta::List(list) => list.tokens,
            _ => TokenStream::new(),
        };
        super::expand(args, up.into_token_stream(), Some(&path))
    }

    #[test]
    fn a_core_migration_registers_up_and_down() {
        assert_expansion(
            "migration_core",
            expand_fixture("fixture/server/migrations/2026_01_01_00_00_create_table_items.rs"),
        );
    }

    #[test]
    fn a_module_migration_registers_its_module() {
        assert_expansion(
            "migration_module",
            expand_fixture(
                "fixture/modules/blog/migrations/2026_01_02_00_00_create_table_blog_posts.rs",
            ),
        );
    }

    #[test]
    fn an_irreversible_migration_registers_no_down() {
        assert_expansion(
            "migration_irreversible",
            expand_fixture("fixture/server/migrations/2026_01_01_00_01_drop_table_legacy.rs"),
        );
    }
}
