//! One notion of "the same" for the contract check and the migration generator: a
//! contract as the table it declares, and how a declared column, index or foreign key is
//! compared with what a catalog reports.

use super::{ContractDefault, TableContract};
use crate::backend::catalog::{number, parse_default};
use crate::backend::{
    CatalogColumn, CatalogDefault, CatalogForeignKey, CatalogIndex, CatalogTable, Dialect,
};
use crate::schema::render::refuse_key_actions;
use crate::schema::{Action, SchemaError, conventional_name};
use arte_vocab::ColumnType;

/// The table `contract` declares, as `dialect`'s catalog would describe it once built by
/// arte's schema builder: indexes and foreign keys carry their conventional names.
pub(crate) fn desired(dialect: &dyn Dialect, contract: &TableContract) -> CatalogTable {
    let mut table = CatalogTable::new(contract.table);
    let keys: Vec<&str> = contract
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name)
        .collect();
    for column in contract.columns {
        let auto_increment =
            column.generated && column.primary_key && keys.len() == 1 && column.kind.is_integer();
        table.columns.push(CatalogColumn {
            name: column.name.to_owned(),
            found: dialect.type_name(column.ty),
            ty: Some(column.ty),
            nullable: column.nullable && !column.primary_key,
            default: column.default.and_then(|d| default_of(d, column.ty)),
            auto_increment,
        });
    }
    table.primary_key = keys.iter().map(|k| (*k).to_owned()).collect();
    for index in contract.indexes {
        let columns: Vec<String> = index.columns.iter().map(|c| (*c).to_owned()).collect();
        let suffix = if index.unique { "unique" } else { "index" };
        table.indexes.push(CatalogIndex {
            name: conventional_name(contract.table, &columns, suffix),
            columns,
            unique: index.unique,
            constraint: index.unique,
            implicit: false,
        });
    }
    for fk in contract.foreign_keys {
        let columns: Vec<String> = fk.columns.iter().map(|c| (*c).to_owned()).collect();
        table.foreign_keys.push(CatalogForeignKey {
            name: conventional_name(contract.table, &columns, "foreign"),
            columns,
            ref_table: fk.table.to_owned(),
            ref_columns: fk.references.iter().map(|c| (*c).to_owned()).collect(),
            on_delete: fk.on_delete.unwrap_or(Action::NoAction),
            on_update: fk.on_update.unwrap_or(Action::NoAction),
        });
    }
    table
}

/// Refuses a contract whose foreign key asks for an action the database does not carry out
/// (`set_default` on MySQL), before anything runs: the migration written for it would
/// build a key that does something else.
pub(crate) fn refuse_actions(
    dialect: &dyn Dialect,
    contracts: &[&TableContract],
) -> Result<(), SchemaError> {
    for contract in contracts {
        for fk in contract.foreign_keys {
            let columns: Vec<String> = fk.columns.iter().map(|c| (*c).to_owned()).collect();
            refuse_key_actions(
                dialect,
                contract.table,
                &conventional_name(contract.table, &columns, "foreign"),
                &columns,
                (fk.on_delete, fk.on_update),
            )?;
        }
    }
    Ok(())
}

/// A contract's default in the catalog's terms; a raw default reads as a catalog's would.
fn default_of(default: ContractDefault, ty: ColumnType) -> Option<CatalogDefault> {
    match default {
        ContractDefault::Number(text) => Some(number(text).map_or_else(
            || CatalogDefault::Expression(text.to_owned()),
            CatalogDefault::Number,
        )),
        ContractDefault::Bool(value) => Some(CatalogDefault::Bool(value)),
        ContractDefault::Text(text) => Some(CatalogDefault::Text(text.to_owned())),
        ContractDefault::Raw(sql) => parse_default(sql, Some(ty)),
    }
}

/// A declared type as this database reads it back: `varchar(255)` and `character
/// varying(255)` are one type, and so are MySQL's `json` and MariaDB's `longtext`.
pub(crate) fn canonical(dialect: &dyn Dialect, ty: ColumnType) -> Option<ColumnType> {
    dialect.catalog_type(&dialect.type_name(ty))
}

/// Whether the current column has the type the desired one declares. Two auto-incrementing
/// keys are alike whatever the database calls them (SQLite's is an `integer`).
pub(crate) fn same_type(
    dialect: &dyn Dialect,
    desired: &CatalogColumn,
    current: &CatalogColumn,
) -> bool {
    if desired.auto_increment && current.auto_increment {
        return true;
    }
    match (desired.ty, current.ty) {
        (Some(declared), Some(found)) => canonical(dialect, declared) == canonical(dialect, found),
        _ => desired.found == current.found,
    }
}

/// Whether the two columns default alike (auto-incrementing keys have none).
pub(crate) fn same_default(desired: &CatalogColumn, current: &CatalogColumn) -> bool {
    if desired.auto_increment && current.auto_increment {
        return true;
    }
    match (&desired.default, &current.default) {
        (None, None) => true,
        (Some(a), Some(b)) => a.same_as(b),
        _ => false,
    }
}

/// Whether the column is what `desired` declares: type, nullability, default.
pub(crate) fn same_column(
    dialect: &dyn Dialect,
    desired: &CatalogColumn,
    current: &CatalogColumn,
) -> bool {
    same_type(dialect, desired, current)
        && desired.nullable == current.nullable
        && same_default(desired, current)
}

/// Two names of one identifier: the same text, or (where the database folds case) the
/// same letters.
pub(crate) fn same_name(dialect: &dyn Dialect, a: &str, b: &str) -> bool {
    if dialect.folds_identifier_case() {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// Whether two indexes cover the same columns in the same order, both unique or both not.
/// Names do not count: they follow renames on some databases and not on others.
pub(crate) fn same_index(dialect: &dyn Dialect, a: &CatalogIndex, b: &CatalogIndex) -> bool {
    a.unique == b.unique
        && a.columns.len() == b.columns.len()
        && a.columns
            .iter()
            .zip(&b.columns)
            .all(|(x, y)| same_name(dialect, x, y))
}

/// The indexes a comparison counts: those the database made for a foreign key by itself
/// go with their key.
pub(crate) fn counted_indexes(table: &CatalogTable) -> impl Iterator<Item = &CatalogIndex> {
    table.indexes.iter().filter(|i| !i.implicit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;

    #[test]
    fn declared_types_compare_as_each_database_reads_them_back() {
        let mysql = Backend::Mysql.dialect();
        assert_eq!(
            canonical(mysql, ColumnType::Jsonb),
            mysql.catalog_type("longtext")
        );
        assert_eq!(
            canonical(mysql, ColumnType::Uuid),
            mysql.catalog_type("char(36)")
        );
        assert_eq!(
            canonical(mysql, ColumnType::Boolean),
            mysql.catalog_type("tinyint(1)")
        );
        assert_eq!(
            canonical(mysql, ColumnType::Integer),
            mysql.catalog_type("int(11)")
        );
        let postgres = Backend::Postgres.dialect();
        assert_eq!(
            canonical(postgres, ColumnType::Varchar(40)),
            postgres.catalog_type("character varying(40)")
        );
        assert_eq!(
            canonical(postgres, ColumnType::Decimal(10, 2)),
            postgres.catalog_type("numeric(10,2)")
        );
        assert_eq!(
            canonical(postgres, ColumnType::Timestamp),
            postgres.catalog_type("timestamp without time zone")
        );
        assert_ne!(
            canonical(postgres, ColumnType::Json),
            canonical(postgres, ColumnType::Jsonb)
        );
        let sqlite = Backend::Sqlite.dialect();
        assert_eq!(
            canonical(sqlite, ColumnType::Jsonb),
            canonical(sqlite, ColumnType::Json)
        );
        assert_eq!(
            canonical(sqlite, ColumnType::Double),
            sqlite.catalog_type("double")
        );
    }
}
