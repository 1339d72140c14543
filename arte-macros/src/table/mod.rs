//! `#[table(name = "…", timestamps, soft_delete)]`: parse, validate, expand.

mod ast;
mod attr;
mod expand;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let strukt = match syn::parse2::<syn::ItemStruct>(item.clone()) {
        Ok(strukt) => strukt,
        Err(_) => {
            let span = syn::parse2::<syn::Item>(item.clone())
                .map(|item| match item {
                    syn::Item::Enum(e) => e.ident.span(),
                    syn::Item::Union(u) => u.ident.span(),
                    syn::Item::Fn(f) => f.sig.ident.span(),
                    other => syn::spanned::Spanned::span(&other),
                })
                .unwrap_or_else(|_| proc_macro2::Span::call_site());
            let error = syn::Error::new(
                span,
                "#[table] goes on a struct with named fields, one per column\nhelp: `#[table(name = \"items\")] pub struct Item { pub id: Generated<i64>, pub name: String }`",
            )
            .to_compile_error();
            return quote!(#item #error);
        }
    };
    let contract =
        attr::parse_options(args).and_then(|options| validate::contract(options, &strukt));
    match contract {
        Ok(contract) => expand::expand(&contract),
        Err(error) => {
            // The struct stays, stripped of `#[column]`, so one mistake brings one error.
            let mut strukt = strukt;
            for field in strukt.fields.iter_mut() {
                field.attrs.retain(|a| !a.path().is_ident("column"));
            }
            let error = error.to_compile_error();
            quote!(#strukt #error)
        }
    }
}
