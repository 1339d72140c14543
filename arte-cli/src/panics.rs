//! Panics say one line, never Rust's raw text: a migration's panic comes back from the
//! runner as an error that names the migration; any other is reported by `run_from` with
//! where it happened. Nothing is printed by the hook itself, so no backtrace and no
//! unredacted text reach the terminal, whatever `RUST_BACKTRACE` says.

use std::sync::Mutex;

static LAST: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the panic hook with one that keeps the panic's message and place, silently.
pub fn quiet() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST.lock() {
            *last = Some(format!("{message}{place}"));
        }
    }));
}

/// The last panic, as one sentence.
pub fn last() -> String {
    let what = LAST
        .lock()
        .ok()
        .and_then(|last| last.clone())
        .unwrap_or_else(|| "(no message)".to_owned());
    format!("arte stopped on an unexpected panic: {what}; nothing more was run")
}
