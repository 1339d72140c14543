//! Where to point when an attribute sits on an item it does not take.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;

/// The item's name, where it has one (`struct Items`, `mod items`, `fn items`); else its
/// first token; else the attribute itself.
pub fn name_span(item: &TokenStream) -> Span {
    let Ok(item) = syn::parse2::<syn::Item>(item.clone()) else {
        return Span::call_site();
    };
    match &item {
        syn::Item::Struct(item) => item.ident.span(),
        syn::Item::Enum(item) => item.ident.span(),
        syn::Item::Union(item) => item.ident.span(),
        syn::Item::Fn(item) => item.sig.ident.span(),
        syn::Item::Const(item) => item.ident.span(),
        syn::Item::Static(item) => item.ident.span(),
        syn::Item::Mod(item) => item.ident.span(),
        syn::Item::Trait(item) => item.ident.span(),
        syn::Item::Type(item) => item.ident.span(),
        other => other.span(),
    }
}
