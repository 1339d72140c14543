//! Rendering: a validated statement to SQL text, in the words of a backend's [`Dialect`].
//! Every identifier is quoted here and every literal escaped here.

use super::SchemaError;
use super::model::{
    AlterAction, ColumnDef, ColumnDefault, DeclaredType, ForeignKeyDef, IndexDef, Statement,
    TableDef, Value,
};
use crate::backend::Dialect;

/// Checks every name and type, then renders the SQL of `dialect`. `live` is the current
/// definition of the table a rebuild reshapes.
pub(crate) fn to_sql(
    dialect: &dyn Dialect,
    statement: Statement,
    live: Option<&TableDef>,
) -> Result<Vec<String>, SchemaError> {
    let statement = statement.validated()?;
    refuse_actions(dialect, &statement)?;
    compile(dialect, &statement, live)
}

/// Refuses a foreign key whose `ON DELETE` or `ON UPDATE` the database would take and not
/// carry out: a key that silently does something else is worse than no statement at all.
fn refuse_actions(dialect: &dyn Dialect, statement: &Statement) -> Result<(), SchemaError> {
    match statement {
        Statement::CreateTable(def) => def
            .foreign_keys
            .iter()
            .try_for_each(|fk| refuse_action(dialect, &def.name, fk)),
        Statement::AlterTable { table, actions } => {
            actions.iter().try_for_each(|action| match action {
                AlterAction::AddForeignKey(fk) => refuse_action(dialect, table, fk),
                AlterAction::AddColumn(column) => match &column.references {
                    Some(reference) => {
                        refuse_action(dialect, table, &reference.foreign_key(table, &column.name)?)
                    }
                    None => Ok(()),
                },
                _ => Ok(()),
            })
        }
        _ => Ok(()),
    }
}

/// [`refuse_actions`] for one foreign key of `table`.
fn refuse_action(
    dialect: &dyn Dialect,
    table: &str,
    fk: &ForeignKeyDef,
) -> Result<(), SchemaError> {
    refuse_key_actions(
        dialect,
        table,
        &fk.name,
        &fk.columns,
        (fk.on_delete, fk.on_update),
    )
}

/// Refuses the key `name` over `columns` of `table` when the database does not carry out
/// its `ON DELETE` or `ON UPDATE` (`actions`): what the builder and a contract's migration
/// both say before any SQL runs.
pub(crate) fn refuse_key_actions(
    dialect: &dyn Dialect,
    table: &str,
    name: &str,
    columns: &[impl AsRef<str>],
    actions: (Option<super::Action>, Option<super::Action>),
) -> Result<(), SchemaError> {
    for (when, action) in [("DELETE", actions.0), ("UPDATE", actions.1)] {
        if let Some(action) = action
            && !dialect.carries_out(action)
        {
            return Err(SchemaError::UnsupportedAction {
                table: table.to_owned(),
                name: name.to_owned(),
                columns: columns
                    .iter()
                    .map(AsRef::as_ref)
                    .collect::<Vec<_>>()
                    .join(", "),
                clause: format!("ON {when} {}", action.sql()),
            });
        }
    }
    Ok(())
}

/// Renders a validated statement.
fn compile(
    dialect: &dyn Dialect,
    statement: &Statement,
    live: Option<&TableDef>,
) -> Result<Vec<String>, SchemaError> {
    Ok(match statement {
        Statement::CreateTable(def) => create_table(dialect, def),
        Statement::AlterTable { table, actions } => dialect.alter_table(table, actions, live)?,
        Statement::DropTable { name, if_exists } => vec![format!(
            "DROP TABLE {}{}",
            if *if_exists { "IF EXISTS " } else { "" },
            dialect.quote(name)
        )],
        Statement::RenameTable { from, to } => vec![dialect.rename_table(from, to)],
        Statement::CreateIndex {
            table,
            index,
            if_not_exists,
        } => vec![create_index(dialect, table, index, *if_not_exists)],
        Statement::DropIndex {
            table,
            name,
            if_exists,
        } => vec![dialect.drop_index(table, name, *if_exists)],
        Statement::Raw(sql) => vec![sql.clone()],
    })
}

pub(crate) fn quote_all(dialect: &dyn Dialect, names: &[String]) -> String {
    names
        .iter()
        .map(|n| dialect.quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn type_sql(dialect: &dyn Dialect, ty: &DeclaredType) -> String {
    match ty {
        DeclaredType::Known(ty) => dialect.type_name(*ty),
        // Validation refuses unknown types; declared ones come from a live SQLite table.
        DeclaredType::Declared(text) | DeclaredType::Unknown(text) => text.clone(),
    }
}

fn value_sql(dialect: &dyn Dialect, value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::Bool(b) => dialect.bool_literal(*b),
        Value::Int(n) => n.to_string(),
        Value::Float(x) => format!("{x:?}"),
        Value::Text(text) => dialect.string_literal(text),
    }
}

pub(crate) fn default_sql(dialect: &dyn Dialect, default: &ColumnDefault) -> String {
    match default {
        ColumnDefault::Value(value) => value_sql(dialect, value),
        ColumnDefault::Raw(expression) => expression.clone(),
    }
}

/// `"name" type [PRIMARY KEY] [NOT NULL] [UNIQUE] [DEFAULT …]`.
pub(crate) fn column_sql(dialect: &dyn Dialect, column: &ColumnDef) -> String {
    let mut sql = String::new();
    push_column(&mut sql, dialect, column);
    sql
}

/// [`column_sql`], written at the end of `out`.
fn push_column(out: &mut String, dialect: &dyn Dialect, column: &ColumnDef) {
    if column.auto_increment {
        out.push_str(&dialect.id_column(&dialect.quote(&column.name)));
        return;
    }
    dialect.quote_into(out, &column.name);
    out.push(' ');
    out.push_str(&type_sql(dialect, &column.ty));
    if column.primary_key {
        out.push_str(" PRIMARY KEY");
    }
    if column.not_null {
        out.push_str(" NOT NULL");
    } else {
        out.push_str(dialect.nullable_clause());
    }
    if column.unique {
        out.push_str(" UNIQUE");
    }
    if let Some(default) = &column.default {
        out.push_str(" DEFAULT ");
        match (default, dialect.now_for(&column.ty)) {
            (ColumnDefault::Raw(expression), Some(now)) if is_now(expression) => {
                out.push_str(now);
            }
            _ => out.push_str(&default_sql(dialect, default)),
        }
    }
}

/// `CURRENT_TIMESTAMP`, `CURRENT_TIMESTAMP()` or `now()`, in any case.
fn is_now(expression: &str) -> bool {
    let expression = expression.trim();
    ["CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()", "NOW()"]
        .iter()
        .any(|now| expression.eq_ignore_ascii_case(now))
}

/// ` REFERENCES "t" ("c") [ON DELETE …] [ON UPDATE …]`: the tail of a foreign key.
pub(crate) fn references_sql(
    dialect: &dyn Dialect,
    ref_table: &str,
    ref_columns: &[String],
    fk: (Option<super::Action>, Option<super::Action>),
) -> String {
    let mut sql = format!(
        " REFERENCES {} ({})",
        dialect.quote(ref_table),
        quote_all(dialect, ref_columns)
    );
    if let Some(action) = fk.0 {
        sql.push_str(" ON DELETE ");
        sql.push_str(action.sql());
    }
    if let Some(action) = fk.1 {
        sql.push_str(" ON UPDATE ");
        sql.push_str(action.sql());
    }
    sql
}

/// `CONSTRAINT "name" FOREIGN KEY (…) REFERENCES "t" (…) [ON DELETE …] [ON UPDATE …]`.
pub(crate) fn foreign_key_sql(dialect: &dyn Dialect, fk: &ForeignKeyDef) -> String {
    format!(
        "CONSTRAINT {} FOREIGN KEY ({}){}",
        dialect.quote(&fk.name),
        quote_all(dialect, &fk.columns),
        references_sql(
            dialect,
            &fk.ref_table,
            &fk.ref_columns,
            (fk.on_delete, fk.on_update)
        )
    )
}

/// `CREATE TABLE` and the indexes created with it.
pub(crate) fn create_table(dialect: &dyn Dialect, def: &TableDef) -> Vec<String> {
    // One buffer for the statement: a table's columns, keys and constraints are written
    // into it in turn, not each into a string of its own and then joined.
    let mut sql = String::with_capacity(64 + 64 * def.columns.len());
    sql.push_str("CREATE TABLE ");
    if def.if_not_exists {
        sql.push_str("IF NOT EXISTS ");
    }
    dialect.quote_into(&mut sql, &def.name);
    sql.push_str(" (");
    let mut first = true;
    let mut next = |sql: &mut String| {
        if !std::mem::take(&mut first) {
            sql.push_str(", ");
        }
    };
    for column in &def.columns {
        next(&mut sql);
        push_column(&mut sql, dialect, column);
    }
    if let Some(key) = &def.primary_key {
        next(&mut sql);
        sql.push_str("PRIMARY KEY (");
        sql.push_str(&quote_all(dialect, key));
        sql.push(')');
    }
    for unique in &def.uniques {
        next(&mut sql);
        sql.push_str("CONSTRAINT ");
        dialect.quote_into(&mut sql, &unique.name);
        sql.push_str(" UNIQUE (");
        sql.push_str(&quote_all(dialect, &unique.columns));
        sql.push(')');
    }
    for fk in &def.foreign_keys {
        next(&mut sql);
        sql.push_str(&foreign_key_sql(dialect, fk));
    }
    sql.push(')');
    let mut statements = Vec::with_capacity(1 + def.indexes.len());
    statements.push(sql);
    for index in &def.indexes {
        statements.push(create_index(dialect, &def.name, index, def.if_not_exists));
    }
    statements
}

pub(crate) fn create_index(
    dialect: &dyn Dialect,
    table: &str,
    index: &IndexDef,
    if_not_exists: bool,
) -> String {
    if let Some(sql) = &index.verbatim {
        return sql.clone();
    }
    format!(
        "CREATE {}INDEX {}{} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        dialect.quote(&index.name),
        dialect.quote(table),
        quote_all(dialect, &index.columns)
    )
}

/// One `ALTER TABLE` change, for a database that says every change natively.
pub(crate) fn alter_action(
    dialect: &dyn Dialect,
    table: &str,
    action: &AlterAction,
) -> Vec<String> {
    let alter = format!("ALTER TABLE {}", dialect.quote(table));
    let q = |name: &str| dialect.quote(name);
    match action {
        AlterAction::AddColumn(column) => {
            let mut column = column.clone();
            let reference = column.references.take();
            let mut statements = vec![format!(
                "{alter} ADD COLUMN {}",
                column_sql(dialect, &column)
            )];
            // Validation has refused a `references` that is not `table.column`.
            if let Some(fk) = reference.and_then(|r| r.foreign_key(table, &column.name).ok()) {
                statements.push(format!("{alter} ADD {}", foreign_key_sql(dialect, &fk)));
            }
            statements
        }
        AlterAction::DropColumn(column) => vec![format!("{alter} DROP COLUMN {}", q(column))],
        AlterAction::RenameColumn { from, to } => {
            vec![format!("{alter} RENAME COLUMN {} TO {}", q(from), q(to))]
        }
        AlterAction::ChangeColumn(column) => vec![dialect.change_column(&alter, column)],
        AlterAction::SetDefault { column, default } => vec![format!(
            "{alter} ALTER COLUMN {} SET DEFAULT {}",
            q(column),
            default_sql(dialect, default)
        )],
        AlterAction::DropDefault { column } => {
            vec![format!("{alter} ALTER COLUMN {} DROP DEFAULT", q(column))]
        }
        AlterAction::AddForeignKey(fk) => {
            vec![format!("{alter} ADD {}", foreign_key_sql(dialect, fk))]
        }
        AlterAction::DropForeignKey { name } => vec![dialect.drop_foreign_key(&alter, name)],
        AlterAction::AddIndex(index) => vec![create_index(dialect, table, index, false)],
        AlterAction::DropIndex { name } => vec![dialect.drop_index(table, name, false)],
        AlterAction::DropUnique { name } => dialect.drop_unique(&alter, table, name),
    }
}
