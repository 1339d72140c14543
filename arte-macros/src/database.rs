//! `database!(items, users, …)`: the application's tables, which may appear in one query.

use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// Entry point: the list of tables.
pub fn expand(input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let tables = parse(&cx, input);
    match cx.check() {
        Ok(()) => generate(&tables),
        Err(errors) => errors.to_compile_error(),
    }
}

/// The tables listed, in order; none when the list cannot be read (the reason is in `cx`).
fn parse(cx: &Ctxt, input: TokenStream) -> Vec<Ident> {
    match Punctuated::<Ident, Token![,]>::parse_terminated.parse2(input) {
        Ok(tables) => tables.into_iter().collect(),
        Err(error) => {
            cx.error_at(
                error.span(),
                "database! lists the application's contract tables\nhelp: `arte_core::database!(items, users);`",
            );
            Vec::new()
        }
    }
}

/// Infallible: diesel's permission for the tables to meet in one query, and `Database`.
fn generate(tables: &[Ident]) -> TokenStream {
    let names: Vec<String> = tables.iter().map(Ident::to_string).collect();
    let allow = (tables.len() > 1)
        .then(|| quote!(diesel::allow_tables_to_appear_in_same_query!(#(#tables),*);));
    quote! {
        #allow

        /// The application's tables, as `database!` declares them.
        pub struct Database;

        impl Database {
            /// The tables, in the order declared.
            pub const TABLES: &'static [&'static str] = &[#(#names),*];
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::snapshot::assert_expansion;
    use quote::quote;

    #[test]
    fn two_tables_may_appear_in_one_query() {
        assert_expansion("database_two_tables", super::expand(quote!(users, posts)));
    }

    #[test]
    fn one_table_needs_no_diesel_macro() {
        assert_expansion("database_one_table", super::expand(quote!(items)));
    }
}
