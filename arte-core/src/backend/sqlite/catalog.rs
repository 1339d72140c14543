//! SQLite's catalog in arte's terms: `sqlite_master` and the table pragmas.

use super::names::ConstraintNames;
use crate::backend::catalog::parse_default;
use crate::backend::{
    AnyConnection, Backend, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogTable, failed,
    wrong_connection,
};
use crate::error::Result;
use crate::schema::Action;
use arte_vocab::ColumnType;
use diesel::sql_types::{Integer, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl, SqliteConnection};

fn sqlite(conn: &mut AnyConnection) -> Result<&mut SqliteConnection> {
    match conn {
        AnyConnection::Sqlite(conn) => Ok(conn),
        #[allow(unreachable_patterns)]
        _ => Err(wrong_connection(Backend::Sqlite)),
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Created {
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Nullable<Text>)]
    dflt_value: Option<String>,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct Index {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Integer)]
    partial: i32,
}

#[derive(QueryableByName)]
struct IndexColumn {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Nullable<Text>)]
    to_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

const TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table' \
     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
const TABLE: &str = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?";
const COLUMNS: &str = "SELECT name, type AS ty, \"notnull\", dflt_value, pk \
     FROM pragma_table_xinfo(?) WHERE hidden <> 1 ORDER BY cid";
const KEY: &str = "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk";
const INDEXES: &str = "SELECT name, \"unique\" AS is_unique, origin, partial \
     FROM pragma_index_list(?) ORDER BY name";
const INDEX_COLUMNS: &str = "SELECT name FROM pragma_index_info(?) ORDER BY seqno";
const FOREIGN_KEYS: &str = "SELECT id, \"table\" AS parent, \"from\" AS from_column, \
     \"to\" AS to_column, on_update, on_delete \
     FROM pragma_foreign_key_list(?) ORDER BY id, seq";

pub(super) fn tables(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<Name> = diesel::sql_query(TABLES)
        .load(sqlite(conn)?)
        .map_err(failed(TABLES))?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

pub(super) fn table(conn: &mut AnyConnection, table: &str) -> Result<Option<CatalogTable>> {
    let conn = sqlite(conn)?;
    let created: Vec<Created> = diesel::sql_query(TABLE)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(TABLE))?;
    let Some(created) = created.into_iter().next() else {
        return Ok(None);
    };
    let names = ConstraintNames::of(created.sql.as_deref().unwrap_or_default());
    let columns: Vec<Column> = diesel::sql_query(COLUMNS)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(COLUMNS))?;
    let keys = columns.iter().filter(|c| c.pk > 0).count();
    let mut def = CatalogTable::new(table);
    for column in columns {
        let found = column.ty.to_ascii_lowercase();
        // SQLite keeps the declared type as arte wrote it: the type itself, not the one it
        // compares as (`Dialect::catalog_type` folds `jsonb` into `json`), so that a
        // migration written from this catalog (a squash) declares what the original did.
        let ty = ColumnType::parse(&found);
        // The sole `integer` key is the rowid, which SQLite counts up.
        let auto_increment = keys == 1 && column.pk > 0 && found == "integer";
        def.columns.push(CatalogColumn {
            nullable: column.notnull == 0 && !auto_increment,
            default: column
                .dflt_value
                .as_deref()
                .and_then(|text| parse_default(text, ty)),
            name: column.name,
            found,
            ty,
            auto_increment,
        });
    }
    let key: Vec<Name> = diesel::sql_query(KEY)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(KEY))?;
    def.primary_key = key.into_iter().map(|k| k.name).collect();

    let indexes: Vec<Index> = diesel::sql_query(INDEXES)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(INDEXES))?;
    for index in indexes {
        if index.origin == "pk" || index.partial != 0 {
            continue;
        }
        let columns: Vec<IndexColumn> = diesel::sql_query(INDEX_COLUMNS)
            .bind::<Text, _>(index.name.clone())
            .load(conn)
            .map_err(failed(INDEX_COLUMNS))?;
        // An index over expressions names no column; arte neither writes nor compares it.
        let Some(columns) = columns
            .into_iter()
            .map(|c| c.name)
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        def.indexes.push(CatalogIndex {
            name: index.name,
            columns,
            unique: index.is_unique != 0,
            constraint: index.origin == "u",
            implicit: false,
        });
    }

    let rows: Vec<ForeignKey> = diesel::sql_query(FOREIGN_KEYS)
        .bind::<Text, _>(table)
        .load(conn)
        .map_err(failed(FOREIGN_KEYS))?;
    let mut keys: Vec<(i32, CatalogForeignKey)> = Vec::new();
    for row in rows {
        let action = |text: &str| Action::parse(text).unwrap_or(Action::NoAction);
        if keys.last().is_none_or(|(id, _)| *id != row.id) {
            keys.push((
                row.id,
                CatalogForeignKey {
                    name: String::new(),
                    columns: Vec::new(),
                    ref_table: row.parent.clone(),
                    ref_columns: Vec::new(),
                    on_delete: action(&row.on_delete),
                    on_update: action(&row.on_update),
                },
            ));
        }
        if let Some((_, fk)) = keys.last_mut() {
            fk.columns.push(row.from_column);
            fk.ref_columns.extend(row.to_column);
        }
    }
    for (_, mut fk) in keys {
        if fk.ref_columns.len() != fk.columns.len() {
            // `REFERENCES parent` without columns points at the parent's primary key.
            let parent: Vec<Name> = diesel::sql_query(KEY)
                .bind::<Text, _>(fk.ref_table.clone())
                .load(conn)
                .map_err(failed(KEY))?;
            fk.ref_columns = parent.into_iter().map(|k| k.name).collect();
        }
        // SQLite keeps its name only in the table's SQL.
        fk.name = names.foreign_key_name(table, &fk.columns);
        def.foreign_keys.push(fk);
    }
    def.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(def))
}
