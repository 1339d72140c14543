//! PostgreSQL's names for arte's types, and its form of changing a column.

use super::{default_sql, quote, type_sql};
use crate::schema::column::ColumnDef;
use crate::schema::types::DataType;
use crate::url::Backend;

pub(super) fn type_name(ty: DataType) -> String {
    match ty {
        DataType::SmallInt => "smallint".into(),
        DataType::Integer => "integer".into(),
        DataType::BigInt => "bigint".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Text => "text".into(),
        DataType::Varchar(n) => format!("varchar({n})"),
        DataType::Char(n) => format!("char({n})"),
        DataType::Decimal(p, s) => format!("numeric({p}, {s})"),
        DataType::Real => "real".into(),
        DataType::Double => "double precision".into(),
        DataType::Date => "date".into(),
        DataType::Time => "time".into(),
        DataType::Timestamp => "timestamp".into(),
        DataType::TimestampTz => "timestamptz".into(),
        DataType::Json => "json".into(),
        DataType::Jsonb => "jsonb".into(),
        DataType::Uuid => "uuid".into(),
        DataType::Blob => "bytea".into(),
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
