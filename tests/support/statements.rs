//! The statements a connection sends, as diesel's instrumentation sees them.

use arte_core::AnyConnection;
use diesel::Connection;
use diesel::connection::InstrumentationEvent;
use std::sync::{Arc, Mutex};

/// Records the text of every statement `conn` sends from here on, without its bound values;
/// [`taken`] reads them.
pub fn record(conn: &mut AnyConnection) -> Arc<Mutex<Vec<String>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event
            && let Ok(mut seen) = sink.lock()
        {
            let text = query.to_string();
            // The statement without its bound values.
            let text = text
                .split(" -- binds:")
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            seen.push(text);
        }
    });
    seen
}

/// The statements recorded since the last call, leaving none behind.
pub fn taken(seen: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    seen.lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default()
}
