//! SQLite's `ALTER TABLE`: what SQLite says itself, and the rebuild that carries out the
//! rest with every row, index, foreign key and trigger kept.

use crate::backend::Dialect;
use crate::schema::render::{column_sql, create_index, create_table, references_sql};
use crate::schema::{AlterAction, ColumnDefault, SchemaError, TableDef};

const SQLITE: &super::Sqlite = &super::Sqlite;

/// Whether SQLite's own `ALTER TABLE` can say every one of these changes.
fn native(action: &AlterAction) -> bool {
    match action {
        // SQLite adds a column only when it needs no key, no unique index, and no default
        // it would have to compute for the rows already there.
        AlterAction::AddColumn(column) => {
            !column.primary_key
                && !column.auto_increment
                && !column.unique
                && !matches!(column.default, Some(ColumnDefault::Raw(_)))
                && (!column.not_null || column.default.is_some())
        }
        AlterAction::RenameColumn { .. }
        | AlterAction::AddIndex(_)
        | AlterAction::DropIndex { .. } => true,
        AlterAction::DropColumn(_)
        | AlterAction::ChangeColumn(_)
        | AlterAction::SetDefault { .. }
        | AlterAction::DropDefault { .. }
        | AlterAction::AddForeignKey(_)
        | AlterAction::DropForeignKey { .. }
        | AlterAction::DropUnique { .. } => false,
    }
}

pub(super) fn needs_rebuild(actions: &[AlterAction]) -> bool {
    !actions.iter().all(native)
}

pub(super) fn alter_table(
    table: &str,
    actions: &[AlterAction],
    live: Option<&TableDef>,
) -> Result<Vec<String>, SchemaError> {
    if !needs_rebuild(actions) {
        return Ok(actions
            .iter()
            .map(|action| native_sql(table, action))
            .collect());
    }
    let live = live.ok_or_else(|| SchemaError::NeedsLiveTable {
        table: table.to_owned(),
    })?;
    let mut model = Model::new(live);
    for action in actions {
        model.apply(action)?;
    }
    Ok(model.rebuild_sql())
}

fn native_sql(table: &str, action: &AlterAction) -> String {
    let alter = format!("ALTER TABLE {}", SQLITE.quote(table));
    match action {
        AlterAction::AddColumn(column) => {
            let mut sql = format!("{alter} ADD COLUMN {}", column_sql(SQLITE, column));
            if let Some(reference) = &column.references
                && let Some((ref_table, ref_column)) = reference.split()
            {
                sql.push_str(&references_sql(
                    SQLITE,
                    ref_table,
                    &[ref_column.to_owned()],
                    (reference.on_delete, reference.on_update),
                ));
            }
            sql
        }
        AlterAction::RenameColumn { from, to } => format!(
            "{alter} RENAME COLUMN {} TO {}",
            SQLITE.quote(from),
            SQLITE.quote(to)
        ),
        AlterAction::AddIndex(index) => create_index(SQLITE, table, index, false),
        AlterAction::DropIndex { name } => SQLITE.drop_index(table, name, false),
        // `native` admits nothing else.
        _ => String::new(),
    }
}

/// The table being reshaped: the live definition with the changes applied, and for each
/// column the old column its rows come from.
struct Model {
    def: TableDef,
    sources: Vec<Option<String>>,
}

impl Model {
    fn new(live: &TableDef) -> Model {
        Model {
            sources: live.columns.iter().map(|c| Some(c.name.clone())).collect(),
            def: live.clone(),
        }
    }

    fn position(&self, column: &str) -> Result<usize, SchemaError> {
        self.def
            .columns
            .iter()
            .position(|c| c.name == column)
            .ok_or_else(|| SchemaError::NoSuchColumn {
                table: self.def.name.clone(),
                column: column.to_owned(),
            })
    }

    fn apply(&mut self, action: &AlterAction) -> Result<(), SchemaError> {
        let table = self.def.name.clone();
        match action {
            AlterAction::AddColumn(column) => {
                if self.def.columns.iter().any(|c| c.name == column.name) {
                    return Err(SchemaError::DuplicateColumn {
                        table,
                        column: column.name.clone(),
                    });
                }
                let mut column = column.clone();
                if let Some(reference) = column.references.take() {
                    let fk = reference.foreign_key(&table, &column.name)?;
                    self.def.foreign_keys.push(fk);
                }
                self.def.columns.push(column);
                self.sources.push(None);
            }
            AlterAction::DropColumn(name) => {
                let at = self.position(name)?;
                self.def.columns.remove(at);
                self.sources.remove(at);
                let uses = |columns: &Vec<String>| columns.iter().any(|c| c == name);
                self.def.indexes.retain(|i| !uses(&i.columns));
                self.def.uniques.retain(|i| !uses(&i.columns));
                self.def.foreign_keys.retain(|fk| !uses(&fk.columns));
                if self.def.primary_key.as_ref().is_some_and(uses) {
                    self.def.primary_key = None;
                }
            }
            AlterAction::RenameColumn { from, to } => {
                let at = self.position(from)?;
                if self.def.columns.iter().any(|c| &c.name == to) {
                    return Err(SchemaError::DuplicateColumn {
                        table,
                        column: to.clone(),
                    });
                }
                self.def.columns[at].name = to.clone();
                let rename = |columns: &mut Vec<String>| {
                    columns
                        .iter_mut()
                        .filter(|c| *c == from)
                        .for_each(|c| *c = to.clone());
                };
                self.def
                    .indexes
                    .iter_mut()
                    .for_each(|i| rename(&mut i.columns));
                self.def
                    .uniques
                    .iter_mut()
                    .for_each(|i| rename(&mut i.columns));
                self.def
                    .foreign_keys
                    .iter_mut()
                    .for_each(|fk| rename(&mut fk.columns));
                if let Some(key) = &mut self.def.primary_key {
                    rename(key);
                }
            }
            AlterAction::ChangeColumn(changed) => {
                let column = self.def.column_mut(&changed.name)?;
                column.ty = changed.ty.clone();
                column.not_null = changed.not_null || column.primary_key;
                column.default = changed.default.clone();
            }
            AlterAction::SetDefault { column, default } => {
                self.def.column_mut(column)?.default = Some(default.clone());
            }
            AlterAction::DropDefault { column } => {
                self.def.column_mut(column)?.default = None;
            }
            AlterAction::AddForeignKey(fk) => {
                for column in &fk.columns {
                    self.position(column)?;
                }
                self.def.foreign_keys.push(fk.clone());
            }
            AlterAction::DropForeignKey { name } => {
                let before = self.def.foreign_keys.len();
                self.def.foreign_keys.retain(|fk| &fk.name != name);
                if self.def.foreign_keys.len() == before {
                    return Err(SchemaError::NoSuchConstraint {
                        table,
                        what: "foreign key",
                        name: name.clone(),
                    });
                }
            }
            AlterAction::AddIndex(index) => {
                for column in &index.columns {
                    self.position(column)?;
                }
                self.def.indexes.push(index.clone());
            }
            AlterAction::DropUnique { name } => {
                let before = self.def.indexes.len() + self.def.uniques.len();
                self.def.uniques.retain(|i| &i.name != name);
                self.def.indexes.retain(|i| !(i.unique && &i.name == name));
                if self.def.indexes.len() + self.def.uniques.len() == before {
                    return Err(SchemaError::NoSuchConstraint {
                        table,
                        what: "unique constraint",
                        name: name.clone(),
                    });
                }
            }
            AlterAction::DropIndex { name } => {
                let before = self.def.indexes.len() + self.def.uniques.len();
                self.def.indexes.retain(|i| &i.name != name);
                self.def.uniques.retain(|i| &i.name != name);
                if self.def.indexes.len() + self.def.uniques.len() == before {
                    return Err(SchemaError::NoSuchConstraint {
                        table,
                        what: "index",
                        name: name.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The rebuild SQLite's documentation lays out: a new table, every row copied, the
    /// old table dropped, the new one renamed to the old name, then indexes and triggers
    /// again. Foreign keys must be off meanwhile (the runner turns them off around each
    /// SQLite migration and checks them before committing): other tables' foreign keys
    /// then still name the table, and dropping the old one deletes nothing they point at.
    fn rebuild_sql(&self) -> Vec<String> {
        let table = &self.def.name;
        let new = format!("__arte_new_{table}");
        let mut shape = self.def.clone();
        shape.name = new.clone();
        shape.if_not_exists = false;
        shape.indexes.clear();
        let mut statements = create_table(SQLITE, &shape);
        let (targets, sources): (Vec<String>, Vec<String>) = self
            .def
            .columns
            .iter()
            .zip(&self.sources)
            .filter_map(|(column, source)| {
                source
                    .as_ref()
                    .map(|s| (SQLITE.quote(&column.name), SQLITE.quote(s)))
            })
            .unzip();
        if !targets.is_empty() {
            statements.push(format!(
                "INSERT INTO {} ({}) SELECT {} FROM {}",
                SQLITE.quote(&new),
                targets.join(", "),
                sources.join(", "),
                SQLITE.quote(table)
            ));
        }
        if self.def.columns.iter().any(|c| c.auto_increment) {
            // Keep the sequence, so that ids of deleted rows are not handed out again.
            statements.push(format!(
                "DELETE FROM sqlite_sequence WHERE name = {}",
                SQLITE.string_literal(&new)
            ));
            statements.push(format!(
                "UPDATE sqlite_sequence SET name = {} WHERE name = {}",
                SQLITE.string_literal(&new),
                SQLITE.string_literal(table)
            ));
        }
        statements.push(format!("DROP TABLE {}", SQLITE.quote(table)));
        // Legacy mode renames without re-checking views that name the dropped table.
        statements.push("PRAGMA legacy_alter_table = ON".to_owned());
        statements.push(format!(
            "ALTER TABLE {} RENAME TO {}",
            SQLITE.quote(&new),
            SQLITE.quote(table)
        ));
        statements.push("PRAGMA legacy_alter_table = OFF".to_owned());
        for index in &self.def.indexes {
            statements.push(create_index(SQLITE, table, index, false));
        }
        statements.extend(self.def.triggers.iter().cloned());
        statements
    }
}
