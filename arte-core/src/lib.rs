//! # arte
//!
//! Code-first schema and migrations for Rust. Migrations are Rust functions registered with
//! `#[migration]`; the [`Migrator`] applies and rolls them back on SQLite (and, with their
//! features, PostgreSQL and MySQL/MariaDB), recording each in a migrations table.
//!
//! ```
//! use arte_core::prelude::*;
//!
//! #[migration("2026_01_01_00_00_create_table_items")]
//! pub fn up(db: &mut Db) -> Result<()> {
//!     db.schema()
//!         .create_table("items")
//!         .add_id_column()
//!         .add_column("name", "varchar(255)", |col| col.not_null())
//!         .add_column("description", "text", |col| col)
//!         .add_timestamp_columns()
//!         .add_soft_delete_column()
//!         .execute()
//! }
//!
//! pub fn down(db: &mut Db) -> Result<()> {
//!     db.schema().drop_table("items").execute()
//! }
//!
//! # fn main() -> Result<()> {
//! let mut migrator = Migrator::connect("sqlite::memory:")?;
//! let report = migrator.latest(&Filter::all())?;
//! assert_eq!(report.steps.len(), 1);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod backend;
pub mod config;
pub mod contract;
mod db;
mod error;
mod macro_support;
mod migrator;
mod registry;
pub mod schema;
pub mod squash;
mod url;

/// Lists the application's contract tables, so that they can appear in one query (diesel's
/// `allow_tables_to_appear_in_same_query!`), and declares `Database::TABLES`.
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
#[doc(inline)]
pub use arte_macros::database;
/// Registers a migration: the attribute sits on its `up` function, and the `down` function
/// beside it undoes it. Options: `module = "blog"` for a module's migration, `irreversible`
/// for one with no `down`. The name must be `YYYY_MM_DD_HH_MM_description`, a real date and
/// time, lower case; each mistake in the attribute or the signature is a compile error.
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
#[doc(inline)]
pub use arte_macros::migration;
/// Compiles every migration file of the project into the crate: the core directory
/// (`server/migrations` unless `core = "…"`) and each module's
/// `<modules>/<module>/migrations` (`modules` unless `modules = "…"`), relative to the
/// crate's `Cargo.toml`. A file not named like a migration, or a missing core directory,
/// is a compile error.
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
/// ```compile_fail
/// arte_core::migrations!(core = "no/such/directory");
/// # fn main() {}
/// ```
#[doc(inline)]
pub use arte_macros::migrations;
/// Declares a table's shape, once: the contract. Generates diesel's table (`items::table`,
/// `items::name`, …), the row type (the struct itself, `Generated<T>` as `T`, plus
/// `created_at`, `updated_at` and `deleted_at` from the mixins), the insert type `NewItem`,
/// the changeset `ItemChanges`, the query layer (`create`, `find`, `update`, `query`,
/// `soft_delete`, `restore`, `force_delete`) and the metadata `contract:check` compares
/// with the database. The crate needs `diesel` as a dependency; import this attribute by
/// name (`use arte_core::table;`), since diesel's prelude has a `table!` macro too.
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
#[doc(inline)]
pub use arte_macros::table;
pub use backend::{AnyConnection, Backend, MultiBackend};
pub use config::{Config, Settings};
pub use db::Db;
pub use error::{Error, Location, Result};
pub use migrator::{
    Applied, DEFAULT_LOCK_TIMEOUT, DEFAULT_TABLE, Direction, Event, FreshReport, HistoryProblem,
    Incomplete, Listener, MigrationStatus, Migrator, OutOfOrder, Planned, RepairAction,
    RepairReport, Report, State, Step,
};
pub use registry::{CORE, Filter, Migration, MigrationFn, ProjectLayout, Registry};
pub use url::DatabaseUrl;

/// What a migration file needs: `use arte_core::prelude::*;`.
pub mod prelude {
    pub use crate::contract::Generated;
    pub use crate::schema::{ColumnType, Value};
    pub use crate::{AnyConnection, Db, Error, Event, Filter, Migrator, Result, migration};
}

/// Paths the macros expand to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::contract::query::{last_insert_id, now};
    pub use crate::contract::{
        ColumnContract, ColumnKind, ColumnType, ContractDefault, ContractRegistration,
        ForeignKeyContract, IndexContract, TableContract,
    };
    #[allow(unused_imports)] // filled by the macros as they need it
    pub use crate::macro_support::*;
    pub use crate::migrator::ListenerRegistration;
    pub use crate::registry::{Migration as MigrationDef, ProjectLayout};
    pub use crate::schema::Action;
    pub use crate::squash::{Squash, retired};
    pub use chrono;
    pub use inventory;
}
