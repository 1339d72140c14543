//! SQLite on a live connection: opening a file, `BEGIN IMMEDIATE`, foreign keys around a
//! rebuild, reading a table back for a rebuild, and the catalog for the contract check.

use super::names::ConstraintNames;
use crate::backend::prepared::{Part, Prepared};
use crate::backend::{
    AnyConnection, Backend, LiveColumn, connection_error, failed, wrong_connection,
};
use crate::backend::{Held, LockSite};
use crate::error::{Error, Result};
use crate::schema::{
    Action, ColumnDef, ColumnDefault, DeclaredType, ForeignKeyDef, IndexDef, SchemaError, TableDef,
};
use crate::url::DatabaseUrl;
use arte_vocab::ColumnType;
use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};

fn sqlite(conn: &mut AnyConnection) -> Result<&mut SqliteConnection> {
    match conn {
        AnyConnection::Sqlite(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Sqlite)),
    }
}

pub(super) fn connect(url: &DatabaseUrl) -> Result<AnyConnection> {
    let path = url.expose();
    if path != ":memory:" && !path.starts_with("file:") {
        let parent = std::path::Path::new(path).parent();
        if let Some(parent) = parent.filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
            return Err(connection_error(
                url,
                format!(
                    "the directory `{}` does not exist; create it or choose another path",
                    parent.display()
                ),
            ));
        }
    }
    let mut conn = SqliteConnection::establish(path).map_err(|e| connection_error(url, e))?;
    // Wait for a concurrent writer instead of failing at once; keep foreign keys honest.
    conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
        .map_err(|e| connection_error(url, e))?;
    Ok(AnyConnection::Sqlite(conn))
}

/// Takes the write lock at once, so that two migrators never interleave.
pub(super) fn begin(conn: &mut AnyConnection) -> Result<()> {
    AnsiTransactionManager::begin_transaction_sql(sqlite(conn)?, "BEGIN IMMEDIATE")
        .map_err(Error::Database)
}

/// Whether foreign keys are enforced (asked as every operation starts: a statement kept).
pub(super) fn foreign_keys_enforced(conn: &mut AnyConnection) -> Result<bool> {
    let rows: Vec<i32> =
        Prepared::<Integer>::new(vec![Part::Sql("PRAGMA foreign_keys")]).load(sqlite(conn)?)?;
    Ok(rows.first().is_some_and(|&on| on != 0))
}

#[derive(QueryableByName)]
struct Violation {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = Text)]
    parent: String,
}

/// The rows whose foreign keys point nowhere, as `table row N -> parent`.
pub(super) fn foreign_key_violations(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<Violation> =
        diesel::sql_query("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .load(sqlite(conn)?)?;
    Ok(rows
        .into_iter()
        .map(|v| match v.rowid {
            Some(rowid) => format!("`{}` row {rowid} -> `{}`", v.table, v.parent),
            None => format!("`{}` -> `{}`", v.table, v.parent),
        })
        .collect())
}

/// The migrations table's stamp: another connection's commit moves `data_version`; this
/// connection's own changes move `total_changes()`, and its schema changes (a `DROP TABLE`,
/// which changes no row) `schema_version`.
pub(super) fn ledger_stamp(conn: &mut AnyConnection) -> Option<[i64; 3]> {
    let stamps: Vec<(i64, i64, i64)> = Prepared::<(BigInt, BigInt, BigInt)>::new(vec![Part::Sql(
        "SELECT total_changes(), data_version, schema_version \
         FROM pragma_data_version, pragma_schema_version",
    )])
    .load(conn)
    .ok()?;
    stamps
        .first()
        .map(|&(changes, version, schema)| [changes, version, schema])
}

/// `PRAGMA data_version`: moved by other connections' commits only.
pub(super) fn data_version(conn: &mut AnyConnection) -> Option<i64> {
    Prepared::<BigInt>::new(vec![Part::Sql("PRAGMA data_version")])
        .get_result(conn)
        .ok()
}

/// Rows changed on this connection so far, and the schema's version: read after each
/// migration, as a statement the connection keeps prepared.
pub(super) fn change_marks(conn: &mut AnyConnection) -> Result<(i64, i64)> {
    let marks: Vec<(i64, i64)> = Prepared::<(BigInt, BigInt)>::new(vec![Part::Sql(
        "SELECT total_changes(), schema_version FROM pragma_schema_version",
    )])
    .load(conn)?;
    marks
        .first()
        .copied()
        .ok_or_else(|| Error::msg("SQLite returned no row for `total_changes()`"))
}

mod rows {
    use diesel::QueryableByName;
    use diesel::sql_types::{Integer, Nullable, Text};

    #[derive(QueryableByName)]
    pub struct Sql {
        #[diesel(sql_type = Nullable<Text>)]
        pub sql: Option<String>,
    }

    #[derive(QueryableByName)]
    pub struct Column {
        #[diesel(sql_type = Text)]
        pub name: String,
        #[diesel(sql_type = Text)]
        pub ty: String,
        #[diesel(sql_type = Integer)]
        pub notnull: i32,
        #[diesel(sql_type = Nullable<Text>)]
        pub dflt_value: Option<String>,
        #[diesel(sql_type = Integer)]
        pub pk: i32,
    }

    #[derive(QueryableByName)]
    pub struct ForeignKey {
        #[diesel(sql_type = Integer)]
        pub id: i32,
        #[diesel(sql_type = Text)]
        pub parent: String,
        #[diesel(sql_type = Text)]
        pub from_column: String,
        #[diesel(sql_type = Nullable<Text>)]
        pub to_column: Option<String>,
        #[diesel(sql_type = Text)]
        pub on_update: String,
        #[diesel(sql_type = Text)]
        pub on_delete: String,
    }

    #[derive(QueryableByName)]
    pub struct Index {
        #[diesel(sql_type = Text)]
        pub name: String,
        #[diesel(sql_type = Integer)]
        pub is_unique: i32,
        #[diesel(sql_type = Text)]
        pub origin: String,
        #[diesel(sql_type = Integer)]
        pub partial: i32,
    }

    #[derive(QueryableByName)]
    pub struct IndexColumn {
        #[diesel(sql_type = Nullable<Text>)]
        pub name: Option<String>,
    }
}

/// The current definition of `table`: columns, keys, unique constraints, foreign keys,
/// indexes and triggers.
pub(super) fn read_table(conn: &mut AnyConnection, table: &str) -> Result<TableDef> {
    let conn = sqlite(conn)?;
    let query = |sql: &'static str| diesel::sql_query(sql).bind::<Text, _>(table.to_owned());
    let created: Vec<rows::Sql> =
        query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").load(conn)?;
    let Some(created) = created.into_iter().next() else {
        return Err(SchemaError::NoSuchTable {
            table: table.to_owned(),
        }
        .into());
    };
    let created = created.sql.unwrap_or_default();
    let autoincrement = created.to_ascii_uppercase().contains("AUTOINCREMENT");
    // SQLite keeps the names of constraints only in the table's SQL: without them a
    // rebuild would rename a named one, and it could not be dropped by its name.
    let names = ConstraintNames::of(&created);

    let columns: Vec<rows::Column> = query(
        "SELECT name, type AS ty, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
    )
    .load(conn)?;
    let mut def = TableDef::new(table);
    let mut keys: Vec<(i32, String)> = columns
        .iter()
        .filter(|c| c.pk > 0)
        .map(|c| (c.pk, c.name.clone()))
        .collect();
    keys.sort();
    let single_key = keys.len() == 1;
    for column in &columns {
        let ty = match ColumnType::parse(&column.ty) {
            Some(ty) => DeclaredType::Known(ty),
            None => DeclaredType::Declared(column.ty.clone()),
        };
        let mut def_column = ColumnDef::new(&column.name, ty);
        def_column.not_null = column.notnull != 0;
        def_column.default = column.dflt_value.clone().map(ColumnDefault::Raw);
        if single_key && column.pk > 0 {
            def_column.primary_key = true;
            def_column.auto_increment = autoincrement && column.ty.eq_ignore_ascii_case("integer");
        }
        def.columns.push(def_column);
    }
    if keys.len() > 1 {
        def.primary_key = Some(keys.into_iter().map(|(_, name)| name).collect());
    }

    let foreign: Vec<rows::ForeignKey> = query(
        "SELECT id, \"table\" AS parent, \"from\" AS from_column, \"to\" AS to_column, on_update, on_delete \
         FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .load(conn)?;
    let mut by_id: Vec<(i32, ForeignKeyDef)> = Vec::new();
    for row in foreign {
        let action = |text: &str| Action::parse(text).filter(|a| *a != Action::NoAction);
        if by_id.last().is_none_or(|(id, _)| *id != row.id) {
            by_id.push((
                row.id,
                ForeignKeyDef {
                    name: String::new(),
                    columns: Vec::new(),
                    ref_table: row.parent.clone(),
                    ref_columns: Vec::new(),
                    on_delete: action(&row.on_delete),
                    on_update: action(&row.on_update),
                },
            ));
        }
        if let Some((_, fk)) = by_id.last_mut() {
            fk.columns.push(row.from_column);
            fk.ref_columns.extend(row.to_column);
        }
    }
    for (_, mut fk) in by_id {
        if fk.ref_columns.len() != fk.columns.len() {
            // `REFERENCES parent` without columns points at the parent's primary key.
            let parent_keys: Vec<rows::Column> = diesel::sql_query(
                "SELECT name, type AS ty, \"notnull\", dflt_value, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
            )
            .bind::<Text, _>(fk.ref_table.clone())
            .load(conn)?;
            fk.ref_columns = parent_keys.into_iter().map(|c| c.name).collect();
        }
        fk.name = names.foreign_key_name(table, &fk.columns);
        def.foreign_keys.push(fk);
    }

    let indexes: Vec<rows::Index> = query(
        "SELECT name, \"unique\" AS is_unique, origin, partial FROM pragma_index_list(?) ORDER BY name",
    )
    .load(conn)?;
    for index in indexes {
        if index.origin == "pk" {
            continue;
        }
        let columns: Vec<rows::IndexColumn> =
            diesel::sql_query("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                .bind::<Text, _>(index.name.clone())
                .load(conn)?;
        let simple: Option<Vec<String>> = columns.into_iter().map(|c| c.name).collect();
        let unique = index.is_unique != 0;
        match (index.origin.as_str(), simple) {
            ("u", Some(columns)) => def.uniques.push(IndexDef {
                name: names.unique_name(table, &columns),
                columns,
                unique: true,
                verbatim: None,
            }),
            (_, Some(columns)) if index.partial == 0 => def.indexes.push(IndexDef {
                name: index.name,
                columns,
                unique,
                verbatim: None,
            }),
            _ => {
                let sql: Vec<rows::Sql> = diesel::sql_query(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                )
                .bind::<Text, _>(index.name.clone())
                .load(conn)?;
                def.indexes.push(IndexDef {
                    name: index.name,
                    columns: Vec::new(),
                    unique,
                    verbatim: sql.into_iter().next().and_then(|s| s.sql),
                });
            }
        }
    }

    let triggers: Vec<rows::Sql> = query(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
    )
    .load(conn)?;
    def.triggers = triggers.into_iter().filter_map(|t| t.sql).collect();
    Ok(def)
}

// `table_xinfo` also lists generated columns, which `table_info` leaves out; `hidden`
// 1 marks a virtual table's hidden columns.
const COLUMNS: &str = "SELECT name, type AS ty, \"notnull\", pk FROM pragma_table_xinfo(?) \
     WHERE hidden <> 1 ORDER BY cid";

#[derive(QueryableByName)]
struct CatalogRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

pub(super) fn columns(conn: &mut AnyConnection, table: &str) -> Result<Option<Vec<LiveColumn>>> {
    let rows: Vec<CatalogRow> = diesel::sql_query(COLUMNS)
        .bind::<Text, _>(table)
        .load(sqlite(conn)?)
        .map_err(failed(COLUMNS))?;
    // A table always has a column, so no row means no table.
    if rows.is_empty() {
        return Ok(None);
    }
    let keys = rows.iter().filter(|r| r.pk > 0).count();
    Ok(Some(
        rows.into_iter()
            .map(|row| {
                // The sole `integer` key is the rowid, never NULL whatever `notnull` says.
                let rowid = keys == 1 && row.pk > 0 && row.ty.eq_ignore_ascii_case("integer");
                LiveColumn {
                    nullable: row.notnull == 0 && !rowid,
                    name: row.name,
                    // SQLite upper-cases the names it knows (`TEXT`), not others.
                    found: row.ty.to_ascii_lowercase(),
                }
            })
            .collect(),
    ))
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub(super) fn table_exists(conn: &mut AnyConnection, table: &str) -> Result<bool> {
    const SQL: &str = "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?";
    let rows: Vec<Count> = diesel::sql_query(SQL)
        .bind::<Text, _>(table)
        .load(sqlite(conn)?)
        .map_err(failed(SQL))?;
    Ok(rows.first().is_some_and(|row| row.n > 0))
}

/// The file the connection opened, as SQLite resolved it; `""` for a database in memory.
pub(super) fn database_file(conn: &mut AnyConnection) -> Result<String> {
    const SQL: &str = "SELECT file FROM pragma_database_list WHERE name = 'main'";
    let rows: Vec<String> = Prepared::<Text>::new(vec![Part::Sql(SQL)])
        .load(sqlite(conn)?)
        .map_err(failed(SQL))?;
    Ok(rows.into_iter().next().unwrap_or_default())
}

/// One migrator at a time per database file (`site`'s target, from [`database_file`],
/// learned here if the site has none yet): an advisory lock on the file itself (on Unix,
/// `flock`, which SQLite's own `fcntl` locks do not see), or elsewhere on a file beside it.
/// The descriptor is opened once and kept in the site, open between operations: closing
/// it would drop the `fcntl` locks SQLite holds on the file (see [`LockSite`]). The
/// operating system releases the lock when the process ends, however it ends. An
/// in-memory database needs none: no other connection sees it.
pub(super) fn try_lock(conn: &mut AnyConnection, site: &mut LockSite) -> Result<Option<Held>> {
    let path = match &site.target {
        Some(path) => path,
        None => site.target.insert(database_file(conn)?),
    };
    if path.is_empty() {
        return Ok(Some(Held::Session));
    }
    let lock_path = if cfg!(unix) {
        std::path::PathBuf::from(&path)
    } else {
        std::path::PathBuf::from(format!("{path}-arte.lock"))
    };
    let file = match &mut site.file {
        Some(file) => file,
        None => site.file.insert(
            std::fs::OpenOptions::new()
                .read(true)
                .write(!cfg!(unix))
                .create(!cfg!(unix))
                .truncate(false)
                .open(&lock_path)
                .map_err(|e| {
                    Error::msg(format!(
                        "cannot open `{}` to lock it: {e}",
                        lock_path.display()
                    ))
                })?,
        ),
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(Held::File)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::msg(format!(
            "cannot lock `{}`: {e}",
            lock_path.display()
        ))),
    }
}

/// Releases the lock [`try_lock`] took, keeping the descriptor open. Should the release
/// fail, the descriptor is closed, which releases it (at the price [`LockSite`] tells).
pub(super) fn unlock(site: &mut LockSite) {
    if let Some(file) = &site.file
        && file.unlock().is_err()
    {
        site.file = None;
    }
}
