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

mod connection;
pub mod contract;
mod db;
mod error;
mod migrator;
mod registry;
pub mod schema;
mod url;

pub use arte_macros::{database, migration, migrations, table};
pub use connection::{AnyConnection, MultiBackend};
pub use db::Db;
pub use error::{Error, Location, Result};
pub use migrator::{
    Applied, DEFAULT_TABLE, Direction, Event, FreshReport, Listener, MigrationStatus, Migrator,
    Planned, Report, State, Step,
};
pub use registry::{CORE, Filter, Migration, MigrationFn, ProjectLayout, Registry};
pub use url::{Backend, DatabaseUrl};

/// What a migration file needs: `use arte_core::prelude::*;`.
pub mod prelude {
    pub use crate::contract::Generated;
    pub use crate::schema::{DataType, Value};
    pub use crate::{AnyConnection, Db, Error, Event, Filter, Migrator, Result, migration};
}

/// Paths the macros expand to; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::contract::query::{last_insert_id, now};
    pub use crate::contract::{ColumnContract, ColumnKind, ContractRegistration, TableContract};
    pub use crate::migrator::ListenerRegistration;
    pub use crate::registry::{Migration as MigrationDef, ProjectLayout};
    pub use chrono;
    pub use inventory;
}
