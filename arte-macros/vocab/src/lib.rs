//! # arte-vocab
//!
//! The rules arte checks twice: at compile time, in its macros (`#[migration]`, `#[table]`,
//! `migrations!()`), and at run time, in its runtime and command line. Each rule is written
//! here once, so that the compiler and the running program can never disagree:
//!
//! - [`name`]: the migration-name grammar (`YYYY_MM_DD_HH_MM_description`), snake case,
//!   module names and the module-prefix rule for a module's tables;
//! - [`identifier`]: what a table, column or index may be called, and how long it may be;
//! - [`types`]: the column types a migration may declare, and their parser;
//! - [`kind`]: the kinds of value a contract's field may hold.
//!
//! This crate has no dependencies and does no I/O.
#![warn(missing_docs)]

pub mod identifier;
pub mod kind;
pub mod name;
pub mod types;

pub use identifier::{MAX_IDENTIFIER, is_identifier};
pub use kind::ColumnKind;
pub use name::{NameError, is_module_name, is_snake, validate_migration_name};
pub use types::{ColumnType, KNOWN_TYPES, UnknownColumnType};
