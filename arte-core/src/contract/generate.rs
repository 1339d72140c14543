//! Steps as schema-builder code: each statement is data ([`Stmt`]) that is both written out
//! as Rust, formatted the way rustfmt formats it, and run on a database through the
//! builder itself, so that the file a user gets is exactly what was tried.

use super::ContractError;
use super::diff::{Change, Step};
use crate::backend::catalog::number;
use crate::backend::{CatalogColumn, CatalogDefault, CatalogIndex, CatalogTable, Dialect};
use crate::db::Db;
use crate::error::Result;
use crate::schema::{Action, ColumnBuilder, ForeignKeyBuilder, conventional_name};
use arte_vocab::ColumnType;

/// `db.schema()` followed by calls and `.execute()`, with comments above it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stmt {
    pub comments: Vec<String>,
    pub calls: Vec<Call>,
}

/// `.method(args)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub method: &'static str,
    pub args: Vec<Arg>,
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    /// `"text"`.
    Str(String),
    /// `&["a", "b"]`.
    Strs(Vec<String>),
    /// A default's literal: `0`, `-1.5`, `true`, `"new"`.
    Literal(Literal),
    /// `Action::Cascade`.
    Action(Action),
    /// `|c| c.not_null()`: the parameter and the calls on it.
    Closure(&'static str, Vec<Call>),
}

/// A literal default.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Int(i64),
    /// A float, as written: `-1.5`.
    Float(String),
    Bool(bool),
    Text(String),
}

fn call(method: &'static str, args: Vec<Arg>) -> Call {
    Call { method, args }
}

fn s(text: &str) -> Arg {
    Arg::Str(text.to_owned())
}

fn strs(items: &[String]) -> Arg {
    Arg::Strs(items.to_vec())
}

// -- From steps to statements.

/// The statements of `steps` on `dialect`; with `warn`, a comment above each drop says that
/// a rename would have kept the data.
pub(crate) fn statements(
    dialect: &dyn Dialect,
    steps: &[Step],
    warn: bool,
) -> Result<Vec<Stmt>, ContractError> {
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::RenameTable { from, to } => out.push(Stmt {
                comments: Vec::new(),
                calls: vec![call("rename_table", vec![s(from), s(to)])],
            }),
            Step::DropTable(table) => out.push(Stmt {
                comments: warn
                    .then(|| {
                        format!(
                            "Drops `{0}` with its rows. If it was renamed rather than removed, make this migration again with `--rename {0}=NEW_NAME`.",
                            table.name
                        )
                    })
                    .into_iter()
                    .collect(),
                calls: vec![call("drop_table", vec![s(&table.name)])],
            }),
            Step::CreateTable(table) => out.extend(create_table(dialect, table)?),
            Step::Alter { table, changes } => out.extend(alter_table(table, changes, warn)?),
        }
    }
    Ok(out)
}

fn column_type(table: &str, column: &CatalogColumn) -> Result<ColumnType, ContractError> {
    column.ty.ok_or_else(|| ContractError::Unsupported {
        what: format!(
            "writes `{table}.{}`, whose type `{}` the schema builder does not know",
            column.name, column.found
        ),
    })
}

/// `not_null()` and the default, as `add_column` and `change_column` say them.
fn column_calls(column: &CatalogColumn, ty: ColumnType) -> Vec<Call> {
    let mut calls = Vec::new();
    if !column.nullable {
        calls.push(call("not_null", vec![]));
    }
    if let Some(default) = &column.default {
        calls.push(default_call(default, ty));
    }
    calls
}

fn default_call(default: &CatalogDefault, ty: ColumnType) -> Call {
    let raw = |sql: &str| call("default_raw", vec![s(sql)]);
    match default {
        CatalogDefault::Bool(b) => call("default", vec![Arg::Literal(Literal::Bool(*b))]),
        CatalogDefault::Text(text) => {
            call("default", vec![Arg::Literal(Literal::Text(text.clone()))])
        }
        CatalogDefault::Expression(sql) => raw(sql),
        CatalogDefault::Number(n) => {
            if let Ok(int) = n.parse::<i64>() {
                return call("default", vec![Arg::Literal(Literal::Int(int))]);
            }
            // A float literal where it reads back as written; an exact decimal as SQL.
            let float = n.parse::<f64>().ok().map(|x| format!("{x:?}"));
            match float {
                Some(text) if number(&text).as_deref() == Some(n) && ty != ColumnType::Text => {
                    call("default", vec![Arg::Literal(Literal::Float(text))])
                }
                _ => raw(n),
            }
        }
    }
}

fn action_calls(on_delete: Action, on_update: Action) -> Vec<Call> {
    let mut calls = Vec::new();
    if on_delete != Action::NoAction {
        calls.push(call("on_delete", vec![Arg::Action(on_delete)]));
    }
    if on_update != Action::NoAction {
        calls.push(call("on_update", vec![Arg::Action(on_update)]));
    }
    calls
}

fn is_timestamp(column: &CatalogColumn, nullable: bool) -> bool {
    column.ty == Some(ColumnType::Timestamp) && column.nullable == nullable
}

fn is_now(column: &CatalogColumn) -> bool {
    column
        .default
        .as_ref()
        .is_some_and(|d| d.same_as(&CatalogDefault::Expression("CURRENT_TIMESTAMP".into())))
}

fn create_table(dialect: &dyn Dialect, table: &CatalogTable) -> Result<Vec<Stmt>, ContractError> {
    let name = table.name.as_str();
    let mut calls = vec![call("create_table", vec![s(name)])];
    let mut after = Vec::new();
    let single_key = match table.primary_key.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    // Foreign keys of one column with the conventional name go on their column.
    let inline_key = |column: &str| {
        table.foreign_keys.iter().find(|fk| {
            fk.columns.len() == 1
                && fk.columns[0] == column
                && fk.name == conventional_name(name, &fk.columns, "foreign")
        })
    };
    let columns = &table.columns;
    let mut at = 0;
    while at < columns.len() {
        let column = &columns[at];
        let next = columns.get(at + 1);
        if column.auto_increment {
            if column.name != "id" || single_key != Some("id") {
                return Err(ContractError::Unsupported {
                    what: format!(
                        "creates the auto-incrementing key `{name}.{}` (`add_id_column` makes one named `id`)",
                        column.name
                    ),
                });
            }
            calls.push(call("add_id_column", vec![]));
            at += 1;
            continue;
        }
        if column.name == "created_at"
            && next.is_some_and(|n| n.name == "updated_at" && is_timestamp(n, false) && is_now(n))
            && is_timestamp(column, false)
            && is_now(column)
            && single_key != Some("created_at")
        {
            calls.push(call("add_timestamp_columns", vec![]));
            at += 2;
            continue;
        }
        if column.name == "deleted_at" && is_timestamp(column, true) && column.default.is_none() {
            calls.push(call("add_soft_delete_column", vec![]));
            at += 1;
            continue;
        }
        let ty = column_type(name, column)?;
        let mut shape = Vec::new();
        if single_key == Some(column.name.as_str()) {
            shape.push(call("primary_key", vec![]));
        } else if !column.nullable {
            shape.push(call("not_null", vec![]));
        }
        if let Some(default) = &column.default {
            shape.push(default_call(default, ty));
        }
        if let Some(fk) = inline_key(&column.name) {
            let target = format!("{}.{}", fk.ref_table, fk.ref_columns.join(""));
            shape.push(call("references", vec![Arg::Str(target)]));
            shape.extend(action_calls(fk.on_delete, fk.on_update));
        }
        calls.push(call(
            "add_column",
            vec![
                s(&column.name),
                Arg::Str(ty.to_string()),
                Arg::Closure("c", shape),
            ],
        ));
        at += 1;
    }
    if table.primary_key.len() > 1 {
        calls.push(call("primary_key", vec![strs(&table.primary_key)]));
    }
    for index in &table.indexes {
        if index.implicit {
            continue;
        }
        let suffix = if index.unique { "unique" } else { "index" };
        let conventional = index.name == conventional_name(name, &index.columns, suffix);
        let as_part = if index.unique {
            index.constraint_like(dialect)
                && (conventional || index.name.starts_with("sqlite_autoindex_"))
        } else {
            conventional
        };
        if as_part {
            let method = if index.unique {
                "add_unique"
            } else {
                "add_index"
            };
            calls.push(call(method, vec![strs(&index.columns)]));
        } else {
            after.push(create_index(name, index, conventional));
        }
    }
    for fk in &table.foreign_keys {
        if inline_key(fk.columns.first().map_or("", String::as_str)).is_some_and(|k| k == fk) {
            continue;
        }
        let mut shape = Vec::new();
        if fk.name != conventional_name(name, &fk.columns, "foreign") {
            shape.push(call("name", vec![s(&fk.name)]));
        }
        shape.extend(action_calls(fk.on_delete, fk.on_update));
        calls.push(call(
            "add_foreign_key",
            vec![
                strs(&fk.columns),
                s(&fk.ref_table),
                strs(&fk.ref_columns),
                Arg::Closure("fk", shape),
            ],
        ));
    }
    let mut out = vec![Stmt {
        comments: Vec::new(),
        calls,
    }];
    out.extend(after);
    Ok(out)
}

impl CatalogIndex {
    /// A unique constraint as the database keeps it (MySQL keeps every unique constraint
    /// as an index, and reports none as a constraint).
    fn constraint_like(&self, dialect: &dyn Dialect) -> bool {
        self.constraint || dialect.foreign_key_leaves_index()
    }
}

/// `create_index(table, &[…])`, `.unique()`, `.name(…)` when the name is not the
/// conventional one.
fn create_index(table: &str, index: &CatalogIndex, conventional: bool) -> Stmt {
    let mut calls = vec![call("create_index", vec![s(table), strs(&index.columns)])];
    if index.unique {
        calls.push(call("unique", vec![]));
    }
    if !conventional {
        calls.push(call("name", vec![s(&index.name)]));
    }
    Stmt {
        comments: Vec::new(),
        calls,
    }
}

fn alter_table(table: &str, changes: &[Change], warn: bool) -> Result<Vec<Stmt>, ContractError> {
    let mut calls = vec![call("alter_table", vec![s(table)])];
    let mut comments = Vec::new();
    let mut after = Vec::new();
    for change in changes {
        match change {
            Change::DropForeignKey(fk) => {
                if fk.name == conventional_name(table, &fk.columns, "foreign") {
                    calls.push(call("drop_foreign_key", vec![strs(&fk.columns)]));
                } else {
                    calls.push(call("drop_foreign_key_named", vec![s(&fk.name)]));
                }
            }
            Change::DropIndex(index) if index.unique && index.constraint => {
                if index.name == conventional_name(table, &index.columns, "unique") {
                    calls.push(call("drop_unique", vec![strs(&index.columns)]));
                } else {
                    calls.push(call("drop_unique_named", vec![s(&index.name)]));
                }
            }
            Change::DropIndex(index) => calls.push(call("drop_index", vec![s(&index.name)])),
            Change::RenameColumn { from, to } => {
                calls.push(call("rename_column", vec![s(from), s(to)]))
            }
            Change::AddColumn(column) => {
                let ty = column_type(table, column)?;
                calls.push(call(
                    "add_column",
                    vec![
                        s(&column.name),
                        Arg::Str(ty.to_string()),
                        Arg::Closure("c", column_calls(column, ty)),
                    ],
                ));
            }
            Change::Redefine { column, .. } => {
                let ty = column_type(table, column)?;
                calls.push(call(
                    "change_column",
                    vec![
                        s(&column.name),
                        Arg::Str(ty.to_string()),
                        Arg::Closure("c", column_calls(column, ty)),
                    ],
                ));
            }
            Change::DropColumn(column) => {
                if warn {
                    comments.push(format!(
                    "Drops `{table}.{0}` with its values. If it was renamed rather than removed, make this migration again with `--rename {table}.{0}={table}.NEW_NAME`.",
                    column.name
                ));
                }
                calls.push(call("drop_column", vec![s(&column.name)]));
            }
            Change::AddIndex(index) => {
                let suffix = if index.unique { "unique" } else { "index" };
                if index.name == conventional_name(table, &index.columns, suffix) {
                    let method = if index.unique {
                        "add_unique"
                    } else {
                        "add_index"
                    };
                    calls.push(call(method, vec![strs(&index.columns)]));
                } else {
                    after.push(create_index(table, index, false));
                }
            }
            Change::AddForeignKey(fk) => {
                let mut shape = Vec::new();
                if fk.name != conventional_name(table, &fk.columns, "foreign") {
                    shape.push(call("name", vec![s(&fk.name)]));
                }
                shape.extend(action_calls(fk.on_delete, fk.on_update));
                calls.push(call(
                    "add_foreign_key",
                    vec![
                        strs(&fk.columns),
                        s(&fk.ref_table),
                        strs(&fk.ref_columns),
                        Arg::Closure("fk", shape),
                    ],
                ));
            }
        }
    }
    let mut out = Vec::new();
    if calls.len() > 1 {
        out.push(Stmt { comments, calls });
    }
    out.extend(after);
    Ok(out)
}

// -- Running statements through the builder.

/// Runs `stmt` on `db` through the schema builder: the same calls as the file's.
pub(crate) fn run(db: &mut Db, stmt: &Stmt) -> Result<()> {
    let Some((first, rest)) = stmt.calls.split_first() else {
        return Ok(());
    };
    let schema = db.schema();
    match first.method {
        "create_table" => {
            let mut builder = schema.create_table(text(first, 0));
            for c in rest {
                builder = match c.method {
                    "add_id_column" => builder.add_id_column(),
                    "add_timestamp_columns" => builder.add_timestamp_columns(),
                    "add_soft_delete_column" => builder.add_soft_delete_column(),
                    "add_column" => builder.add_column(text(c, 0), text(c, 1), |col| {
                        shape_column(col, closure(c, 2))
                    }),
                    "primary_key" => builder.primary_key(&list(c, 0)),
                    "add_unique" => builder.add_unique(&list(c, 0)),
                    "add_index" => builder.add_index(&list(c, 0)),
                    "add_foreign_key" => {
                        builder.add_foreign_key(&list(c, 0), text(c, 1), &list(c, 2), |fk| {
                            shape_key(fk, closure(c, 3))
                        })
                    }
                    _ => builder,
                };
            }
            builder.execute()
        }
        "alter_table" => {
            let mut builder = schema.alter_table(text(first, 0));
            for c in rest {
                builder = match c.method {
                    "drop_foreign_key" => builder.drop_foreign_key(&list(c, 0)),
                    "drop_foreign_key_named" => builder.drop_foreign_key_named(text(c, 0)),
                    "drop_unique" => builder.drop_unique(&list(c, 0)),
                    "drop_unique_named" => builder.drop_unique_named(text(c, 0)),
                    "drop_index" => builder.drop_index(text(c, 0)),
                    "rename_column" => builder.rename_column(text(c, 0), text(c, 1)),
                    "add_column" => builder.add_column(text(c, 0), text(c, 1), |col| {
                        shape_column(col, closure(c, 2))
                    }),
                    "change_column" => builder.change_column(text(c, 0), text(c, 1), |col| {
                        shape_column(col, closure(c, 2))
                    }),
                    "drop_column" => builder.drop_column(text(c, 0)),
                    "add_index" => builder.add_index(&list(c, 0)),
                    "add_unique" => builder.add_unique(&list(c, 0)),
                    "add_foreign_key" => {
                        builder.add_foreign_key(&list(c, 0), text(c, 1), &list(c, 2), |fk| {
                            shape_key(fk, closure(c, 3))
                        })
                    }
                    _ => builder,
                };
            }
            builder.execute()
        }
        "create_index" => {
            let mut builder = schema.create_index(text(first, 0), &list(first, 1));
            for c in rest {
                builder = match c.method {
                    "unique" => builder.unique(),
                    "name" => builder.name(text(c, 0)),
                    _ => builder,
                };
            }
            builder.execute()
        }
        "rename_table" => schema
            .rename_table(text(first, 0), text(first, 1))
            .execute(),
        "drop_table" => schema.drop_table(text(first, 0)).execute(),
        _ => Ok(()),
    }
}

fn text(c: &Call, at: usize) -> &str {
    match c.args.get(at) {
        Some(Arg::Str(text)) => text,
        _ => "",
    }
}

fn list(c: &Call, at: usize) -> Vec<&str> {
    match c.args.get(at) {
        Some(Arg::Strs(items)) => items.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn closure(c: &Call, at: usize) -> &[Call] {
    match c.args.get(at) {
        Some(Arg::Closure(_, calls)) => calls,
        _ => &[],
    }
}

fn action(c: &Call) -> Action {
    match c.args.first() {
        Some(Arg::Action(action)) => *action,
        _ => Action::NoAction,
    }
}

fn shape_column(mut col: ColumnBuilder, calls: &[Call]) -> ColumnBuilder {
    for c in calls {
        col = match (c.method, c.args.first()) {
            ("not_null", _) => col.not_null(),
            ("primary_key", _) => col.primary_key(),
            ("unique", _) => col.unique(),
            ("default", Some(Arg::Literal(Literal::Int(n)))) => col.default(*n),
            ("default", Some(Arg::Literal(Literal::Float(x)))) => {
                col.default(x.parse::<f64>().unwrap_or_default())
            }
            ("default", Some(Arg::Literal(Literal::Bool(b)))) => col.default(*b),
            ("default", Some(Arg::Literal(Literal::Text(t)))) => col.default(t.as_str()),
            ("default_raw", Some(Arg::Str(sql))) => col.default_raw(sql.as_str()),
            ("references", Some(Arg::Str(target))) => col.references(target),
            ("on_delete", _) => col.on_delete(action(c)),
            ("on_update", _) => col.on_update(action(c)),
            _ => col,
        };
    }
    col
}

fn shape_key(mut fk: ForeignKeyBuilder, calls: &[Call]) -> ForeignKeyBuilder {
    for c in calls {
        fk = match c.method {
            "name" => fk.name(text(c, 0)),
            "on_delete" => fk.on_delete(action(c)),
            "on_update" => fk.on_update(action(c)),
            _ => fk,
        };
    }
    fk
}

// -- Writing statements as Rust, as rustfmt lays it out.

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `chain_width` and `fn_call_width` (its default "small heuristics").
const SMALL: usize = 60;
/// One level of indentation.
const TAB: usize = 4;

/// A migration file: `up` and `down` from their statements.
pub(crate) fn file(
    name: &str,
    module: Option<&str>,
    up: &[Stmt],
    down: &[Stmt],
    header: &[String],
) -> String {
    let uses_action = up
        .iter()
        .chain(down)
        .any(|stmt| stmt.calls.iter().any(uses_action));
    let mut out = String::new();
    for line in header {
        out.push_str(&comment(0, line));
    }
    out.push_str("use arte_core::prelude::*;\n");
    if uses_action {
        out.push_str("use arte_core::schema::Action;\n");
    }
    out.push('\n');
    match module {
        Some(module) => out.push_str(&format!(
            "#[migration(\"{name}\", module = \"{module}\")]\n"
        )),
        None => out.push_str(&format!("#[migration(\"{name}\")]\n")),
    }
    out.push_str("pub fn up(db: &mut Db) -> Result<()> {\n");
    out.push_str(&body(up));
    out.push_str("}\n\npub fn down(db: &mut Db) -> Result<()> {\n");
    out.push_str(&body(down));
    out.push_str("}\n");
    out
}

/// A squash file: a `//!` header, the `squash!` registration, `up` and `down`.
pub(crate) fn squash_file(
    header: &[String],
    registration: &str,
    up: &[Stmt],
    down: &[Stmt],
) -> String {
    let uses_action = up
        .iter()
        .chain(down)
        .any(|stmt| stmt.calls.iter().any(uses_action));
    let mut out = String::new();
    for line in header {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str(&wrapped(0, "//!", line));
        }
    }
    out.push_str("\nuse arte_core::prelude::*;\n");
    if uses_action {
        out.push_str("use arte_core::schema::Action;\n");
    }
    out.push('\n');
    out.push_str(registration);
    out.push_str("\npub fn up(db: &mut Db) -> Result<()> {\n");
    out.push_str(&body(up));
    out.push_str("}\n\npub fn down(db: &mut Db) -> Result<()> {\n");
    out.push_str(&body(down));
    out.push_str("}\n");
    out
}

fn uses_action(c: &Call) -> bool {
    c.args.iter().any(|arg| match arg {
        Arg::Action(_) => true,
        Arg::Closure(_, calls) => calls.iter().any(uses_action),
        _ => false,
    })
}

/// A function's statements: each `…?;`, the last one its value.
fn body(stmts: &[Stmt]) -> String {
    let mut out = String::new();
    if stmts.is_empty() {
        out.push_str(&format!(
            "{}let _ = db;\n{}Ok(())\n",
            " ".repeat(TAB),
            " ".repeat(TAB)
        ));
        return out;
    }
    for (at, stmt) in stmts.iter().enumerate() {
        if at > 0 && !stmt.comments.is_empty() {
            out.push('\n');
        }
        for line in &stmt.comments {
            out.push_str(&comment(TAB, line));
        }
        let last = at + 1 == stmts.len();
        let mut calls = vec![call("schema", vec![])];
        calls.extend(stmt.calls.iter().cloned());
        calls.push(call("execute", vec![]));
        out.push_str(&" ".repeat(TAB));
        out.push_str(&chain("db", &calls, TAB, if last { "" } else { "?;" }));
        out.push('\n');
    }
    out
}

/// A `// …` comment, its words wrapped at the width rustfmt keeps.
fn comment(indent: usize, text: &str) -> String {
    wrapped(indent, "//", text)
}

/// `text` after `prefix` (`//` or `//!`), its words wrapped at the width rustfmt keeps.
fn wrapped(indent: usize, prefix: &str, text: &str) -> String {
    let room = MAX_WIDTH - indent - prefix.len() - 1;
    let mut out = String::new();
    let mut line = String::new();
    let pad = " ".repeat(indent);
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > room {
            out.push_str(&format!("{pad}{prefix} {line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}{prefix} {line}\n"));
    }
    out
}

/// `root.call().call()` followed by `suffix`, starting at column `indent` (the caller has
/// written the indentation of the first line).
fn chain(root: &str, calls: &[Call], indent: usize, suffix: &str) -> String {
    let one_line: Option<String> = calls
        .iter()
        .map(|c| one_line_call(c).map(|args| format!(".{}({args})", c.method)))
        .collect::<Option<Vec<_>>>()
        .map(|parts| format!("{root}{}", parts.concat()));
    if let Some(line) = &one_line
        && line.len() + suffix.len() <= SMALL
        && indent + line.len() + suffix.len() <= MAX_WIDTH
    {
        return format!("{line}{suffix}");
    }
    // One call per line; a root shorter than the indentation keeps its first call.
    let inner = indent + TAB;
    let (first, rest) = match calls.split_first() {
        Some((first, rest)) if root.len() <= TAB => (Some(first), rest),
        _ => (None, calls),
    };
    let mut out = root.to_owned();
    if let Some(first) = first {
        out.push_str(&call_text(
            first,
            indent,
            root.len(),
            if rest.is_empty() { suffix } else { "" },
        ));
    }
    for (at, c) in rest.iter().enumerate() {
        let last = at + 1 == rest.len();
        out.push('\n');
        out.push_str(&" ".repeat(inner));
        out.push_str(&call_text(c, inner, 0, if last { suffix } else { "" }));
    }
    out
}

/// `.method(args)` at column `indent` (+ `offset` of text before it on the line).
fn call_text(c: &Call, indent: usize, offset: usize, suffix: &str) -> String {
    let head = format!(".{}(", c.method);
    if let Some(args) = one_line_call(c)
        && args.len() <= SMALL
        && indent + offset + head.len() + args.len() + 1 + suffix.len() <= MAX_WIDTH
    {
        return format!("{head}{args}){suffix}");
    }
    // The last argument overflows: a closure's body in a block, or an array's items.
    if let Some((last, others)) = c.args.split_last() {
        let before: Option<Vec<String>> = others.iter().map(one_line_arg).collect();
        if let Some(before) = before {
            let mut lead = before.join(", ");
            if !lead.is_empty() {
                lead.push_str(", ");
            }
            match last {
                Arg::Closure(param, calls) => {
                    let open = format!("{lead}|{param}| {{");
                    if open.len() <= SMALL && indent + offset + head.len() + open.len() <= MAX_WIDTH
                    {
                        let inner = indent + TAB;
                        return format!(
                            "{head}{open}\n{}{}\n{}}}){suffix}",
                            " ".repeat(inner),
                            chain(param, calls, inner, ""),
                            " ".repeat(indent)
                        );
                    }
                }
                Arg::Strs(items) => {
                    let open = format!("{lead}&[");
                    if open.len() <= SMALL && indent + offset + head.len() + open.len() <= MAX_WIDTH
                    {
                        let inner = indent + TAB;
                        let lines: String = items
                            .iter()
                            .map(|item| format!("{}{},\n", " ".repeat(inner), quoted(item)))
                            .collect();
                        return format!("{head}{open}\n{lines}{}]){suffix}", " ".repeat(indent));
                    }
                }
                _ => {}
            }
        }
    }
    // One argument per line.
    let inner = indent + TAB;
    let mut out = head;
    out.push('\n');
    for arg in &c.args {
        out.push_str(&" ".repeat(inner));
        out.push_str(&vertical_arg(arg, inner));
        out.push_str(",\n");
    }
    out.push_str(&" ".repeat(indent));
    out.push(')');
    out.push_str(suffix);
    out
}

/// An argument on a line of its own at column `indent`.
fn vertical_arg(arg: &Arg, indent: usize) -> String {
    let inner = indent + TAB;
    match arg {
        Arg::Closure(param, calls) if !closure_fits(arg, indent) => format!(
            "|{param}| {{\n{}{}\n{}}}",
            " ".repeat(inner),
            chain(param, calls, inner, ""),
            " ".repeat(indent)
        ),
        Arg::Strs(items)
            if one_line_arg(arg)
                .is_none_or(|text| text.len() > SMALL || indent + text.len() + 1 > MAX_WIDTH) =>
        {
            let lines: String = items
                .iter()
                .map(|item| format!("{}{},\n", " ".repeat(inner), quoted(item)))
                .collect();
            format!("&[\n{lines}{}]", " ".repeat(indent))
        }
        other => one_line_arg(other).unwrap_or_default(),
    }
}

/// Whether a closure's one-line form fits on its own line at `indent`.
fn closure_fits(arg: &Arg, indent: usize) -> bool {
    let Arg::Closure(param, calls) = arg else {
        return false;
    };
    let Some(body) = one_line_chain(param, calls) else {
        return false;
    };
    body.len() <= SMALL && indent + param.len() + 3 + body.len() < MAX_WIDTH
}

fn one_line_chain(root: &str, calls: &[Call]) -> Option<String> {
    let parts: Option<Vec<String>> = calls
        .iter()
        .map(|c| one_line_call(c).map(|args| format!(".{}({args})", c.method)))
        .collect();
    Some(format!("{root}{}", parts?.concat()))
}

/// A call's arguments on one line, if each has a one-line form.
fn one_line_call(c: &Call) -> Option<String> {
    let args: Option<Vec<String>> = c.args.iter().map(one_line_arg).collect();
    Some(args?.join(", "))
}

fn one_line_arg(arg: &Arg) -> Option<String> {
    Some(match arg {
        Arg::Str(text) => quoted(text),
        Arg::Strs(items) => {
            let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
            format!("&[{}]", items.join(", "))
        }
        Arg::Literal(Literal::Int(n)) if i32::try_from(*n).is_ok() => n.to_string(),
        Arg::Literal(Literal::Int(n)) => format!("{n}_i64"),
        Arg::Literal(Literal::Float(x)) => x.clone(),
        Arg::Literal(Literal::Bool(b)) => b.to_string(),
        Arg::Literal(Literal::Text(text)) => quoted(text),
        Arg::Action(action) => format!("Action::{action:?}"),
        Arg::Closure(param, calls) => {
            let body = one_line_chain(param, calls)?;
            if body.len() > SMALL {
                return None;
            }
            format!("|{param}| {body}")
        }
    })
}

/// A Rust string literal.
fn quoted(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(calls: Vec<Call>) -> Stmt {
        Stmt {
            comments: Vec::new(),
            calls,
        }
    }

    #[test]
    fn short_chains_stay_on_one_line_and_long_ones_take_one_call_per_line() {
        let short = stmt(vec![call("drop_table", vec![s("items")])]);
        let long = stmt(vec![
            call("alter_table", vec![s("items")]),
            call("drop_column", vec![s("legacy")]),
        ]);
        let text = body(&[short, long]);
        assert_eq!(
            text,
            "    db.schema().drop_table(\"items\").execute()?;\n    db.schema()\n        .alter_table(\"items\")\n        .drop_column(\"legacy\")\n        .execute()\n"
        );
    }

    #[test]
    fn a_long_closure_goes_into_a_block() {
        let column = call(
            "add_column",
            vec![
                s("user_id"),
                s("bigint"),
                Arg::Closure(
                    "c",
                    vec![
                        call("not_null", vec![]),
                        call("references", vec![s("users.id")]),
                        call("on_delete", vec![Arg::Action(Action::Cascade)]),
                    ],
                ),
            ],
        );
        let text = body(&[stmt(vec![call("create_table", vec![s("orders")]), column])]);
        assert_eq!(
            text,
            "    db.schema()\n        .create_table(\"orders\")\n        .add_column(\"user_id\", \"bigint\", |c| {\n            c.not_null()\n                .references(\"users.id\")\n                .on_delete(Action::Cascade)\n        })\n        .execute()\n"
        );
    }

    #[test]
    fn defaults_are_written_as_literals_that_read_back_alike() {
        let write = |default: CatalogDefault, ty| {
            one_line_call(&default_call(&default, ty)).unwrap_or_default()
        };
        assert_eq!(
            write(CatalogDefault::Number("0".into()), ColumnType::Integer),
            "0"
        );
        assert_eq!(
            write(
                CatalogDefault::Number("5000000000".into()),
                ColumnType::BigInt
            ),
            "5000000000_i64"
        );
        assert_eq!(
            write(CatalogDefault::Number("-1.5".into()), ColumnType::Double),
            "-1.5"
        );
        assert_eq!(
            write(
                CatalogDefault::Number("12345678901234567.25".into()),
                ColumnType::Decimal(20, 2)
            ),
            "\"12345678901234567.25\""
        );
        assert_eq!(
            write(CatalogDefault::Text("it's \"x\"".into()), ColumnType::Text),
            "\"it's \\\"x\\\"\""
        );
        assert_eq!(
            write(CatalogDefault::Bool(true), ColumnType::Boolean),
            "true"
        );
    }
}
