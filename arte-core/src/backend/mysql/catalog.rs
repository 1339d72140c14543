//! MySQL's and MariaDB's catalog in arte's terms: `information_schema`, in the current
//! database.

use crate::backend::catalog::parse_default;
use crate::backend::{
    AnyConnection, Backend, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable, Dialect,
    failed, wrong_connection,
};
use crate::error::Result;
use crate::schema::Action;
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

const COLUMNS: &str = "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS ty, IS_NULLABLE AS nullable, \
     COLUMN_DEFAULT AS dflt, EXTRA AS extra \
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
    let mut def = CatalogTable::new(table);
    for column in columns {
        let found = column.ty.to_ascii_lowercase();
        let ty = dialect.catalog_type(&found);
        let auto_increment = column.extra.to_ascii_lowercase().contains("auto_increment");
        def.columns.push(CatalogColumn {
            nullable: column.nullable.eq_ignore_ascii_case("YES"),
            default: column
                .dflt
                .as_deref()
                .map(|text| plain_now(&found, text))
                .and_then(|text| parse_default(text, ty)),
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

pub(super) fn create_database(conn: &mut AnyConnection, name: &str) -> Result<()> {
    conn.batch_execute(&format!("CREATE DATABASE `{name}`"))
}

pub(super) fn drop_database(conn: &mut AnyConnection, name: &str) -> Result<()> {
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS `{name}`"))
}

#[cfg(test)]
mod tests {
    use super::plain_now;

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
}
