//! The application's command line: `cargo run -p arte-example -- migration:status`.

// Link the library so its migrations are registered.
use arte_example as _;

fn main() {
    arte_cli::main()
}
