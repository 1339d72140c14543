//! PostgreSQL's names for arte's types, and its form of changing a column.

use super::{default_sql, quote, type_sql};
use crate::schema::column::ColumnDef;
use crate::schema::types::ColumnType;
use crate::url::Backend;

pub(super) fn type_name(ty: ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "integer".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Boolean => "boolean".into(),
        ColumnType::Text => "text".into(),
        ColumnType::Varchar(n) => format!("varchar({n})"),
        ColumnType::Char(n) => format!("char({n})"),
        ColumnType::Decimal(p, s) => format!("numeric({p}, {s})"),
        ColumnType::Real => "real".into(),
        ColumnType::Double => "double precision".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => "time".into(),
        ColumnType::Timestamp => "timestamp".into(),
        ColumnType::TimestampTz => "timestamptz".into(),
        ColumnType::Json => "json".into(),
        ColumnType::Jsonb => "jsonb".into(),
        ColumnType::Uuid => "uuid".into(),
        ColumnType::Blob => "bytea".into(),
    }
}

/// Type, nullability and default in one statement. The old default goes first, so that a
/// default of the old type never blocks the new type; `USING` converts the rows.
pub(super) fn change_column(alter: &str, column: &ColumnDef) -> String {
    let backend = Backend::Postgres;
    let name = quote(backend, &column.name);
    let ty = type_sql(backend, &column.ty);
    let mut parts = vec![
        format!("ALTER COLUMN {name} DROP DEFAULT"),
        format!("ALTER COLUMN {name} TYPE {ty} USING {name}::{ty}"),
        format!(
            "ALTER COLUMN {name} {} NOT NULL",
            if column.not_null { "SET" } else { "DROP" }
        ),
    ];
    if let Some(default) = &column.default {
        parts.push(format!(
            "ALTER COLUMN {name} SET DEFAULT {}",
            default_sql(backend, default)
        ));
    }
    format!("{alter} {}", parts.join(", "))
}
