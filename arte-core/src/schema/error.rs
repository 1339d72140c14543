//! Why the schema builder refused a statement, before any SQL ran.

/// A schema statement refused before any SQL ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// A name that is not a plain identifier.
    #[error(
        "`{name}` is not a valid {kind} name; use letters, digits and underscores, starting with a letter or underscore, at most 63 characters"
    )]
    InvalidIdentifier {
        /// `table`, `column`, `index`…
        kind: &'static str,
        /// The name as given.
        name: String,
    },
    /// A column type arte does not know.
    #[error("column `{column}` has the unknown type `{ty}`; the known types are: {known}")]
    UnknownType {
        /// The column.
        column: String,
        /// The type as given.
        ty: String,
        /// The types arte knows.
        known: &'static str,
    },
    /// A module's migration named a table without the module's prefix.
    #[error(
        "module `{module}` may only create tables whose names start with `{module}_`, but this migration {action} `{table}`; name it `{module}_{table}`"
    )]
    ModulePrefix {
        /// The module whose migration is running.
        module: String,
        /// The table named.
        table: String,
        /// What the statement does (`creates`, `renames a table to`).
        action: &'static str,
    },
    /// A table created without columns.
    #[error(
        "table `{table}` has no columns; add at least one with `add_column` or `add_id_column`"
    )]
    NoColumns {
        /// The table.
        table: String,
    },
    /// Two columns of one table share a name.
    #[error("table `{table}` has the column `{column}` twice; remove or rename one")]
    DuplicateColumn {
        /// The table.
        table: String,
        /// The repeated column.
        column: String,
    },
    /// A table given more than one primary key.
    #[error(
        "table `{table}` has more than one primary key ({columns}); mark one column, or declare one composite `primary_key(&[…])`"
    )]
    SeveralPrimaryKeys {
        /// The table.
        table: String,
        /// The columns marked.
        columns: String,
    },
    /// A key, index or change names a column the table does not have.
    #[error("table `{table}` has no column `{column}`")]
    NoSuchColumn {
        /// The table.
        table: String,
        /// The missing column.
        column: String,
    },
    /// An index, key or foreign key over no columns.
    #[error("the {what} on `{table}` names no columns; give at least one")]
    NoColumnsIn {
        /// `index`, `foreign key`, …
        what: &'static str,
        /// The table.
        table: String,
    },
    /// `references("…")` that is not `table.column`.
    #[error("column `{column}` references `{target}`; write `references(\"table.column\")`")]
    BadReference {
        /// The column.
        column: String,
        /// What was written.
        target: String,
    },
    /// A foreign key whose two column lists differ in length.
    #[error(
        "foreign key `{name}` has {columns} column(s) pointing at {ref_columns}; give as many referenced columns as columns"
    )]
    ForeignKeyArity {
        /// The constraint.
        name: String,
        /// How many columns.
        columns: usize,
        /// How many referenced columns.
        ref_columns: usize,
    },
    /// `on_delete`/`on_update` with no `references` before it.
    #[error(
        "column `{column}` sets `on_delete`/`on_update` without `references(\"table.column\")` before it"
    )]
    DanglingAction {
        /// The column.
        column: String,
    },
    /// A foreign key action MySQL/MariaDB accept but do not carry out (InnoDB acts as
    /// `RESTRICT` for `SET DEFAULT`).
    #[error(
        "the foreign key `{name}` of `{table}` ({columns}) asks for `{clause}`, which MySQL/MariaDB does not carry out (it refuses the change instead); use `set_null`, `restrict` or `cascade` (`Action::SetNull`, `Action::Restrict`, `Action::Cascade`), or set the default in the application"
    )]
    UnsupportedAction {
        /// The table.
        table: String,
        /// The foreign key's name.
        name: String,
        /// Its columns, comma-separated.
        columns: String,
        /// `ON DELETE SET DEFAULT`.
        clause: String,
    },
    /// An index MySQL/MariaDB will not drop: a foreign key has no other index to use.
    #[error(
        "MySQL/MariaDB cannot drop the index `{index}` of `{table}`, which the foreign key `{foreign_key}` ({columns}) needs; in the same `alter_table`, drop that key first (`drop_foreign_key_named(\"{foreign_key}\")`) and add it again after (`add_foreign_key`), or add an index over ({columns}) before the drop"
    )]
    IndexNeededByForeignKey {
        /// The table.
        table: String,
        /// The index to drop.
        index: String,
        /// The foreign key that needs it.
        foreign_key: String,
        /// The key's columns, comma-separated.
        columns: String,
    },
    /// `change_column` given more than type, nullability and default.
    #[error(
        "`change_column(\"{column}\")` changes type, nullability and default only; add keys with `add_unique`, `add_index` or `add_foreign_key`"
    )]
    ChangeColumnExtras {
        /// The column.
        column: String,
    },
    /// An `ALTER TABLE` with nothing to do.
    #[error("`alter_table(\"{table}\")` has no changes; add at least one")]
    NoChanges {
        /// The table.
        table: String,
    },
    /// On SQLite, a change that rebuilds the table needs its live definition.
    #[error(
        "on SQLite this change to `{table}` rebuilds the table from its current definition; build it with `db.schema()`, or call `to_sql_from` with a `create_table` that describes the table"
    )]
    NeedsLiveTable {
        /// The table.
        table: String,
    },
    /// The table to change does not exist.
    #[error("table `{table}` does not exist")]
    NoSuchTable {
        /// The table.
        table: String,
    },
    /// A foreign key or index to drop is not there.
    #[error("table `{table}` has no {what} named `{name}`")]
    NoSuchConstraint {
        /// The table.
        table: String,
        /// `foreign key` or `index`.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// On SQLite, a rebuild inside a transaction the caller opened with foreign keys on.
    #[error(
        "on SQLite, changing `{table}` rebuilds the table, which needs foreign keys off, and they cannot be turned off inside the open transaction; run the change in a migration or outside a transaction"
    )]
    RebuildWithForeignKeys {
        /// The table.
        table: String,
    },
    /// A statement built with [`Schema::sql_only`](super::Schema::sql_only) was asked to run.
    #[error(
        "this statement was built with `Schema::sql_only()` and has no database to run on; build it with `db.schema()`"
    )]
    NoDatabase,
}
