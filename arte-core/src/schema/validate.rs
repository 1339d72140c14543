//! Validation: every name, type, key and change checked before any SQL is written.

use super::SchemaError;
use super::model::{
    AlterAction, ColumnDef, DeclaredType, ForeignKeyDef, IndexDef, Statement, TableDef,
};
use arte_vocab::{KNOWN_TYPES, is_identifier};

impl Statement {
    /// The statement checked, with column `references` lifted into named foreign keys.
    pub(crate) fn validated(self) -> Result<Statement, SchemaError> {
        let mut statement = self;
        match &mut statement {
            Statement::CreateTable(def) => {
                identifier("table", &def.name)?;
                for column in &def.columns {
                    check_column(column)?;
                }
                def.lift_references()?;
                def.lift_uniques();
                check_table(def)?;
            }
            Statement::AlterTable { table, actions } => {
                identifier("table", table)?;
                if actions.is_empty() {
                    return Err(SchemaError::NoChanges {
                        table: table.clone(),
                    });
                }
                for action in actions.iter_mut() {
                    check_action(table, action)?;
                }
                lift_added_uniques(table, actions);
            }
            Statement::DropTable { name, .. } => identifier("table", name)?,
            Statement::RenameTable { from, to } => {
                identifier("table", from)?;
                identifier("table", to)?;
            }
            Statement::CreateIndex { table, index, .. } => {
                identifier("table", table)?;
                check_index(table, index)?;
            }
            Statement::DropIndex { table, name, .. } => {
                identifier("table", table)?;
                identifier("index", name)?;
            }
            Statement::Raw(_) => {}
        }
        Ok(statement)
    }
}

/// An added column's `unique` as a unique index of its own with the conventional name,
/// right after the column (see [`TableDef::lift_uniques`]).
fn lift_added_uniques(table: &str, actions: &mut Vec<AlterAction>) {
    let lifts = |action: &AlterAction| matches!(action, AlterAction::AddColumn(column) if column.lifts_unique());
    if !actions.iter().any(lifts) {
        return;
    }
    let mut lifted = Vec::with_capacity(actions.len() + 1);
    for mut action in actions.drain(..) {
        let index = match &mut action {
            AlterAction::AddColumn(column) => column.take_unique(table),
            _ => None,
        };
        lifted.push(action);
        lifted.extend(index.map(AlterAction::AddIndex));
    }
    *actions = lifted;
}

/// A table definition checked, its column `references` lifted into named foreign keys.
pub(crate) fn validated_table(def: &TableDef) -> Result<TableDef, SchemaError> {
    match Statement::CreateTable(def.clone()).validated()? {
        Statement::CreateTable(def) => Ok(def),
        _ => Err(SchemaError::NoColumns {
            table: def.name.clone(),
        }),
    }
}

fn check_column(column: &ColumnDef) -> Result<(), SchemaError> {
    identifier("column", &column.name)?;
    if let DeclaredType::Unknown(ty) = &column.ty {
        return Err(SchemaError::UnknownType {
            column: column.name.clone(),
            ty: ty.clone(),
            known: KNOWN_TYPES,
        });
    }
    if column.dangling_action {
        return Err(SchemaError::DanglingAction {
            column: column.name.clone(),
        });
    }
    if let Some(reference) = &column.references {
        let (table, target) = reference.split().ok_or_else(|| SchemaError::BadReference {
            column: column.name.clone(),
            target: reference.target.clone(),
        })?;
        identifier("table", table)?;
        identifier("column", target)?;
    }
    Ok(())
}

fn check_index(table: &str, index: &IndexDef) -> Result<(), SchemaError> {
    if index.columns.is_empty() && index.verbatim.is_none() {
        return Err(SchemaError::NoColumnsIn {
            what: "index",
            table: table.to_owned(),
        });
    }
    index
        .columns
        .iter()
        .try_for_each(|c| identifier("column", c))?;
    identifier("index", &index.name)
}

fn check_foreign_key(table: &str, fk: &ForeignKeyDef) -> Result<(), SchemaError> {
    identifier("foreign key", &fk.name)?;
    identifier("table", &fk.ref_table)?;
    if fk.columns.is_empty() {
        return Err(SchemaError::NoColumnsIn {
            what: "foreign key",
            table: table.to_owned(),
        });
    }
    if fk.columns.len() != fk.ref_columns.len() {
        return Err(SchemaError::ForeignKeyArity {
            name: fk.name.clone(),
            columns: fk.columns.len(),
            ref_columns: fk.ref_columns.len(),
        });
    }
    fk.columns
        .iter()
        .chain(&fk.ref_columns)
        .try_for_each(|c| identifier("column", c))
}

fn check_table(def: &TableDef) -> Result<(), SchemaError> {
    if def.columns.is_empty() {
        return Err(SchemaError::NoColumns {
            table: def.name.clone(),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for column in &def.columns {
        if !seen.insert(column.name.as_str()) {
            return Err(SchemaError::DuplicateColumn {
                table: def.name.clone(),
                column: column.name.clone(),
            });
        }
    }
    let has = |name: &String| -> Result<(), SchemaError> {
        if seen.contains(name.as_str()) {
            Ok(())
        } else {
            Err(SchemaError::NoSuchColumn {
                table: def.name.clone(),
                column: name.clone(),
            })
        }
    };
    let mut keys: Vec<&str> = def
        .columns
        .iter()
        .filter(|c| c.primary_key)
        .map(|c| c.name.as_str())
        .collect();
    if let Some(composite) = &def.primary_key {
        if composite.is_empty() {
            return Err(SchemaError::NoColumnsIn {
                what: "primary key",
                table: def.name.clone(),
            });
        }
        composite.iter().try_for_each(has)?;
        keys.push("primary_key(…)");
    }
    if keys.len() > 1 {
        return Err(SchemaError::SeveralPrimaryKeys {
            table: def.name.clone(),
            columns: keys.join(", "),
        });
    }
    for index in def.uniques.iter().chain(&def.indexes) {
        check_index(&def.name, index)?;
        index.columns.iter().try_for_each(has)?;
    }
    for fk in &def.foreign_keys {
        check_foreign_key(&def.name, fk)?;
        fk.columns.iter().try_for_each(has)?;
    }
    Ok(())
}

fn check_action(table: &str, action: &mut AlterAction) -> Result<(), SchemaError> {
    match action {
        AlterAction::AddColumn(column) => {
            check_column(column)?;
            if let Some(reference) = &column.references {
                check_foreign_key(table, &reference.foreign_key(table, &column.name)?)?;
            }
        }
        AlterAction::ChangeColumn(column) => {
            check_column(column)?;
            if column.primary_key
                || column.unique
                || column.auto_increment
                || column.references.is_some()
            {
                return Err(SchemaError::ChangeColumnExtras {
                    column: column.name.clone(),
                });
            }
        }
        AlterAction::DropColumn(column)
        | AlterAction::SetDefault { column, .. }
        | AlterAction::DropDefault { column } => identifier("column", column)?,
        AlterAction::RenameColumn { from, to } => {
            identifier("column", from)?;
            identifier("column", to)?;
        }
        AlterAction::AddForeignKey(fk) => check_foreign_key(table, fk)?,
        AlterAction::DropForeignKey { name } => identifier("foreign key", name)?,
        AlterAction::AddIndex(index) => check_index(table, index)?,
        AlterAction::DropIndex { name } | AlterAction::DropUnique { name } => {
            identifier("index", name)?
        }
    }
    Ok(())
}

/// Refuses anything but a plain identifier, so that quoting alone makes a name safe.
pub(crate) fn identifier(kind: &'static str, name: &str) -> Result<(), SchemaError> {
    if is_identifier(name) {
        Ok(())
    } else {
        Err(SchemaError::InvalidIdentifier {
            kind,
            name: name.to_owned(),
        })
    }
}
