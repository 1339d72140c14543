//! Contracts: each table's shape declared once as a Rust struct with `#[table]`. The
//! macro generates diesel's table, the row, insert and changeset types, the query layer
//! (`create`, `find`, `update`, soft deletes) and this metadata, registered through
//! `inventory`, with which [`check`](crate::Migrator::check_contracts) compares the code
//! with the live database.

pub mod check;
pub mod query;
pub mod sql_types;

use crate::error::Location;

pub use arte_vocab::ColumnKind;

/// One column of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnContract {
    /// The column's name in the database.
    pub name: &'static str,
    /// The Rust field it maps to (for mixin columns, the column's name).
    pub field: &'static str,
    /// What the Rust type says the column holds.
    pub kind: ColumnKind,
    /// `Option<T>`: the column accepts `NULL`.
    pub nullable: bool,
    /// `Generated<T>`: the database fills it in.
    pub generated: bool,
    /// Part of the primary key.
    pub primary_key: bool,
    /// The mixin (`timestamps` or `soft_delete`) that brings the column, if any.
    pub mixin: Option<&'static str>,
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
