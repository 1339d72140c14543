//! SQLite's names for arte's types. SQLite stores by affinity; the declared name is what
//! tools (and diesel's schema inference) read back, so it stays close to the user's word.

use crate::schema::types::DataType;

pub(super) fn type_sql(ty: DataType) -> String {
    match ty {
        DataType::SmallInt => "smallint".into(),
        DataType::Integer => "integer".into(),
        DataType::BigInt => "bigint".into(),
        DataType::Boolean => "boolean".into(),
        DataType::Text => "text".into(),
        DataType::Varchar(n) => format!("varchar({n})"),
        DataType::Char(n) => format!("char({n})"),
        DataType::Decimal(p, s) => format!("decimal({p}, {s})"),
        DataType::Real => "real".into(),
        DataType::Double => "double".into(),
        DataType::Date => "date".into(),
        DataType::Time => "time".into(),
        DataType::Timestamp => "timestamp".into(),
        DataType::TimestampTz => "timestamptz".into(),
        DataType::Json | DataType::Jsonb => "json".into(),
        DataType::Uuid => "uuid".into(),
        DataType::Blob => "blob".into(),
    }
}
