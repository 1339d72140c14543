//! What `migrations!()` learned of the project's files, for the `#[migration]`s in them.
//!
//! `migrations!()` expands first and brings each file in as a module; the compiler then
//! reads the file and expands its `#[migration]`, in the same process. So the module each
//! file's directory stands for is kept here, and `#[migration]` checks its `module =`
//! against it. A file no `migrations!()` brought in (a test, a doc example) is not checked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// For each migration file, `None` for the core directory, or the module whose directory
/// it is in.
static EXPECTED: Mutex<Option<HashMap<PathBuf, Option<String>>>> = Mutex::new(None);

fn key(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Remembers that the file at `path` belongs to `module` (`None`: core).
pub fn remember(path: &Path, module: Option<&str>) {
    if let Ok(mut expected) = EXPECTED.lock() {
        expected
            .get_or_insert_with(HashMap::new)
            .insert(key(path), module.map(str::to_owned));
    }
}

/// The module the file at `path` belongs to by its directory (`Some(None)`: core);
/// `None` when no `migrations!()` brought it in.
pub fn expected_module(path: &Path) -> Option<Option<String>> {
    let expected = EXPECTED.lock().ok()?;
    expected.as_ref()?.get(&key(path)).cloned()
}
