// Cargo rebuilds the fixture application when a migration file is added.
fn main() {
    println!("cargo:rerun-if-changed=fixture/server/migrations");
    println!("cargo:rerun-if-changed=fixture/modules");
}
