//! Squashed history: one migration in place of the migrations up to one of them.
//!
//! `migration:squash UPTO` writes a file that builds the schema those migrations build, and
//! registers it with [`squash!`](macro@crate::squash): it is recorded under the name (and the
//! checksum) of `UPTO`, the last migration it replaces, so a database that ran them counts
//! it as applied and is not touched, and a new database runs it alone, in `UPTO`'s place.
//! The others it replaces stay known by name and checksum ("retired"): the history check
//! finds the rows a database keeps for them, they never run, and rolling one back only
//! forgets its row (the squash's own `down` undoes everything they built). Their files,
//! and `UPTO`'s, can be deleted: the squash file carries what the migrations table needs.

use crate::db::Db;
use crate::error::Result;
use crate::registry::Migration;

/// A squash as [`squash!`](macro@crate::squash) registers it.
#[derive(Debug)]
pub struct Squash {
    /// The squash itself, recorded under the name of the last migration it replaces.
    #[doc(hidden)]
    pub migration: &'static Migration,
    /// The other migrations it replaces, by name and checksum.
    #[doc(hidden)]
    pub replaces: &'static [Migration],
}

inventory::collect!(Squash);

fn nothing(_db: &mut Db) -> Result<()> {
    Ok(())
}

/// A migration a squash replaced: known by name and checksum, never run; rolling it back
/// forgets its row.
#[doc(hidden)]
pub const fn retired(
    name: &'static str,
    checksum: &'static str,
    module: Option<&'static str>,
) -> Migration {
    Migration {
        name,
        module,
        up: nothing,
        down: Some(nothing),
        file: "",
        line: 0,
        checksum,
        transaction: true,
    }
}

/// Registers a squashed history: the `up` and `down` functions beside it build and drop
/// what the migrations it replaces built. `migration:squash` writes it; see the
/// [module](mod@crate::squash) for how it is recorded.
///
/// ```standalone_crate
/// use arte_core::prelude::*;
///
/// arte_core::squash! {
///     recorded_as: ("2026_01_01_00_01_create_table_tags", "6f1c…"),
///     replaces: [("2026_01_01_00_00_create_table_items", "9a0b…")],
/// }
///
/// pub fn up(db: &mut Db) -> Result<()> {
///     db.schema().create_table("items").add_id_column().execute()?;
///     db.schema().create_table("tags").add_id_column().execute()
/// }
///
/// pub fn down(db: &mut Db) -> Result<()> {
///     db.schema().drop_table("tags").execute()?;
///     db.schema().drop_table("items").execute()
/// }
/// # fn main() -> Result<()> {
/// let registry = arte_core::Registry::collect()?;
/// let names: Vec<&str> = registry.migrations().iter().map(|m| m.name()).collect();
/// assert_eq!(names, ["2026_01_01_00_01_create_table_tags"]);
/// # Ok(())
/// # }
/// ```
#[macro_export]
macro_rules! squash {
    (
        module: $module:literal,
        recorded_as: ($name:literal, $checksum:literal $(,)?),
        replaces: [$(($old:literal, $old_checksum:literal $(,)?)),* $(,)?] $(,)?
    ) => {
        $crate::squash!(@register ::core::option::Option::Some($module), $name, $checksum, [$(($old, $old_checksum)),*]);
    };
    (
        recorded_as: ($name:literal, $checksum:literal $(,)?),
        replaces: [$(($old:literal, $old_checksum:literal $(,)?)),* $(,)?] $(,)?
    ) => {
        $crate::squash!(@register ::core::option::Option::None, $name, $checksum, [$(($old, $old_checksum)),*]);
    };
    (@register $module:expr, $name:literal, $checksum:literal, [$(($old:literal, $old_checksum:literal)),*]) => {
        const _: () = {
            static REPLACES: &[$crate::__private::MigrationDef] =
                &[$($crate::__private::retired($old, $old_checksum, $module)),*];
            static SQUASH: $crate::__private::MigrationDef = $crate::__private::MigrationDef {
                name: $name,
                module: $module,
                up,
                down: ::core::option::Option::Some(down),
                file: ::core::file!(),
                line: ::core::line!(),
                checksum: $checksum,
                transaction: true,
            };
            $crate::__private::inventory::submit! {
                $crate::__private::Squash { migration: &SQUASH, replaces: REPLACES }
            }
        };
    };
}

/// The migrations that run once squashes are applied, and each squash with the others it
/// replaces: a squash takes the place of the migration it is recorded as, and the ones it
/// replaces leave.
pub(crate) fn resolve<'a>(
    migrations: impl IntoIterator<Item = &'static Migration>,
    squashes: impl IntoIterator<Item = &'a Squash>,
) -> (
    Vec<&'static Migration>,
    Vec<(&'static Migration, &'static [Migration])>,
) {
    let squashes: Vec<(&'static Migration, &'static [Migration])> = squashes
        .into_iter()
        .map(|s| (s.migration, s.replaces))
        .collect();
    let same = |a: &Migration, b: &Migration| a.module == b.module && a.name == b.name;
    let mut active: Vec<&'static Migration> = migrations
        .into_iter()
        .filter(|m| !squashes.iter().any(|(s, _)| same(s, m)))
        .collect();
    active.extend(squashes.iter().map(|(s, _)| *s));
    active.retain(|m| {
        !squashes
            .iter()
            .flat_map(|(_, replaces)| replaces.iter())
            .any(|r| same(r, m))
    });
    (active, squashes)
}
