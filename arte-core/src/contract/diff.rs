//! From one schema to another: the steps that take the tables a database has to the tables
//! it should have, in an order every database accepts, each a change the schema builder
//! makes.
//!
//! Tables and columns are matched by name (or through a rename the user gave: a drop and
//! an add look like a rename, and only the user can tell them apart); indexes by their
//! columns and uniqueness; foreign keys by their columns, targets and actions.

use super::ContractError;
use super::compare::{counted_indexes, same_column, same_index, same_name};
use crate::backend::catalog::{Width, width};
use crate::backend::{CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable, Dialect};

/// Tables and columns the user says were renamed, not dropped and added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    pub(crate) tables: Vec<(String, String)>,
    pub(crate) columns: Vec<ColumnRename>,
}

/// `table.from=table.to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnRename {
    pub table: String,
    pub from: String,
    pub to: String,
}

impl Renames {
    /// No renames.
    pub fn none() -> Renames {
        Renames::default()
    }

    /// Reads `old=new` (a table) or `table.old=table.new` (a column), as `--rename` takes
    /// them.
    pub fn parse<S: AsRef<str>>(specs: &[S]) -> Result<Renames, ContractError> {
        let mut renames = Renames::default();
        for spec in specs {
            let spec = spec.as_ref();
            let bad = || ContractError::BadRename {
                spec: spec.to_owned(),
            };
            let (from, to) = spec.split_once('=').ok_or_else(bad)?;
            let (from, to) = (from.trim(), to.trim());
            match (from.split_once('.'), to.split_once('.')) {
                (None, None) => {
                    if !arte_vocab::is_identifier(from) || !arte_vocab::is_identifier(to) {
                        return Err(bad());
                    }
                    renames.tables.push((from.to_owned(), to.to_owned()));
                }
                (Some((table, old)), Some((other, new))) => {
                    let names = [table, old, other, new];
                    if table != other || !names.iter().all(|n| arte_vocab::is_identifier(n)) {
                        return Err(bad());
                    }
                    renames.columns.push(ColumnRename {
                        table: table.to_owned(),
                        from: old.to_owned(),
                        to: new.to_owned(),
                    });
                }
                _ => return Err(bad()),
            }
        }
        Ok(renames)
    }

    /// The renames that undo these.
    pub(crate) fn inverted(&self) -> Renames {
        Renames {
            tables: self
                .tables
                .iter()
                .map(|(from, to)| (to.clone(), from.clone()))
                .collect(),
            columns: self
                .columns
                .iter()
                .map(|r| ColumnRename {
                    table: self.new_table_name(&r.table),
                    from: r.to.clone(),
                    to: r.from.clone(),
                })
                .collect(),
        }
    }

    /// A table's name once renamed.
    fn new_table_name(&self, table: &str) -> String {
        self.tables
            .iter()
            .find(|(from, _)| from == table)
            .map_or_else(|| table.to_owned(), |(_, to)| to.clone())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty()
    }
}

/// One statement of a migration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// `rename_table(from, to)`.
    RenameTable { from: String, to: String },
    /// `create_table`, with its keys, indexes and foreign keys (those to tables created
    /// later come in an `Alter` after).
    CreateTable(CatalogTable),
    /// `alter_table` with these changes, in order.
    Alter { table: String, changes: Vec<Change> },
    /// `drop_table`; the table as it was, for the warning and the comment.
    DropTable(CatalogTable),
}

/// One change of an `alter_table`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    DropForeignKey(CatalogForeignKey),
    DropIndex(CatalogIndex),
    RenameColumn {
        from: String,
        to: String,
    },
    AddColumn(CatalogColumn),
    /// `change_column`: the column as it should be, and as it was.
    Redefine {
        column: CatalogColumn,
        was: CatalogColumn,
    },
    DropColumn(CatalogColumn),
    AddIndex(CatalogIndex),
    AddForeignKey(CatalogForeignKey),
}

/// A step that can lose data, for `make`'s warning.
pub(crate) fn destructive(dialect: &dyn Dialect, steps: &[Step]) -> Vec<String> {
    let mut warnings = Vec::new();
    for step in steps {
        match step {
            Step::DropTable(table) => warnings.push(format!(
                "drops the table `{}` and its rows (if it was renamed, run again with `--rename {}=NEW_NAME`)",
                table.name, table.name
            )),
            Step::Alter { table, changes } => {
                for change in changes {
                    match change {
                        Change::DropColumn(column) => warnings.push(format!(
                            "drops the column `{table}.{}` and its values (if it was renamed, run again with `--rename {table}.{}={table}.NEW_NAME`)",
                            column.name, column.name
                        )),
                        Change::Redefine { column, was } if narrows(dialect, column, was) => {
                            warnings.push(format!(
                                "changes `{table}.{}` from `{}` to `{}`, which may not hold every value it holds now",
                                column.name,
                                was.found,
                                dialect.type_name(column.ty.unwrap_or(arte_vocab::ColumnType::Text))
                            ))
                        }
                        _ => {}
                    }
                }
            }
            Step::RenameTable { .. } | Step::CreateTable(_) => {}
        }
    }
    warnings
}

/// Whether changing `was` into `column` may lose values: another type, or a narrower one.
fn narrows(dialect: &dyn Dialect, column: &CatalogColumn, was: &CatalogColumn) -> bool {
    if super::compare::same_type(dialect, column, was) {
        return false;
    }
    match (column.ty, was.ty) {
        (Some(new), Some(old)) => width(old, new) != Width::Wider,
        _ => true,
    }
}

/// A note on a step that fails where rows are there (adding a required column without a
/// default, making a column required).
pub(crate) fn notes(steps: &[Step]) -> Vec<String> {
    let mut notes = Vec::new();
    for step in steps {
        let Step::Alter { table, changes } = step else {
            continue;
        };
        for change in changes {
            match change {
                Change::AddColumn(column) if !column.nullable && column.default.is_none() => {
                    notes.push(format!(
                        "`{table}.{}` is added NOT NULL without a default, which fails where `{table}` has rows; give the field a default, or fill the column in a data migration first",
                        column.name
                    ))
                }
                Change::Redefine { column, was } if was.nullable && !column.nullable => {
                    notes.push(format!(
                        "`{table}.{}` becomes NOT NULL, which fails where a row holds NULL in it; fill those rows first",
                        column.name
                    ))
                }
                _ => {}
            }
        }
    }
    notes
}

/// The steps from `current` to `desired`, both the tables in scope.
pub(crate) fn plan(
    dialect: &dyn Dialect,
    current: &[CatalogTable],
    desired: &[CatalogTable],
    renames: &Renames,
) -> Result<Vec<Step>, ContractError> {
    let find = |tables: &[CatalogTable], name: &str| {
        tables
            .iter()
            .position(|t| same_name(dialect, &t.name, name))
    };
    for (from, to) in &renames.tables {
        if find(current, from).is_none() {
            return Err(ContractError::RenameUnknown {
                spec: format!("{from}={to}"),
                name: from.clone(),
                what: "table the migrations build",
            });
        }
        if find(desired, to).is_none() {
            return Err(ContractError::RenameUnknown {
                spec: format!("{from}={to}"),
                name: to.clone(),
                what: "table a contract declares",
            });
        }
        if find(current, to).is_some() {
            return Err(ContractError::RenameUnknown {
                spec: format!("{from}={to}"),
                name: to.clone(),
                what: "free table name (the migrations build a table of that name already)",
            });
        }
    }

    // Each desired table with the current one it comes from.
    let mut matched: Vec<(&CatalogTable, &CatalogTable)> = Vec::new();
    let mut created: Vec<&CatalogTable> = Vec::new();
    let mut used = vec![false; current.len()];
    let mut steps = Vec::new();
    for table in desired {
        let source = renames
            .tables
            .iter()
            .find(|(_, to)| same_name(dialect, to, &table.name))
            .map(|(from, _)| from.as_str());
        let renamed = source.is_some();
        match find(current, source.unwrap_or(&table.name)) {
            Some(at) if !used[at] => {
                used[at] = true;
                if renamed {
                    steps.push(Step::RenameTable {
                        from: current[at].name.clone(),
                        to: table.name.clone(),
                    });
                }
                matched.push((&current[at], table));
            }
            _ => created.push(table),
        }
    }
    let dropped: Vec<&CatalogTable> = current
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(table, _)| table)
        .collect();
    for rename in &renames.columns {
        let known = matched.iter().any(|(cur, des)| {
            (same_name(dialect, &des.name, &rename.table)
                || same_name(dialect, &cur.name, &rename.table))
                && cur.column(&rename.from).is_some()
                && des.column(&rename.to).is_some()
        });
        if !known {
            return Err(ContractError::RenameUnknown {
                spec: format!("{0}.{1}={0}.{2}", rename.table, rename.from, rename.to),
                name: format!("{}.{}", rename.table, rename.from),
                what: "column the migrations build, renamed to a column a contract declares",
            });
        }
    }

    // Per table: foreign keys dropped first (another table's column may need them gone),
    // then everything else but new foreign keys, which come once every table is there.
    let mut drop_keys = Vec::new();
    let mut changes = Vec::new();
    let mut add_keys = Vec::new();
    for (cur, des) in &matched {
        let diff = table_changes(dialect, cur, des, renames)?;
        if !diff.drop_keys.is_empty() {
            drop_keys.push((des.name.clone(), diff.drop_keys));
        }
        if !diff.changes.is_empty() {
            changes.push((des.name.clone(), diff.changes));
        }
        if !diff.add_keys.is_empty() {
            add_keys.push((des.name.clone(), diff.add_keys));
        }
    }
    // One table changing alone needs no separate step for its foreign keys.
    let alone = drop_keys.len() == 1
        && changes.len() <= 1
        && changes.first().is_none_or(|(t, _)| *t == drop_keys[0].0);
    if alone {
        let (table, mut keys) = drop_keys.remove(0);
        match changes.first_mut() {
            Some((_, rest)) => {
                keys.append(rest);
                *rest = keys;
            }
            None => changes.push((table, keys)),
        }
    }
    for (table, changes) in drop_keys.into_iter().chain(changes) {
        steps.push(Step::Alter { table, changes });
    }

    // New tables, each after the tables it points at; keys to tables created later (or in
    // a cycle) come after all of them.
    let mut order: Vec<&CatalogTable> = Vec::new();
    let mut waiting = created.clone();
    while !waiting.is_empty() {
        let ready = waiting.iter().position(|table| {
            table.foreign_keys.iter().all(|fk| {
                same_name(dialect, &fk.ref_table, &table.name)
                    || !waiting
                        .iter()
                        .any(|w| same_name(dialect, &w.name, &fk.ref_table))
            })
        });
        // A cycle: take the first, its keys to the others come later.
        order.push(waiting.remove(ready.unwrap_or(0)));
    }
    for (at, table) in order.iter().enumerate() {
        let later = |fk: &CatalogForeignKey| {
            order[at + 1..]
                .iter()
                .any(|t| same_name(dialect, &t.name, &fk.ref_table))
        };
        let mut now = (*table).clone();
        now.foreign_keys.retain(|fk| !later(fk));
        let deferred: Vec<Change> = table
            .foreign_keys
            .iter()
            .filter(|fk| later(fk))
            .cloned()
            .map(Change::AddForeignKey)
            .collect();
        steps.push(Step::CreateTable(now));
        if !deferred.is_empty() {
            add_keys.push((table.name.clone(), deferred));
        }
    }
    for (table, changes) in add_keys {
        steps.push(Step::Alter { table, changes });
    }

    // Dropped tables, those that point at others first.
    let mut waiting = dropped;
    while !waiting.is_empty() {
        let ready = waiting.iter().position(|table| {
            !waiting.iter().any(|other| {
                !same_name(dialect, &other.name, &table.name)
                    && other
                        .foreign_keys
                        .iter()
                        .any(|fk| same_name(dialect, &fk.ref_table, &table.name))
            })
        });
        steps.push(Step::DropTable(waiting.remove(ready.unwrap_or(0)).clone()));
    }
    Ok(steps)
}

/// What one matched table needs.
struct TableDiff {
    drop_keys: Vec<Change>,
    changes: Vec<Change>,
    add_keys: Vec<Change>,
}

fn table_changes(
    dialect: &dyn Dialect,
    cur: &CatalogTable,
    des: &CatalogTable,
    renames: &Renames,
) -> Result<TableDiff, ContractError> {
    let table = des.name.as_str();
    let column_renames: Vec<&ColumnRename> = renames
        .columns
        .iter()
        .filter(|r| same_name(dialect, &r.table, table) || same_name(dialect, &r.table, &cur.name))
        .collect();
    // A current column's name once renamed.
    let renamed = |name: &str| -> String {
        column_renames
            .iter()
            .find(|r| same_name(dialect, &r.from, name))
            .map_or_else(|| name.to_owned(), |r| r.to.clone())
    };
    let now = |name: &str| -> Option<&CatalogColumn> {
        cur.columns
            .iter()
            .find(|c| same_name(dialect, &renamed(&c.name), name))
    };

    let mut changes = Vec::new();
    let mut drop_keys = Vec::new();
    let mut add_keys = Vec::new();

    let key: Vec<String> = cur.primary_key.iter().map(|k| renamed(k)).collect();
    let same_key = key.len() == des.primary_key.len()
        && key
            .iter()
            .zip(&des.primary_key)
            .all(|(a, b)| same_name(dialect, a, b));
    if !same_key {
        return Err(ContractError::Unsupported {
            what: format!(
                "changes the primary key of `{table}` from ({}) to ({})",
                cur.primary_key.join(", "),
                des.primary_key.join(", ")
            ),
        });
    }

    // Foreign keys: the current ones in the new names, kept where the contract has them.
    let moved = |fk: &CatalogForeignKey| -> CatalogForeignKey {
        let mut fk = fk.clone();
        fk.columns = fk.columns.iter().map(|c| renamed(c)).collect();
        fk.ref_table = renames.new_table_name(&fk.ref_table);
        let parent_renames: Vec<&ColumnRename> = renames
            .columns
            .iter()
            .filter(|r| same_name(dialect, &r.table, &fk.ref_table))
            .collect();
        fk.ref_columns = fk
            .ref_columns
            .iter()
            .map(|c| {
                parent_renames
                    .iter()
                    .find(|r| same_name(dialect, &r.from, c))
                    .map_or_else(|| c.clone(), |r| r.to.clone())
            })
            .collect();
        fk
    };
    let same = |a: &str, b: &str| same_name(dialect, a, b);
    let mut kept_keys: Vec<&CatalogForeignKey> = Vec::new();
    for fk in &cur.foreign_keys {
        if des.foreign_keys.iter().any(|d| d.same_as(&moved(fk), same)) {
            kept_keys.push(fk);
        } else {
            drop_keys.push(Change::DropForeignKey(fk.clone()));
            // MySQL keeps the index it made for the key: it goes with it.
            let implicit = cur.indexes.iter().find(|i| i.implicit && i.name == fk.name);
            if dialect.foreign_key_leaves_index()
                && let Some(index) = implicit
            {
                drop_keys.push(Change::DropIndex(index.clone()));
            }
        }
    }
    for fk in &des.foreign_keys {
        if !cur.foreign_keys.iter().any(|c| fk.same_as(&moved(c), same)) {
            add_keys.push(Change::AddForeignKey(fk.clone()));
        }
    }

    // Indexes, by their columns in the new names.
    let moved_index = |index: &CatalogIndex| -> CatalogIndex {
        let mut index = index.clone();
        index.columns = index.columns.iter().map(|c| renamed(c)).collect();
        index
    };
    let mut dropped_indexes = Vec::new();
    for index in counted_indexes(cur) {
        if !des
            .indexes
            .iter()
            .any(|d| same_index(dialect, d, &moved_index(index)))
        {
            dropped_indexes.push(index.clone());
        }
    }
    // An index the database makes for a foreign key comes back with the key.
    let added_indexes: Vec<CatalogIndex> = counted_indexes(des)
        .filter(|d| !counted_indexes(cur).any(|c| same_index(dialect, d, &moved_index(c))))
        .cloned()
        .collect();
    // MySQL refuses to drop the last index a kept foreign key uses: the key is dropped
    // before it and added again after, with an index of its own.
    if dialect.foreign_key_leaves_index() {
        for fk in kept_keys {
            let covers = |index: &CatalogIndex| {
                index.columns.len() >= fk.columns.len()
                    && index
                        .columns
                        .iter()
                        .zip(&fk.columns)
                        .all(|(a, b)| same(a, b))
            };
            let served = cur.indexes.iter().any(covers);
            let still = cur
                .indexes
                .iter()
                .any(|i| covers(i) && !dropped_indexes.iter().any(|d| d.name == i.name))
                || added_indexes.iter().any(|i| covers(&moved_index(i)));
            if served && !still {
                drop_keys.push(Change::DropForeignKey(fk.clone()));
                add_keys.push(Change::AddForeignKey(moved(fk)));
            }
        }
    }
    for index in dropped_indexes {
        changes.push(Change::DropIndex(index));
    }

    for rename in &column_renames {
        if let Some(column) = cur.columns.iter().find(|c| same(&c.name, &rename.from)) {
            changes.push(Change::RenameColumn {
                from: column.name.clone(),
                to: rename.to.clone(),
            });
        }
    }
    for column in &des.columns {
        if now(&column.name).is_none() {
            if column.auto_increment {
                return Err(ContractError::Unsupported {
                    what: format!(
                        "adds the auto-incrementing key `{table}.{}` to a table that has rows",
                        column.name
                    ),
                });
            }
            changes.push(Change::AddColumn(column.clone()));
        }
    }
    for column in &des.columns {
        let Some(was) = now(&column.name) else {
            continue;
        };
        if column.auto_increment != was.auto_increment {
            return Err(ContractError::Unsupported {
                what: format!(
                    "changes whether `{table}.{}` counts itself up (`Generated<…>` on the key)",
                    column.name
                ),
            });
        }
        if !same_column(dialect, column, was) {
            if column.ty.is_none() {
                return Err(ContractError::Unsupported {
                    what: format!(
                        "changes `{table}.{}`, of a type arte does not write",
                        column.name
                    ),
                });
            }
            changes.push(Change::Redefine {
                column: column.clone(),
                was: was.clone(),
            });
        }
    }
    for column in &cur.columns {
        if !des
            .columns
            .iter()
            .any(|d| same(&d.name, &renamed(&column.name)))
        {
            changes.push(Change::DropColumn(column.clone()));
        }
    }
    for index in added_indexes {
        changes.push(Change::AddIndex(index));
    }
    Ok(TableDiff {
        drop_keys,
        changes,
        add_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_read_tables_and_columns_and_refuse_the_rest() {
        let renames =
            Renames::parse(&["tags=labels", "items.title=items.name"]).unwrap_or_default();
        assert_eq!(renames.tables, [("tags".to_owned(), "labels".to_owned())]);
        assert_eq!(renames.columns.len(), 1);
        for bad in ["tags", "a.b=c", "a.b=c.d", "a b=c", "=x", "a.b.c=a.b.d"] {
            assert!(
                matches!(Renames::parse(&[bad]), Err(ContractError::BadRename { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn inverted_renames_undo_them() {
        let renames = Renames::parse(&["tags=labels", "tags.title=tags.name"]).unwrap_or_default();
        let back = renames.inverted();
        assert_eq!(back.tables, [("labels".to_owned(), "tags".to_owned())]);
        assert_eq!(
            back.columns,
            [ColumnRename {
                table: "labels".into(),
                from: "name".into(),
                to: "title".into()
            }]
        );
    }
}
