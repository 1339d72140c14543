//! The migrations compiled into this program, collected through `inventory`.

use crate::db::Db;
use crate::error::{Error, Location, Result};
use std::collections::{BTreeSet, HashMap};

/// The signature of `up` and `down`.
pub type MigrationFn = fn(&mut Db) -> Result<()>;

/// A migration as `#[migration]` registers it.
#[derive(Debug)]
pub struct Migration {
    #[doc(hidden)]
    pub name: &'static str,
    #[doc(hidden)]
    pub module: Option<&'static str>,
    #[doc(hidden)]
    pub up: MigrationFn,
    #[doc(hidden)]
    pub down: Option<MigrationFn>,
    #[doc(hidden)]
    pub file: &'static str,
    #[doc(hidden)]
    pub line: u32,
    #[doc(hidden)]
    pub checksum: &'static str,
    #[doc(hidden)]
    pub transaction: bool,
}

inventory::collect!(Migration);

/// The name the migrations table and messages use for migrations that belong to no module.
pub const CORE: &str = "core";

impl Migration {
    /// A migration registered by hand, for [`Registry::from_migrations`]: `#[migration]` is
    /// the usual way. It has no source location and an empty checksum.
    pub const fn new(name: &'static str, up: MigrationFn, down: Option<MigrationFn>) -> Migration {
        Migration {
            name,
            module: None,
            up,
            down,
            file: "",
            line: 0,
            checksum: "",
            transaction: true,
        }
    }

    /// The same migration, run outside a transaction (as `no_transaction` says).
    pub const fn without_transaction(mut self) -> Migration {
        self.transaction = false;
        self
    }

    /// The same migration, belonging to `module`.
    pub const fn in_module(mut self, module: &'static str) -> Migration {
        self.module = Some(module);
        self
    }

    /// `YYYY_MM_DD_HH_MM_description`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The module it belongs to, `None` for core.
    pub fn module(&self) -> Option<&'static str> {
        self.module
    }

    /// The module's name, or `core`.
    pub fn module_label(&self) -> &'static str {
        self.module.unwrap_or(CORE)
    }

    /// Whether it runs in a transaction (unless marked `no_transaction`).
    pub fn in_transaction(&self) -> bool {
        self.transaction
    }

    /// Whether it has a `down`.
    pub fn is_reversible(&self) -> bool {
        self.down.is_some()
    }

    /// Where its `#[migration]` attribute stands.
    pub fn location(&self) -> Location {
        Location {
            file: self.file,
            line: self.line,
        }
    }

    /// A checksum of its file's tokens.
    pub fn checksum(&self) -> &'static str {
        self.checksum
    }
}

/// Which migrations an operation concerns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Filter {
    /// Core and every enabled module.
    #[default]
    All,
    /// Core only: the application's own migrations.
    Core,
    /// One module.
    Module(String),
}

impl Filter {
    /// Core and every enabled module.
    pub fn all() -> Filter {
        Filter::All
    }

    /// Core only: the application's own migrations.
    pub fn core() -> Filter {
        Filter::Core
    }

    /// One module.
    pub fn module(name: impl Into<String>) -> Filter {
        Filter::Module(name.into())
    }
}

/// The migrations of a program, sorted by name and checked for duplicates.
#[derive(Debug, Clone)]
pub struct Registry {
    migrations: Vec<&'static Migration>,
    /// Position in `migrations` by module (`None` for core) and name.
    index: FastMap<(Option<&'static str>, &'static str), usize>,
    /// The modules that have migrations, sorted.
    modules: Vec<&'static str>,
    /// Migrations a squash replaced, each with that squash: found by name for the history,
    /// never run.
    retired:
        FastMap<(Option<&'static str>, &'static str), (&'static Migration, &'static Migration)>,
    /// The migrations each squash replaces besides the one it is recorded as, by the
    /// squash's module and name.
    squashes: FastMap<(Option<&'static str>, &'static str), &'static [Migration]>,
}

/// A hash map keyed by the program's own migration names, looked up once per row of the
/// migrations table: with rustc's `FxHash` rather than SipHash, which guards against keys
/// chosen by an adversary and costs several times more on short strings.
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// rustc's `FxHasher`: a rotate, a xor and a multiply per word.
#[derive(Debug, Default, Clone, Copy)]
struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Registry {
    /// Every migration `#[migration]` registered in this program.
    pub fn collect() -> Result<Registry> {
        Registry::with_squashes(
            inventory::iter::<Migration>,
            inventory::iter::<crate::squash::Squash>,
        )
    }

    /// A registry of the given migrations and squashes (see [`squash!`](macro@crate::squash)):
    /// each squash takes the place of the migration it is recorded as, and the others it
    /// replaces are known by name only, never run.
    pub fn with_squashes<'a>(
        migrations: impl IntoIterator<Item = &'static Migration>,
        squashes: impl IntoIterator<Item = &'a crate::squash::Squash>,
    ) -> Result<Registry> {
        let (active, squashes) = crate::squash::resolve(migrations, squashes);
        let mut registry = Registry::from_migrations(active)?;
        for (squash, replaces) in squashes {
            registry
                .retired
                .extend(replaces.iter().map(|m| ((m.module, m.name), (m, squash))));
            registry
                .squashes
                .insert((squash.module, squash.name), replaces);
        }
        Ok(registry)
    }

    /// A registry of the given migrations only.
    pub fn from_migrations(
        migrations: impl IntoIterator<Item = &'static Migration>,
    ) -> Result<Registry> {
        let mut migrations: Vec<&'static Migration> = migrations.into_iter().collect();
        // Name order is creation order; at one name, core first, then modules by name.
        migrations.sort_by_key(|m| (m.name, m.module.is_some(), m.module, m.file, m.line));
        let mut index = FastMap::with_capacity_and_hasher(migrations.len(), Default::default());
        for (position, migration) in migrations.iter().enumerate() {
            if let Some(first) = index.insert((migration.module, migration.name), position) {
                return Err(Error::DuplicateMigration {
                    module: migration.module_label().to_owned(),
                    name: migration.name.to_owned(),
                    first: migrations[first].location(),
                    second: migration.location(),
                });
            }
        }
        let modules: BTreeSet<&'static str> = migrations.iter().filter_map(|m| m.module).collect();
        Ok(Registry {
            migrations,
            index,
            modules: modules.into_iter().collect(),
            retired: FastMap::default(),
            squashes: FastMap::default(),
        })
    }

    /// All migrations, in the order they run.
    pub fn migrations(&self) -> &[&'static Migration] {
        &self.migrations
    }

    /// The modules that have migrations, sorted.
    pub fn modules(&self) -> Vec<&'static str> {
        self.modules.clone()
    }

    /// The modules that have migrations and are in `enabled` (all of them for `None`).
    pub fn enabled_modules(&self, enabled: Option<&[String]>) -> Vec<String> {
        self.modules()
            .into_iter()
            .filter(|m| enabled.is_none_or(|list| list.iter().any(|e| e == m)))
            .map(str::to_owned)
            .collect()
    }

    /// Checks that `filter` names a known, enabled module (if any), without a database.
    pub fn check_filter(&self, filter: &Filter, enabled: Option<&[String]>) -> Result<()> {
        self.scope(filter, enabled).map(|_| ())
    }

    pub(crate) fn scope(&self, filter: &Filter, enabled: Option<&[String]>) -> Result<Scope> {
        let known: Vec<String> = self.modules().into_iter().map(str::to_owned).collect();
        let enabled = self.enabled_modules(enabled);
        match filter {
            Filter::Core => Ok(Scope::Core),
            Filter::All => Ok(Scope::All { known, enabled }),
            Filter::Module(module) if !known.contains(module) => Err(Error::UnknownModule {
                module: module.clone(),
                known,
            }),
            Filter::Module(module) if !enabled.contains(module) => Err(Error::DisabledModule {
                module: module.clone(),
                enabled,
            }),
            Filter::Module(module) => Ok(Scope::Module(module.clone())),
        }
    }

    /// The migration of `module` (`None` for core) named `name`. A migration a squash
    /// replaced counts: its row is accounted for.
    pub fn find(&self, module: Option<&str>, name: &str) -> Option<&'static Migration> {
        self.position(module, name)
            .map(|position| self.migrations[position])
            .or_else(|| self.retired.get(&(module, name)).map(|(m, _)| *m))
    }

    /// The squash that replaced the migration of `module` (`None` for core) named `name`,
    /// when a squash did (not for the one it is recorded as, which it is).
    pub(crate) fn squash_of(&self, module: Option<&str>, name: &str) -> Option<&'static Migration> {
        self.retired.get(&(module, name)).map(|(_, squash)| *squash)
    }

    /// When `migration` is a squash: the migrations it replaces besides the one it is
    /// recorded as, oldest first.
    pub(crate) fn replaced_by(&self, migration: &Migration) -> Option<&'static [Migration]> {
        self.squashes
            .get(&(migration.module, migration.name))
            .copied()
    }

    /// Where the migration of `module` (`None` for core) named `name` stands in
    /// [`Registry::migrations`]; `None` for one a squash replaced, or one not in the program.
    pub(crate) fn position(&self, module: Option<&str>, name: &str) -> Option<usize> {
        self.index.get(&(module, name)).copied()
    }
}

/// What a filter covers, resolved against the registry.
pub(crate) enum Scope {
    Core,
    All {
        known: Vec<String>,
        enabled: Vec<String>,
    },
    Module(String),
}

impl Scope {
    pub(crate) fn covers(&self, module: &str) -> bool {
        match self {
            Scope::Core => module == CORE,
            // Rows of a module no longer in code stay visible, so they show as missing.
            Scope::All { known, enabled } => {
                module == CORE
                    || enabled.iter().any(|m| m == module)
                    || !known.iter().any(|m| m == module)
            }
            Scope::Module(name) => module == name,
        }
    }
}

/// Where an application's migration files live, as `migrations!()` registers it.
#[derive(Debug)]
pub struct ProjectLayout {
    #[doc(hidden)]
    pub root: &'static str,
    #[doc(hidden)]
    pub core: &'static str,
    #[doc(hidden)]
    pub modules: &'static str,
    #[doc(hidden)]
    pub anchor: &'static str,
}

inventory::collect!(ProjectLayout);

impl ProjectLayout {
    /// The layouts registered in this program (one per crate that calls `migrations!()`).
    pub fn registered() -> Vec<&'static ProjectLayout> {
        inventory::iter::<ProjectLayout>.into_iter().collect()
    }

    /// The one layout this program registered, if any; refused when several crates call
    /// `migrations!()`.
    pub fn single() -> Result<Option<&'static ProjectLayout>> {
        match ProjectLayout::registered().as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            several => Err(Error::Config(format!(
                "this program calls `migrations!()` {} times ({}); call it once, in one crate (a binary that links the library calling it writes `use your_crate as _;`)",
                several.len(),
                several
                    .iter()
                    .map(|l| match l.anchor {
                        "" => format!("in `{}`", l.root),
                        anchor => format!("in `{anchor}`"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The crate's directory, where its `Cargo.toml` is.
    pub fn root(&self) -> &std::path::Path {
        std::path::Path::new(self.root)
    }

    /// The directory of core migrations.
    pub fn core_dir(&self) -> std::path::PathBuf {
        self.root().join(self.core)
    }

    /// The directory of `module`'s migrations.
    pub fn module_dir(&self, module: &str) -> std::path::PathBuf {
        self.root()
            .join(self.modules)
            .join(module)
            .join("migrations")
    }

    /// The directory that holds the modules.
    pub fn modules_dir(&self) -> std::path::PathBuf {
        self.root().join(self.modules)
    }

    /// The source file that calls `migrations!()`; touching it makes cargo rescan.
    pub fn anchor(&self) -> Option<&std::path::Path> {
        (!self.anchor.is_empty()).then(|| std::path::Path::new(self.anchor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nothing(_: &mut Db) -> Result<()> {
        Ok(())
    }

    const fn def(name: &'static str, module: Option<&'static str>, line: u32) -> Migration {
        Migration {
            name,
            module,
            up: nothing,
            down: None,
            file: "src/m.rs",
            line,
            checksum: "",
            transaction: true,
        }
    }

    static BLOG_A: Migration = def("2026_01_01_00_00_a", Some("blog"), 1);
    static CORE_A: Migration = def("2026_01_01_00_00_a", None, 2);
    static CORE_B: Migration = def("2026_01_01_00_00_b", None, 3);
    static SHOP_A: Migration = def("2026_01_01_00_00_a", Some("shop"), 4);
    static CORE_A_AGAIN: Migration = def("2026_01_01_00_00_a", None, 9);

    #[test]
    fn equal_names_run_core_first_then_modules_by_name() -> Result<()> {
        let registry = Registry::from_migrations([&CORE_B, &SHOP_A, &BLOG_A, &CORE_A])?;
        let order: Vec<(u32, &str)> = registry
            .migrations()
            .iter()
            .map(|m| (m.line, m.module_label()))
            .collect();
        assert_eq!(order, [(2, "core"), (1, "blog"), (4, "shop"), (3, "core")]);
        Ok(())
    }

    #[test]
    fn a_name_twice_in_one_module_is_reported_with_both_locations() {
        let error = Registry::from_migrations([&CORE_A, &BLOG_A, &CORE_A_AGAIN]).map(|_| ());
        let message = error.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            message,
            "migration `2026_01_01_00_00_a` of core is defined twice, at src/m.rs:2 and at src/m.rs:9; rename one of them"
        );
    }
}
