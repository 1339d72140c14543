//! MySQL's and MariaDB's names for arte's types.

use crate::schema::types::DataType;

pub(super) fn type_name(ty: DataType) -> String {
    match ty {
        DataType::SmallInt => "smallint".into(),
        DataType::Integer => "int".into(),
        DataType::BigInt => "bigint".into(),
        DataType::Boolean => "tinyint(1)".into(),
        DataType::Text => "text".into(),
        DataType::Varchar(n) => format!("varchar({n})"),
        DataType::Char(n) => format!("char({n})"),
        DataType::Decimal(p, s) => format!("decimal({p}, {s})"),
        DataType::Real => "float".into(),
        DataType::Double => "double".into(),
        DataType::Date => "date".into(),
        DataType::Time => "time".into(),
        // `datetime` has no time zone and no 2038 limit; `timestamp` is stored as UTC.
        DataType::Timestamp => "datetime".into(),
        DataType::TimestampTz => "timestamp".into(),
        DataType::Json | DataType::Jsonb => "json".into(),
        DataType::Uuid => "char(36)".into(),
        DataType::Blob => "longblob".into(),
    }
}
