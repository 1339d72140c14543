//! Proof that the database matches the code: every registered contract compared with the
//! live table, column by column (type, width, nullability, default), index by index and
//! foreign key by foreign key.

use super::compare::{
    canonical, counted_indexes, desired, same_default, same_index, same_name, same_type,
};
use super::{ColumnKind, TableContract};
use crate::backend::catalog::{Width, width};
use crate::backend::{CatalogTable, Dialect};
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
    /// The column holds the field's Rust type, but is not the type the contract declares
    /// (`json` for `jsonb`, `char(2)` for `varchar(2)`, `integer` for an `i64`'s `bigint`
    /// on SQLite).
    DifferentType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The type the contract declares, as a migration writes it.
        expected: String,
        /// The database's type.
        found: String,
    },
    /// The column's length or precision is less than the contract declares: some of the
    /// field's values do not fit.
    TypeTooNarrow {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The type the contract declares.
        expected: String,
        /// The database's type.
        found: String,
    },
    /// The column's length or precision is more than the contract declares.
    TypeTooWide {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The type the contract declares.
        expected: String,
        /// The database's type.
        found: String,
    },
    /// The column's default is not the contract's.
    DifferentDefault {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The contract's default as SQL, if it declares one.
        expected: Option<String>,
        /// The database's, if it has one.
        found: Option<String>,
    },
    /// An index or unique constraint of the contract is not in the table.
    MissingIndex {
        /// The table.
        table: String,
        /// Its columns.
        columns: Vec<String>,
        /// A unique one.
        unique: bool,
    },
    /// The table has an index or unique constraint the contract does not declare.
    ExtraIndex {
        /// The table.
        table: String,
        /// Its name in the database.
        name: String,
        /// Its columns.
        columns: Vec<String>,
        /// A unique one.
        unique: bool,
    },
    /// A foreign key of the contract is not in the table.
    MissingForeignKey {
        /// The table.
        table: String,
        /// Its columns.
        columns: Vec<String>,
        /// What it points at: `users.id`.
        references: String,
    },
    /// The table has a foreign key over these columns, but it points elsewhere or acts
    /// otherwise than the contract's.
    DifferentForeignKey {
        /// The table.
        table: String,
        /// Its columns.
        columns: Vec<String>,
        /// The contract's: `users.id ON DELETE CASCADE`.
        expected: String,
        /// The database's.
        found: String,
    },
    /// The table has a foreign key the contract does not declare.
    ExtraForeignKey {
        /// The table.
        table: String,
        /// Its name in the database.
        name: String,
        /// Its columns.
        columns: Vec<String>,
        /// What it points at.
        references: String,
    },
    /// The migrations build a table that no contract declares (`contract:check
    /// --migrations` only: a live database may hold other programs' tables).
    ExtraTable {
        /// The table.
        table: String,
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
            | Difference::Nullability { table, .. }
            | Difference::DifferentType { table, .. }
            | Difference::TypeTooNarrow { table, .. }
            | Difference::TypeTooWide { table, .. }
            | Difference::DifferentDefault { table, .. }
            | Difference::MissingIndex { table, .. }
            | Difference::ExtraIndex { table, .. }
            | Difference::MissingForeignKey { table, .. }
            | Difference::DifferentForeignKey { table, .. }
            | Difference::ExtraForeignKey { table, .. }
            | Difference::ExtraTable { table } => table,
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
            Difference::DifferentType {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "`{table}.{column}` is `{found}` in the database, but the contract declares `{expected}`; change the column in a migration or the field's `type`"
            ),
            Difference::TypeTooNarrow {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "`{table}.{column}` is `{found}` in the database, too narrow for the contract's `{expected}`; widen the column in a migration or narrow the field's `type`"
            ),
            Difference::TypeTooWide {
                table,
                column,
                expected,
                found,
            } => write!(
                f,
                "`{table}.{column}` is `{found}` in the database, wider than the contract's `{expected}`; narrow the column in a migration or widen the field's `type`"
            ),
            Difference::DifferentDefault {
                table,
                column,
                expected,
                found,
            } => {
                let found = match found {
                    Some(found) => format!("defaults to `{found}` in the database"),
                    None => "has no default in the database".to_owned(),
                };
                let expected = match expected {
                    Some(expected) => format!("the contract's default is `{expected}`"),
                    None => "the contract declares none".to_owned(),
                };
                write!(
                    f,
                    "`{table}.{column}` {found}, but {expected}; change the default in a migration or in the contract"
                )
            }
            Difference::MissingIndex {
                table,
                columns,
                unique,
            } => write!(
                f,
                "`{table}` has no {} over {}, which the contract declares; add it in a migration or remove it from the contract",
                index_word(*unique),
                column_list(columns)
            ),
            Difference::ExtraIndex {
                table,
                name,
                columns,
                unique,
            } => write!(
                f,
                "`{table}` has the {} `{name}` over {}, which the contract does not declare; declare it (`#[column({})]` or `{}(…)` on the table) or drop it in a migration",
                index_word(*unique),
                column_list(columns),
                if *unique { "unique" } else { "index" },
                if *unique { "unique" } else { "index" },
            ),
            Difference::MissingForeignKey {
                table,
                columns,
                references,
            } => write!(
                f,
                "`{table}` has no foreign key from {} to `{references}`, which the contract declares; add it in a migration or remove `references` from the field",
                column_list(columns)
            ),
            Difference::DifferentForeignKey {
                table,
                columns,
                expected,
                found,
            } => write!(
                f,
                "the foreign key of `{table}` over {} is `{found}` in the database, but the contract declares `{expected}`; change it in a migration or in the contract",
                column_list(columns)
            ),
            Difference::ExtraForeignKey {
                table,
                name,
                columns,
                references,
            } => write!(
                f,
                "`{table}` has the foreign key `{name}` from {} to `{references}`, which the contract does not declare; add `references` to the field or drop the key in a migration",
                column_list(columns)
            ),
            Difference::ExtraTable { table } => write!(
                f,
                "the migrations build the table `{table}`, which no contract declares; add its contract or drop the table in a migration"
            ),
        }
    }
}

fn index_word(unique: bool) -> &'static str {
    if unique { "unique index" } else { "index" }
}

/// `(`a`, `b`)`.
fn column_list(columns: &[String]) -> String {
    let quoted: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
    format!("({})", quoted.join(", "))
}

/// Compares each contract with the live database; an empty list means they match.
///
/// The differences come in a stable order: contracts by table; for each, its columns in
/// contract order (missing, then type, then nullability, then default), then the table's
/// extra columns in table order, then indexes (missing, then extra) and foreign keys
/// (missing or different, then extra). A missing table is reported alone.
pub fn check(db: &mut Db, contracts: &[&TableContract]) -> Result<Vec<Difference>> {
    let dialect = db.connection().dialect();
    let mut contracts = contracts.to_vec();
    contracts.sort_by_key(|c| c.table);
    let mut differences = Vec::new();
    for contract in contracts {
        match dialect.catalog_table(db.connection(), contract.table)? {
            Some(live) => differences.extend(compare(dialect, contract, &live)),
            None => differences.push(Difference::MissingTable {
                table: contract.table.to_owned(),
            }),
        }
    }
    Ok(differences)
}

/// The differences between one contract and its live table, in [`check`]'s order.
pub(crate) fn compare(
    dialect: &dyn Dialect,
    contract: &TableContract,
    live: &CatalogTable,
) -> Vec<Difference> {
    let mut differences = Vec::new();
    let table = || contract.table.to_owned();
    let wanted = desired(dialect, contract);
    for (column, want) in contract.columns.iter().zip(&wanted.columns) {
        let Some(found) = live
            .columns
            .iter()
            .find(|l| same_name(dialect, &l.name, column.name))
        else {
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
        } else if !same_type(dialect, want, found) {
            let expected = column.ty.to_string();
            let column = column.name.to_owned();
            let found_text = found.found.clone();
            let declared = canonical(dialect, wanted_type(want));
            differences.push(match (declared, found.ty) {
                (Some(declared), Some(ty)) => match width(declared, ty) {
                    Width::Narrower => Difference::TypeTooNarrow {
                        table: table(),
                        column,
                        expected,
                        found: found_text,
                    },
                    Width::Wider => Difference::TypeTooWide {
                        table: table(),
                        column,
                        expected,
                        found: found_text,
                    },
                    Width::Other => Difference::DifferentType {
                        table: table(),
                        column,
                        expected,
                        found: found_text,
                    },
                },
                _ => Difference::DifferentType {
                    table: table(),
                    column,
                    expected,
                    found: found_text,
                },
            });
        }
        if found.nullable != column.nullable {
            differences.push(Difference::Nullability {
                table: table(),
                column: column.name.to_owned(),
                contract_nullable: column.nullable,
            });
        }
        if !same_default(want, found) {
            differences.push(Difference::DifferentDefault {
                table: table(),
                column: column.name.to_owned(),
                expected: want.default.as_ref().map(|d| d.sql()),
                found: found.default.as_ref().map(|d| d.sql()),
            });
        }
    }
    for extra in live.columns.iter().filter(|l| {
        !contract
            .columns
            .iter()
            .any(|c| same_name(dialect, &l.name, c.name))
    }) {
        differences.push(Difference::ExtraColumn {
            table: table(),
            column: extra.name.clone(),
            found: extra.found.clone(),
        });
    }
    for index in &wanted.indexes {
        if !counted_indexes(live).any(|l| same_index(dialect, index, l)) {
            differences.push(Difference::MissingIndex {
                table: table(),
                columns: index.columns.clone(),
                unique: index.unique,
            });
        }
    }
    for index in counted_indexes(live) {
        if !wanted.indexes.iter().any(|w| same_index(dialect, w, index)) {
            differences.push(Difference::ExtraIndex {
                table: table(),
                name: index.name.clone(),
                columns: index.columns.clone(),
                unique: index.unique,
            });
        }
    }
    let same_columns = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_name(dialect, x, y))
    };
    let target = |fk: &crate::backend::CatalogForeignKey| {
        format!("{}.{}", fk.ref_table, fk.ref_columns.join(", "))
    };
    for fk in &wanted.foreign_keys {
        match live
            .foreign_keys
            .iter()
            .find(|l| same_columns(&l.columns, &fk.columns))
        {
            None => differences.push(Difference::MissingForeignKey {
                table: table(),
                columns: fk.columns.clone(),
                references: target(fk),
            }),
            Some(found) if !fk.same_as(found, |a, b| same_name(dialect, a, b)) => {
                differences.push(Difference::DifferentForeignKey {
                    table: table(),
                    columns: fk.columns.clone(),
                    expected: format!("{} {}", target(fk), fk.actions()),
                    found: format!("{} {}", target(found), found.actions()),
                })
            }
            Some(_) => {}
        }
    }
    for fk in &live.foreign_keys {
        if !wanted
            .foreign_keys
            .iter()
            .any(|w| same_columns(&w.columns, &fk.columns))
        {
            differences.push(Difference::ExtraForeignKey {
                table: table(),
                name: fk.name.clone(),
                columns: fk.columns.clone(),
                references: target(fk),
            });
        }
    }
    differences
}

/// The desired column's declared type (every column a contract declares has one).
fn wanted_type(column: &crate::backend::CatalogColumn) -> arte_vocab::ColumnType {
    column.ty.unwrap_or(arte_vocab::ColumnType::Text)
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
