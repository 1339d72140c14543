//! The checksums databases store: `#[migration]` run by the compiler, on the files in
//! `tests/checksum/`, against the values it gave when they were first pinned. A database
//! holds the checksum of each migration it ran, and one that moves for the same file makes
//! every database that ran it report the migration as edited.
//!
//! The compiler prints the tokens that are hashed, so the checksum a build stores is not the
//! one the unit tests (and the snapshots) see outside the compiler: only a real expansion, as
//! here, pins it. The values hold for the toolchain they were taken with (rustc 1.95); a
//! toolchain whose token printer differs changes them, and this test is where that shows.
//!
//! The crate stands in for `arte_core` with the few items the expansion names, and its
//! `inventory::submit!` checks the registration while the crate compiles: a checksum that
//! moved fails the build of this test at the migration's attribute, with the new checksum
//! as the message.

extern crate self as arte_core;

/// What the expansion reaches through `::arte_core::__private`.
pub mod __private {
    /// A migration as `#[migration]` registers it (the fields of arte-core's).
    #[allow(dead_code)]
    pub struct MigrationDef {
        pub name: &'static str,
        pub module: Option<&'static str>,
        pub up: fn(&mut crate::Db) -> crate::Result<()>,
        pub down: Option<fn(&mut crate::Db) -> crate::Result<()>>,
        pub file: &'static str,
        pub line: u32,
        pub checksum: &'static str,
        pub transaction: bool,
    }

    pub mod inventory {
        /// Instead of registering the migration, checks its checksum against [`PINNED`].
        ///
        /// [`PINNED`]: crate::PINNED
        macro_rules! submit {
            ($migration:expr) => {
                const _: () = $crate::check(&$migration);
            };
        }
        pub(crate) use submit;
    }
}

/// What the migration files import.
pub mod prelude {
    pub use crate::{Db, Result};
    pub use arte_macros::migration;
}

/// The database, as far as the files' builder calls go.
pub struct Db;

pub type Result<T> = std::result::Result<T, String>;

/// The schema builder's calls the files make; none of them does anything.
pub struct Schema;

/// A column, for the `|col| col` closures.
pub struct Column;

impl Db {
    pub fn schema(&mut self) -> Schema {
        Schema
    }
}

impl Schema {
    pub fn create_table(self, _table: &str) -> Self {
        self
    }
    pub fn drop_table(self, _table: &str) -> Self {
        self
    }
    pub fn add_column(self, _name: &str, _ty: &str, _col: fn(Column) -> Column) -> Self {
        self
    }
    pub fn add_id_column(self) -> Self {
        self
    }
    pub fn add_index(self, _columns: &[&str]) -> Self {
        self
    }
    pub fn execute(self) -> Result<()> {
        Ok(())
    }
}

impl Column {
    pub fn not_null(self) -> Self {
        self
    }
    pub fn default(self, _value: i64) -> Self {
        self
    }
    pub fn default_raw(self, _sql: &str) -> Self {
        self
    }
}

#[path = "checksum/2026_01_01_00_00_create_table_items.rs"]
mod create_table_items;
// As `tests/bench/build_time.sh` writes it; its checksum is the one BENCHMARKS.md shows.
#[rustfmt::skip]
#[path = "checksum/2026_01_01_00_00_create_table_t00000.rs"]
mod create_table_t00000;
#[path = "checksum/2026_01_01_00_03_crlf_and_bom.rs"]
mod crlf_and_bom;
#[path = "checksum/every_token.rs"]
mod every_token;

/// Each migration's checksum, as the compiler's expansion of `#[migration]` gave it.
const PINNED: &[(&str, &str)] = &[
    (
        "2026_01_01_00_00_create_table_items",
        "aa37055a9427fa8769bb213efd757f8c19584895ce138c73255eafefcf45af28",
    ),
    (
        "2026_01_01_00_00_create_table_t00000",
        "770ec017c65a1dc363dc4b5474cf5cdba4a5d2311e886908a907df707f7f42f8",
    ),
    (
        "2026_01_01_00_01_seed_every_token",
        "e70d8f069ff5c649106e53727efa9408130260e34243e4e550d67d41aadc947e",
    ),
    (
        "2026_01_01_00_02_inline_in_a_module",
        "e70d8f069ff5c649106e53727efa9408130260e34243e4e550d67d41aadc947e",
    ),
    (
        "2026_01_01_00_03_crlf_and_bom",
        "273ad460b0d5fc30dfa69d57de42b7c8ebf88d68b7deb54428a51b4630880647",
    ),
];

/// Fails the build unless `migration`'s checksum is the one [`PINNED`] holds for its name.
const fn check(migration: &__private::MigrationDef) {
    let mut at = 0;
    while at < PINNED.len() {
        let (name, checksum) = PINNED[at];
        if same(name, migration.name) {
            if !same(checksum, migration.checksum) {
                panic!("{}", migration.checksum);
            }
            return;
        }
        at += 1;
    }
    panic!("{}", migration.name);
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut at = 0;
    while at < a.len() {
        if a[at] != b[at] {
            return false;
        }
        at += 1;
    }
    true
}

/// The checks ran in [`check`] as the crate compiled; this one sees that the table they
/// read holds checksums.
#[test]
fn the_pinned_checksums_are_sha256_digests_in_hex() {
    for (name, checksum) in PINNED {
        assert!(
            checksum.len() == 64
                && checksum
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
            "{name}: {checksum}"
        );
    }
}
