//! Proof that the database matches the code: every registered contract compared with the
//! live table.

use super::{ColumnKind, TableContract};
use crate::backend::Dialect;
use crate::db::Db;
use crate::error::Result;
use std::fmt;

/// One way a live table differs from its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// The contract's table is not in the database.
    MissingTable {
        /// The table.
        table: String,
    },
    /// A column of the contract is not in the table.
    MissingColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The mixin that brings it (`timestamps`, `soft_delete`), if any.
        mixin: Option<&'static str>,
    },
    /// The table has a column the contract does not declare.
    ExtraColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The database's type for it.
        found: String,
    },
    /// The column's type cannot hold the contract's Rust type.
    IncompatibleType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What the contract declares.
        expected: ColumnKind,
        /// The database's type.
        found: String,
    },
    /// The contract and the table disagree on `NULL`.
    Nullability {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Whether the contract says `Option<T>`.
        contract_nullable: bool,
    },
}

impl Difference {
    /// The table the difference is in.
    pub fn table(&self) -> &str {
        match self {
            Difference::MissingTable { table }
            | Difference::MissingColumn { table, .. }
            | Difference::ExtraColumn { table, .. }
            | Difference::IncompatibleType { table, .. }
            | Difference::Nullability { table, .. } => table,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::MissingTable { table } => write!(
                f,
                "table `{table}` is missing from the database; run the migration that creates it"
            ),
            Difference::MissingColumn {
                table,
                column,
                mixin: Some(mixin),
            } => write!(
                f,
                "`{table}.{column}` is missing, but the contract's `{mixin}` needs it; add the column in a migration"
            ),
            Difference::MissingColumn {
                table,
                column,
                mixin: None,
            } => write!(
                f,
                "`{table}.{column}` is missing from the database; add it in a migration or remove the field"
            ),
            Difference::ExtraColumn {
                table,
                column,
                found,
            } => write!(
                f,
                "`{table}.{column}` ({found}) is in the database but not in the contract; add the field or drop the column"
            ),
            Difference::IncompatibleType {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "`{table}.{column}` is `{found}` in the database, which cannot hold the contract's `{}`; change the column or the field",
                expected.rust_type()
            ),
            Difference::Nullability {
                table,
                column,
                contract_nullable: true,
            } => write!(
                f,
                "`{table}.{column}` is NOT NULL in the database, but the contract says `Option`; make one match the other"
            ),
            Difference::Nullability {
                table,
                column,
                contract_nullable: false,
            } => write!(
                f,
                "`{table}.{column}` accepts NULL in the database, but the contract's field is not an `Option`; make one match the other"
            ),
        }
    }
}

/// Compares each contract with the live database; an empty list means they match.
///
/// The differences come in a stable order: contracts by table; for each, its columns in
/// contract order (missing, then type, then nullability), then the table's extra columns in
/// table order. A missing table is reported alone.
pub fn check(db: &mut Db, contracts: &[&TableContract]) -> Result<Vec<Difference>> {
    let dialect = db.connection().dialect();
    let same = |a: &str, b: &str| {
        if dialect.folds_identifier_case() {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let mut contracts = contracts.to_vec();
    contracts.sort_by_key(|c| c.table);
    let mut differences = Vec::new();
    for contract in contracts {
        let table = || contract.table.to_owned();
        let Some(live) = dialect.columns(db.connection(), contract.table)? else {
            differences.push(Difference::MissingTable { table: table() });
            continue;
        };
        for column in contract.columns {
            let Some(found) = live.iter().find(|l| same(&l.name, column.name)) else {
                differences.push(Difference::MissingColumn {
                    table: table(),
                    column: column.name.to_owned(),
                    mixin: column.mixin,
                });
                continue;
            };
            if !compatible(dialect, column.kind, &found.found) {
                differences.push(Difference::IncompatibleType {
                    table: table(),
                    column: column.name.to_owned(),
                    expected: column.kind,
                    found: found.found.clone(),
                });
            }
            if found.nullable != column.nullable {
                differences.push(Difference::Nullability {
                    table: table(),
                    column: column.name.to_owned(),
                    contract_nullable: column.nullable,
                });
            }
        }
        for extra in live
            .iter()
            .filter(|l| !contract.columns.iter().any(|c| same(&l.name, c.name)))
        {
            differences.push(Difference::ExtraColumn {
                table: table(),
                column: extra.name.clone(),
                found: extra.found.clone(),
            });
        }
    }
    Ok(differences)
}

/// Whether a column of type `found` (as the catalog reports it) holds every value of
/// `kind`, and diesel reads it as that kind. Integer widths must match where the database
/// has them: an `i64` does not fit an `integer`, and diesel refuses an `i32` from a `bigint`.
pub(crate) fn compatible(dialect: &dyn Dialect, kind: ColumnKind, found: &str) -> bool {
    let ty = found
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    dialect.holds(kind, &ty)
}
