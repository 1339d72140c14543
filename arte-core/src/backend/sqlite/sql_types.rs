//! How SQLite stores arte's own SQL types: moments, JSON and UUIDs as text, decimals as
//! doubles of 15 significant digits at most.

use crate::contract::sql_types::*;
use diesel::deserialize::{self, FromSql};
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::result::QueryResult;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Nullable;
use diesel::sqlite::Sqlite;

impl ToSql<TimestampUtc, Sqlite> for UtcValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(
            self.0
                .naive_utc()
                .format("%Y-%m-%d %H:%M:%S%.f")
                .to_string(),
        );
        Ok(IsNull::No)
    }
}

impl FromSql<TimestampUtc, Sqlite> for UtcValue {
    fn from_sql(
        value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        let naive =
            <chrono::NaiveDateTime as FromSql<diesel::sql_types::Timestamp, Sqlite>>::from_sql(
                value,
            )?;
        Ok(UtcValue(naive.and_utc()))
    }
}

// As diesel binds it: text.
impl<ST> QueryFragment<Sqlite> for NaiveBind<ST> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        pass.push_bind_param::<Nullable<diesel::sql_types::Timestamp>, _>(&self.value)
    }
}

#[cfg(any(feature = "json", feature = "uuid"))]
fn text(value: <Sqlite as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<String> {
    <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(value)
}

#[cfg(feature = "json")]
impl ToSql<Json, Sqlite> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

#[cfg(feature = "json")]
impl FromSql<Json, Sqlite> for JsonValue {
    fn from_sql(
        value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_json(text(value)?.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl ToSql<Uuid, Sqlite> for UuidValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

#[cfg(feature = "uuid")]
impl FromSql<Uuid, Sqlite> for UuidValue {
    fn from_sql(
        value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        parse_uuid(&text(value)?)
    }
}

/// The most significant digits of a decimal a double holds exactly (`DBL_DIG`): every
/// decimal of this many reads back from its nearest double unchanged.
#[cfg(feature = "decimal")]
const DOUBLE_DIGITS: u64 = 15;

/// The double SQLite keeps `value` as, when it gives `value` back unchanged.
#[cfg(feature = "decimal")]
fn double_of(value: &bigdecimal::BigDecimal) -> Result<f64, String> {
    let normalized = value.normalized();
    let digits = normalized.digits();
    if digits > DOUBLE_DIGITS {
        return Err(format!(
            "the decimal {value} has {digits} significant digits and SQLite keeps \
             {DOUBLE_DIGITS} significant digits of a decimal: keep decimals of this size \
             on PostgreSQL or MySQL, which store them exactly, or round it to \
             {DOUBLE_DIGITS} significant digits"
        ));
    }
    // Rust's parse rounds correctly to the nearest double, which holds these digits.
    let (mantissa, scale) = normalized.as_bigint_and_exponent();
    let double = format!("{mantissa}e{}", -scale).parse::<f64>().ok();
    match double {
        Some(double) if shortest_decimal(double).as_ref() == Some(value) => Ok(double),
        _ => Err(format!(
            "the decimal {value} is too large or too small for SQLite, which keeps a decimal \
             as a double (from about 1e-307 to 1e308): keep it on PostgreSQL or MySQL, \
             which store decimals exactly"
        )),
    }
}

/// The shortest decimal that gives back this double (Rust's `Display` of it); `None` for an
/// infinity or NaN.
#[cfg(feature = "decimal")]
fn shortest_decimal(double: f64) -> Option<bigdecimal::BigDecimal> {
    if !double.is_finite() {
        return None;
    }
    double.to_string().parse().ok()
}

#[cfg(feature = "decimal")]
impl ToSql<Decimal, Sqlite> for DecimalValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(double_of(&self.0)?);
        Ok(IsNull::No)
    }
}

/// A decimal column's value as SQLite holds it: an integer exactly, a double as the shortest
/// decimal that gives it back, text as written.
#[cfg(feature = "decimal")]
impl FromSql<Decimal, Sqlite> for DecimalValue {
    fn from_sql(
        mut value: <Sqlite as diesel::backend::Backend>::RawValue<'_>,
    ) -> deserialize::Result<Self> {
        use diesel::sqlite::SqliteType;
        match value.value_type() {
            Some(SqliteType::Long) => Ok(DecimalValue(value.read_long().into())),
            Some(SqliteType::Double) => {
                let double = value.read_double();
                shortest_decimal(double).map(DecimalValue).ok_or_else(|| {
                    let why = format!(
                        "a decimal column holds the double {double}, which is not a finite \
                         number: set it to a number"
                    );
                    why.into()
                })
            }
            _ => {
                let text = value.read_text();
                text.trim().parse().map(DecimalValue).map_err(|_| {
                    let why = format!(
                        "a decimal column holds the text {text:?}, which is not a number: \
                         set it to a number"
                    );
                    why.into()
                })
            }
        }
    }
}

#[cfg(all(test, feature = "decimal"))]
mod tests {
    use super::{double_of, shortest_decimal};
    use bigdecimal::BigDecimal;

    fn decimal(text: &str) -> BigDecimal {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn a_decimal_of_15_significant_digits_comes_back_from_its_double() {
        for text in [
            "12345678.99",
            "-99999999.99",
            "0.01",
            "-999.99",
            "1.5",
            "0",
            "0.00",
            "123456789012345",
            "999999999999999",
            "0.000000000000001",
            "1.00000000000001",
            "1E+300",
            "-1E-300",
        ] {
            let value = decimal(text);
            let double = double_of(&value).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(shortest_decimal(double), Some(value), "{text}");
        }
    }

    #[test]
    fn a_decimal_a_double_cannot_hold_is_refused_naming_it() {
        for (text, why) in [
            ("12345678901234567890.0123456789", "30 significant digits"),
            ("1234567890123456", "16 significant digits"),
            ("0.1234567890123456", "16 significant digits"),
            ("1E+400", "too large or too small"),
            ("1E-400", "too large or too small"),
        ] {
            let refusal = double_of(&decimal(text)).err().unwrap_or_default();
            assert!(refusal.contains(why), "{text}: {refusal}");
        }
    }

    #[test]
    fn a_double_reads_as_its_shortest_decimal() {
        assert_eq!(shortest_decimal(12345678.99), Some(decimal("12345678.99")));
        assert_eq!(
            shortest_decimal(0.1 + 0.2),
            Some(decimal("0.30000000000000004"))
        );
        assert_eq!(
            shortest_decimal(1e20),
            Some(decimal("100000000000000000000"))
        );
        assert_eq!(shortest_decimal(f64::INFINITY), None);
    }
}
