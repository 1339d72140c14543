//! `#[migration("NAME", module = "…", irreversible)]`: parse, validate, expand.
//!
//! The attribute's tokens hold `up` alone, so it also reads the migration's file, which the
//! compiler names: for the checksum, and for the `down` beside `up` (whether there is one,
//! and the column types it writes). Where the file cannot be read, a stand-in `down` that
//! fails to compile leaves the question to the compiler.

mod checksum;
mod expand;
mod parse;
mod source;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;
pub use source::Site;

/// The attribute in full, for help lines.
const FORM: &str = "#[migration(\"2026_01_01_00_00_create_table_items\")]";
/// The signature of a migration function, for help lines.
const SIGNATURE: &str = "pub fn up(db: &mut Db) -> Result<()>";

/// Entry point: the attribute's arguments, the function it stands on, and where it stands.
pub fn expand(args: TokenStream, item: TokenStream, site: &Site) -> TokenStream {
    let cx = Ctxt::new();
    let migration = parse::migration(&cx, args, &item, site);
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
    use super::Site;
    use crate::snapshot::assert_expansion;
    use proc_macro2::TokenStream;
    use quote::ToTokens;
    use std::path::PathBuf;

    /// The attribute's arguments and the function without it, as the compiler hands them
    /// over, and the attribute's line, from the fixture `file`.
    fn fixture(file: &str) -> (TokenStream, TokenStream, Site) {
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
        let line = attribute.pound_token.span.start().line;
        let args = match attribute.meta {
            syn::Meta::List(list) => list.tokens,
            _ => TokenStream::new(),
        };
        let site = Site {
            file: Some(path),
            line,
        };
        (args, up.into_token_stream(), site)
    }

    fn expand_fixture(file: &str) -> TokenStream {
        let (args, item, site) = fixture(file);
        super::expand(args, item, &site)
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

    #[test]
    fn a_migration_without_a_transaction_says_so() {
        assert_expansion(
            "migration_no_transaction",
            expand_fixture(
                "fixture/server/migrations/2026_01_01_00_02_index_items_concurrently.rs",
            ),
        );
    }

    #[test]
    fn without_its_file_a_migration_imports_the_stand_in_down_beside_up() {
        let (args, item, _) =
            fixture("fixture/server/migrations/2026_01_01_00_00_create_table_items.rs");
        let site = Site {
            file: None,
            line: 0,
        };
        assert_expansion(
            "migration_without_its_file",
            super::expand(args, item, &site),
        );
    }
}
