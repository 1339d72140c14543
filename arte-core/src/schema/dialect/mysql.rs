//! MySQL's and MariaDB's names for arte's types.

use crate::schema::types::ColumnType;

pub(super) fn type_name(ty: ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "int".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Boolean => "tinyint(1)".into(),
        ColumnType::Text => "text".into(),
        ColumnType::Varchar(n) => format!("varchar({n})"),
        ColumnType::Char(n) => format!("char({n})"),
        ColumnType::Decimal(p, s) => format!("decimal({p}, {s})"),
        ColumnType::Real => "float".into(),
        ColumnType::Double => "double".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => "time".into(),
        // `datetime` has no time zone and no 2038 limit; `timestamp` is stored as UTC.
        ColumnType::Timestamp => "datetime".into(),
        ColumnType::TimestampTz => "timestamp".into(),
        ColumnType::Json | ColumnType::Jsonb => "json".into(),
        ColumnType::Uuid => "char(36)".into(),
        ColumnType::Blob => "longblob".into(),
    }
}
