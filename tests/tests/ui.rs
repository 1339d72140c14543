//! The compile errors of `#[migration]` (its arguments, its signature, the column types it
//! writes, its `down`) and `#[table]` (and of queries on a contract), and the forms they
//! accept.

#[test]
fn migration_attribute_rejects_each_mistake_at_its_tokens() {
    trybuild::TestCases::new().compile_fail("ui/migration/*.rs");
}

#[test]
fn migration_attribute_accepts_core_module_and_irreversible_migrations_known_column_types_and_any_down_in_scope()
 {
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
