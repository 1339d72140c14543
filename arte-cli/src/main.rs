//! `arte`: the command line. In a project whose `arte.toml` names an application, it runs
//! that application's own binary, which holds the migrations.

fn main() {
    arte_cli::main()
}
