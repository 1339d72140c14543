//! What every macro's options have in common: each is given once, and an unknown one is
//! reported on its key while reading goes on.

use crate::ctxt::Ctxt;
use syn::parse::ParseStream;
use syn::{Ident, Token};

/// Stores the option `key`'s `value` in `slot`; when `slot` is already set, reports that
/// `key` is given twice.
pub fn once<T>(cx: &Ctxt, slot: &mut Option<T>, key: &Ident, value: T) {
    if slot.replace(value).is_some() {
        cx.error_at(key.span(), format!("`{key}` is given twice"));
    }
}

/// Reports the unknown option `key`, after skipping a `= value` that follows it, so that
/// the error stays on the key alone and the options after it are still read.
pub fn unknown(cx: &Ctxt, input: ParseStream<'_>, key: &Ident, message: String) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<syn::Expr>()?;
    }
    cx.error_at(key.span(), message);
    Ok(())
}
