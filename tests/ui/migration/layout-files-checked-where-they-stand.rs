// The migration files of `ui/layout/`, linked beside trybuild's crate by `tests/ui.rs`.
arte_core::migrations!(
    core = "ui-layout/server/migrations",
    modules = "ui-layout/modules"
);

fn main() {}
