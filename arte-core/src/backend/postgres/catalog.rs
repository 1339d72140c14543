//! PostgreSQL's catalog in arte's terms: `pg_catalog`, in the current schema.

use crate::backend::catalog::parse_default;
use crate::backend::{
    AnyConnection, Backend, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable, Dialect,
    failed, wrong_connection,
};
use crate::error::Result;
use crate::schema::Action;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

fn pg(conn: &mut AnyConnection) -> Result<&mut PgConnection> {
    match conn {
        AnyConnection::Postgres(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Postgres)),
    }
}

/// The table `$1` of the current schema, for the queries below.
const TABLE: &str = "WITH t AS (SELECT c.oid FROM pg_catalog.pg_class c \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p')) ";

const TABLES: &str = "SELECT c.relname::text AS name FROM pg_catalog.pg_class c \
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1";

const COLUMNS: &str = "SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS ty, \
     a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, \
     (a.attidentity IN ('a', 'd') OR COALESCE(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%') AS auto \
     FROM pg_catalog.pg_attribute a JOIN t ON a.attrelid = t.oid \
     LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

const KEY: &str = "SELECT a.attname::text AS name FROM pg_catalog.pg_constraint con \
     JOIN t ON con.conrelid = t.oid \
     CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
     WHERE con.contype = 'p' ORDER BY k.ord";

// Partial indexes (`indpred`) are left out: arte neither writes nor compares them.
const INDEXES: &str = "SELECT ic.relname::text AS name, i.indisunique AS is_unique, \
     EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c \
       WHERE c.conindid = i.indexrelid AND c.contype = 'u') AS is_constraint, \
     a.attname::text AS col \
     FROM pg_catalog.pg_index i JOIN t ON i.indrelid = t.oid \
     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
     CROSS JOIN LATERAL generate_series(1, i.indnkeyatts::int) AS k(ord) \
     LEFT JOIN pg_catalog.pg_attribute a \
       ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.ord - 1] AND a.attnum > 0 \
     WHERE NOT i.indisprimary AND i.indpred IS NULL \
     ORDER BY ic.relname, k.ord";

const FOREIGN_KEYS: &str = "SELECT con.conname::text AS name, a.attname::text AS col, \
     rc.relname::text AS ref_table, ra.attname::text AS ref_col, \
     con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update \
     FROM pg_catalog.pg_constraint con JOIN t ON con.conrelid = t.oid \
     CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refattnum, ord) \
     JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
     JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid \
     JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refattnum \
     WHERE con.contype = 'f' ORDER BY con.conname, k.ord";

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
    #[diesel(sql_type = Bool)]
    notnull: bool,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    #[diesel(sql_type = Bool)]
    auto: bool,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Bool)]
    is_constraint: bool,
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

fn action(code: &str) -> Action {
    match code {
        "r" => Action::Restrict,
        "c" => Action::Cascade,
        "n" => Action::SetNull,
        "d" => Action::SetDefault,
        _ => Action::NoAction,
    }
}

pub(super) fn tables(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<Name> = diesel::sql_query(TABLES)
        .load(pg(conn)?)
        .map_err(failed(TABLES))?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

pub(super) fn table(
    dialect: &dyn Dialect,
    conn: &mut AnyConnection,
    table: &str,
) -> Result<Option<CatalogTable>> {
    let conn = pg(conn)?;
    let query = |sql: &str| format!("{TABLE}{sql}");
    let exists: Vec<Name> = diesel::sql_query(query("SELECT $1::text AS name FROM t"))
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(TABLE))?;
    if exists.is_empty() {
        return Ok(None);
    }
    let mut def = CatalogTable::new(table);
    let sql = query(COLUMNS);
    let columns: Vec<Column> = diesel::sql_query(&sql)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(&sql))?;
    for column in columns {
        let found = column.ty.to_ascii_lowercase();
        let ty = dialect.catalog_type(&found);
        def.columns.push(CatalogColumn {
            nullable: !column.notnull,
            // An identity's or a serial's counter is not a default a contract declares.
            default: match column.auto {
                true => None,
                false => column
                    .dflt
                    .as_deref()
                    .and_then(|text| parse_default(text, ty)),
            },
            auto_increment: column.auto,
            name: column.name,
            found,
            ty,
        });
    }
    let sql = query(KEY);
    let key: Vec<Name> = diesel::sql_query(&sql)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(&sql))?;
    def.primary_key = key.into_iter().map(|k| k.name).collect();

    let sql = query(INDEXES);
    let rows: Vec<IndexRow> = diesel::sql_query(&sql)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(&sql))?;
    // An index over an expression names no column; arte neither writes nor compares it.
    let mut expressions = Vec::new();
    for row in rows {
        let Some(column) = row.col else {
            expressions.push(row.name);
            continue;
        };
        match def.indexes.last_mut() {
            Some(last) if last.name == row.name => last.columns.push(column),
            _ => def.indexes.push(CatalogIndex {
                name: row.name,
                columns: vec![column],
                unique: row.is_unique,
                constraint: row.is_constraint,
                implicit: false,
            }),
        }
    }
    def.indexes
        .retain(|index| !expressions.contains(&index.name));

    let sql = query(FOREIGN_KEYS);
    let rows: Vec<ForeignKeyRow> = diesel::sql_query(&sql)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(&sql))?;
    for row in rows {
        match def.foreign_keys.last_mut() {
            Some(last) if last.name == row.name => {
                last.columns.push(row.col);
                last.ref_columns.push(row.ref_col);
            }
            _ => def.foreign_keys.push(CatalogForeignKey {
                name: row.name,
                columns: vec![row.col],
                ref_table: row.ref_table,
                ref_columns: vec![row.ref_col],
                on_delete: action(&row.on_delete),
                on_update: action(&row.on_update),
            }),
        }
    }
    Ok(Some(def))
}

/// `CREATE DATABASE` runs outside a transaction, as a statement of its own.
pub(super) fn create_database(conn: &mut AnyConnection, name: &str) -> Result<()> {
    conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
}

/// `WITH (FORCE)` ends the scratch database's own sessions, which a panic may leave.
pub(super) fn drop_database(conn: &mut AnyConnection, name: &str) -> Result<()> {
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
}
