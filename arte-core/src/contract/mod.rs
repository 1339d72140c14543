//! Contracts: each table's shape declared once as a Rust struct with `#[table]`. The
//! macro generates diesel's table, the row, insert and changeset types, the query layer
//! (`create`, `find`, `update`, soft deletes) and this metadata, registered through
//! `inventory`, with which [`check`](crate::Migrator::check_contracts) compares the code
//! with the live database.

pub mod check;
mod compare;
mod diff;
mod error;
mod generate;
mod make;
pub mod query;
mod scratch;
pub mod sql_types;
mod squash;

pub use diff::Renames;
pub use error::ContractError;
pub use make::{Generate, MigrationPlan, check_migrations, plan_migration};
pub use squash::{SquashPlan, plan_squash, squash_file_name};

use crate::error::Location;
use crate::schema::Action;

pub use arte_vocab::{ColumnKind, ColumnType};
#[cfg(feature = "decimal")]
pub use bigdecimal::BigDecimal;

/// One column of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnContract {
    /// The column's name in the database.
    pub name: &'static str,
    /// The Rust field it maps to (for mixin columns, the column's name).
    pub field: &'static str,
    /// What the Rust type says the column holds.
    pub kind: ColumnKind,
    /// The column's type: `#[column(type = "…")]`, else the kind's own
    /// ([`ColumnKind::default_type`]).
    pub ty: ColumnType,
    /// `Option<T>`: the column accepts `NULL`.
    pub nullable: bool,
    /// `Generated<T>`: the database fills it in.
    pub generated: bool,
    /// Part of the primary key.
    pub primary_key: bool,
    /// `#[column(default = …)]` or `#[column(default_raw = "…")]`.
    pub default: Option<ContractDefault>,
    /// The mixin (`timestamps` or `soft_delete`) that brings the column, if any.
    pub mixin: Option<&'static str>,
}

/// A column's default, as a contract declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractDefault {
    /// `default = 0`, `default = -1.5`: the number as written.
    Number(&'static str),
    /// `default = true`.
    Bool(bool),
    /// `default = "text"`.
    Text(&'static str),
    /// `default_raw = "CURRENT_TIMESTAMP"`: SQL, written as is.
    Raw(&'static str),
}

/// An index of a contract's table: `#[column(index)]`, `#[column(unique)]`, or the table's
/// `index(a, b)` and `unique(a, b)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexContract {
    /// The columns, in key order.
    pub columns: &'static [&'static str],
    /// A unique index (or constraint).
    pub unique: bool,
}

/// A foreign key of a contract's table: `#[column(references = "users.id")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyContract {
    /// This table's columns.
    pub columns: &'static [&'static str],
    /// The table they point at.
    pub table: &'static str,
    /// Its columns.
    pub references: &'static [&'static str],
    /// `on_delete = "…"`; `None` leaves the database's default (no action).
    pub on_delete: Option<Action>,
    /// `on_update = "…"`.
    pub on_update: Option<Action>,
}

/// A table as its contract declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableContract {
    /// The table's name in the database.
    pub table: &'static str,
    /// The Rust struct (`Item`).
    pub rust_name: &'static str,
    /// Every column, in declaration order, mixin columns last.
    pub columns: &'static [ColumnContract],
    /// Its indexes and unique constraints.
    pub indexes: &'static [IndexContract],
    /// Its foreign keys.
    pub foreign_keys: &'static [ForeignKeyContract],
    /// `created_at` and `updated_at`.
    pub timestamps: bool,
    /// `deleted_at`.
    pub soft_delete: bool,
    /// Where `#[table]` stands.
    pub location: Location,
}

impl TableContract {
    /// The column of this name.
    pub fn column(&self, name: &str) -> Option<&ColumnContract> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A contract as `#[table]` registers it.
#[derive(Debug)]
pub struct ContractRegistration {
    #[doc(hidden)]
    pub contract: &'static TableContract,
}

inventory::collect!(ContractRegistration);

/// Every contract registered in this program, sorted by table name.
pub fn registered() -> Vec<&'static TableContract> {
    let mut contracts: Vec<&'static TableContract> = inventory::iter::<ContractRegistration>
        .into_iter()
        .map(|r| r.contract)
        .collect();
    contracts.sort_by_key(|c| c.table);
    contracts
}

/// A column the database fills in: `id: Generated<i64>`. In the row type it is plain `T`;
/// the insert type leaves it out.
pub type Generated<T> = T;
