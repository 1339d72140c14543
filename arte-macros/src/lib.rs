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
/// ```standalone_crate
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
///
/// # fn main() -> Result<()> {
/// let mut migrator = Migrator::connect("sqlite::memory:")?;
/// assert_eq!(migrator.latest(&Filter::all())?.steps.len(), 1);
/// # Ok(())
/// # }
/// ```
///
/// Options: `module = "blog"` for a module's migration, `irreversible` for one with no
/// `down`. The name must be `YYYY_MM_DD_HH_MM_description`, a real date and time, lower case:
///
/// ```compile_fail
/// use arte_core::prelude::*;
///
/// #[migration("2026_13_01_00_00_create_table_items")] // there is no month 13
/// pub fn up(db: &mut Db) -> Result<()> {
///     Ok(())
/// }
///
/// pub fn down(db: &mut Db) -> Result<()> {
///     Ok(())
/// }
/// # fn main() {}
/// ```
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
/// ```standalone_crate
/// // `doc/migrations/` of this crate holds one migration, `…_create_table_notes`.
/// arte_core::migrations!(core = "doc/migrations");
///
/// # fn main() -> arte_core::Result<()> {
/// let names: Vec<&str> = arte_core::Registry::collect()?
///     .migrations()
///     .iter()
///     .map(|m| m.name())
///     .collect();
/// assert_eq!(names, ["2026_01_01_00_00_create_table_notes"]);
/// # Ok(())
/// # }
/// ```
///
/// A directory that does not exist is a compile error:
///
/// ```compile_fail
/// arte_core::migrations!(core = "no/such/directory");
/// # fn main() {}
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
/// ```standalone_crate
/// use arte_core::prelude::*;
/// use arte_core::table;
///
/// #[table(name = "items", timestamps, soft_delete)]
/// pub struct Item {
///     pub id: Generated<i64>,
///     pub name: String,
///     pub description: Option<String>,
/// }
///
/// # fn main() -> Result<()> {
/// let mut db = Db::connect("sqlite::memory:")?;
/// db.schema()
///     .create_table("items")
///     .add_id_column()
///     .add_column("name", "text", |col| col.not_null())
///     .add_column("description", "text", |col| col)
///     .add_timestamp_columns()
///     .add_soft_delete_column()
///     .execute()?;
/// let new = NewItem { name: "Notebook".into(), description: None };
/// let item = Item::create(db.connection(), &new)?;
/// assert_eq!(Item::find(db.connection(), item.id)?.map(|i| i.name), Some("Notebook".to_owned()));
/// # Ok(())
/// # }
/// ```
///
/// A column's type must be one a contract knows:
///
/// ```compile_fail
/// use arte_core::prelude::*;
/// use arte_core::table;
///
/// #[table(name = "items")]
/// pub struct Item {
///     pub id: Generated<i64>,
///     pub count: u32, // unsigned integers are not portable across the databases
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn table(args: TokenStream, item: TokenStream) -> TokenStream {
    table::expand(args.into(), item.into()).into()
}

/// Lists the application's contract tables, so that they can appear in one query.
///
/// ```standalone_crate
/// use arte_core::prelude::*;
/// use arte_core::table;
/// use diesel::prelude::*;
///
/// #[table(name = "users")]
/// pub struct User {
///     pub id: Generated<i64>,
///     pub email: String,
/// }
///
/// #[table(name = "posts")]
/// pub struct Post {
///     pub id: Generated<i64>,
///     #[column(references = "users")]
///     pub user_id: i64,
///     pub title: String,
/// }
///
/// arte_core::database!(users, posts);
///
/// // Listed together, the two tables join.
/// let query = posts::table.inner_join(users::table).select((posts::title, users::email));
/// # let _ = query;
/// assert_eq!(Database::TABLES, ["users", "posts"]);
/// ```
///
/// A table missing from the list cannot appear in a join:
///
/// ```compile_fail,E0277
/// use arte_core::prelude::*;
/// use arte_core::table;
/// use diesel::prelude::*;
///
/// #[table(name = "users")]
/// pub struct User {
///     pub id: Generated<i64>,
///     pub email: String,
/// }
///
/// #[table(name = "posts")]
/// pub struct Post {
///     pub id: Generated<i64>,
///     #[column(references = "users")]
///     pub user_id: i64,
///     pub title: String,
/// }
///
/// arte_core::database!(posts);
///
/// let query = posts::table.inner_join(users::table).select((posts::title, users::email));
/// ```
#[proc_macro]
pub fn database(input: TokenStream) -> TokenStream {
    database::expand(input.into()).into()
}
