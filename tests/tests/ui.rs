//! The compile errors of `#[migration]`, and the forms it accepts.

#[test]
fn migration_attribute_rejects_each_mistake_at_its_tokens() {
    trybuild::TestCases::new().compile_fail("ui/migration/*.rs");
}

#[test]
fn migration_attribute_accepts_core_module_and_irreversible_migrations() {
    trybuild::TestCases::new().pass("ui/migration/pass/*.rs");
}
