//! One collector of errors for every macro (after serde's `internals/ctxt.rs`): each pass
//! reports what is wrong and goes on, and the user sees every mistake at once.

use proc_macro2::Span;
use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;

/// The errors of one macro call. [`Ctxt::check`] must be called before it drops: a
/// collector dropped unchecked is a bug of the macro, which would lose errors.
pub struct Ctxt {
    /// `None` once checked.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    /// A collector with no error yet.
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// An error covering every token of `obj`, from the first to the last.
    pub fn error_spanned_by<A: ToTokens, T: Display>(&self, obj: A, message: T) {
        self.syn_error(syn::Error::new_spanned(obj.into_token_stream(), message));
    }

    /// An error at one span: a key, a literal, the attribute itself (`Span::call_site()`).
    pub fn error_at<T: Display>(&self, span: Span, message: T) {
        self.syn_error(syn::Error::new(span, message));
    }

    /// An error syn made while parsing.
    pub fn syn_error(&self, error: syn::Error) {
        // `check` takes the collector by value, so it is never `None` here.
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(error);
        }
    }

    /// Every error gathered, combined into one in the order they were found; `Ok` when
    /// there were none.
    pub fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !std::thread::panicking() && self.errors.borrow().is_some() {
            panic!("a macro dropped its errors without checking them");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ctxt;
    use proc_macro2::Span;

    #[test]
    fn every_error_is_reported_in_the_order_found() {
        let cx = Ctxt::new();
        cx.error_at(Span::call_site(), "first");
        cx.error_spanned_by(quote::quote!(a b), "second");
        let messages: Vec<String> = cx
            .check()
            .err()
            .map(|error| error.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        assert_eq!(messages, ["first", "second"]);
    }

    #[test]
    fn no_error_checks_ok() {
        assert!(Ctxt::new().check().is_ok());
    }

    #[test]
    #[should_panic(expected = "without checking them")]
    fn an_unchecked_collector_panics() {
        let cx = Ctxt::new();
        cx.error_at(Span::call_site(), "lost");
    }
}
