//! The migration's file, as the compiler names it: read again for what the attribute's own
//! tokens do not hold.

use proc_macro2::TokenStream;
use quote::quote;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A checksum of the migration file's tokens: formatting and comments do not change it.
/// Without the file, the function's tokens stand in.
pub fn checksum(source: Option<&Path>, item: &TokenStream) -> String {
    let tokens = source
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| syn::parse_file(&text).ok())
        .map(|file| quote!(#file).to_string())
        .unwrap_or_else(|| item.to_string());
    let digest = Sha256::digest(tokens.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}
