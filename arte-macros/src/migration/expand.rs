//! From a checked [`Migration`] to its registration. Infallible.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::parse::Migration;
use super::source::Down;

/// The function as written, and its entry in the registry.
pub fn expand(migration: &Migration) -> TokenStream {
    let Migration {
        name,
        module,
        irreversible,
        no_transaction,
        item,
        sig,
        body: _,
        checksum,
        down: found,
        file: _,
    } = migration;
    let transaction = no_transaction.is_none();
    let up = &sig.ident;
    let up = quote_spanned!(sig.span()=> #up);
    let module = match module {
        Some(module) => quote!(::core::option::Option::Some(#module)),
        None => quote!(::core::option::Option::None),
    };
    let down = match irreversible {
        Some(_) => quote!(::core::option::Option::None),
        None => {
            let down = Ident::new("down", name.span());
            quote!(::core::option::Option::Some(#down))
        }
    };
    // Without the file, whether `down` exists is the compiler's to say: a stand-in that a
    // `down` of the user's own shadows, and that fails to compile with a clear message.
    let stand_in = (irreversible.is_none() && *found == Down::Unread).then(|| {
        quote! {
            #[allow(unused_imports, clippy::wildcard_imports)]
            use ::arte_core::__private::missing_down::*;
        }
    });
    quote! {
        #item
        #stand_in
        const _: () = {
            ::arte_core::__private::inventory::submit! {
                ::arte_core::__private::MigrationDef {
                    name: #name,
                    module: #module,
                    up: #up,
                    down: #down,
                    file: ::core::file!(),
                    line: ::core::line!(),
                    checksum: #checksum,
                    transaction: #transaction,
                }
            }
        };
    }
}
