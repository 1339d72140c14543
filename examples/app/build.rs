// Rebuild when a migration file is added, so `migrations!()` sees it.
fn main() {
    println!("cargo:rerun-if-changed=server/migrations");
    println!("cargo:rerun-if-changed=modules");
}
