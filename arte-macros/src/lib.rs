//! Procedural macros of [arte](https://docs.rs/arte-core). Use them through `arte_core`, which
//! re-exports them: `use arte_core::prelude::*;`.

mod database;
mod migration;
mod name;
mod scan;
mod table;

use proc_macro::TokenStream;

/// Registers a migration: the attribute sits on its `up` function, and the `down` function
/// beside it undoes it.
///
/// ```ignore
/// use arte_core::prelude::*;
///
/// #[migration("2026_01_01_00_00_create_table_items")]
/// pub fn up(db: &mut Db) -> Result<()> {
///     db.schema().create_table("items").add_id_column().execute()
/// }
///
/// pub fn down(db: &mut Db) -> Result<()> {
///     db.schema().drop_table("items").execute()
/// }
/// ```
///
/// Options: `module = "blog"` for a module's migration, `irreversible` for one with no
/// `down`. The name must be `YYYY_MM_DD_HH_MM_description`, a real date and time, lower case.
#[proc_macro_attribute]
pub fn migration(args: TokenStream, item: TokenStream) -> TokenStream {
    let source = proc_macro::Span::call_site().local_file();
    migration::expand(args.into(), item.into(), source.as_deref()).into()
}

/// Compiles every migration file of the project into the crate: the core directory
/// (`server/migrations` unless `core = "…"`) and each module's
/// `<modules>/<module>/migrations` (`modules` unless `modules = "…"`), relative to the
/// crate's `Cargo.toml`.
///
/// ```ignore
/// arte_core::migrations!();
/// // or
/// arte_core::migrations!(core = "db/migrations", modules = "src/modules");
/// ```
#[proc_macro]
pub fn migrations(input: TokenStream) -> TokenStream {
    let anchor = proc_macro::Span::call_site().local_file();
    scan::expand(input.into(), anchor.as_deref()).into()
}

/// Declares a table's shape, once: the contract. Generates diesel's table (`items::table`,
/// `items::name`, …), the row type (the struct itself, `Generated<T>` as `T`, plus
/// `created_at`, `updated_at` and `deleted_at` from the mixins), the insert type `NewItem`,
/// the changeset `ItemChanges`, the query layer (`create`, `find`, `update`, `query`,
/// `soft_delete`, `restore`, `force_delete`) and the metadata `contract:check` compares
/// with the database. The crate needs `diesel` as a dependency.
///
/// ```ignore
/// #[table(name = "items", timestamps, soft_delete)]
/// pub struct Item {
///     pub id: Generated<i64>,
///     pub name: String,
///     pub description: Option<String>,
/// }
/// ```
#[proc_macro_attribute]
pub fn table(args: TokenStream, item: TokenStream) -> TokenStream {
    table::expand(args.into(), item.into()).into()
}

/// Lists the application's contract tables, so that they can appear in one query.
///
/// ```ignore
/// arte_core::database!(items, users);
/// ```
#[proc_macro]
pub fn database(input: TokenStream) -> TokenStream {
    database::expand(input.into()).into()
}
