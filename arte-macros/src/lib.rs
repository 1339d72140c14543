//! Procedural macros of [arte](https://docs.rs/arte-core). Use them through `arte_core`, which
//! re-exports them: `use arte_core::prelude::*;`.

mod ctxt;
mod database;
mod item;
mod layout;
mod migration;
mod options;
mod scan;
#[cfg(test)]
mod snapshot;
mod table;

use proc_macro::TokenStream;

/// `#[migration("NAME")]` on a migration's `up` function; documented, with examples, as
/// `arte_core::migration`.
#[proc_macro_attribute]
pub fn migration(args: TokenStream, item: TokenStream) -> TokenStream {
    let attribute = proc_macro::Span::call_site();
    let site = migration::Site {
        file: attribute.local_file(),
        line: attribute.line(),
    };
    migration::expand(args.into(), item.into(), &site).into()
}

/// `migrations!()`: every migration file of the project compiled in; documented, with
/// examples, as `arte_core::migrations`.
#[proc_macro]
pub fn migrations(input: TokenStream) -> TokenStream {
    let anchor = proc_macro::Span::call_site().local_file();
    scan::expand(input.into(), anchor.as_deref()).into()
}

/// `#[table(name = "…")]` on a contract struct; documented, with examples, as
/// `arte_core::table`.
#[proc_macro_attribute]
pub fn table(args: TokenStream, item: TokenStream) -> TokenStream {
    table::expand(args.into(), item.into()).into()
}

/// `database!(…)`: the application's contract tables; documented, with examples, as
/// `arte_core::database`.
#[proc_macro]
pub fn database(input: TokenStream) -> TokenStream {
    database::expand(input.into()).into()
}
