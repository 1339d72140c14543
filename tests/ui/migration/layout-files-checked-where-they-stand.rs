// The migration files of `ui/layout/`, seen from trybuild's crate under target/tests/.
arte_core::migrations!(
    core = "../../../../tests/ui/layout/server/migrations",
    modules = "../../../../tests/ui/layout/modules"
);

fn main() {}
