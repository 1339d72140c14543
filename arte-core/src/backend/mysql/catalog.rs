//! MySQL's and MariaDB's catalog in arte's terms: `information_schema`, in the current
//! database.

use crate::backend::catalog::parse_default;
use crate::backend::{
    AnyConnection, Backend, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable, Dialect,
    failed, wrong_connection,
};
use crate::error::Result;
use crate::schema::{Action, AlterAction, SchemaError, Statement};
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{MysqlConnection, QueryableByName, RunQueryDsl};

fn mysql(conn: &mut AnyConnection) -> Result<&mut MysqlConnection> {
    match conn {
        AnyConnection::Mysql(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Mysql)),
    }
}

const TABLES: &str = "SELECT TABLE_NAME AS name FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME";

/// With the server's version on each row: MariaDB writes a string default quoted, MySQL 8
/// as the bare value.
const COLUMNS: &str = "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS ty, IS_NULLABLE AS nullable, \
     COLUMN_DEFAULT AS dflt, EXTRA AS extra, VERSION() AS server \
     FROM information_schema.COLUMNS \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

const INDEXES: &str = "SELECT INDEX_NAME AS name, CAST(NON_UNIQUE AS SIGNED) AS non_unique, \
     COLUMN_NAME AS col \
     FROM information_schema.STATISTICS \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? \
     ORDER BY INDEX_NAME, SEQ_IN_INDEX";

const FOREIGN_KEYS: &str = "SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, \
     k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_col, \
     r.DELETE_RULE AS on_delete, r.UPDATE_RULE AS on_update \
     FROM information_schema.KEY_COLUMN_USAGE k \
     JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
       ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
       AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
     WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? \
       AND k.REFERENCED_TABLE_NAME IS NOT NULL \
     ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Text)]
    nullable: String,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    #[diesel(sql_type = Text)]
    extra: String,
    #[diesel(sql_type = Text)]
    server: String,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    non_unique: i64,
    #[diesel(sql_type = Nullable<Text>)]
    col: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    col: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    ref_col: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
}

/// `current_timestamp(6)` on a `datetime(6)` column is the `CURRENT_TIMESTAMP` it was
/// given: the server writes the column's precision into the default itself.
fn plain_now<'a>(found: &str, default: &'a str) -> &'a str {
    let precision = found
        .strip_prefix("datetime(")
        .or_else(|| found.strip_prefix("timestamp("))
        .and_then(|rest| rest.split_once(')'))
        .map(|(args, _)| args.trim());
    let given = default
        .trim()
        .strip_prefix("current_timestamp(")
        .or_else(|| default.trim().strip_prefix("CURRENT_TIMESTAMP("))
        .and_then(|rest| rest.strip_suffix(')'))
        .map(str::trim);
    match (precision, given) {
        (Some(precision), Some(given)) if precision == given => "current_timestamp()",
        _ => default,
    }
}

/// `COLUMN_DEFAULT` as [`parse_default`] reads every catalog's: a string literal quoted
/// the standard way (`'it''s'`), an expression as written.
///
/// MariaDB quotes a literal with MySQL's escapes (`'it\'s \\ x'`, and `''` too); MySQL 8
/// gives a literal bare (`it's \ x`) and marks an expression `DEFAULT_GENERATED`.
fn standard_default(text: &str, mariadb: bool, generated: bool, found: &str) -> String {
    if mariadb {
        return match unescape(text) {
            Some(value) => quoted(&value),
            None => text.to_owned(),
        };
    }
    let now = text
        .get(..17)
        .is_some_and(|start| start.eq_ignore_ascii_case("current_timestamp"));
    let moment = found.starts_with("datetime") || found.starts_with("timestamp");
    if generated || now && moment {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The value of a MySQL string literal (`'it\'s'`, `'it''s'`, `'a\\b\n'`); `None` unless
/// the whole text is one.
fn unescape(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // Inside, a quote comes doubled.
                if chars.next() != Some('\'') {
                    return None;
                }
                out.push('\'');
            }
            '\\' => match chars.next()? {
                '0' => out.push('\0'),
                'b' => out.push('\u{8}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'Z' => out.push('\u{1a}'),
                // `\%` and `\_` keep their backslash (they escape only in LIKE).
                c @ ('%' | '_') => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
    Some(out)
}

pub(super) fn tables(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<Name> = diesel::sql_query(TABLES)
        .load(mysql(conn)?)
        .map_err(failed(TABLES))?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

pub(super) fn table(
    dialect: &dyn Dialect,
    conn: &mut AnyConnection,
    table: &str,
) -> Result<Option<CatalogTable>> {
    let conn = mysql(conn)?;
    let columns: Vec<Column> = diesel::sql_query(COLUMNS)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(COLUMNS))?;
    // A table always has a column, so no row means no table.
    if columns.is_empty() {
        return Ok(None);
    }
    let mariadb = columns
        .first()
        .is_some_and(|c| c.server.to_ascii_lowercase().contains("mariadb"));
    let mut def = CatalogTable::new(table);
    for column in columns {
        let found = column.ty.to_ascii_lowercase();
        let ty = dialect.catalog_type(&found);
        let extra = column.extra.to_ascii_lowercase();
        let auto_increment = extra.contains("auto_increment");
        let generated = extra.contains("default_generated");
        def.columns.push(CatalogColumn {
            nullable: column.nullable.eq_ignore_ascii_case("YES"),
            default: column
                .dflt
                .as_deref()
                .map(|text| standard_default(text, mariadb, generated, &found))
                .and_then(|text| parse_default(plain_now(&found, &text), ty)),
            name: column.name,
            found,
            ty,
            auto_increment,
        });
    }

    let rows: Vec<IndexRow> = diesel::sql_query(INDEXES)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(INDEXES))?;
    // An index over an expression names no column; arte neither writes nor compares it.
    let mut expressions = Vec::new();
    for row in rows {
        let Some(column) = row.col else {
            expressions.push(row.name);
            continue;
        };
        if row.name == "PRIMARY" {
            def.primary_key.push(column);
            continue;
        }
        match def.indexes.last_mut() {
            Some(last) if last.name == row.name => last.columns.push(column),
            _ => def.indexes.push(CatalogIndex {
                name: row.name,
                columns: vec![column],
                unique: row.non_unique == 0,
                constraint: false,
                implicit: false,
            }),
        }
    }
    def.indexes
        .retain(|index| !expressions.contains(&index.name));

    let rows: Vec<ForeignKeyRow> = diesel::sql_query(FOREIGN_KEYS)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(FOREIGN_KEYS))?;
    // MySQL reports a key without an action as `RESTRICT`, which is what it does then.
    let action = |text: &str| match Action::parse(text) {
        Some(Action::Restrict) | None => Action::NoAction,
        Some(action) => action,
    };
    for row in rows {
        match def.foreign_keys.last_mut() {
            Some(last) if last.name == row.name => {
                last.columns.push(row.col);
                last.ref_columns.push(row.ref_col);
            }
            _ => def.foreign_keys.push(CatalogForeignKey {
                on_delete: action(&row.on_delete),
                on_update: action(&row.on_update),
                name: row.name,
                columns: vec![row.col],
                ref_table: row.ref_table,
                ref_columns: vec![row.ref_col],
            }),
        }
    }
    // The index MySQL makes for a foreign key that has none carries the key's name.
    for index in &mut def.indexes {
        index.implicit = !index.unique
            && def
                .foreign_keys
                .iter()
                .any(|fk| fk.name == index.name && fk.columns == index.columns);
    }
    Ok(Some(def))
}

/// Refuses to drop an index a foreign key of the table needs: MySQL keeps one index whose
/// first columns are the key's for each foreign key, and MariaDB drops the key's own index
/// once a new index starts with its columns, then refuses to drop that one with a
/// message that does not say what to do. The statement's own changes count, in order:
/// a key dropped before, or an index added before, frees the index.
pub(super) fn refuse_needed_index(
    dialect: &dyn Dialect,
    conn: &mut AnyConnection,
    statement: &Statement,
) -> Result<()> {
    let (table, drops) = match statement {
        Statement::DropIndex { table, .. } => (table, true),
        Statement::AlterTable { table, actions } => (
            table,
            actions.iter().any(|a| {
                matches!(
                    a,
                    AlterAction::DropIndex { .. } | AlterAction::DropUnique { .. }
                )
            }),
        ),
        _ => return Ok(()),
    };
    if !drops {
        return Ok(());
    }
    let Some(live) = self::table(dialect, conn, table)? else {
        return Ok(());
    };
    Ok(needed_index(&live, statement)?)
}

/// [`refuse_needed_index`] against the table as `live` describes it.
fn needed_index(
    live: &CatalogTable,
    statement: &Statement,
) -> std::result::Result<(), SchemaError> {
    let mut indexes: Vec<(String, Vec<String>)> = live
        .indexes
        .iter()
        .map(|i| (i.name.clone(), i.columns.clone()))
        .collect();
    if !live.primary_key.is_empty() {
        indexes.push(("PRIMARY".to_owned(), live.primary_key.clone()));
    }
    let mut keys: Vec<&CatalogForeignKey> = live.foreign_keys.iter().collect();
    let single;
    let actions: &[AlterAction] = match statement {
        Statement::AlterTable { actions, .. } => actions,
        Statement::DropIndex { name, .. } => {
            single = [AlterAction::DropIndex { name: name.clone() }];
            &single
        }
        _ => return Ok(()),
    };
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let leads = |index: &[String], key: &[String]| {
        index.len() >= key.len() && key.iter().zip(index).all(|(k, i)| same(k, i))
    };
    for action in actions {
        match action {
            AlterAction::DropForeignKey { name } => keys.retain(|k| !same(&k.name, name)),
            AlterAction::AddIndex(index) => {
                indexes.push((index.name.clone(), index.columns.clone()));
            }
            _ => {}
        }
        let (AlterAction::DropIndex { name } | AlterAction::DropUnique { name }) = action else {
            continue;
        };
        let Some(at) = indexes.iter().position(|(n, _)| same(n, name)) else {
            continue;
        };
        let (index, columns) = indexes.remove(at);
        for key in &keys {
            if leads(&columns, &key.columns) && !indexes.iter().any(|(_, c)| leads(c, &key.columns))
            {
                return Err(SchemaError::IndexNeededByForeignKey {
                    table: live.name.clone(),
                    index,
                    foreign_key: key.name.clone(),
                    columns: key.columns.join(", "),
                });
            }
        }
    }
    Ok(())
}

pub(super) fn create_database(conn: &mut AnyConnection, name: &str) -> Result<()> {
    conn.batch_execute(&format!("CREATE DATABASE `{name}`"))
}

pub(super) fn drop_database(conn: &mut AnyConnection, name: &str) -> Result<()> {
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS `{name}`"))
}

#[cfg(test)]
mod tests {
    use super::{needed_index, plain_now, standard_default};
    use crate::backend::{CatalogForeignKey, CatalogIndex, CatalogTable};
    use crate::schema::{Action, AlterAction, SchemaError, Statement};

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    /// `links`, whose key over `label_id` has only `links_lbl_note` to use.
    fn links() -> CatalogTable {
        let mut table = CatalogTable::new("links");
        table.primary_key = names(&["id"]);
        table.indexes.push(CatalogIndex {
            name: "links_lbl_note".into(),
            columns: names(&["label_id", "note"]),
            unique: true,
            constraint: false,
            implicit: false,
        });
        table.foreign_keys.push(CatalogForeignKey {
            name: "links_label_id_foreign".into(),
            columns: names(&["label_id"]),
            ref_table: "labels".into(),
            ref_columns: names(&["id"]),
            on_delete: Action::NoAction,
            on_update: Action::NoAction,
        });
        table
    }

    fn alter(actions: Vec<AlterAction>) -> Statement {
        Statement::AlterTable {
            table: "links".into(),
            actions,
        }
    }

    fn drop_note() -> AlterAction {
        AlterAction::DropUnique {
            name: "links_lbl_note".into(),
        }
    }

    #[test]
    fn the_last_index_a_foreign_key_can_use_is_not_dropped_unless_the_statement_frees_it() {
        let refused = Err(SchemaError::IndexNeededByForeignKey {
            table: "links".into(),
            index: "links_lbl_note".into(),
            foreign_key: "links_label_id_foreign".into(),
            columns: "label_id".into(),
        });
        assert_eq!(needed_index(&links(), &alter(vec![drop_note()])), refused);
        let drop_index = Statement::DropIndex {
            table: "links".into(),
            name: "LINKS_LBL_NOTE".into(),
            if_exists: false,
        };
        assert_eq!(needed_index(&links(), &drop_index), refused);
        // The key dropped first (and added again after).
        let key_dropped = vec![
            AlterAction::DropForeignKey {
                name: "links_label_id_foreign".into(),
            },
            drop_note(),
        ];
        assert_eq!(needed_index(&links(), &alter(key_dropped)), Ok(()));
        // Another index the key can use is there already; a missing index is not checked.
        let mut other = links();
        other.indexes.push(CatalogIndex {
            name: "links_label_id_index".into(),
            columns: names(&["label_id"]),
            unique: false,
            constraint: false,
            implicit: false,
        });
        assert_eq!(needed_index(&other, &alter(vec![drop_note()])), Ok(()));
        let missing = AlterAction::DropIndex {
            name: "links_nope".into(),
        };
        assert_eq!(needed_index(&links(), &alter(vec![missing])), Ok(()));
    }

    #[test]
    fn now_at_the_column_precision_is_plain_now() {
        assert_eq!(
            plain_now("datetime(6)", "current_timestamp(6)"),
            "current_timestamp()"
        );
        assert_eq!(
            plain_now("datetime", "current_timestamp()"),
            "current_timestamp()"
        );
        // Another precision than the column's is the default's own.
        assert_eq!(
            plain_now("datetime(6)", "current_timestamp(3)"),
            "current_timestamp(3)"
        );
        assert_eq!(plain_now("varchar(6)", "'x'"), "'x'");
    }

    #[test]
    fn string_defaults_read_back_as_their_values_from_mariadb_and_mysql() {
        // MariaDB's `COLUMN_DEFAULT` for `it's \ "q"`: `\'` in a `text` column, `''` else.
        for text in [r#"'it\'s \\ "q"'"#, r#"'it''s \\ "q"'"#] {
            assert_eq!(
                standard_default(text, true, false, "text"),
                r#"'it''s \ "q"'"#,
                "{text}"
            );
        }
        let mariadb = [
            ("''", "''"),
            ("'a%b_c'", "'a%b_c'"),
            // MariaDB writes a newline `\n` and a tab as it is.
            ("'x\\ny\tz'", "'x\ny\tz'"),
            (r"'\r\0\Z\b'", "'\r\0\u{1a}\u{8}'"),
            (r"'\%\_'", r"'\%\_'"),
            ("'héllo'", "'héllo'"),
            ("'NULL'", "'NULL'"),
            ("NULL", "NULL"),
            ("current_timestamp()", "current_timestamp()"),
            ("0.00", "0.00"),
            ("'a' 'b'", "'a' 'b'"),
        ];
        for (text, standard) in mariadb {
            assert_eq!(
                standard_default(text, true, false, "varchar(20)"),
                standard,
                "{text}"
            );
        }
        // MySQL 8: a literal bare, an expression marked.
        assert_eq!(
            standard_default(r"it's \", false, false, "varchar(20)"),
            r"'it''s \'"
        );
        assert_eq!(standard_default("", false, false, "varchar(20)"), "''");
        assert_eq!(
            standard_default("0.00", false, false, "decimal(10,2)"),
            "'0.00'"
        );
        assert_eq!(
            standard_default("CURRENT_TIMESTAMP", false, true, "datetime"),
            "CURRENT_TIMESTAMP"
        );
        assert_eq!(
            standard_default("CURRENT_TIMESTAMP(6)", false, false, "datetime(6)"),
            "CURRENT_TIMESTAMP(6)"
        );
        assert_eq!(
            standard_default("CURRENT_TIMESTAMP", false, false, "varchar(20)"),
            "'CURRENT_TIMESTAMP'"
        );
    }
}
