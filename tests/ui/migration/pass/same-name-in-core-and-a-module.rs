#![allow(deprecated)] // no build.rs beside this test: the warning that says to add one
// A core migration and a module's may share a name: two migrations, core's first. The
// files of `ui/layout/same-name/`, linked beside trybuild's crate by `tests/ui.rs`.
arte_core::migrations!(
    core = "ui-layout/same-name/core",
    modules = "ui-layout/same-name/modules"
);

fn main() {
    let registry = match arte_core::Registry::collect() {
        Ok(registry) => registry,
        Err(error) => panic!("{error}"),
    };
    let items: Vec<Option<&str>> = registry
        .migrations()
        .iter()
        .filter(|m| m.name() == "2026_01_01_00_00_create_table_items")
        .map(|m| m.module())
        .collect();
    assert_eq!(items, [None, Some("shop")]);
}
