//! The compile errors of `#[migration]` (its arguments, its signature, the column types it
//! writes, its `down`) and `#[table]` (and of queries on a contract), and the forms they
//! accept.

use std::path::Path;

#[test]
fn migration_attribute_rejects_each_mistake_at_its_tokens() {
    lay_out_the_migration_files();
    trybuild::TestCases::new().compile_fail("ui/migration/*.rs");
}

#[test]
fn migration_attribute_accepts_core_module_and_irreversible_migrations_known_column_types_and_any_down_in_scope()
 {
    lay_out_the_migration_files();
    trybuild::TestCases::new().pass("ui/migration/pass/*.rs");
}

#[test]
fn table_attribute_and_queries_reject_each_mistake_at_its_tokens() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/table/*.rs");
    // diesel's own messages list the impls of the backends compiled in: one set of
    // expectations for the default build, one for the build with every backend.
    if cfg!(not(any(feature = "postgres", feature = "mysql"))) {
        t.compile_fail("ui/table/diesel-sqlite/*.rs");
    } else if cfg!(all(feature = "postgres", feature = "mysql")) {
        t.compile_fail("ui/table/diesel-all-backends/*.rs");
    }
}

#[test]
fn table_attribute_accepts_every_type_composite_keys_renames_and_listed_joins() {
    trybuild::TestCases::new().pass("ui/table/pass/*.rs");
}

/// Links `ui/layout/` where `ui/migration/layout-files-checked-where-they-stand.rs` (and
/// `ui/migration/pass/same-name-in-core-and-a-module.rs`) names it, beside the crate trybuild builds (`<target>/tests/trybuild/arte-tests/`, against
/// which `migrations!()` resolves its paths), whatever the target directory is. The
/// macro resolves the link, so its errors name the files where they stand.
fn lay_out_the_migration_files() {
    let metadata = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run `cargo metadata`: {e}"));
    let metadata: serde_json::Value = serde_json::from_slice(&metadata.stdout)
        .unwrap_or_else(|e| panic!("`cargo metadata` printed no JSON: {e}"));
    let Some(target) = metadata["target_directory"].as_str() else {
        panic!("`cargo metadata` names no target directory: {metadata}");
    };
    let crate_dir = Path::new(target).join("tests/trybuild/arte-tests");
    std::fs::create_dir_all(&crate_dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", crate_dir.display()));
    let link = crate_dir.join("ui-layout");
    let layout = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/layout");
    if std::fs::read_link(&link).ok().as_deref() != Some(layout.as_path()) {
        let _ = std::fs::remove_file(&link);
        // Two tests lay it out, maybe at once: the link the other made is as good.
        if let Err(e) = std::os::unix::fs::symlink(&layout, &link)
            && std::fs::read_link(&link).ok().as_deref() != Some(layout.as_path())
        {
            panic!("cannot link {}: {e}", link.display());
        }
    }
}
