//! Helpers the end-to-end suites share: scratch directories and SQLite files of their own.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A directory of its own for one test, removed when dropped.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// A new empty directory under the system's temporary directory.
    pub fn new(label: &str) -> Scratch {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "arte-{label}-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        if let Err(error) = std::fs::create_dir_all(&path) {
            panic!("cannot create scratch directory {}: {error}", path.display());
        }
        Scratch { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside it.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// `sqlite://<dir>/<name>`, a database file of this test's own.
    pub fn sqlite_url(&self, name: &str) -> String {
        format!("sqlite://{}", self.join(name).display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
